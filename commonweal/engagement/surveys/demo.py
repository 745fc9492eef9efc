"""The demo borough's perception survey: one survey (the standard questions and the framework's outcomes) with
three published waves of invented responses (engagement/demo.py calls `load` after the other areas).

The respondents are skewed as real ones are (older, more home owners, more women, more White British than the
borough), and owners and older people answer a little more positively, so weighting to the borough profile
pulls the headline figures down by a point or two, as it does in life. The trend is plausible: satisfaction with
the way the council runs things about 62%, then 60%, then 64%. Seeded: the same responses every time; written
with bulk_create; loading twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from commonweal.accounts.models import Organisation, User
from commonweal.places import categories
from commonweal.places.models import CouncilArea

from ..models_surveys import Survey, SurveyQuestion, SurveyResponse, Wave
from . import services

SEED = 2025
SLUG = "residents-perception-survey"
DEPARTMENT = "Community and Housing"
# (name, opens, closes, responses, each question's chance of a positive answer among those with a view)
WAVES = (
    ("Autumn 2025", date(2025, 9, 15), date(2025, 10, 31), 1180, 0.012),
    ("Spring 2026", date(2026, 3, 2), date(2026, 4, 17), 960, -0.012),
    ("Autumn 2026", date(2026, 9, 14), date(2026, 10, 30), 1340, 0.048),
)
POSITIVE = {
    "local_area": 0.80,
    "council": 0.62,
    "value_for_money": 0.46,
    "acts_on_concerns": 0.55,
    "informed": 0.58,
    "trust": 0.57,
    "belonging": 0.61,
    "get_on": 0.81,
}
OUTCOME_POSITIVE = 0.50
DONT_KNOW = 0.05
SKIPPED = 0.03
# How the respondents lean against the borough (their answers' shares).
SEXES = (("Female", 0.56), ("Male", 0.41), (categories.PREFER_NOT_TO_SAY, 0.03))
TENURES = (
    (categories.TENURES[0], 0.70),
    (categories.TENURES[1], 0.12),
    (categories.TENURES[2], 0.15),
    (categories.PREFER_NOT_TO_SAY, 0.03),
)
DISABILITY = (("no", 0.62), ("not_limited", 0.12), ("a_little", 0.13), ("a_lot", 0.08), ("", 0.05))
WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"


def _pick(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in options], weights=[share for _, share in options])[0]


def _ethnicity(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return categories.PREFER_NOT_TO_SAY
    if roll < 0.55:
        return WHITE_BRITISH
    return rng.choice([name for name in categories.ETHNICITIES if name != WHITE_BRITISH])


def _age(rng: random.Random) -> tuple[int | None, bool]:
    roll = rng.random()
    if roll < 0.04:
        return None, True
    if roll < 0.50:
        return rng.randint(60, 89), False
    return rng.randint(18, 59), False


def _answer(rng: random.Random, question: SurveyQuestion, chance: float) -> int | None:
    """A position in the question's options: positive with `chance` among those with a view. Always takes four
    draws, so changing a chance changes this answer alone, never the draws after it."""
    skip, unsure, roll, which = rng.random(), rng.random(), rng.random(), rng.random()
    if skip < SKIPPED:
        return None
    if question.excluded and unsure < DONT_KNOW:
        return int(question.excluded[0])
    positive = list(question.positive)
    others = [n for n in range(len(question.options)) if n not in positive and n not in question.excluded]
    chosen = positive if roll < chance else others
    return int(chosen[int(which * len(chosen))])


def load(council: CouncilArea) -> dict[str, int]:
    """The demo survey with its three published waves, unless it is there already."""
    if Survey.objects.filter(slug=SLUG).exists():
        return {}
    department = Organisation.objects.filter(name=DEPARTMENT, kind=Organisation.Kind.COUNCIL_DEPARTMENT).first()
    steward = User.objects.filter(memberships__role="steward").order_by("pk").first()
    if department is None or steward is None:
        return {}
    from commonweal.framework.models import Element

    outcomes = list(Element.objects.filter(kind=Element.Kind.OUTCOME).values_list("pk", flat=True)[:4])
    survey = services.create_survey(
        title="Residents' perception survey",
        summary="What residents think of Merton as a place to live and of the way the council runs things, asked "
        "twice a year so that we can see what changes.",
        department=department,
        outcome_ids=outcomes,
        by=steward,
        is_demo=True,
    )
    Survey.objects.filter(pk=survey.pk).update(slug=SLUG)
    survey.slug = SLUG
    asked = list(survey.questions.order_by("position"))
    wards = list(council.wards.order_by("code"))
    rng = random.Random(SEED)  # noqa: S311 - invented demo answers want repeatability, not secrecy
    # Some wards are happier than others, the same in every wave.
    ward_lean = {ward.pk: rng.uniform(-0.08, 0.08) for ward in wards}
    zone = ZoneInfo(settings.TIME_ZONE)
    total = 0
    for name, opens, closes, count, moved in WAVES:
        wave = Wave.objects.create(
            survey=survey,
            name=name,
            slug=name.lower().replace(" ", "-"),
            opens_on=opens,
            closes_on=closes,
            sample=Wave.Sample.OPEN,
            status=Wave.Status.PUBLISHED,
            opened_at=datetime.combine(opens, time(9), zone),
            closed_at=datetime.combine(closes, time(23, 59), zone),
            published_at=datetime.combine(closes + timedelta(days=21), time(10), zone),
        )
        rows = []
        rng = random.Random(f"{SEED}-{name}")  # noqa: S311 - each wave its own stream, so one can be tuned alone
        days = (closes - opens).days
        for _ in range(count):
            ward = rng.choice(wards) if rng.random() < 0.93 else None
            age, refused = _age(rng)
            tenure = _pick(rng, TENURES)
            lean = moved + (ward_lean[ward.pk] if ward else 0.0)
            lean += 0.04 if tenure == categories.TENURES[0] else -0.03
            lean += 0.03 if age is not None and age >= 60 else -0.01
            answers = {}
            for question in asked:
                base = POSITIVE.get(question.key, OUTCOME_POSITIVE)
                chosen = _answer(rng, question, min(0.97, max(0.03, base + lean)))
                if chosen is not None:
                    answers[question.key] = chosen
            when = datetime.combine(opens + timedelta(days=rng.randint(0, days)), time(rng.randint(8, 21)), zone)
            rows.append(
                SurveyResponse(
                    wave=wave,
                    answers=answers,
                    ward=ward,
                    age=age,
                    age_refused=refused,
                    sex=_pick(rng, SEXES),
                    ethnicity=_ethnicity(rng),
                    tenure=tenure,
                    disability=_pick(rng, DISABILITY),
                    submitted_at=when,
                    is_demo=True,
                )
            )
        SurveyResponse.objects.bulk_create(rows, batch_size=1000)
        total += len(rows)
    return {"perception survey waves": len(WAVES), "perception survey responses": total}
