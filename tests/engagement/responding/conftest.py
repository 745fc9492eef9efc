"""Responding: Merton's wards, an open consultation with one question of each kind, and the people."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engagement import factories

# Points in Merton (Wimbledon town centre) and outside it (Trafalgar Square, Westminster).
INSIDE = (51.4214, -0.2064)
OUTSIDE = (51.5080, -0.1281)


@pytest.fixture
def consult(merton: Any) -> Any:
    """An open consultation: question 1 (choose one) is required, the rest optional."""
    return factories.consultation()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what waits for the transaction to commit (emails) as the block ends."""

    def run() -> Any:
        return django_capture_on_commit_callbacks(execute=True)

    return run
