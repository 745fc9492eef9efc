"""The directory's workflows, written out by hand: claims, changes waiting for approval, listing moderation
and reports from the public.

Each workflow is a status field and a table of the transitions allowed from each status, with who may take
them. `take()` is the one function that takes a transition: it checks the status and the person, writes the
new status (and who decided, when and why, where the record has room for them) and leaves the audit log to
record the event. The services call `take()` and do the rest of the work (granting a membership, applying a
change) in the same transaction.

Who may take a transition:
- MODERATOR: an officer or an administrator (they run the directory for the council);
- OWNER: someone who manages the record's organisation (accounts.permissions.can_manage_organisation);
- SIGNED_IN: anyone with an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from commonweal.accounts.models import ListingStatus, Organisation, User
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.roles import Role
from commonweal.core.audit import acting

from .models import Asset, ChangeRequest, Claim, Location, Report, Service

MODERATOR = "moderator"
OWNER = "owner"
SIGNED_IN = "signed_in"
# The status of a record that does not exist yet: the source of transitions that create one.
NEW = ""
# An officer's decisions: taking one after another has been taken says what was decided.
DECISIONS = frozenset({"approve", "reject", "resolve"})

MODERATOR_ROLES = (Role.OFFICER, Role.ADMIN)


class DirectoryError(ValidationError):
    """Bad input to a directory write; each message is a full sentence fit to show beside its field."""


class WorkflowError(DirectoryError):
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


@dataclass(frozen=True)
class Workflow:
    noun: str
    field: str
    transitions: tuple[Transition, ...]
    decided_by: str = ""
    decided_at: str = ""
    reason: str = ""

    def find(self, name: str, status: str) -> Transition | None:
        for transition in self.transitions:
            if transition.name == name and status in transition.sources:
                return transition
        return None

    def named(self, name: str) -> list[Transition]:
        return [t for t in self.transitions if t.name == name]

    def available(self, status: str, user: Any, record: Any) -> list[Transition]:
        """The transitions this person may take from this status (for showing buttons)."""
        return [t for t in self.transitions if status in t.sources and may_take(user, t, record)]


def _t(
    name: str, sources: set[str], target: str, who: set[str], past: str, *, needs_reason: bool = False
) -> Transition:
    return Transition(name, frozenset(sources), target, frozenset(who), past, needs_reason)


PENDING, PUBLISHED, REJECTED, WITHDRAWN = (
    ListingStatus.PENDING.value,
    ListingStatus.PUBLISHED.value,
    ListingStatus.REJECTED.value,
    ListingStatus.WITHDRAWN.value,
)

# Someone asks to manage an organisation's listing; an officer decides. Approval makes them a group member.
CLAIM = Workflow(
    noun="claim",
    field="status",
    decided_by="decided_by",
    decided_at="decided_at",
    reason="reason",
    transitions=(
        _t("submit", {NEW}, Claim.Status.PENDING, {SIGNED_IN}, "sent"),
        _t("approve", {Claim.Status.PENDING}, Claim.Status.APPROVED, {MODERATOR}, "approved"),
        _t("reject", {Claim.Status.PENDING}, Claim.Status.REJECTED, {MODERATOR}, "rejected", needs_reason=True),
    ),
)

# A group member's change to a published record waits here; the public sees it only once approved.
CHANGE = Workflow(
    noun="change",
    field="status",
    decided_by="decided_by",
    decided_at="decided_at",
    reason="reason",
    transitions=(
        _t("submit", {NEW}, ChangeRequest.Status.PENDING, {OWNER}, "sent"),
        _t("approve", {ChangeRequest.Status.PENDING}, ChangeRequest.Status.APPROVED, {MODERATOR}, "approved"),
        _t(
            "reject",
            {ChangeRequest.Status.PENDING},
            ChangeRequest.Status.REJECTED,
            {MODERATOR},
            "rejected",
            needs_reason=True,
        ),
    ),
)

# Organisations, services, locations and assets: the public sees only published ones.
LISTING = Workflow(
    noun="listing",
    field="listing_status",
    transitions=(
        # A group member's new record waits for an officer; an officer's own is published at once.
        _t("submit", {NEW}, PENDING, {OWNER}, "sent for approval"),
        _t("publish", {NEW}, PUBLISHED, {MODERATOR}, "published"),
        _t("approve", {PENDING}, PUBLISHED, {MODERATOR}, "approved"),
        _t("reject", {PENDING}, REJECTED, {MODERATOR}, "rejected", needs_reason=True),
        # Changing a rejected record sends it back to the officers.
        _t("resubmit", {REJECTED}, PENDING, {OWNER}, "sent for approval again"),
        _t("withdraw", {PENDING, PUBLISHED, REJECTED}, WITHDRAWN, {OWNER, MODERATOR}, "withdrawn"),
        # Bringing a withdrawn record back: it waits for approval, unless an officer brings it back.
        _t("restore", {WITHDRAWN}, PENDING, {OWNER}, "sent for approval"),
        _t("republish", {WITHDRAWN}, PUBLISHED, {MODERATOR}, "published again"),
    ),
)

# Someone tells us a listing is wrong; an officer looks into it and says what was done.
REPORT = Workflow(
    noun="report",
    field="status",
    decided_by="resolved_by",
    decided_at="resolved_at",
    reason="resolution",
    transitions=(
        _t("submit", {NEW}, Report.Status.OPEN, {"anyone"}, "sent"),
        _t("resolve", {Report.Status.OPEN}, Report.Status.RESOLVED, {MODERATOR}, "resolved", needs_reason=True),
    ),
)


# --- who is who -----------------------------------------------------------------------------------


def is_moderator(user: Any) -> bool:
    """Officers and administrators moderate the directory."""
    return bool(user is not None and user.is_authenticated and user.has_role(*MODERATOR_ROLES))


def organisation_of(record: Any) -> Organisation | None:
    """The organisation a directory record belongs to (itself, for an organisation)."""
    if isinstance(record, Organisation):
        return record
    if isinstance(record, Claim):
        return record.organisation
    if isinstance(record, ChangeRequest | Report):
        return organisation_of(record.target)
    if isinstance(record, Service | Location | Asset):
        return record.organisation
    return None


def owns(user: Any, record: Any) -> bool:
    """True when this person manages the organisation the record belongs to."""
    organisation = organisation_of(record)
    return bool(
        user is not None
        and user.is_authenticated
        and organisation is not None
        and can_manage_organisation(user, organisation)
    )


def may_edit(user: Any, record: Any) -> bool:
    """Owners edit their own records; officers and administrators edit any."""
    return is_moderator(user) or owns(user, record)


def may_take(user: Any, transition: Transition, record: Any) -> bool:
    if "anyone" in transition.who:
        return True
    if SIGNED_IN in transition.who and user is not None and user.is_authenticated:
        return True
    if MODERATOR in transition.who and is_moderator(user):
        return True
    return OWNER in transition.who and owns(user, record)


# --- taking a transition --------------------------------------------------------------------------


def _refusal(workflow: Workflow, name: str) -> str:
    if workflow is LISTING:
        return "Only officers, administrators and the organisation's own members can do that to this listing."
    return f"Only officers and administrators can decide on a {workflow.noun}."


def take(workflow: Workflow, record: models.Model, name: str, *, by: User, reason: str = "") -> Transition:
    """Move `record` along `workflow` by the transition `name`, if it may go there and `by` may move it.

    Raises PermissionDenied when `by` may not, and WorkflowError (with a full sentence) when the record's
    status does not allow it or a reason is missing. Call inside the service's transaction.
    """
    status = getattr(record, workflow.field)
    transition = workflow.find(name, status)
    if transition is None:
        if not workflow.named(name):
            raise WorkflowError(f'"{name}" is not a step in the {workflow.noun} workflow.')
        # Someone got there first: say what became of it rather than that the step is impossible.
        reached = [t for t in workflow.transitions if t.target == status and NEW not in t.sources]
        decided = [t for t in reached if name in DECISIONS and t.name in DECISIONS]
        done = next((t for t in reached if t.name == name), decided[0] if decided else None)
        label = record._meta.get_field(workflow.field).choices  # type: ignore[union-attr]
        shown = dict(label or []).get(status, status)
        if done is not None:
            raise WorkflowError(f"This {workflow.noun} has already been {done.past}.")
        raise WorkflowError(
            f"This {workflow.noun} is {str(shown).lower()}, so it cannot be {workflow.named(name)[0].past} now."
        )
    candidates = [t for t in workflow.transitions if t.name == name and status in t.sources]
    allowed = next((t for t in candidates if may_take(by, t, record)), None)
    if allowed is None:
        raise PermissionDenied(_refusal(workflow, name))
    transition = allowed
    reason = reason.strip()
    if transition.needs_reason and not reason:
        what = "what was done about it" if workflow is REPORT else "the reason, so the person who asked knows why"
        raise WorkflowError({"reason": f"Say {what}."})
    setattr(record, workflow.field, transition.target)
    update_fields = [workflow.field]
    if workflow.decided_by:
        setattr(record, workflow.decided_by, by)
        setattr(record, workflow.decided_at, timezone.now())
        update_fields += [workflow.decided_by, workflow.decided_at]
    if workflow.reason:
        setattr(record, workflow.reason, reason)
        update_fields.append(workflow.reason)
    if hasattr(record, "updated_at"):
        update_fields.append("updated_at")
    with acting(by):
        record.save(update_fields=update_fields)
    if reason and not workflow.reason:
        note_reason(record, reason)
    return transition


def note_reason(record: models.Model, reason: str) -> None:
    """Listings have no reason field: keep the officer's reason on the audit log entry of the decision."""
    entry = LogEntry.objects.get_for_object(record).order_by("-timestamp", "-pk").first()
    if entry is not None:
        entry.additional_data = {**(entry.additional_data or {}), "reason": reason}
        entry.save(update_fields=["additional_data"])
