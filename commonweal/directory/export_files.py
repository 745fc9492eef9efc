"""The directory's downloads, built once for each version of the public data and served from disk.

Building the CSV or the ORUK JSON reads the whole directory; doing that on every request would let anyone
keep the database busy by asking again and again. So each file is written once, under VAR_DIR/exports/, named
by a fingerprint of the public data it was built from. A request works out the fingerprint (a handful of
aggregate queries: count, highest id and latest change of each table the files read, and a counter that
every save or delete of those records bumps in the shared cache) and serves the file if it is there. If it is
not, one process takes a file lock, builds it into a temporary file and renames it into place; any other
request for it waits on the lock and then serves what the first one wrote.
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
from django.core.cache import cache
from django.db.models import Count, Max, Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from commonweal.accounts.models import Organisation
from commonweal.places.models import CouncilArea

from .models import Contact, CostOption, Location, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

CHANGES_KEY = "directory:exports:changes"

# What the downloads read; each table's (count, highest id[, latest change]) goes into the fingerprint.
_WITH_CHANGE_TIME: tuple[type[Model], ...] = (Organisation, Service, Location, Taxonomy, TaxonomyTerm)
_WITHOUT: tuple[type[Model], ...] = (ServiceAtLocation, Schedule, Contact, CostOption, CouncilArea)


@dataclass(frozen=True)
class ExportFile:
    path: Path
    version: str


def _bump(**_: Any) -> None:
    try:
        cache.incr(CHANGES_KEY)
    except ValueError:
        cache.set(CHANGES_KEY, 1, None)


def connect_signals() -> None:
    """Any save or delete of a record the downloads read makes the next download a new file."""
    for model in (*_WITH_CHANGE_TIME, *_WITHOUT):
        post_save.connect(_bump, sender=model, dispatch_uid=f"exports-save-{model._meta.label}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"exports-delete-{model._meta.label}")
    for through in (Service.terms.through, Service.wards_served.through, Service.themes.through):
        m2m_changed.connect(_bump, sender=through, dispatch_uid=f"exports-m2m-{through._meta.label}")


def data_version(base_url: str) -> str:
    """A fingerprint of everything the downloads hold: it changes whenever the public data may have."""
    parts: list[Any] = [base_url, cache.get_or_set(CHANGES_KEY, 0, None)]
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
