"""Funding's background tasks (django-tasks): run by `commonweal db_worker`, at once in tests."""

from __future__ import annotations

from typing import Any

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


@task()
def build_panel_pack(round_id: int, user_id: int, search: dict[str, Any]) -> str:
    """Build one officer's panel pack PDF of a search of a round (kept until the round changes)."""
    from commonweal.accounts.models import User

    from .assess.pack import build_panel_pack as build
    from .assess.queries import ApplicationSearch
    from .models import Round

    return str(
        build(
            round=Round.objects.select_related("fund").get(pk=round_id),
            user=User.objects.get(pk=user_id),
            search=ApplicationSearch(**search),
        )
    )
