"""Surveys, waves, responses and a borough profile for the surveys area's tests."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.engagement.models_surveys import Survey, SurveyResponse, Wave
from commonweal.engagement.surveys import services
from commonweal.places import categories
from commonweal.places.models import ProfileCount, Ward

BANDS = ("16 to 34", "35 to 64", "65 and over")


def department(name: str = "Surveys department") -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind=Organisation.Kind.COUNCIL_DEPARTMENT
    )


def survey(steward: Any, *, title: str = "Residents' survey", department_: Organisation | None = None) -> Survey:
    return services.create_survey(
        title=title, summary="What residents think of the area.", department=department_ or department(), by=steward
    )


def wave(
    made: Survey,
    name: str = "Spring 2026",
    *,
    status: str = Wave.Status.OPEN,
    sample: str = Wave.Sample.OPEN,
    days: int = 0,
) -> Wave:
    today = timezone.localdate() + timedelta(days=days)
    return Wave.objects.create(
        survey=made,
        name=name,
        slug=name.lower().replace(" ", "-"),
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=20),
        sample=sample,
        status=status,
    )


def profile(wards: Sequence[Ward] | None = None) -> dict[str, dict[str, int]]:
    """A profile for the first wards: equal wards, young-ish, half renters."""
    wards = list(wards or Ward.objects.order_by("code")[:3])
    shares = {
        categories.AGE: dict(zip(BANDS, (0.35, 0.45, 0.20), strict=True)),
        categories.SEX: {"Female": 0.51, "Male": 0.49},
        categories.ETHNICITY: dict(zip(categories.ETHNIC_GROUPS, (0.2, 0.1, 0.05, 0.6, 0.05), strict=True)),
        categories.TENURE: dict(zip(categories.TENURES, (0.5, 0.2, 0.3), strict=True)),
        categories.DISABILITY: dict(zip(categories.DISABILITIES, (0.15, 0.85), strict=True)),
    }
    rows = []
    for ward in wards:
        for characteristic, split in shares.items():
            for category, share in split.items():
                rows.append(
                    ProfileCount(ward=ward, characteristic=characteristic, category=category, count=int(10000 * share))
                )
    ProfileCount.objects.bulk_create(rows)
    return shares


def responses(
    on: Wave,
    n: int,
    *,
    wards: Sequence[Ward] | None = None,
    seed: int = 1,
    satisfied: float = 0.6,
    tenure: bool = True,
) -> list[SurveyResponse]:
    """n responses skewed older and towards owners; 'council' answered positively about `satisfied` of the time."""
    rng = random.Random(seed)  # noqa: S311 - invented test data, not a secret
    wards = list(wards or Ward.objects.order_by("code")[:3])
    made = []
    now = timezone.now()
    for _ in range(n):
        answers = {
            "council": 0
            if rng.random() < satisfied / 2
            else 1
            if rng.random() < satisfied
            else rng.choice([2, 3, 4, 5]),
            "local_area": rng.choice([0, 1, 1, 2, 3, 5]),
            "trust": rng.choice([0, 1, 2, 3, 4]),
        }
        made.append(
            SurveyResponse(
                wave=on,
                answers=answers,
                ward=rng.choice(wards),
                age=rng.choice([22, 45, 50, 70, 72, 80]),
                sex=rng.choice(["Female", "Male", categories.PREFER_NOT_TO_SAY]),
                ethnicity=rng.choice(list(categories.ETHNICITIES)),
                tenure=rng.choice([categories.TENURES[0]] * 3 + list(categories.TENURES[1:])) if tenure else "",
                disability=rng.choice(["a_lot", "a_little", "no", "no", "not_limited", ""]),
                submitted_at=now,
            )
        )
    return SurveyResponse.objects.bulk_create(made)
