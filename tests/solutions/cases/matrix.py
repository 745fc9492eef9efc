"""Permission-matrix rows for the solutions cases area (see tests/test_permission_matrix.py).

targets['cases_blockage'] is raised for the matrix's group by someone else (so the matrix's group member is its
raiser) and routed to two departments of its own (so the matrix's officer, of another department, may not see
it); it has no champion, so the matrix's champion sees it (champions see every case) but may not act as its
champion. Crafted POSTs are empty: people who may use a form get it back with its errors (200); a steward's empty
'acknowledge' takes the step (302); everyone else is refused and nothing is written.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import ROLES
from tests.matrix import LOGIN, Row, only

COUNCIL = only("officer", "champion", "steward")
# Read by the raiser (the matrix's group member) and by those who see every case.
CASE_READERS = only("group_member", "champion", "steward")
STEWARDS = only("steward")
NOBODY = only()
SIGNED_IN_405 = {role: (LOGIN if role == "anonymous" else 405) for role in ROLES}
COUNCIL_405 = {**COUNCIL, "officer": 405, "champion": 405, "steward": 405}


def _case(t: dict[str, Any]) -> list[Any]:
    return [t["cases_blockage"].uuid]


def _step(t: dict[str, Any]) -> list[Any]:
    return [t["cases_blockage"].uuid, "acknowledge"]


def _part(t: dict[str, Any]) -> list[Any]:
    return [t["cases_blockage"].uuid, t["cases_part"].pk]


def _document(t: dict[str, Any]) -> list[Any]:
    return [t["cases_blockage"].uuid, t["cases_document"].pk]


ROWS: list[Row] = [
    # The queue: council officers, champions and stewards.
    ("solutions:queue", lambda t: [], "GET", COUNCIL),
    ("solutions:queue", lambda t: [], "POST", COUNCIL_405),
    # The case page: the raiser and whoever sees every case; an officer of another department is refused.
    ("solutions:case", _case, "GET", CASE_READERS),
    ("solutions:case", _case, "POST", SIGNED_IN_405),
    ("solutions:case_document", _document, "GET", CASE_READERS),
    ("solutions:case_document", _document, "POST", SIGNED_IN_405),
    # Steps: only the departments on it, its champion and the stewards; a steward's acknowledgement is taken.
    ("solutions:case_step", _step, "GET", SIGNED_IN_405),
    ("solutions:case_step", _step, "POST", {**NOBODY, "steward": 302}),
    # A department's part: only that department's officers (none of the matrix's people).
    ("solutions:case_part", _part, "GET", SIGNED_IN_405),
    ("solutions:case_part", _part, "POST", NOBODY),
    # Naming the champion: stewards and champions (an empty choice is shown again with its error).
    ("solutions:case_champion", _case, "GET", SIGNED_IN_405),
    ("solutions:case_champion", _case, "POST", only("champion", "steward")),
    # The departments on it: its champion (none here) and the stewards; one of its two departments comes off.
    ("solutions:case_department_add", _case, "GET", SIGNED_IN_405),
    ("solutions:case_department_add", _case, "POST", STEWARDS),
    ("solutions:case_department_remove", _part, "GET", SIGNED_IN_405),
    ("solutions:case_department_remove", _part, "POST", {**NOBODY, "steward": 302}),
    # Learning and the case study: its champion and the stewards. It is still open: the pages say so, and an
    # empty POST is shown again with its errors.
    ("solutions:case_learning", _case, "GET", STEWARDS),
    ("solutions:case_learning", _case, "POST", STEWARDS),
    ("solutions:case_study", _case, "GET", STEWARDS),
    ("solutions:case_study", _case, "POST", STEWARDS),
]


def add_targets(targets: dict[str, Any]) -> None:
    """targets['cases_blockage'] (raised for the matrix's group), its first part and a document on it."""
    from django.core.files.base import ContentFile

    from commonweal.accounts.models import User
    from commonweal.solutions.models import Document
    from tests.solutions import factories

    raiser = User.objects.create_user("cases.matrix.raiser@example.org", None, full_name="Matrix Raiser")
    parks = factories.department("Matrix Parks")
    highways = factories.department("Matrix Highways")
    category = factories.category("Matrix trees", parks, highways)
    blockage = factories.blockage(category=category, raised_by=raiser, organisation=targets["group"])
    document = Document(
        blockage=blockage, original_name="letter.txt", content_type="text/plain", size=5, uploaded_by=raiser
    )
    document.file.save("letter.txt", ContentFile(b"hello"), save=True)
    targets["cases_blockage"] = blockage
    targets["cases_part"] = blockage.parts.order_by("department__name").first()
    targets["cases_document"] = document
