"""Blockages and what they need, made the way the services make them (routed, the clock started)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation
from commonweal.solutions.models import Blockage, CaseStudy, Category
from commonweal.solutions.steps import route


def department(name: str) -> Organisation:
    return create_organisation(name=name, kind=Organisation.Kind.COUNCIL_DEPARTMENT)


def category(name: str = "Trees and planting", *departments: Organisation, champion: Any = None) -> Category:
    from django.utils.text import slugify

    made = Category.objects.create(name=name, slug=slugify(name), champion=champion)
    made.departments.set(departments)
    return made


def blockage(*, category: Category, raised_by: Any = None, now: Any = None, **fields: Any) -> Blockage:
    """A blockage raised (and routed) at `now`."""
    now = now or timezone.now()
    made = Blockage.objects.create(
        title=fields.pop("title", "Three conifers for the communitree"),
        description=fields.pop("description", "We asked for three conifers and nobody answers."),
        category=category,
        raised_by=raised_by,
        raised_at=now,
        **fields,
    )
    route(made, now=now)
    return made


CASE_STUDY_SECTIONS = {
    "opportunity": "Three trees.",
    "challenge": "Passed around.",
    "outcome": "Planted.",
    "learning_for": "One owner.",
    "learning_against": "Slow start.",
}


def case_study(title: str = "The communitree", **fields: Any) -> CaseStudy:
    """A case study with every section written, published unless told otherwise."""
    return CaseStudy.objects.create(title=title, **{"is_published": True, **CASE_STUDY_SECTIONS, **fields})
