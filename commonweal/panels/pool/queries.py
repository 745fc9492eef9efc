"""Reads for the pool's pages: the pool against the borough's profile, the list of volunteers, and a volunteer's
own status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .. import features as F
from ..inputs import bands, profile_margins, volunteer_features
from ..models import Selection, SelectionMember, Volunteer

PER_PAGE = 50


@dataclass(frozen=True)
class CategoryRow:
    value: str
    pool: int
    pool_share: float
    borough_share: float | None


@dataclass(frozen=True)
class FeatureTable:
    feature: str
    name: str
    rows: list[CategoryRow]
    not_said: int


def pool_against_profile() -> tuple[list[FeatureTable], int, bool]:
    """For each feature, the pool's count and share of each category beside the borough's share; how many are in
    the pool; whether the borough's profile is loaded (else there is nothing to compare with)."""
    year = timezone.localdate().year
    age_bands = bands()
    counts: dict[str, Counter[str]] = {f: Counter() for f in F.FEATURES}
    not_said: Counter[str] = Counter()
    total = 0
    volunteers = Volunteer.objects.filter(status=Volunteer.Status.IN_POOL).select_related("ward")
    for volunteer in volunteers.iterator(chunk_size=2000):
        total += 1
        for feature, value in volunteer_features(volunteer, year, age_bands).items():
            if value is None:
                not_said[feature] += 1
            else:
                counts[feature][value] += 1
    margins, from_profile = profile_margins()
    tables = []
    for feature in F.FEATURES:
        borough = margins.get(feature, {}) if from_profile else {}
        people = sum(borough.values())
        values = list(borough) + sorted(set(counts[feature]) - set(borough))
        said = sum(counts[feature].values())
        rows = [
            CategoryRow(
                value,
                counts[feature][value],
                counts[feature][value] / said if said else 0.0,
                borough[value] / people if people and value in borough else None,
            )
            for value in values
        ]
        tables.append(FeatureTable(feature, F.FEATURE_NAMES[feature], rows, not_said[feature]))
    return tables, total, from_profile


def volunteers_page(search: str, page: Any) -> Page[Volunteer]:
    found: QuerySet[Volunteer] = Volunteer.objects.select_related("ward").order_by("-pk")
    if search:
        found = found.filter(Q(name__icontains=search) | Q(email__icontains=search) | Q(postcode__icontains=search))
    return Paginator(found, PER_PAGE).get_page(page)


@dataclass(frozen=True)
class Outcome:
    selection: Selection
    probability: float | None
    selected: bool
    dropped_out: bool


def outcomes_of(volunteer: Volunteer) -> list[Outcome]:
    """The drawn selections a volunteer was in the pool for, latest first, with their chance and outcome."""
    memberships = (
        SelectionMember.objects.filter(volunteer=volunteer, selection__status=Selection.Status.DRAWN)
        .select_related("selection")
        .order_by("-selection__drawn_at")
    )
    return [Outcome(m.selection, m.probability, m.selected, m.dropped_out) for m in memberships]


def volunteers_of(user: Any) -> list[Volunteer]:
    """The signed-in person's volunteer records: by their account, or by their email address."""
    return list(
        Volunteer.objects.filter(Q(user=user) | Q(email__iexact=user.email)).select_related("ward").order_by("pk")
    )


def volunteer_for_token(token: str) -> Volunteer:
    found = Volunteer.objects.select_related("ward").filter(status_token=token).first() if token else None
    if found is None:
        raise Http404("This link is not right, or the details it was for have been erased.")
    return found
