"""Issue 10: payments, reports and report results written in bulk each leave an audit-log entry naming who."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from commonweal.accounts.models import User
from commonweal.funding.awards.services import save_report_draft
from commonweal.funding.models import Application, Grant, MonitoringReport, ReportResult, Tranche
from tests.funding.awards.helpers import offered_grant

pytestmark = pytest.mark.django_db


def created_entries(model: type[Model]) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), action=LogEntry.Action.CREATE)
    )


def test_an_offers_payments_and_reports_are_each_logged_naming_the_officer(
    application: Application, officer: User
) -> None:
    grant = offered_grant(application=application, by=officer)
    for model, rows in ((Tranche, grant.tranches.all()), (MonitoringReport, grant.reports.all())):
        entries = created_entries(model)
        assert sorted(int(e.object_pk) for e in entries) == sorted(r.pk for r in rows), model
        assert {e.actor for e in entries} == {officer}, model
    amounts = sorted(Decimal(e.changes_dict["amount"][1]) for e in created_entries(Tranche))
    assert amounts == sorted(t.amount for t in grant.tranches.all())


def test_a_reports_results_are_each_logged_naming_the_group_member(accepted_grant: Grant, member: User) -> None:
    report = accepted_grant.reports.order_by("due_on").first()
    assert report is not None
    output = {"kind": "output", "description": "Lunch club sessions", "quantity": Decimal("40"), "unit": "sessions"}
    save_report_draft(report=report, narrative="Half done.", spent=None, results=[output], by=member)
    result = ReportResult.objects.get(report=report)
    (entry,) = created_entries(ReportResult)
    assert entry.object_pk == str(result.pk)
    assert entry.actor == member
    assert entry.changes_dict["description"][1] == "Lunch club sessions"
