"""Awards: offering a grant with its payment and monitoring schedules, the group's acceptance, payments in
tranches, monitoring reports and their review. Every status change goes through workflows.take() on a row
locked with select_for_update, so a double click cannot do a thing twice."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core.audit import acting, log_created
from commonweal.core.money import pounds
from commonweal.framework.models import Element

from .. import emails, workflows
from ..errors import FundingError, WorkflowError
from ..models import Application, Grant, MonitoringReport, ReportResult, Tranche
from ..money import split_equally
from ..permissions import conflict_with, is_applicant, is_officer
from .queries import completion_blockers, offer_refusal

ZERO = Decimal("0")
MAX_TRANCHES = 24
MAX_REPORTS = 24
MAX_RESULTS = 40


# --- schedules (pure helpers for the offer form) ------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 January + 1 = 28 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PlannedTranche:
    due_on: date
    amount: Decimal


@dataclass(frozen=True)
class PlannedReport:
    title: str
    due_on: date


def equal_tranches(amount: Decimal, count: int, *, first_due: date, last_due: date | None) -> list[PlannedTranche]:
    """Split `amount` into `count` tranches to the penny, the first due on `first_due`, the rest spread evenly
    up to `last_due` (or a month apart when there is no end)."""
    shares = list(split_equally(amount, list(range(count))).values())
    if last_due is None or last_due <= first_due or count == 1:
        dates = [add_months(first_due, n) for n in range(count)]
    else:
        span = (last_due - first_due).days
        dates = [first_due + timedelta(days=span * n // count) for n in range(count)]
    return [PlannedTranche(due, share) for due, share in zip(dates, shares, strict=True)]


def report_schedule(*, starts_on: date, ends_on: date, every_months: int) -> list[PlannedReport]:
    """A progress report every `every_months` months from the start while the project runs, and a final report
    a month after it ends."""
    planned: list[PlannedReport] = []
    n = 1
    while (due := add_months(starts_on, every_months * n)) < ends_on and n < MAX_REPORTS:
        planned.append(PlannedReport(f"Progress report {n}", due))
        n += 1
    planned.append(PlannedReport("Final report", add_months(ends_on, 1)))
    return planned


# --- offering a grant -----------------------------------------------------------------------------------


def grant_reference(application: Application) -> str:
    """The application's reference made safe for a 360Giving id: letters, digits and single hyphens only."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", application.reference).strip("-")
    return (safe or f"APP-{application.pk}")[:50]


def _unique_reference(base: str) -> str:
    reference, n = base, 1
    while Grant.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{base}-{n}"
    return reference


def _require_officer(by: Any, doing: str) -> None:
    if not is_officer(by):
        raise PermissionDenied(f"Only council officers can {doing}.")


def _require_no_conflict(by: Any, application: Application) -> None:
    """An officer with a conflict in the application (permissions.conflict_with) does not act on its grant."""
    conflict = conflict_with(by, application)
    if conflict is not None:
        raise PermissionDenied(conflict)


def _check_schedules(
    *,
    amount: Decimal | None,
    tranches: Sequence[Mapping[str, Any]],
    reports: Sequence[Mapping[str, Any]],
    errors: dict[str, str],
) -> None:
    if not tranches:
        errors["tranches"] = "Add at least one payment: a due date and an amount."
    elif len(tranches) > MAX_TRANCHES:
        errors["tranches"] = f"A grant can be paid in at most {MAX_TRANCHES} tranches."
    else:
        for n, row in enumerate(tranches, start=1):
            if row.get("due_on") is None:
                errors["tranches"] = f"Enter the date payment {n} is due."
                break
            value = row.get("amount")
            if value is None or value <= ZERO:
                errors["tranches"] = f"Enter an amount of more than £0 for payment {n}."
                break
        else:
            if amount is not None and amount > ZERO:
                total = sum((row["amount"] for row in tranches), ZERO)
                if total != amount:
                    gap = abs(amount - total)
                    more_or_less = "less" if total < amount else "more"
                    errors["tranches"] = (
                        f"The payments add up to {pounds(total)}, {pounds(gap)} {more_or_less} than the award of "
                        f"{pounds(amount)}. Change them so they add up to the award exactly."
                    )
    if not reports:
        errors["reports"] = "Add at least one monitoring report: a title and a due date."
    elif len(reports) > MAX_REPORTS:
        errors["reports"] = f"A grant can have at most {MAX_REPORTS} monitoring reports."
    else:
        for n, row in enumerate(reports, start=1):
            title = (row.get("title") or "").strip()
            if not title:
                errors["reports"] = f"Enter a title for report {n}, such as 'Final report'."
                break
            if len(title) > 140:
                errors["reports"] = f"Report {n}'s title must be 140 characters or fewer."
                break
            if row.get("due_on") is None:
                errors["reports"] = f"Enter the date report {n} is due."
                break


@transaction.atomic
def offer_grant(
    *,
    application: Application,
    amount: Decimal | None,
    award_date: date | None,
    conditions: str,
    starts_on: date | None,
    ends_on: date | None,
    tranches: Sequence[Mapping[str, Any]],
    reports: Sequence[Mapping[str, Any]],
    by: User,
) -> Grant:
    """Offer an approved application its grant, with payments that add up to the award exactly and the reports
    due; an application is offered one grant only."""
    _require_officer(by, "offer grants")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    _require_no_conflict(by, locked)
    refused = offer_refusal(locked)
    if refused is not None:
        raise WorkflowError(refused)
    errors: dict[str, str] = {}
    if amount is None:
        errors["amount"] = "Enter the amount of the grant in pounds, like 2500."
    elif amount <= ZERO:
        errors["amount"] = "The amount of the grant must be more than £0."
    if award_date is None:
        errors["award_date"] = "Enter the date of the award."
    if len(conditions) > 10000:
        errors["conditions"] = "The conditions must be 10,000 characters or fewer."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "The planned end must be on or after the planned start."
    _check_schedules(amount=amount, tranches=tranches, reports=reports, errors=errors)
    if errors:
        raise FundingError(errors)
    assert amount is not None and award_date is not None
    with acting(by):
        try:
            with transaction.atomic():
                grant = Grant.objects.create(
                    application=locked,
                    reference=_unique_reference(grant_reference(locked)),
                    amount=amount,
                    award_date=award_date,
                    conditions=conditions.strip(),
                    starts_on=starts_on,
                    ends_on=ends_on,
                    offered_by=by,
                    is_demo=bool(getattr(locked.round, "is_demo", False)),
                )
        except IntegrityError as error:  # a second officer's offer raced this one
            raise WorkflowError("A grant has already been offered for this application.") from error
        log_created(
            Tranche.objects.bulk_create(
                [Tranche(grant=grant, due_on=row["due_on"], amount=row["amount"]) for row in tranches]
            ),
            by,
        )
        log_created(
            MonitoringReport.objects.bulk_create(
                [MonitoringReport(grant=grant, title=row["title"].strip(), due_on=row["due_on"]) for row in reports]
            ),
            by,
        )
    emails.grant_offered(grant)
    return grant


# --- the group's answer ---------------------------------------------------------------------------------


def _locked_grant(grant: Grant) -> Grant:
    return Grant.objects.select_for_update().select_related("application__organisation").get(pk=grant.pk)


def _answered_grant(grant: Grant, by: User) -> Grant:
    """The offer, locked, for its group to accept or decline: nobody else answers it."""
    locked = _locked_grant(grant)
    if not is_applicant(by, locked):
        raise PermissionDenied(
            f"Only members of {locked.application.organisation.name} can accept or decline this offer."
        )
    return locked


def _check_reason(reason: str, name: str = "The reason") -> None:
    """A reason the group or the council will read: at most 5,000 characters (take() checks one is given)."""
    if len(reason) > 5000:
        raise FundingError({"reason": f"{name} must be 5,000 characters or fewer."})


def _cancel_scheduled_payments(grant: Grant, by: User) -> None:
    """A grant that will never run (declined or withdrawn) keeps the payments made; those to come are cancelled."""
    with acting(by):
        for tranche in grant.tranches.filter(status=Tranche.Status.SCHEDULED):
            tranche.status = Tranche.Status.CANCELLED
            tranche.save()


@transaction.atomic
def accept_grant(*, grant: Grant, confirmed: bool, by: User) -> Grant:
    """The group accepts the offer, having confirmed it read the conditions and accepts them for the group."""
    locked = _answered_grant(grant, by)
    if not confirmed and locked.status == Grant.Status.OFFERED:
        raise FundingError(
            {"confirm": "Confirm that you have read the conditions and accept them on behalf of your organisation."}
        )
    # Set before take(), so its one save records the acceptance with who and when in the audit log.
    locked.accepted_by = by
    locked.accepted_at = timezone.now()
    workflows.take(workflows.GRANT, locked, "accept", by=by)
    return locked


@transaction.atomic
def decline_grant(*, grant: Grant, reason: str, by: User) -> Grant:
    """The group turns the offer down, saying why; its scheduled payments are cancelled, as it will never be paid."""
    locked = _answered_grant(grant, by)
    _check_reason(reason, "Your reason")
    workflows.take(workflows.GRANT, locked, "decline", by=by, reason=reason)
    _cancel_scheduled_payments(locked, by)
    return locked


# --- payments -------------------------------------------------------------------------------------------


@transaction.atomic
def pay_tranche(*, tranche: Tranche, paid_on: date | None, payment_reference: str, by: User) -> Tranche:
    """Record a scheduled payment as paid, once, on a date no later than today, after the group accepted."""
    _require_officer(by, "record payments")
    locked = Tranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    _require_no_conflict(by, locked.grant.application)
    if locked.status == Tranche.Status.PAID:
        raise WorkflowError(f"This payment was already recorded as paid on {locked.paid_on:%-d %B %Y}.")
    if locked.status == Tranche.Status.CANCELLED:
        raise WorkflowError("This payment was cancelled, so it cannot be paid.")
    if locked.grant.status != Grant.Status.ACCEPTED:
        raise WorkflowError(
            f"This grant is {locked.grant.get_status_display().lower()}: "
            "payments can only be made once the group has accepted the offer."
        )
    errors: dict[str, str] = {}
    reference = payment_reference.strip()
    if paid_on is None:
        errors["paid_on"] = "Enter the date the payment was made."
    elif paid_on > timezone.localdate():
        errors["paid_on"] = "The payment date must be today or in the past."
    elif paid_on < locked.grant.award_date:
        errors["paid_on"] = f"The payment date cannot be before the award date, {locked.grant.award_date:%-d %B %Y}."
    if not reference:
        errors["payment_reference"] = "Enter the payment reference from the finance system."
    elif len(reference) > 60:
        errors["payment_reference"] = "The payment reference must be 60 characters or fewer."
    if errors:
        raise FundingError(errors)
    locked.status = Tranche.Status.PAID
    locked.paid_on = paid_on
    locked.paid_by = by
    locked.payment_reference = reference
    with acting(by):
        locked.save()
    return locked


@transaction.atomic
def complete_grant(*, grant: Grant, by: User) -> Grant:
    """Close a grant once every payment is made and every monitoring report accepted."""
    _require_officer(by, "complete grants")
    locked = _locked_grant(grant)
    _require_no_conflict(by, locked.application)
    if locked.status == Grant.Status.ACCEPTED:
        blockers = completion_blockers(locked)
        if blockers:
            raise WorkflowError("This grant cannot be completed yet. " + " ".join(blockers))
    workflows.take(workflows.GRANT, locked, "complete", by=by)
    return locked


@transaction.atomic
def withdraw_grant(*, grant: Grant, reason: str, by: User) -> Grant:
    """Withdraw an offer or a running grant, saying why; payments not yet made are cancelled."""
    _require_officer(by, "withdraw grants")
    locked = _locked_grant(grant)
    _require_no_conflict(by, locked.application)
    _check_reason(reason)
    workflows.take(workflows.GRANT, locked, "withdraw", by=by, reason=reason)
    _cancel_scheduled_payments(locked, by)
    return locked


# --- monitoring reports ---------------------------------------------------------------------------------


def framework_outcomes() -> list[Element]:
    """The outcomes a report's results can be counted against: the council framework's outcome elements."""
    return list(Element.objects.filter(kind=Element.Kind.OUTCOME).select_related("framework").order_by("position"))


def _clean_results(results: Iterable[Mapping[str, Any]], *, submitting: bool) -> list[ReportResult]:
    rows = list(results)
    if len(rows) > MAX_RESULTS:
        raise FundingError({"results": f"A report can give at most {MAX_RESULTS} outputs and outcomes."})
    outcomes = {element.pk: element for element in framework_outcomes()}
    cleaned: list[ReportResult] = []
    for n, row in enumerate(rows, start=1):
        kind = row.get("kind") or ""
        description = (row.get("description") or "").strip()
        unit = (row.get("unit") or "").strip()
        quantity = row.get("quantity")
        outcome = row.get("outcome")
        outcome_id = outcome.pk if isinstance(outcome, Element) else outcome
        if kind not in ReportResult.Kind.values:
            raise FundingError({"results": f"Choose whether result {n} is an output or an outcome."})
        if not description:
            raise FundingError({"results": f"Describe result {n}."})
        if len(description) > 300:
            raise FundingError({"results": f"Result {n}'s description must be 300 characters or fewer."})
        if len(unit) > 60:
            raise FundingError({"results": f"Result {n}'s unit must be 60 characters or fewer."})
        if quantity is not None and quantity < ZERO:
            raise FundingError({"results": f"Result {n}'s number cannot be less than 0."})
        if outcome_id is not None and outcome_id not in outcomes:
            raise FundingError({"results": f"Choose result {n}'s outcome from the council's framework."})
        if kind == ReportResult.Kind.OUTCOME and outcome_id is None and submitting:
            raise FundingError({"results": f"Choose which of the framework's outcomes result {n} is about."})
        cleaned.append(
            ReportResult(
                kind=kind,
                description=description,
                quantity=quantity,
                unit=unit,
                outcome=outcomes.get(outcome_id) if outcome_id is not None else None,
            )
        )
    if submitting and not cleaned:
        raise FundingError({"results": "Add at least one output or outcome: what you did or what changed."})
    return cleaned


def _locked_report(report: MonitoringReport) -> MonitoringReport:
    return (
        MonitoringReport.objects.select_for_update()
        .select_related("grant__application__organisation")
        .get(pk=report.pk)
    )


def _write_report(
    *,
    report: MonitoringReport,
    narrative: str,
    spent: Decimal | None,
    results: Iterable[Mapping[str, Any]],
    by: User,
    submitting: bool,
) -> MonitoringReport:
    locked = _locked_report(report)
    if not is_applicant(by, locked):
        raise PermissionDenied(f"Only members of {locked.grant.application.organisation.name} can fill in this report.")
    if locked.grant.status != Grant.Status.ACCEPTED:
        raise WorkflowError(
            f"This grant is {locked.grant.get_status_display().lower()}, so its reports cannot be changed."
        )
    if locked.status not in (MonitoringReport.Status.DUE, MonitoringReport.Status.CHANGES_REQUESTED):
        raise WorkflowError(f"This report is {locked.get_status_display().lower()}, so it cannot be changed now.")
    narrative = narrative.strip()
    errors: dict[str, str] = {}
    if len(narrative) > 10000:
        errors["narrative"] = "What happened must be 10,000 characters or fewer."
    elif submitting and not narrative:
        errors["narrative"] = "Say what happened: what you did with the grant and how it went."
    if spent is not None and spent < ZERO:
        errors["spent"] = "The money spent cannot be less than £0."
    elif submitting and spent is None:
        errors["spent"] = "Enter how much of the grant you have spent so far, in pounds."
    try:
        cleaned = _clean_results(results, submitting=submitting)
    except FundingError as error:
        errors.update({key: messages[0] for key, messages in error.message_dict.items()})
    if errors:
        raise FundingError(errors)
    locked.narrative = narrative
    locked.spent = spent
    with acting(by):
        locked.save()
        locked.results.all().delete()
        for result in cleaned:
            result.report = locked
        log_created(ReportResult.objects.bulk_create(cleaned), by)
    if submitting:
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        workflows.take(workflows.REPORT, locked, "submit", by=by)
        emails.report_received(locked)
    return locked


class ReportValues(TypedDict):
    """What the group writes in a monitoring report, whether it saves a draft or submits it."""

    report: MonitoringReport
    narrative: str
    spent: Decimal | None
    results: Iterable[Mapping[str, Any]]
    by: User


@transaction.atomic
def save_report_draft(**values: Unpack[ReportValues]) -> MonitoringReport:
    """Keep the group's report as a draft; nothing is required yet, but what is given must make sense."""
    return _write_report(**values, submitting=False)


@transaction.atomic
def submit_report(**values: Unpack[ReportValues]) -> MonitoringReport:
    """Send the report to the council: it needs what happened, the money spent and at least one result."""
    return _write_report(**values, submitting=True)


@transaction.atomic
def accept_report(*, report: MonitoringReport, by: User) -> MonitoringReport:
    """An officer accepts a submitted report."""
    return _review_report(report, "accept", by=by)


@transaction.atomic
def request_report_changes(*, report: MonitoringReport, reason: str, by: User) -> MonitoringReport:
    """An officer sends a submitted report back to the group, saying what needs changing."""
    return _review_report(report, "request_changes", by=by, reason=reason)


def _review_report(report: MonitoringReport, step: str, *, by: User, reason: str = "") -> MonitoringReport:
    """The officer's answer to a submitted report, with who answered, when and the note for the group."""
    _require_officer(by, "review monitoring reports")
    locked = _locked_report(report)
    _require_no_conflict(by, locked.grant.application)
    _check_reason(reason)
    locked.reviewed_by, locked.reviewed_at, locked.review_note = by, timezone.now(), reason.strip()
    workflows.take(workflows.REPORT, locked, step, by=by, reason=reason)
    return locked
