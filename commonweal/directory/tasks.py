"""The directory's background tasks (django-tasks): run by `commonweal db_worker`, at once in tests."""

from __future__ import annotations

from django_tasks import task


@task()
def import_directory_file(run_id: int, name: str = "", publish: bool = True) -> None:
    """Import the file of a queued ImportRun; the run records progress, the outcome and any rejected rows."""
    from .imports.runner import run_import

    run_import(run_id, name=name, publish=publish)
