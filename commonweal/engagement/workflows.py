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
from .models import Consultation
from .permissions import department_ids, is_steward

__all__ = ["CONSULTATION", "NEW", "EngagementError", "Transition", "Workflow", "WorkflowError", "take"]

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
