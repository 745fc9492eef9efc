"""Taking a step on a blockage, the one way every page, the API, the daily task and the demo move one: lock the
row, take the workflow step, move the clock, keep the departments' queues in step and tell the raiser (and
anyone whose blockage was joined to this one) once it commits.

Also where a blockage is routed when it is raised or confirmed: to the departments its category names, with a
champion named when more than one department is involved.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role

from . import clock, emails
from .models import OPEN_STATUSES, Blockage, BlockageEvent, Part
from .workflows import BLOCKAGE, Transition, take


def take_step(*, blockage: Blockage, name: str, by: Any, note: str = "", now: Any = None) -> Blockage:
    """Move a blockage on by the step `name` (acknowledge, agree_steps, ...), if it stands where that step can
    be taken and `by` may take it; the raiser is told. Raises PermissionDenied or WorkflowError otherwise."""
    with transaction.atomic():
        locked = Blockage.objects.select_for_update().get(pk=blockage.pk)
        before = locked.status
        transition = take(BLOCKAGE, locked, name, by=by, reason=note)
        finish_step(locked, transition, before, by=by, note=note, now=now)
    return locked


def finish_step(blockage: Blockage, transition: Transition, before: str, *, by: Any, note: str, now: Any) -> None:
    """What follows every step, in its transaction: the clock, the queues, the closing date, the emails."""
    now = now or timezone.now()
    ended = clock.after_step(blockage, before, now=now)
    if blockage.status in {Blockage.Status.RESOLVED, Blockage.Status.NOT_RESOLVABLE, Blockage.Status.JOINED}:
        blockage.closed_at = blockage.closed_at or now
    blockage.save()
    event = blockage.events.order_by("-pk").first()
    if event is not None:
        BlockageEvent.objects.filter(pk=event.pk).update(at=now, **ended)
    Part.objects.filter(blockage=blockage).update(blockage_status=blockage.status)
    emails.step_taken(blockage, transition=transition, note=note)


def champion_for(blockage: Blockage) -> User | None:
    """Who champions a blockage that crosses departments: its category's champion, or else the champion with
    the fewest open cases (the first by name when they tie)."""
    if blockage.category.champion_id is not None:
        return blockage.category.champion
    champions = User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(role=Role.CHAMPION).values("user_id"),
    ).annotate(
        open_cases=Count(
            "blockages_championed",
            filter=Q(blockages_championed__status__in=list(OPEN_STATUSES)),
        )
    )
    return champions.order_by("open_cases", "full_name", "pk").first()


def route(blockage: Blockage, *, now: Any = None) -> None:
    """Send a raised blockage to the departments its category names, name a champion when there is more than
    one, and start the clock on acknowledging it. Call in the transaction that raised or confirmed it."""
    departments = list(blockage.category.departments.all())
    Part.objects.bulk_create(
        [Part(blockage=blockage, department=d, blockage_status=blockage.status) for d in departments],
        ignore_conflicts=True,
    )
    if len(departments) > 1 and blockage.champion_id is None:
        blockage.champion = champion_for(blockage)
    clock.start(blockage, now=now)
    blockage.save()
    emails.routed(blockage)
