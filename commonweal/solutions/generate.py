"""Blockages at benchmark scale, written fast: plain rows inserted in batches (core.bulk's BulkWriter: executemany
on SQLite, COPY on PostgreSQL), no model instances, no per-row saves.

`generate_blockages(n)` makes departments, categories routed to them, champions and stewards, then N blockages
spread over three years in every status, each with its full history (one event per step, dated, with the working
days each stage took and whether it was late), its departments' parts, the clock as the steps would have left it
(stage, start, due date in working days, paused while waiting) and, for about half of the late ones, the
escalation to the champion the daily task would already have made, so the task still has the rest to do.

From a fixed seed, so the same call makes the same records. Records are not marked demo: they are for benchmarks
and tests, in a database of their own (ids are given here: nothing else may write these tables meanwhile).
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import create_organisation
from commonweal.core import workdays
from commonweal.core.bulk import BulkWriter
from commonweal.places.models import Ward

from . import clock
from .models import Blockage, BlockageEvent, Category, Escalation, Part

B = Blockage.Status
EMAIL_DOMAIN = "bench.commonweal.test"
BATCH = 2000
DEPARTMENT_NAMES = [
    "Parks and Green Spaces",
    "Highways",
    "Estates and Property",
    "Legal Services",
    "Finance",
    "Licensing and Events",
    "Community and Housing",
    "Public Health",
    "Waste and Street Cleaning",
    "Planning",
    "Libraries and Heritage",
    "Children and Families",
]
CATEGORY_NAMES = [
    "Trees and planting",
    "Use of parks and green spaces",
    "Community buildings and halls",
    "Street parties and road closures",
    "Insurance and risk assessments",
    "Licences and permissions",
    "Grants and payments",
    "Waste and litter picks",
    "Planning and building rules",
    "Libraries and heritage spaces",
]
# The steps to each status, and the status each step leaves it at.
PATHS: dict[str, list[str]] = {
    B.RAISED: [],
    B.ACKNOWLEDGED: ["acknowledge"],
    B.STEPS_AGREED: ["acknowledge", "agree_steps"],
    B.IN_PROGRESS: ["acknowledge", "agree_steps", "start"],
    B.WAITING: ["acknowledge", "agree_steps", "start", "wait"],
    B.RESOLVED: ["acknowledge", "agree_steps", "start", "resolve"],
    B.NOT_RESOLVABLE: ["acknowledge", "agree_steps", "not_resolvable"],
    B.LEARNING_SHARED: ["acknowledge", "agree_steps", "start", "resolve", "share_learning"],
    B.JOINED: ["join"],
}
AFTER = {
    "acknowledge": B.ACKNOWLEDGED,
    "agree_steps": B.STEPS_AGREED,
    "start": B.IN_PROGRESS,
    "wait": B.WAITING,
    "resolve": B.RESOLVED,
    "not_resolvable": B.NOT_RESOLVABLE,
    "share_learning": B.LEARNING_SHARED,
    "join": B.JOINED,
}
# How often each status comes up: most are open or closed, a few waiting or joined.
WEIGHTS = {
    B.RAISED: 12,
    B.ACKNOWLEDGED: 12,
    B.STEPS_AGREED: 10,
    B.IN_PROGRESS: 16,
    B.WAITING: 5,
    B.RESOLVED: 15,
    B.NOT_RESOLVABLE: 5,
    B.LEARNING_SHARED: 20,
    B.JOINED: 5,
}


@dataclass
class Generated:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _people(writer: BulkWriter, role: str, count: int, password: str, seed: int) -> list[int]:
    ids = []
    users, memberships = [], []
    for n in range(count):
        user_id = writer.new_id(User)
        users.append(
            {
                "id": user_id,
                "email": f"bench-{seed}-{role}-{n}@{EMAIL_DOMAIN}",
                "full_name": f"Bench {role} {n}",
                "password": password,
                "is_active": True,
            }
        )
        memberships.append({"user_id": user_id, "role": role, "organisation_id": None})
        ids.append(user_id)
    writer.insert(User, users)
    writer.insert(Membership, memberships)
    return ids


def generate_blockages(*, blockages: int, seed: int = 2026, today: date | None = None) -> Generated:
    """Make `blockages` blockages with their histories, parts and clocks (see the module's docstring)."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - invented data wants repeatability, not secrecy
    today = today or clock.today()
    country = clock.nation()
    standards = clock.standards()
    now = timezone.now()
    add = lru_cache(maxsize=None)(lambda day, days: workdays.add(day, days, country))
    between = lru_cache(maxsize=None)(lambda a, b: workdays.between(a, b, country))
    counts: dict[str, int] = {}
    with transaction.atomic():
        writer = BulkWriter(batch_size=BATCH)
        password = make_password(None)
        departments = []
        for name in DEPARTMENT_NAMES:
            found = Organisation.objects.filter(name=name).first() or create_organisation(
                name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT
            )
            departments.append(found.pk)
        champions = _people(writer, Role.CHAMPION, 8, password, seed)
        _people(writer, Role.STEWARD, 3, password, seed)
        officers = []
        for department in departments:
            user_id = writer.new_id(User)
            writer.insert(
                User,
                [
                    {
                        "id": user_id,
                        "email": f"bench-{seed}-officer-{department}@{EMAIL_DOMAIN}",
                        "full_name": f"Bench officer {department}",
                        "password": password,
                        "is_active": True,
                    }
                ],
            )
            writer.insert(Membership, [{"user_id": user_id, "role": Role.OFFICER, "organisation_id": department}])
            officers.append(user_id)
        categories: list[tuple[int, list[int], int | None]] = []
        for n, name in enumerate(CATEGORY_NAMES):
            chosen = rng.sample(departments, rng.choice([1, 1, 2, 2, 3]))
            category = Category.objects.create(
                name=f"{name} (bench {seed})",
                slug=f"bench-{seed}-{n}",
                champion_id=champions[n % len(champions)] if len(chosen) > 1 else None,
                position=n,
            )
            category.departments.set(chosen)
            categories.append((category.pk, chosen, category.champion_id))
        wards: list[int | None] = [*Ward.objects.values_list("pk", flat=True)] or [None]
        statuses = list(WEIGHTS)
        weights = list(WEIGHTS.values())
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        parts: list[dict[str, Any]] = []
        escalations: list[dict[str, Any]] = []
        made_ids: list[int] = []
        for n in range(blockages):
            status = rng.choices(statuses, weights)[0]
            path = PATHS[status]
            if status == B.JOINED and not made_ids:
                status, path = B.RAISED, []
            category_id, category_departments, category_champion = rng.choice(categories)
            span = len(path) * 25 + 3
            raised = now - timedelta(days=rng.randint(span, max(span + 1, 1095)), minutes=rng.randint(0, 600))
            pk = writer.new_id(Blockage)
            at = raised
            current, previous = B.RAISED, ""
            stage: str = clock.STAGE_OF_STATUS[B.RAISED]
            stage_start = raised
            due: date | None = add(timezone.localdate(raised), standards[stage])
            paused_at = None
            for step in path:
                at = at + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 300))
                if at > now:
                    at = now - timedelta(minutes=len(path))
                after = AFTER[step]
                event = {
                    "blockage_id": pk,
                    "transition": step,
                    "from_status": current,
                    "to_status": after,
                    "at": at,
                    "note": "",
                    "by_id": officers[departments.index(category_departments[0])],
                    "stage": "",
                    "stage_working_days": None,
                    "stage_late": False,
                }
                new_stage = clock.STAGE_OF_STATUS.get(after, "")
                if after == B.WAITING:
                    paused_at = at
                elif new_stage != stage:
                    on = timezone.localdate(at)
                    event.update(
                        stage=stage,
                        stage_working_days=max(between(timezone.localdate(stage_start), on), 0),
                        stage_late=on > due if due else False,
                    )
                    stage, stage_start = new_stage, at
                    due = add(on, standards[new_stage]) if new_stage else None
                events.append(event)
                previous, current = current, after
            open_ = status in {B.RAISED, B.ACKNOWLEDGED, B.STEPS_AGREED, B.IN_PROGRESS, B.WAITING}
            champion = category_champion if len(category_departments) > 1 else None
            breached = None
            level = 0
            if open_ and status != B.WAITING and due is not None and due < today and rng.random() < 0.5:
                breached = workdays.next_working_day(due + timedelta(days=1), country)
                if breached <= today:
                    level = 1
                    escalations.append(
                        {
                            "blockage_id": pk,
                            "stage": stage,
                            "stage_started_at": stage_start,
                            "level": 1,
                            "due_on": due,
                            "at": now,
                            "sent_to": "Bench champion",
                        }
                    )
                else:
                    breached = None
            rows.append(
                {
                    "id": pk,
                    "uuid": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "title": f"Blockage {n}: a rule in the way of a community project",
                    "description": "Generated for the benchmark: what is blocked, where, what was tried.",
                    "category_id": category_id,
                    "ward_id": rng.choice(wards),
                    "raiser_name": f"Resident {n}",
                    "raiser_email": f"raiser-{n}@{EMAIL_DOMAIN}",
                    "confirmed_at": raised,
                    "show_raiser": n % 5 == 0,
                    "status": status,
                    "previous_status": previous if status == B.WAITING else "",
                    "joined_to_id": rng.choice(made_ids) if status == B.JOINED else None,
                    "champion_id": champion,
                    "stage": stage or "",
                    "stage_started_at": stage_start if stage else None,
                    "due_on": due if stage else None,
                    "paused_at": paused_at if status == B.WAITING else None,
                    "paused_days": 0,
                    "breached_on": breached,
                    "escalation_level": level,
                    "raised_at": raised,
                    "closed_at": at if not open_ else None,
                    "updated_at": at,
                    "is_demo": False,
                }
            )
            for department in category_departments:
                parts.append(
                    {
                        "blockage_id": pk,
                        "department_id": department,
                        "status": "done" if not open_ else rng.choice(["to_do", "doing"]),
                        "blockage_status": status,
                        "added_at": raised,
                        "updated_at": at,
                    }
                )
            made_ids.append(pk)
        writer.insert(Blockage, rows)
        writer.insert(BlockageEvent, events)
        writer.insert(Part, parts)
        writer.insert(Escalation, escalations)
        writer.finish()
    counts = {"blockages": len(rows), "events": len(events), "parts": len(parts), "escalations": len(escalations)}
    return Generated(counts=counts, seconds=time.perf_counter() - started)


def first_department_queue_owner() -> Any:
    """An officer of the department with the most parts: whose queue the benchmark measures."""
    from django.db.models import Count

    busiest = (
        Part.objects.values("department_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("department_id", flat=True)
    ).first()
    if busiest is None:
        return None
    return User.objects.filter(memberships__role=Role.OFFICER, memberships__organisation_id=busiest).first()
