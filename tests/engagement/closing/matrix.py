"""Permission-matrix rows for engagement's closing area (see tests/test_permission_matrix.py).

targets['closing_closed'] is a closed consultation of a department of its own (so the matrix's officer, of
another department, may not close it; stewards and administrators may). targets['closing_decided'] has its
'we did' published, with a decision paper. Crafted POSTs are empty: a steward's empty close form is kept as a
(blank) draft (302); an empty publish is refused with its problems beside the fields (200); everyone else is
refused and nothing is written.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, Row, only

RUNNERS = only("steward", "admin")
SIGNED_IN_405 = {role: (LOGIN if role == "anonymous" else 405) for role in ROLES}
ALL_405 = dict.fromkeys(ROLES, 405)


def _closed(t: dict[str, Any]) -> list[Any]:
    return [t["closing_closed"].slug]


def _decided(t: dict[str, Any]) -> list[Any]:
    return [t["closing_decided"].slug]


def _paper(t: dict[str, Any]) -> list[Any]:
    return [t["closing_decided"].slug, t["closing_paper"].pk]


ROWS: list[Row] = [
    # The close form: those who run the consultation (here, the stewards and administrators).
    ("engagement:close", _closed, "GET", RUNNERS),
    ("engagement:close", _closed, "POST", {**RUNNERS, "steward": 302, "admin": 302}),
    ("engagement:close_preview", _closed, "GET", RUNNERS),
    ("engagement:close_preview", _closed, "POST", SIGNED_IN_405),
    ("engagement:close_publish", _closed, "GET", SIGNED_IN_405),
    ("engagement:close_publish", _closed, "POST", RUNNERS),
    # Sending the remaining emails: those who run it; this one is not decided, so a runner is told why (200).
    ("engagement:close_send", _closed, "GET", SIGNED_IN_405),
    ("engagement:close_send", _closed, "POST", RUNNERS),
    # The list of 'we did' due: officers (their department's) and the stewards.
    ("engagement:we_did_due", lambda t: [], "GET", only("officer", "steward", "admin")),
    ("engagement:we_did_due", lambda t: [], "POST", SIGNED_IN_405),
    # The public pages: everyone.
    ("engagement:we_did", _decided, "GET", ALL),
    ("engagement:we_did", _decided, "POST", ALL_405),
    ("engagement:we_did_paper", _paper, "GET", ALL),
    ("engagement:we_did_paper", _paper, "POST", ALL_405),
    ("engagement:we_asked", lambda t: [], "GET", ALL),
    ("engagement:we_asked", lambda t: ["?ward=1&theme=x"], "GET", ALL),
    ("engagement:we_asked", lambda t: [], "POST", ALL_405),
]


def add_targets(found: dict[str, Any]) -> None:
    """targets['closing_closed'], ['closing_decided'] and the decided one's decision paper ['closing_paper']."""
    from django.core.files.base import ContentFile

    from commonweal.accounts.models import User
    from commonweal.accounts.roles import Role
    from commonweal.accounts.services import confirm_email, grant_membership
    from commonweal.engagement.closing import services
    from commonweal.engagement.models import Document
    from tests.engagement import factories
    from tests.engagement.closing.helpers import closed, complete_impacts

    department = factories.department("Matrix closing department (test)")
    found["closing_closed"] = closed("Matrix closed consultation", slug="matrix-closed", department_=department)
    decided = closed("Matrix decided consultation", slug="matrix-decided", department_=department)
    steward = User.objects.create_user("matrix-closing-steward@example.org", "x" * 20)
    confirm_email(steward)
    grant_membership(user=steward, role=Role.STEWARD, organisation=None)
    services.save_we_did(
        consultation=decided,
        by=steward,
        you_said="People said a lot.",
        decision="Agreed.",
        how_changed="A crossing was added.",
        decision_paper_url="",
        impacts=complete_impacts(),
    )
    found["closing_decided"] = services.publish_we_did(consultation=decided, by=steward)
    found["closing_paper"] = Document.objects.create(
        consultation=decided,
        kind=Document.Kind.DECISION,
        title="Cabinet report",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="decision-paper.pdf"),
        size=15,
    )
