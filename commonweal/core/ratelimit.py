"""Rate limits that hold across every server process, counted in the database they all share.

Counts are kept per fixed window: `limit` actions per `period` seconds for each key (an address, a listing).
`hit()` counts one attempt against every key and says how many seconds to wait if any key is already at its
limit; a refused attempt is not counted. Each count is one conditional UPDATE (`count = count + 1 WHERE count <
limit`), so a flood of requests at the same moment, on any number of servers, lets exactly `limit` through: a
cache's read-then-write would let through every request that read the count before the others wrote it.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
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


def _counter_key(limit: Limit, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"ratelimit:{limit.scope}:{digest}:{window}"


class _Refused(Exception):
    def __init__(self, wait: int) -> None:
        self.wait = wait


def hit(checks: list[tuple[Limit, str]], *, now: float | None = None) -> int | None:
    """Count one attempt against each (limit, key); None if it may go ahead, or the seconds until it may.

    All the keys are counted in one transaction, which is undone if any is at its limit, so a refused attempt
    uses up nothing."""
    from .models import RateCount

    moment = time.time() if now is None else now
    try:
        with transaction.atomic():
            for limit, key in checks:
                window = int(moment // limit.period)
                ends = (window + 1) * limit.period
                counter, made = RateCount.objects.get_or_create(
                    key=_counter_key(limit, key, window),
                    defaults={"expires_at": datetime.fromtimestamp(ends, tz=UTC)},
                )
                if made:  # a new window: clear away the counts of windows that are over
                    RateCount.objects.filter(expires_at__lt=datetime.fromtimestamp(moment, tz=UTC)).delete()
                if not RateCount.objects.filter(pk=counter.pk, count__lt=limit.limit).update(count=F("count") + 1):
                    raise _Refused(int(ends - moment) + 1)
    except _Refused as refused:
        return refused.wait
    return None


def wait_in_words(seconds: int) -> str:
    """'1 minute', '45 minutes', '2 hours': how long until someone may try again, rounded up."""
    minutes = max(1, -(-seconds // 60))
    if minutes < 60:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = -(-minutes // 60)
    return "1 hour" if hours == 1 else f"{hours} hours"
