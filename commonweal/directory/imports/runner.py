"""An import run from start to end: keep the upload, queue the task, read and check every row (writing
progress as it goes), save everything at once, and leave the run saying what happened.

The web pages and the `import_directory` command both come through here, so they behave the same.
"""

from __future__ import annotations

import gc
import logging
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core import jobs
from commonweal.core.audit import acting
from commonweal.directory.models import ImportRun

from .charity_commission import parse_charity_commission
from .groups import parse_groups
from .oruk import parse_oruk
from .reading import MB, ImportRefused, check_size
from .records import Parsed, Problem
from .vocabulary_csv import parse_vocabulary
from .writing import (
    Options,
    Outcome,
    apply_organisations,
    apply_vocabulary,
    check_organisations,
    check_vocabulary,
)

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * MB
PARSERS = {
    ImportRun.Kind.CHARITY_COMMISSION: parse_charity_commission,
    ImportRun.Kind.ORUK_FEED: parse_oruk,
    ImportRun.Kind.GROUPS_CSV: parse_groups,
    ImportRun.Kind.TAXONOMY_CSV: parse_vocabulary,
}
SUFFIXES = (".csv", ".txt", ".tsv", ".json")
NAME_MAX = 200
# Write progress at most this often, so a big file is not slowed by its own progress bar.
PROGRESS_SECONDS = 0.5


def max_bytes() -> int:
    """The biggest file an import takes (settings.COMMONWEAL_IMPORT_MAX_BYTES, 50 MB unless set)."""
    return int(getattr(settings, "COMMONWEAL_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def clean_filename(name: str) -> str:
    """The name of the file as its sender called it, without folders or control characters, for showing."""
    base = PurePath(name.replace("\\", "/")).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return base[:255] or "upload"


def default_name(filename: str) -> str:
    """'sutton-directory.json' -> 'sutton-directory': the vocabulary's name when none is given."""
    return (PurePath(filename).stem.strip() or "Imported vocabulary")[:NAME_MAX]


def store_upload(upload: UploadedFile) -> Path:
    """Keep an uploaded file under the var directory until its run ends, under a name we chose."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = PurePath(upload.name or "").suffix.lower()
    path = folder / f"{uuid.uuid4().hex}{suffix if suffix in SUFFIXES else ''}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


def start_import(
    *, kind: str, upload: UploadedFile, by: User | None, name: str = "", publish: bool = True
) -> ImportRun:
    """Record a run for the upload and queue the background task that imports it."""
    from commonweal.directory.tasks import import_directory_file

    filename = clean_filename(upload.name or "")
    path = store_upload(upload)
    run = ImportRun.objects.create(kind=kind, filename=filename, stored_path=str(path), started_by=by)
    try:
        result = import_directory_file.enqueue(run.pk, name=name.strip(), publish=publish)
    except Exception:
        logger.exception("Could not queue import run %s", run.pk)
        _finish(run, status=ImportRun.Status.FAILED, error="The import could not be queued, so nothing was changed.")
        path.unlink(missing_ok=True)
    else:
        ImportRun.objects.filter(pk=run.pk).update(task_id=result.id[:64])
    run.refresh_from_db()
    return run


class RunProgress:
    """Writes how many rows have been checked to the run, now and then, for the progress page."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.total = 0
        self.written_at = 0.0

    def start(self, total: int) -> None:
        self.total = total
        ImportRun.objects.filter(pk=self.run.pk).update(total_rows=total, processed_rows=0)

    def advance(self, done: int) -> None:
        now = time.monotonic()
        if now - self.written_at < PROGRESS_SECONDS:
            return
        self.written_at = now
        if done > self.total:
            self.total = done
        ImportRun.objects.filter(pk=self.run.pk).update(processed_rows=done, total_rows=self.total)

    def checked(self, rows: int) -> None:
        """Every row is read and checked (the total was an estimate until now); saving comes next."""
        self.total = rows
        ImportRun.objects.filter(pk=self.run.pk).update(processed_rows=rows, total_rows=rows)


def _finish(
    run: ImportRun, *, status: str, error: str = "", problems: list[Problem] | None = None, **counts: Any
) -> None:
    problems = problems or []
    fields: dict[str, Any] = {
        "status": status,
        "error": error,
        "finished_at": timezone.now(),
        "rejections": [p.as_json() for p in problems],
        "rejected_count": sum(1 for p in problems if not p.note),
        **counts,
    }
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def _read(run: ImportRun) -> bytes:
    path = Path(run.stored_path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportRefused("The uploaded file is no longer there, so nothing was imported. Upload it again.") from None
    check_size(size, max_bytes())
    return path.read_bytes()


def _notes(parsed: Parsed, outcome: Outcome) -> list[Problem]:
    notes = [Problem(None, outcome.summary(), note=True)]
    for why, count in sorted(parsed.skipped.items()):
        notes.append(Problem(None, f"{count:,} {'row was' if count == 1 else 'rows were'} left out: {why}.", note=True))
    return notes


@dataclass
class Result:
    parsed: Parsed
    outcome: Outcome


def _import(run: ImportRun, *, name: str, publish: bool, progress: RunProgress) -> Result:
    data = _read(run)
    options = Options(
        source=run.kind,
        by=run.started_by,
        run_id=run.pk,
        vocabulary_name=(name.strip() or default_name(run.filename))[:NAME_MAX],
        publish=publish,
        one_service_each=run.kind == ImportRun.Kind.GROUPS_CSV,
    )
    parser = PARSERS.get(ImportRun.Kind(run.kind)) if run.kind in ImportRun.Kind.values else None
    if parser is None:
        raise ImportRefused(f"“{run.kind}” is not a kind of import we know, so nothing was imported.")
    parsed = parser(data, progress=progress)
    del data
    progress.checked(parsed.rows)
    with acting(run.started_by):
        if run.kind == ImportRun.Kind.TAXONOMY_CSV:
            outcome = apply_vocabulary(check_vocabulary(parsed, name=options.vocabulary_name), options)
        else:
            plan = check_organisations(parsed, merge_duplicates=run.kind == ImportRun.Kind.ORUK_FEED)
            outcome = apply_organisations(plan, parsed, options)
    return Result(parsed, outcome)


def run_import(run_id: int, *, name: str = "", publish: bool = True) -> ImportRun:
    """Import a queued run's file. Whatever happens the run ends finished or failed, saying why; a failed
    run changed nothing, because every write happens in one transaction at the end."""
    run = ImportRun.objects.select_related("started_by").get(pk=run_id)
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return run  # already run (a task retried, or the command and a worker raced)
    progress = RunProgress(run)
    keep_upload = False
    # A big file makes millions of objects that hold no cycles; collecting them over and over as they are made
    # costs a fifth of the time. Collection comes back on, whatever happens, when the run ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = _import(run, name=name, publish=publish, progress=progress)
    except ImportRefused as refusal:
        _finish(run, status=ImportRun.Status.FAILED, error=refusal.message, problems=refusal.problems)
    except Exception as error:
        logger.exception("Import run %s failed", run.pk)
        keep_upload = True  # so it can be tried again
        _finish(
            run,
            status=ImportRun.Status.FAILED,
            error=(
                f"The import stopped with an unexpected error while saving ({type(error).__name__}), "
                "so nothing was changed. The error is in the server's log; try again, or ask for help."
            ),
        )
    else:
        parsed, outcome = result.parsed, result.outcome
        problems = sorted([*parsed.problems, *outcome.problems], key=lambda p: (p.line or 0, not p.note))
        _finish(
            run,
            status=ImportRun.Status.SUCCEEDED,
            problems=[*_notes(parsed, outcome), *problems],
            total_rows=parsed.rows,
            processed_rows=parsed.rows,
            created_count=outcome.created_count,
            updated_count=outcome.updated_count,
        )
    finally:
        if collecting:
            gc.enable()
        if not keep_upload:
            _remove_upload(run)
    run.refresh_from_db()
    return run


def _remove_upload(run: ImportRun) -> None:
    """Delete the kept upload; a file the command line named elsewhere is the person's own and stays."""
    path = Path(run.stored_path)
    try:
        if path.resolve().parent == upload_dir().resolve():
            path.unlink(missing_ok=True)
    except OSError:
        logger.warning("Could not remove %s", path)


def import_path(*, kind: str, path: Path, by: User | None = None, name: str = "", publish: bool = True) -> ImportRun:
    """Import a file on this machine now, in this process (the command line's way), keeping a run for it."""
    run = ImportRun.objects.create(
        kind=kind, filename=clean_filename(path.name), stored_path=str(path.resolve()), started_by=by
    )
    return run_import(run.pk, name=name, publish=publish)


RETRY_GONE = "The uploaded file is no longer kept, so this import cannot be tried again. Upload the file again."


def can_retry(run: ImportRun) -> bool:
    """A failed run can be tried again while its upload is still kept (a run refused for its content cannot)."""
    return run.status == ImportRun.Status.FAILED and Path(run.stored_path).is_file()


def _reset_for_retry(run_id: int) -> None:
    run = ImportRun.objects.get(pk=run_id)
    if not can_retry(run):
        raise jobs.JobNotRetryable(RETRY_GONE)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.QUEUED,
        error="",
        rejections=[],
        rejected_count=0,
        created_count=0,
        updated_count=0,
        processed_rows=0,
        total_rows=0,
        started_at=None,
        finished_at=None,
    )


def retry_import(run: ImportRun) -> ImportRun:
    """Queue a failed run again, from its kept upload (raises jobs.JobNotRetryable with why if it cannot)."""
    from commonweal.directory.tasks import import_directory_file

    if not can_retry(run):
        raise jobs.JobNotRetryable(RETRY_GONE)
    options = _first_options(run)
    jobs.forget_job(run.task_id)
    _reset_for_retry(run.pk)
    result = import_directory_file.enqueue(run.pk, **options)
    ImportRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def _first_options(run: ImportRun) -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    found = DBTaskResult.objects.filter(pk=run.task_id).first() if jobs.is_job_id(run.task_id) else None
    kwargs = dict((found.args_kwargs or {}).get("kwargs", {})) if found else {}
    return {"name": kwargs.get("name", ""), "publish": kwargs.get("publish", True)}


def _run_failed(args: list[Any], kwargs: dict[str, Any], message: str) -> None:
    if args:
        _finish_if_unfinished(int(args[0]), message)


def _finish_if_unfinished(run_id: int, message: str) -> None:
    ImportRun.objects.filter(pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]).update(
        status=ImportRun.Status.FAILED,
        error=f"{message} Nothing from this file was saved.",
        finished_at=timezone.now(),
    )


def _run_retried(args: list[Any], kwargs: dict[str, Any], new_id: str) -> None:
    if args:
        ImportRun.objects.filter(pk=int(args[0])).update(task_id=new_id[:64])


HOOKS = jobs.Hooks(
    on_failed=_run_failed,
    before_retry=lambda args, kwargs: _reset_for_retry(int(args[0])),
    after_retry=_run_retried,
)
