"""The clock on a blockage: which stage is being timed, when it is due in working days, and how long each
stage took. Kept by `steps.take_step` on every step, inside its transaction.

- Each status belongs to a stage the council sets a service standard for: raised -> acknowledge; acknowledged
  -> agree the steps; steps agreed and in progress -> resolve; resolved or not resolvable -> share the learning.
- Entering a new stage starts its clock: due = the standard's working days after today (core.workdays, with
  the bank holidays of the council's nation), and any escalation of the stage before is over.
- Waiting for the raiser stops the clock; answering starts it again with the due date moved on by the working
  days spent waiting, so nobody is late because the raiser was away.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from commonweal.core import workdays
from commonweal.places.models import CouncilArea

from .models import DEFAULT_STANDARDS, Blockage, ServiceStandard, Stage

B = Blockage.Status
STAGE_OF_STATUS: dict[str, str] = {
    B.RAISED: Stage.ACKNOWLEDGE,
    B.ACKNOWLEDGED: Stage.AGREE_STEPS,
    B.STEPS_AGREED: Stage.RESOLVE,
    B.IN_PROGRESS: Stage.RESOLVE,
    B.RESOLVED: Stage.SHARE_LEARNING,
    B.NOT_RESOLVABLE: Stage.SHARE_LEARNING,
}


def nation() -> str:
    """The nation whose bank holidays the council keeps, from its ONS code (England before set-up)."""
    council = CouncilArea.current()
    return workdays.nation_of(council.gss_code if council else "")


def standards() -> dict[str, int]:
    """Working days per stage: the council's own, or the defaults where it has not set one."""
    found = {str(k): v for k, v in DEFAULT_STANDARDS.items()}
    found.update(dict(ServiceStandard.objects.values_list("stage", "working_days")))
    return found


def today() -> date:
    return timezone.localdate()


def stage_days(blockage: Blockage, on: date, country: str) -> int:
    """Working days the current stage has taken up to `on`, less the time spent waiting for the raiser."""
    if blockage.stage_started_at is None:
        return 0
    started = timezone.localdate(blockage.stage_started_at)
    return max(workdays.between(started, on, country) - blockage.paused_days, 0)


def after_step(blockage: Blockage, before: str, *, now: Any = None) -> dict[str, Any]:
    """Move the clock for a step from `before` to the blockage's status (set on it already); returns what the
    stage that ended took, for its event: {'stage', 'stage_working_days', 'stage_late'} (empty if none ended).

    Sets the clock fields on `blockage`; the caller saves it.
    """
    now = now or timezone.now()
    on = timezone.localdate(now)
    country = nation()
    status = blockage.status
    ended: dict[str, Any] = {}
    if status == B.WAITING:
        blockage.paused_at = now
        return ended
    if before == B.WAITING and blockage.paused_at is not None:
        waited = max(workdays.between(timezone.localdate(blockage.paused_at), on, country), 0)
        blockage.paused_days += waited
        if blockage.due_on is not None:
            blockage.due_on = workdays.add(blockage.due_on, waited, country)
        blockage.paused_at = None
        if blockage.breached_on is not None and blockage.due_on is not None and blockage.due_on >= on:
            blockage.breached_on = None
    stage = STAGE_OF_STATUS.get(status, "")
    if stage == blockage.stage:
        return ended
    if blockage.stage:
        ended = {
            "stage": blockage.stage,
            "stage_working_days": stage_days(blockage, on, country),
            "stage_late": blockage.due_on is not None and on > blockage.due_on,
        }
    blockage.stage = stage
    blockage.escalation_level = 0
    blockage.breached_on = None
    blockage.paused_days = 0
    if stage:
        blockage.stage_started_at = now
        blockage.due_on = workdays.add(on, standards()[stage], country)
    else:
        blockage.stage_started_at = None
        blockage.due_on = None
    return ended


def start(blockage: Blockage, *, now: Any = None) -> None:
    """Start the clock on a blockage just raised (or just confirmed by its raiser)."""
    blockage.stage = ""
    after_step(blockage, "", now=now)


def working_days_late(blockage: Blockage, on: date | None = None) -> int:
    """How many working days past its due date the current stage is (0 when on time or paused)."""
    if blockage.due_on is None or blockage.paused_at is not None:
        return 0
    on = on or today()
    return max(workdays.between(blockage.due_on, on, nation()), 0)
