"""The demo borough's engagement: an open consultation, a closed one with its 'we did' page and equality impact
assessment, responses to both, a participatory budget in its voting stage, forums on the calendar, and a
perception survey's three published waves.

Each area adds its own part, in this order (a later part builds on an earlier one's rows)."""

from __future__ import annotations

from django.db import transaction

from commonweal.places.models import CouncilArea

from .analysis import demo as analysis
from .budgets import demo as budgets
from .closing import demo as closing
from .consultations import demo as consultations
from .forums import demo as forums
from .responding import demo as responding
from .surveys import demo as surveys


@transaction.atomic
def load_demo_engagement(council: CouncilArea) -> dict[str, int]:
    """Load every area's demo rows; returns what was added, counted."""
    counts: dict[str, int] = {}
    for area in (consultations, responding, analysis, forums, closing, budgets, surveys):
        counts.update(area.load(council))
    return counts
