"""Who a bulk write's audit entries name: the live request or `acting()` block, never one that is over.

auditlog leaves its context behind when a request ends. A bulk write afterwards (a background job, the demo
loader, the next test in the same process) must not be put down to that request's user, who may be gone: on
PostgreSQL that is a foreign-key failure, and anywhere else it is a false record of who did what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client

from commonweal.accounts.models import Organisation, User
from commonweal.core.audit import acting, current_actor, log_created

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(make_user: Callable[..., Any]) -> User:
    return make_user("steward", email="sam@example.org")


def _bulk_group(slug: str) -> LogEntry:
    group = Organisation.objects.bulk_create([Organisation(name=f"Group {slug}", slug=slug)])[0]
    assert log_created([group]) == 1
    return LogEntry.objects.get(object_pk=str(group.pk), content_type__model="organisation")


def test_after_a_signed_in_request_is_over_a_bulk_write_names_nobody(make_user: Callable[..., Any]) -> None:
    client = Client()
    client.force_login(make_user("resident"))
    assert client.get("/account/").status_code == 200
    assert current_actor() is None
    assert _bulk_group("after-the-request").actor is None


def test_inside_acting_the_bulk_write_names_the_actor_and_after_it_nobody(steward: User) -> None:
    with acting(steward):
        assert current_actor() == steward
        assert _bulk_group("inside").actor == steward
    assert current_actor() is None
    assert _bulk_group("outside").actor is None


def test_an_inner_acting_block_gives_back_the_outer_ones_actor(steward: User) -> None:
    other = User.objects.create(email="other@example.org", full_name="Other person")
    with acting(steward):
        with acting(other):
            assert _bulk_group("inner").actor == other
        assert current_actor() == steward
        assert _bulk_group("outer").actor == steward


def test_a_user_deleted_after_their_request_is_not_named_by_a_later_write() -> None:
    gone = User.objects.create(email="gone@example.org", full_name="Soon gone")
    client = Client()
    client.force_login(gone)
    assert client.get("/account/").status_code == 200
    gone.delete()
    entry = _bulk_group("after-the-deletion")
    assert entry.actor_id is None
    assert entry.actor_email is None
