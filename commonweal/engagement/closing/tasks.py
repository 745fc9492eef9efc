"""Closing the loop's background task (django-tasks): run by `commonweal db_worker`, at once in tests."""

from __future__ import annotations

from django_tasks import task


@task()
def tell_respondents(consultation_id: int) -> int:
    """Email a consultation's decision to everyone who asked to hear back, each address once ever."""
    from .services import tell_respondents as tell

    return tell(consultation_id=consultation_id)
