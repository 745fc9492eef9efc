"""Figures worked out once and kept in the shared cache (the database's, so every server process sees them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def kept(key: str, kind: type[T], build: Callable[[], T], *, seconds: int) -> T:
    """What `build()` makes, read from the cache while it holds one under `key`. The key names the version of
    the data it comes from, so a change to the data means a new key rather than a stale answer."""
    found = cache.get(key)
    if not isinstance(found, kind):
        found = build()
        cache.set(key, found, seconds)
    return found
