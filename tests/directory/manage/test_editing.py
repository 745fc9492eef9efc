"""Group members keep their own organisation's listing true: what they add waits for an officer, changes to
what the public sees are held until approved, and officers' own changes apply at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.directory import services
from commonweal.directory.models import ChangeRequest, Location, Schedule, Service
from commonweal.directory.search import SearchQuery, reindex_services, search_services
from commonweal.directory.vocabulary import load_starter_vocabulary
from tests.directory.factories import ServiceAtLocationFactory, ServiceFactory
from tests.directory.manage.conftest import HOSTILE


def service_form(**overrides: Any) -> dict[str, Any]:
    """What a person fills in on the service form, as the browser sends it."""
    data: dict[str, Any] = {
        "name": "Saturday litter pick",
        "description": "We tidy the streets.",
        "status": "active",
        "eligibility_description": "Anyone over 16",
        "minimum_age": "16",
        "maximum_age": "",
        "application_process": "Just turn up.",
        "is_free": "yes",
        "fees_description": "",
        "delivery": ["in_person"],
        "url": "",
        "email": "",
        "phone": "",
        "languages": "",
        "when-rows": "2",
        "when-1-days": ["SA"],
        "when-1-opens_at": "10:00",
        "when-1-closes_at": "12:00",
        "when-1-description": "",
        "when-2-opens_at": "",
        "when-2-closes_at": "",
        "when-2-description": "",
    }
    data.update(overrides)
    return data


def public_service_ids(organisation: Organisation) -> set[int]:
    """What a resident can find: the services search returns for the organisation."""
    return {hit.service_id for hit in search_services(SearchQuery(organisation_id=organisation.pk)).hits}


def edit_url(service: Service) -> str:
    return f"/directory/manage/service/{service.uuid}/edit/"


@pytest.fixture
def indexed_service(service: Service) -> Service:
    """The group's published service, just as service_form() describes it, and findable by residents."""
    Service.objects.filter(pk=service.pk).update(
        eligibility_description="Anyone over 16", minimum_age=16, application_process="Just turn up."
    )
    Schedule.objects.create(service=service, byday="SA", opens_at="10:00", closes_at="12:00")
    service.refresh_from_db()
    reindex_services([service.pk])
    return service


# --- changes to what the public sees wait for an officer ------------------------------------------------


def test_a_members_change_to_a_published_service_waits_and_the_public_sees_the_old_one(
    client_for: Callable[..., Client], member: User, indexed_service: Service, group: Organisation
) -> None:
    client = client_for(member)
    response = client.post(edit_url(indexed_service), service_form(name="Sunday litter pick"), follow=True)

    page = response.content.decode()
    assert "have been sent to an officer. The public will see them once they are approved." in page
    assert "Changes waiting for approval" in page
    indexed_service.refresh_from_db()
    assert indexed_service.name == "Saturday litter pick"
    change = ChangeRequest.objects.get()
    assert change.status == "pending"
    assert change.proposed == {"name": "Sunday litter pick"}
    assert change.previous == {"name": "Saturday litter pick"}
    assert change.submitted_by == member
    assert public_service_ids(group) == {indexed_service.pk}

    # The form shows the member what they asked for, and says it is waiting.
    form = client.get(edit_url(indexed_service)).content.decode()
    assert 'value="Sunday litter pick"' in form
    assert "Your changes are waiting for an officer to approve them." in form


def test_an_officer_approves_the_change_and_it_is_published(
    client_for: Callable[..., Client], member: User, officer: User, indexed_service: Service
) -> None:
    old_check = timezone.now() - timezone.timedelta(days=400)
    Service.objects.filter(pk=indexed_service.pk).update(last_checked_at=old_check)
    client_for(member).post(edit_url(indexed_service), service_form(name="Sunday litter pick", phone="020 8545 0000"))
    change = ChangeRequest.objects.get()
    client = client_for(officer)

    page = client.get(f"/directory/moderation/changes/{change.pk}/").content.decode()
    assert "The public sees now" in page
    assert "Saturday litter pick" in page and "Sunday litter pick" in page
    assert "Not given" in page and "020 8545 0000" in page

    client.post(f"/directory/moderation/changes/{change.pk}/", {"decision": "approve"})

    indexed_service.refresh_from_db()
    assert (indexed_service.name, indexed_service.phone) == ("Sunday litter pick", "020 8545 0000")
    assert not indexed_service.is_stale
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", officer)
    hits = search_services(SearchQuery(words="Sunday")).hits
    assert [hit.service_id for hit in hits] == [indexed_service.pk]


def test_a_rejected_change_leaves_the_record_exactly_as_it_was(
    client_for: Callable[..., Client], member: User, officer: User, indexed_service: Service
) -> None:
    before = services.snapshot(indexed_service)
    client_for(member).post(
        edit_url(indexed_service),
        service_form(name="Renamed", description="Changed", **{"when-1-days": ["SU"]}),
    )
    change = ChangeRequest.objects.get()
    client = client_for(officer)

    page = client.post(f"/directory/moderation/changes/{change.pk}/", {"decision": "reject"}).content.decode()
    assert "Say the reason, so the person who asked knows why." in page
    assert ChangeRequest.objects.get().status == "pending"

    client.post(f"/directory/moderation/changes/{change.pk}/", {"decision": "reject", "reason": "Name is wrong."})

    indexed_service.refresh_from_db()
    assert services.snapshot(indexed_service) == before
    change.refresh_from_db()
    assert (change.status, change.reason) == ("rejected", "Name is wrong.")
    history = client_for(member).get(f"/directory/manage/service/{indexed_service.uuid}/history/").content.decode()
    assert "Not approved" in history
    assert "Name is wrong." in history


def test_saving_again_replaces_the_waiting_change_and_undoing_it_withdraws_it(
    client_for: Callable[..., Client], member: User, indexed_service: Service
) -> None:
    client = client_for(member)
    client.post(edit_url(indexed_service), service_form(name="First idea"))
    client.post(edit_url(indexed_service), service_form(name="Second idea"))
    assert list(ChangeRequest.objects.values_list("proposed", flat=True)) == [{"name": "Second idea"}]

    response = client.post(edit_url(indexed_service), service_form(), follow=True)
    assert "Your changes waiting for approval are withdrawn" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_saving_without_changing_anything_makes_no_change_request(
    client_for: Callable[..., Client], member: User, indexed_service: Service
) -> None:
    response = client_for(member).post(edit_url(indexed_service), service_form(), follow=True)
    assert "You did not change anything in Saturday litter pick." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_an_officers_own_change_applies_at_once(
    client_for: Callable[..., Client], officer: User, indexed_service: Service
) -> None:
    response = client_for(officer).post(edit_url(indexed_service), service_form(name="Sunday litter pick"), follow=True)
    assert "Your changes to Sunday litter pick are published." in response.content.decode()
    indexed_service.refresh_from_db()
    assert indexed_service.name == "Sunday litter pick"
    assert not ChangeRequest.objects.exists()


def test_a_change_to_the_times_is_held_and_shown_as_days_and_times(
    client_for: Callable[..., Client], member: User, officer: User, indexed_service: Service
) -> None:
    client_for(member).post(
        edit_url(indexed_service),
        service_form(**{"when-1-days": ["MO", "WE"], "when-1-opens_at": "9.30", "when-1-closes_at": "1pm"}),
    )
    assert indexed_service.schedules.get().byday == "SA"
    change = ChangeRequest.objects.get()
    assert change.proposed["schedules"] == [
        {"days": ["MO", "WE"], "opens_at": "09:30", "closes_at": "13:00", "description": ""}
    ]
    page = client_for(officer).get(f"/directory/moderation/changes/{change.pk}/").content.decode()
    assert "Mondays, Wednesdays 09:30 to 13:00" in page
    services.approve_change(change=change, by=officer)
    schedule = indexed_service.schedules.get()
    assert (schedule.byday, str(schedule.opens_at), str(schedule.closes_at)) == ("MO,WE", "09:30:00", "13:00:00")


# --- new records wait for approval ------------------------------------------------------------------------


def test_a_members_new_service_waits_for_approval_and_the_public_cannot_find_it(
    client_for: Callable[..., Client], member: User, officer: User, group: Organisation
) -> None:
    client = client_for(member)
    response = client.post(
        f"/directory/manage/organisations/{group.slug}/services/add/",
        service_form(name="Repair café", description="Bring broken things."),
        follow=True,
    )
    assert "You added Repair café. An officer will check it before the public can see it." in response.content.decode()
    added = Service.objects.get(name="Repair café")
    assert added.listing_status == ListingStatus.PENDING
    assert added.last_checked_at is not None
    assert added.schedules.get().byday == "SA"
    assert public_service_ids(group) == set()

    moderation = client_for(officer).get("/directory/moderation/").content.decode()
    assert "1 new listing" in moderation
    assert "Repair café" in moderation

    client_for(officer).post(f"/directory/moderation/listings/service/{added.uuid}/", {"decision": "approve"})
    added.refresh_from_db()
    assert added.listing_status == ListingStatus.PUBLISHED
    assert public_service_ids(group) == {added.pk}


def test_a_rejected_new_service_goes_back_for_approval_when_its_member_puts_it_right(
    client_for: Callable[..., Client], member: User, officer: User, group: Organisation
) -> None:
    added = services.add_listing(kind="service", organisation=group, values=service_form_values(), by=member).record
    client = client_for(officer)
    url = f"/directory/moderation/listings/service/{added.uuid}/"
    page = client.post(url, {"decision": "reject", "reason": ""}).content.decode()
    assert "Say the reason, so the person who asked knows why." in page
    client.post(url, {"decision": "reject", "reason": "Say where it meets."})
    added.refresh_from_db()
    assert added.listing_status == ListingStatus.REJECTED
    history = client_for(member).get(f"/directory/manage/service/{added.uuid}/history/").content.decode()
    assert "Say where it meets." in history

    response = client_for(member).post(edit_url(added), service_form(description="Meets at Abbey Hall."), follow=True)
    assert "sent to an officer to approve again" in response.content.decode()
    added.refresh_from_db()
    assert (added.listing_status, added.description) == (ListingStatus.PENDING, "Meets at Abbey Hall.")


def test_only_services_locations_and_assets_can_be_added_to_a_listing(officer: User, group: Organisation) -> None:
    for kind in ("organisation", "claim"):
        with pytest.raises(services.DirectoryError, match=f"A {kind} cannot be added to an organisation's listing."):
            services.add_listing(kind=kind, organisation=group, values={"name": "x"}, by=officer)


def test_an_officer_adds_a_service_that_is_published_at_once(officer: User, group: Organisation) -> None:
    result = services.add_listing(kind="service", organisation=group, values=service_form_values(), by=officer)
    assert result.outcome == "published"
    assert result.record.listing_status == ListingStatus.PUBLISHED


def service_form_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Repair café",
        "description": "Bring broken things.",
        "in_person": True,
        "is_free": True,
    }
    values.update(overrides)
    return values


# --- only a group's own members ----------------------------------------------------------------------------


def test_a_member_cannot_change_another_groups_service_even_with_a_crafted_post(
    client_for: Callable[..., Client], member: User, other_group: Organisation
) -> None:
    theirs = ServiceFactory(organisation=other_group, name="Their service")
    client = client_for(member)
    assert client.get(edit_url(theirs)).status_code == 403
    response = client.post(edit_url(theirs), service_form(name="Taken over"))
    assert response.status_code == 403
    assert "You are not a member of Colliers Wood Gardeners." in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.update_listing(record=theirs, values={"name": "Taken over"}, by=member)
    for path in (
        f"/directory/manage/organisations/{other_group.slug}/services/add/",
        f"/directory/manage/organisations/{other_group.slug}/edit/",
        f"/directory/manage/service/{theirs.uuid}/confirm/",
        f"/directory/manage/service/{theirs.uuid}/withdraw/",
        f"/directory/manage/service/{theirs.uuid}/restore/",
    ):
        assert client.post(path, service_form(name="Taken over")).status_code == 403, path
    theirs.refresh_from_db()
    assert (theirs.name, theirs.listing_status) == ("Their service", ListingStatus.PUBLISHED)
    assert not ChangeRequest.objects.exists()
    assert Service.objects.filter(organisation=other_group).count() == 1


@pytest.mark.parametrize("role", ["resident", "champion", "steward"])
def test_people_without_a_membership_cannot_change_a_listing(
    role: str, make_user: Callable[..., User], client_for: Callable[..., Client], service: Service, mfa_exempt: None
) -> None:
    response = client_for(make_user(role)).post(edit_url(service), service_form(name="Taken over"))
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.name == "Saturday litter pick"


# --- forms keep what was typed --------------------------------------------------------------------------


def test_a_form_with_problems_keeps_everything_typed_and_puts_errors_beside_the_fields(
    client_for: Callable[..., Client], member: User, group: Organisation
) -> None:
    typed = service_form(
        name="",
        description="A long description someone took care over.",
        minimum_age="65",
        maximum_age="18",
        email="not an email",
        is_free="no",
        delivery=[],
        **{"when-1-opens_at": "25:00"},
    )
    response = client_for(member).post(f"/directory/manage/organisations/{group.slug}/services/add/", typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "(error)" in page
    assert 'href="#id_when-1-opens_at">Enter the opening time for time 1 as hours and minutes, like 09:30.</a>' in page
    assert "A long description someone took care over." in page
    assert 'value="65"' in page and 'value="18"' in page and 'value="not an email"' in page
    assert not Service.objects.filter(organisation=group).exists()

    typed["when-1-opens_at"] = "10:00"
    page = (
        client_for(member).post(f"/directory/manage/organisations/{group.slug}/services/add/", typed).content.decode()
    )
    for message in (
        "Enter the name of the service.",
        "The youngest age must not be more than the oldest age.",
        "Enter an email address in the correct format, like name@example.org.",
        "Say what it costs, or tick that it is free.",
        "Choose at least one way people can use the service: in person, by phone or online.",
    ):
        assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page, message
    assert not Service.objects.filter(organisation=group).exists()


def test_a_very_long_name_is_refused_and_kept(
    client_for: Callable[..., Client], member: User, group: Organisation
) -> None:
    long_name = "Litter " * 1500
    page = (
        client_for(member)
        .post(f"/directory/manage/organisations/{group.slug}/services/add/", service_form(name=long_name))
        .content.decode()
    )
    assert "Name must be 200 characters or fewer. You entered 10,499." in page
    assert long_name in page


def test_times_must_make_sense(client_for: Callable[..., Client], member: User, group: Organisation) -> None:
    url = f"/directory/manage/organisations/{group.slug}/services/add/"
    client = client_for(member)
    page = client.post(url, service_form(**{"when-1-closes_at": "09:00"})).content.decode()
    assert "Time 1 closes before it opens. Check the times." in page
    page = client.post(url, service_form(**{"when-1-days": []})).content.decode()
    assert "Choose the days of the week for time 1." in page
    page = client.post(url, service_form(**{"when-1-closes_at": ""})).content.decode()
    assert "Give both the opening and the closing time for time 1." in page
    assert not Service.objects.exists()


def test_categories_come_from_the_vocabulary(
    client_for: Callable[..., Client], officer: User, group: Organisation
) -> None:
    taxonomy = load_starter_vocabulary()
    food_bank = taxonomy.terms.get(code="food-bank")
    page = client_for(officer).get(f"/directory/manage/organisations/{group.slug}/services/add/").content.decode()
    assert "Food: Food banks" in page
    client_for(officer).post(
        f"/directory/manage/organisations/{group.slug}/services/add/",
        service_form(name="Food parcels", terms=[str(food_bank.pk)]),
    )
    assert list(Service.objects.get(name="Food parcels").terms.all()) == [food_bank]
    page = (
        client_for(officer)
        .post(f"/directory/manage/organisations/{group.slug}/services/add/", service_form(terms=["999999"]))
        .content.decode()
    )
    assert "Choose categories from the list." in page


# --- the organisation's own details --------------------------------------------------------------------------


def organisation_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Abbey Litter Pickers",
        "description": "Runs activities for local people.",
        "email": "",
        "website": "",
        "phone": "",
        "postcode": "",
        "size_band": "",
        "charity_number": "",
        "company_number": "",
    }
    data.update(overrides)
    return data


def test_a_members_change_to_the_organisation_waits_and_an_officer_approves_it(
    client_for: Callable[..., Client], member: User, officer: User, group: Organisation, merton: Any
) -> None:
    url = f"/directory/manage/organisations/{group.slug}/edit/"
    client = client_for(member)
    page = client.get(url).content.decode()
    assert "Abbey" in page  # Merton's wards to choose from
    response = client.post(
        url,
        organisation_form(
            description="We pick litter every Saturday.",
            postcode="sw192hl",
            size_band="micro",
            website="https://abbey.example.org",
        ),
        follow=True,
    )
    assert "sent to an officer" in response.content.decode()
    group.refresh_from_db()
    assert group.description == "Runs activities for local people."
    change = ChangeRequest.objects.get()
    assert change.proposed["postcode"] == "SW19 2HL"
    page = client_for(officer).get(f"/directory/moderation/changes/{change.pk}/").content.decode()
    assert "Micro: under £10,000 a year" in page
    services.approve_change(change=change, by=officer)
    group.refresh_from_db()
    assert (group.description, group.postcode, group.size_band) == (
        "We pick litter every Saturday.",
        "SW19 2HL",
        "micro",
    )


def test_organisation_details_are_checked(client_for: Callable[..., Client], member: User, group: Organisation) -> None:
    page = (
        client_for(member)
        .post(
            f"/directory/manage/organisations/{group.slug}/edit/",
            organisation_form(name="", postcode="nowhere", website="not a website", charity_number="12-34"),
        )
        .content.decode()
    )
    for message in (
        "Enter the name of the organisation.",
        "Enter a real postcode, like SW19 2HL.",
        "Enter a web address in the correct format, like https://www.example.org.",
        "A charity number has only letters and numbers, like 1234567.",
    ):
        assert message in page, message
    assert not ChangeRequest.objects.exists()


# --- places and assets ------------------------------------------------------------------------------------


def location_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "location_type": "physical",
        "name": "St Mark's hall",
        "address_1": "1 Abbey Road",
        "address_2": "",
        "city": "London",
        "postcode": "sw19 2hl",
        "description": "",
        "accessibility": "Step-free entrance; hearing loop.",
        "transportation": "",
    }
    data.update(overrides)
    return data


def test_a_place_gets_its_ward_and_point_from_its_postcode(
    client_for: Callable[..., Client], member: User, group: Organisation, abbey_postcode: Any
) -> None:
    client_for(member).post(f"/directory/manage/organisations/{group.slug}/locations/add/", location_form())
    place = Location.objects.get(name="St Mark's hall")
    assert place.postcode == "SW19 2HL"
    assert place.ward == abbey_postcode.ward
    assert (place.latitude, place.longitude) == (abbey_postcode.latitude, abbey_postcode.longitude)
    assert place.accessibility == "Step-free entrance; hearing loop."
    assert place.listing_status == ListingStatus.PENDING


def test_a_postcode_outside_the_area_is_explained(
    client_for: Callable[..., Client], member: User, group: Organisation, abbey_postcode: Any
) -> None:
    url = f"/directory/manage/organisations/{group.slug}/locations/add/"
    page = client_for(member).post(url, location_form(postcode="EC1A 1BB", address_1="")).content.decode()
    assert "EC1A 1BB is not a postcode in" in page
    assert "Enter the first line of the address." in page
    page = client_for(member).post(url, location_form(postcode="banana")).content.decode()
    assert "Enter a real postcode, like SW19 2HL." in page
    assert not Location.objects.exists()


def test_an_online_place_needs_a_name_but_no_address(
    client_for: Callable[..., Client], member: User, group: Organisation
) -> None:
    url = f"/directory/manage/organisations/{group.slug}/locations/add/"
    page = client_for(member).post(url, location_form(location_type="virtual", name="", postcode="")).content.decode()
    assert "Give the online place a name" in page
    client_for(member).post(url, location_form(location_type="virtual", name="Zoom meetings", postcode="x"))
    place = Location.objects.get()
    assert (place.name, place.postcode, place.ward) == ("Zoom meetings", "", None)


def test_a_service_runs_only_at_its_own_organisations_places(
    member: User, group: Organisation, other_group: Organisation, location: Location
) -> None:
    from tests.directory.factories import LocationFactory

    theirs = LocationFactory(organisation=other_group)
    with pytest.raises(services.DirectoryError, match="your organisation's own locations"):
        services.add_listing(
            kind="service", organisation=group, values=service_form_values(locations=[theirs.pk]), by=member
        )
    created = services.add_listing(
        kind="service", organisation=group, values=service_form_values(locations=[location.pk]), by=member
    ).record
    assert list(created.locations.all()) == [location]


def test_changing_a_published_places_accessibility_waits_for_approval(
    client_for: Callable[..., Client], member: User, officer: User, location: Location, abbey_postcode: Any
) -> None:
    url = f"/directory/manage/location/{location.uuid}/edit/"
    client_for(member).post(url, location_form(name=location.name, accessibility="Lift to every floor."))
    location.refresh_from_db()
    assert location.accessibility == ""
    change = ChangeRequest.objects.get()
    assert change.proposed["accessibility"] == "Lift to every floor."
    services.approve_change(change=change, by=officer)
    location.refresh_from_db()
    assert location.accessibility == "Lift to every floor."
    assert location.ward == abbey_postcode.ward


def asset_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "space",
        "name": "Abbey Hall main room",
        "description": "A bright hall.",
        "space_kind": "hall",
        "capacity": "80",
        "how_to_book": "Email the caretaker.",
        "who_can_use": "Community groups",
        "display_name": "",
        "location": "",
        "ward": "",
        "contact_email": "",
        "contact_phone": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("kind", ["gift", "association", "institution", "space", "economic", "cultural"])
def test_a_member_adds_each_kind_of_asset(
    kind: str, client_for: Callable[..., Client], member: User, group: Organisation, location: Location
) -> None:
    extra = {"display_name": "Sam", "gift_consent": "on"} if kind == "gift" else {}
    response = client_for(member).post(
        f"/directory/manage/organisations/{group.slug}/assets/add/",
        asset_form(kind=kind, location=str(location.pk), **extra),
        follow=True,
    )
    assert "An officer will check it before the public can see it." in response.content.decode()
    asset = group.assets.get()
    assert (asset.kind, asset.listing_status, asset.location) == (kind, ListingStatus.PENDING, location)
    assert (asset.latitude, asset.longitude) == (location.latitude, location.longitude)
    if kind == "space":
        assert (asset.space_kind, asset.capacity, asset.how_to_book) == ("hall", 80, "Email the caretaker.")
    else:
        assert (asset.space_kind, asset.capacity) == ("", None)


def test_a_persons_gift_needs_their_consent_and_a_name_to_show(
    client_for: Callable[..., Client], member: User, group: Organisation
) -> None:
    page = (
        client_for(member)
        .post(f"/directory/manage/organisations/{group.slug}/assets/add/", asset_form(kind="gift"))
        .content.decode()
    )
    assert "Confirm that the person has agreed to their gift being listed." in page
    assert "Give the name to show for the person who offers this gift" in page
    assert not group.assets.exists()


def test_an_asset_cannot_be_placed_at_another_groups_location(
    client_for: Callable[..., Client], member: User, group: Organisation, other_group: Organisation
) -> None:
    from tests.directory.factories import LocationFactory

    theirs = LocationFactory(organisation=other_group)
    page = (
        client_for(member)
        .post(f"/directory/manage/organisations/{group.slug}/assets/add/", asset_form(location=str(theirs.pk)))
        .content.decode()
    )
    assert "Choose a place from your organisation&#x27;s own locations." in page
    with pytest.raises(services.DirectoryError, match="own locations"):
        services.add_listing(
            kind="asset", organisation=group, values={"kind": "space", "name": "x", "location": theirs.pk}, by=member
        )


# --- still correct, withdraw, bring back ------------------------------------------------------------------


def test_confirming_a_record_is_still_correct_marks_it_checked_today(
    client_for: Callable[..., Client], member: User, service: Service
) -> None:
    Service.objects.filter(pk=service.pk).update(last_checked_at=timezone.now() - timezone.timedelta(days=500))
    service.refresh_from_db()
    assert service.is_stale
    client = client_for(member)
    assert client.get(f"/directory/manage/service/{service.uuid}/confirm/").status_code == 405
    response = client.post(f"/directory/manage/service/{service.uuid}/confirm/", follow=True)
    assert "Thank you. Saturday litter pick is marked as checked today." in response.content.decode()
    service.refresh_from_db()
    assert not service.is_stale
    assert service.stale_reminded_at is None


def test_an_officer_may_confirm_any_record(
    client_for: Callable[..., Client], officer: User, group: Organisation
) -> None:
    Organisation.objects.filter(pk=group.pk).update(last_checked_at=None)
    client_for(officer).post(f"/directory/manage/organisation/{group.uuid}/confirm/")
    group.refresh_from_db()
    assert not group.is_stale


def test_a_member_withdraws_a_service_and_brings_it_back_for_approval(
    client_for: Callable[..., Client], member: User, officer: User, indexed_service: Service, group: Organisation
) -> None:
    client = client_for(member)
    page = client.get(f"/directory/manage/service/{indexed_service.uuid}/withdraw/").content.decode()
    assert "Are you sure you want to withdraw this service?" in page
    client.post(f"/directory/manage/service/{indexed_service.uuid}/withdraw/")
    indexed_service.refresh_from_db()
    assert indexed_service.listing_status == ListingStatus.WITHDRAWN
    assert public_service_ids(group) == set()

    client.post(f"/directory/manage/service/{indexed_service.uuid}/restore/")
    indexed_service.refresh_from_db()
    assert indexed_service.listing_status == ListingStatus.PENDING
    assert public_service_ids(group) == set()

    services.approve_listing(record=indexed_service, by=officer)
    assert public_service_ids(group) == {indexed_service.pk}


def test_an_officer_brings_a_withdrawn_service_straight_back(
    officer: User, member: User, indexed_service: Service
) -> None:
    services.withdraw_listing(record=indexed_service, by=member)
    services.restore_listing(record=indexed_service, by=officer)
    assert indexed_service.listing_status == ListingStatus.PUBLISHED


def test_withdrawing_an_organisation_takes_its_hall_off_other_groups_services_until_it_is_restored(
    officer: User, group: Organisation, other_group: Organisation, location: Location
) -> None:
    hosted = ServiceFactory(organisation=other_group, name="Gardening club")
    ServiceAtLocationFactory(service=hosted, location=location)
    reindex_services()

    def halls() -> list[int | None]:
        """Where a resident finds the other group's service: the places search shows for it."""
        return [hit.location_id for hit in search_services(SearchQuery(organisation_id=other_group.pk)).hits]

    assert halls() == [location.pk]
    services.withdraw_listing(record=group, by=officer)
    assert halls() == [None]
    services.restore_listing(record=group, by=officer)
    assert halls() == [location.pk]


# --- what the owner sees -------------------------------------------------------------------------------------


def test_the_owners_page_lists_every_record_with_stale_ones_first(
    client_for: Callable[..., Client], member: User, group: Organisation, service: Service, location: Location
) -> None:
    long_ago = timezone.now() - timezone.timedelta(days=800)
    Location.objects.filter(pk=location.pk).update(last_checked_at=long_ago)
    page = client_for(member).get("/directory/manage/").content.decode()
    assert "Abbey Litter Pickers" in page
    assert "1 record needs checking." in page
    table = page[page.index('data-testid="records"') :]
    assert table.index("Abbey Hall") < table.index("Saturday litter pick")
    # The page gives the date in the council's time zone (London): late in a summer evening UTC is the next day.
    assert timezone.localtime(long_ago).strftime("%-d %B %Y") in table
    assert 'data-testid="stale"' in table


def test_hostile_text_is_shown_safely_on_every_page_of_the_listing(
    client_for: Callable[..., Client], member: User, officer: User, group: Organisation, indexed_service: Service
) -> None:
    client_for(member).post(edit_url(indexed_service), service_form(name=HOSTILE, description=HOSTILE * 40))
    added = services.add_listing(
        kind="service", organisation=group, values=service_form_values(name=HOSTILE, description=HOSTILE), by=member
    ).record
    change = ChangeRequest.objects.get()
    paths = [
        (member, "/directory/manage/"),
        (member, f"/directory/manage/organisations/{group.slug}/"),
        (member, edit_url(indexed_service)),
        (member, f"/directory/manage/service/{indexed_service.uuid}/history/"),
        (member, f"/directory/manage/service/{added.uuid}/withdraw/"),
        (officer, "/directory/moderation/"),
        (officer, f"/directory/moderation/changes/{change.pk}/"),
        (officer, f"/directory/moderation/listings/service/{added.uuid}/"),
    ]
    for user, path in paths:
        page = client_for(user).get(path).content.decode()
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page, path
        if "/edit/" not in path:  # the form shows the name inside its input, not as text
            assert "<bdi>&lt;script&gt;" in page, path


def test_an_imported_record_with_gaps_can_still_have_one_thing_corrected(
    client_for: Callable[..., Client], member: User, officer: User, group: Organisation
) -> None:
    imported = ServiceFactory(organisation=group, name="Imported club", description="", in_person=False)
    result = services.update_listing(record=imported, values={"phone": "020 8545 0000"}, by=member)
    assert result.outcome == "held"
    services.approve_change(change=result.change, by=officer)
    imported.refresh_from_db()
    assert imported.phone == "020 8545 0000"
    with pytest.raises(services.DirectoryError, match="Enter the name of the service."):
        services.update_listing(record=imported, values={"name": ""}, by=member)


def test_the_member_hears_what_became_of_their_changes(
    client_for: Callable[..., Client],
    member: User,
    officer: User,
    indexed_service: Service,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    first = services.update_listing(record=indexed_service, values={"phone": "020 1"}, by=member).change
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_change(change=first, by=officer, reason="That number is not in London.")
    second = services.update_listing(record=indexed_service, values={"phone": "020 8545 0000"}, by=member).change
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_change(change=second, by=officer)

    assert [m.subject for m in mail.outbox] == [
        "Your change to Saturday litter pick is not approved",
        "Your change to Saturday litter pick is published",
    ]
    assert "Their reason: That number is not in London." in mail.outbox[0].body
    page = client_for(member).get("/directory/manage/").content.decode()
    decisions = page[page.index('data-testid="decided-changes"') :]
    assert "That number is not in London." in decisions
    assert "Approved" in decisions and "Not approved" in decisions


def test_an_administrator_changes_any_listing_as_a_moderator_not_as_its_owner(
    client_for: Callable[..., Client], admin: User, group: Organisation, indexed_service: Service
) -> None:
    client = client_for(admin)
    response = client.post(edit_url(indexed_service), service_form(name="Sunday litter pick"), follow=True)
    assert "Your changes to Sunday litter pick are published." in response.content.decode()
    indexed_service.refresh_from_db()
    assert indexed_service.name == "Sunday litter pick"
    assert not ChangeRequest.objects.exists()
    # The owner's own way in (the group's account pages) is for its members only.
    assert client.get(f"/account/organisations/{group.slug}/edit/").status_code == 403
    # Withdrawn, the listing comes back through the moderator's step (published again), not the owner's.
    services.withdraw_listing(record=indexed_service, by=admin)
    services.restore_listing(record=indexed_service, by=admin)
    indexed_service.refresh_from_db()
    assert indexed_service.listing_status == ListingStatus.PUBLISHED
