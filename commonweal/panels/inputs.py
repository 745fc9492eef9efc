"""The pool and the borough's profile as a selection's quotas see them (reads only): each volunteer's category
for every feature, who can be chosen, and the margins quotas are proposed from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from commonweal.places.profile import age_bands, borough_margins

from . import features as F
from .models import MIN_AGE, Volunteer


def bands() -> list[str]:
    """The age bands quotas use: the profile's bands that hold people old enough, else the broad Census ones."""
    return F.adult_bands(age_bands(), MIN_AGE) or list(F.DEFAULT_AGE_BANDS)


@dataclass
class Pool:
    """The volunteers a selection may choose from, as anonymous rows, and who was left out and why."""

    features: list[str]
    # (number, volunteer id, household, {feature: category})
    people: list[tuple[int, int | None, str, dict[str, str]]]
    left_out: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "features": self.features,
            "people": [[n, h, *(values[f] for f in self.features)] for n, _, h, values in self.people],
            "left_out": dict(self.left_out),
        }


def volunteer_features(volunteer: Volunteer, year: int, age_bands_: Sequence[str]) -> dict[str, str | None]:
    return F.features_of(
        ward=volunteer.ward.name,
        birth_year=volunteer.birth_year,
        sex=volunteer.sex,
        ethnicity=volunteer.ethnicity,
        tenure=volunteer.tenure,
        disability=volunteer.disability,
        year=year,
        bands=age_bands_,
    )


def current_pool(features: Sequence[str]) -> Pool:
    """Everyone in the pool who has a category for every feature with quotas, numbered 1, 2, ... by when they
    volunteered; the rest counted by why they are left out."""
    year = timezone.localdate().year
    age_bands_ = bands()
    pool = Pool(list(features), [])
    households: dict[str, str] = {}
    volunteers = Volunteer.objects.filter(status=Volunteer.Status.IN_POOL).select_related("ward").order_by("pk")
    for volunteer in volunteers.iterator(chunk_size=2000):
        values = volunteer_features(volunteer, year, age_bands_)
        missing = [f for f in features if values.get(f) is None]
        if missing:
            pool.left_out[F.FEATURE_NAMES.get(missing[0], missing[0])] += 1
            continue
        number = len(pool.people) + 1
        household = households.setdefault(volunteer.household, f"h{number}")
        pool.people.append((number, volunteer.pk, household, {f: str(values[f]) for f in features}))
    return pool


def _pool_margins() -> dict[str, dict[str, int]]:
    """The pool's own counts by category: what quotas are proposed from when no profile is loaded."""
    year = timezone.localdate().year
    age_bands_ = bands()
    margins: dict[str, Counter[str]] = {f: Counter() for f in F.FEATURES}
    volunteers = Volunteer.objects.filter(status=Volunteer.Status.IN_POOL).select_related("ward")
    for volunteer in volunteers.iterator(chunk_size=2000):
        for feature, value in volunteer_features(volunteer, year, age_bands_).items():
            if value is not None:
                margins[feature][value] += 1
    return {f: dict(sorted(c.items())) for f, c in margins.items()}


def profile_margins() -> tuple[dict[str, dict[str, int]], bool]:
    """The borough's margins for the quota features (adult age bands only), and whether they came from the
    profile (False: no profile is loaded, so the pool's own shares stand in)."""
    margins = borough_margins()
    if not margins:
        return _pool_margins(), False
    adult = set(bands())
    shaped = {f: dict(margins.get(f, {})) for f in F.FEATURES if margins.get(f)}
    if F.AGE in shaped:
        shaped[F.AGE] = {band: n for band, n in shaped[F.AGE].items() if band in adult}
    return shaped, True
