"""Groups are reminded of monitoring reports by a background task: once 14 days before a report is due, and
once when it is overdue; never for a report already sent, nor for a grant not accepted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.funding.awards.reminders import remind_reports
from commonweal.funding.awards.services import submit_report
from commonweal.funding.models import Grant, MonitoringReport
from commonweal.funding.tasks import send_report_reminders


def due_in(report: MonitoringReport, days: int) -> MonitoringReport:
    MonitoringReport.objects.filter(pk=report.pk).update(due_on=timezone.localdate() + timedelta(days=days))
    report.refresh_from_db()
    return report


def first(grant: Grant) -> MonitoringReport:
    return grant.reports.order_by("due_on").first()


def test_the_groups_members_are_reminded_once_two_weeks_before_a_report_is_due(
    accepted_grant: Grant, member: User, make_user: Callable[..., User]
) -> None:
    second = make_user("group_member", organisation=accepted_grant.application.organisation, email="second@example.org")
    report = due_in(first(accepted_grant), 14)

    assert remind_reports() == 1

    assert sorted(m.to[0] for m in mail.outbox) == [member.email, second.email]
    message = mail.outbox[0]
    assert message.subject.startswith("Your monitoring report is due on ")
    assert message.subject.endswith(": Progress report")
    assert f'"Progress report" for grant {accepted_grant.reference}' in message.body
    assert f"http://127.0.0.1:8000/funding/grants/{accepted_grant.reference}/reports/{report.pk}/" in message.body
    report.refresh_from_db()
    assert report.reminded_at is not None

    assert remind_reports() == 0
    assert len(mail.outbox) == 2


def test_a_report_due_in_more_than_two_weeks_waits(accepted_grant: Grant, member: User) -> None:
    due_in(first(accepted_grant), 15)
    assert remind_reports() == 0
    assert mail.outbox == []


def test_an_overdue_report_gets_one_overdue_reminder(accepted_grant: Grant, member: User) -> None:
    report = due_in(first(accepted_grant), 10)
    remind_reports()
    due_in(report, -1)
    assert remind_reports() == 1
    assert remind_reports() == 0
    subjects = [m.subject for m in mail.outbox]
    assert subjects[-1] == "Your monitoring report is overdue: Progress report"
    assert len(subjects) == 2
    assert "was due on" in mail.outbox[-1].body


def test_a_report_already_sent_is_not_chased(accepted_grant: Grant, member: User, outcomes: list) -> None:
    report = due_in(first(accepted_grant), -3)
    submit_report(
        report=report,
        narrative="Done.",
        spent=Decimal("5"),
        results=[{"kind": "output", "description": "Sessions"}],
        by=member,
    )
    assert remind_reports() == 0
    assert mail.outbox == []


def test_an_offer_not_yet_accepted_gets_no_reminders(grant: Grant, member: User) -> None:
    due_in(first(grant), 3)
    assert remind_reports() == 0


def test_the_task_and_the_command_send_the_reminders(accepted_grant: Grant, member: User) -> None:
    due_in(first(accepted_grant), 1)
    result = send_report_reminders.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1

    due_in(accepted_grant.reports.order_by("due_on").last(), -2)
    out = StringIO()
    call_command("remind_monitoring_reports", stdout=out)
    assert "Queued the monitoring-report reminder" in out.getvalue()
    assert len(mail.outbox) == 2

    out = StringIO()
    call_command("remind_monitoring_reports", "--now", stdout=out)
    assert out.getvalue().strip() == "Reminded groups about 0 reports."
