"""Reads of the borough's profile: population margins by ward and by category, for quotas and weighting."""

from __future__ import annotations

from collections import defaultdict

from commonweal.places.categories import AGE, CHARACTERISTICS, WARD, age_band_bounds
from commonweal.places.models import CouncilArea, ProfileCount


def borough_margins(council: CouncilArea | None = None) -> dict[str, dict[str, int]]:
    """Residents by category for each characteristic, summed over the wards, and by ward.

    Keys: 'ward' (ward name to population) and each characteristic the profile holds ('age', 'sex', ...), in
    CHARACTERISTICS order; categories keep the order they were imported in, age bands youngest first. A ward's
    population is its total for the first characteristic it has (Census tables of one area share a total, give or
    take the ONS's perturbation). Empty when no profile is loaded.
    """
    council = council or CouncilArea.current()
    if council is None:
        return {}
    rows = (
        ProfileCount.objects.filter(ward__council=council)
        .order_by("id")
        .values_list("ward__name", "characteristic", "category", "count")
    )
    margins: dict[str, dict[str, int]] = {key: {} for key in CHARACTERISTICS}
    by_ward: dict[str, dict[str, int]] = defaultdict(dict)
    for ward, characteristic, category, count in rows:
        margins[characteristic][category] = margins[characteristic].get(category, 0) + count
        by_ward[ward][characteristic] = by_ward[ward].get(characteristic, 0) + count
    if AGE in margins:
        margins[AGE] = dict(sorted(margins[AGE].items(), key=lambda item: band_start(item[0])))
    wards = {
        ward: next(totals[key] for key in CHARACTERISTICS if key in totals) for ward, totals in sorted(by_ward.items())
    }
    return {WARD: wards, **{key: values for key, values in margins.items() if values}} if wards else {}


def age_bands(council: CouncilArea | None = None) -> list[str]:
    """The profile's age bands, youngest first."""
    return list(borough_margins(council).get(AGE, {}))


def band_start(label: str) -> int:
    """The first age of a band, to put bands youngest first (anything that is not a band goes last)."""
    try:
        return age_band_bounds(label)[0]
    except ValueError:
        return 10_000
