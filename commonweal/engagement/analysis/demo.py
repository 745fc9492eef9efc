"""The demo borough's engagement: this area's part (engagement/demo.py calls it in order).

On the closed demo consultation ('green-spaces-strategy', its responses added by the responding area's demo): the
kept tallies rebuilt from its answers, six themes, and its free-text answers tagged with them by the words they
use, so its results page and its 'we did' page show themes with counts. Nothing happens if it is not there."""

from __future__ import annotations

from django.db.models import Q

from commonweal.places.models import CouncilArea

from .. import keywords
from ..models import Answer, Consultation, Question
from ..models_analysis import AnswerTag, AnswerTheme
from ..tallies import rebuild

SLUG = "green-spaces-strategy"
# (name, what it covers, words that mark an answer as about it)
THEMES = [
    (
        "Trees and planting",
        "More trees, flowers and planting, and looking after them.",
        ("tree", "trees", "planting", "flowers", "plants"),
    ),
    (
        "Play and sport",
        "Playgrounds, pitches and places for young people.",
        ("play", "playground", "football", "sport", "pitch", "children"),
    ),
    (
        "Safety and lighting",
        "Feeling safe, lighting, and antisocial behaviour.",
        ("safe", "safety", "lighting", "lights", "dark", "antisocial"),
    ),
    (
        "Litter and bins",
        "Litter, bins, dog mess and keeping parks clean.",
        ("litter", "bins", "rubbish", "clean", "dog"),
    ),
    (
        "Access and paths",
        "Paths, entrances, seating and getting around for everyone.",
        ("path", "paths", "wheelchair", "access", "benches", "seating", "toilets"),
    ),
    (
        "Wildlife and nature",
        "Meadows, ponds, wildlife and quiet places.",
        ("wildlife", "nature", "birds", "bees", "meadow", "pond", "quiet"),
    ),
]


def load(council: CouncilArea) -> dict[str, int]:
    """Add this area's demo rows; returns what it added, counted, for make demo to print."""
    consultation = Consultation.objects.filter(slug=SLUG).first()
    if consultation is None:
        return {}
    rebuild(consultation)
    themes = {}
    for name, description, _words in THEMES:
        themes[name], _made = AnswerTheme.objects.get_or_create(
            consultation=consultation, name=name, defaults={"description": description}
        )
    answers = Answer.objects.filter(
        question__consultation=consultation, question__kind=Question.Kind.TEXT, response__status="submitted"
    ).exclude(Q(text=""))
    tags = []
    for answer in answers:
        for name, _description, words in THEMES:
            if any(keywords.holds(answer.text, word) for word in words):
                tags.append(AnswerTag(answer=answer, theme=themes[name]))
    AnswerTag.objects.bulk_create(tags, ignore_conflicts=True)
    return {"engagement answer themes": len(themes), "engagement answers tagged": len(tags)}
