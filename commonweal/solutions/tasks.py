"""The Solutions Framework's background tasks (django-tasks): run by `commonweal db_worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_late_blockages(today: str = "") -> dict[str, int]:
    """The daily breach task: flag and escalate every late blockage; `today` (YYYY-MM-DD) only to replay a day."""
    from datetime import date

    from .escalation import escalate_late_blockages as escalate

    return escalate(today=date.fromisoformat(today) if today else None).as_dict()
