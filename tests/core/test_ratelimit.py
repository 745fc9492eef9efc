"""core.ratelimit: a limit lets exactly `limit` attempts through in its window, whatever arrives at once, and a
refused attempt uses up nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from commonweal.core import ratelimit
from commonweal.core.models import RateCount

FIVE_AN_HOUR = ratelimit.Limit("test-reports", 5, 3600)
TWENTY_AN_HOUR = ratelimit.Limit("test-listing", 20, 3600)
NOON = 1_800_000_000.0  # a moment on the hour, so the window ends an hour later


@pytest.mark.django_db
def test_five_go_through_then_the_wait_is_until_the_window_ends() -> None:
    results = [ratelimit.hit([(FIVE_AN_HOUR, "203.0.113.9")], now=NOON + 60) for _ in range(7)]
    assert results[:5] == [None] * 5
    assert results[5:] == [3600 - 60 + 1] * 2
    assert ratelimit.hit([(FIVE_AN_HOUR, "198.51.100.7")], now=NOON + 60) is None  # another address is its own
    assert ratelimit.hit([(FIVE_AN_HOUR, "203.0.113.9")], now=NOON + 3600) is None  # the next hour starts again


@pytest.mark.django_db
def test_a_refused_attempt_uses_up_nothing_on_the_other_keys() -> None:
    for _ in range(5):
        ratelimit.hit([(FIVE_AN_HOUR, "203.0.113.9")], now=NOON)
    assert ratelimit.hit([(TWENTY_AN_HOUR, "listing-1"), (FIVE_AN_HOUR, "203.0.113.9")], now=NOON) is not None
    # The listing's count was undone with the refusal: 20 more from other addresses still go through.
    allowed = [ratelimit.hit([(TWENTY_AN_HOUR, "listing-1")], now=NOON) for _ in range(21)]
    assert allowed.count(None) == 20


@pytest.mark.django_db
def test_counts_of_windows_that_are_over_are_cleared_away() -> None:
    ratelimit.hit([(FIVE_AN_HOUR, "203.0.113.9")], now=NOON)
    ratelimit.hit([(FIVE_AN_HOUR, "203.0.113.9")], now=NOON + 2 * 3600)
    assert RateCount.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_at_the_same_moment_let_exactly_five_through(postgresql: None) -> None:
    """SQLite takes one writer at a time anyway; this is about PostgreSQL's concurrent writers."""
    barrier = threading.Barrier(20)
    results: list[Any] = []

    def attempt() -> None:
        barrier.wait()
        try:
            results.append(ratelimit.hit([(FIVE_AN_HOUR, "203.0.113.9")], now=NOON))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20
    assert results.count(None) == 5
