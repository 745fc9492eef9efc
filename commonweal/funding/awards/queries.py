"""Reads for the awards pages: one query function per page, shaped so a page runs a fixed number of queries."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ..models import Application, Decision, Grant, MonitoringReport, ReportResult, Tranche
from ..permissions import is_applicant, is_officer

LATE_STATUSES = (MonitoringReport.Status.DUE, MonitoringReport.Status.CHANGES_REQUESTED)
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
MISSING_AFTER = timedelta(days=30)


def completion_blockers(grant: Grant) -> list[str]:
    """What still stands between a grant and its completion, in sentences; empty when it can be completed."""
    blockers = []
    unpaid = [t for t in grant.tranches.all() if t.status == Tranche.Status.SCHEDULED]
    if unpaid:
        blockers.append(f"{len(unpaid)} payment{'s are' if len(unpaid) != 1 else ' is'} still to be made.")
    open_reports = [r for r in grant.reports.all() if r.status != MonitoringReport.Status.ACCEPTED]
    if open_reports:
        blockers.append(
            f"{len(open_reports)} monitoring report{'s have' if len(open_reports) != 1 else ' has'} "
            "not been accepted yet."
        )
    return blockers


def report_is_missing(report: MonitoringReport, today: date | None = None) -> bool:
    """Missing: more than 30 days late."""
    today = today or timezone.localdate()
    return report.is_late and report.due_on < today - MISSING_AFTER


def application_for_offer(uuid: Any) -> Application:
    application = (
        Application.objects.select_related("organisation", "round__fund", "decision", "pot").filter(uuid=uuid).first()
    )
    if application is None:
        raise Http404("There is no application at this address.")
    return application


def offer_refusal(application: Application) -> str | None:
    """Why this application may not be offered a grant, or None when it may: the panel approved it and it has
    no grant yet. The offer page asks before showing the form; offer_grant asks again, under a lock."""
    if Grant.objects.filter(application=application).exists():
        return "A grant has already been offered for this application."
    decision = Decision.objects.filter(application=application).first()
    if (
        application.status != Application.Status.APPROVED
        or decision is None
        or decision.outcome != Decision.Outcome.APPROVED
    ):
        return "Only an application the panel approved can be offered a grant."
    return None


def existing_grant(application: Application) -> Grant | None:
    return Grant.objects.filter(application=application).first()


def grant_by_reference(reference: str) -> Grant:
    grant = (
        Grant.objects.select_related("application__organisation", "application__round__fund", "offered_by")
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("due_on", "pk")),
            Prefetch("reports", queryset=MonitoringReport.objects.order_by("due_on", "pk")),
        )
        .filter(reference=reference)
        .first()
    )
    if grant is None:
        raise Http404("There is no grant at this address.")
    return grant


@dataclass(frozen=True)
class ReportRow:
    report: MonitoringReport
    is_late: bool
    is_missing: bool


def report_rows(reports: list[MonitoringReport], today: date) -> list[ReportRow]:
    return [ReportRow(r, r.is_late, report_is_missing(r, today)) for r in reports]


def grant_page(grant: Grant, user: Any) -> dict[str, Any]:
    """The grant's offer letter, its payments, its reports and what this person may do next."""
    today = timezone.localdate()
    tranches = list(grant.tranches.all())
    reports = list(grant.reports.all())
    officer = is_officer(user)
    manager = is_applicant(user, grant)
    paid = sum((t.amount for t in tranches if t.status == Tranche.Status.PAID), Decimal("0"))
    return {
        "grant": grant,
        "application": grant.application,
        "organisation": grant.application.organisation,
        "tranches": tranches,
        "reports": report_rows(reports, today),
        "paid": paid,
        "to_pay": grant.amount - paid,
        "is_officer": officer,
        "is_applicant": manager,
        "may_answer": manager and grant.status == Grant.Status.OFFERED,
        "may_pay": officer and grant.status == Grant.Status.ACCEPTED,
        "may_withdraw": officer and grant.status in (Grant.Status.OFFERED, Grant.Status.ACCEPTED),
        "may_complete": officer and grant.status == Grant.Status.ACCEPTED,
        "completion_blockers": completion_blockers(grant) if grant.status == Grant.Status.ACCEPTED else [],
        "today": today,
    }


def report_for(grant: Grant, pk: int) -> MonitoringReport:
    report = (
        MonitoringReport.objects.filter(grant=grant, pk=pk)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related(Prefetch("results", queryset=ReportResult.objects.select_related("outcome")))
        .first()
    )
    if report is None:
        raise Http404("There is no report at this address.")
    return report


def report_page(grant: Grant, report: MonitoringReport, user: Any) -> dict[str, Any]:
    """A monitoring report: what the group gave, and whether this person may fill it in or review it."""
    manager = is_applicant(user, grant)
    editable_status = report.status in LATE_STATUSES
    return {
        "grant": grant,
        "organisation": grant.application.organisation,
        "report": report,
        "results": list(report.results.all()),
        "is_late": report.is_late,
        "is_missing": report_is_missing(report),
        "is_officer": is_officer(user),
        "may_edit": manager and editable_status and grant.status == Grant.Status.ACCEPTED,
        "may_review": is_officer(user) and report.status == MonitoringReport.Status.SUBMITTED,
    }


# --- the officers' list of grants -------------------------------------------------------------------------

FILTERS = {
    "late": "Late reports",
    "awaiting": "Awaiting acceptance",
    "due": "Payments due this month",
    "review": "Reports to review",
}


def _month_end(today: date) -> date:
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def _grants_annotated(today: date) -> QuerySet[Grant]:
    scheduled = Tranche.objects.filter(grant=OuterRef("pk"), status=Tranche.Status.SCHEDULED).order_by("due_on", "pk")
    paid = (
        Tranche.objects.filter(grant=OuterRef("pk"), status=Tranche.Status.PAID)
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    late = MonitoringReport.objects.filter(grant=OuterRef("pk"), status__in=LATE_STATUSES, due_on__lt=today)
    late_count = late.values("grant").annotate(n=Count("pk")).values("n")
    missing_count = late.filter(due_on__lt=today - MISSING_AFTER).values("grant").annotate(n=Count("pk")).values("n")
    return (
        Grant.objects.select_related("application__organisation", "application__round__fund")
        .annotate(
            paid_total=Coalesce(Subquery(paid, output_field=MONEY), Value(Decimal("0")), output_field=MONEY),
            next_due_on=Subquery(scheduled.values("due_on")[:1]),
            next_amount=Subquery(scheduled.values("amount")[:1], output_field=MONEY),
            late_reports=Coalesce(Subquery(late_count), Value(0)),
            missing_reports=Coalesce(Subquery(missing_count), Value(0)),
        )
        .annotate(late_only=F("late_reports") - F("missing_reports"))
    )


def reports_to_review() -> QuerySet[MonitoringReport]:
    """Monitoring reports a group has sent that no officer has reviewed yet."""
    return MonitoringReport.objects.filter(status=MonitoringReport.Status.SUBMITTED)


def grants_manage_page(*, show: str, today: date | None = None) -> dict[str, Any]:
    """Every grant with what was paid, the next payment and late or missing reports; counts at the top."""
    today = today or timezone.localdate()
    month_end = _month_end(today)
    running = (Grant.Status.OFFERED, Grant.Status.ACCEPTED)
    grants = _grants_annotated(today)
    due_this_month = Tranche.objects.filter(
        status=Tranche.Status.SCHEDULED, due_on__lte=month_end, grant__status__in=running
    )
    late_reports = MonitoringReport.objects.filter(
        status__in=LATE_STATUSES, due_on__lt=today, grant__status__in=running
    )
    counts = {
        "grants": Grant.objects.count(),
        "awaiting": Grant.objects.filter(status=Grant.Status.OFFERED).count(),
        "late": late_reports.count(),
        "missing": late_reports.filter(due_on__lt=today - MISSING_AFTER).count(),
        "due": due_this_month.count(),
        "due_amount": due_this_month.aggregate(total=Sum("amount"))["total"] or Decimal("0"),
    }
    totals = Grant.objects.exclude(status__in=(Grant.Status.DECLINED, Grant.Status.WITHDRAWN)).aggregate(
        awarded=Sum("amount")
    )
    counts["awarded"] = totals["awarded"] or Decimal("0")
    counts["paid"] = Tranche.objects.filter(status=Tranche.Status.PAID).aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0")
    if show == "late":
        grants = grants.filter(Exists(late_reports.filter(grant=OuterRef("pk"))))
    elif show == "awaiting":
        grants = grants.filter(status=Grant.Status.OFFERED)
    elif show == "due":
        grants = grants.filter(Exists(due_this_month.filter(grant=OuterRef("pk"))))
    elif show == "review":
        grants = grants.filter(Exists(reports_to_review().filter(grant=OuterRef("pk"))))
    grants = grants.order_by(F("next_due_on").asc(nulls_last=True), "-award_date", "reference")
    return {
        "grants": grants,
        "counts": counts,
        "show": show if show in FILTERS else "",
        "show_label": FILTERS.get(show, ""),
        "filters": FILTERS,
        "today": today,
        "month_end": month_end,
    }


def applications_awaiting_offer() -> list[Application]:
    """Applications the panel approved that have no grant offered yet (the officers' to-do list)."""
    return list(
        Application.objects.filter(status=Application.Status.APPROVED, decision__outcome="approved", grant__isnull=True)
        .select_related("organisation", "round__fund", "decision")
        .order_by("decision__decided_at", "reference")[:100]
    )
