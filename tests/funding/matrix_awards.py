"""Permission-matrix rows for funding's awards routes (see tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix import Row

ROWS: list[Row] = []


def add_targets(targets: dict[str, Any]) -> None:
    """Create what these rows' paths need (the group is targets['group'], whose member is the group_member)."""
