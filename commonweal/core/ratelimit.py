"""Rate limits that hold across every server process, counted in the shared cache.

Production's cache is the database cache, which every process shares, so a limit counted here is one limit
for the whole service, not one per process. Counts are kept per fixed window: `limit` actions per `period`
seconds for each key (an address, a listing). `hit()` counts one attempt against every key and says how
many seconds to wait if any key is already over its limit; a refused attempt is not counted.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    """At most `limit` actions per `period` seconds for one key."""

    scope: str
    limit: int
    period: int


def client_address(request: HttpRequest) -> str:
    """The address the request came from, worked out as allauth does for its own limits (sign-in, sign-up), so
    one setting (ALLAUTH_TRUSTED_PROXY_COUNT or ALLAUTH_TRUSTED_CLIENT_IP_HEADER, behind a proxy) serves both."""
    from allauth.account.adapter import get_adapter

    try:
        return str(get_adapter(request).get_client_ip(request))
    except PermissionDenied:  # no address at all: such requests share one count
        return "unknown"


def _cache_key(limit: Limit, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{limit.scope}:{digest}:{window}"


def hit(checks: list[tuple[Limit, str]], *, now: float | None = None) -> int | None:
    """Count one attempt against each (limit, key); None if it may go ahead, or the seconds until it may.

    All the keys are checked before any is counted, so a refused attempt uses up nothing."""
    moment = time.time() if now is None else now
    wait = 0
    keys: list[tuple[str, Limit]] = []
    for limit, key in checks:
        window = int(moment // limit.period)
        cache_key = _cache_key(limit, key, window)
        if int(cache.get(cache_key, 0)) >= limit.limit:
            wait = max(wait, int((window + 1) * limit.period - moment) + 1)
        keys.append((cache_key, limit))
    if wait:
        return wait
    for cache_key, limit in keys:
        if not cache.add(cache_key, 1, limit.period + 60):
            try:
                cache.incr(cache_key)
            except ValueError:  # expired between add and incr: start again
                cache.add(cache_key, 1, limit.period + 60)
    return None


def wait_in_words(seconds: int) -> str:
    """'1 minute', '45 minutes', '2 hours': how long until someone may try again, rounded up."""
    minutes = max(1, -(-seconds // 60))
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = -(-minutes // 60)
    return "1 hour" if hours == 1 else f"{hours} hours"
