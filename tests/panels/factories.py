"""A small borough profile, postcodes and a pool of volunteers for the panel's tests."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.utils import timezone

from commonweal.panels.features import household_key
from commonweal.panels.models import Volunteer
from commonweal.places.categories import (
    AGE,
    DISABILITIES,
    DISABILITY,
    ETHNIC_GROUPS,
    ETHNICITY,
    SEX,
    SEXES,
    TENURE,
    TENURES,
)
from commonweal.places.models import Postcode, ProfileCount, Ward

AGE_BANDS = ("0 to 15", "16 to 34", "35 to 64", "65 and over")
# A profile's shares of each category (the same in every ward, for simplicity).
SHARES: dict[str, dict[str, float]] = {
    AGE: {"0 to 15": 0.2, "16 to 34": 0.3, "35 to 64": 0.35, "65 and over": 0.15},
    SEX: {SEXES[0]: 0.51, SEXES[1]: 0.49},
    ETHNICITY: dict(zip(ETHNIC_GROUPS, (0.18, 0.1, 0.06, 0.62, 0.04), strict=True)),
    TENURE: dict(zip(TENURES, (0.55, 0.15, 0.30), strict=True)),
    DISABILITY: dict(zip(DISABILITIES, (0.13, 0.87), strict=True)),
}
# What a volunteer answers for each group (the first of the 19 in it).
ETHNICITY_ANSWER = {
    ETHNIC_GROUPS[0]: "Indian",
    ETHNIC_GROUPS[1]: "African",
    ETHNIC_GROUPS[2]: "White and Asian",
    ETHNIC_GROUPS[3]: "English, Welsh, Scottish, Northern Irish or British",
    ETHNIC_GROUPS[4]: "Arab",
}


def wards(n: int = 3) -> list[Ward]:
    return list(Ward.objects.order_by("code")[:n])


def profile(chosen: list[Ward], population: int = 10_000) -> None:
    """Profile counts for these wards (the borough is only them, for a small test)."""
    ProfileCount.objects.all().delete()
    rows = [
        ProfileCount(ward=ward, characteristic=feature, category=category, count=round(population * share))
        for ward in chosen
        for feature, shares in SHARES.items()
        for category, share in shares.items()
    ]
    ProfileCount.objects.bulk_create(rows)


def postcodes(chosen: list[Ward]) -> list[Postcode]:
    made = []
    for i, ward in enumerate(chosen):
        lsoa = ward.lsoas.first()
        made.append(
            Postcode.objects.get_or_create(
                postcode=f"SW19 {i}ZZ",
                defaults={"latitude": lsoa.centroid_lat, "longitude": lsoa.centroid_lon, "ward": ward},
            )[0]
        )
    return made


def volunteer(postcode: Postcode, n: int, rng: random.Random, **fields: Any) -> Volunteer:
    year = timezone.localdate().year
    group = rng.choices(ETHNIC_GROUPS, weights=(0.18, 0.1, 0.06, 0.62, 0.04))[0]
    address = f"{n} Test Road"
    values = {
        "name": f"Volunteer {n}",
        "email": f"volunteer{n}@example.com",
        "address_line": address,
        "postcode": postcode.postcode,
        "household": household_key(address, postcode.postcode),
        "ward": postcode.ward,
        "birth_year": year - rng.choice([20, 30, 45, 55, 70]),
        "sex": rng.choice(SEXES),
        "ethnicity": ETHNICITY_ANSWER[group],
        "tenure": rng.choices(TENURES, weights=(0.6, 0.15, 0.25))[0],
        "disability": rng.choices(DISABILITIES, weights=(0.15, 0.85))[0],
        "consent_at": timezone.now(),
        "consent_wording": "I agree.",
        "erase_after": date(year + 2, 1, 1),
    }
    values.update(fields)
    return Volunteer.objects.create(**values)


def pool(size: int = 60, n_wards: int = 3, seed: int = 1) -> list[Volunteer]:
    """A profile for a few wards and a pool of volunteers spread over them."""
    chosen = wards(n_wards)
    profile(chosen)
    codes = postcodes(chosen)
    rng = random.Random(seed)  # noqa: S311 - a repeatable sequence, not a secret
    return [volunteer(codes[i % len(codes)], i + 1, rng) for i in range(size)]
