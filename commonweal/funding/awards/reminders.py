"""Monitoring-report reminders: emails to the members of each funded group 14 days before a report is due,
and again once it is overdue. Each reminder goes once per report (MonitoringReport.reminded_at and
overdue_reminded_at). The task (tasks.send_report_reminders) is enqueued daily by
`commonweal remind_monitoring_reports` (run from cron), as the directory's stale-listing reminder is.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.queries import addresses_of_members

from ..models import Grant, MonitoringReport

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=14)
OPEN_STATUSES = (MonitoringReport.Status.DUE, MonitoringReport.Status.CHANGES_REQUESTED)


_recipients = addresses_of_members  # one rule for who hears about an organisation's records


def _open_reports() -> QuerySet[MonitoringReport]:
    return MonitoringReport.objects.filter(grant__status=Grant.Status.ACCEPTED).select_related(
        "grant__application__organisation"
    )


def reports_due_soon(now: datetime | None = None) -> QuerySet[MonitoringReport]:
    day = timezone.localdate(now) if now else timezone.localdate()
    return (
        _open_reports()
        .filter(status=MonitoringReport.Status.DUE, reminded_at__isnull=True, due_on__gte=day)
        .filter(due_on__lte=day + REMIND_BEFORE)
        .order_by("due_on", "pk")
    )


def reports_overdue(now: datetime | None = None) -> QuerySet[MonitoringReport]:
    day = timezone.localdate(now) if now else timezone.localdate()
    return (
        _open_reports()
        .filter(status__in=OPEN_STATUSES, overdue_reminded_at__isnull=True, due_on__lt=day)
        .order_by("due_on", "pk")
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:120]


def _send(report: MonitoringReport, *, overdue: bool, connection: object) -> bool:
    grant = report.grant
    organisation = grant.application.organisation
    recipients = _recipients(organisation)
    if not recipients:
        return False  # nobody to remind: officers see the late report flagged on their list
    link = settings.COMMONWEAL_BASE_URL + reverse("funding:report", args=[grant.reference, report.pk])
    template = "funding/emails/report_overdue.txt" if overdue else "funding/emails/report_due_soon.txt"
    body = render_to_string(template, {"report": report, "grant": grant, "organisation": organisation, "link": link})
    if overdue:
        subject = f"Your monitoring report is overdue: {_one_line(report.title)}"
    else:
        subject = f"Your monitoring report is due on {report.due_on:%-d %B %Y}: {_one_line(report.title)}"
    # One message each, so members' addresses are not shared with each other.
    emails = [EmailMessage(subject=subject, body=body, to=[address], connection=connection) for address in recipients]
    connection.send_messages(emails)  # type: ignore[attr-defined]
    return True


def remind_reports(*, now: datetime | None = None) -> int:
    """Email each funded group about reports due within 14 days and reports overdue, once each; returns how
    many reports the groups were reminded about."""
    now = now or timezone.now()
    connection = get_connection()
    sent = 0
    for overdue, reports in ((False, reports_due_soon(now)), (True, reports_overdue(now))):
        for report in list(reports):
            try:
                if not _send(report, overdue=overdue, connection=connection):
                    continue
            except Exception:  # one bad address or a mail server hiccup must not stop the others
                logger.exception("Could not send the monitoring-report reminder for report %s", report.pk)
                continue
            # A reminder is not a change to the report: update() leaves the audit log alone.
            field = "overdue_reminded_at" if overdue else "reminded_at"
            MonitoringReport.objects.filter(pk=report.pk).update(**{field: now})
            sent += 1
    return sent
