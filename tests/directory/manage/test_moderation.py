"""Officers moderate new and changed listings; every decision is kept, and each record's history is there for
its owners and the officers, never the public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory import services
from commonweal.directory.models import Asset, ChangeRequest, Location, Service
from tests.directory.factories import AssetFactory, LocationFactory, OrganisationFactory, ServiceFactory


def test_the_queues_show_new_listings_changes_claims_reports_and_stale_counts(
    client_for: Callable[..., Client],
    officer: User,
    member: User,
    resident: User,
    group: Organisation,
    charity: Organisation,
    service: Service,
) -> None:
    services.add_listing(
        kind="asset", organisation=group, values={"kind": "cultural", "name": "Abbey mural"}, by=member
    )
    services.update_listing(record=service, values={"name": "Sunday litter pick"}, by=member)
    services.submit_claim(organisation=charity, user=resident, message="I run it.")
    services.submit_listing_report(record=service, reason="closed")
    Organisation.objects.filter(pk=charity.pk).update(last_checked_at=timezone.now() - timezone.timedelta(days=400))

    page = client_for(officer).get("/directory/moderation/").content.decode()

    for text in (
        "1 new listing",
        "Abbey mural",
        "1 change waiting",
        "Saturday litter pick",
        "1 request to manage a listing",
        "Wimbledon Food Bank",
        "1 open report",
        "It has closed",
    ):
        assert text in page, text
    stale = page[page.index('data-testid="stale"') :]
    # The charity, and the officer's own department, which nobody has checked.
    assert Organisation.objects.published().stale().count() == 2
    numeric = '</a></th><td class="govuk-table__cell govuk-table__cell--numeric">'
    assert f'?kind=organisation">Organisation{numeric}2<' in stale
    assert f'?kind=service">Service{numeric}0<' in stale
    stale_page = client_for(officer).get("/directory/moderation/stale/?kind=organisation").content.decode()
    assert "Wimbledon Food Bank" in stale_page
    assert "Abbey Litter Pickers" not in stale_page


@pytest.mark.parametrize("role", ["anonymous", "resident", "group_member", "champion", "steward"])
def test_only_officers_and_admins_see_the_moderation_pages(
    role: str, make_user: Callable[..., User], client_for: Callable[..., Client], mfa_exempt: None, service: Service
) -> None:
    user = None if role == "anonymous" else make_user(role)
    client = client_for(user)
    Service.objects.filter(pk=service.pk).update(listing_status=ListingStatus.PENDING)
    for path in ("/directory/moderation/", f"/directory/moderation/listings/service/{service.uuid}/"):
        response = client.get(path)
        if role == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403
            assert "Only officers and administrators can moderate the directory." in response.content.decode()
    response = client.post(f"/directory/moderation/listings/service/{service.uuid}/", {"decision": "approve"})
    assert response.status_code in (302, 403)
    service.refresh_from_db()
    assert service.listing_status == ListingStatus.PENDING


@pytest.mark.parametrize("kind", ["organisation", "service", "location", "asset"])
def test_an_officer_approves_each_kind_of_new_listing(
    kind: str, client_for: Callable[..., Client], officer: User, group: Organisation
) -> None:
    factories: dict[str, Callable[..., Any]] = {
        "organisation": OrganisationFactory,
        "service": lambda **kw: ServiceFactory(organisation=group, **kw),
        "location": lambda **kw: LocationFactory(organisation=group, **kw),
        "asset": lambda **kw: AssetFactory(organisation=group, **kw),
    }
    record = factories[kind](listing_status=ListingStatus.PENDING)
    url = f"/directory/moderation/listings/{kind}/{record.uuid}/"
    page = client_for(officer).get(url).content.decode()
    assert "Publish it?" in page
    client_for(officer).post(url, {"decision": "approve"})
    record.refresh_from_db()
    assert record.listing_status == ListingStatus.PUBLISHED
    page = client_for(officer).get(url).content.decode()
    assert "This listing is not waiting for a decision." in page
    page = client_for(officer).post(url, {"decision": "reject", "reason": "Too late"}).content.decode()
    assert "This listing has already been approved." in page


def test_a_rejection_reason_is_kept_in_the_history(
    client_for: Callable[..., Client], officer: User, member: User, group: Organisation
) -> None:
    added = services.add_listing(
        kind="location",
        organisation=group,
        values={"location_type": "virtual", "name": "Our WhatsApp group"},
        by=member,
    ).record
    services.reject_listing(record=added, by=officer, reason="A WhatsApp group is not a place people can visit.")
    page = client_for(member).get(f"/directory/manage/location/{added.uuid}/history/").content.decode()
    assert "A WhatsApp group is not a place people can visit." in page
    assert "<strong>Listing</strong>: <bdi>Waiting for approval</bdi> → <bdi>Not approved</bdi>" in page


def test_the_history_shows_who_changed_what_and_when(
    client_for: Callable[..., Client], officer: User, member: User, service: Service
) -> None:
    services.update_listing(record=service, values={"name": "Sunday litter pick"}, by=member)
    change = ChangeRequest.objects.get()
    services.approve_change(change=change, by=officer)
    services.confirm_listing_checked(record=service, by=member)

    page = client_for(member).get(f"/directory/manage/service/{service.uuid}/history/").content.decode()

    assert "<strong>Name</strong>: <bdi>Saturday litter pick</bdi> → <bdi>Sunday litter pick</bdi>" in page
    assert "Decided by <bdi>Test officer</bdi>" in page
    assert "<bdi>Test group member</bdi> on" in page
    assert page.count("<bdi>Test officer</bdi></td>") >= 1
    assert page.count("<bdi>Test group member</bdi></td>") >= 1
    entries = LogEntry.objects.get_for_object(service)
    assert {entry.actor for entry in entries} == {None, officer, member}  # None: the record was imported


@pytest.mark.parametrize("role", ["anonymous", "resident", "champion", "steward"])
def test_the_public_never_sees_a_records_history(
    role: str, make_user: Callable[..., User], client_for: Callable[..., Client], service: Service, mfa_exempt: None
) -> None:
    user = None if role == "anonymous" else make_user(role)
    response = client_for(user).get(f"/directory/manage/service/{service.uuid}/history/")
    assert response.status_code == (302 if role == "anonymous" else 403)


def test_another_groups_member_cannot_see_the_history(
    client_for: Callable[..., Client], make_user: Callable[..., User], other_group: Organisation, service: Service
) -> None:
    stranger = make_user("group_member", organisation=other_group)
    assert client_for(stranger).get(f"/directory/manage/service/{service.uuid}/history/").status_code == 403
    assert client_for(stranger).get(f"/directory/manage/organisations/{service.organisation.slug}/").status_code == 403


def test_a_change_that_no_longer_fits_is_refused_and_nothing_is_half_done(
    client_for: Callable[..., Client], officer: User, member: User, service: Service, location: Location
) -> None:
    services.update_listing(record=service, values={"name": "Moved", "locations": [location.pk]}, by=member)
    change = ChangeRequest.objects.get()
    services.withdraw_listing(record=location, by=member)
    page = client_for(officer).post(f"/directory/moderation/changes/{change.pk}/", {"decision": "approve"})
    text = page.content.decode()
    assert "This change can no longer be made as it is:" in text
    service.refresh_from_db()
    change.refresh_from_db()
    assert (service.name, change.status) == ("Saturday litter pick", "pending")
    assert not service.locations.exists()


def test_an_asset_nobody_manages_is_changed_by_officers_only(
    client_for: Callable[..., Client], officer: User, member: User
) -> None:
    asset = AssetFactory(organisation=None, name="Village green")
    url = f"/directory/manage/asset/{asset.uuid}/edit/"
    assert client_for(member).get(url).status_code == 403
    page = client_for(officer).get(url).content.decode()
    assert "Change the asset" in page
    result = services.update_listing(record=asset, values={"name": "The village green"}, by=officer)
    assert result.outcome == "applied"
    assert Asset.objects.get(pk=asset.pk).name == "The village green"


def test_the_history_keeps_changes_to_the_times_and_places_too(
    client_for: Callable[..., Client], officer: User, member: User, service: Service, location: Location
) -> None:
    services.update_listing(
        record=service,
        values={
            "locations": [location.pk],
            "schedules": [{"days": ["TU"], "opens_at": "18:00", "closes_at": "20:00", "description": ""}],
        },
        by=officer,
    )
    page = client_for(member).get(f"/directory/manage/service/{service.uuid}/history/").content.decode()
    assert "<strong>When it runs</strong>: <bdi>Not given</bdi> → <bdi>Tuesdays 18:00 to 20:00</bdi>" in page
    assert "<strong>Where it runs</strong>: <bdi>Not given</bdi> → <bdi>Abbey Hall</bdi>" in page
