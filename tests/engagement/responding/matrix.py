"""Permission-matrix rows for engagement's responding area (see tests/test_permission_matrix.py).

Anyone, signed in or not, may respond to an open consultation and ask for another format: an empty POST is shown
again with its errors (200). The steps after the first question need a draft, which nobody here has, so they send
everyone back to the start page (302). The emailed links work for whoever holds them; the confirmation counts only
on a POST. 'Your responses' needs an account, and a response that is not yours is not found (404).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commonweal.engagement.models import Response
from commonweal.engagement.models_responding import ResponseConfirmation
from commonweal.engagement.responding.services import hash_token
from tests.conftest import ROLES
from tests.engagement import factories
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row

CONFIRM = "matrix-responding-confirm-0123456789abcdefghijklmnop"
RESUME = "matrix-responding-resume-0123456789abcdefghijklmnopq"
SENT_BACK: dict[str, int | str] = dict.fromkeys(ROLES, 302)
NO_POST: dict[str, int | str] = dict.fromkeys(ROLES, 405)
NOT_FOUND: dict[str, int | str] = dict.fromkeys(ROLES, 404)
SIGNED_IN_NO_POST: dict[str, int | str] = {**NO_POST, "anonymous": LOGIN}
SIGNED_IN_NOT_FOUND: dict[str, int | str] = {**NOT_FOUND, "anonymous": LOGIN}


def _slug(t: dict[str, Any]) -> list[Any]:
    return [t["responding_consultation"].slug]


ROWS: list[Row] = [
    ("engagement:respond", _slug, "GET", ALL),
    ("engagement:respond", _slug, "POST", NO_POST),
    ("engagement:respond_question", lambda t: [*_slug(t), 1], "GET", ALL),
    ("engagement:respond_question", lambda t: [*_slug(t), 1], "POST", ALL),  # empty: 'Choose an answer.'
    ("engagement:respond_question", lambda t: [*_slug(t), 99], "GET", NOT_FOUND),
    ("engagement:respond_about", _slug, "GET", SENT_BACK),
    ("engagement:respond_about", _slug, "POST", SENT_BACK),
    ("engagement:respond_equality", _slug, "GET", SENT_BACK),
    ("engagement:respond_equality", _slug, "POST", SENT_BACK),
    ("engagement:respond_check", _slug, "GET", SENT_BACK),
    ("engagement:respond_check", _slug, "POST", SENT_BACK),
    ("engagement:respond_save", _slug, "GET", SENT_BACK),
    ("engagement:respond_save", _slug, "POST", SENT_BACK),
    ("engagement:responded", _slug, "GET", SENT_BACK),  # nothing sent in this session
    ("engagement:responded", _slug, "POST", NO_POST),
    ("engagement:alternative_formats", _slug, "GET", ALL),
    ("engagement:alternative_formats", _slug, "POST", ALL),  # empty: re-shown with its errors
    ("engagement:alternative_formats_sent", _slug, "GET", ALL),
    ("engagement:alternative_formats_sent", _slug, "POST", NO_POST),
    ("engagement:resume", lambda t: [RESUME], "GET", SENT_BACK),  # this browser holds the draft, and carries on
    ("engagement:resume", lambda t: ["not-a-real-token"], "GET", NOT_FOUND),
    ("engagement:resume", lambda t: [RESUME], "POST", NO_POST),
    ("engagement:confirm_response", lambda t: [CONFIRM], "GET", ALL),
    ("engagement:confirm_response", lambda t: [CONFIRM], "POST", SENT_BACK),
    ("engagement:confirm_response", lambda t: ["not-a-real-token"], "POST", NOT_FOUND),
    ("engagement:your_responses", lambda t: [], "GET", SIGNED_IN),
    ("engagement:your_responses", lambda t: [], "POST", SIGNED_IN_NO_POST),
    # Someone else's response: not found, whoever asks.
    ("engagement:your_response", lambda t: [t["responding_draft"].uuid], "GET", SIGNED_IN_NOT_FOUND),
    ("engagement:your_response", lambda t: [t["responding_draft"].uuid], "POST", SIGNED_IN_NO_POST),
]


def add_targets(found: dict[str, Any]) -> None:
    """An open consultation, a draft waiting for its resume link (RESUME) and one waiting for its confirmation
    link (CONFIRM), neither belonging to anyone in the matrix."""
    consultation = factories.consultation("Matrix responding consultation", slug="matrix-responding")
    now = timezone.now()
    found["responding_consultation"] = consultation
    found["responding_draft"] = Response.objects.create(
        consultation=consultation,
        email="matrix-draft@example.org",
        resume_token=hash_token(RESUME),
        resume_expires_at=now + timedelta(days=30),
    )
    waiting = Response.objects.create(consultation=consultation, email="matrix-confirm@example.org")
    factories_answer = consultation.questions.get(position=1)
    waiting.answers.create(question=factories_answer, choices=[0])
    ResponseConfirmation.objects.create(
        response=waiting,
        token=hash_token(CONFIRM),
        sent_to=waiting.email,
        sent_at=now,
        expires_at=now + timedelta(days=7),
    )
