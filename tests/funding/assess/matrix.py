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
# Changes that must be POSTed: an officer who GETs one is told the method is wrong; others never get that far.
OFFICERS_POST_ONLY = OFFICERS_GET_ONLY


def _round(t: dict[str, Any]) -> str:
    return str(t["assess_assignment"].application.round.slug)


def _remove_outsider(t: dict[str, Any]) -> list[Any]:
    """Removing the application's applicant, who is not in the pool: refused with a reason, nothing removed."""
    return [_round(t), t["assess_assignment"].application.created_by_id]


def _application(t: dict[str, Any]) -> str:
    return str(t["assess_assignment"].application.uuid)


ROWS: list[Row] = [
    ("funding:assessors", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:assessors", lambda t: [_round(t)], "POST", OFFICERS_GET_ONLY),
    # Each change to the pool has its own address, taking POST only. An empty email is shown again with its error.
    ("funding:assessor_add", lambda t: [_round(t)], "GET", OFFICERS_POST_ONLY),
    ("funding:assessor_add", lambda t: [_round(t)], "POST", OFFICERS),
    # Removing someone not in the pool (the matrix's own officer) says so; nobody is removed.
    ("funding:assessor_remove", _remove_outsider, "GET", OFFICERS_POST_ONLY),
    ("funding:assessor_remove", _remove_outsider, "POST", OFFICERS),
    # The matrix's round is still open: assigning without saying why is refused, the page shown again with the
    # reason; nothing is assigned.
    ("funding:assessors_assign", lambda t: [_round(t)], "GET", OFFICERS_POST_ONLY),
    ("funding:assessors_assign", lambda t: [_round(t)], "POST", OFFICERS),
    ("funding:moderation", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:moderation", lambda t: [_round(t)], "POST", OFFICERS_GET_ONLY),
    # The round's applications as a CSV file and a PDF panel pack: read only.
    ("funding:round_applications_csv", lambda t: [_round(t)], "GET", OFFICERS),
    ("funding:round_applications_csv", lambda t: [_round(t)], "POST", OFFICERS_GET_ONLY),
    ("funding:panel_pack", lambda t: [_round(t)], "GET", OFFICERS),
    # Trying a failed build again: with no failed build there is nothing to forget; back to the download.
    ("funding:panel_pack", lambda t: [_round(t)], "POST", {**OFFICERS, "officer": 302}),
    ("funding:decide", lambda t: [_application(t)], "GET", OFFICERS),
    # An empty POST is shown again with its errors; nothing is decided.
    ("funding:decide", lambda t: [_application(t)], "POST", OFFICERS),
    # Choosing an application's assessors by hand: an empty POST is shown again with its error; nobody assigned.
    ("funding:assign_by_hand", lambda t: [_application(t)], "GET", OFFICERS),
    ("funding:assign_by_hand", lambda t: [_application(t)], "POST", OFFICERS),
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
    from commonweal.accounts.services import confirm_email
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
    assessor = confirm_email(
        User.objects.create_user("assess.matrix.assessor@example.org", None, full_name="Matrix Assessor")
    )
    application.round.assessors.add(assessor)
    targets["assess_assessor"] = assessor
    targets["assess_assignment"] = Assignment.objects.create(
        application=application, assessor=assessor, status=Assignment.Status.CLEAR
    )
