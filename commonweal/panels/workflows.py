"""The panel's workflow, written out by hand on the core engine (core/workflow.py).

A selection is drafted (its size), its quotas set (proposed from the borough's profile, adjusted, checked),
run in the background (the worker takes `finish` or `fail`), its lottery published (the m panels and their
digest fixed), and drawn with a public random number. Setting the quotas again after a run discards the run.

Who may take a step:
- RUNNER: officers, stewards and administrators (panels/permissions.py);
- WORKER: the background run itself (no person: `by` is None).
"""

from __future__ import annotations

from commonweal.core.workflow import NEW, Workflow, take
from commonweal.core.workflow import step as _t

from .errors import WorkflowError
from .models import Selection
from .permissions import runs_panel

__all__ = ["NEW", "SELECTION", "take"]

RUNNER = "runner"
WORKER = "worker"

S = Selection.Status
SELECTION = Workflow(
    noun="selection",
    may={
        RUNNER: lambda user, record: runs_panel(user),
        WORKER: lambda user, record: user is None,
    },
    error=WorkflowError,
    save_all=True,
    refusal="Only council officers and the stewards can run the citizens' panel.",
    transitions=(
        _t("set_quotas", {S.DRAFT, S.QUOTAS_SET, S.READY}, S.QUOTAS_SET, {RUNNER}, "given its quotas"),
        _t("run", {S.QUOTAS_SET, S.READY}, S.RUNNING, {RUNNER}, "started"),
        _t("finish", {S.RUNNING}, S.READY, {WORKER}, "run"),
        _t("fail", {S.RUNNING}, S.QUOTAS_SET, {WORKER, RUNNER}, "stopped"),
        _t("publish", {S.READY}, S.PUBLISHED, {RUNNER}, "published"),
        _t("draw", {S.PUBLISHED}, S.DRAWN, {RUNNER}, "drawn"),
    ),
)
