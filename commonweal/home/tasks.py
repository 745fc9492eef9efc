"""Background tasks that reach across the capabilities (django-tasks): run by `commonweal db_worker`."""

from __future__ import annotations

from django_tasks import task


@task()
def apply_retention_periods() -> dict[str, int]:
    """Remove records kept longer than the council's retention periods; returns how many of each kind."""
    from .services import apply_retention

    return apply_retention()
