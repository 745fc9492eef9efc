"""Permission-matrix rows for the ORUK API (see tests/test_permission_matrix.py): public, no key."""

from __future__ import annotations

from typing import Any

from tests.matrix import ALL, Row

ROWS: list[Row] = [
    ("oruk:api-root", lambda t: "/api/oruk/", "GET", ALL),
    ("oruk:api_details", lambda t: "/api/oruk/", "GET", ALL),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
