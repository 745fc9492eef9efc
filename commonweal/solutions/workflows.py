"""The Solutions Framework's workflows, written out by hand: blockages and community asset transfers.

Each is a table on the core engine (core/workflow.py). `take()` checks the status and the person, writes the
new status and records the step (a WorkflowEvent, and a BlockageEvent or TransferEvent that the raiser's page
and the public log read). Services (solutions/*/services.py) call it on a locked row and do the rest of the work
in the same transaction: restart the clock, tell the raiser, keep the departments' queues in step.

Who may take a step (solutions/permissions.py answers):
- LINK: whoever holds the emailed confirmation link (the service checks the secret before taking the step);
- RAISER: the person who raised it, or a member of their group;
- DEPARTMENT: an officer of a department the blockage is routed to;
- CHAMPION: the champion named on the case;
- STEWARD: the stewardship group, who see everything and step in when a case is escalated to them.
"""

from __future__ import annotations

from typing import Any

from commonweal.core.workflow import BACK, NEW, Transition, Workflow, take
from commonweal.core.workflow import step as _t

from .errors import SolutionsError, WorkflowError
from .models import AssetTransfer, Blockage, BlockageEvent, TransferEvent
from .permissions import (
    is_case_champion,
    is_case_department,
    is_raiser,
    is_steward,
    is_transfer_department,
    is_transfer_group,
    signed_in,
)

__all__ = ["BACK", "NEW", "SolutionsError", "Transition", "Workflow", "WorkflowError", "take"]

LINK = "link"
RAISER = "raiser"
DEPARTMENT = "department"
CHAMPION = "champion"
STEWARD = "steward"
GROUP = "group"

# Asked in this order, cheap questions first.
BLOCKAGE_WHO = {
    LINK: lambda user, record: True,
    CHAMPION: is_case_champion,
    STEWARD: lambda user, record: is_steward(user),
    RAISER: is_raiser,
    DEPARTMENT: is_case_department,
}


def record_blockage_event(record: Any, transition: Transition, before: str, by: Any, note: str) -> None:
    """Blockages keep their own history too: the raiser's page and the public log read it."""
    BlockageEvent.objects.create(
        blockage=record,
        transition=transition.name,
        from_status=before,
        to_status=record.status,
        by=by if signed_in(by) else None,
        note=note,
    )


B = Blockage.Status
ACTIVE = {B.ACKNOWLEDGED, B.STEPS_AGREED, B.IN_PROGRESS}
CLOSED = {B.RESOLVED, B.NOT_RESOLVABLE}
COUNCIL = {DEPARTMENT, CHAMPION, STEWARD}
BLOCKAGE = Workflow(
    noun="blockage",
    may=BLOCKAGE_WHO,
    error=WorkflowError,
    save_all=True,
    previous="previous_status",
    after=record_blockage_event,
    refusal="Only the departments this blockage is routed to, its champion and the stewards can do that.",
    reason_missing="Say what happens next, so the person who raised it knows.",
    transitions=(
        _t("confirm", {B.UNCONFIRMED}, B.RAISED, {LINK}, "confirmed"),
        _t("acknowledge", {B.RAISED}, B.ACKNOWLEDGED, COUNCIL, "acknowledged"),
        _t("agree_steps", {B.ACKNOWLEDGED}, B.STEPS_AGREED, COUNCIL, "given agreed steps", needs_reason=True),
        _t("start", {B.STEPS_AGREED}, B.IN_PROGRESS, COUNCIL, "started"),
        _t("wait", ACTIVE, B.WAITING, COUNCIL, "put on hold for the raiser", needs_reason=True),
        _t("reply", {B.WAITING}, BACK, {RAISER}, "answered"),
        _t("resume", {B.WAITING}, BACK, COUNCIL, "taken off hold"),
        _t("resolve", ACTIVE, B.RESOLVED, COUNCIL, "resolved", needs_reason=True),
        _t("not_resolvable", ACTIVE, B.NOT_RESOLVABLE, COUNCIL, "closed as not resolvable", needs_reason=True),
        _t("share_learning", CLOSED, B.LEARNING_SHARED, {CHAMPION, STEWARD}, "closed with its learning shared"),
        # A duplicate found after it was raised is joined to the first: it follows that one from then on.
        _t("join", {B.RAISED, B.ACKNOWLEDGED}, B.JOINED, COUNCIL, "joined to another blockage", needs_reason=True),
    ),
    decisions=frozenset({"resolve", "not_resolvable"}),
)


def record_transfer_event(record: Any, transition: Transition, before: str, by: Any, note: str) -> None:
    TransferEvent.objects.create(
        transfer=record,
        transition=transition.name,
        from_status=before,
        to_status=record.status,
        by=by if signed_in(by) else None,
        note=note,
    )


T = AssetTransfer.Status
OPEN_TRANSFER = {T.INTEREST, T.SUPPORT, T.BUSINESS_CASE, T.SIGN_OFFS, T.DECISION, T.LEASE}
TRANSFER_WHO = {
    CHAMPION: is_case_champion,
    STEWARD: lambda user, record: is_steward(user),
    GROUP: is_transfer_group,
    DEPARTMENT: is_transfer_department,
}
TRANSFER_COUNCIL = {CHAMPION, STEWARD}
SIGNERS = TRANSFER_COUNCIL | {DEPARTMENT}
APPLICANTS = TRANSFER_COUNCIL | {GROUP}
TRANSFER = Workflow(
    noun="asset transfer",
    may=TRANSFER_WHO,
    error=WorkflowError,
    save_all=True,
    after=record_transfer_event,
    refusal="Only the transfer's champion and the stewards can move this asset transfer on.",
    transitions=(
        _t("offer_support", {T.INTEREST}, T.SUPPORT, TRANSFER_COUNCIL, "passed to a support body"),
        _t("ask_for_business_case", {T.INTEREST, T.SUPPORT}, T.BUSINESS_CASE, TRANSFER_COUNCIL, "asked for one"),
        # The group attaches its business case; the champion sends it to the three departments that sign it off.
        _t("request_sign_offs", {T.BUSINESS_CASE}, T.SIGN_OFFS, TRANSFER_COUNCIL, "sent for sign-off"),
        # The service moves it on once every sign-off is in (or back, when one is refused).
        _t("signed_off", {T.SIGN_OFFS}, T.DECISION, SIGNERS, "signed off"),
        _t("revise_business_case", {T.SIGN_OFFS}, T.BUSINESS_CASE, SIGNERS, "sent back for changes", needs_reason=True),
        _t("approve", {T.DECISION}, T.LEASE, TRANSFER_COUNCIL, "approved", needs_reason=True),
        _t("decline", {T.DECISION}, T.DECLINED, TRANSFER_COUNCIL, "declined", needs_reason=True),
        _t("sign_lease", {T.LEASE}, T.TRANSFERRED, TRANSFER_COUNCIL, "transferred"),
        _t("withdraw", OPEN_TRANSFER, T.WITHDRAWN, APPLICANTS, "withdrawn", needs_reason=True),
    ),
    decisions=frozenset({"approve", "decline"}),
)
