"""Permission-matrix rows for the directory's manage routes (see tests/test_permission_matrix.py).

Crafted POSTs are empty: people who may use a form get it back with its errors (200); everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import ListingStatus, User
from commonweal.accounts.services import confirm_email
from commonweal.directory.models import ChangeRequest, Claim, Report
from tests.directory.factories import AssetFactory, LocationFactory, OrganisationFactory, ServiceFactory
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row, only

# The group's own member, officers and administrators keep a listing true.
EDITORS = only("group_member", "officer", "admin")
MODERATORS = only("officer", "admin")
# A POST-only route answers a GET with 405 once the person is signed in.
POST_ONLY = {**SIGNED_IN, **{role: 405 for role, code in SIGNED_IN.items() if code != LOGIN}}
EDITORS_DONE = {**EDITORS, **{role: 302 for role, code in EDITORS.items() if code == 200}}
MODERATORS_POST_ONLY = {**MODERATORS, **{role: 405 for role, code in MODERATORS.items() if code == 200}}
MODERATORS_DONE = {**MODERATORS, **{role: 302 for role, code in MODERATORS.items() if code == 200}}


def _group(t: dict[str, Any]) -> list[Any]:
    return [t["group"].slug]


ROWS: list[Row] = [
    # Anyone may tell us a listing is wrong; the empty report comes back with its errors.
    ("directory:report", lambda t: ["service", t["group_service"].uuid], "GET", ALL),
    ("directory:report", lambda t: ["service", t["group_service"].uuid], "POST", ALL),
    ("directory:report_sent", lambda t: ["service", t["group_service"].uuid], "GET", ALL),
    # Anyone signed in may ask to manage a listing (those who already manage it are told so).
    ("directory:claim", lambda t: [t["claimable"].slug], "GET", SIGNED_IN),
    ("directory:claim", lambda t: [t["claimable"].slug], "POST", SIGNED_IN),
    ("directory:my_listings", lambda t: [], "GET", SIGNED_IN),
    # The group's own records.
    ("directory:manage_organisation", _group, "GET", EDITORS),
    ("directory:organisation_edit", _group, "GET", EDITORS),
    ("directory:organisation_edit", _group, "POST", EDITORS),
    ("directory:service_add", _group, "GET", EDITORS),
    ("directory:service_add", _group, "POST", EDITORS),
    ("directory:location_add", _group, "GET", EDITORS),
    ("directory:location_add", _group, "POST", EDITORS),
    ("directory:asset_add", _group, "GET", EDITORS),
    ("directory:asset_add", _group, "POST", EDITORS),
    ("directory:service_edit", lambda t: [t["group_service"].uuid], "GET", EDITORS),
    ("directory:service_edit", lambda t: [t["group_service"].uuid], "POST", EDITORS),
    (
        "directory:location_edit",
        lambda t: [t["group_location"].uuid],
        "GET",
        EDITORS,
    ),
    (
        "directory:location_edit",
        lambda t: [t["group_location"].uuid],
        "POST",
        EDITORS,
    ),
    ("directory:asset_edit", lambda t: [t["group_asset"].uuid], "GET", EDITORS),
    ("directory:asset_edit", lambda t: [t["group_asset"].uuid], "POST", EDITORS),
    (
        "directory:history",
        lambda t: ["service", t["group_service"].uuid],
        "GET",
        EDITORS,
    ),
    (
        "directory:confirm",
        lambda t: ["service", t["group_service"].uuid],
        "GET",
        POST_ONLY,
    ),
    (
        "directory:confirm",
        lambda t: ["service", t["group_service"].uuid],
        "POST",
        EDITORS_DONE,
    ),
    (
        "directory:withdraw",
        lambda t: ["asset", t["spare_asset"].uuid],
        "GET",
        EDITORS,
    ),
    (
        "directory:withdraw",
        lambda t: ["asset", t["spare_asset"].uuid],
        "POST",
        EDITORS_DONE,
    ),
    (
        "directory:restore",
        lambda t: ["asset", t["spare_asset"].uuid],
        "GET",
        POST_ONLY,
    ),
    (
        "directory:restore",
        lambda t: ["asset", t["withdrawn_asset"].uuid],
        "POST",
        EDITORS_DONE,
    ),
    # Officers and administrators moderate; an empty decision comes back asking for one.
    ("directory:moderation", lambda t: [], "GET", MODERATORS),
    ("directory:stale", lambda t: ["?kind=service"], "GET", MODERATORS),
    # 'Send reminders now': POST only; sends what is due and goes back to the list.
    ("directory:stale_remind", lambda t: [], "GET", MODERATORS_POST_ONLY),
    ("directory:stale_remind", lambda t: [], "POST", MODERATORS_DONE),
    (
        "directory:listing_decide",
        lambda t: ["service", t["pending_service"].uuid],
        "GET",
        MODERATORS,
    ),
    (
        "directory:listing_decide",
        lambda t: ["service", t["pending_service"].uuid],
        "POST",
        MODERATORS,
    ),
    ("directory:change_decide", lambda t: [t["change"].pk], "GET", MODERATORS),
    ("directory:change_decide", lambda t: [t["change"].pk], "POST", MODERATORS),
    ("directory:claim_decide", lambda t: [t["claim"].pk], "GET", MODERATORS),
    ("directory:claim_decide", lambda t: [t["claim"].pk], "POST", MODERATORS),
    ("directory:report_resolve", lambda t: [t["report"].pk], "GET", MODERATORS),
    ("directory:report_resolve", lambda t: [t["report"].pk], "POST", MODERATORS),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
    group = targets["group"]
    service = ServiceFactory(organisation=group, name="Matrix litter pick")
    claimable = OrganisationFactory(name="Matrix Charity", slug="matrix-charity")
    claimant = confirm_email(User.objects.create_user("matrix-claimant@example.org", "x"))
    targets.update(
        group_service=service,
        group_location=LocationFactory(organisation=group),
        group_asset=AssetFactory(organisation=group),
        spare_asset=AssetFactory(organisation=group, name="Matrix spare room"),
        withdrawn_asset=AssetFactory(organisation=group, listing_status=ListingStatus.WITHDRAWN),
        pending_service=ServiceFactory(organisation=group, listing_status=ListingStatus.PENDING),
        claimable=claimable,
        claim=Claim.objects.create(organisation=claimable, user=claimant, message="I run it."),
        change=ChangeRequest.objects.create(
            target=service, proposed={"name": "Renamed"}, previous={"name": service.name}
        ),
        report=Report.objects.create(target=service, reason=Report.Reason.CLOSED),
    )
