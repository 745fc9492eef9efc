"""One version of the public directory, shared by every process, and what is kept until it changes.

Find help's results, the ORUK API's pages of services and the downloads all show the same public data. Rather
than each working out for itself whether that data has changed, they share one version: a token in the
platform's cache that every save or delete of a record they show replaces, as does a rebuild of the search
index. Anything worked out from that data is kept under the version it was made from (`kept`), so the first
request after a change makes it afresh and every later one reuses it, in any process.

The token is replaced, not counted up: two processes changing records at once can never agree on the same new
value, and a cache that was emptied (or culled) starts from a new random token, never from one used before.
It is replaced at once (so this process, and a test that never commits, sees the change on its next request)
and again when the transaction commits (so no other process can keep what it read before the commit under the
new token).

Reading the shared token is one cache query (the cache is the database), so each process remembers it for
MEMO_SECONDS: another process's change shows here within that time, this process's own at once. What `kept`
returns is also remembered here, the most recently used KEPT_HERE values, under the same keys.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from commonweal.accounts.models import Organisation
from commonweal.core.caching import now_and_at_commit
from commonweal.places.models import CouncilArea

from .models import Contact, CostOption, Location, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

# Named to sort after the kept values: a full cache throws away the entries whose keys sort first.
VERSION_KEY = "directory:version"
MEMO_SECONDS = 1.0
KEPT_HERE = 500

# Every record the public directory's pages, API and downloads show.
SHOWN: tuple[type[Model], ...] = (
    Organisation,
    Service,
    Location,
    Taxonomy,
    TaxonomyTerm,
    ServiceAtLocation,
    Schedule,
    Contact,
    CostOption,
    CouncilArea,
)

T = TypeVar("T")
_MISSING = object()


@dataclass
class _Memo:
    """What this process remembers: the version as last read, when, and the values most recently kept."""

    version: int | None = None
    read_at: float = 0.0
    values: OrderedDict[str, Any] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_memo = _Memo()


def _remember(value: int) -> int:
    with _memo.lock:
        _memo.version, _memo.read_at = value, time.monotonic()
    return value


def version() -> int:
    """The public directory's current version: a new number after any change to what it shows."""
    if _memo.version is not None and time.monotonic() - _memo.read_at < MEMO_SECONDS:
        return _memo.version
    value = cache.get(VERSION_KEY)
    if value is None:  # never set, or the cache was emptied: start from a value never used before
        cache.add(VERSION_KEY, secrets.randbits(62), None)
        value = cache.get(VERSION_KEY)
    return _remember(int(value))


def _new_version() -> None:
    value = secrets.randbits(62)
    cache.set(VERSION_KEY, value, None)
    _remember(value)


def changed() -> None:
    """Say that the public directory has changed: everything kept under the old version is made afresh."""
    now_and_at_commit(_new_version)


def _changed_by_signal(**_: Any) -> None:
    changed()


def connect_signals() -> None:
    """Any save or delete of a record the directory shows, or of its categories, wards or themes, is a change."""
    for model in SHOWN:
        post_save.connect(_changed_by_signal, sender=model, dispatch_uid=f"changes-save-{model._meta.label}")
        post_delete.connect(_changed_by_signal, sender=model, dispatch_uid=f"changes-delete-{model._meta.label}")
    for through in (Service.terms.through, Service.wards_served.through, Service.themes.through):
        m2m_changed.connect(_changed_by_signal, sender=through, dispatch_uid=f"changes-m2m-{through._meta.label}")


def forget() -> None:
    """Forget what this process remembers (for tests, which empty the shared cache between them)."""
    with _memo.lock:
        _memo.version = None
        _memo.values.clear()


def kept(
    kind: str, parts: Hashable, make: Callable[[], T], *, timeout: int | None = 3600, by_version: bool = True
) -> T:
    """`make()` for this kind and these parts at the directory's current version, made once and then kept: in
    this process, and in the shared cache for `timeout` seconds (None: until the cache is emptied).

    With by_version=False the parts alone say what was made (they hold everything it depends on), so it is kept
    across changes to the directory. What is returned may be shared: the caller must not change it."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"directory:kept:{kind}:{version() if by_version else '-'}:{digest}"
    with _memo.lock:
        value = _memo.values.get(key, _MISSING)
        if value is not _MISSING:
            _memo.values.move_to_end(key)
            return value
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = make()
        cache.set(key, value, timeout)
    with _memo.lock:
        _memo.values[key] = value
        while len(_memo.values) > KEPT_HERE:
            _memo.values.popitem(last=False)
    return value
