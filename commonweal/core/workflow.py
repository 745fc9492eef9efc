"""The one workflow engine: a table of transitions per workflow, and one `take()` that takes a step.

A workflow is a status field and the transitions allowed from each status, each naming the roles that may
take it. The engine knows no roles: each app's table brings a mapping from role to a question about the
person and the record (`may`), and its own wording for a refusal and a missing reason, so the engine only
asks. `take()` checks the status and the person, writes the new status (and who decided, when and why,
where the table names fields for them), saves under the audit log's actor and records a WorkflowEvent with
who, when and the note. Services call it inside their transaction, on a row locked with select_for_update,
and do the rest of the work (granting a membership, applying a change) in the same transaction.

Apps keep their own tables and wording (directory/workflows.py, funding/workflows.py); nobody copies this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from .audit import acting
from .models import WorkflowEvent

# The status of a record that does not exist yet: the source of transitions that create one.
NEW = ""
# The target of a step that goes back to where the record was before the step that paused it (a blockage
# waiting for the person who raised it goes back to the stage it was at): the workflow's `previous` field says.
BACK = "<back>"

# Who may take a step: (the person, the record) -> yes or no.
Rule = Callable[[Any, Any], bool]
# Called after a step is written, in the same transaction: (record, transition, from status, by, note).
Hook = Callable[[Any, "Transition", str, Any, str], None]
# The same for take_all(): ([(record, from status), ...], transition, by, note), to write its rows in bulk.
BulkHook = Callable[[list[tuple[Any, str]], "Transition", Any, str], None]


class WorkflowError(ValidationError):
    """A transition that cannot be taken from where the record stands; the message says why."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    who: frozenset[str]
    # What it did, as it reads in a sentence: 'This claim has already been approved.'
    past: str
    needs_reason: bool = False


def step(
    name: str, sources: AbstractSet[str], target: str, who: AbstractSet[str], past: str, *, needs_reason: bool = False
) -> Transition:
    """A row of a table, written on one line."""
    return Transition(name, frozenset(sources), target, frozenset(who), past, needs_reason)


@dataclass(frozen=True)
class Workflow:
    noun: str
    transitions: tuple[Transition, ...]
    # Role -> may this person take a step of that role on this record?
    may: Mapping[str, Rule]
    # What a refused person is told, and what a step that needs a reason says without one ({noun} is filled in).
    refusal: str = "You cannot do that to this {noun}."
    reason_missing: str = "Say why, so the people affected know the reason."
    field: str = "status"
    # Where the record keeps who decided, when and why; blank where it has no room for them.
    decided_by: str = ""
    decided_at: str = ""
    reason: str = ""
    # Steps that answer the same question: after one, trying another says what was decided.
    decisions: frozenset[str] = frozenset()
    # Save every field, not only the ones the step writes: for services that set the step's own fields
    # (a withdrawal's date) on the locked row before taking it.
    save_all: bool = False
    # The app's own WorkflowError (a subclass of this module's), so its views catch the app's one error type.
    error: type[WorkflowError] = WorkflowError
    # Where the record keeps the status it had before its last step, for steps whose target is BACK.
    previous: str = ""
    # Anything more the app records with each step (funding's ApplicationEvent, shown to applicants).
    after: Hook | None = None
    # What `after` does, for take_all()'s many records at once; a workflow with `after` needs it to use take_all().
    after_all: BulkHook | None = None

    def __post_init__(self) -> None:
        # A role the table names but gives no rule for would refuse everyone, silently: say so at import.
        unknown = {role for t in self.transitions for role in t.who} - set(self.may)
        if unknown:
            raise ValueError(f"The {self.noun} workflow names roles with no rule: {', '.join(sorted(unknown))}.")
        if any(t.target == BACK for t in self.transitions) and not self.previous:
            raise ValueError(f"The {self.noun} workflow goes back to a previous status: name its `previous` field.")

    def find(self, name: str, status: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name and status in t.sources), None)

    def named(self, name: str) -> list[Transition]:
        return [t for t in self.transitions if t.name == name]

    def allows(self, user: Any, transition: Transition, record: Any) -> bool:
        """May this person take this transition on this record? Asks the table's own rules, in the table's
        order (cheap questions first), role by role."""
        return any(rule(user, record) for role, rule in self.may.items() if role in transition.who)

    def available(self, status: str, user: Any, record: Any) -> list[Transition]:
        """The transitions this person may take from this status (for showing buttons)."""
        return [t for t in self.transitions if status in t.sources and self.allows(user, t, record)]


def _cannot(workflow: Workflow, record: models.Model, name: str, status: str) -> WorkflowError:
    """Why the step `name` cannot be taken from `status`: someone got there first, or it never could."""
    named = workflow.named(name)
    if not named:
        return workflow.error(f'"{name}" is not a step in the {workflow.noun} workflow.')
    reached = [t for t in workflow.transitions if t.target == status and NEW not in t.sources]
    decided = [t for t in reached if name in workflow.decisions and t.name in workflow.decisions]
    done = next((t for t in reached if t.name == name), decided[0] if decided else None)
    if done is not None:
        return workflow.error(f"This {workflow.noun} has already been {done.past}.")
    choices = record._meta.get_field(workflow.field).choices  # type: ignore[union-attr]
    shown = dict(choices or []).get(status, status)
    return workflow.error(f"This {workflow.noun} is {str(shown).lower()}, so it cannot be {named[0].past} now.")


def take(workflow: Workflow, record: models.Model, name: str, *, by: Any, reason: str = "") -> Transition:
    """Move `record` along `workflow` by the transition `name`, if it may go there and `by` may move it.

    Raises PermissionDenied (the table's refusal) when `by` may not, and WorkflowError (a full sentence) when
    the record's status does not allow it or a reason is missing. Call inside the service's transaction, on a
    row locked with select_for_update, so that a double click cannot take the same step twice.
    """
    status = getattr(record, workflow.field)
    candidates = [t for t in workflow.transitions if t.name == name and status in t.sources]
    if not candidates:
        raise _cannot(workflow, record, name, status)
    reason = reason.strip()
    transition = _choose(workflow, candidates, record, by, reason)
    now = timezone.now()
    values = _written(workflow, transition, by, reason, now, hasattr(record, "updated_at"), record)
    for field, value in values.items():
        setattr(record, field, value)
    with acting(by):
        record.save(update_fields=None if workflow.save_all else list(values))
    _event(workflow, record, transition, status, by, reason, now).save()
    if workflow.after is not None:
        workflow.after(record, transition, status, by, reason)
    return transition


def take_all(workflow: Workflow, records: models.QuerySet[Any], name: str, *, by: Any, reason: str = "") -> list[Any]:
    """take() for many records at once (two thousand applications sent for assessment), in a fixed number of
    queries: each record is locked and checked as take() checks it, then all are written in one UPDATE, their
    WorkflowEvents in one insert and the workflow's `after_all` once.

    Records the step cannot be taken from (someone got there first) are passed over; a person who may not take
    it on any one of them is refused (PermissionDenied) and nothing is written. The UPDATE does not go through
    the audit log row by row: the WorkflowEvents say who moved each record. Returns the records moved, as they
    now stand. Call inside the service's transaction.
    """
    if workflow.after is not None and workflow.after_all is None:
        raise ValueError(f"The {workflow.noun} workflow records more with each step: give it after_all.")
    if workflow.previous:
        raise ValueError(f"The {workflow.noun} workflow keeps a previous status: take its steps one at a time.")
    named = workflow.named(name)
    if not named:
        raise _cannot(workflow, records.model(), name, "")
    sources = {source for t in named for source in t.sources}
    reason = reason.strip()
    moving: list[tuple[Any, str, Transition]] = []
    for record in records.select_for_update().filter(**{f"{workflow.field}__in": sources}).order_by("pk"):
        status = getattr(record, workflow.field)
        transition = _choose(workflow, [t for t in named if status in t.sources], record, by, reason)
        moving.append((record, status, transition))
    now = timezone.now()
    for target in {t.target for _, _, t in moving}:
        going = [(record, status, t) for record, status, t in moving if t.target == target]
        transition = going[0][2]
        values = _written(workflow, transition, by, reason, now, hasattr(records.model, "updated_at"))
        records.model._default_manager.filter(pk__in=[record.pk for record, _, _ in going]).update(**values)
        for record, _, _ in going:
            for field, value in values.items():
                setattr(record, field, value)
    WorkflowEvent.objects.bulk_create(
        [_event(workflow, record, t, status, by, reason, now) for record, status, t in moving], batch_size=1000
    )
    if workflow.after_all is not None:
        for transition in {t for _, _, t in moving}:
            moved = [(record, status) for record, status, t in moving if t == transition]
            workflow.after_all(moved, transition, by, reason)
    return [record for record, _, _ in moving]


def _choose(workflow: Workflow, candidates: list[Transition], record: Any, by: Any, reason: str) -> Transition:
    """The first of the transitions open from the record's status that `by` may take, with its reason if it
    needs one; PermissionDenied (the table's refusal) when `by` may take none."""
    transition = next((t for t in candidates if workflow.allows(by, t, record)), None)
    if transition is None:
        raise PermissionDenied(workflow.refusal.format(noun=workflow.noun))
    if transition.needs_reason and not reason:
        raise workflow.error({"reason": workflow.reason_missing.format(noun=workflow.noun)})
    return transition


def _written(
    workflow: Workflow, transition: Transition, by: Any, reason: str, now: Any, stamped: bool, record: Any = None
) -> dict[str, Any]:
    """The fields a step writes and their new values: the status, who decided and when, the reason (and the
    status it leaves, where the workflow keeps it for a later step BACK)."""
    values: dict[str, Any] = {workflow.field: transition.target}
    if workflow.previous:
        values[workflow.previous] = getattr(record, workflow.field)
        if transition.target == BACK:
            values[workflow.field] = getattr(record, workflow.previous)
    if workflow.decided_by:
        values[workflow.decided_by] = by
        values[workflow.decided_at] = now
    if workflow.reason and (reason or transition.needs_reason):
        values[workflow.reason] = reason
    if stamped:
        values["updated_at"] = now
    return values


def _event(
    workflow: Workflow, record: models.Model, transition: Transition, status: str, by: Any, reason: str, now: Any
) -> WorkflowEvent:
    return WorkflowEvent(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        workflow=workflow.noun,
        transition=transition.name,
        from_status=status,
        to_status=getattr(record, workflow.field),
        by=by if getattr(by, "is_authenticated", False) else None,
        note=reason,
        at=now,
    )
