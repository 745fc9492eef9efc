"""A resident opens an organisation's page and a service's page and finds how to make contact."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.directory.models import Contact, CostOption, Schedule, Service, ServiceAtLocation
from commonweal.framework.models import Element
from tests.directory.factories import LocationFactory, OrganisationFactory

from .conftest import HOSTILE, term, text_of

pytestmark = pytest.mark.django_db


def org_url(organisation: Any) -> str:
    return f"/directory/organisations/{organisation.slug}/"


def service_url(service: Any) -> str:
    return f"/directory/services/{service.uuid}/"


# --- organisation --------------------------------------------------------------------------------


def test_an_organisation_page_has_everything_needed_to_make_contact(
    client: Client, listed: Callable[..., Any], merton: Any, abbey: Any
) -> None:
    group = OrganisationFactory(
        name="Abbey Lunch Club",
        description="Hot lunches for older people.",
        phone="020 8123 4567",
        email="hello@abbeylunch.org.uk",
        website="https://abbeylunch.org.uk",
        charity_number="1234567",
    )
    group.wards_served.add(abbey)
    group.themes.add(Element.objects.filter(kind=Element.Kind.THEME).first())
    listed("Tuesday lunch", organisation=group, places=[(51.418, -0.194, abbey)])
    listed("Secret plans", organisation=group, listing_status="pending")
    response = client.get(org_url(group))
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "Abbey Lunch Club",
        "Hot lunches for older people.",
        "020 8123 4567",
        "hello@abbeylunch.org.uk",
        "https://abbeylunch.org.uk",
        "Tuesday lunch",
        "1 High Street, London, SW19 2HL (Abbey ward)",
        "Wards served Abbey",
        "Charity number 1234567",
        f"Last checked on {timezone.localdate():%-d %B %Y}.",
        "Report a problem with this listing",
        "Is this your organisation? Ask to manage this listing",
    ):
        assert expected in text, expected
    assert "Secret plans" not in text
    page = response.content.decode()
    assert 'href="tel:02081234567"' in page
    assert f'href="/directory/report/organisation/{group.uuid}/"' in page
    assert f'href="/directory/organisations/{group.slug}/claim/"' in page
    assert Element.objects.filter(kind=Element.Kind.THEME).first().name in text


def test_an_organisation_not_checked_for_a_year_is_flagged_stale(client: Client) -> None:
    group = OrganisationFactory(last_checked_at=timezone.now() - timedelta(days=366))
    text = text_of(client.get(org_url(group)))
    assert "more than a year ago. It may be out of date" in text


def test_an_organisation_never_checked_says_so(client: Client) -> None:
    group = OrganisationFactory(last_checked_at=None)
    assert "Nobody has checked this information yet." in text_of(client.get(org_url(group)))


def test_a_website_that_is_not_a_web_address_is_not_linked(client: Client) -> None:
    group = OrganisationFactory(website="javascript:alert(1)")
    assert "javascript:" not in client.get(org_url(group)).content.decode()


def test_an_unknown_organisation_is_not_found(client: Client) -> None:
    assert client.get("/directory/organisations/no-such-group/").status_code == 404


def test_a_pending_organisation_is_hidden_from_the_public_but_shown_to_its_members_and_officers(
    client: Client, make_user: Callable[..., Any], mfa_exempt: None
) -> None:
    group = OrganisationFactory(listing_status="pending")
    assert client.get(org_url(group)).status_code == 404
    client.force_login(make_user("resident"))
    assert client.get(org_url(group)).status_code == 404
    client.force_login(make_user("group_member"))  # a member of another group
    assert client.get(org_url(group)).status_code == 404
    for insider in (make_user("group_member", organisation=group), make_user("officer"), make_user("admin")):
        client.force_login(insider)
        response = client.get(org_url(group))
        assert response.status_code == 200
        assert "This listing is waiting for approval. The public cannot see it yet." in text_of(response)


def test_a_member_sees_their_hidden_services_marked_and_a_link_to_manage(
    client: Client, listed: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    group = OrganisationFactory()
    listed("Waiting service", organisation=group, listing_status="pending")
    client.force_login(make_user("group_member", organisation=group))
    text = text_of(client.get(org_url(group)))
    assert "Waiting service Not public" in text
    assert "Manage this listing" in text
    assert "Ask to manage this listing" not in text


def test_hostile_organisation_text_is_shown_as_text(client: Client) -> None:
    group = OrganisationFactory(name=HOSTILE, description=HOSTILE + " " + "y" * 1900)
    page = client.get(org_url(group)).content.decode()
    assert "<script>alert" not in page
    assert "<bdi>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\u202eevil</bdi>" in page


def test_an_organisation_page_takes_a_handful_of_queries(
    client: Client, listed: Callable[..., Any], abbey: Any, django_assert_max_num_queries: Any
) -> None:
    group = OrganisationFactory()
    group.wards_served.add(abbey)
    for n in range(15):
        listed(f"Service {n}", organisation=group, places=[(51.41, -0.19, abbey)], terms=[])
    with django_assert_max_num_queries(10):
        assert client.get(org_url(group)).status_code == 200


# --- service -------------------------------------------------------------------------------------


@pytest.fixture
def lunch(listed: Callable[..., Any], vocabulary: Any, abbey: Any) -> Service:
    service = listed(
        "Tuesday lunch",
        description="A hot two-course lunch and a chat.",
        eligibility_description="Anyone over 60 who lives in Merton.",
        minimum_age=60,
        is_free=False,
        fees_description="£3.50 a meal",
        in_person=True,
        by_phone=True,
        phone="020 8123 4567",
        email="lunch@example.org",
        url="https://example.org/lunch",
        application_process="Just turn up, or ring to book transport.",
        languages="Polish, Tamil",
        terms=[term("community-meals")],
        places=[(51.418, -0.194, abbey)],
        location_fields={"name": "St Mark's Hall", "accessibility": "Step-free entrance and a hearing loop."},
    )
    Schedule.objects.create(service=service, byday="TU,TH", opens_at=time(12), closes_at=time(14))
    CostOption.objects.create(service=service, option="Meal", amount="3.50")
    Contact.objects.create(service=service, name="Sam Jones", title="Coordinator", phone="07700 900123")
    return service


def test_a_service_page_says_what_who_cost_when_where_and_how(client: Client, lunch: Service) -> None:
    response = client.get(service_url(lunch))
    assert response.status_code == 200
    text = text_of(response)
    for expected in (
        "A hot two-course lunch and a chat.",
        "Ages 60 and over",
        "Anyone over 60 who lives in Merton.",
        "Polish, Tamil",
        "£3.50 a meal",
        "Meal: £3.50",
        "Tuesdays and Thursdays, midday to 2pm",
        "St Mark's Hall",
        "1 High Street, London, SW19 2HL (Abbey ward)",
        "Step-free entrance and a hearing loop.",
        "In person and by phone",
        "020 8123 4567",
        "lunch@example.org",
        "https://example.org/lunch",
        "Sam Jones, Coordinator",
        "Just turn up, or ring to book transport.",
        "Food: Community meals",
        f"Last checked on {timezone.localdate():%-d %B %Y}.",
        "Report a problem with this service",
    ):
        assert expected in text, expected
    page = response.content.decode()
    assert f'href="/directory/report/service/{lunch.uuid}/"' in page
    assert f'href="/directory/organisations/{lunch.organisation.slug}/"' in page
    assert 'href="/directory/?category=community-meals"' in page
    assert "directory-map-data" in page


def test_a_service_open_now_says_so(client: Client, listed: Callable[..., Any]) -> None:
    service = listed("Always open")
    today = Schedule.DAYS[timezone.localtime().weekday()]
    Schedule.objects.create(service=service, byday=today, opens_at=time(0), closes_at=time(23, 59, 59))
    assert "Open now" in text_of(client.get(service_url(service)))


def test_a_service_with_no_hours_or_place_says_how_to_find_out(client: Client, listed: Callable[..., Any]) -> None:
    service = listed("Helpline", in_person=False, by_phone=True, phone="0800 000 000")
    text = text_of(client.get(service_url(service)))
    assert "No opening times have been given." in text
    assert "This service has no place to visit." in text
    assert "All ages" in text


def test_a_stale_service_is_flagged(client: Client, listed: Callable[..., Any]) -> None:
    service = listed("Old", last_checked_at=timezone.now() - timedelta(days=400))
    text = text_of(client.get(service_url(service)))
    assert "more than a year ago" in text


@pytest.mark.parametrize(
    "fields",
    [{"listing_status": "pending"}, {"listing_status": "withdrawn"}, {"status": Service.Status.INACTIVE}],
)
def test_a_hidden_service_is_not_found_by_the_public_but_shown_to_its_managers(
    client: Client, listed: Callable[..., Any], make_user: Callable[..., Any], mfa_exempt: None, fields: dict[str, Any]
) -> None:
    service = listed("Hidden", **fields)
    assert client.get(service_url(service)).status_code == 404
    client.force_login(make_user("group_member"))
    assert client.get(service_url(service)).status_code == 404
    for insider in (make_user("group_member", organisation=service.organisation), make_user("officer")):
        client.force_login(insider)
        response = client.get(service_url(service))
        assert response.status_code == 200
        assert "public cannot see it" in text_of(response)


def test_a_service_of_a_pending_organisation_is_hidden(client: Client, listed: Callable[..., Any]) -> None:
    service = listed("Hidden", organisation=OrganisationFactory(listing_status="pending"))
    assert client.get(service_url(service)).status_code == 404


def test_a_location_waiting_for_approval_is_not_shown_to_the_public(client: Client, listed: Callable[..., Any]) -> None:
    service = listed("Lunch")
    ServiceAtLocation.objects.create(
        service=service, location=LocationFactory(name="Unapproved hall", listing_status="pending")
    )
    assert "Unapproved hall" not in text_of(client.get(service_url(service)))


def test_a_schedule_in_words() -> None:
    from commonweal.directory.queries import schedule_line

    def words(**fields: Any) -> str:
        line = schedule_line(Schedule(**fields))
        return f"{line.words}. {line.note}" if line.note else line.words

    assert words(byday="MO,TU,WE,TH,FR", opens_at=time(9, 30), closes_at=time(17)) == "Monday to Friday, 9:30am to 5pm"
    assert words(byday="SA", opens_at=time(0), closes_at=time(12)) == "Saturdays, midnight to midday"
    assert words(byday="MO,TU,WE,TH,FR,SA,SU", opens_at=time(8), closes_at=time(20)) == "Every day, 8am to 8pm"
    assert words(byday="MO,WE,FR") == "Mondays, Wednesdays and Fridays"
    assert words(freq="MONTHLY", bymonthday="1", description="First of the month") == (
        "Every month on day 1. First of the month"
    )
    assert words(byday="TU", opens_at=time(10), closes_at=time(11), valid_to=date(2026, 3, 31)) == (
        "Tuesdays, 10am to 11am (until 31 March 2026)"
    )


def test_hostile_service_text_is_shown_as_text(client: Client, listed: Callable[..., Any], abbey: Any) -> None:
    service = listed(
        HOSTILE,
        description=HOSTILE * 100,
        eligibility_description=HOSTILE,
        places=[(51.4, -0.2, abbey)],
        location_fields={"name": HOSTILE, "accessibility": HOSTILE},
    )
    Schedule.objects.create(service=service, byday="MO", description=HOSTILE)
    page = client.get(service_url(service)).content.decode()
    assert "<script>alert" not in page
    assert page.count("<bdi>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\u202eevil</bdi>") >= 2


def test_a_service_page_takes_a_handful_of_queries(
    client: Client, lunch: Service, listed: Callable[..., Any], abbey: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        location = LocationFactory(organisation=lunch.organisation, ward=abbey)
        place = ServiceAtLocation.objects.create(service=lunch, location=location)
        Schedule.objects.create(service=lunch, service_at_location=place, byday="MO", opens_at=time(n + 1))
    with django_assert_max_num_queries(12):
        assert client.get(service_url(lunch)).status_code == 200
