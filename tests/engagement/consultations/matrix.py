"""Permission-matrix rows for engagement's consultations area (see tests/test_permission_matrix.py).

The public list, a published consultation's page, its documents and the JSON feed are for everyone and read-only.
The officer's pages are for officers, stewards and administrators: the list and starting a draft for any officer
with a department; a consultation's own pages only for its department's officers (the matrix's officer belongs
to another department, so is refused) and the stewards and administrators. Empty POSTs are shown again with
their errors (200), or make the change and go back to the task list (302).
"""

from __future__ import annotations

from typing import Any

from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, Row, only

READ_ONLY: dict[str, int | str] = dict.fromkeys(ROLES, 405)
NOWHERE: dict[str, int | str] = dict.fromkeys(ROLES, 404)
RUNNERS = only("officer", "steward", "admin")
# A consultation's own pages: its department's officers and the stewards; the matrix's officer is another's.
ITS_RUNNERS = only("steward", "admin")


def _runners(code: int) -> dict[str, int | str]:
    return {**only("steward", "admin"), "steward": code, "admin": code}


def _all_runners(code: int) -> dict[str, int | str]:
    return {**RUNNERS, "officer": code, "steward": code, "admin": code}


def _draft(t: dict[str, Any]) -> list[Any]:
    return [t["consultation_draft"].slug]


def _question(t: dict[str, Any]) -> list[Any]:
    return [t["consultation_draft"].slug, t["consultation_question"].pk]


def _draft_document(t: dict[str, Any]) -> list[Any]:
    return [t["consultation_draft"].slug, t["consultation_draft_document"].pk]


def _open(t: dict[str, Any]) -> list[Any]:
    return [t["consultation_open"].slug]


def _open_document(t: dict[str, Any]) -> list[Any]:
    return [t["consultation_open"].slug, t["consultation_open_document"].pk]


ROWS: list[Row] = [
    # The public pages.
    ("engagement:consultations", lambda t: [], "GET", ALL),
    ("engagement:consultations", lambda t: ["?phase=closed&ward=999999"], "GET", dict.fromkeys(ROLES, 400)),
    ("engagement:consultations", lambda t: [], "POST", READ_ONLY),
    ("engagement:consultation", _open, "GET", ALL),
    ("engagement:consultation", _open, "POST", READ_ONLY),
    ("engagement:consultation", _draft, "GET", NOWHERE),  # a draft is nobody's to read in public
    ("engagement:consultation_document", _open_document, "GET", ALL),
    ("engagement:consultation_document", _open_document, "POST", READ_ONLY),
    # A draft's document: those who run it only.
    ("engagement:consultation_document", _draft_document, "GET", {**NOWHERE, "steward": 200, "admin": 200}),
    # The JSON feed.
    ("engagement_api:consultations", lambda t: [], "GET", ALL),
    ("engagement_api:consultations", lambda t: ["?phase=someday"], "GET", dict.fromkeys(ROLES, 400)),
    ("engagement_api:consultations", lambda t: [], "POST", READ_ONLY),
    ("engagement_api:consultation", _open, "GET", ALL),
    ("engagement_api:consultation", _draft, "GET", NOWHERE),
    ("engagement_api:consultation", _open, "POST", READ_ONLY),
    # The officer's list and starting a draft.
    ("engagement:manage", lambda t: [], "GET", RUNNERS),
    ("engagement:manage", lambda t: [], "POST", _all_runners(405)),
    ("engagement:manage_new", lambda t: [], "GET", RUNNERS),
    ("engagement:manage_new", lambda t: [], "POST", RUNNERS),  # empty: re-shown with its errors
    # A draft's own pages.
    ("engagement:manage_consultation", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_consultation", _draft, "POST", _all_runners(405)),
    ("engagement:manage_details", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_details", _draft, "POST", ITS_RUNNERS),  # empty: what is missing, re-shown
    ("engagement:manage_affected", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_affected", _draft, "POST", _runners(302)),  # nobody affected: saved
    ("engagement:manage_dates", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_dates", _draft, "POST", _runners(302)),  # no dates yet: saved
    ("engagement:manage_questions", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_questions", _draft, "POST", _all_runners(405)),
    ("engagement:manage_question_add", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_question_add", _draft, "POST", ITS_RUNNERS),
    ("engagement:manage_question_edit", _question, "GET", ITS_RUNNERS),
    ("engagement:manage_question_edit", _question, "POST", ITS_RUNNERS),
    ("engagement:manage_question_move", _question, "GET", _all_runners(405)),
    ("engagement:manage_question_move", _question, "POST", _runners(400)),  # neither up nor down
    ("engagement:manage_question_delete", _question, "GET", ITS_RUNNERS),
    ("engagement:manage_question_delete", _question, "POST", _runners(302)),
    ("engagement:manage_documents", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_documents", _draft, "POST", ITS_RUNNERS),  # no file: re-shown
    ("engagement:manage_document_delete", _draft_document, "GET", ITS_RUNNERS),
    ("engagement:manage_document_delete", _draft_document, "POST", _runners(302)),
    ("engagement:manage_gunning", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_gunning", _draft, "POST", _runners(302)),  # saved (not completed)
    ("engagement:manage_eqia", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_eqia", _draft, "POST", ITS_RUNNERS),  # no impacts chosen: re-shown
    ("engagement:manage_publish", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_publish", _draft, "POST", _runners(400)),  # not ready: refused, what is missing listed
    ("engagement:manage_withdraw", _draft, "GET", ITS_RUNNERS),
    ("engagement:manage_withdraw", _draft, "POST", ITS_RUNNERS),  # no reason: re-shown
]

assert all(expected.get("anonymous") in (LOGIN, 200, 400, 404, 405) for *_, expected in ROWS)


def add_targets(found: dict[str, Any]) -> None:
    """A draft with a question and a document, and an open consultation with a document, in another department
    than the matrix's officer's."""
    from commonweal.engagement.models import Consultation, Document
    from tests.engagement import factories

    from .helpers import pdf

    department = factories.department("Matrix engagement department")
    draft = factories.consultation(
        "Matrix draft consultation",
        slug="matrix-consultation-draft",
        department_=department,
        status=Consultation.Status.DRAFT,
    )
    Consultation.objects.filter(pk=draft.pk).update(gunning_completed_at=None)
    opened = factories.consultation("Matrix open consultation", slug="matrix-consultation-open", department_=department)
    opened.wards.add(found["ward"])
    documents = {}
    for name, consultation in (("draft", draft), ("open", opened)):
        upload = pdf()
        documents[name] = Document.objects.create(
            consultation=consultation, kind=Document.Kind.CONSULTATION, title="Plan", file=upload, size=upload.size
        )
    found.update(
        consultation_draft=draft,
        consultation_open=opened,
        consultation_question=draft.questions.order_by("position").first(),
        consultation_draft_document=documents["draft"],
        consultation_open_document=documents["open"],
    )
