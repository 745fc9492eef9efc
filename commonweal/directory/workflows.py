"""The directory's workflows, written out by hand: claims, changes waiting for approval, listing moderation
and reports from the public.

Each workflow is a table on the core engine (core/workflow.py): a status field, the transitions allowed from
each status and who may take them, with the directory's own wording for a refusal. `take()` (the engine's)
checks the status and the person, writes the new status (and who decided, when and why, where the record has
room for them) and records the event. The services call `take()` and do the rest of the work (granting a
membership, applying a change) in the same transaction.

Who may take a transition:
- MODERATOR: an officer or an administrator (they run the directory for the council);
- OWNER: someone who manages the record's organisation (accounts.permissions.can_manage_organisation);
- SIGNED_IN: anyone with an account;
- ANYONE: anyone at all, signed in or not (a report from the public).
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.db import models

from commonweal.accounts.models import ListingStatus, Organisation
from commonweal.accounts.permissions import can_manage_organisation
from commonweal.accounts.roles import Role
from commonweal.core.workflow import NEW, Transition, Workflow, take
from commonweal.core.workflow import step as _t

from .errors import DirectoryError, WorkflowError
from .models import Asset, ChangeRequest, Claim, Location, Report, Service

__all__ = ["NEW", "DirectoryError", "Transition", "Workflow", "WorkflowError", "take"]

MODERATOR = "moderator"
OWNER = "owner"
SIGNED_IN = "signed_in"
ANYONE = "anyone"
# An officer's decisions: taking one after another has been taken says what was decided.
DECISIONS = frozenset({"approve", "reject", "resolve"})

MODERATOR_ROLES = (Role.OFFICER, Role.ADMIN)


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


def note_reason(record: models.Model, transition: Transition, before: str, by: Any, reason: str) -> None:
    """Listings have no reason field: keep the officer's reason on the audit log entry of the decision too,
    where a record's history page reads it."""
    if not reason:
        return
    entry = LogEntry.objects.get_for_object(record).order_by("-timestamp", "-pk").first()
    if entry is not None:
        entry.additional_data = {**(entry.additional_data or {}), "reason": reason}
        entry.save(update_fields=["additional_data"])


# Who may take a transition, asked by the engine in this order (cheap questions first).
WHO = {
    ANYONE: lambda user, record: True,
    SIGNED_IN: lambda user, record: bool(user is not None and user.is_authenticated),
    MODERATOR: lambda user, record: is_moderator(user),
    OWNER: owns,
}
DECIDE = "Only officers and administrators can decide on a {noun}."
SAY_WHY = "Say the reason, so the person who asked knows why."


PENDING, PUBLISHED, REJECTED, WITHDRAWN = (
    ListingStatus.PENDING.value,
    ListingStatus.PUBLISHED.value,
    ListingStatus.REJECTED.value,
    ListingStatus.WITHDRAWN.value,
)


def _workflow(noun: str, *transitions: Transition, **differences: Any) -> Workflow:
    """A directory workflow: the same roles, decisions and error for every one; an officer decides, and the
    record keeps who, when and why in decided_by, decided_at and reason, unless `differences` says otherwise."""
    settings: dict[str, Any] = {
        "refusal": DECIDE,
        "reason_missing": SAY_WHY,
        "field": "status",
        "decided_by": "decided_by",
        "decided_at": "decided_at",
        "reason": "reason",
        **differences,
    }
    return Workflow(may=WHO, decisions=DECISIONS, error=WorkflowError, noun=noun, transitions=transitions, **settings)


# Someone asks to manage an organisation's listing; an officer decides. Approval makes them a group member.
CLAIM = _workflow(
    "claim",
    _t("submit", {NEW}, Claim.Status.PENDING, {SIGNED_IN}, "sent"),
    _t("approve", {Claim.Status.PENDING}, Claim.Status.APPROVED, {MODERATOR}, "approved"),
    _t("reject", {Claim.Status.PENDING}, Claim.Status.REJECTED, {MODERATOR}, "rejected", needs_reason=True),
)

# A group member's change to a published record waits here; the public sees it only once approved.
CHANGE = _workflow(
    "change",
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
)

# Organisations, services, locations and assets: the public sees only published ones. Each step is noted in
# the record's history (note_reason) rather than in fields of its own.
LISTING = _workflow(
    "listing",
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
    refusal="Only officers, administrators and the organisation's own members can do that to this listing.",
    after=note_reason,
    field="listing_status",
    decided_by="",
    decided_at="",
    reason="",
)

# Someone tells us a listing is wrong; an officer looks into it and says what was done.
REPORT = _workflow(
    "report",
    _t("submit", {NEW}, Report.Status.OPEN, {ANYONE}, "sent"),
    _t("resolve", {Report.Status.OPEN}, Report.Status.RESOLVED, {MODERATOR}, "resolved", needs_reason=True),
    reason_missing="Say what was done about it.",
    decided_by="resolved_by",
    decided_at="resolved_at",
    reason="resolution",
)
