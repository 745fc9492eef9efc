"""Background jobs' states, for everyone who waits on one: queued, running, done, or failed with a plain message
and a way to try again.

The jobs run on django-tasks' database backend (django_tasks_db, worker `commonweal db_worker`). Its worker
marks a job failed when the job raises, but a worker killed outright (SIGKILL, the machine lost, out of memory)
leaves its job RUNNING for ever. `fail_abandoned_jobs` notices those: a job running for longer than
settings.COMMONWEAL_JOB_ABANDONED_SECONDS (longer than any job takes) is marked failed, saying the worker
stopped. An app whose job keeps its own record (an import run) registers hooks here, so that record says so too,
and is made ready before a retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_ABANDONED_SECONDS = 2 * 60 * 60
WORKER_LOST = "commonweal.core.jobs.WorkerLost"
WORKER_LOST_MESSAGE = (
    "The background worker stopped while doing this job (it was restarted or ran out of memory), "
    "so the job did not finish and nothing it was doing was kept. Try again."
)
QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"


class WorkerLost(Exception):
    """Stands for a job whose worker died: nothing raised it, `fail_abandoned_jobs` recorded it."""


@dataclass(frozen=True)
class Hooks:
    # (args, kwargs, plain message): the job failed, for a reason the job itself could not record.
    on_failed: Callable[[list[Any], dict[str, Any], str], None] | None = None
    # (args, kwargs): the job is about to be queued again; make its record ready (or raise JobNotRetryable).
    before_retry: Callable[[list[Any], dict[str, Any]], None] | None = None
    # (args, kwargs, the new job's id): the job was queued again.
    after_retry: Callable[[list[Any], dict[str, Any], str], None] | None = None


class JobNotRetryable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_HOOKS: dict[str, Hooks] = {}
# What each job does, in words, for the admins' list of failed jobs.
_TITLES: dict[str, str] = {}


def register(task: Any, *, title: str, hooks: Hooks | None = None) -> None:
    """Say what a task is called in plain words, and (optionally) how its own record follows failure/retry."""
    path = task.module_path
    _TITLES[path] = title
    if hooks is not None:
        _HOOKS[path] = hooks


def title_of(result: DBTaskResult) -> str:
    return _TITLES.get(result.task_path, result.task_path.rsplit(".", 1)[-1].replace("_", " ").capitalize())


def abandoned_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "COMMONWEAL_JOB_ABANDONED_SECONDS", DEFAULT_ABANDONED_SECONDS)))


def plain_message(result: DBTaskResult) -> str:
    """Why a failed job failed, in words a person can act on (the traceback stays in the server's log)."""
    if result.exception_class_path == WORKER_LOST:
        return WORKER_LOST_MESSAGE
    name = result.exception_class_path.rsplit(".", 1)[-1] or "an unknown error"
    return f"The job stopped with an unexpected error ({name}). The details are in the server's log. Try again."


@dataclass(frozen=True)
class JobState:
    status: str  # queued, running, succeeded, failed
    message: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def finished(self) -> bool:
        return self.status in {SUCCEEDED, FAILED}


_STATES = {
    TaskResultStatus.READY: QUEUED,
    TaskResultStatus.RUNNING: RUNNING,
    TaskResultStatus.SUCCESSFUL: SUCCEEDED,
    TaskResultStatus.FAILED: FAILED,
}


def job_state(task_id: str) -> JobState | None:
    """The state of one job, noticing first if its worker died; None if there is no such job."""
    fail_abandoned_jobs()
    result = DBTaskResult.objects.filter(pk=task_id).first() if is_job_id(task_id) else None
    if result is None:
        return None
    status = _STATES.get(TaskResultStatus(result.status), QUEUED)
    return JobState(status, plain_message(result) if status == FAILED else "")


def is_job_id(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def fail_abandoned_jobs() -> int:
    """Mark failed every job left running longer than a job can take (its worker died); returns how many."""
    cutoff = timezone.now() - abandoned_after()
    count = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff):
        with transaction.atomic():
            claimed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=WORKER_LOST,
                traceback=WORKER_LOST_MESSAGE,
            )
            if not claimed:
                continue
            count += 1
            logger.warning("Job %s (%s) was left running by a worker that stopped", result.pk, result.task_path)
            hooks = _HOOKS.get(result.task_path)
            if hooks and hooks.on_failed:
                hooks.on_failed(*_arguments(result), WORKER_LOST_MESSAGE)
    return count


def _arguments(result: DBTaskResult) -> tuple[list[Any], dict[str, Any]]:
    data = result.args_kwargs or {}
    return list(data.get("args", [])), dict(data.get("kwargs", {}))


def failed_job_count() -> int:
    """How many jobs failed, those whose worker died among them: one query and no writes, for a count on a page
    (the list itself, failed_jobs, marks the abandoned ones failed first)."""
    abandoned = Q(status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - abandoned_after())
    return DBTaskResult.objects.filter(Q(status=TaskResultStatus.FAILED) | abandoned).count()


def failed_jobs() -> list[DBTaskResult]:
    """Every failed job, the latest first (after noticing any whose worker died)."""
    fail_abandoned_jobs()
    return list(DBTaskResult.objects.failed().order_by("-finished_at")[:500])


def retry_job(task_id: str) -> str:
    """Queue a failed job again with the same arguments; returns the new job's id. The failed record goes (the
    new job stands for it). Raises JobNotRetryable with a plain message if it cannot be."""
    with transaction.atomic():
        result = DBTaskResult.objects.select_for_update().filter(pk=task_id).first() if is_job_id(task_id) else None
        if result is None or result.status != TaskResultStatus.FAILED:
            raise JobNotRetryable("That job is not a failed job any more: it may have been tried again already.")
        args, kwargs = _arguments(result)
        hooks = _HOOKS.get(result.task_path)
        if hooks and hooks.before_retry:
            hooks.before_retry(args, kwargs)
        try:
            task = import_string(result.task_path)
        except ImportError:
            task = None
        if not isinstance(task, Task):
            raise JobNotRetryable("This kind of job no longer exists, so it cannot be tried again.")
        # Run now (not at its first run_after), on the queue it was on.
        task = task.using(priority=result.priority, queue_name=result.queue_name)
        new = task.enqueue(*args, **kwargs)
        DBTaskResult.objects.filter(pk=result.pk).delete()
        if hooks and hooks.after_retry:
            hooks.after_retry(args, kwargs, str(new.id))
    return str(new.id)


def forget_job(task_id: str) -> None:
    """Drop a failed job's record (its owner queued a fresh job in its place)."""
    if is_job_id(task_id):
        DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.FAILED).delete()


# --- a file the worker builds, asked for by people who wait on a page ------------------------------------

Built = TypeVar("Built")


def request_build(
    *, key: str, ready: Callable[[], Built | None], enqueue: Callable[[], Any], seconds: int
) -> Built | JobState:
    """What `ready()` finds (the built file), or the state of its build: the first request for `key` queues one
    (`enqueue()`, the task's enqueue), and everyone who asks while it runs shares it, for up to `seconds`. A
    build that succeeded yet left nothing ready (what it was built from changed since) is queued again; a failed
    one is reported until forget_failed_build(key)."""
    found = ready()
    if found is not None:
        return found
    if cache.add(key, "", timeout=seconds):
        result = enqueue()
        cache.set(key, str(result.id), timeout=seconds)
    found = ready()  # built already where tasks run at once
    if found is not None:
        return found
    task_id = cache.get(key) or ""
    state = job_state(task_id) if task_id else None
    if state is not None and state.failed:
        return state
    if state is not None and state.status == SUCCEEDED:
        cache.delete(key)
        return request_build(key=key, ready=ready, enqueue=enqueue, seconds=seconds)
    return state or JobState(QUEUED)


def forget_failed_build(key: str) -> None:
    """Someone asked again after a failed build: forget the failure, so the next request queues a new build.
    Only a failed build is forgotten, so asking again and again never queues more than one at a time."""
    task_id = cache.get(key) or ""
    state = job_state(task_id) if task_id else None
    if state is not None and state.failed:
        cache.delete(key)
