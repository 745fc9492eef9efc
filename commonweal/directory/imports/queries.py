"""Reads for the imports pages: past runs, one run with its report, and its status for the progress poll."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse

from commonweal.directory.models import ImportRun

REJECTIONS_PER_PAGE = 100
FINISHED = frozenset({ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED})


def past_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("started_by").order_by("-created_at", "-pk")


def stage(run: ImportRun) -> str:
    """Where a run is, in words that still make sense when read aloud every few seconds."""
    if run.status == ImportRun.Status.QUEUED:
        return "Waiting for the background worker to start the import."
    if run.status == ImportRun.Status.RUNNING:
        if run.total_rows and run.processed_rows >= run.total_rows:
            return "Every row has been checked. Saving the changes."
        if run.total_rows:
            return "Checking the rows."
        return "Reading the file."
    if run.status == ImportRun.Status.FAILED:
        return "The import failed, so nothing was changed."
    return "The import has finished."


def count(run: ImportRun) -> str:
    if run.total_rows:
        return f"{run.processed_rows:,} of about {run.total_rows:,} rows checked ({run.percent_done}%)."
    return f"{run.processed_rows:,} rows checked."


def run_status(run: ImportRun) -> dict[str, Any]:
    """What the progress poll needs, as JSON."""
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "stage": stage(run),
        "finished": run.status in FINISHED,
        "percent": run.percent_done,
        "processed_rows": run.processed_rows,
        "total_rows": run.total_rows,
        "created": run.created_count,
        "updated": run.updated_count,
        "rejected": run.rejected_count,
        "count": count(run),
        "url": reverse("directory:import_run", args=[run.pk]),
    }


def run_page(run: ImportRun, *, page: Any) -> dict[str, Any]:
    rejections = [r for r in run.rejections if isinstance(r, dict) and not r.get("note")]
    notes = [r for r in run.rejections if isinstance(r, dict) and r.get("note")]
    rejected: Page[dict[str, Any]] = Paginator(rejections, REJECTIONS_PER_PAGE).get_page(page)
    return {
        "run": run,
        "finished": run.status in FINISHED,
        "stage": stage(run),
        "count": count(run),
        "notes": notes,
        "page": rejected,
    }


def rejection_rows(run: ImportRun) -> list[tuple[Any, str]]:
    return [
        (r.get("line") or "", str(r.get("reason", "")))
        for r in run.rejections
        if isinstance(r, dict) and not r.get("note")
    ]
