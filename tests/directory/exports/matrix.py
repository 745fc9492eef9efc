"""Permission-matrix rows for the directory's open data (see tests/test_permission_matrix.py): public."""

from __future__ import annotations

from typing import Any

from tests.matrix import ALL, Row

READ_ONLY = dict.fromkeys(ALL, 405)

ROWS: list[Row] = [
    ("directory:open_data", lambda t: [], "GET", ALL),
    ("directory:export_csv", lambda t: [], "GET", ALL),
    ("directory:export_oruk", lambda t: [], "GET", ALL),
    ("directory:export_csv", lambda t: [], "POST", READ_ONLY),
]


def add_targets(targets: dict[str, Any]) -> None:
    """Nothing to add: the downloads work on whatever the directory holds (matrix_api adds a service)."""
