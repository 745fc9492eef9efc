"""The demo borough's citizens' panel: a pool of 2,000 invented volunteers, skewed the way real volunteer pools are
(older, more owner-occupiers, more White, from the less deprived wards), a selection of 110 run with leximin and
drawn from a published number, and a draft selection an officer can try.

Everyone is plainly invented: names from a short list, example.com addresses, the demo postcodes. The same pool
comes out every time (a fixed seed), so loading again changes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.core.audit import log_created
from commonweal.core.demo import DEMO_EMAIL_DOMAIN
from commonweal.places.categories import (
    AGE,
    DISABILITIES,
    DISABILITY,
    ETHNIC_GROUPS,
    ETHNICITIES,
    ETHNICITY,
    PREFER_NOT_TO_SAY,
    SEX,
    SEXES,
    TENURE,
    TENURES,
    age_band_bounds,
)
from commonweal.places.models import CouncilArea, Postcode

from .features import household_key
from .inputs import bands, profile_margins
from .models import Selection, Volunteer
from .pool.services import erase_after_for
from .selection import services

SEED = 2026
POOL_SIZE = 2000
DRAWN_TITLE = "Climate assembly 2026 (demo)"
DRAWN_K = 110
# The number read out at the demo's public meeting: it picks panel 20261206 mod 1000 = 206.
PUBLISHED_NUMBER = "20261206"
DRAFT_TITLE = "Parks and open spaces jury (demo)"
# The drawn selection's result, computed once (commonweal make_demo_selection) for the demo pool and quotas: a
# leximin run over 2,000 volunteers with quotas on all 20 wards takes minutes, more than a demo should wait.
RESULT_FILE = Path(__file__).with_name("demo_selection.json.gz")
TIME_LIMIT = 600.0
DRAFT_K = 30

FIRST_NAMES = (
    "Amara", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Grace", "Hassan", "Isla", "Jamal", "Kasia", "Liam", "Maya",
    "Nikhil", "Olu", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Una", "Viktor", "Wen", "Yusuf", "Zara",
)  # fmt: skip
SURNAMES = (
    "Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernandes", "Green", "Hussain", "Iqbal", "Jones", "Kowalski",
    "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn", "Rahman", "Smith", "Taylor", "Uddin", "Walker", "Young",
)  # fmt: skip
STREETS = (
    "Acacia Avenue", "Beech Road", "Chestnut Close", "Dale Street", "Elm Grove", "Fir Lane", "Hawthorn Way",
    "Linden Road", "Maple Crescent", "Oak Terrace", "Poplar Walk", "Rowan Drive", "Willow Gardens",
)  # fmt: skip

# How much more (or less) often than in the borough each category volunteers: real pools are older, own their
# homes, are more often White, and a little more often women.
SKEW: dict[str, dict[str, float]] = {
    SEX: {SEXES[0]: 1.08, SEXES[1]: 0.92},
    ETHNICITY: {group: (1.25 if group == ETHNIC_GROUPS[3] else 0.6) for group in ETHNIC_GROUPS},
    TENURE: {TENURES[0]: 1.4, TENURES[1]: 0.65, TENURES[2]: 0.55},
    DISABILITY: {DISABILITIES[0]: 1.1, DISABILITIES[1]: 1.0},
}
# When the borough's profile is not loaded: London-like shares to skew from.
FALLBACK: dict[str, dict[str, float]] = {
    SEX: {SEXES[0]: 0.51, SEXES[1]: 0.49},
    ETHNICITY: dict(zip(ETHNIC_GROUPS, (0.17, 0.11, 0.06, 0.62, 0.04), strict=True)),
    TENURE: dict(zip(TENURES, (0.55, 0.15, 0.30), strict=True)),
    DISABILITY: dict(zip(DISABILITIES, (0.14, 0.86), strict=True)),
}


def _age_skew(band: str) -> float:
    low, _ = age_band_bounds(band)
    return 1.9 if low >= 60 else 1.5 if low >= 50 else 0.5 if low < 25 else 1.0


def _pick(rng: random.Random, shares: dict[str, float], skew: dict[str, float] | None = None) -> str:
    values = list(shares)
    weights = [shares[v] * (skew or {}).get(v, 1.0) for v in values]
    return rng.choices(values, weights=weights)[0]


def _birth_year(rng: random.Random, band: str, year: int) -> int:
    low, high = age_band_bounds(band)
    return year - rng.randint(low, min(high if high is not None else 90, 90))


def _detailed(rng: random.Random, group: str) -> str:
    return rng.choice([e for e, g in ETHNICITIES.items() if g == group])


def make_pool(council: CouncilArea, size: int = POOL_SIZE, seed: int = SEED) -> list[Volunteer]:
    """The invented volunteers (not yet saved): skewed from the profile (or the fallback shares)."""
    rng = random.Random(seed)  # noqa: S311 - invented demo people want repeatability, not secrecy
    margins, _ = profile_margins()
    postcodes: dict[int, list[str]] = {}
    for code, ward_id in (
        Postcode.objects.filter(ward__council=council).order_by("postcode").values_list("postcode", "ward_id")
    ):
        postcodes.setdefault(ward_id, []).append(code)
    wards = {w.pk: w for w in council.wards.filter(pk__in=postcodes).prefetch_related("lsoas")}
    population = {w.name: n for w, n in ((w, margins.get("ward", {}).get(w.name, 0)) for w in wards.values())}
    ward_weight = {}
    for ward in wards.values():
        deciles = [lsoa.imd_decile for lsoa in ward.lsoas.all() if lsoa.imd_decile is not None]
        affluence = (sum(deciles) / len(deciles) - 5.5) if deciles else 0.0
        ward_weight[ward.pk] = max(1, population.get(ward.name) or 10_000) * max(0.3, 1 + 0.1 * affluence)
    ward_ids = sorted(ward_weight)
    age_shares = {band: float(margins.get(AGE, {}).get(band, 1)) for band in bands()}
    shares = {f: {k: float(v) for k, v in margins[f].items()} if margins.get(f) else FALLBACK[f] for f in FALLBACK}
    year = timezone.localdate().year
    erase_after = erase_after_for(timezone.localdate())
    now = timezone.now()
    made: list[Volunteer] = []
    households: set[str] = set()
    for n in range(1, size + 1):
        ward_id = rng.choices(ward_ids, weights=[ward_weight[w] for w in ward_ids])[0]
        postcode = rng.choice(postcodes[ward_id])
        address = f"{n} {rng.choice(STREETS)}"
        household = household_key(address, postcode)
        if household in households:
            continue
        households.add(household)
        band = _pick(rng, age_shares, {b: _age_skew(b) for b in age_shares})
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        ethnicity = _detailed(rng, _pick(rng, shares[ETHNICITY], SKEW[ETHNICITY]))
        disability = _pick(rng, shares[DISABILITY], SKEW[DISABILITY])
        # A few prefer not to say: they stay in the pool but cannot be chosen while those features have quotas.
        if rng.random() < 0.01:
            ethnicity = PREFER_NOT_TO_SAY
        if rng.random() < 0.01:
            disability = PREFER_NOT_TO_SAY
        made.append(
            Volunteer(
                name=f"{first} {last} (demo)",
                email=f"{first.lower()}.{last.lower().replace(chr(39), '')}.{n}@example.com",
                address_line=address,
                postcode=postcode,
                household=household,
                ward_id=ward_id,
                birth_year=_birth_year(rng, band, year),
                sex=_pick(rng, shares[SEX], SKEW[SEX]),
                ethnicity=ethnicity,
                tenure=_pick(rng, shares[TENURE], SKEW[TENURE]),
                disability=disability,
                consent_at=now - timedelta(days=rng.randint(1, 300)),
                consent_wording="Invented for the demo: this person does not exist.",
                source=Volunteer.Source.SIGNED_UP,
                erase_after=erase_after,
                is_demo=True,
            )
        )
    return made


def _relax_until_feasible(selection: Selection, by: Any, rounds: int = 10) -> None:
    """Take the check's suggested relaxations until the quotas can be met (the skewed pool may fall short)."""
    for _ in range(rounds):
        found = services.check(selection=selection)
        if found.feasible or not found.relaxations:
            return
        for r in found.relaxations:
            services.apply_relaxation(
                selection=selection, feature=r.feature, value=r.value, bound=r.bound, suggested=r.suggested, by=by
            )


def pool_digest(pool: dict[str, Any]) -> str:
    """The SHA-256 of a frozen pool (and so of the inputs a kept result was computed for)."""
    return hashlib.sha256(json.dumps(pool, sort_keys=True).encode()).hexdigest()


def _kept_result(selection: Selection) -> dict[str, Any] | None:
    """The demo selection's result computed earlier (RESULT_FILE), if it was computed for exactly this pool and
    these quotas; None otherwise (the pool or the profile changed since: it is computed again)."""
    if not RESULT_FILE.exists():
        return None
    kept = json.loads(gzip.decompress(RESULT_FILE.read_bytes()))
    quotas = [[q.feature, q.value, q.min, q.max] for q in selection.quotas.all()]
    if kept.get("pool") != pool_digest(selection.pool) or kept.get("quotas") != quotas:
        return None
    return dict(kept)


def write_result(selection: Selection, path: Path = RESULT_FILE) -> Path:
    """Keep a run's result for the demo to load next time (make_demo_selection writes it)."""
    members = dict(selection.members.values_list("number", "probability"))
    kept = {
        "pool": pool_digest(selection.pool),
        "quotas": [[q.feature, q.value, q.min, q.max] for q in selection.quotas.all()],
        "method": selection.method,
        "distribution": selection.panels,
        "panel_count": selection.panel_count,
        "probabilities": {str(n): p for n, p in members.items()},
        "min_probability": selection.min_probability,
        "upper_bound": selection.upper_bound,
        "gap": selection.gap,
        "excluded": selection.excluded,
        "seconds": selection.seconds,
        "complete": selection.complete,
    }
    path.write_bytes(gzip.compress(json.dumps(kept, separators=(",", ":")).encode(), mtime=0))
    return path


def _drawn_selection(by: Any, time_limit: float) -> tuple[Selection, str]:
    """The demo's drawn selection: quotas from the profile, run with leximin (or its kept result loaded), its
    lottery published and drawn with the demo's published number."""
    selection = services.create_selection(title=DRAWN_TITLE, k=DRAWN_K, by=by, is_demo=True)
    services.set_quotas(selection=selection, values={}, by=by)
    _relax_until_feasible(selection, by)
    started = time.monotonic()
    # Run here and now, as the loader waits for it; the job start_run queues finds the work done and stops.
    services.start_run(selection=selection, method=Selection.Method.LEXIMIN, by=by)
    selection.refresh_from_db()
    kept = _kept_result(selection)
    if kept is not None:
        services.keep_kept_result(selection_id=selection.pk, kept=kept)
        how = "loaded its kept result"
    else:
        services.complete_run(selection_id=selection.pk, time_limit=time_limit)
        how = f"ran leximin in {time.monotonic() - started:.0f} s"
    selection.refresh_from_db()
    if selection.status != Selection.Status.READY:
        raise RuntimeError(f"The demo selection did not run: {selection.run_error}")
    services.publish_lottery(selection=selection, by=by)
    services.record_draw(selection=selection, random_number=PUBLISHED_NUMBER, by=by, tell=False)
    selection.refresh_from_db()
    return selection, how


def load(council: CouncilArea, *, time_limit: float = TIME_LIMIT) -> dict[str, int]:
    """Load the demo panel, or leave it be when it is there; returns what was added, counted. The selections are
    made by the demo steward (home/demo.py makes the demo accounts first)."""
    counts = {"panel volunteers": 0, "panel selections": 0}
    with transaction.atomic():
        if not Volunteer.objects.filter(is_demo=True).exists():
            made = Volunteer.objects.bulk_create(make_pool(council), batch_size=1000)
            log_created(made)
            counts["panel volunteers"] = len(made)
    steward = User.objects.get(email=f"steward@{DEMO_EMAIL_DOMAIN}")
    if not Selection.objects.filter(title=DRAWN_TITLE).exists():
        _, how = _drawn_selection(steward, time_limit)
        counts["panel selections"] += 1
        print(f"Demo citizens' panel: the selection of {DRAWN_K} {how}.")  # noqa: T201 - the demo loader says how
    if not Selection.objects.filter(title=DRAFT_TITLE).exists():
        services.create_selection(title=DRAFT_TITLE, k=DRAFT_K, by=steward, is_demo=True)
        counts["panel selections"] += 1
    return counts
