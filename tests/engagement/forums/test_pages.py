"""The forums pages as people use them: the calendar and its filters, an event's page, signing up and giving a
place up, the officers' pages, the councillor pages and a councillor's wards."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.engagement.forums import views
from commonweal.engagement.models import Councillor, Event
from commonweal.engagement.models_forums import Signup
from commonweal.places.models import Locality, Ward
from tests.engagement import factories as consultations
from tests.engagement.forums import factories

pytestmark = pytest.mark.django_db
EVENTS = reverse("engagement:events")


def _calendar(client: Client, query: str = "") -> str:
    response = client.get(f"{EVENTS}{query}")
    assert response.status_code == 200
    return response.content.decode()


# --- the calendar ---------------------------------------------------------------------------------------------


def test_the_calendar_shows_published_events_to_come_by_month(client: Client, merton: Any) -> None:
    soon = factories.event("Soon forum", starts_at=timezone.now() + timedelta(days=3))
    later = factories.event("Later focus group", starts_at=timezone.now() + timedelta(days=70))
    factories.event("Draft forum", status=Event.Status.DRAFT)
    factories.event("Past forum", starts_at=timezone.now() - timedelta(days=5))
    page = _calendar(client)
    assert "Soon forum" in page and "Later focus group" in page
    assert "Draft forum" not in page and "Past forum" not in page
    assert page.index("Soon forum") < page.index("Later focus group")
    assert timezone.localtime(later.starts_at).strftime("%B %Y") in page
    assert timezone.localtime(soon.starts_at).strftime("%B %Y") in page


def test_the_calendar_filters_by_ward_area_and_kind(client: Client, merton: Any) -> None:
    abbey, hillside = Ward.objects.get(name="Abbey"), Ward.objects.get(name="Hillside")
    wimbledon = Locality.objects.create(council=merton, name="Wimbledon test area", slug="wimbledon-test")
    wimbledon.wards.add(hillside)
    factories.event("Abbey forum", ward=abbey)
    factories.event("Hillside drop-in", ward=hillside, kind=Event.Kind.DROP_IN)
    factories.event("Area pitch", locality=wimbledon, kind=Event.Kind.BIG_CONVERSATION)
    by_ward = _calendar(client, f"?ward={abbey.pk}")
    assert "Abbey forum" in by_ward and "Hillside drop-in" not in by_ward
    by_area = _calendar(client, f"?locality={wimbledon.pk}")
    assert "Hillside drop-in" in by_area and "Area pitch" in by_area and "Abbey forum" not in by_area
    by_kind = _calendar(client, "?kind=big_conversation")
    assert "Area pitch" in by_kind and "Abbey forum" not in by_kind
    crafted = _calendar(client, "?ward=nonsense&kind=<script>")
    assert "Abbey forum" in crafted  # a bad filter is ignored, never a 500


def test_past_events_show_with_a_link_to_their_notes(client: Client, merton: Any) -> None:
    factories.event(
        "Old forum", starts_at=timezone.now() - timedelta(days=10), notes="We heard.", notes_published_at=timezone.now()
    )
    factories.event("Upcoming forum")
    page = _calendar(client, "?when=past")
    assert "Old forum" in page and "Upcoming forum" not in page
    assert "Read the notes" in page


def test_the_calendar_costs_the_same_queries_for_2_events_as_for_25(
    client: Client, merton: Any, django_assert_max_num_queries: Any
) -> None:
    ward = Ward.objects.get(name="Abbey")
    for n in range(2):
        factories.signup(factories.event(f"Forum {n}", ward=ward, capacity=10), n)
    client.get(EVENTS)
    with django_assert_max_num_queries(8) as few:
        client.get(EVENTS)
    for n in range(2, 25):
        factories.signup(factories.event(f"Forum {n}", ward=ward, capacity=10), n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(EVENTS).content.decode()
    assert "9 places left" in page
    assert "Page 1 of 2" in page


# --- an event -------------------------------------------------------------------------------------------------


def test_an_events_page_says_what_when_where_access_and_links_its_consultation(client: Client, merton: Any) -> None:
    about = consultations.consultation("Our plan for Mitcham high street", slug="high-street-plan")
    event = factories.event(
        consultation=about,
        step_free=True,
        hearing_loop=True,
        accessibility="The nearest step-free station is Wimbledon.",
        capacity=20,
        starts_at=timezone.now() + timedelta(days=5),
    )
    factories.signup(event)
    page = client.get(reverse("engagement:event", args=[event.uuid])).content.decode()
    assert event.title in page and "Abbey Community Centre" in page and "1 Abbey Road" in page
    assert "Step-free access" in page and "Hearing loop" in page and "No accessible toilet" in page
    assert "The nearest step-free station is Wimbledon." in page
    assert "19 places left" in page
    assert 'href="/engagement/consultations/high-street-plan/"' in page
    assert reverse("engagement:event_ics", args=[event.uuid]) in page
    assert reverse("engagement:event_signup", args=[event.uuid]) in page


def test_the_ics_download_is_a_calendar_file(client: Client, merton: Any) -> None:
    event = factories.event()
    response = client.get(reverse("engagement:event_ics", args=[event.uuid]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="event.ics"'
    assert b"BEGIN:VCALENDAR" in response.content and f"UID:{event.uuid}".encode() in response.content


def test_a_cancelled_event_says_so_and_why_and_offers_no_sign_up(
    client: Client, officer: Any, department_of: Any
) -> None:
    from commonweal.engagement.forums import services

    event = factories.event(department_=department_of)
    services.cancel_event(event=event, reason="The hall flooded.", by=officer)
    page = client.get(reverse("engagement:event", args=[event.uuid])).content.decode()
    assert "This event has been cancelled." in page and "The hall flooded." in page
    assert reverse("engagement:event_signup", args=[event.uuid]) not in page
    assert "Cancelled event" not in _calendar(client)


def test_a_councillor_invited_sees_you_are_invited(
    client: Client, make_user: Any, officer: Any, department_of: Any
) -> None:
    from commonweal.engagement.forums import services

    abbey = Ward.objects.get(name="Abbey")
    invited = factories.councillor(make_user, abbey)
    other = factories.councillor(make_user, Ward.objects.get(name="Hillside"))
    event = factories.event(department_=department_of, status=Event.Status.DRAFT, ward=abbey)
    services.publish_event(event=event, by=officer)
    client.force_login(invited.user)
    assert "You are invited" in client.get(reverse("engagement:event", args=[event.uuid])).content.decode()
    client.force_login(other.user)
    assert "You are invited" not in client.get(reverse("engagement:event", args=[event.uuid])).content.decode()


# --- signing up -----------------------------------------------------------------------------------------------


def test_a_resident_signs_up_and_gives_up_their_place_by_the_emailed_link(
    client: Client, merton: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = factories.event(capacity=5)
    url = reverse("engagement:event_signup", args=[event.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Ada", "email": "ada@example.org", "access_needs": "A quiet space"})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    assert "You are signed up" in done and "ada@example.org" in done
    (path,) = re.findall(r"(/engagement/events/give-up-place/[^/\s]+/)", mail.outbox[0].body)
    assert "Give up my place" in client.get(path).content.decode()
    assert "You have given up your place" in client.post(path).content.decode()
    assert Signup.objects.get().cancelled_at is not None


def test_signing_up_twice_or_to_a_full_event_says_so_beside_the_form(client: Client, merton: Any) -> None:
    event = factories.event(capacity=1)
    url = reverse("engagement:event_signup", args=[event.uuid])
    client.post(url, {"name": "Ada", "email": "ada@example.org"})
    again = client.post(url, {"name": "Ada", "email": "ada@example.org"}).content.decode()
    assert "This event is full." in again  # the one place is Ada's
    event.capacity = 5
    event.save()
    again = client.post(url, {"name": "Ada", "email": "ada@example.org"}).content.decode()
    assert "You have already signed up to this event with this email address." in again
    assert 'value="Ada"' in again  # nothing typed is lost
    assert Signup.objects.count() == 1


def test_a_bad_give_up_link_is_a_clear_404(client: Client, merton: Any) -> None:
    response = client.get(reverse("engagement:signup_cancel", args=["no-such-token"]))
    assert response.status_code == 404
    assert "Check you copied the whole link from the email." in response.content.decode()


def test_anonymous_sign_ups_are_limited_per_address(client: Client, merton: Any, settings: Any) -> None:
    event = factories.event()
    url = reverse("engagement:event_signup", args=[event.uuid])
    for n in range(views.SIGNUPS_PER_ADDRESS.limit):
        assert client.post(url, {"name": "Bot", "email": f"bot{n}@example.org"}).status_code == 302
    refused = client.post(url, {"name": "Bot", "email": "one-more@example.org"})
    assert refused.status_code == 429
    assert "Too many sign-ups have been sent from here in the last hour." in refused.content.decode()
    assert Signup.objects.count() == views.SIGNUPS_PER_ADDRESS.limit


def test_a_signed_in_resident_signs_up_with_their_accounts_address(client: Client, make_user: Any, merton: Any) -> None:
    person = make_user("resident", email="me@example.org")
    client.force_login(person)
    event = factories.event()
    response = client.post(reverse("engagement:event_signup", args=[event.uuid]), {"name": "Me", "email": "x@y.z"})
    assert response.status_code == 302
    signup = Signup.objects.get()
    assert signup.email == "me@example.org" and signup.user == person
    assert (
        "You are signed up, as me@example.org."
        in client.get(reverse("engagement:event", args=[event.uuid])).content.decode()
    )


# --- officers --------------------------------------------------------------------------------------------------


def _form(department: Any, **overrides: str) -> dict[str, str]:
    day = timezone.localdate() + timedelta(days=10)
    return {
        "kind": "focus_group",
        "title": "Parks focus group",
        "description": "What you want from the parks.",
        "starts_at_day": str(day.day),
        "starts_at_month": str(day.month),
        "starts_at_year": str(day.year),
        "starts_at_time": "18:30",
        "ends_at_day": str(day.day),
        "ends_at_month": str(day.month),
        "ends_at_year": str(day.year),
        "ends_at_time": "8pm",
        "department": str(department.pk),
        "venue_name": "Morden Library",
        "access": ["step_free", "bsl"],
        "capacity": "12",
        **overrides,
    }


def test_an_officer_drafts_publishes_and_lists_an_event(
    client: Client, officer: Any, department_of: Any, merton: Any
) -> None:
    client.force_login(officer)
    response = client.post(reverse("engagement:event_new"), _form(department_of))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.step_free and event.bsl and not event.hearing_loop and event.capacity == 12
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "18:30"
    assert "Parks focus group" in client.get(reverse("engagement:manage_events")).content.decode()
    assert client.post(reverse("engagement:event_publish", args=[event.uuid])).status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert "Parks focus group" in _calendar(client)


def test_bad_event_details_are_told_beside_each_field_and_kept(
    client: Client, officer: Any, department_of: Any, merton: Any
) -> None:
    client.force_login(officer)
    page = client.post(
        reverse("engagement:event_new"),
        _form(department_of, ends_at_time="5pm", capacity="0", starts_at_month="13"),
    ).content.decode()
    assert "The start must be a real date" in page
    assert 'value="Parks focus group"' in page
    page = client.post(
        reverse("engagement:event_new"), _form(department_of, ends_at_time="5pm", capacity="0")
    ).content.decode()
    assert "The event must end after it starts." in page
    assert "The number of places must be 1 or more, or left empty for no limit." in page
    assert "govuk-error-summary" in page
    assert not Event.objects.exists()


def test_the_sign_up_list_and_csv_are_for_those_running_the_event(
    client: Client, officer: Any, department_of: Any, make_user: Any
) -> None:
    event = factories.event(department_=department_of)
    factories.signup(event, name="=cmd()", access_needs="Wheelchair user")
    client.force_login(officer)
    page = client.get(reverse("engagement:manage_event", args=[event.uuid])).content.decode()
    assert "Wheelchair user" in page
    response = client.get(reverse("engagement:event_signups_csv", args=[event.uuid]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Name", "Email address", "Access needs", "Signed up"]
    assert rows[1][:3] == ["'=cmd()", "resident1@example.org", "Wheelchair user"]
    client.force_login(make_user("officer"))
    assert client.get(reverse("engagement:manage_event", args=[event.uuid])).status_code == 403
    assert client.get(reverse("engagement:event_signups_csv", args=[event.uuid])).status_code == 403


def test_notes_before_the_event_are_refused_and_after_it_are_published(
    client: Client, officer: Any, department_of: Any
) -> None:
    event = factories.event(department_=department_of)
    client.force_login(officer)
    url = reverse("engagement:event_notes", args=[event.uuid])
    page = client.post(url, {"notes": "What we heard."}).content.decode()
    assert "You can publish the notes once the event has started." in page
    event.starts_at = timezone.now() - timedelta(hours=3)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save()
    assert client.post(url, {"notes": "What we heard."}).status_code == 302
    assert "What we heard." in client.get(reverse("engagement:event", args=[event.uuid])).content.decode()


def test_officers_list_costs_the_same_queries_for_2_events_as_for_25(
    client: Client, make_user: Any, merton: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_user("steward"))
    for n in range(2):
        factories.event(f"Forum {n}")
    client.get(reverse("engagement:manage_events"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("engagement:manage_events"))
    for n in range(2, 25):
        factories.event(f"Forum {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("engagement:manage_events"))


# --- councillors --------------------------------------------------------------------------------------------


def test_a_steward_appoints_and_removes_a_councillor_through_the_pages(
    client: Client, make_user: Any, merton: Any
) -> None:
    abbey = Ward.objects.get(name="Abbey")
    person = make_user("resident", email="cllr@example.org")
    client.force_login(make_user("steward"))
    url = reverse("engagement:councillors")
    page = client.post(url, {"email": "nobody@example.org", "wards": [abbey.pk]}).content.decode()
    assert "There is no account with the email address nobody@example.org." in page
    assert client.post(url, {"email": "cllr@example.org", "wards": [abbey.pk], "party": "Green"}).status_code == 302
    councillor = Councillor.objects.get(user=person)
    assert "cllr@example.org" in client.get(url).content.decode()
    assert client.post(reverse("engagement:councillor_remove", args=[councillor.pk])).status_code == 302
    assert not person.has_role("councillor")


def test_a_councillor_sees_only_their_wards(client: Client, make_user: Any, merton: Any) -> None:
    abbey, hillside = Ward.objects.get(name="Abbey"), Ward.objects.get(name="Hillside")
    councillor = factories.councillor(make_user, abbey)
    ours = consultations.consultation("Abbey's consultation", slug="abbey-consultation")
    ours.wards.set([abbey])
    consultations.response(ours)
    theirs = consultations.consultation("Hillside's consultation", slug="hillside-consultation")
    theirs.wards.set([hillside])
    draft = consultations.consultation("Draft for Abbey", slug="abbey-draft", status="draft")
    draft.wards.set([abbey])
    factories.event("Abbey forum", ward=abbey)
    factories.event("Hillside forum", ward=hillside)
    client.force_login(councillor.user)
    page = client.get(reverse("engagement:ward_engagement")).content.decode()
    assert "Abbey&#x27;s consultation" in page
    assert "Hillside forum" not in page and "Hillside&#x27;s consultation" not in page
    assert "Draft for Abbey" not in page
    assert "Abbey forum" in page
    assert 'href="/engagement/manage/consultations/abbey-consultation/results/"' in page
    home = client.get(reverse("home:your_home")).content.decode()
    assert "Your wards" in home and reverse("engagement:ward_engagement") in home


def test_your_wards_costs_the_same_queries_for_2_consultations_and_events_as_for_20(
    client: Client, make_user: Any, merton: Any, django_assert_max_num_queries: Any
) -> None:
    abbey = Ward.objects.get(name="Abbey")
    councillor = factories.councillor(make_user, abbey)
    client.force_login(councillor.user)

    def add(n: int) -> None:
        made = consultations.consultation(f"Consultation {n}", slug=f"consultation-{n}", questions=False)
        made.wards.set([abbey])
        factories.event(f"Forum {n}", ward=abbey)

    for n in range(2):
        add(n)
    client.get(reverse("engagement:ward_engagement"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("engagement:ward_engagement"))
    for n in range(2, 20):
        add(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("engagement:ward_engagement")).content.decode()
    assert page.count('data-testid="ward-consultation"') == 20


def test_the_councillors_list_costs_the_same_queries_for_2_councillors_as_for_20(
    client: Client, make_user: Any, merton: Any, django_assert_max_num_queries: Any
) -> None:
    wards = list(Ward.objects.order_by("name")[:3])
    client.force_login(make_user("steward"))
    for _ in range(2):
        factories.councillor(make_user, *wards)
    client.get(reverse("engagement:councillors"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("engagement:councillors"))
    for _ in range(2, 20):
        factories.councillor(make_user, *wards)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("engagement:councillors")).content.decode()
    assert page.count('data-testid="councillor-row"') == 20
