"""The daily breach task: every open blockage whose current stage is past its due date is flagged as breached
and escalated, first to its champion, then (once it has been late for the council's set number of working days)
to the stewards. Late sign-offs of asset transfers go to the transfer's champion.

- Late means: the first working day after the due date has come (a stage due on the Thursday before Good Friday
  is late on Easter Tuesday in England, not on the holiday). Waiting for the raiser stops the clock, so a paused
  blockage is never late; a closed one has nothing left to time.
- Nothing is escalated twice: each escalation is an Escalation row, unique per blockage, stage, stage start and
  level. The rows are inserted with ON CONFLICT DO NOTHING and marked with this run's token, so two runs at once
  (two workers, or cron and a person pressing the button) email only for the rows each one actually made.
- One email per person per run: a digest of their late cases with links, never one email per blockage.

Built for 50,000 open blockages: a handful of queries whatever the number (the working-day arithmetic is done
once per distinct due date, not per blockage) and bulk inserts.
"""

from __future__ import annotations

import importlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, Count, DateField, F, PositiveSmallIntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.accounts.roles import Role
from commonweal.core import notify, workdays

from . import clock
from .models import OPEN_STATUSES, Blockage, Category, Escalation, SolutionsSettings, Stage

# A digest lists at most this many cases; the rest are on the person's queue.
DIGEST_LIMIT = 200
BATCH = 2000
DATES_PER_UPDATE = 200
LATE_STATUSES = sorted(OPEN_STATUSES - {Blockage.Status.WAITING})


@dataclass
class LateCase:
    reference: str
    title: str
    stage: str
    due_on: date
    days_late: int
    link: str


@dataclass
class Digest:
    """What one person is told in one run."""

    name: str
    as_champion: list[LateCase] = field(default_factory=list)  # the first DIGEST_LIMIT
    as_steward: list[LateCase] = field(default_factory=list)
    sign_offs: list[Any] = field(default_factory=list)
    champion_total: int = 0
    steward_total: int = 0


@dataclass
class Result:
    breached: int = 0
    to_champions: int = 0
    to_stewards: int = 0
    sign_offs: int = 0
    emails: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def first_late_day(due_on: date, country: str) -> date:
    """The first working day after the due date: the day a stage becomes late."""
    return workdays.next_working_day(date.fromordinal(due_on.toordinal() + 1), country)


PLACEHOLDER = uuid.UUID(int=0)


def case_links() -> Callable[[Any], str]:
    """A case's address from its uuid: reversed once per run, not once per case (50,000 reverses take seconds)."""
    try:
        pattern = notify.site_url(reverse("solutions:case", args=[PLACEHOLDER]))
    except NoReverseMatch:  # the case pages are another area's; a partial install still escalates
        fallback = notify.site_url("/solutions/")
        return lambda _uuid: fallback
    return lambda blockage_uuid: pattern.replace(str(PLACEHOLDER), str(blockage_uuid))


def insert_escalations(rows: list[tuple[int, str, Any, int, date]], token: str) -> None:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike), in batches: a row another run made first
    is skipped, which is what stops a second run, or two at once, escalating anything twice."""
    ops = connection.ops
    table = ops.quote_name(Escalation._meta.db_table)
    column_of = {f.name: f.column for f in Escalation._meta.concrete_fields}
    columns = ", ".join(
        ops.quote_name(column_of[name])
        for name in ("blockage", "stage", "stage_started_at", "level", "due_on", "at", "sent_to")
    )
    at = ops.adapt_datetimefield_value(timezone.now())
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"  # noqa: S608 - names from the model, values as parameters
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    (
                        pk,
                        stage,
                        ops.adapt_datetimefield_value(started),
                        level,
                        ops.adapt_datefield_value(due),
                        at,
                        token,
                    )
                    for pk, stage, started, level, due in rows[start : start + BATCH]
                ],
            )


def fallback_champions() -> dict[int, int | None]:
    """Category -> the champion who takes its late cases with no champion named: the category's own, or else
    the champion with the fewest open cases (worked out once per run, as steps.champion_for would)."""
    least_busy = (
        User.objects.filter(is_active=True, pk__in=Membership.objects.filter(role=Role.CHAMPION).values("user_id"))
        .annotate(
            open_cases=Count("blockages_championed", filter=Q(blockages_championed__status__in=list(OPEN_STATUSES)))
        )
        .order_by("open_cases", "full_name", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {pk: (champion or least_busy) for pk, champion in Category.objects.values_list("pk", "champion_id")}


def stewards() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, pk__in=Membership.objects.filter(role=Role.STEWARD).values("user_id")
        ).order_by("full_name", "pk")
    )


def late_sign_offs(on: date) -> list[Any]:
    """Hook for the transfers area: its sign-offs past their due date on `on` (each with .transfer.champion).
    Empty until `transfers.queries.overdue_sign_offs(on)` exists."""
    try:
        queries = importlib.import_module(f"{__package__}.transfers.queries")
    except ImportError:
        return []
    overdue_sign_offs = getattr(queries, "overdue_sign_offs", None)
    if overdue_sign_offs is None:
        return []
    return list(overdue_sign_offs(on))


def escalate_late_blockages(*, today: date | None = None) -> Result:
    """Flag every late, open, running blockage as breached and escalate it to its champion, then to the stewards
    after the council's set working days; email each person one digest of what was escalated to them."""
    today = today or clock.today()
    country = clock.nation()
    wait = SolutionsSettings.current().escalate_to_stewards_after
    result = Result()
    token = f"run:{uuid.uuid4().hex}"

    candidates = Blockage.objects.filter(
        status__in=LATE_STATUSES, paused_at__isnull=True, due_on__lt=today, stage_started_at__isnull=False
    ).exclude(stage="")
    # The arithmetic once per distinct due date: when it became late and how many working days late it is.
    lateness: dict[date, tuple[date, int]] = {}
    for due_on in candidates.order_by().values_list("due_on", flat=True).distinct():
        if due_on is None:
            continue
        first = first_late_day(due_on, country)
        if first <= today:
            lateness[due_on] = (first, workdays.between(due_on, today, country))
    if not lateness:
        found: dict[int, User] = {}
        with transaction.atomic():
            send_all(collect_sign_offs(today, country, result, {}, found), found, today, result)
        return result

    with transaction.atomic():
        champions = fallback_champions()
        # Every late blockage with something left to do: not yet flagged, or not yet as far up as its lateness.
        rows: list[tuple[Any, ...]] = list(
            candidates.filter(due_on__in=list(lateness))
            .filter(Q(escalation_level__lt=2) | Q(breached_on__isnull=True))
            .values_list(
                "pk",
                "stage",
                "stage_started_at",
                "due_on",
                "escalation_level",
                "champion_id",
                "category_id",
                "breached_on",
            )
        )
        result.breached = sum(1 for row in rows if row[7] is None)
        rows = [row[:7] for row in rows]
        to_name: dict[int, list[int]] = defaultdict(list)  # champion -> blockages that had none named
        new: list[tuple[int, str, Any, int, date]] = []
        for pk, stage, started, due_on, level, champion_id, category_id in rows:
            days_late = lateness[due_on][1]
            if level < 1:
                if champion_id is None and champions.get(category_id) is not None:
                    to_name[champions[category_id]].append(pk)  # type: ignore[index]  # checked not None above
                new.append((pk, stage, started, 1, due_on))
            if days_late >= wait:
                new.append((pk, stage, started, 2, due_on))
        # Name the champion on a late case that had none, so the case shows who it went to.
        for champion_id, pks in to_name.items():
            for start in range(0, len(pks), BATCH):
                Blockage.objects.filter(pk__in=pks[start : start + BATCH], champion__isnull=True).update(
                    champion_id=champion_id
                )
        insert_escalations(new, token)
        # Flag and level them in one UPDATE per few hundred due dates, never one per blockage: breached_on is
        # the first late day, the level how far up its lateness has gone (the same whichever run inserted the
        # escalations, so two runs at once agree).
        dates = list(lateness.items())
        for start in range(0, len(dates), DATES_PER_UPDATE):
            chunk = dates[start : start + DATES_PER_UPDATE]
            steward_dates = [d for d, (_, days_late) in chunk if days_late >= wait]
            candidates.filter(due_on__in=[d for d, _ in chunk]).filter(
                Q(breached_on__isnull=True)
                | Q(escalation_level__lt=1)
                | Q(due_on__in=steward_dates, escalation_level__lt=2)
            ).update(
                breached_on=Coalesce(
                    F("breached_on"),
                    Case(*(When(due_on=d, then=Value(first)) for d, (first, _) in chunk), output_field=DateField()),
                ),
                escalation_level=Case(
                    When(due_on__in=steward_dates, then=Value(2)),
                    When(escalation_level__lt=1, then=Value(1)),
                    default=F("escalation_level"),
                    output_field=PositiveSmallIntegerField(),
                ),
            )
        made = Escalation.objects.filter(sent_to=token)
        digests: dict[int, Digest] = {}
        users: dict[int, User] = {}
        made_rows: list[tuple[Any, ...]] = list(
            made.order_by("blockage__due_on", "blockage_id").values_list(
                "level",
                "blockage_id",
                "blockage__uuid",
                "blockage__title",
                "blockage__stage",
                "blockage__due_on",
                "blockage__champion_id",
            )
        )
        # Only rows this run made are news: another run's (or yesterday's) were told already.
        champion_ids = {row[6] for row in made_rows if row[0] == 1 and row[6] is not None}
        users.update({u.pk: u for u in User.objects.filter(pk__in=champion_ids)})
        the_stewards = stewards()
        users.update({u.pk: u for u in the_stewards})
        steward_names = ", ".join(u.full_name or u.email for u in the_stewards) or "nobody: the council has no stewards"
        sent_to: dict[str, list[int]] = defaultdict(list)
        link = case_links()
        labels = {str(value): str(label) for value, label in Stage.choices}

        def late(pk: int, blockage_uuid: Any, title: str, stage: str, due_on: date) -> LateCase:
            return LateCase(
                reference=f"B{pk:05d}",
                title=title,
                stage=labels.get(stage, ""),
                due_on=due_on,
                days_late=lateness[due_on][1],
                link=link(blockage_uuid),
            )

        to_stewards: list[LateCase] = []
        for level, pk, blockage_uuid, title, stage, due_on, champion_id in made_rows:
            if level == 1:
                result.to_champions += 1
                champion = users.get(champion_id) if champion_id is not None else None
                if champion is None:
                    sent_to["Nobody: there is no champion to name"].append(pk)
                    continue
                sent_to[champion.full_name or champion.email].append(pk)
                digest = digests.setdefault(champion.pk, Digest(name=champion.full_name))
                digest.champion_total += 1
                if len(digest.as_champion) < DIGEST_LIMIT:
                    digest.as_champion.append(late(pk, blockage_uuid, title, stage, due_on))
            else:
                result.to_stewards += 1
                sent_to[f"The stewards: {steward_names}"].append(pk)
                if len(to_stewards) < DIGEST_LIMIT:
                    to_stewards.append(late(pk, blockage_uuid, title, stage, due_on))
        if result.to_stewards:
            for steward in the_stewards:
                digest = digests.setdefault(steward.pk, Digest(name=steward.full_name))
                digest.as_steward = to_stewards
                digest.steward_total = result.to_stewards
        for names, pks in sent_to.items():
            for start in range(0, len(pks), BATCH):
                made.filter(blockage_id__in=pks[start : start + BATCH]).update(sent_to=names)

        send_all(collect_sign_offs(today, country, result, digests, users), users, today, result)
    return result


def send_all(digests: dict[int, Digest], users: dict[int, User], today: date, result: Result) -> None:
    for person_id, digest in digests.items():
        send_digest(users[person_id], digest, today)
        result.emails += 1


def collect_sign_offs(
    today: date, country: str, result: Result, digests: dict[int, Digest], users: dict[int, User]
) -> dict[int, Digest]:
    """A sign-off becomes late the working day after its due date: its transfer's champion hears of it that day
    (once: the day it became late, which is what keeps a daily run from telling them twice)."""
    for sign_off in late_sign_offs(today):
        if first_late_day(sign_off.due_on, country) != today:
            continue
        champion = sign_off.transfer.champion
        if champion is None:
            continue
        users[champion.pk] = champion
        digests.setdefault(champion.pk, Digest(name=champion.full_name)).sign_offs.append(sign_off)
        result.sign_offs += 1
    return digests


def send_digest(person: User, digest: Digest, today: date) -> None:
    count = digest.champion_total + digest.steward_total + len(digest.sign_offs)
    notify.email_on_commit(
        to=[person.email],
        subject=f"{count} late case{'s' if count != 1 else ''} escalated to you",
        template="solutions/emails/escalated.txt",
        context={
            "digest": digest,
            "as_champion": digest.as_champion,
            "as_steward": digest.as_steward,
            "more_champion": digest.champion_total - len(digest.as_champion),
            "more_steward": digest.steward_total - len(digest.as_steward),
            "today": today,
        },
    )
