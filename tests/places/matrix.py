"""Permission-matrix rows for the borough's profile (see tests/test_permission_matrix.py).

The profile and its CSV are public, as every places page is; only stewards and administrators import a profile.
A crafted POST is empty: the form is shown again with its errors (200) and nothing is written.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import ROLES
from tests.matrix import ALL, Row, only

IMPORTERS = only("steward", "admin")
NOT_POSTED = dict.fromkeys(ROLES, 405)

ROWS: list[Row] = [
    ("places:profile", lambda t: [], "GET", ALL),
    ("places:profile", lambda t: [], "POST", NOT_POSTED),
    ("places:profile_csv", lambda t: [], "GET", ALL),
    ("places:profile_import", lambda t: [], "GET", IMPORTERS),
    ("places:profile_import", lambda t: [], "POST", IMPORTERS),
]


def add_targets(found: dict[str, Any]) -> None:
    """The profile pages need nothing beyond Merton's wards."""
