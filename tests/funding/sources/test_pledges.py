"""Pledges: a supplier's member pledges to a need, the group accepts, the supplier records deliveries and marks
the pledge delivered, the group or an officer verifies it; the supplier or an officer may withdraw it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.funding.errors import FundingError, WorkflowError
from commonweal.funding.models import CommunityNeed, Pledge
from commonweal.funding.sources import services
from tests.dates import date_boxes
from tests.funding.sources.conftest import HOSTILE
from tests.funding.sources.factories import BusinessFactory, NeedFactory, PledgeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(group: Organisation, member: User) -> CommunityNeed:
    return NeedFactory(organisation=group, created_by=member, title="Volunteers to paint the hall")


def pledge_form(**more: Any) -> dict[str, str]:
    return {
        "contract_reference": "MER-2026-014",
        "framework": "toms",
        "framework_version": "2022",
        "measure_code": "NT29",
        "kind": "hours",
        "quantity": "40",
        "unit": "hours",
        "value": "1200",
        **more,
    }


def as_(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_whole_life_of_a_pledge(
    client: Client, need: CommunityNeed, member: User, supplier: Organisation, supplier_member: User
) -> None:
    # The supplier's member pledges 40 hours under TOMs NT29.
    response = as_(client, supplier_member).post(f"/funding/needs/{need.pk}/pledge/", pledge_form())
    pledge = Pledge.objects.get()
    assert response["Location"] == f"/funding/pledges/{pledge.pk}/"
    assert (pledge.supplier, pledge.measure_code, pledge.quantity, pledge.status) == (
        supplier,
        "NT29",
        Decimal("40"),
        "pledged",
    )
    # The supplier cannot record deliveries before the group accepts.
    response = client.post(
        f"/funding/pledges/{pledge.pk}/deliveries/", {**date_boxes("delivered_on", "1/1/2026"), "quantity": "5"}
    )
    assert "The group has not accepted this pledge yet" in response.content.decode()

    # The group accepts it.
    response = as_(client, member).post(f"/funding/pledges/{pledge.pk}/accept/")
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "accepted"
    # A second click is told it has been done.
    response = client.post(f"/funding/pledges/{pledge.pk}/accept/")
    assert "This pledge has already been accepted." in response.content.decode()

    # The supplier records 25 hours, then 15, then marks it delivered.
    as_(client, supplier_member)
    today = timezone.localdate()
    for hours in ("25", "15"):
        response = client.post(
            f"/funding/pledges/{pledge.pk}/deliveries/",
            {**date_boxes("delivered_on", today), "quantity": hours, "note": "Painting"},
        )
        assert response.status_code == 302
    assert client.post(f"/funding/pledges/{pledge.pk}/deliver/").status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == "delivered"

    # The group verifies; the need is met.
    response = as_(client, member).post(f"/funding/pledges/{pledge.pk}/verify/")
    assert response.status_code == 302
    pledge.refresh_from_db()
    need.refresh_from_db()
    assert pledge.status == "verified" and need.status == CommunityNeed.Status.MET
    assert all(row.confirmed_by == member for row in pledge.fulfilments.all())
    page = client.get(f"/funding/needs/{need.pk}/").content.decode()
    assert "Met" in page and "Pledge to this need" not in page


@pytest.fixture
def accepted(need: CommunityNeed, supplier: Organisation, supplier_member: User) -> Pledge:
    return PledgeFactory(need=need, supplier=supplier, pledged_by=supplier_member, status=Pledge.Status.ACCEPTED)


def test_delivering_more_than_was_pledged_is_refused_with_what_is_left(accepted: Pledge, supplier_member: User) -> None:
    today = timezone.localdate()
    services.record_fulfilment(pledge=accepted, delivered_on=today, quantity=Decimal("30"), note="", by=supplier_member)
    with pytest.raises(FundingError) as refused:
        services.record_fulfilment(
            pledge=accepted, delivered_on=today, quantity=Decimal("15"), note="", by=supplier_member
        )
    assert refused.value.message_dict["quantity"] == [
        "That is more than is left of the pledge: 10 hours left of 40 hours. Record 10 hours or less."
    ]
    assert accepted.fulfilments.count() == 1


def test_over_delivery_is_shown_beside_the_field_on_the_page(
    client: Client, accepted: Pledge, supplier_member: User
) -> None:
    response = as_(client, supplier_member).post(
        f"/funding/pledges/{accepted.pk}/deliveries/",
        {**date_boxes("delivered_on", timezone.localdate()), "quantity": "41"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "40 hours left of 40 hours. Record 40 hours or less." in page
    assert 'value="41"' in page  # what they typed is kept


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {**date_boxes("delivered_on", "tomorrow/1/2026"), "quantity": "5"},
            "The date it was delivered must be a real date",
        ),
        ({**date_boxes("delivered_on", ""), "quantity": "5"}, "Enter the date it was delivered"),
        ({"quantity": "0"}, "Enter how much was delivered more than 0."),
        ({"quantity": ""}, "Enter how much was delivered, e.g. 10."),
    ],
)
def test_bad_deliveries_are_explained(
    client: Client, accepted: Pledge, supplier_member: User, data: dict, message: str
) -> None:
    data = {**date_boxes("delivered_on", "1/1/2026"), **data}
    response = as_(client, supplier_member).post(f"/funding/pledges/{accepted.pk}/deliveries/", data)
    assert message in response.content.decode()
    assert not accepted.fulfilments.exists()


def test_a_delivery_in_the_future_is_refused(accepted: Pledge, supplier_member: User) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(FundingError) as refused:
        services.record_fulfilment(
            pledge=accepted, delivered_on=tomorrow, quantity=Decimal("1"), note="", by=supplier_member
        )
    assert refused.value.message_dict["delivered_on"] == ["The date it was delivered must be today or in the past."]


def test_a_pledge_cannot_be_marked_delivered_with_nothing_recorded(accepted: Pledge, supplier_member: User) -> None:
    with pytest.raises(WorkflowError, match="Record what was delivered"):
        services.deliver_pledge(pledge=accepted, by=supplier_member)


def test_only_the_group_accepts_and_only_the_supplier_records_deliveries(
    accepted: Pledge, member: User, officer: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.record_fulfilment(
            pledge=accepted, delivered_on=timezone.localdate(), quantity=Decimal("1"), note="", by=member
        )
    pledged = PledgeFactory(need=accepted.need, supplier=accepted.supplier, pledged_by=accepted.pledged_by)
    with pytest.raises(PermissionDenied):
        services.accept_pledge(pledge=pledged, by=officer)


def test_an_officer_verifies_a_delivered_pledge(accepted: Pledge, supplier_member: User, officer: User) -> None:
    services.record_fulfilment(
        pledge=accepted, delivered_on=timezone.localdate(), quantity=Decimal("20"), note="", by=supplier_member
    )
    services.deliver_pledge(pledge=accepted, by=supplier_member)
    services.verify_pledge(pledge=accepted, by=officer)
    accepted.refresh_from_db()
    assert accepted.status == "verified"
    assert accepted.need.status == CommunityNeed.Status.OPEN  # 20 of 40 hours: not met yet


def test_the_supplier_withdraws_with_a_reason(client: Client, accepted: Pledge, supplier_member: User) -> None:
    as_(client, supplier_member)
    response = client.post(f"/funding/pledges/{accepted.pk}/withdraw/", {"reason": ""})
    assert "Say why, so the people affected know the reason." in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    response = client.post(f"/funding/pledges/{accepted.pk}/withdraw/", {"reason": "The contract ended."})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert (accepted.status, accepted.withdrawn_reason) == ("withdrawn", "The contract ended.")
    assert accepted.withdrawn_at is not None
    page = client.get(f"/funding/pledges/{accepted.pk}/").content.decode()
    assert "The contract ended." in page
    assert "Withdraw the pledge" not in page  # nothing more to do


def test_the_group_cannot_withdraw_a_suppliers_pledge(accepted: Pledge, member: User) -> None:
    with pytest.raises(PermissionDenied):
        services.withdraw_pledge(pledge=accepted, reason="We changed our minds.", by=member)


def test_people_who_are_not_suppliers_are_told_how_to_get_set_up(
    client: Client, need: CommunityNeed, member: User
) -> None:
    response = as_(client, member).get(f"/funding/needs/{need.pk}/pledge/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Only members of a supplier (a business or company) can pledge social value." in page
    assert "ask to manage its listing" in page


def test_a_need_that_is_met_takes_no_more_pledges(client: Client, need: CommunityNeed, supplier_member: User) -> None:
    need.status = CommunityNeed.Status.MET
    need.save()
    response = as_(client, supplier_member).post(f"/funding/needs/{need.pk}/pledge/", pledge_form())
    assert "This need is met, so it is not taking pledges." in response.content.decode()
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"quantity": "0"}, "quantity", "Enter how much you pledge more than 0."),
        ({"quantity": ""}, "quantity", "Enter how much you pledge, e.g. 10."),
        ({"framework": ""}, "framework", "Choose the National TOMs, PPN 002 or the council’s own measures."),
        ({"measure_code": "not a code"}, "measure_code", "Enter a measure code of letters and digits with no spaces"),
        ({"value": "-1"}, "value", "The social value must be £0 or more"),
    ],
)
def test_bad_pledges_are_explained(
    client: Client, need: CommunityNeed, supplier_member: User, change: dict, field: str, message: str
) -> None:
    response = as_(client, supplier_member).post(f"/funding/needs/{need.pk}/pledge/", pledge_form(**change))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Pledge.objects.exists()


def test_a_member_of_two_businesses_chooses_only_their_own(
    client: Client, need: CommunityNeed, supplier_member: User
) -> None:
    stranger = BusinessFactory(name="Not Yours Ltd")
    response = as_(client, supplier_member).post(
        f"/funding/needs/{need.pk}/pledge/", pledge_form(supplier=str(stranger.pk))
    )
    assert response.status_code == 200
    assert "Choose one of your businesses." in response.content.decode()
    assert not Pledge.objects.exists()


def test_a_resident_may_read_a_pledge_but_not_change_it(client: Client, make_user: Any, accepted: Pledge) -> None:
    as_(client, make_user("resident"))
    assert client.get(f"/funding/pledges/{accepted.pk}/").status_code == 200
    response = client.post(f"/funding/pledges/{accepted.pk}/withdraw/", {"reason": "x"})
    assert response.status_code == 403
    assert "Only the group that posted the need, the supplier that made the pledge" in response.content.decode()


def test_hostile_pledge_text_is_shown_safely(client: Client, need: CommunityNeed, supplier_member: User) -> None:
    as_(client, supplier_member).post(
        f"/funding/needs/{need.pk}/pledge/", pledge_form(contract_reference=HOSTILE[:100], unit=HOSTILE[:60])
    )
    pledge = Pledge.objects.get()
    page = client.get(f"/funding/pledges/{pledge.pk}/").content.decode()
    assert "<script>alert" not in page and "<bdi>&lt;script&gt;" in page


def test_a_double_click_makes_one_pledge(client: Client, need: CommunityNeed, supplier_member: User) -> None:
    as_(client, supplier_member).post(f"/funding/needs/{need.pk}/pledge/", pledge_form())
    response = client.post(f"/funding/needs/{need.pk}/pledge/", pledge_form())
    assert "Acme Construction Ltd has already pledged to this need and is waiting for the group to accept." in (
        response.content.decode()
    )
    assert Pledge.objects.count() == 1


# --- an administrator runs the platform; it does not answer a pledge for a group or a supplier --------------


@pytest.fixture
def admin(make_user: Any, mfa_exempt: None) -> User:
    return make_user("admin", email="admin@example.org")


def test_an_administrator_who_is_not_a_member_cannot_act_on_a_pledge(accepted: Pledge, admin: User) -> None:
    pledged = PledgeFactory(need=accepted.need, supplier=accepted.supplier, pledged_by=accepted.pledged_by)
    with pytest.raises(PermissionDenied, match="You cannot do that to this pledge."):
        services.accept_pledge(pledge=pledged, by=admin)
    with pytest.raises(PermissionDenied, match="You cannot do that to this pledge."):
        services.withdraw_pledge(pledge=accepted, reason="Not needed.", by=admin)
    with pytest.raises(PermissionDenied, match="Only the supplier that made this pledge"):
        services.record_fulfilment(
            pledge=accepted, delivered_on=timezone.localdate(), quantity=Decimal("1"), note="", by=admin
        )
    assert services.pledge_actions(admin, accepted) == set()
    pledged.refresh_from_db()
    accepted.refresh_from_db()
    assert (pledged.status, accepted.status) == ("pledged", "accepted")
    assert not accepted.fulfilments.exists()


def test_an_administrator_who_is_not_a_member_is_refused_on_the_pledge_page(
    client: Client, accepted: Pledge, admin: User, member: User
) -> None:
    pledged = PledgeFactory(need=accepted.need, supplier=accepted.supplier, pledged_by=accepted.pledged_by)
    as_(client, admin)
    assert client.get(f"/funding/pledges/{pledged.pk}/").status_code == 200  # a pledge is public to read
    response = client.post(reverse("funding:pledge_accept", args=[pledged.pk]))
    assert response.status_code == 403
    assert "Only the group that posted the need, the supplier that made the pledge" in response.content.decode()
    pledged.refresh_from_db()
    assert pledged.status == "pledged"
    # The group that posted the need still accepts it.
    as_(client, member)
    assert client.post(reverse("funding:pledge_accept", args=[pledged.pk])).status_code == 302
    pledged.refresh_from_db()
    assert pledged.status == "accepted"
