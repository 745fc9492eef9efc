"""Figures worked out once and kept in the shared cache (the database's, so every server process sees them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def kept(key: str, kind: type[T], build: Callable[[], T], *, seconds: int) -> T:
    """What `build()` makes, read from the cache while it holds one under `key`. The key names the version of
    the data it comes from, so a change to the data means a new key rather than a stale answer."""
    found = cache.get(key)
    if not isinstance(found, kind):
        found = build()
        cache.set(key, found, seconds)
    return found


def awaiting_commit(callback: Callable[[], None]) -> bool:
    """Whether `callback` waits for this connection's open transaction to commit (Django drops the callbacks of
    a transaction or savepoint that is rolled back)."""
    return any(entry[1] is callback for entry in transaction.get_connection().run_on_commit)


def now_and_at_commit(callback: Callable[[], None]) -> None:
    """Run `callback` (which replaces or drops something kept) now, so this connection sees the change at once,
    and once more when the transaction commits, so no other process keeps what it read before the commit."""
    callback()
    if transaction.get_connection().in_atomic_block and not awaiting_commit(callback):
        transaction.on_commit(callback)
