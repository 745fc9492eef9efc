"""Permission-matrix rows for funding's sources routes (see tests/test_permission_matrix.py).

Crafted POSTs are empty: people who may use a form get it back with its errors (200); everyone else is refused.
Nobody in the matrix is a member of a business, so everyone signed in is refused a pledge (tests/funding/sources
covers suppliers' members).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commonweal.accounts.models import Organisation
from commonweal.funding.models import CommunityNeed, FundingSource, HelpKind, Pledge
from tests.conftest import ROLES
from tests.funding.factories import ApplicationFactory
from tests.matrix import ALL, LOGIN, Row, only

OFFICERS = only("officer")
# The application's own group and officers (an administrator acts for no group it is not a member of).
APPLICANTS = only("group_member", "officer")
GROUPS = only("group_member")
NOBODY = only()
# On a pledge: the need's group and officers may act (an empty POST is re-shown with its error).
PLEDGE_ACTORS = only("group_member", "officer")
POST_ONLY: dict[str, int | str] = {role: (LOGIN if role == "anonymous" else 405) for role in ROLES}
# A step is taken (302) by those the workflow names; others who may act on the pledge are refused it (403).
# An administrator acts for no group it is not a member of, so it is refused like anyone else.
ACCEPTED_BY_THE_GROUP = {**PLEDGE_ACTORS, "group_member": 302, "officer": 403}
# Only the supplier records deliveries; an empty delivery is shown again with its errors.
DELIVERIES_BY_THE_SUPPLIER = {**PLEDGE_ACTORS, "group_member": 403, "officer": 403}
VERIFIED_BY_GROUP_OR_OFFICER = {**PLEDGE_ACTORS, "group_member": 302, "officer": 302}
WITHDRAWN_BY_SUPPLIER_OR_OFFICER = {**PLEDGE_ACTORS, "group_member": 403}


def _source(t: dict[str, Any]) -> list[Any]:
    return [t["sources_source"].pk]


def _match(t: dict[str, Any]) -> list[Any]:
    return [t["sources_application"].uuid]


def _need(t: dict[str, Any]) -> list[Any]:
    return [t["sources_need"].pk]


def _pledge(t: dict[str, Any], status: str = "") -> list[Any]:
    """The pledge (just pledged), or the one at `status`: each step's row has a pledge of its own."""
    return [t["sources_pledge" + (f"_{status}" if status else "")].pk]


ROWS: list[Row] = [
    # The register of external funding: public to read and download; officers keep it.
    ("funding:sources", lambda t: [], "GET", ALL),
    ("funding:sources_csv", lambda t: [], "GET", ALL),
    ("funding:source", _source, "GET", ALL),
    ("funding:source_add", lambda t: [], "GET", OFFICERS),
    ("funding:source_add", lambda t: [], "POST", OFFICERS),
    ("funding:source_edit", lambda t: [t["sources_source"].pk], "GET", OFFICERS),
    ("funding:source_edit", lambda t: [t["sources_source"].pk], "POST", OFFICERS),
    # Match funding: the group that applied and officers.
    ("funding:match_funding", _match, "GET", APPLICANTS),
    ("funding:match_funding", _match, "POST", APPLICANTS),
    # Leverage is public.
    ("funding:leverage", lambda t: [], "GET", ALL),
    # Needs: public to read; group members post them for their own group.
    ("funding:needs", lambda t: [], "GET", ALL),
    ("funding:need", _need, "GET", ALL),
    ("funding:need_add", lambda t: [], "GET", GROUPS),
    ("funding:need_add", lambda t: [], "POST", GROUPS),
    # Pledges: only suppliers' members pledge; a pledge is public to read, and acted on by its people.
    ("funding:pledge_add", _need, "GET", NOBODY),
    ("funding:pledge_add", _need, "POST", NOBODY),
    ("funding:pledge", _pledge, "GET", ALL),
    ("funding:pledge", _pledge, "POST", dict.fromkeys(ROLES, 405)),
    # Each step of a pledge has its own address, taking POST only; the workflow says who takes which step.
    ("funding:pledge_accept", _pledge, "GET", POST_ONLY),
    ("funding:pledge_accept", _pledge, "POST", ACCEPTED_BY_THE_GROUP),
    ("funding:pledge_deliver", _pledge, "GET", POST_ONLY),
    # Nothing is recorded as delivered on the pledge (whether or not accepted yet), so marking it delivered is
    # refused on the page with the reason, before asking who may.
    ("funding:pledge_deliver", _pledge, "POST", PLEDGE_ACTORS),
    ("funding:pledge_verify", lambda t: _pledge(t, "delivered"), "GET", POST_ONLY),
    ("funding:pledge_verify", lambda t: _pledge(t, "delivered"), "POST", VERIFIED_BY_GROUP_OR_OFFICER),
    # An empty withdrawal is asked for its reason.
    ("funding:pledge_withdraw", _pledge, "GET", POST_ONLY),
    ("funding:pledge_withdraw", _pledge, "POST", WITHDRAWN_BY_SUPPLIER_OR_OFFICER),
    # Only the business that gave may withdraw its consent to be named (no matrix role acts for the supplier).
    ("funding:pledge_consent_withdraw", _pledge, "GET", POST_ONLY),
    ("funding:pledge_consent_withdraw", _pledge, "POST", DELIVERIES_BY_THE_SUPPLIER),
    ("funding:pledge_fulfil", _pledge, "GET", POST_ONLY),
    ("funding:pledge_fulfil", _pledge, "POST", DELIVERIES_BY_THE_SUPPLIER),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member).

    targets['sources_source']: an open programme in the register.
    targets['sources_application']: targets['apply_application'] when it is the group's, else one of our own.
    targets['sources_need']: a need posted by the group; targets['sources_pledge']: a business's pledge to it,
    and targets['sources_pledge_delivered'] another, delivered.
    """
    group: Organisation = targets["group"]
    # No theme: the framework's rows delete targets['theme'], which a need or source would protect.
    targets["sources_source"] = FundingSource.objects.create(
        funder="Matrix Trust", funder_org_id="GB-CHC-1234567", name="Matrix grants", what_they_fund="Anything"
    )
    application = targets.get("apply_application")
    if application is None or application.organisation_id != group.pk:
        application = ApplicationFactory(organisation=group, created_by=_someone(group))
    targets["sources_application"] = application
    need = CommunityNeed.objects.create(
        organisation=group,
        title="Matrix need",
        description="Volunteers to paint the hall.",
        kind=HelpKind.HOURS,
        quantity=Decimal("40"),
        unit="hours",
        created_by=_someone(group),
    )
    business = Organisation.objects.create(name="Matrix Builders Ltd", slug="matrix-builders", kind="company")
    targets["sources_need"] = need
    for status in ("", "delivered"):
        targets["sources_pledge" + (f"_{status}" if status else "")] = Pledge.objects.create(
            need=need,
            supplier=business,
            kind=HelpKind.HOURS,
            quantity=Decimal("10"),
            pledged_by=_someone(group),
            status=status or Pledge.Status.PLEDGED,
        )


def _someone(group: Organisation) -> Any:
    """A person to name as the author of the records (the matrix's own users are made after the targets)."""
    from commonweal.accounts.models import User

    user, _ = User.objects.get_or_create(email="sources-matrix@example.org", defaults={"full_name": "Matrix author"})
    return user
