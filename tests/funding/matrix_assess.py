"""Permission-matrix rows for funding's assess routes (see tests/test_permission_matrix.py).

The matrix's own people are never assessors: targets['assess_assignment'] belongs to an assessor made here,
so every signed-in role is refused the declaration and scoring pages (403) and anonymous visitors sign in.
"""

from __future__ import annotations

from typing import Any

from tests.matrix import LOGIN, SIGNED_IN, Row, only

OFFICERS = only("officer")
NOBODY = only()  # signed in: 403 unless assigned; anonymous: sign in
# Pages that are only read: the method is refused once the person is let in at all.
OFFICERS_GET_ONLY = {**OFFICERS, "officer": 405}
SIGNED_IN_GET_ONLY = {role: (LOGIN if want == LOGIN else 405) for role, want in SIGNED_IN.items()}


def _round(t: dict[str, Any]) -> str:
    return str(t["assess_assignment"].application.round.slug)


def _application(t: dict[str, Any]) -> str:
    return str(t["assess_assignment"].application.uuid)


ROWS: list[Row] = [
    ("funding:assessors", lambda t: [_round(t)], "GET", OFFICERS),
    # An empty POST chooses no action: the page is shown again saying what to choose.
    ("funding:assessors", lambda t: [_round(t)], "POST", OFFICERS),
    ("funding:moderation", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:moderation", lambda t: [_round(t)], "POST", OFFICERS_GET_ONLY),
    ("funding:decide", lambda t: [_application(t)], "GET", OFFICERS),
    # An empty POST is shown again with its errors; nothing is decided.
    ("funding:decide", lambda t: [_application(t)], "POST", OFFICERS),
    ("funding:my_assessments", lambda t: [], "GET", SIGNED_IN),
    ("funding:my_assessments", lambda t: [], "POST", SIGNED_IN_GET_ONLY),
    ("funding:declare", lambda t: [t["assess_assignment"].pk], "GET", NOBODY),
    ("funding:declare", lambda t: [t["assess_assignment"].pk], "POST", NOBODY),
    ("funding:score", lambda t: [t["assess_assignment"].pk], "GET", NOBODY),
    ("funding:score", lambda t: [t["assess_assignment"].pk], "POST", NOBODY),
]


def add_targets(targets: dict[str, Any]) -> None:
    """targets['assess_assignment']: an assessor (made here, not a matrix user) on targets['apply_application'],
    with no conflict declared; the application is made here if the apply area has not made one."""
    from django.utils import timezone

    from commonweal.accounts.models import User
    from commonweal.funding.models import Application, Assignment
    from tests.funding.factories import ApplicationFactory, RoundFactory

    application = targets.get("apply_application")
    if application is None:
        round = targets.get("setup_round") or RoundFactory(slug="assess-matrix-round")
        applicant = User.objects.create_user("assess.matrix.applicant@example.org", None, full_name="Applicant")
        application = ApplicationFactory(
            round=round,
            organisation=targets["group"],
            created_by=applicant,
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
    assessor = User.objects.create_user("assess.matrix.assessor@example.org", None, full_name="Matrix Assessor")
    application.round.assessors.add(assessor)
    targets["assess_assessor"] = assessor
    targets["assess_assignment"] = Assignment.objects.create(
        application=application, assessor=assessor, status=Assignment.Status.CLEAR
    )
