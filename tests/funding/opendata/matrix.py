"""Permission-matrix rows for funding's open routes (see tests/test_permission_matrix.py).

Everything here is public: anyone may read the open data page, download the 360Giving files and see where the
money went. They only read, so any other method is refused with 405.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from commonweal.accounts.models import Organisation, User
from commonweal.funding.models import Application, Grant, Tranche
from tests.conftest import ROLES
from tests.funding.factories import ApplicationFactory, RoundFactory
from tests.matrix import ALL, Row

READ_ONLY = dict.fromkeys(ROLES, 405)

ROWS: list[Row] = [
    ("funding:open_data", lambda t: [], "GET", ALL),
    ("funding:open_data", lambda t: [], "POST", READ_ONLY),
    ("funding:open_data_json", lambda t: [], "GET", ALL),
    ("funding:open_data_json", lambda t: [], "POST", READ_ONLY),
    ("funding:open_data_xlsx", lambda t: [], "GET", ALL),
    # "Try again" after a failed build: anyone may ask (it queues a build only if the last one failed).
    ("funding:open_data_xlsx", lambda t: [], "POST", dict.fromkeys(ROLES, 302)),
    ("funding:where_money_went", lambda t: [], "GET", ALL),
    ("funding:where_money_went", lambda t: [], "POST", READ_ONLY),
]


def add_targets(targets: dict[str, Any]) -> None:
    """An accepted grant in the matrix ward and theme, with one payment made, so every page has a grant."""
    officer = User.objects.create_user("open-matrix-officer@example.org", "unused password 1234")
    charity = Organisation.objects.create(
        name="Matrix Open Charity",
        slug="matrix-open-charity",
        kind=Organisation.Kind.REGISTERED_CHARITY,
        charity_number="1199999",
    )
    application = ApplicationFactory(
        round=RoundFactory(slug="open-matrix-round"),
        organisation=charity,
        created_by=officer,
        status=Application.Status.APPROVED,
        title="Matrix open project",
    )
    application.wards.set([targets["ward"]])
    if targets.get("theme") is not None:
        application.themes.set([targets["theme"]])
    grant = Grant.objects.create(
        application=application,
        reference="OPEN-MATRIX-1",
        status=Grant.Status.ACCEPTED,
        amount=Decimal("1500"),
        award_date=date(2026, 3, 1),
        offered_by=officer,
    )
    Tranche.objects.create(
        grant=grant,
        due_on=date(2026, 4, 1),
        amount=Decimal("750"),
        status=Tranche.Status.PAID,
        paid_on=date(2026, 4, 1),
        paid_by=officer,
    )
    targets["open_grant"] = grant
