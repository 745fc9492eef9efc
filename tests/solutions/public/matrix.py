"""Permission-matrix rows for the Solutions Framework's public area (see tests/test_permission_matrix.py): the
log, a blockage's page, case studies and the feed are for everyone; the dashboard for stewards and champions."""

from __future__ import annotations

from typing import Any

from tests.conftest import ROLES
from tests.matrix import ALL, Row, only

READ_ONLY: dict[str, int | str] = dict.fromkeys(ROLES, 405)
DASHBOARD = only("steward", "champion")
# A POST to a page that only reads is the wrong method for everyone, before anyone is asked who they are.
DASHBOARD_POST = READ_ONLY


def _blockage(t: dict[str, Any]) -> list[Any]:
    return [t["public_blockage"].uuid]


def _study(t: dict[str, Any]) -> list[Any]:
    return [t["public_case_study"].pk]


ROWS: list[Row] = [
    ("solutions:log", lambda t: [], "GET", ALL),
    ("solutions:log", lambda t: ["?status=open&q=conifers"], "GET", ALL),
    ("solutions:log", lambda t: [], "POST", READ_ONLY),
    ("solutions:public_blockage", _blockage, "GET", ALL),
    ("solutions:public_blockage", _blockage, "POST", READ_ONLY),
    ("solutions:case_studies", lambda t: [], "GET", ALL),
    ("solutions:case_studies", lambda t: [], "POST", READ_ONLY),
    ("solutions:case_study", _study, "GET", ALL),
    ("solutions:case_study", _study, "POST", READ_ONLY),
    ("solutions:dashboard", lambda t: [], "GET", DASHBOARD),
    ("solutions:dashboard", lambda t: [], "POST", DASHBOARD_POST),
    ("solutions:dashboard_csv", lambda t: [], "GET", DASHBOARD),
    ("solutions:dashboard_csv", lambda t: [], "POST", DASHBOARD_POST),
    # The feed: open data, for everyone, read-only.
    ("solutions_api:blockages", lambda t: [], "GET", ALL),
    ("solutions_api:blockages", lambda t: [], "POST", READ_ONLY),
    ("solutions_api:blockage", _blockage, "GET", ALL),
    ("solutions_api:blockage", _blockage, "POST", READ_ONLY),
]


def add_targets(targets: dict[str, Any]) -> None:
    """A blockage on the public log and a published case study."""
    from tests.solutions import factories

    parks = factories.department("Matrix parks")
    category = factories.category("Matrix public trees", parks)
    blockage = factories.blockage(category=category, ward=targets["ward"], title="Matrix conifers")
    study = factories.case_study("Matrix case study", blockage=blockage)
    targets.update(public_blockage=blockage, public_case_study=study)
