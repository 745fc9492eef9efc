"""Funding's open data writes: building the 360Giving spreadsheet, removing the stale one, queuing the build.

The reads (what is published, the fingerprint of it, whether a spreadsheet is on disk) are in opendata.queries.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from commonweal.core import jobs

from .. import tasks
from . import giving360, giving360_xlsx, queries

# How long one request's build stands for everyone's: longer than a build of 100,000 grants takes.
XLSX_BUILD_SECONDS = 600


def _build_key(digest: str) -> str:
    return f"funding-360giving-xlsx-{digest}"


def request_spreadsheet() -> Path | jobs.JobState:
    """The spreadsheet of the published grants as they are now, or, while the worker builds it, the state of
    that build (running, or failed with why): the first request for each state of the grants queues one build,
    and everyone who asks while it runs shares it."""
    digest = queries.fingerprint()
    return jobs.request_build(
        key=_build_key(digest),
        ready=lambda: queries.xlsx_ready(digest),
        enqueue=tasks.build_360giving_spreadsheet.enqueue,
        seconds=XLSX_BUILD_SECONDS,
    )


def retry_spreadsheet() -> None:
    """Someone asked again after a failed build: the next request queues a new one."""
    jobs.forget_failed_build(_build_key(queries.fingerprint()))


def xlsx_file() -> Path:
    """The published grants as a 360Giving spreadsheet (360Giving's template layout and titles, written from
    the same records as the JSON package), built once for each state of the published grants and kept on disk
    until they change.

    10,000 grants take a few seconds, so request_spreadsheet has the background worker build it
    (tasks.build_360giving_spreadsheet) rather than keep a request waiting."""
    target = queries.xlsx_path(queries.fingerprint())
    if target.exists():
        return target
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as work:
        built = Path(work) / "360giving.xlsx"
        giving360_xlsx.write_spreadsheet(
            giving360.iter_grant_records(), built, schema=giving360.SCHEMA_DIR / giving360.GRANT_SCHEMA
        )
        os.replace(built, target)  # atomic: another request never reads half a file
    for old in folder.glob("360giving-*.xlsx"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
