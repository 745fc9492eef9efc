"""Permission-matrix rows for the directory's manage routes (see tests/test_permission_matrix.py).

Crafted POSTs are empty: people who may use a form get it back with its errors (200); everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import ListingStatus, User
from commonweal.directory.models import ChangeRequest, Claim, Report
from tests.directory.factories import AssetFactory, LocationFactory, OrganisationFactory, ServiceFactory
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row, only

# The group's own member, officers and administrators keep a listing true.
EDITORS = only("group_member", "officer", "admin")
MODERATORS = only("officer", "admin")
# A POST-only route answers a GET with 405 once the person is signed in.
POST_ONLY = {**SIGNED_IN, **{role: 405 for role, code in SIGNED_IN.items() if code != LOGIN}}
EDITORS_DONE = {**EDITORS, **{role: 302 for role, code in EDITORS.items() if code == 200}}

GROUP = "/directory/manage/organisations/{slug}/"


def _group(t: dict[str, Any]) -> str:
    return GROUP.format(slug=t["group"].slug)


ROWS: list[Row] = [
    # Anyone may tell us a listing is wrong; the empty report comes back with its errors.
    ("directory:report", lambda t: f"/directory/report/service/{t['group_service'].uuid}/", "GET", ALL),
    ("directory:report", lambda t: f"/directory/report/service/{t['group_service'].uuid}/", "POST", ALL),
    ("directory:report_sent", lambda t: f"/directory/report/service/{t['group_service'].uuid}/sent/", "GET", ALL),
    # Anyone signed in may ask to manage a listing (those who already manage it are told so).
    ("directory:claim", lambda t: f"/directory/organisations/{t['claimable'].slug}/claim/", "GET", SIGNED_IN),
    ("directory:claim", lambda t: f"/directory/organisations/{t['claimable'].slug}/claim/", "POST", SIGNED_IN),
    ("directory:my_listings", lambda t: "/directory/manage/", "GET", SIGNED_IN),
    # The group's own records.
    ("directory:manage_organisation", _group, "GET", EDITORS),
    ("directory:organisation_edit", lambda t: f"{_group(t)}edit/", "GET", EDITORS),
    ("directory:organisation_edit", lambda t: f"{_group(t)}edit/", "POST", EDITORS),
    ("directory:service_add", lambda t: f"{_group(t)}services/add/", "GET", EDITORS),
    ("directory:service_add", lambda t: f"{_group(t)}services/add/", "POST", EDITORS),
    ("directory:location_add", lambda t: f"{_group(t)}locations/add/", "GET", EDITORS),
    ("directory:location_add", lambda t: f"{_group(t)}locations/add/", "POST", EDITORS),
    ("directory:asset_add", lambda t: f"{_group(t)}assets/add/", "GET", EDITORS),
    ("directory:asset_add", lambda t: f"{_group(t)}assets/add/", "POST", EDITORS),
    ("directory:service_edit", lambda t: f"/directory/manage/service/{t['group_service'].uuid}/edit/", "GET", EDITORS),
    ("directory:service_edit", lambda t: f"/directory/manage/service/{t['group_service'].uuid}/edit/", "POST", EDITORS),
    (
        "directory:location_edit",
        lambda t: f"/directory/manage/location/{t['group_location'].uuid}/edit/",
        "GET",
        EDITORS,
    ),
    (
        "directory:location_edit",
        lambda t: f"/directory/manage/location/{t['group_location'].uuid}/edit/",
        "POST",
        EDITORS,
    ),
    ("directory:asset_edit", lambda t: f"/directory/manage/asset/{t['group_asset'].uuid}/edit/", "GET", EDITORS),
    ("directory:asset_edit", lambda t: f"/directory/manage/asset/{t['group_asset'].uuid}/edit/", "POST", EDITORS),
    (
        "directory:history",
        lambda t: f"/directory/manage/service/{t['group_service'].uuid}/history/",
        "GET",
        EDITORS,
    ),
    (
        "directory:confirm",
        lambda t: f"/directory/manage/service/{t['group_service'].uuid}/confirm/",
        "GET",
        POST_ONLY,
    ),
    (
        "directory:confirm",
        lambda t: f"/directory/manage/service/{t['group_service'].uuid}/confirm/",
        "POST",
        EDITORS_DONE,
    ),
    (
        "directory:withdraw",
        lambda t: f"/directory/manage/asset/{t['spare_asset'].uuid}/withdraw/",
        "GET",
        EDITORS,
    ),
    (
        "directory:withdraw",
        lambda t: f"/directory/manage/asset/{t['spare_asset'].uuid}/withdraw/",
        "POST",
        EDITORS_DONE,
    ),
    (
        "directory:restore",
        lambda t: f"/directory/manage/asset/{t['spare_asset'].uuid}/restore/",
        "GET",
        POST_ONLY,
    ),
    (
        "directory:restore",
        lambda t: f"/directory/manage/asset/{t['withdrawn_asset'].uuid}/restore/",
        "POST",
        EDITORS_DONE,
    ),
    # Officers and administrators moderate; an empty decision comes back asking for one.
    ("directory:moderation", lambda t: "/directory/moderation/", "GET", MODERATORS),
    ("directory:stale", lambda t: "/directory/moderation/stale/?kind=service", "GET", MODERATORS),
    (
        "directory:listing_decide",
        lambda t: f"/directory/moderation/listings/service/{t['pending_service'].uuid}/",
        "GET",
        MODERATORS,
    ),
    (
        "directory:listing_decide",
        lambda t: f"/directory/moderation/listings/service/{t['pending_service'].uuid}/",
        "POST",
        MODERATORS,
    ),
    ("directory:change_decide", lambda t: f"/directory/moderation/changes/{t['change'].pk}/", "GET", MODERATORS),
    ("directory:change_decide", lambda t: f"/directory/moderation/changes/{t['change'].pk}/", "POST", MODERATORS),
    ("directory:claim_decide", lambda t: f"/directory/moderation/claims/{t['claim'].pk}/", "GET", MODERATORS),
    ("directory:claim_decide", lambda t: f"/directory/moderation/claims/{t['claim'].pk}/", "POST", MODERATORS),
    ("directory:report_resolve", lambda t: f"/directory/moderation/reports/{t['report'].pk}/", "GET", MODERATORS),
    ("directory:report_resolve", lambda t: f"/directory/moderation/reports/{t['report'].pk}/", "POST", MODERATORS),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
    group = targets["group"]
    service = ServiceFactory(organisation=group, name="Matrix litter pick")
    claimable = OrganisationFactory(name="Matrix Charity", slug="matrix-charity")
    claimant = User.objects.create_user("matrix-claimant@example.org", "x")
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
