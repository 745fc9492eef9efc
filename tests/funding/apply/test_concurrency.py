"""Two clicks at once, on PostgreSQL's row locks: one start and one submission, never two."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from commonweal.accounts.models import Organisation, User
from commonweal.funding.apply import services
from commonweal.funding.models import Application, ApplicationEvent, Round
from tests.funding.apply.conftest import complete, eligible_answers

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(work: Callable[[], Any], times: int = 2) -> list[Any]:
    """Run `work` in `times` threads together; each result or the exception it raised."""
    results: list[Any] = []
    barrier = threading.Barrier(times)

    def run() -> None:
        barrier.wait()
        try:
            results.append(work())
        except Exception as error:  # noqa: BLE001  # the refusals are what the test looks at
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def merton(merton_for_one_test: Any) -> Any:
    """The threads commit, so Merton cannot sit in the module's rolled-back transaction (see tests/conftest.py)."""
    return merton_for_one_test


@pytest.fixture(autouse=True)
def _postgresql_only(postgresql: None) -> None:
    """SQLite takes one writer at a time anyway; the row locks are PostgreSQL's."""


def test_two_starts_at_once_make_one_application(round: Round, group: Organisation, member: User) -> None:
    results = at_once(
        lambda: services.start_application(
            round=round, organisation=group, by=member, eligibility=eligible_answers(round.fund)
        )
    )
    assert Application.objects.count() == 1
    assert sum(isinstance(r, services.AlreadyApplied) for r in results) == 1


def test_two_submits_at_once_submit_once(draft: Application, member: User) -> None:
    complete(draft)
    results = at_once(lambda: services.submit_application(application=draft, by=member))
    assert ApplicationEvent.objects.filter(application=draft, transition="submit").count() == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].messages == ["This application has already been submitted."]
