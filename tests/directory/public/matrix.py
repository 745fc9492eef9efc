"""Permission-matrix rows for the directory's public routes (see tests/test_permission_matrix.py).

Everyone may read the public pages. A record waiting for approval is a 404 to everyone but the people
who manage its organisation (the matrix's group member) and officers and administrators.
"""

from __future__ import annotations

from typing import Any

from commonweal.directory.models import Asset, ListingStatus, Service
from tests.conftest import ROLES
from tests.matrix import ALL, Row

ONLY_GET = dict.fromkeys(ROLES, 405)
INSIDERS = {role: 200 if role in {"group_member", "officer", "admin"} else 404 for role in ROLES}
MODERATORS = {role: 200 if role in {"officer", "admin"} else 404 for role in ROLES}

ROWS: list[Row] = [
    ("directory:search", lambda t: [], "GET", ALL),
    ("directory:search", lambda t: ["?q=food+bank&category=food&open_now=on&free=on"], "GET", ALL),
    # A postcode outside the area is explained beside the field, not refused.
    ("directory:search", lambda t: ["?q=food&postcode=SW19+1ZZ&distance=2"], "GET", ALL),
    ("directory:search", lambda t: [], "POST", ONLY_GET),
    ("directory:organisation", lambda t: [t["group"].slug], "GET", ALL),
    ("directory:organisation", lambda t: [t["group"].slug], "POST", ONLY_GET),
    ("directory:organisation", lambda t: [t["pending_group"].slug], "GET", MODERATORS),
    ("directory:service", lambda t: [t["public_service"].uuid], "GET", ALL),
    ("directory:service", lambda t: [t["public_service"].uuid], "POST", ONLY_GET),
    ("directory:service", lambda t: [t["pending_service"].uuid], "GET", INSIDERS),
    ("directory:groups", lambda t: [], "GET", ALL),
    ("directory:groups", lambda t: [f"?ward={t['ward'].code}"], "GET", ALL),
    ("directory:groups", lambda t: [], "POST", ONLY_GET),
    ("directory:assets", lambda t: [], "GET", ALL),
    ("directory:assets", lambda t: [f"?ward={t['ward'].code}&kind=space"], "GET", ALL),
    ("directory:assets", lambda t: [], "POST", ONLY_GET),
    ("directory:asset", lambda t: [t["public_asset"].uuid], "GET", ALL),
    ("directory:asset", lambda t: [t["public_asset"].uuid], "POST", ONLY_GET),
    ("directory:asset", lambda t: [t["pending_asset"].uuid], "GET", INSIDERS),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
    from commonweal.accounts.models import Organisation
    from commonweal.accounts.services import create_organisation
    from commonweal.directory.search import reindex_services

    group = targets["group"]
    pending_group = create_organisation(name="Matrix Pending Group", kind=Organisation.Kind.INFORMAL_GROUP)
    # Its member is not the matrix's group member, so only officers and admins may see it.
    Organisation.objects.filter(pk=pending_group.pk).update(listing_status=ListingStatus.PENDING)
    pending_group.refresh_from_db()
    targets["pending_group"] = pending_group
    targets["public_service"] = Service.objects.create(organisation=group, name="Matrix lunch club")
    targets["pending_service"] = Service.objects.create(
        organisation=group, name="Matrix pending club", listing_status=ListingStatus.PENDING
    )
    targets["public_asset"] = Asset.objects.create(
        kind=Asset.Kind.SPACE, name="Matrix hall", organisation=group, ward=targets["ward"]
    )
    targets["pending_asset"] = Asset.objects.create(
        kind=Asset.Kind.SPACE, name="Matrix shed", organisation=group, listing_status=ListingStatus.PENDING
    )
    reindex_services()
