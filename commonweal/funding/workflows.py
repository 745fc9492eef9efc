"""Funding's workflows, written out by hand: applications, grant offers, monitoring reports and pledges.

Each workflow is a status field and a table of the transitions allowed from each status, with who may take
them. `take()` is the one function that takes a transition: it checks the status and the person, writes the
new status and records the event (an ApplicationEvent for applications; the audit log for all). Services call
`take()` and do the rest of the work in the same transaction.

Who may take a transition:
- APPLICANT: someone who manages the record's organisation (accounts.permissions.can_manage_organisation);
  for a pledge, the group that posted the need;
- SUPPLIER: someone who manages the supplier that made a pledge;
- OFFICER: council officers, who run funds (assess, decide, offer, pay, review reports).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.roles import Role
from commonweal.core.audit import acting

from .models import Application, ApplicationEvent, Grant, MonitoringReport, Pledge

APPLICANT = "applicant"
SUPPLIER = "supplier"
OFFICER = "officer"
NEW = ""


class FundingError(ValidationError):
    """Bad input to a funding write; each message is a full sentence fit to show beside its field."""


class WorkflowError(FundingError):
    """A transition that cannot be taken from where the record stands; the message says why."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    who: frozenset[str]
    past: str  # what it did, in a sentence: 'This application has already been submitted.'
    needs_reason: bool = False


@dataclass(frozen=True)
class Workflow:
    noun: str
    transitions: tuple[Transition, ...]
    field: str = "status"
    # Where the record keeps the reason a transition needs (declined, withdrawn); applications keep theirs
    # on their ApplicationEvent instead.
    reason_field: str = ""

    def find(self, name: str, status: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name and status in t.sources), None)

    def available(self, status: str, user: Any, record: Any) -> list[Transition]:
        """The transitions this person may take from this status (for showing buttons)."""
        return [t for t in self.transitions if status in t.sources and may_take(user, t, record)]


def _t(name: str, sources: set[str], target: str, who: set[str], past: str, *, reason: bool = False) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(who), past, reason)


A = Application.Status
APPLICATION = Workflow(
    noun="application",
    transitions=(
        _t("submit", {A.DRAFT}, A.SUBMITTED, {APPLICANT}, "submitted"),
        _t("withdraw", {A.DRAFT, A.SUBMITTED}, A.WITHDRAWN, {APPLICANT}, "withdrawn"),
        _t("assess", {A.SUBMITTED}, A.IN_ASSESSMENT, {OFFICER}, "sent for assessment"),
        _t("approve", {A.IN_ASSESSMENT}, A.APPROVED, {OFFICER}, "approved"),
        _t("reject", {A.SUBMITTED, A.IN_ASSESSMENT}, A.REJECTED, {OFFICER}, "turned down", reason=True),
    ),
)

G = Grant.Status
GRANT = Workflow(
    noun="grant offer",
    reason_field="status_reason",
    transitions=(
        _t("accept", {G.OFFERED}, G.ACCEPTED, {APPLICANT}, "accepted"),
        _t("decline", {G.OFFERED}, G.DECLINED, {APPLICANT}, "declined", reason=True),
        _t("complete", {G.ACCEPTED}, G.COMPLETED, {OFFICER}, "completed"),
        _t("withdraw", {G.OFFERED, G.ACCEPTED}, G.WITHDRAWN, {OFFICER}, "withdrawn", reason=True),
    ),
)

R = MonitoringReport.Status
REPORT = Workflow(
    noun="monitoring report",
    transitions=(
        _t("submit", {R.DUE, R.CHANGES_REQUESTED}, R.SUBMITTED, {APPLICANT}, "submitted"),
        _t("accept", {R.SUBMITTED}, R.ACCEPTED, {OFFICER}, "accepted"),
        _t("request_changes", {R.SUBMITTED}, R.CHANGES_REQUESTED, {OFFICER}, "sent back", reason=True),
    ),
)

P = Pledge.Status
PLEDGE = Workflow(
    noun="pledge",
    reason_field="withdrawn_reason",
    transitions=(
        _t("accept", {P.PLEDGED}, P.ACCEPTED, {APPLICANT}, "accepted"),
        _t("deliver", {P.ACCEPTED}, P.DELIVERED, {SUPPLIER}, "marked delivered"),
        _t("verify", {P.DELIVERED}, P.VERIFIED, {APPLICANT, OFFICER}, "verified"),
        _t("withdraw", {P.PLEDGED, P.ACCEPTED}, P.WITHDRAWN, {SUPPLIER, OFFICER}, "withdrawn", reason=True),
    ),
)


# --- who is who -----------------------------------------------------------------------------------


def is_officer(user: Any) -> bool:
    """Council officers run funds: set them up, assess, decide, offer, pay and review reports."""
    return bool(user is not None and user.is_authenticated and user.has_role(Role.OFFICER))


def applicant_of(record: Any) -> Organisation | None:
    if isinstance(record, Application):
        return record.organisation
    if isinstance(record, Grant):
        return record.application.organisation
    if isinstance(record, MonitoringReport):
        return record.grant.application.organisation
    if isinstance(record, Pledge):
        return record.need.organisation
    return None


def _manages(user: Any, organisation: Organisation | None) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and organisation is not None
        and can_manage_organisation(user, organisation)
    )


def may_take(user: Any, transition: Transition, record: Any) -> bool:
    if OFFICER in transition.who and is_officer(user):
        return True
    if APPLICANT in transition.who and _manages(user, applicant_of(record)):
        return True
    return SUPPLIER in transition.who and isinstance(record, Pledge) and _manages(user, record.supplier)


# --- taking a transition --------------------------------------------------------------------------


def take(workflow: Workflow, record: models.Model, name: str, *, by: User, reason: str = "") -> Transition:
    """Move `record` along `workflow` by the transition `name`, if it may go there and `by` may move it.

    Raises PermissionDenied when `by` may not, and WorkflowError (a full sentence) when the record's status
    does not allow it or a reason is missing. Call inside the service's transaction, on a row locked with
    select_for_update so that a double click cannot take the same step twice.
    """
    status = getattr(record, workflow.field)
    transition = workflow.find(name, status)
    if transition is None:
        named = [t for t in workflow.transitions if t.name == name]
        if not named:
            raise WorkflowError(f'"{name}" is not a step in the {workflow.noun} workflow.')
        done = next((t for t in named if t.target == status), None)
        if done is not None:
            raise WorkflowError(f"This {workflow.noun} has already been {done.past}.")
        shown = dict(record._meta.get_field(workflow.field).choices or []).get(status, status)  # type: ignore[union-attr]
        raise WorkflowError(f"This {workflow.noun} is {str(shown).lower()}, so it cannot be {named[0].past} now.")
    if not may_take(by, transition, record):
        raise PermissionDenied(f"You cannot do that to this {workflow.noun}.")
    reason = reason.strip()
    if transition.needs_reason and not reason:
        raise WorkflowError({"reason": "Say why, so the people affected know the reason."})
    setattr(record, workflow.field, transition.target)
    if workflow.reason_field and transition.needs_reason:
        setattr(record, workflow.reason_field, reason)
    with acting(by):
        record.save()
    if isinstance(record, Application):
        ApplicationEvent.objects.create(
            application=record,
            transition=transition.name,
            from_status=status,
            to_status=transition.target,
            by=by,
            note=reason,
        )
    return transition
