"""Permission-matrix rows for funding's awards routes (see tests/test_permission_matrix.py).

The group's own members see its grant and answer the offer (an administrator who is not a member does not);
officers offer, pay, review and complete; everyone else is refused with a reason. POSTs are empty, so each
either re-shows its form with errors (200) or, where the record's status refuses the step, goes back to the
page with the reason (302); nothing changes.
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import confirm_email, create_organisation, grant_membership
from tests.conftest import ROLES
from tests.funding.awards.helpers import approved_application, offered_grant
from tests.matrix import LOGIN, Row, only

OFFICERS = only("officer")
GROUP_AND_OFFICERS = only("group_member", "officer")
GROUP = only("group_member")
POST_ONLY: dict[str, int | str] = {role: (LOGIN if role == "anonymous" else 405) for role in ROLES}


def _grant(t: dict[str, Any]) -> list[Any]:
    return [t["awards_grant"].reference]


ROWS: list[Row] = [
    (
        "funding:offer",
        lambda t: [t["awards_offer_application"].uuid],
        "GET",
        OFFICERS,
    ),
    (
        "funding:offer",
        lambda t: [t["awards_offer_application"].uuid],
        "POST",
        OFFICERS,
    ),
    ("funding:grants_manage", lambda t: [], "GET", OFFICERS),
    ("funding:grant", _grant, "GET", GROUP_AND_OFFICERS),
    ("funding:grant_accept", _grant, "GET", POST_ONLY),
    # Officers see the grant but only the group answers the offer; an empty form asks for the confirmation.
    ("funding:grant_accept", _grant, "POST", GROUP),
    ("funding:grant_decline", _grant, "POST", GROUP),  # no reason: asked for one
    ("funding:tranche_pay", lambda t: [t["awards_tranche"].pk], "GET", POST_ONLY),
    # The offer is not accepted yet, so the officer is sent back to the grant with the reason.
    (
        "funding:tranche_pay",
        lambda t: [t["awards_tranche"].pk],
        "POST",
        {**OFFICERS, "officer": 302},
    ),
    (
        "funding:grant_complete",
        lambda t: [t["awards_grant"].reference],
        "POST",
        {**OFFICERS, "officer": 302},
    ),
    (
        "funding:grant_withdraw",
        lambda t: [t["awards_grant"].reference],
        "POST",
        OFFICERS,
    ),
    ("funding:report", lambda t: [*_grant(t), t["awards_report"].pk], "GET", GROUP_AND_OFFICERS),
    # The group saves a draft, refused while the offer is not accepted: back to the report with the reason.
    (
        "funding:report",
        lambda t: [*_grant(t), t["awards_report"].pk],
        "POST",
        {**GROUP, "group_member": 302},
    ),
    ("funding:report_review", lambda t: [t["awards_report"].pk], "POST", OFFICERS),
    # The confirmation of a sent report: a report not sent yet sends the group and officers to the report.
    (
        "funding:report_received",
        lambda t: [*_grant(t), t["awards_report"].pk],
        "GET",
        {**GROUP_AND_OFFICERS, "group_member": 302, "officer": 302},
    ),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
    group: Organisation = targets["group"]
    applicant = User.objects.create_user("awards-applicant@example.org", "x", full_name="Awards Applicant")
    officer = confirm_email(User.objects.create_user("awards-officer@example.org", "x", full_name="Awards Officer"))
    department = create_organisation(name="Awards Grants Team", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    grant_membership(user=officer, role="officer", organisation=department)
    targets["awards_offer_application"] = approved_application(
        organisation=group, created_by=applicant, decided_by=officer, reference="AWARDS-MATRIX-1"
    )
    application = approved_application(
        organisation=group, created_by=applicant, decided_by=officer, reference="AWARDS-MATRIX-2"
    )
    grant = offered_grant(application=application, by=officer)
    targets["awards_grant"] = grant
    targets["awards_tranche"] = grant.tranches.order_by("due_on", "pk").first()
    targets["awards_report"] = grant.reports.order_by("due_on", "pk").first()
