"""Funding's background tasks (django-tasks): run by `commonweal db_worker`, at once in tests."""

from __future__ import annotations

from django_tasks import task


@task()
def send_report_reminders() -> int:
    """Remind funded groups of monitoring reports due within 14 days or overdue, once each."""
    from .awards.reminders import remind_reports

    return remind_reports()


@task()
def build_360giving_spreadsheet() -> str:
    """Build the 360Giving spreadsheet of the grants as they are now (kept until they change)."""
    from .opendata.services import xlsx_file

    return str(xlsx_file())
