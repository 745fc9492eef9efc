"""The demo borough's profile: real adult populations by ward, the rest invented to plausible London shares.

Ward populations and two broad age bands (16 to 59, 60 and over) are the ONS mid-2015 figures the Indices of
Deprivation 2019 use as denominators, summed from each ward's LSOAs. Sex, ethnic group, tenure and disability are
generated (marked invented): shares near London's, leaning with the ward's deprivation as they do in life (more
social renting, disability and ethnic diversity in more deprived wards), each summing to the ward's adults. The
same wards always get the same figures; loading again changes nothing.
"""

from __future__ import annotations

import random
from pathlib import Path

from django.db import transaction

from .categories import AGE, DISABILITIES, DISABILITY, ETHNIC_GROUPS, ETHNICITY, SEX, SEXES, TENURE, TENURES
from .models import CouncilArea, ProfileCount
from .services import POPULATION_FILE, _data_dir, _rows_for, replace_profile

SEED = 2021
REAL_SOURCE = "ONS mid-2015 population (IoD2019 denominators)"
INVENTED_SOURCE = "Invented for the demo"
AGE_BANDS = ("16 to 59", "60 and over")
# Columns of File 6: 16 to 59, and 60 and over (mid 2015, excluding prisoners).
_AGE_COLUMNS = (6, 7)

# Shares for a ward of middling deprivation, and how each leans per decile more deprived than the middle (the
# leaning categories' shares grow by lean x (5.5 - decile); the first category makes up the rest).
_SHARES: dict[str, tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]] = {
    SEX: (SEXES, (0.51, 0.49), (0.0, 0.0)),
    ETHNICITY: (
        (ETHNIC_GROUPS[3], ETHNIC_GROUPS[0], ETHNIC_GROUPS[1], ETHNIC_GROUPS[2], ETHNIC_GROUPS[4]),
        (0.62, 0.17, 0.11, 0.06, 0.04),
        (0.0, 0.015, 0.02, 0.004, 0.004),
    ),
    TENURE: (TENURES, (0.55, 0.15, 0.30), (0.0, 0.035, 0.01)),
    DISABILITY: ((DISABILITIES[1], DISABILITIES[0]), (0.86, 0.14), (0.0, 0.008)),
}


def _split(total: int, shares: list[float]) -> list[int]:
    """Whole numbers in these shares summing to total (largest remainders)."""
    exact = [total * share / sum(shares) for share in shares]
    counts = [int(value) for value in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def demo_profile_counts(council: CouncilArea, *, data_dir: Path | None = None) -> dict[tuple[str, str, str], int]:
    """(ward code, characteristic, category) -> residents aged 16 and over, for every ward of the council."""
    lsoas: dict[str, list[tuple[str, int | None]]] = {}
    for ward in council.wards.order_by("code").prefetch_related("lsoas"):
        lsoas[ward.code] = [(lsoa.code, lsoa.imd_decile) for lsoa in ward.lsoas.all()]
    codes = frozenset(code for ward_lsoas in lsoas.values() for code, _ in ward_lsoas)
    population = _rows_for(_data_dir(data_dir) / POPULATION_FILE, codes)
    counts: dict[tuple[str, str, str], int] = {}
    for ward_code, ward_lsoas in lsoas.items():
        ages = [
            sum(int(population[code][column].replace(",", "")) for code, _ in ward_lsoas if code in population)
            for column in _AGE_COLUMNS
        ]
        adults = sum(ages)
        if adults == 0:
            continue
        counts.update({(ward_code, AGE, band): count for band, count in zip(AGE_BANDS, ages, strict=True)})
        deciles = [decile for _, decile in ward_lsoas if decile is not None]
        deprivation = 5.5 - (sum(deciles) / len(deciles) if deciles else 5.5)
        rng = random.Random(f"{SEED}-{ward_code}")  # noqa: S311  -- invented demo figures want repeatability
        for characteristic, (categories, shares, lean) in _SHARES.items():
            leaning = [
                max(0.005, (share + slope * deprivation) * rng.uniform(0.92, 1.08))
                for share, slope in zip(shares[1:], lean[1:], strict=True)
            ]
            first = max(0.05, 1 - sum(leaning))
            split = _split(adults, [first, *leaning])
            counts.update({(ward_code, characteristic, c): n for c, n in zip(categories, split, strict=True)})
    return counts


@transaction.atomic
def load_demo_profile(council: CouncilArea, *, data_dir: Path | None = None) -> int:
    """Write the demo profile (or leave it be when it is already there); returns the figures written."""
    counts = demo_profile_counts(council, data_dir=data_dir)
    existing = {
        (ward, characteristic, category): count
        for ward, characteristic, category, count in ProfileCount.objects.filter(ward__council=council).values_list(
            "ward__code", "characteristic", "category", "count"
        )
    }
    if existing == counts:
        return 0
    wards = {ward.code: ward for ward in council.wards.all()}
    real = {key: count for key, count in counts.items() if key[1] == AGE}
    replace_profile(council=council, counts=real, wards=wards, source=REAL_SOURCE, invented=False)
    invented = {key: count for key, count in counts.items() if key[1] != AGE}
    replace_profile(council=council, counts=invented, wards=wards, source=INVENTED_SOURCE, invented=True)
    return len(counts)
