"""Issue 10: the audit log names who changed a round's assessor pool, and keeps each assignment made in bulk."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from commonweal.accounts.models import User
from commonweal.funding.assess.services import add_assessor, assign_assessors, remove_assessor
from commonweal.funding.models import Application, Assignment, Round

pytestmark = pytest.mark.django_db


def _pool_entries(round: Round) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Round), object_pk=str(round.pk))
        .filter(changes__has_key="assessors")
        .order_by("pk")
    )


def test_adding_and_removing_an_assessor_is_logged_naming_who(
    officer: User, scoring_round: Round, make_user: Callable[..., User]
) -> None:
    person = make_user("resident", email="kind.neighbour@example.org")
    add_assessor(round=scoring_round, email=person.email, by=officer)
    remove_assessor(round=scoring_round, assessor=person, by=officer)
    added, removed = _pool_entries(scoring_round)
    assert added.actor == officer and removed.actor == officer
    assert added.changes_dict["assessors"]["operation"] == "add"
    assert added.changes_dict["assessors"]["objects"] == [str(person)]
    assert removed.changes_dict["assessors"]["operation"] == "delete"


def test_assignments_made_in_bulk_each_leave_an_entry_naming_the_officer(
    officer: User, scoring_round: Round, assessors: list[User], submit: Callable[..., Application]
) -> None:
    for _ in range(3):
        submit(scoring_round)
    made = assign_assessors(round=scoring_round, by=officer)
    assert made == 6
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Assignment), action=LogEntry.Action.CREATE
    )
    assert sorted(int(e.object_pk) for e in entries) == sorted(Assignment.objects.values_list("pk", flat=True))
    assert {e.actor for e in entries} == {officer}
    assert all("assessor" in e.changes_dict for e in entries)


def test_the_admins_audit_log_page_shows_who_joined_the_pool(
    client: Client, officer: User, scoring_round: Round, make_user: Callable[..., User]
) -> None:
    person = make_user("resident", email="kind.neighbour@example.org")
    add_assessor(round=scoring_round, email=person.email, by=officer)
    client.force_login(make_user("admin"))
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "<strong>Assessors</strong>: <bdi>added " + str(person) in page
