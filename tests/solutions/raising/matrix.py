"""Permission-matrix rows for the raising area (see tests/test_permission_matrix.py).

Anyone, signed in or not, may raise a blockage; crafted empty POSTs are shown again with their errors (200), or,
with no draft to check or join, sent back to the form (302). Joining needs an account. The emailed link works
for whoever holds it, and its page confirms only on a POST.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.solutions.models import Blockage, Category
from commonweal.solutions.raising.services import hash_token
from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row

TOKEN = "matrix-raising-token-0123456789abcdefghijklmnopqrstuv"
EVERYONE_SENT_BACK: dict[str, int | str] = dict.fromkeys(ROLES, 302)
NO_POST: dict[str, int | str] = dict.fromkeys(ROLES, 405)
SIGNED_IN_SENT_BACK: dict[str, int | str] = {**EVERYONE_SENT_BACK, "anonymous": LOGIN}
SIGNED_IN_NO_POST: dict[str, int | str] = {**NO_POST, "anonymous": LOGIN}

ROWS: list[Row] = [
    ("solutions:raise", lambda t: [], "GET", ALL),
    ("solutions:raise", lambda t: [], "POST", ALL),  # empty: re-shown with its errors
    ("solutions:raise_check", lambda t: [], "GET", EVERYONE_SENT_BACK),  # no draft: back to the form
    ("solutions:raise_check", lambda t: [], "POST", EVERYONE_SENT_BACK),
    ("solutions:raise_join", lambda t: [], "POST", SIGNED_IN_SENT_BACK),
    ("solutions:raise_join", lambda t: [], "GET", SIGNED_IN_NO_POST),
    ("solutions:raise_sent", lambda t: [], "GET", ALL),
    ("solutions:raise_sent", lambda t: [], "POST", NO_POST),
    ("solutions:confirm", lambda t: [TOKEN], "GET", ALL),
    ("solutions:confirm", lambda t: ["not-a-real-token"], "GET", dict.fromkeys(ROLES, 404)),
    # Whoever holds the link confirms it, and is sent to the page that says where it went.
    ("solutions:confirm", lambda t: [TOKEN], "POST", EVERYONE_SENT_BACK),
    ("solutions:mine", lambda t: [], "GET", SIGNED_IN),
    ("solutions:mine", lambda t: [], "POST", SIGNED_IN_NO_POST),
]


def add_targets(targets: dict[str, Any]) -> None:
    """targets['raising_unconfirmed']: a resident's blockage waiting for its link (TOKEN) to be followed."""
    department = Organisation.objects.create(
        name="Matrix raising department", slug="matrix-raising-department", kind=Organisation.Kind.COUNCIL_DEPARTMENT
    )
    category = Category.objects.create(name="Matrix raising category", slug="matrix-raising-category")
    category.departments.set([department])
    targets["raising_unconfirmed"] = Blockage.objects.create(
        title="Matrix blockage",
        description="Waiting for its email to be confirmed.",
        category=category,
        ward=targets["ward"],
        raiser_name="Matrix resident",
        raiser_email="matrix-resident@example.org",
        confirm_token=hash_token(TOKEN),
        status=Blockage.Status.UNCONFIRMED,
        raised_at=timezone.now(),
    )
