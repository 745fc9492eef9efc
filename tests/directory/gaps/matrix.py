"""Permission-matrix rows for the directory's gaps routes (see tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix import Row, only

COUNCIL = only("officer", "champion", "steward", "admin")
# A council role that POSTs is told the method is wrong; residents and group members never get that far.
COUNCIL_GET_ONLY = {role: (405 if code == 200 else code) for role, code in COUNCIL.items()}

ROWS: list[Row] = [
    ("directory:gaps", lambda t: [], "GET", COUNCIL),
    (
        "directory:gaps",
        lambda t: ["?category=food&asset_kind=space&sort=services&order=desc"],
        "GET",
        COUNCIL,
    ),
    ("directory:gaps", lambda t: [], "POST", COUNCIL_GET_ONLY),
    ("directory:gaps_csv", lambda t: [], "GET", COUNCIL),
    ("directory:gaps_csv", lambda t: [], "POST", COUNCIL_GET_ONLY),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
    from commonweal.directory.vocabulary import load_starter_vocabulary

    load_starter_vocabulary()
