"""Funding's open data writes: building the 360Giving spreadsheet, removing the stale one, queuing the build.

The reads (what is published, the fingerprint of it, whether a spreadsheet is on disk) are in opendata.queries.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from django.core.cache import cache

from .. import tasks
from . import giving360, queries

# How long one request's build stands for everyone's: longer than a build of 100,000 grants takes.
XLSX_BUILD_SECONDS = 600


def request_spreadsheet() -> Path | None:
    """The spreadsheet of the published grants as they are now, or None while the worker builds it: the first
    request for each state of the grants queues one build, and everyone who asks while it runs shares it."""
    digest = queries.fingerprint()
    path = queries.xlsx_ready(digest)
    if path is None:
        if cache.add(f"funding-360giving-xlsx-{digest}", True, timeout=XLSX_BUILD_SECONDS):
            tasks.build_360giving_spreadsheet.enqueue()
        path = queries.xlsx_ready(digest)  # built already where tasks run at once
    return path


def xlsx_file() -> Path:
    """The package as a 360Giving spreadsheet (flattentool, titles and rollup as 360Giving's templates use),
    built once for each state of the published grants and kept on disk until they change.

    Building takes flattentool about 2 CPU seconds per 1,000 grants, so request_spreadsheet has the background
    worker build it (tasks.build_360giving_spreadsheet) rather than keep a request waiting."""
    target = queries.xlsx_path(queries.fingerprint())
    if target.exists():
        return target
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    import flattentool

    with tempfile.TemporaryDirectory(dir=folder) as work:
        source = Path(work) / "360giving.json"
        with source.open("w", encoding="utf-8") as out:
            giving360.write_package(out)
        built = Path(work) / "360giving.xlsx"
        with warnings.catch_warnings():
            # flattentool warns about schema fields without titles (the transaction lists); their columns
            # are still written, under their JSON paths.
            warnings.simplefilter("ignore")
            flattentool.flatten(
                str(source),
                schema=str(giving360.SCHEMA_DIR / giving360.GRANT_SCHEMA),
                output_name=str(built),
                output_format="xlsx",
                main_sheet_name="grants",
                root_list_path="grants",
                root_id="",
                id_name="id",
                rollup=True,
                use_titles=True,
                remove_empty_schema_columns=True,
            )
        os.replace(built, target)  # atomic: another request never reads half a file
    for old in folder.glob("360giving-*.xlsx"):
        if old != target:
            old.unlink(missing_ok=True)
    return target
