"""Community needs: groups post them for their own group; anyone can browse and filter them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import PLEDGE_CONSENT_WORDING, CommunityNeed, HelpKind, Pledge
from tests.funding.sources.conftest import HOSTILE
from tests.funding.sources.factories import NeedFactory, PledgeFactory

pytestmark = pytest.mark.django_db

NEW = "/funding/needs/new/"


def good(themes: list, wards: list, **more: Any) -> dict[str, Any]:
    return {
        "title": "Laptops for our homework club",
        "description": "Twelve children share two laptops.",
        "kind": "goods",
        "quantity": "12",
        "unit": "laptops",
        "theme": str(themes[0].pk),
        "ward": str(wards[0].pk),
        **more,
    }


def test_a_group_member_posts_a_need_for_their_group(
    client: Client, member: User, group: Organisation, themes: list, wards: list
) -> None:
    client.force_login(member)
    page = client.get(NEW).content.decode()
    assert "Pollards Hill Homework Club" in page
    response = client.post(NEW, {**good(themes, wards), "organisation": str(group.pk)})
    need = CommunityNeed.objects.get()
    assert response["Location"] == f"/funding/needs/{need.pk}/"
    assert (need.organisation, need.kind, need.quantity, need.unit) == (group, "goods", Decimal("12"), "laptops")
    assert (need.theme, need.ward, need.created_by) == (themes[0], wards[0], member)
    assert "Suppliers can pledge to it now." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Say what your group needs."),
        ({"description": ""}, "description", "Say more about the need and who it helps."),
        ({"kind": ""}, "kind", "Choose money, volunteer hours or goods or services."),
        ({"quantity": ""}, "quantity", "Enter how much you need, e.g. 10."),
        ({"quantity": "-3"}, "quantity", "Enter how much you need more than 0."),
        ({"quantity": "a dozen"}, "quantity", "Enter how much as a number"),
        ({"title": "x" * 141}, "title", "Use 140 characters or fewer (you used 141)."),
    ],
)
def test_bad_input_is_explained(
    client: Client, member: User, group: Organisation, themes: list, wards: list, change: dict, field: str, message: str
) -> None:
    client.force_login(member)
    response = client.post(NEW, {**good(themes, wards, **change), "organisation": str(group.pk)})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not CommunityNeed.objects.exists()


def test_a_member_cannot_post_for_a_group_they_are_not_in(
    client: Client, member: User, themes: list, wards: list
) -> None:
    from commonweal.accounts.services import create_organisation

    other = create_organisation(name="Other Group", kind=Organisation.Kind.INFORMAL_GROUP)
    client.force_login(member)
    response = client.post(NEW, {**good(themes, wards), "organisation": str(other.pk)})
    assert "Choose one of your groups." in response.content.decode()
    assert not CommunityNeed.objects.exists()


@pytest.mark.parametrize("role", ["resident", "officer", "steward"])
def test_people_without_a_group_are_told_how_to_post_a_need(
    client: Client, make_user: Any, role: str, mfa_exempt: None, db: None
) -> None:
    client.force_login(make_user(role))
    response = client.get(NEW)
    assert response.status_code == 403
    assert "Only members of a community group can post a need." in response.content.decode()


@pytest.fixture
def needs(group: Organisation, member: User, themes: list, wards: list) -> dict[str, CommunityNeed]:
    hours = NeedFactory(organisation=group, created_by=member, title="Volunteers to paint the hall", theme=themes[0])
    money = NeedFactory(
        organisation=group,
        created_by=member,
        title="Money for a minibus",
        kind=HelpKind.MONEY,
        quantity=Decimal("5000"),
        unit="£",
        ward=wards[1],
    )
    closed = NeedFactory(organisation=group, created_by=member, title="Old need", status=CommunityNeed.Status.CLOSED)
    return {"hours": hours, "money": money, "closed": closed}


def titles(response: Any) -> list[str]:
    return [need.title for need in response.context["needs"]]


def test_anyone_can_filter_needs_by_kind_theme_ward_and_status(
    client: Client, needs: dict, themes: list, wards: list
) -> None:
    assert set(titles(client.get("/funding/needs/"))) == {
        "Volunteers to paint the hall",
        "Money for a minibus",
        "Old need",
    }
    assert titles(client.get("/funding/needs/", {"kind": "money"})) == ["Money for a minibus"]
    assert titles(client.get("/funding/needs/", {"theme": themes[0].pk})) == ["Volunteers to paint the hall"]
    assert titles(client.get("/funding/needs/", {"ward": wards[1].pk})) == ["Money for a minibus"]
    assert titles(client.get("/funding/needs/", {"status": "closed"})) == ["Old need"]
    assert "Old need" not in titles(client.get("/funding/needs/", {"status": "open"}))


def test_no_needs_found_says_so(client: Client, needs: dict) -> None:
    response = client.get("/funding/needs/", {"kind": "goods"})
    assert "No needs match these filters." in response.content.decode()


def test_a_bad_filter_is_explained(client: Client, needs: dict) -> None:
    response = client.get("/funding/needs/", {"kind": "gold", "ward": "nowhere"})
    page = response.content.decode()
    assert "Choose a kind of help from the list." in page and "Choose a ward from the list." in page


def test_a_need_shows_pledged_delivered_and_needed(
    client: Client, needs: dict, supplier: Organisation, supplier_member: User
) -> None:
    need = needs["hours"]
    pledge = PledgeFactory(
        need=need,
        supplier=supplier,
        pledged_by=supplier_member,
        quantity=Decimal("30"),
        status="accepted",
        # The supplier agreed to be named in public (tests/funding/sources/test_pledge_consent.py).
        consent_by=supplier_member,
        consent_at=timezone.now(),
        consent_wording=PLEDGE_CONSENT_WORDING,
    )
    pledge.fulfilments.create(delivered_on="2026-01-10", quantity=Decimal("10"), recorded_by=supplier_member)
    PledgeFactory(need=need, supplier=supplier, pledged_by=supplier_member, quantity=Decimal("5"), status="withdrawn")
    response = client.get(f"/funding/needs/{need.pk}/")
    shown = response.context["need"]
    assert (shown.pledged, shown.delivered, shown.quantity) == (Decimal("30"), Decimal("10"), Decimal("40"))
    page = response.content.decode()
    assert "30 <bdi>hours</bdi> (75%)" in page and "10 <bdi>hours</bdi> (25%)" in page
    assert "Acme Construction Ltd" in page


def test_a_need_is_met_once_delivered_pledges_reach_it(
    client: Client, needs: dict, supplier: Organisation, supplier_member: User
) -> None:
    need = needs["hours"]
    pledge = PledgeFactory(need=need, supplier=supplier, pledged_by=supplier_member, status=Pledge.Status.DELIVERED)
    pledge.fulfilments.create(delivered_on="2026-01-10", quantity=Decimal("40"), recorded_by=supplier_member)
    assert client.get(f"/funding/needs/{need.pk}/").context["need"].is_met is True
    assert "Volunteers to paint the hall" in titles(client.get("/funding/needs/", {"status": "met"}))
    assert "Volunteers to paint the hall" not in titles(client.get("/funding/needs/", {"status": "open"}))


def test_hostile_need_text_is_shown_safely(client: Client, group: Organisation, member: User) -> None:
    need = NeedFactory(organisation=group, created_by=member, title=HOSTILE, description=HOSTILE * 50)
    for url in ("/funding/needs/", f"/funding/needs/{need.pk}/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<bdi>&lt;script&gt;" in page


def test_a_double_click_posts_the_need_once(
    client: Client, member: User, group: Organisation, themes: list, wards: list
) -> None:
    client.force_login(member)
    client.post(NEW, good(themes, wards))
    response = client.post(NEW, good(themes, wards))
    assert "Pollards Hill Homework Club already has an open need called “Laptops for our homework club”." in (
        response.content.decode()
    )
    assert CommunityNeed.objects.count() == 1
