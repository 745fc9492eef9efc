"""The features a panel's quotas are set on, households, and quotas proposed from a profile (pure: no Django).

A volunteer is put in the same categories as the borough's profile (places/categories.py): ward, age band,
sex, ethnic group (the five groups: the 19 asked are grouped), housing tenure and disability. A volunteer who
preferred not to say one of them has no category for it, so cannot count towards that feature's quotas: they stay
in the pool, but a selection with quotas on that feature leaves them out (and says so).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from commonweal.places.categories import (
    AGE,
    DISABILITY,
    ETHNIC_GROUPS,
    ETHNICITIES,
    ETHNICITY,
    MARGINS,
    PREFER_NOT_TO_SAY,
    SEX,
    TENURE,
    WARD,
    age_band,
    age_band_bounds,
)

# The quota features, in the order pages show them.
FEATURES: tuple[str, ...] = tuple(MARGINS)
FEATURE_NAMES: dict[str, str] = dict(MARGINS)

# Age bands used when the council has loaded no profile yet (the Census 2021 broad bands, 16 and over).
DEFAULT_AGE_BANDS: tuple[str, ...] = ("16 to 24", "25 to 34", "35 to 49", "50 to 64", "65 and over")

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def household_key(address_line: str, postcode: str) -> str:
    """One key per household: the address's first line and postcode, in lower case, punctuation and spacing
    ignored ('Flat 2, 10 High St.' and 'flat 2 10 high st' are the same home)."""
    text = unicodedata.normalize("NFKC", f"{address_line} {postcode}").lower()
    return " ".join(_NOT_WORD.sub(" ", text).split())[:220]


def ethnic_group(ethnicity: str) -> str | None:
    """The Census 2021 group of one of the 19 categories (or a group given as it is); None if not said."""
    if ethnicity in ETHNIC_GROUPS:
        return ethnicity
    return ETHNICITIES.get(ethnicity)


def known(value: str | None) -> str | None:
    """A category, or None when the person preferred not to say or left it out."""
    return None if not value or value == PREFER_NOT_TO_SAY else value


def age_on(birth_year: int, year: int) -> int:
    """A person's age at their birthday in `year` (the panel asks only the year of birth)."""
    return year - birth_year


def adult_bands(bands: Sequence[str], min_age: int) -> list[str]:
    """The profile's age bands that hold anyone old enough for the panel."""
    kept = []
    for band in bands:
        low, high = age_band_bounds(band)
        if high is None or high >= min_age:
            kept.append(band)
    return kept


def features_of(
    *,
    ward: str,
    birth_year: int,
    sex: str,
    ethnicity: str,
    tenure: str,
    disability: str,
    year: int,
    bands: Sequence[str],
) -> dict[str, str | None]:
    """A volunteer's category for each quota feature (None where they preferred not to say)."""
    return {
        WARD: ward,
        AGE: age_band(age_on(birth_year, year), bands),
        SEX: known(sex),
        ETHNICITY: ethnic_group(ethnicity) if known(ethnicity) else None,
        TENURE: known(tenure),
        DISABILITY: known(disability),
    }


@dataclass(frozen=True)
class Proposed:
    feature: str
    value: str
    target: float  # the category's share of the borough times k
    min: int
    max: int


def tolerance(target: float) -> float:
    """How far a quota may stray from its target: 10%, and at least one person either way."""
    return max(1.0, 0.1 * target)


def propose(margins: Mapping[str, Mapping[str, int]], k: int, features: Sequence[str] = FEATURES) -> list[Proposed]:
    """Quotas for a panel of k from a population's counts by category: each category's share of the whole
    times k, less and more its tolerance, rounded outwards (the min down, the max up), and within 0..k."""
    proposed = []
    for feature in features:
        counts = margins.get(feature) or {}
        total = sum(counts.values())
        if total <= 0:
            continue
        for value, count in counts.items():
            target = count / total * k
            spread = tolerance(target)
            low = max(0, math.floor(target - spread + 1e-9))
            high = min(k, math.ceil(target + spread - 1e-9))
            proposed.append(Proposed(feature, value, round(target, 2), low, high))
    return proposed
