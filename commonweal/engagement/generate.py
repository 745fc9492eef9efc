"""Many realistic responses to one consultation, written in bulk, for the benchmark (bench/engagement.py) and for
trying the results pages at scale. Not for the demo: these are invented people.

The spread is deliberately uneven, as real consultations are: wards answer in proportion to their population and
more from the wards the proposal is in; about two in three people answer the monitoring questions, in the
borough's rough proportions, with the rarer answers given by few; each answer leans one way. A fixed seed gives the
same responses every time. The kept tallies are then rebuilt from the answers (tallies.rebuild).
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.places.models import Ward

from . import monitoring
from .models import Answer, Consultation, Monitoring, Question, Response
from .tallies import rebuild

BATCH = 2000
SAYINGS = [
    "We need a safer crossing by the library",
    "More trees on the high street please",
    "Parking is already hard and this makes it worse",
    "The market should stay where it is",
    "Better lighting at night would make me feel safer",
    "Please think about people using wheelchairs and buggies",
    "Cycle lanes would help my children get to school",
    "Benches and shade for older people",
    "Keep the bus stop near the shops",
    "Too much traffic on the main road in the morning",
]


@dataclass
class Generated:
    consultation: Consultation
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _skewed(options: tuple[tuple[str, str], ...], rng: random.Random) -> list[tuple[str, float]]:
    """Each answer's share: the first few common, the rest rare (as the borough's are)."""
    return [
        (value, 1.0 / (1 + i) ** 1.6 + (0.02 if value == "prefer_not" else 0))
        for i, (value, _label) in enumerate(options)
    ]


def make_consultation(*, slug: str = "bench-high-street") -> Consultation:
    department = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL_DEPARTMENT).order_by("pk").first()
    if department is None:
        department = Organisation.objects.create(name="Regeneration (bench)", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        slug=slug,
        title="Our plan for the high street (benchmark)",
        summary="Invented responses for measuring the results pages.",
        proposal="Widen the pavements, add trees and a crossing.",
        department=department,
        opens_on=today - timedelta(weeks=12),
        closes_on=today - timedelta(days=1),
        status=Consultation.Status.PUBLISHED,
        published_at=timezone.now(),
        gunning_completed_at=timezone.now(),
    )
    K = Question.Kind
    Question.objects.bulk_create(
        [
            Question(
                consultation=consultation,
                position=1,
                kind=K.SINGLE,
                text="Do you support the plan?",
                options=["Yes", "No", "Not sure"],
            ),
            Question(
                consultation=consultation,
                position=2,
                kind=K.MULTIPLE,
                text="What would you use more?",
                options=["Shops", "Cafes", "Library", "Market"],
            ),
            Question(
                consultation=consultation,
                position=3,
                kind=K.SCALE,
                text="How safe do you feel crossing?",
                scale_points=5,
                scale_low="Very unsafe",
                scale_high="Very safe",
            ),
            Question(consultation=consultation, position=4, kind=K.TEXT, text="What else should we know?"),
            Question(
                consultation=consultation,
                position=5,
                kind=K.RANKING,
                text="Put these in order of importance",
                options=["Trees", "Crossing", "Seating"],
            ),
            Question(consultation=consultation, position=6, kind=K.PIN, text="Where is it hardest to cross?"),
        ]
    )
    return consultation


def generate_responses(
    *, responses: int = 50_000, seed: int = 2026, consultation: Consultation | None = None
) -> Generated:
    """Write `responses` submitted responses (with answers and monitoring) to the consultation (a new one by
    default), then rebuild its kept tallies."""
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - invented, repeatable test data, not a secret
    consultation = consultation or make_consultation()
    questions = {q.position: q for q in consultation.questions.all()}
    wards = list(Ward.objects.values_list("pk", "population", "min_lat", "max_lat", "min_lon", "max_lon"))
    ward_weights = [(w, max(w[1] or 1, 1) * (3 if i < 3 else 1)) for i, w in enumerate(wards)]
    shares = {q.field: _skewed(q.choices, rng) for q in monitoring.QUESTIONS}
    now = timezone.now()
    made = {"responses": 0, "answers": 0, "monitoring": 0}
    for start in range(0, responses, BATCH):
        size = min(BATCH, responses - start)
        batch = []
        plans = []
        for n in range(size):
            ward = _weighted(rng, ward_weights) if rng.random() < 0.93 else None
            batch.append(
                Response(
                    consultation=consultation,
                    ward_id=ward[0] if ward else None,
                    name=f"Resident {start + n}",
                    email=f"resident{start + n}@example.org",
                    channel=_weighted(rng, [("online", 0.85), ("paper", 0.1), ("email", 0.03), ("event", 0.02)]),
                    status=Response.Status.SUBMITTED,
                    submitted_at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 80)),
                    hear_back=rng.random() < 0.4,
                )
            )
            plans.append(ward)
        with transaction.atomic():
            Response.objects.bulk_create(batch, batch_size=BATCH)
            if batch[0].pk is None:  # a database that does not return ids from a bulk insert
                ids = list(
                    Response.objects.filter(consultation=consultation)
                    .order_by("-pk")
                    .values_list("pk", flat=True)[:size]
                )
                for response, pk in zip(batch, reversed(ids), strict=True):
                    response.pk = pk
            answers: list[Answer] = []
            monitored: list[Monitoring] = []
            for response, ward in zip(batch, plans, strict=True):
                answers += _answers(rng, response, questions, ward)
                if rng.random() < 0.67:
                    given = {
                        name: _weighted(rng, share) if rng.random() < 0.9 else "" for name, share in shares.items()
                    }
                    given["ethnic_group"] = monitoring.ETHNIC_GROUP_OF.get(given["ethnicity"], "")
                    monitored.append(Monitoring(response=response, **given))
            Answer.objects.bulk_create(answers, batch_size=BATCH)
            Monitoring.objects.bulk_create(monitored, batch_size=BATCH)
        made["responses"] += size
        made["answers"] += len(answers)
        made["monitoring"] += len(monitored)
    made.update(rebuild(consultation))
    return Generated(consultation=consultation, counts=made, seconds=time.perf_counter() - started)


def _answers(rng: random.Random, response: Response, questions: dict[int, Question], ward: Any) -> list[Answer]:
    found = []
    if rng.random() < 0.97:
        found.append(
            Answer(response=response, question=questions[1], choices=[_weighted(rng, [(0, 0.55), (1, 0.3), (2, 0.15)])])
        )
    if rng.random() < 0.8:
        chosen = [i for i, share in enumerate((0.6, 0.45, 0.3, 0.2)) if rng.random() < share] or [0]
        found.append(Answer(response=response, question=questions[2], choices=chosen))
    if rng.random() < 0.9:
        found.append(
            Answer(
                response=response,
                question=questions[3],
                scale=_weighted(rng, [(1, 0.2), (2, 0.3), (3, 0.25), (4, 0.15), (5, 0.1)]),
            )
        )
    if rng.random() < 0.45:
        said = rng.sample(SAYINGS, rng.randint(1, 2))
        found.append(Answer(response=response, question=questions[4], text=". ".join(said) + "."))
    if rng.random() < 0.7:
        order = [0, 1, 2]
        rng.shuffle(order)
        found.append(Answer(response=response, question=questions[5], choices=order))
    if rng.random() < 0.35 and ward is not None:
        _pk, _pop, min_lat, max_lat, min_lon, max_lon = ward
        found.append(
            Answer(
                response=response,
                question=questions[6],
                lat=rng.uniform(min_lat, max_lat),
                lon=rng.uniform(min_lon, max_lon),
            )
        )
    return found
