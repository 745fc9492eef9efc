"""Engagement's workflows, written out by hand on the core engine (core/workflow.py).

A consultation is drafted, published (only with a complete Gunning check: consultations/services.py checks it
before taking the step), and decided ('we asked, you said, we did') once it has closed; it may be withdrawn
with a reason. Forthcoming, open and closed are not steps: they are read from the published consultation's
dates (Consultation.phase), so no job has to run at midnight for a consultation to open.

Who may take a step (engagement/permissions.py answers):
- DEPARTMENT: an officer of the department running it;
- STEWARD: the stewardship group and administrators.
"""

from __future__ import annotations

from commonweal.core.workflow import NEW, Transition, Workflow, take
from commonweal.core.workflow import step as _t

from .errors import EngagementError, WorkflowError
from .models import Budget, Consultation, Wave
from .permissions import department_ids, is_steward

__all__ = [
    "BUDGET",
    "CONSULTATION",
    "WAVE",
    "NEW",
    "EngagementError",
    "Transition",
    "Workflow",
    "WorkflowError",
    "take",
]

DEPARTMENT = "department"
STEWARD = "steward"

C = Consultation.Status
CONSULTATION = Workflow(
    noun="consultation",
    may={
        STEWARD: lambda user, record: is_steward(user),
        DEPARTMENT: lambda user, record: record.department_id in department_ids(user),
    },
    error=WorkflowError,
    save_all=True,
    refusal="Only officers of the department running this consultation, and the stewards, can do that.",
    reason_missing="Say why, so the people who responded know the reason.",
    # Services set who published or decided, and when, on the locked row before taking the step (save_all).
    reason="withdrawn_reason",
    transitions=(
        _t("publish", {C.DRAFT}, C.PUBLISHED, {DEPARTMENT, STEWARD}, "published"),
        _t("decide", {C.PUBLISHED}, C.DECIDED, {DEPARTMENT, STEWARD}, "decided"),
        _t("withdraw", {C.DRAFT, C.PUBLISHED}, C.WITHDRAWN, {DEPARTMENT, STEWARD}, "withdrawn", needs_reason=True),
    ),
)


# --- participatory budgets (budgets/services.py takes these steps) ---------------------------------------
# A budget is drafted, opened for proposals, its proposals checked for feasibility, opened for voting,
# counted (the result is published with its figures) and closed (funded projects handed to funding as
# grants). The services check what each step needs (every proposal checked before voting; the count written)
# on the locked row, and stamp when the stage began, before taking the step.
B = Budget.Status
BUDGET = Workflow(
    noun="budget",
    may={
        STEWARD: lambda user, record: is_steward(user),
        DEPARTMENT: lambda user, record: record.department_id in department_ids(user),
    },
    error=WorkflowError,
    save_all=True,
    refusal="Only officers of the department running this budget, and the stewards, can do that.",
    transitions=(
        _t("open_proposals", {B.DRAFT}, B.PROPOSALS, {DEPARTMENT, STEWARD}, "opened for proposals"),
        _t("check", {B.PROPOSALS}, B.CHECKING, {DEPARTMENT, STEWARD}, "closed for proposals"),
        _t("open_voting", {B.CHECKING}, B.VOTING, {DEPARTMENT, STEWARD}, "opened for voting"),
        _t("count", {B.VOTING}, B.COUNTED, {DEPARTMENT, STEWARD}, "counted"),
        _t("close", {B.COUNTED}, B.CLOSED, {DEPARTMENT, STEWARD}, "closed"),
    ),
)


# --- perception survey waves (surveys/services.py takes these steps) -------------------------------------
# A wave is drafted, opened for answers, closed, and its results published for everyone. The survey's
# department runs it; the services stamp when each step was taken on the locked row before taking it.
W = Wave.Status
WAVE = Workflow(
    noun="survey wave",
    may={
        STEWARD: lambda user, record: is_steward(user),
        DEPARTMENT: lambda user, record: record.survey.department_id in department_ids(user),
    },
    error=WorkflowError,
    save_all=True,
    refusal="Only officers of the department running this survey, and the stewards, can do that.",
    transitions=(
        _t("open", {W.DRAFT}, W.OPEN, {DEPARTMENT, STEWARD}, "opened"),
        _t("close", {W.OPEN}, W.CLOSED, {DEPARTMENT, STEWARD}, "closed"),
        _t("publish", {W.CLOSED}, W.PUBLISHED, {DEPARTMENT, STEWARD}, "published"),
    ),
)
