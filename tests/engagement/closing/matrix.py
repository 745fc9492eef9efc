"""Permission-matrix rows for engagement's closing area (see tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix import Row

ROWS: list[Row] = []


def add_targets(found: dict[str, Any]) -> None:
    """The records this area's rows point at, added to the matrix's targets."""
