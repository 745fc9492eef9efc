"""Permission-matrix rows for engagement's forums area (see tests/test_permission_matrix.py).

The calendar, an event's page, its .ics and sign-up are everyone's; crafted empty POSTs are shown again with
their errors (200). The emailed link to give up a place works for whoever holds it, and acts only on a POST.
The officers' event pages are for the department running the event (the matrix's officer runs another
department, so is refused) and the stewards; the councillor pages for stewards and administrators; 'Your wards'
for councillors.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.engagement.forums.services import hash_token
from commonweal.engagement.models import Councillor, Event
from commonweal.engagement.models_forums import Signup
from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, Row, only

TOKEN = "matrix-forums-token-0123456789abcdefghijklmnopqrstuvw"
EVERYONE_SENT_BACK: dict[str, int | str] = dict.fromkeys(ROLES, 302)
NO_POST: dict[str, int | str] = dict.fromkeys(ROLES, 405)
# The officers' pages: anyone running events gets past the door; this event is another department's.
OFFICERS = only("officer", "steward", "admin")
RUNNERS = only("steward", "admin")
# The wrong method is told so before whose event it is is looked at.
RUNNERS_NO_POST = {**RUNNERS, "officer": 405, "steward": 405, "admin": 405}
RUNNERS_SENT_BACK = {**RUNNERS, "steward": 302, "admin": 302}
STEWARDS = only("steward", "admin")
COUNCILLORS = only("councillor")


def _event(t: dict[str, Any]) -> list[Any]:
    return [t["forums_event"].uuid]


def _draft(t: dict[str, Any]) -> list[Any]:
    return [t["forums_draft"].uuid]


def _councillor(t: dict[str, Any]) -> list[Any]:
    return [t["forums_councillor"].pk]


ROWS: list[Row] = [
    ("engagement:events", lambda t: [], "GET", ALL),
    ("engagement:events", lambda t: ["?when=past&ward=1&kind=forum"], "GET", ALL),
    ("engagement:events", lambda t: [], "POST", NO_POST),
    ("engagement:event", _event, "GET", ALL),
    ("engagement:event", _event, "POST", NO_POST),
    # A draft is not public: only those running it see its page.
    ("engagement:event", _draft, "GET", {**dict.fromkeys(ROLES, 404), "steward": 200, "admin": 200}),
    ("engagement:event_ics", _event, "GET", ALL),
    ("engagement:event_ics", _event, "POST", NO_POST),
    ("engagement:event_signup", _event, "GET", ALL),
    ("engagement:event_signup", _event, "POST", ALL),  # empty: re-shown with its errors
    ("engagement:event_signed_up", _event, "GET", EVERYONE_SENT_BACK),  # no sign-up in the session: the event
    ("engagement:event_signed_up", _event, "POST", NO_POST),
    ("engagement:signup_cancel", lambda t: [TOKEN], "GET", ALL),
    ("engagement:signup_cancel", lambda t: ["not-a-real-token"], "GET", dict.fromkeys(ROLES, 404)),
    ("engagement:signup_cancel", lambda t: ["not-a-real-token"], "POST", dict.fromkeys(ROLES, 404)),
    ("engagement:signup_cancel", lambda t: [TOKEN], "POST", ALL),  # whoever holds the link gives the place up
    ("engagement:manage_events", lambda t: [], "GET", OFFICERS),
    ("engagement:manage_events", lambda t: [], "POST", RUNNERS_NO_POST),
    ("engagement:event_new", lambda t: [], "GET", OFFICERS),
    ("engagement:event_new", lambda t: [], "POST", OFFICERS),  # empty: re-shown with its errors
    ("engagement:manage_event", _event, "GET", RUNNERS),
    ("engagement:manage_event", _event, "POST", RUNNERS_NO_POST),
    ("engagement:event_edit", _event, "GET", RUNNERS),
    ("engagement:event_edit", _event, "POST", RUNNERS),  # empty: re-shown with its errors
    ("engagement:event_publish", _draft, "POST", RUNNERS_SENT_BACK),
    ("engagement:event_publish", _draft, "GET", RUNNERS_NO_POST),
    ("engagement:event_cancel", _event, "GET", RUNNERS),
    ("engagement:event_cancel", _event, "POST", RUNNERS),  # no reason: re-shown saying so
    ("engagement:event_signups_csv", _event, "GET", RUNNERS),
    ("engagement:event_signups_csv", _event, "POST", RUNNERS_NO_POST),
    ("engagement:event_notes", _event, "GET", RUNNERS),
    ("engagement:event_notes", _event, "POST", RUNNERS),  # not started yet: re-shown saying so
    ("engagement:councillors", lambda t: [], "GET", STEWARDS),
    ("engagement:councillors", lambda t: [], "POST", STEWARDS),  # empty: re-shown with its errors
    ("engagement:councillor", _councillor, "GET", STEWARDS),
    ("engagement:councillor", _councillor, "POST", STEWARDS),  # no wards: re-shown with its errors
    ("engagement:councillor_remove", _councillor, "GET", STEWARDS),
    ("engagement:councillor_remove", _councillor, "POST", {**STEWARDS, "steward": 302, "admin": 302}),
    ("engagement:ward_engagement", lambda t: [], "GET", COUNCILLORS),
    ("engagement:ward_engagement", lambda t: [], "POST", {**COUNCILLORS, "councillor": 405}),
]
assert all(expected.get("anonymous") in (LOGIN, 200, 302, 404, 405) for *_, expected in ROWS)


def add_targets(targets: dict[str, Any]) -> None:
    """targets['forums_event']: a published event next week in the matrix's ward, with a sign-up holding TOKEN;
    targets['forums_draft']: a draft; targets['forums_councillor']: a councillor for the ward. All run by a
    department none of the matrix's people belong to."""
    department = Organisation.objects.create(
        name="Matrix forums department", slug="matrix-forums-department", kind=Organisation.Kind.COUNCIL_DEPARTMENT
    )
    starts = timezone.now() + timedelta(days=7)
    common = {
        "kind": Event.Kind.FORUM,
        "description": "A forum for the matrix.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "ward": targets["ward"],
        "locality": targets["locality"],
        "department": department,
        "venue_name": "Matrix Hall",
        "capacity": 30,
    }
    targets["forums_event"] = Event.objects.create(title="Matrix forum", status=Event.Status.PUBLISHED, **common)
    targets["forums_draft"] = Event.objects.create(title="Matrix draft forum", **common)
    Signup.objects.create(
        event=targets["forums_event"],
        name="Matrix resident",
        email="matrix@example.org",
        cancel_token=hash_token(TOKEN),
    )
    from commonweal.accounts.models import User
    from commonweal.accounts.roles import Role
    from commonweal.accounts.services import confirm_email, grant_membership

    person = User.objects.create_user("matrix-councillor@example.org", "matrix-password-123", full_name="Cllr Matrix")
    confirm_email(person)
    grant_membership(user=person, role=Role.COUNCILLOR)
    councillor = Councillor.objects.create(user=person, party="Matrix Party")
    councillor.wards.set([targets["ward"]])
    targets["forums_councillor"] = councillor
