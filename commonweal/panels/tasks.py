"""The citizens' panel's background tasks (django-tasks): run by `commonweal db_worker`, at once in tests."""

from __future__ import annotations

from django_tasks import task


@task()
def run_selection(selection_id: int) -> str:
    """Compute a selection's fair distribution (tens of seconds for a big pool); the page shows its progress."""
    from .selection.services import complete_run

    done = complete_run(selection_id=selection_id)
    return done.status if done is not None else "not waiting"


@task()
def erase_expired_volunteers(today: str = "") -> int:
    """The daily erasure: volunteers past the council's retention period; `today` (YYYY-MM-DD) only to replay."""
    from datetime import date

    from .pool.services import erase_expired_volunteers as erase

    return erase(today=date.fromisoformat(today) if today else None)


def selection_failed(args: list[object], kwargs: dict[str, object], message: str) -> None:
    """The worker died during a run: say so on the selection, which goes back to its quotas."""
    from .selection.services import fail_run

    selection_id = args[0] if args else kwargs.get("selection_id")
    if isinstance(selection_id, int):
        fail_run(selection_id=selection_id, message=message)
