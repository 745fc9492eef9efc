"""Funding's workflows, written out by hand: applications, grant offers, monitoring reports and pledges.

Each workflow is a table on the core engine (core/workflow.py): a status field, the transitions allowed from
each status and who may take them. `take()` (the engine's) checks the status and the person, writes the new
status and records the event (a WorkflowEvent for all, and an ApplicationEvent for applications, which the
applicant's pages show). Services call `take()` on a locked row and do the rest of the work in the same
transaction.

Who may take a transition (funding/permissions.py answers):
- APPLICANT: someone who acts for the record's group; for a pledge, the group that posted the need;
- SUPPLIER: someone who acts for the supplier that made a pledge;
- OFFICER: council officers, who run funds (assess, decide, offer, pay, review reports).
"""

from __future__ import annotations

from typing import Any

from commonweal.core.workflow import NEW, Transition, Workflow, take, take_all
from commonweal.core.workflow import step as _t

from .errors import FundingError, WorkflowError
from .models import Application, ApplicationEvent, Grant, MonitoringReport, Pledge
from .permissions import is_applicant, is_officer, is_supplier

__all__ = ["NEW", "FundingError", "Transition", "Workflow", "WorkflowError", "is_officer", "take", "take_all"]

APPLICANT = "applicant"
SUPPLIER = "supplier"
OFFICER = "officer"

# Who may take a transition, asked by the engine in this order (cheap questions first).
WHO = {
    OFFICER: lambda user, record: is_officer(user),
    APPLICANT: is_applicant,
    SUPPLIER: is_supplier,
}


def record_application_events(moved: list[tuple[Any, str]], transition: Transition, by: Any, note: str) -> None:
    """Applications keep their own history too: the applicant's page shows it as the status history."""
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application=record,
                transition=transition.name,
                from_status=before,
                to_status=transition.target,
                by=by,
                note=note,
            )
            for record, before in moved
        ],
        batch_size=1000,
    )


def record_application_event(record: Any, transition: Transition, before: str, by: Any, note: str) -> None:
    record_application_events([(record, before)], transition, by, note)


def _workflow(noun: str, transitions: tuple[Transition, ...], **more: Any) -> Workflow:
    # Funding's services set a step's own fields (who accepted, when it was withdrawn) on the locked row
    # before taking it, so the step saves the whole row in its one audited save.
    return Workflow(noun=noun, transitions=transitions, may=WHO, error=WorkflowError, save_all=True, **more)


A = Application.Status
APPLICATION = _workflow(
    "application",
    after=record_application_event,
    after_all=record_application_events,
    transitions=(
        _t("submit", {A.DRAFT}, A.SUBMITTED, {APPLICANT}, "submitted"),
        _t("withdraw", {A.DRAFT, A.SUBMITTED}, A.WITHDRAWN, {APPLICANT}, "withdrawn"),
        _t("assess", {A.SUBMITTED}, A.IN_ASSESSMENT, {OFFICER}, "sent for assessment"),
        _t("approve", {A.IN_ASSESSMENT}, A.APPROVED, {OFFICER}, "approved"),
        _t("reject", {A.SUBMITTED, A.IN_ASSESSMENT}, A.REJECTED, {OFFICER}, "turned down", needs_reason=True),
    ),
)

G = Grant.Status
GRANT = _workflow(
    "grant offer",
    reason="status_reason",
    transitions=(
        _t("accept", {G.OFFERED}, G.ACCEPTED, {APPLICANT}, "accepted"),
        _t("decline", {G.OFFERED}, G.DECLINED, {APPLICANT}, "declined", needs_reason=True),
        _t("complete", {G.ACCEPTED}, G.COMPLETED, {OFFICER}, "completed"),
        _t("withdraw", {G.OFFERED, G.ACCEPTED}, G.WITHDRAWN, {OFFICER}, "withdrawn", needs_reason=True),
    ),
)

R = MonitoringReport.Status
REPORT = _workflow(
    "monitoring report",
    transitions=(
        _t("submit", {R.DUE, R.CHANGES_REQUESTED}, R.SUBMITTED, {APPLICANT}, "submitted"),
        _t("accept", {R.SUBMITTED}, R.ACCEPTED, {OFFICER}, "accepted"),
        _t("request_changes", {R.SUBMITTED}, R.CHANGES_REQUESTED, {OFFICER}, "sent back", needs_reason=True),
    ),
)

P = Pledge.Status
PLEDGE = _workflow(
    "pledge",
    reason="withdrawn_reason",
    transitions=(
        _t("accept", {P.PLEDGED}, P.ACCEPTED, {APPLICANT}, "accepted"),
        _t("deliver", {P.ACCEPTED}, P.DELIVERED, {SUPPLIER}, "marked delivered"),
        _t("verify", {P.DELIVERED}, P.VERIFIED, {APPLICANT, OFFICER}, "verified"),
        _t("withdraw", {P.PLEDGED, P.ACCEPTED}, P.WITHDRAWN, {SUPPLIER, OFFICER}, "withdrawn", needs_reason=True),
    ),
)
