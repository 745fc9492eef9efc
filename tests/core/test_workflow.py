"""The one workflow engine (core/workflow.py), on a table of its own: the engine knows no app's roles, so these
tests give it theirs and check what it does with them. A directory Claim is the record (a status field with
choices, and room for who decided, when and why); nothing here uses the directory's own tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from commonweal.accounts.models import User
from commonweal.core.models import WorkflowEvent
from commonweal.core.workflow import NEW, Workflow, WorkflowError, step, take, take_all
from commonweal.directory.models import Claim
from tests.directory.factories import OrganisationFactory

PENDING, APPROVED, REJECTED = Claim.Status.PENDING, Claim.Status.APPROVED, Claim.Status.REJECTED


class TableError(WorkflowError):
    """The app's own error type, which the engine must raise instead of its own."""


@dataclass
class Person:
    """Someone the table's rule asks about; the engine itself never looks inside."""

    name: str
    is_authenticated: bool = True


def _clerk(user: Any, record: Any) -> bool:
    return bool(getattr(user, "name", "") == "Clerk" or getattr(user, "email", "").startswith("clerk"))


TABLE = Workflow(
    noun="request",
    may={"clerk": _clerk, "anyone": lambda user, record: True},
    refusal="Only the clerk can decide on a {noun}.",
    reason_missing="Tell the asker why.",
    error=TableError,
    decided_by="decided_by",
    decided_at="decided_at",
    reason="reason",
    decisions=frozenset({"approve", "reject"}),
    transitions=(
        step("submit", {NEW}, PENDING, {"anyone"}, "sent"),
        step("approve", {PENDING}, APPROVED, {"clerk"}, "approved"),
        step("reject", {PENDING}, REJECTED, {"clerk"}, "turned down", needs_reason=True),
    ),
)
CLERK = Person("Clerk")


def _unsaved(status: str = PENDING) -> Claim:
    # Every refusal is decided before anything is written, so these need no database.
    return Claim(status=status)


def _refusal(workflow: Workflow, status: str, name: str, reason: str = "") -> list[str]:
    with pytest.raises(TableError) as raised:
        take(workflow, _unsaved(status), name, by=CLERK, reason=reason)
    return raised.value.messages


def test_a_step_already_taken_says_what_became_of_the_record() -> None:
    assert _refusal(TABLE, APPROVED, "approve") == ["This request has already been approved."]
    # Another decision on the same question says what was decided, not that the step is impossible.
    assert _refusal(TABLE, APPROVED, "reject", "Too late.") == ["This request has already been approved."]


def test_a_step_from_the_wrong_status_names_the_status_in_words() -> None:
    quiet = Workflow(noun="request", may=TABLE.may, error=TableError, transitions=TABLE.transitions)
    assert _refusal(quiet, APPROVED, "reject", "No.") == ["This request is approved, so it cannot be turned down now."]
    assert _refusal(TABLE, PENDING, "promote") == ['"promote" is not a step in the request workflow.']


def test_a_person_the_table_does_not_admit_is_refused_in_the_tables_words() -> None:
    record = _unsaved()
    with pytest.raises(PermissionDenied, match="^Only the clerk can decide on a request.$"):
        take(TABLE, record, "approve", by=Person("Resident"))
    assert record.status == PENDING


def test_the_steps_offered_are_those_the_tables_rule_admits() -> None:
    assert TABLE.available(PENDING, Person("Resident"), _unsaved()) == []
    assert [t.name for t in TABLE.available(PENDING, CLERK, _unsaved())] == ["approve", "reject"]


def test_a_step_that_needs_a_reason_is_refused_without_one() -> None:
    record = _unsaved()
    with pytest.raises(TableError) as raised:
        take(TABLE, record, "reject", by=CLERK, reason="   ")
    assert raised.value.message_dict == {"reason": ["Tell the asker why."]}
    assert record.status == PENDING


@pytest.fixture
def claim(make_user: Callable[..., User]) -> Claim:
    return Claim.objects.create(organisation=OrganisationFactory(), user=make_user("resident"), message="Mine.")


def test_a_step_writes_the_status_the_decision_and_an_event_with_who_when_and_the_note(
    claim: Claim, make_user: Callable[..., User]
) -> None:
    clerk = make_user("officer", email="clerk@example.test")
    take(TABLE, claim, "reject", by=clerk, reason="  Not connected to the group.  ")
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.reason) == (REJECTED, clerk, "Not connected to the group.")
    event = WorkflowEvent.objects.get(content_type=ContentType.objects.get_for_model(Claim), object_id=claim.pk)
    assert (event.workflow, event.transition, event.from_status, event.to_status) == (
        "request",
        "reject",
        PENDING,
        REJECTED,
    )
    assert (event.by, event.note, event.record) == (clerk, "Not connected to the group.", claim)
    assert claim.created_at <= event.at


def test_a_refused_step_writes_nothing(claim: Claim, make_user: Callable[..., User]) -> None:
    with pytest.raises(PermissionDenied):
        take(TABLE, claim, "approve", by=make_user("resident"))
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by) == (PENDING, None)
    assert not WorkflowEvent.objects.exists()


def test_a_double_take_on_a_locked_row_takes_the_step_once(claim: Claim, make_user: Callable[..., User]) -> None:
    clerk = make_user("officer", email="clerk@example.test")
    # Two clicks, each a service that locks the row before taking the step: the second sees the first's result.
    refusals: list[str] = []
    for _ in range(2):
        try:
            with transaction.atomic():
                locked = Claim.objects.select_for_update().get(pk=claim.pk)
                take(TABLE, locked, "approve", by=clerk)
        except TableError as refused:
            refusals += refused.messages
    assert refusals == ["This request has already been approved."]
    assert Claim.objects.get(pk=claim.pk).status == APPROVED
    assert WorkflowEvent.objects.filter(object_id=claim.pk, transition="approve").count() == 1


def test_the_hook_records_what_the_app_keeps_besides(claim: Claim, make_user: Callable[..., User]) -> None:
    seen: list[tuple[str, str, str, str]] = []
    hooked = Workflow(
        noun="request",
        may=TABLE.may,
        transitions=TABLE.transitions,
        after=lambda record, transition, before, by, note: seen.append((transition.name, before, by.email, note)),
    )
    clerk = make_user("officer", email="clerk@example.test")
    take(hooked, claim, "approve", by=clerk, reason="Known to us.")
    assert seen == [("approve", PENDING, "clerk@example.test", "Known to us.")]


def test_taking_a_step_on_many_records_moves_those_it_can_and_writes_each_an_event(
    claim: Claim, make_user: Callable[..., User]
) -> None:
    clerk = make_user("officer", email="clerk@example.test")
    others = [Claim.objects.create(organisation=OrganisationFactory(), user=claim.user, message=m) for m in "AB"]
    Claim.objects.filter(pk=others[1].pk).update(status=APPROVED)  # someone got there first
    moved = take_all(TABLE, Claim.objects.all(), "reject", by=clerk, reason=" Not known to the group. ")
    assert sorted(c.pk for c in moved) == sorted([claim.pk, others[0].pk])
    rows = {c.pk: (c.status, c.decided_by, c.reason) for c in Claim.objects.all()}
    assert rows[claim.pk] == rows[others[0].pk] == (REJECTED, clerk, "Not known to the group.")
    assert rows[others[1].pk][0] == APPROVED
    events = WorkflowEvent.objects.order_by("object_id")
    assert [(e.object_id, e.transition, e.from_status, e.to_status, e.by) for e in events] == [
        (claim.pk, "reject", PENDING, REJECTED, clerk),
        (others[0].pk, "reject", PENDING, REJECTED, clerk),
    ]


def test_taking_a_step_on_many_records_refuses_a_person_the_table_does_not_admit(
    claim: Claim, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied, match="Only the clerk"):
        take_all(TABLE, Claim.objects.all(), "approve", by=make_user("resident"))
    assert Claim.objects.get(pk=claim.pk).status == PENDING
    assert not WorkflowEvent.objects.exists()


def test_a_table_whose_hook_has_no_bulk_form_cannot_take_a_step_on_many_records(claim: Claim) -> None:
    hooked = Workflow(noun="request", may=TABLE.may, transitions=TABLE.transitions, after=lambda *args: None)
    with pytest.raises(ValueError, match="give it after_all"):
        take_all(hooked, Claim.objects.all(), "approve", by=CLERK)


def test_a_table_naming_a_role_without_a_rule_is_refused_when_it_is_written() -> None:
    with pytest.raises(ValueError, match="The request workflow names roles with no rule: treasurer."):
        Workflow(noun="request", may=TABLE.may, transitions=(step("pay", {PENDING}, APPROVED, {"treasurer"}, "paid"),))
