"""Events, sign-ups, invitations, notes and councillors, through the services as every page uses them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonweal.accounts.models import Membership
from commonweal.accounts.roles import Role
from commonweal.engagement.errors import EngagementError
from commonweal.engagement.forums import ics, services
from commonweal.engagement.models import Councillor, Event
from commonweal.engagement.models_forums import Cancellation, Invitation, Signup
from commonweal.places.models import Ward
from tests.engagement.forums import factories

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _message(error: EngagementError) -> str:
    return " ".join(error.messages)


# --- signing up ---------------------------------------------------------------------------------------------


def test_a_resident_signs_up_and_is_emailed_the_ics_and_a_link_to_give_up_their_place(
    merton: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = factories.event(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        signup = services.sign_up(
            event=event, name="Ada Lovelace", email="Ada@Example.org", access_needs="Step-free, please", by=None
        )
    assert signup.email == "ada@example.org"
    (sent,) = mail.outbox
    assert sent.to == ["ada@example.org"]
    assert sent.subject == f"You are signed up: {event.title}"
    assert "/engagement/events/give-up-place/" in sent.body
    (attachment,) = sent.attachments
    assert attachment[0] == "event.ics"
    calendar = icalendar.Calendar.from_ical(attachment[1])
    assert str(calendar.walk("VEVENT")[0]["UID"]) == f"{event.uuid}@{ics.UID_DOMAIN}"
    assert signup.cancel_token not in sent.body  # only the hash is kept; the link holds the secret


def test_a_second_sign_up_with_the_same_email_is_told_it_has_one_already(merton: Any) -> None:
    event = factories.event()
    services.sign_up(event=event, name="Ada", email="ada@example.org", by=None)
    with pytest.raises(EngagementError) as refused:
        services.sign_up(event=event, name="Ada again", email="ADA@example.org ", by=None)
    assert refused.value.message_dict["email"] == [
        "You have already signed up to this event with this email address. Check your email."
    ]
    assert Signup.objects.filter(event=event).count() == 1


def test_a_full_event_refuses_another_sign_up_and_a_given_up_place_frees_one(merton: Any) -> None:
    event = factories.event(capacity=2)
    factories.signup(event, 1, token="first-token")
    factories.signup(event, 2)
    with pytest.raises(EngagementError) as refused:
        services.sign_up(event=event, name="Late", email="late@example.org", by=None)
    assert _message(refused.value) == "This event is full."
    services.cancel_signup(token="first-token")
    services.sign_up(event=event, name="Late", email="late@example.org", by=None)
    assert services.active_signups(event).count() == 2


def test_giving_up_a_place_twice_changes_nothing_more(merton: Any) -> None:
    event = factories.event()
    factories.signup(event, token="my-secret-token")
    first = services.cancel_signup(token="my-secret-token")
    again = services.cancel_signup(token="my-secret-token")
    assert first.cancelled_at is not None and again.cancelled_at == first.cancelled_at


@pytest.mark.parametrize("token", ["", "not-a-real-token", "x" * 200])
def test_a_bad_link_is_refused_with_a_clear_message(merton: Any, token: str) -> None:
    factories.signup(factories.event(), token="the-real-one")
    with pytest.raises(services.LinkUnknown) as refused:
        services.cancel_signup(token=token)
    assert "Check you copied the whole link from the email." in _message(refused.value)
    assert Signup.objects.filter(cancelled_at__isnull=False).count() == 0


def test_sign_up_needs_a_name_and_a_real_email_address(merton: Any) -> None:
    with pytest.raises(EngagementError) as refused:
        services.sign_up(event=factories.event(), name=" ", email="not an email", by=None)
    assert refused.value.message_dict == {
        "name": ["Enter your name."],
        "email": ["Enter an email address in the correct format, like name@example.com."],
    }


@pytest.mark.parametrize(
    ("status", "days", "message"),
    [
        (Event.Status.CANCELLED, 7, "This event has been cancelled."),
        (Event.Status.DRAFT, 7, "This event is not open for sign-up."),
        (Event.Status.PUBLISHED, -1, "This event has already started, so sign-up has closed."),
    ],
)
def test_sign_up_is_refused_for_an_event_not_open_to_it(merton: Any, status: str, days: int, message: str) -> None:
    event = factories.event(status=status, starts_at=timezone.now() + timedelta(days=days))
    with pytest.raises(EngagementError) as refused:
        services.sign_up(event=event, name="Ada", email="ada@example.org", by=None)
    assert _message(refused.value) == message


# --- the calendar file ---------------------------------------------------------------------------------------


def test_the_ics_gives_the_times_in_utc_either_side_of_the_clocks_changing(merton: Any) -> None:
    """18:30 in London is 17:30 UTC in summer (BST) and 18:30 UTC in winter (GMT)."""
    year = timezone.localdate().year + 1
    summer = factories.event("Summer forum", starts_at=datetime(year, 7, 1, 18, 30, tzinfo=LONDON))
    winter = factories.event("Winter forum", starts_at=datetime(year, 12, 1, 18, 30, tzinfo=LONDON))
    for made, hour in ((summer, 17), (winter, 18)):
        text = ics.event_calendar(made).decode()
        entry = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
        start = entry.decoded("DTSTART")
        assert start == made.starts_at
        assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
        assert (start.hour, start.minute) == (hour, 30)
        assert entry.decoded("DTEND") - start == timedelta(hours=2)
        assert f"DTSTART:{year}{made.starts_at.month:02d}01T{hour}3000Z" in text
        assert str(entry["LOCATION"]) == "Abbey Community Centre, 1 Abbey Road, London SW19 2HL"
        assert str(entry["URL"]).endswith(f"/engagement/events/{made.uuid}/")
        assert str(entry["UID"]) == f"{made.uuid}@{ics.UID_DOMAIN}"


def test_the_ics_escapes_commas_and_semicolons_and_keeps_its_uid_when_the_event_changes(merton: Any) -> None:
    made = factories.event("Food; growing, and the Wandle")
    first = ics.event_calendar(made).decode()
    assert "SUMMARY:Food\\; growing\\, and the Wandle" in first
    made.title = "Food growing"
    made.save()
    again = icalendar.Calendar.from_ical(ics.event_calendar(made)).walk("VEVENT")[0]
    assert str(again["UID"]) == f"{made.uuid}@{ics.UID_DOMAIN}"
    assert str(again["SUMMARY"]) == "Food growing"


# --- publishing and inviting --------------------------------------------------------------------------------


def test_publishing_invites_only_that_wards_councillors_once(
    make_user: Any,
    officer: Any,
    department_of: Any,
    abbey: Ward,
    hillside: Ward,
    django_capture_on_commit_callbacks: Any,
) -> None:
    abbey_cllr = factories.councillor(make_user, abbey, email="abbey@example.org")
    factories.councillor(make_user, hillside, email="hillside@example.org")
    both = factories.councillor(make_user, hillside, abbey, email="both@example.org")
    event = factories.event(department_=department_of, status=Event.Status.DRAFT, ward=abbey)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event=event, by=officer)
    assert sorted(m.to[0] for m in mail.outbox) == ["abbey@example.org", "both@example.org"]
    assert all(m.subject == f"You are invited: {event.title}" and m.attachments for m in mail.outbox)
    assert set(Invitation.objects.values_list("user", flat=True)) == {abbey_cllr.user_id, both.user_id}
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    with pytest.raises(EngagementError):
        services.publish_event(event=event, by=officer)
    assert Invitation.objects.count() == 2


def test_moving_a_published_event_to_another_ward_invites_that_wards_councillors_too(
    make_user: Any, officer: Any, department_of: Any, abbey: Ward, hillside: Ward
) -> None:
    factories.councillor(make_user, abbey)
    hillside_cllr = factories.councillor(make_user, hillside)
    event = factories.event(department_=department_of, status=Event.Status.DRAFT, ward=abbey)
    services.publish_event(event=event, by=officer)
    answers = _answers(department_of, ward_id=hillside.pk)
    services.save_event(answers=answers, by=officer, event=event)
    assert Invitation.objects.filter(event=event, user=hillside_cllr.user).exists()
    assert Invitation.objects.filter(event=event).count() == 2


def test_an_officer_of_another_department_cannot_publish(make_user: Any, merton: Any) -> None:
    event = factories.event(status=Event.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.publish_event(event=event, by=make_user("officer"))


def test_cancelling_emails_everyone_signed_up_with_the_reason(
    officer: Any, department_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = factories.event(department_=department_of)
    factories.signup(event, 1)
    factories.signup(event, 2, cancelled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, reason="The hall flooded.", by=officer)
    (sent,) = mail.outbox
    assert sent.to == ["resident1@example.org"]
    assert "The hall flooded." in sent.body
    assert "STATUS:CANCELLED" in str(sent.attachments[0][1])
    assert Cancellation.objects.get(event=event).was_published
    with pytest.raises(EngagementError) as refused:
        services.cancel_event(event=event, reason="Again", by=officer)
    assert _message(refused.value) == "This event has already been cancelled."


def test_cancelling_needs_a_reason(officer: Any, department_of: Any) -> None:
    event = factories.event(department_=department_of)
    with pytest.raises(EngagementError) as refused:
        services.cancel_event(event=event, reason="  ", by=officer)
    assert "reason" in refused.value.message_dict
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


# --- notes --------------------------------------------------------------------------------------------------


def test_notes_cannot_be_published_before_the_event_starts(officer: Any, department_of: Any) -> None:
    event = factories.event(department_=department_of)
    with pytest.raises(EngagementError) as refused:
        services.publish_notes(event=event, notes="What we heard.", by=officer)
    assert refused.value.message_dict["notes"][0].startswith("You can publish the notes once the event has started.")
    event.refresh_from_db()
    assert event.notes == "" and event.notes_published_at is None


def test_notes_are_published_once_the_event_has_started(officer: Any, department_of: Any) -> None:
    event = factories.event(department_=department_of, starts_at=timezone.now() - timedelta(days=2))
    services.publish_notes(event=event, notes="  What we heard.  ", by=officer)
    event.refresh_from_db()
    assert event.notes == "What we heard." and event.notes_published_at is not None


# --- drafting an event --------------------------------------------------------------------------------------


def _answers(department: Any, **overrides: Any) -> services.EventAnswers:
    starts = (timezone.now() + timedelta(days=14)).replace(microsecond=0)
    fields = {
        "kind": Event.Kind.FOCUS_GROUP,
        "title": "Parks focus group",
        "description": "What you want from the parks.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "department_id": department.pk,
        "venue_name": "Morden Library",
        "capacity": 12,
        **overrides,
    }
    return services.EventAnswers(**fields)


def test_an_event_must_end_after_it_starts_have_places_and_be_in_this_councils_ward(
    officer: Any, department_of: Any, merton: Any
) -> None:
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(EngagementError) as refused:
        services.save_event(
            answers=_answers(
                department_of, ends_at=starts - timedelta(hours=1), starts_at=starts, capacity=0, ward_id=999999
            ),
            by=officer,
        )
    assert refused.value.message_dict == {
        "ends_at": ["The event must end after it starts."],
        "capacity": ["The number of places must be 1 or more, or left empty for no limit."],
        "ward": ["Choose a ward of this council from the list."],
    }
    assert not Event.objects.exists()


def test_an_officer_links_only_their_own_departments_consultations(
    officer: Any, department_of: Any, merton: Any
) -> None:
    from tests.engagement.factories import consultation

    theirs = consultation("Theirs", department_=department_of)
    others = consultation("Another department's")
    with pytest.raises(EngagementError) as refused:
        services.save_event(answers=_answers(department_of, consultation_id=others.pk), by=officer)
    assert refused.value.message_dict == {
        "consultation": ["Choose a consultation the department running the event runs."]
    }
    made = services.save_event(answers=_answers(department_of, consultation_id=theirs.pk), by=officer)
    assert made.consultation == theirs and made.status == Event.Status.DRAFT and made.organised_by == officer


def test_an_officer_cannot_run_an_event_for_another_department(officer: Any, merton: Any) -> None:
    from tests.engagement.factories import department

    with pytest.raises(EngagementError) as refused:
        services.save_event(answers=_answers(department("Someone else's")), by=officer)
    assert "department" in refused.value.message_dict


# --- councillors ---------------------------------------------------------------------------------------------


def test_a_steward_appoints_a_councillor_changes_their_wards_and_removes_them(
    make_user: Any, abbey: Ward, hillside: Ward
) -> None:
    from auditlog.models import LogEntry

    steward = make_user("steward")
    person = make_user("resident", email="cllr.jones@example.org")
    made = services.appoint_councillor(
        email="CLLR.JONES@example.org", ward_ids=[abbey.pk], party="Independent", by=steward
    )
    assert made.user == person and list(made.wards.all()) == [abbey]
    assert Membership.objects.filter(user=person, role=Role.COUNCILLOR).exists()
    services.change_councillor(councillor=made, ward_ids=[hillside.pk, abbey.pk], party="", by=steward)
    assert set(made.wards.all()) == {abbey, hillside}
    services.remove_councillor(councillor=made, by=steward)
    assert not Membership.objects.filter(user=person, role=Role.COUNCILLOR).exists()
    assert not Councillor.objects.filter(user=person).exists()
    person.refresh_from_db()
    assert person.is_active  # their account stays
    logged = LogEntry.objects.filter(actor=steward)
    assert logged.filter(content_type__model="membership", action=LogEntry.Action.DELETE).exists()
    assert logged.filter(content_type__model="councillor").exists()


def test_appointing_someone_without_an_account_or_without_wards_says_why(make_user: Any, abbey: Ward) -> None:
    steward = make_user("steward")
    with pytest.raises(EngagementError) as refused:
        services.appoint_councillor(email="nobody@example.org", ward_ids=[abbey.pk], by=steward)
    assert refused.value.message_dict["email"] == [
        "There is no account with the email address nobody@example.org. Ask them to create one first."
    ]
    make_user("resident", email="someone@example.org")
    with pytest.raises(EngagementError) as refused:
        services.appoint_councillor(email="someone@example.org", ward_ids=[], by=steward)
    assert refused.value.message_dict["wards"] == ["Choose at least one ward they represent."]
    assert not Councillor.objects.exists()


def test_appointing_someone_twice_is_refused(make_user: Any, abbey: Ward) -> None:
    steward = make_user("steward")
    make_user("resident", email="someone@example.org")
    services.appoint_councillor(email="someone@example.org", ward_ids=[abbey.pk], by=steward)
    with pytest.raises(EngagementError) as refused:
        services.appoint_councillor(email="someone@example.org", ward_ids=[abbey.pk], by=steward)
    assert "is already a ward councillor" in refused.value.message_dict["email"][0]


def test_only_stewards_and_administrators_appoint_councillors(make_user: Any, abbey: Ward) -> None:
    make_user("resident", email="someone@example.org")
    with pytest.raises(PermissionDenied):
        services.appoint_councillor(email="someone@example.org", ward_ids=[abbey.pk], by=make_user("officer"))
    services.appoint_councillor(email="someone@example.org", ward_ids=[abbey.pk], by=make_user("admin"))


def test_the_time_is_said_in_london_time(merton: Any) -> None:
    year = timezone.localdate().year + 1
    made = factories.event(starts_at=datetime(year, 7, 1, 17, 30, tzinfo=UTC), hours=1)
    assert services.when(made).endswith(", 6:30pm to 7:30pm")


def test_moving_a_published_event_emails_everyone_signed_up_the_new_time(
    officer: Any, department_of: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = factories.event(department_=department_of)
    factories.signup(event, 1)
    later = event.starts_at + timedelta(days=1)
    answers = _answers(
        department_of, kind=event.kind, title=event.title, starts_at=later, ends_at=later + timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(answers=answers, by=officer, event=event)
    (sent,) = mail.outbox
    assert sent.to == ["resident1@example.org"] and sent.subject == f"Changed: {event.title}"
    entry = icalendar.Calendar.from_ical(str(sent.attachments[0][1])).walk("VEVENT")[0]
    assert entry.decoded("DTSTART") == later
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the same time and place again: nobody is emailed
        services.save_event(answers=answers, by=officer, event=event)
    assert mail.outbox == []
