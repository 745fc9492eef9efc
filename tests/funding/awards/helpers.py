"""Building blocks for the awards stories: an application the panel approved, and a grant offered for it.
Built from tests/funding/factories.py and a Decision, not from other areas' services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation, User
from commonweal.funding.awards.services import offer_grant
from commonweal.funding.models import Application, Decision, Grant
from tests.funding.factories import ApplicationFactory


def approved_application(
    *, organisation: Organisation, created_by: User, decided_by: User, amount: Decimal = Decimal("2000"), **extra: Any
) -> Application:
    """An application the panel approved, with its Decision, and no grant offered yet."""
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "organisation": organisation,
        "created_by": created_by,
        "status": Application.Status.APPROVED,
        "submitted_at": timezone.now() - timedelta(days=40),
        "amount_requested": amount,
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=395),
        **extra,
    }
    application = ApplicationFactory(**fields)
    Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.APPROVED,
        amount=amount,
        reasons="Strong plan, clear need in the ward.",
        decided_by=decided_by,
    )
    return application


def offered_grant(
    *,
    application: Application,
    by: User,
    tranches: list[tuple[date, Decimal]] | None = None,
    reports: list[tuple[str, date]] | None = None,
) -> Grant:
    """A grant offered for `application` (£2,000 by default) in two payments, with two reports."""
    today = timezone.localdate()
    tranches = tranches or [(today, Decimal("1000")), (today + timedelta(days=180), Decimal("1000"))]
    reports = reports or [
        ("Progress report", today + timedelta(days=180)),
        ("Final report", today + timedelta(days=400)),
    ]
    return offer_grant(
        application=application,
        amount=sum((amount for _, amount in tranches), Decimal("0")),
        award_date=today,
        conditions="Spend the grant on the project described.\nSend your reports on time.",
        starts_on=application.starts_on,
        ends_on=application.ends_on,
        tranches=[{"due_on": due, "amount": amount} for due, amount in tranches],
        reports=[{"title": title, "due_on": due} for title, due in reports],
        by=by,
    )
