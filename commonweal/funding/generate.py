"""A funding round at benchmark scale, written fast: plain rows inserted in batches (core.bulk's
BulkWriter: one executemany per batch on SQLite, COPY on PostgreSQL), no model instances, no per-row saves.

`generate_round()` makes one fund with
- a closed round with N submitted applications from N organisations (charity or company numbers, themes,
  wards), a pool of assessors and weighted criteria: what assignment and moderation are measured on;
- a second, older round of G approved applications, each decided and awarded, accepted and paid in tranches:
  what the 360Giving export is measured on.
`generate_scores()` then scores whatever assignments a round has (making round-robin ones first if there are
none), so moderation can be measured over a fully assessed round.

From a fixed seed, so the same call makes the same records. Records are not marked demo: they are for
benchmarks and tests, in a database of their own.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, SizeBand, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import confirm_emails
from commonweal.core.bulk import BulkWriter
from commonweal.framework.models import Element
from commonweal.places.models import Ward

from .assess.totals import rebuild_totals
from .models import (
    Application,
    ApplicationEvent,
    Assignment,
    Criterion,
    Decision,
    Fund,
    Grant,
    Pot,
    Question,
    Round,
    Score,
    ThemeBudget,
    Tranche,
)
from .money import split_equally

BATCH = 1000
EMAIL_DOMAIN = "bench.commonweal.test"
CRITERIA_NAMES = (
    "Need and evidence",
    "Fit with the fund's themes",
    "Working with communities",
    "Deliverability and value for money",
    "Reaching people facing inequality",
    "Partnership",
    "Sustainability",
    "Learning and evaluation",
)
PROJECTS = (
    "Lunch club",
    "Youth football",
    "Digital drop-in",
    "Community garden",
    "Befriending by phone",
    "English conversation club",
    "Food larder",
    "Carers' coffee morning",
    "Homework club",
    "Repair café",
)
KINDS = (
    (Organisation.Kind.REGISTERED_CHARITY, 55),
    (Organisation.Kind.CIO, 15),
    (Organisation.Kind.CIC, 12),
    (Organisation.Kind.INFORMAL_GROUP, 12),
    (Organisation.Kind.FAITH_GROUP, 6),
)
# (name, largest grant, income under): the pots of the generated fund.
POTS = (("Small grants", 2500, 25000), ("Community grants", 10000, 50000), ("Strategic grants", 100000, None))


@dataclass
class Generated:
    """What generate_round made, and how long it took."""

    fund: Fund
    round: Round
    awards_round: Round | None
    officer: User
    assessors: list[User]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def weights(count: int) -> list[int]:
    """`count` whole-number weights adding up to 100, as even as they can be (the first ones a point more)."""
    if count < 1:
        raise ValueError("A round needs at least one criterion.")
    base, extra = divmod(100, count)
    return [base + (1 if n < extra else 0) for n in range(count)]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _kind(rng: random.Random) -> str:
    total = sum(weight for _, weight in KINDS)
    pick = rng.uniform(0, total)
    for kind, weight in KINDS:
        pick -= weight
        if pick <= 0:
            return kind
    return KINDS[0][0]


def _closed_round(fund: Fund, name: str, slug: str, closes: datetime, **more: Any) -> Round:
    """A generated round whose prospectus was published before it opened, 60 days before it closed."""
    return Round.objects.create(
        fund=fund,
        name=name,
        slug=slug,
        opens_at=closes - timedelta(days=60),
        closes_at=closes,
        prospectus_status=Round.Prospectus.PUBLISHED,
        prospectus="A generated round.",
        prospectus_published_at=closes - timedelta(days=70),
        **more,
    )


@transaction.atomic
def generate_round(
    *,
    applications: int = 2000,
    assessors: int = 40,
    criteria: int = 5,
    grants: int = 10000,
    seed: int = 1,
    wards: Iterable[Ward] | None = None,
) -> Generated:
    """Generate a fund with a closed round of `applications` submitted applications and a pool of `assessors`,
    and `grants` awarded, accepted and paid grants in an older round; see the module's docstring."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - invented data wants repeatability, not secrecy
    now = timezone.now()
    today = timezone.localdate()
    ward_ids = [w.pk for w in (wards if wards is not None else Ward.objects.order_by("code"))]
    theme_ids = list(
        Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk").values_list("pk", flat=True)
    )
    tag = f"bench-{seed}"
    if Fund.objects.filter(slug=f"{tag}-fund").exists():
        raise ValueError(f"A benchmark fund from seed {seed} is already there: use another seed or a fresh database.")

    # People: an officer (of a council department), assessors, and one applicant who signs for every group.
    password = make_password(None)
    department = Organisation.objects.create(
        name=f"Benchmark department {seed}", slug=f"{tag}-department", kind=Organisation.Kind.COUNCIL_DEPARTMENT
    )
    people = User.objects.bulk_create(
        [
            User(email=f"{tag}-officer@{EMAIL_DOMAIN}", full_name="Benchmark officer", password=password),
            User(email=f"{tag}-applicant@{EMAIL_DOMAIN}", full_name="Benchmark applicant", password=password),
            *(
                User(email=f"{tag}-assessor-{n:03d}@{EMAIL_DOMAIN}", full_name=f"Assessor {n}", password=password)
                for n in range(assessors)
            ),
        ],
        batch_size=BATCH,
    )
    officer, applicant, pool = people[0], people[1], people[2:]
    confirm_emails(people)  # confirmed addresses, as the officer and assessors of a real round have
    Membership.objects.create(user=officer, role=Role.OFFICER, organisation=department)

    # The fund, its pots and theme budgets.
    fund = Fund.objects.create(
        name=f"Benchmark fund {seed}",
        slug=f"{tag}-fund",
        summary="A fund generated for benchmarks.",
        total_budget=Decimal("5000000"),
        starts_on=today - timedelta(days=3 * 365),
        ends_on=today + timedelta(days=365),
        created_by=officer,
    )
    fund.themes.set(theme_ids)
    ThemeBudget.objects.bulk_create(
        [ThemeBudget(fund=fund, theme_id=pk, amount=Decimal("5000000") / len(theme_ids)) for pk in theme_ids]
    )
    pots = Pot.objects.bulk_create(
        [
            Pot(
                fund=fund,
                name=name,
                max_amount=Decimal(most),
                max_turnover=None if under is None else Decimal(under),
                position=n,
            )
            for n, (name, most, under) in enumerate(POTS)
        ],
        batch_size=BATCH,
    )

    # Organisations: one for each application, and one for each grant (the same ones where they overlap).
    total = max(applications, grants)
    writer = BulkWriter(batch_size=BATCH)
    organisations: list[dict[str, Any]] = []
    for n in range(total):
        kind = _kind(rng)
        charity = (
            f"{(3_000_000 + seed * 100_000 + n) % 10_000_000:07d}" if kind in {"registered_charity", "cio"} else ""
        )
        company = f"{(seed * 1_000_000 + n) % 100_000_000:08d}" if kind == "cic" else ""
        organisations.append(
            {
                "uuid": _uuid(rng),
                "name": f"{rng.choice(PROJECTS)} group {seed}-{n}",
                "slug": f"{tag}-org-{n}",
                "kind": kind,
                "org_id": f"GB-CHC-{charity}" if charity else f"GB-COH-{company}" if company else "",
                "charity_number": charity,
                "company_number": company,
                "size_band": rng.choice((SizeBand.MICRO, SizeBand.SMALL, SizeBand.SMALL, SizeBand.MEDIUM)),
                "postcode": "SW19 2HL",
                "source": "benchmark",
                "listing_status": "published",
            }
        )
    writer.insert(Organisation, organisations)

    # The round to assess: closed yesterday, every application submitted.
    closes = now - timedelta(days=1)
    round = _closed_round(
        fund,
        f"Benchmark round {seed}",
        f"{tag}-round",
        closes,
        methodology="Each criterion is scored 0 to 5 and weighted.",
        assessors_per_application=2,
    )
    round.assessors.set(pool)
    _criteria_and_questions(round, criteria)
    made = _applications(
        rng,
        writer,
        round=round,
        organisations=organisations[:applications],
        pots=pots,
        by=applicant,
        status=Application.Status.SUBMITTED,
        theme_ids=theme_ids,
        ward_ids=ward_ids,
        at=closes - timedelta(days=30),
        prefix=f"B{seed}-R",
    )

    # The older round whose awards the export publishes.
    awards_round: Round | None = None
    if grants:
        awards_round, awarded = _awards(
            rng,
            writer,
            fund=fund,
            tag=tag,
            seed=seed,
            criteria=criteria,
            organisations=organisations[:grants],
            pots=pots,
            officer=officer,
            applicant=applicant,
            theme_ids=theme_ids,
            ward_ids=ward_ids,
        )
    else:
        awarded = {}
    writer.finish()
    counts = {
        "organisations": len(organisations),
        "applications": len(made),
        "assessors": len(pool),
        "criteria": criteria,
        **awarded,
    }
    return Generated(
        fund=fund,
        round=round,
        awards_round=awards_round,
        officer=officer,
        assessors=pool,
        counts=counts,
        seconds=time.perf_counter() - started,
    )


def _criteria_and_questions(round: Round, count: int) -> None:
    names = [CRITERIA_NAMES[n] if n < len(CRITERIA_NAMES) else f"Criterion {n + 1}" for n in range(count)]
    Criterion.objects.bulk_create(
        [
            Criterion(round=round, name=name, weight=weight, position=n)
            for n, (name, weight) in enumerate(zip(names, weights(count), strict=True))
        ]
    )
    Question.objects.bulk_create(
        [
            Question(round=round, label="What will you do with the grant?", word_limit=300, position=1),
            Question(round=round, label="Why is it needed?", word_limit=250, position=2),
            Question(round=round, label="How many people will take part?", kind=Question.Kind.NUMBER, position=3),
        ]
    )


def _applications(
    rng: random.Random,
    writer: BulkWriter,
    *,
    round: Round,
    organisations: Sequence[dict[str, Any]],
    pots: Sequence[Pot],
    by: User,
    status: str,
    theme_ids: Sequence[int],
    ward_ids: Sequence[int],
    at: Any,
    prefix: str,
) -> list[dict[str, Any]]:
    """Applications from each organisation in turn, with themes, wards, answers and their status history."""
    questions = list(round.questions.values_list("pk", flat=True))
    answers = {str(pk): "We will run weekly sessions in a local hall." for pk in questions}
    rows = []
    for n, organisation in enumerate(organisations):
        pot = pots[n % len(pots)]
        most = int(pot.max_amount)
        submitted = at + timedelta(minutes=n)
        rows.append(
            {
                "uuid": _uuid(rng),
                "reference": f"{prefix}-{n + 1:06d}",
                "round_id": round.pk,
                "organisation_id": organisation["id"],
                "created_by_id": by.pk,
                "status": status,
                "pot_id": pot.pk,
                "title": f"{organisation['name']}: project",
                "summary": "Weekly sessions that bring neighbours together.",
                "amount_requested": Decimal(rng.randrange(max(100, most // 5), most + 1, 50)),
                "turnover": Decimal(rng.randrange(2000, int(pot.max_turnover or 900_000), 500)),
                "starts_on": submitted.date() + timedelta(days=90),
                "ends_on": submitted.date() + timedelta(days=455),
                "answers": answers,
                "eligibility": {},
                "submitted_at": submitted,
            }
        )
    writer.insert(Application, rows)
    theme_links = []
    ward_links = []
    for application in rows:
        for pk in rng.sample(theme_ids, k=min(len(theme_ids), rng.choice((1, 1, 2)))):
            theme_links.append({"application_id": application["id"], "element_id": pk})
        for pk in rng.sample(ward_ids, k=min(len(ward_ids), rng.choice((1, 1, 2, 3)))):
            ward_links.append({"application_id": application["id"], "ward_id": pk})
    writer.insert(Application.themes.through, theme_links)
    writer.insert(Application.wards.through, ward_links)
    # The status history, step by step as workflows.APPLICATION takes it.
    steps = [
        ("start", "", Application.Status.DRAFT),
        ("submit", Application.Status.DRAFT, Application.Status.SUBMITTED),
    ]
    if status in {Application.Status.IN_ASSESSMENT, Application.Status.APPROVED}:
        steps.append(("assess", Application.Status.SUBMITTED, Application.Status.IN_ASSESSMENT))
    if status == Application.Status.APPROVED:
        steps.append(("approve", Application.Status.IN_ASSESSMENT, Application.Status.APPROVED))
    events = [
        {
            "application_id": application["id"],
            "transition": name,
            "from_status": str(source),
            "to_status": str(target),
            "by_id": by.pk,
            "at": application["submitted_at"] + timedelta(days=30 * step - 30),
            "note": "",
        }
        for application in rows
        for step, (name, source, target) in enumerate(steps)
    ]
    writer.insert(ApplicationEvent, events)
    return rows


def _awards(
    rng: random.Random,
    writer: BulkWriter,
    *,
    fund: Fund,
    tag: str,
    seed: int,
    criteria: int,
    organisations: Sequence[dict[str, Any]],
    pots: Sequence[Pot],
    officer: User,
    applicant: User,
    theme_ids: Sequence[int],
    ward_ids: Sequence[int],
) -> tuple[Round, dict[str, int]]:
    """A round two years old whose applications were all approved, offered, accepted and paid in tranches."""
    now = timezone.now()
    closes = now - timedelta(days=700)
    round = _closed_round(fund, f"Benchmark awards {seed}", f"{tag}-awards", closes)
    _criteria_and_questions(round, criteria)
    made = _applications(
        rng,
        writer,
        round=round,
        organisations=organisations,
        pots=pots,
        by=applicant,
        status=Application.Status.APPROVED,
        theme_ids=theme_ids,
        ward_ids=ward_ids,
        at=closes - timedelta(days=30),
        prefix=f"B{seed}-G",
    )
    decided = closes + timedelta(days=40)
    decisions = []
    grants = []
    tranches = []
    for n, application in enumerate(made):
        amount = application["amount_requested"]
        decisions.append(
            {
                "application_id": application["id"],
                "outcome": Decision.Outcome.APPROVED.value,
                "amount": amount,
                "reasons": "Among the strongest applications in the round.",
                "feedback": "The assessors found a clear need and a realistic plan.",
                "weighted_score": Decimal(rng.randrange(6000, 9500)) / 100,
                "decided_by_id": officer.pk,
                "decided_at": decided,
            }
        )
        award = (decided + timedelta(days=n % 300)).date()
        grant = {
            "application_id": application["id"],
            "reference": application["reference"],
            "status": Grant.Status.ACCEPTED.value,
            "amount": amount,
            "award_date": award,
            "conditions": "Spend the grant on the project described.",
            "offered_by_id": officer.pk,
            "offered_at": decided,
            "accepted_by_id": applicant.pk,
            "accepted_at": decided + timedelta(days=7),
            "starts_on": award + timedelta(days=14),
            "ends_on": award + timedelta(days=379),
            "is_demo": False,
        }
        grants.append(grant)
    writer.insert(Decision, decisions)
    writer.insert(Grant, grants)
    for grant in grants:
        for k, share in enumerate(split_equally(grant["amount"], [0, 1]).values()):
            due = grant["starts_on"] + timedelta(days=182 * k)
            tranches.append(
                {
                    "grant_id": grant["id"],
                    "due_on": due,
                    "amount": share,
                    "status": Tranche.Status.PAID.value,
                    "paid_on": due + timedelta(days=3),
                    "paid_by_id": officer.pk,
                    "payment_reference": f"BACS-{grant['id']}-{k + 1}",
                }
            )
    writer.insert(Tranche, tranches)
    return round, {"grants": len(grants), "tranches": len(tranches)}


COMMENTS = (
    "Little evidence for this; the application asserts rather than shows.",
    "Some evidence, mostly from the group's own experience.",
    "Clear and well evidenced, with local people's voices.",
)


@transaction.atomic
def generate_scores(*, round: Round, seed: int = 1) -> int:
    """Score every assignment of the round that is not scored or conflicted, on every criterion, with a
    comment; make round-robin assignments first when the round has none. Returns the scores written."""
    rng = random.Random(seed)  # noqa: S311 - invented data wants repeatability, not secrecy
    now = timezone.now()
    if not Assignment.objects.filter(application__round=round).exists():
        pool = list(round.assessors.order_by("pk").values_list("pk", flat=True))
        per = min(round.assessors_per_application, len(pool))
        ids = list(Application.objects.filter(round=round).order_by("pk").values_list("pk", flat=True))
        Assignment.objects.bulk_create(
            [
                Assignment(application_id=pk, assessor_id=pool[(n * per + k) % len(pool)], assigned_at=now)
                for n, pk in enumerate(ids)
                for k in range(per)
            ],
            batch_size=BATCH,
        )
        submitted = Application.objects.filter(round=round, status=Application.Status.SUBMITTED)
        ApplicationEvent.objects.bulk_create(
            [
                ApplicationEvent(
                    application_id=pk,
                    transition="assess",
                    from_status=Application.Status.SUBMITTED,
                    to_status=Application.Status.IN_ASSESSMENT,
                    at=now,
                )
                for pk in submitted.values_list("pk", flat=True)
            ],
            batch_size=BATCH,
        )
        submitted.update(status=Application.Status.IN_ASSESSMENT)
    criteria = list(round.criteria.values_list("pk", flat=True))
    todo = list(
        Assignment.objects.filter(application__round=round)
        .exclude(status__in=[Assignment.Status.SCORED, Assignment.Status.CONFLICTED])
        .values_list("pk", "application_id")
    )
    quality: dict[int, float] = {}
    scores = []
    for assignment, application in todo:
        level = quality.setdefault(application, rng.uniform(0.2, 0.95))
        for criterion in criteria:
            value = max(0, min(round.score_max, round_score(level * round.score_max + rng.gauss(0, 0.8))))
            band = 0 if value <= 2 else 1 if value == 3 else 2
            scores.append(
                {"assignment_id": assignment, "criterion_id": criterion, "score": value, "comment": COMMENTS[band]}
            )
    writer = BulkWriter(batch_size=BATCH)
    writer.insert(Score, scores)
    writer.finish()
    ids = [pk for pk, _ in todo]
    for start in range(0, len(ids), BATCH):
        Assignment.objects.filter(pk__in=ids[start : start + BATCH]).update(
            status=Assignment.Status.SCORED, declared_at=now, scored_at=now
        )
    rebuild_totals(round)
    return len(scores)


def round_score(value: float) -> int:
    return int(value + 0.5)
