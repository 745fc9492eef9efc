"""A person asks to manage an organisation's listing; an officer approves or rejects it with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client

from commonweal.accounts.models import ListingStatus, Membership, Organisation, User
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.services import create_organisation
from commonweal.directory import services
from commonweal.directory.errors import DirectoryError
from commonweal.directory.models import Claim
from tests.directory.manage.conftest import HOSTILE

CONNECTED = "I am the secretary of the food bank."


def claim_page(organisation: Organisation) -> str:
    return f"/directory/organisations/{organisation.slug}/claim/"


def test_a_resident_asks_to_manage_a_charity_and_sees_the_request_waiting(
    client_for: Callable[..., Client], resident: User, charity: Organisation
) -> None:
    client = client_for(resident)
    page = client.get(claim_page(charity)).content.decode()
    assert "Ask to manage this listing" in page
    assert "How are you connected to the organisation?" in page

    response = client.post(claim_page(charity), {"message": CONNECTED}, follow=True)

    assert response.redirect_chain[-1][0] == "/directory/manage/"
    page = response.content.decode()
    assert "You asked to manage Wimbledon Food Bank." in page
    assert "Waiting for a decision" in page
    claim = Claim.objects.get()
    assert (claim.user, claim.organisation, claim.message, claim.status) == (resident, charity, CONNECTED, "pending")


def test_a_claim_must_say_how_the_person_is_connected_and_keeps_nothing_half_done(
    client_for: Callable[..., Client], resident: User, charity: Organisation
) -> None:
    response = client_for(resident).post(claim_page(charity), {"message": "   "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_message">Say how you are connected to the organisation.</a>' in page
    assert not Claim.objects.exists()


def test_a_very_long_claim_is_refused_and_what_was_typed_is_kept(
    client_for: Callable[..., Client], resident: User, charity: Organisation
) -> None:
    typed = "I help out. " * 300
    page = client_for(resident).post(claim_page(charity), {"message": typed}).content.decode()
    assert "Say how you are connected in 2,000 characters or fewer. You entered 3,599." in page
    assert typed.strip() in page
    assert not Claim.objects.exists()


def test_a_second_claim_for_the_same_organisation_is_refused_with_a_clear_message(
    client_for: Callable[..., Client], resident: User, charity: Organisation
) -> None:
    services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    client = client_for(resident)
    page = client.get(claim_page(charity)).content.decode()
    assert "You have already asked to manage Wimbledon Food Bank." in page
    assert 'name="message"' not in page

    client.post(claim_page(charity), {"message": "Again"})
    with pytest.raises(DirectoryError, match="already asked to manage"):
        services.submit_claim(organisation=charity, user=resident, message="Again")
    assert Claim.objects.count() == 1


def test_someone_may_claim_again_after_a_rejection(resident: User, officer: User, charity: Organisation) -> None:
    first = services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    services.reject_claim(claim=first, by=officer, reason="We could not confirm you help run it.")
    second = services.submit_claim(organisation=charity, user=resident, message="I am now the chair.")
    assert second.status == Claim.Status.PENDING


def test_nobody_can_claim_an_organisation_they_already_manage(
    client_for: Callable[..., Client], member: User, group: Organisation
) -> None:
    page = client_for(member).get(claim_page(group)).content.decode()
    assert "You already manage Abbey Litter Pickers." in page
    with pytest.raises(DirectoryError, match="You already manage Abbey Litter Pickers."):
        services.submit_claim(organisation=group, user=member, message=CONNECTED)
    assert not Claim.objects.exists()


def test_a_council_department_cannot_be_claimed(client_for: Callable[..., Client], resident: User, db: None) -> None:
    department = create_organisation(name="Libraries Service", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    response = client_for(resident).post(claim_page(department), {"message": CONNECTED})
    assert "Libraries Service is a council department." in response.content.decode()
    assert not Claim.objects.exists()


def test_an_organisation_waiting_for_approval_cannot_be_claimed(
    client_for: Callable[..., Client], resident: User, charity: Organisation
) -> None:
    charity.listing_status = ListingStatus.PENDING
    charity.save()
    assert client_for(resident).get(claim_page(charity)).status_code == 404
    with pytest.raises(DirectoryError, match="not in the directory"):
        services.submit_claim(organisation=charity, user=resident, message=CONNECTED)


def test_a_visitor_is_asked_to_sign_in_before_claiming(client: Client, charity: Organisation) -> None:
    response = client.get(claim_page(charity))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_officer_approves_a_claim_and_the_claimant_becomes_a_group_member(
    client_for: Callable[..., Client],
    resident: User,
    officer: User,
    charity: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    claim = services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    client = client_for(officer)
    moderation = client.get("/directory/moderation/").content.decode()
    assert "1 request to manage a listing" in moderation
    page = client.get(f"/directory/moderation/claims/{claim.pk}/").content.decode()
    assert CONNECTED in page
    assert "Nobody manages it yet." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/directory/moderation/claims/{claim.pk}/", {"decision": "approve"}, follow=True)

    assert "You approved the request from" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.decided_by == officer
    resident = User.objects.get(pk=resident.pk)
    assert Membership.objects.filter(user=resident, role="group_member", organisation=charity).exists()
    assert can_manage_organisation(resident, charity)
    assert [m.subject for m in mail.outbox] == ["You can now manage Wimbledon Food Bank"]
    assert mail.outbox[0].to == [resident.email]
    assert "/directory/manage/" in mail.outbox[0].body

    mine = client_for(resident).get("/directory/manage/").content.decode()
    assert "Wimbledon Food Bank" in mine
    assert "Approved" in mine


def test_rejecting_a_claim_needs_a_reason_which_the_claimant_then_sees(
    client_for: Callable[..., Client],
    resident: User,
    officer: User,
    charity: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    claim = services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    client = client_for(officer)
    url = f"/directory/moderation/claims/{claim.pk}/"

    page = client.post(url, {"decision": "reject", "reason": ""}).content.decode()
    assert 'href="#id_reason">Say the reason, so the person who asked knows why.</a>' in page
    assert 'id="id_decision_1" name="decision" type="radio" value="reject" checked' in page
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING

    page = client.post(url, {}).content.decode()
    assert "Choose whether to approve or reject it." in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "The charity's trustees do not know you."})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert not Membership.objects.filter(user=resident, organisation=charity).exists()
    assert "The charity's trustees do not know you." in mail.outbox[0].body
    mine = client_for(resident).get("/directory/manage/").content.decode()
    assert "Not approved" in mine
    assert "The charity&#x27;s trustees do not know you." in mine


def test_a_decided_claim_cannot_be_decided_again(resident: User, officer: User, charity: Organisation) -> None:
    claim = services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    services.approve_claim(claim=claim, by=officer)
    with pytest.raises(DirectoryError, match="This claim has already been approved."):
        services.reject_claim(claim=claim, by=officer, reason="Changed my mind")


@pytest.mark.parametrize("role", ["resident", "group_member", "champion", "steward"])
def test_only_officers_and_admins_decide_claims_even_with_a_crafted_post(
    role: str,
    make_user: Callable[..., User],
    client_for: Callable[..., Client],
    resident: User,
    charity: Organisation,
    mfa_exempt: None,
) -> None:
    claim = services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    intruder = make_user(role)
    response = client_for(intruder).post(f"/directory/moderation/claims/{claim.pk}/", {"decision": "approve"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_claim(claim=claim, by=intruder)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PENDING
    assert not Membership.objects.filter(organisation=charity).exists()


def test_an_admin_approves_a_claim(resident: User, admin: User, charity: Organisation) -> None:
    claim = services.submit_claim(organisation=charity, user=resident, message=CONNECTED)
    services.approve_claim(claim=claim, by=admin)
    assert Membership.objects.filter(user=resident, organisation=charity, role="group_member").exists()


def test_hostile_text_in_a_claim_is_shown_safely_to_the_officer(
    client_for: Callable[..., Client], make_user: Callable[..., User], officer: User, charity: Organisation
) -> None:
    claimant = make_user("resident", email="hostile@example.org")
    claimant.full_name = HOSTILE
    claimant.save()
    charity.name = HOSTILE[:200]
    charity.save()
    claim = services.submit_claim(organisation=charity, user=claimant, message=HOSTILE * 20)
    for path in ("/directory/moderation/", f"/directory/moderation/claims/{claim.pk}/"):
        page = client_for(officer).get(path).content.decode()
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
        assert "<bdi>&lt;script&gt;" in page
