"""The directory's downloads, built once for each version of the public data and served from disk.

Building the CSV or the ORUK JSON reads the whole directory; doing that on every request would let anyone
keep the database busy by asking again and again. So each file is written once, under VAR_DIR/exports/, named
by a fingerprint of the public data it was built from. A request works out the fingerprint (a handful of
aggregate queries: count, highest id and latest change of each table the files read, and the directory's
version in commonweal.directory.changes, which every save or delete of those records replaces) and serves the
file if it is there. If it is not, one process takes a file lock, builds it into a temporary file and renames
it into place; any other request for it waits on the lock and then serves what the first one wrote.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Model

from commonweal.accounts.models import Organisation
from commonweal.places.models import CouncilArea

from . import changes
from .models import Contact, CostOption, Location, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

# What the downloads read; each table's (count, highest id[, latest change]) goes into the fingerprint.
_WITH_CHANGE_TIME: tuple[type[Model], ...] = (Organisation, Service, Location, Taxonomy, TaxonomyTerm)
_WITHOUT: tuple[type[Model], ...] = (ServiceAtLocation, Schedule, Contact, CostOption, CouncilArea)


@dataclass(frozen=True)
class ExportFile:
    path: Path
    version: str


def data_version(base_url: str) -> str:
    """A fingerprint of everything the downloads hold: it changes whenever the public data may have."""
    parts: list[Any] = [base_url, changes.version()]
    for model in _WITH_CHANGE_TIME:
        parts.append(model._default_manager.aggregate(n=Count("pk"), top=Max("pk"), at=Max("updated_at")))
    for model in _WITHOUT:
        parts.append(model._default_manager.aggregate(n=Count("pk"), top=Max("pk")))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _folder() -> Path:
    folder = Path(settings.VAR_DIR) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_file(name: str, base_url: str, build: Callable[[], Iterator[str]]) -> ExportFile:
    """The file `name` (such as 'directory.csv') for the current public data, built by `build` if needed."""
    version = data_version(base_url)
    stem, dot, suffix = name.partition(".")
    folder = _folder()
    path = folder / f"{stem}-{version}{dot}{suffix}"
    if path.exists():
        return ExportFile(path, version)
    with open(folder / f".{stem}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder at a time; the others wait, then find the file
        try:
            if not path.exists():
                _write(path, build())
                for old in folder.glob(f"{stem}-*{dot}{suffix}"):
                    if old != path:
                        old.unlink(missing_ok=True)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return ExportFile(path, version)


def _write(path: Path, pieces: Iterator[str]) -> None:
    """Write to a temporary file beside `path`, then rename it into place: nobody ever reads half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".building-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for piece in pieces:
                out.write(piece)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
