"""The demo borough's responses: about 60 to the open consultation (`high-street-plan`) and about 450 to the closed
one (`green-spaces-strategy`), spread over the borough's wards, most with equality monitoring answers (so several
groups reach ten), free text with recurring themes, a few pins inside the borough, and some asking to hear back.

The consultations area's demo makes the two consultations; a slug that is missing is skipped. Rows are written in
bulk; each response is then counted by the same call that counts a response sent through the pages.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from commonweal.core.demo import DEMO_EMAIL_DOMAIN
from commonweal.places.models import CouncilArea, Lsoa, Ward
from commonweal.places.services import ward_for_point

from .. import monitoring, tallies
from ..models import Answer, Consultation, Monitoring, Question, Response

HOW_MANY = {"high-street-plan": 60, "green-spaces-strategy": 450}
SEED = 2027

# Free text made of a theme's sentence, sometimes two, and sometimes a personal touch: varied, with themes that
# recur, as real answers do.
THEMES = {
    "safety": [
        "I don't feel safe walking through here after dark.",
        "There have been a few muggings near the station and people are worried.",
        "My children are not allowed to walk here alone because it feels unsafe.",
    ],
    "lighting": [
        "The street lighting is poor, half the lamps are out.",
        "Better lighting along the path would make a big difference in winter.",
        "It is pitch black by the park gates once the sun goes down.",
    ],
    "dog fouling": [
        "Dog fouling is a real problem on the pavements and the grass.",
        "More dog bins, and fines for owners who don't pick up, please.",
        "We can't sit on the grass because of the dog mess.",
    ],
    "play areas": [
        "The play area is tired and the swings have been broken for months.",
        "We need a play space for older children, not just toddlers.",
        "A fenced play area would let parents relax.",
    ],
    "parking": [
        "Parking is impossible on market days.",
        "Please don't take away the parking bays, older people need them.",
        "Cars park on the pavement and block wheelchairs and buggies.",
    ],
    "toilets": [
        "There are no public toilets, which stops my mum coming out.",
        "Reopen the public toilets, even if we have to pay a small charge.",
        "An accessible toilet would help disabled visitors a lot.",
    ],
    "benches": [
        "More benches please, I need to rest when I walk to the shops.",
        "Benches with backs and arms are easier for older people.",
        "Somewhere to sit in the shade would be lovely.",
    ],
    "trees": [
        "Plant more trees, the street is very hot in summer.",
        "Keep the old trees, they are what make this place special.",
        "Street trees and planters would make it feel greener and calmer.",
    ],
    "cost": [
        "I worry about the cost when the council is cutting services.",
        "Is this the best use of money? Fix the potholes first.",
        "Spend the money on maintenance, not new schemes that then fall apart.",
    ],
}
TOUCHES = [
    "I have lived here for twenty years.",
    "I use a wheelchair.",
    "I walk this way to school every day with my kids.",
    "",
    "",
    "Thank you for asking.",
    "I run a small shop on the high street.",
]

# Monitoring answers drawn with weights near the borough's profile, so the larger groups pass ten.
WEIGHTS = {
    "age_band": {"16_24": 8, "25_34": 18, "35_49": 28, "50_64": 22, "65_74": 12, "75_plus": 6, "prefer_not": 6},
    "sex": {"female": 52, "male": 44, "prefer_not": 4},
    "gender_identity": {"same": 92, "different": 2, "prefer_not": 6},
    "sexual_orientation": {"straight": 82, "gay_lesbian": 4, "bisexual": 3, "other": 1, "prefer_not": 10},
    "ethnicity": {
        "white_british": 42,
        "white_other": 14,
        "white_irish": 2,
        "asian_indian": 6,
        "asian_pakistani": 5,
        "asian_other": 5,
        "black_african": 7,
        "black_caribbean": 5,
        "mixed_white_caribbean": 3,
        "mixed_other": 2,
        "other_any": 3,
        "prefer_not": 6,
    },
    "religion": {"none": 30, "christian": 42, "muslim": 10, "hindu": 5, "jewish": 1, "other": 3, "prefer_not": 9},
    "disability": {"a_lot": 7, "a_little": 11, "not_limited": 8, "no": 66, "prefer_not": 8},
    "carer": {"yes": 14, "no": 78, "prefer_not": 8},
}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _text(rng: random.Random) -> str:
    themes = rng.sample(list(THEMES), k=rng.choice([1, 1, 2]))
    words = [rng.choice(THEMES[theme]) for theme in themes]
    touch = rng.choice(TOUCHES)
    return " ".join(words + ([touch] if touch else []))


def _answer(rng: random.Random, question: Question, response: Response, points: list[tuple[float, float]]) -> Answer:
    kind = Question.Kind
    options = len(question.options or [])
    answer = Answer(response=response, question=question)
    if question.kind == kind.SINGLE and options:
        # Lean towards the first options, as most consultations' answers do.
        answer.choices = [min(options - 1, int(rng.triangular(0, options, 0)))]
    elif question.kind == kind.MULTIPLE and options:
        answer.choices = sorted(rng.sample(range(options), k=rng.randint(1, options)))
    elif question.kind == kind.SCALE:
        answer.scale = max(1, min(question.scale_points, round(rng.triangular(1, question.scale_points, 4))))
    elif question.kind == kind.TEXT:
        answer.text = _text(rng)
    elif question.kind == kind.RANKING and options:
        order = list(range(options))
        rng.shuffle(order)
        answer.choices = order
    elif question.kind == kind.PIN and points:
        lat, lon = rng.choice(points)
        answer.lat, answer.lon = lat, lon
    return answer


def _moment(rng: random.Random, consultation: Consultation, today: date) -> datetime:
    first = consultation.opens_on or today
    last = min(consultation.closes_on or today, today)
    days = max(0, (last - first).days)
    day = first + timedelta(days=rng.randint(0, days))
    return timezone.make_aware(datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59))))


def add_responses(consultation: Consultation, how_many: int, *, seed: int = SEED) -> int:
    """Add `how_many` submitted responses to a consultation, spread over the borough's wards, and count each."""
    rng = random.Random(f"{seed}-{consultation.slug}")  # noqa: S311 - invented demo answers, not secrets
    wards = list(Ward.objects.order_by("code"))
    questions = list(consultation.questions.order_by("position", "pk"))
    # Pins at neighbourhoods' centres, each checked to be inside the borough as a pin on the page would be.
    centres = list(Lsoa.objects.order_by("code").values_list("centroid_lat", "centroid_lon")[:60])
    points = [(lat, lon) for lat, lon in centres if ward_for_point(lat, lon) is not None]
    today = timezone.localdate()
    responses = []
    for n in range(how_many):
        hear_back = rng.random() < 0.3
        responses.append(
            Response(
                consultation=consultation,
                ward=rng.choice(wards) if wards and rng.random() < 0.9 else None,
                name=f"Demo resident {n + 1}" if hear_back else "",
                email=f"respondent-{consultation.slug}-{n + 1}@{DEMO_EMAIL_DOMAIN}",
                hear_back=hear_back,
                channel=Response.Channel.ONLINE if rng.random() < 0.9 else Response.Channel.PAPER,
                status=Response.Status.SUBMITTED,
                submitted_at=_moment(rng, consultation, today),
            )
        )
    made = Response.objects.bulk_create(responses, batch_size=500)
    answers: list[Answer] = []
    kept: list[Monitoring] = []
    for response in made:
        for question in questions:
            # Every required question is answered; optional ones mostly, a pin only now and then.
            chance = 1.0 if question.required else 0.25 if question.kind == Question.Kind.PIN else 0.8
            if rng.random() < chance:
                answers.append(_answer(rng, question, response, points))
        if rng.random() < 0.85:
            given = {name: _pick(rng, weights) for name, weights in WEIGHTS.items()}
            # Some skip a question or two.
            for name in rng.sample(list(given), k=rng.choice([0, 0, 1, 2])):
                given[name] = ""
            kept.append(
                Monitoring(
                    response=response, ethnic_group=monitoring.ETHNIC_GROUP_OF.get(given["ethnicity"], ""), **given
                )
            )
    Answer.objects.bulk_create(answers, batch_size=1000)
    Monitoring.objects.bulk_create(kept, batch_size=1000)
    for response in made:
        tallies.count_response(response)
    return len(made)


def load(council: CouncilArea) -> dict[str, int]:
    """Add this area's demo rows; returns what it added, counted, for make demo to print."""
    added = 0
    for slug, how_many in HOW_MANY.items():
        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None or consultation.responses.filter(status=Response.Status.SUBMITTED).exists():
            continue  # not made by the consultations demo (yet), or loaded already
        added += add_responses(consultation, how_many)
    return {"consultation responses": added} if added else {}
