"""A wave's weighted results, worked out once per wave, number of responses and borough profile, and kept in the
shared cache: weighting a few thousand responses and working out every figure takes a fraction of a second, and
the page reads the kept result after that (a wave's responses change only while it is open).

The responses are weighted to the borough profile (places.profile.borough_margins) by raking on ward, age band,
sex, ethnic group, tenure and disability, with each weight capped at 5 times the mean. A margin the profile
lacks or nobody answered is left out (margins.usable); if raking to every margin left does not settle, the
last margin is left out and it is tried again, each time saying so; with no margin left the figures are
unweighted, and the page says that too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Sum

from commonweal.engagement import weighting
from commonweal.places import categories
from commonweal.places.models import CouncilArea, ProfileCount, Ward
from commonweal.places.profile import borough_margins

from ..models_surveys import SurveyResponse, Wave
from . import figures, margins, questions

CAP = 5.0
TOLERANCE = 1e-10
KEEP_SECONDS = 24 * 60 * 60
ORDER = (
    categories.WARD,
    categories.AGE,
    categories.SEX,
    categories.ETHNICITY,
    categories.TENURE,
    categories.DISABILITY,
)
DISABLED = {"a_lot": categories.DISABILITIES[0], "a_little": categories.DISABILITIES[0]}
NOT_DISABLED = {"not_limited": categories.DISABILITIES[1], "no": categories.DISABILITIES[1]}
DISABILITY_CATEGORY = {**DISABLED, **NOT_DISABLED}


@dataclass
class Weighting:
    """How the figures were weighted, for the page's 'How these figures were weighted' section."""

    responses: int = 0
    margins: list[str] = field(default_factory=list)  # the margins' names as a page says them
    dropped: list[str] = field(default_factory=list)  # why each margin left out was left out
    notes: list[str] = field(default_factory=list)  # categories raking collapsed
    weighted: bool = False
    converged: bool = True
    iterations: int = 0
    max_margin_error: float = 0.0
    design_effect: float = 1.0
    effective_sample_size: float = 0.0
    cap: float = CAP
    min_weight: float = 1.0
    max_weight: float = 1.0
    no_profile: bool = False


@dataclass
class WaveResults:
    wave_id: int
    responses: int
    weighting: Weighting
    questions: list[figures.QuestionFigures]
    wards: list[str]


def asked_of(wave: Wave) -> list[figures.Asked]:
    return [
        figures.Asked(q.key, q.headline, len(q.options), tuple(q.positive), tuple(q.excluded))
        for q in wave.survey.questions.order_by("position", "pk")
    ]


def profile_version() -> str:
    """What changes when the borough profile does (a new import), read in one query."""
    found = ProfileCount.objects.aggregate(n=Count("id"), total=Sum("count"), last=Max("id"))
    return f"{found['n']}-{found['total']}-{found['last']}"


def wave_results(wave: Wave) -> WaveResults:
    """The wave's results, from the cache while its responses and the profile are as they were."""
    return results_for([wave])[wave.pk]


def results_for(waves: Sequence[Wave]) -> dict[int, WaveResults]:
    """Several waves' results (the trends) in a fixed number of queries however many waves: their responses
    counted in one query, the kept results read in one, and those not kept worked out from one read of their
    responses, one of the profile and one of the questions."""
    if not waves:
        return {}
    counts = {
        row["wave"]: (row["n"], row["last"])
        for row in SurveyResponse.objects.filter(wave__in=waves)
        .values("wave")
        .annotate(n=Count("id"), last=Max("id"))
        .order_by()
    }
    version = profile_version()
    keys = {
        wave.pk: "engagement:survey-results:{}.{}:{}:{}-{}:{}".format(
            questions.VERSION, figures.RULES, wave.pk, *counts.get(wave.pk, (0, 0)), version
        )
        for wave in waves
    }
    kept = cache.get_many(list(keys.values()))
    found = {pk: kept[key] for pk, key in keys.items() if isinstance(kept.get(key), WaveResults)}
    missing = [wave for wave in waves if wave.pk not in found]
    if missing:
        made = compute_all(missing)
        cache.set_many({keys[pk]: result for pk, result in made.items()}, KEEP_SECONDS)
        found.update(made)
    return found


def profile_categories(rows: list[tuple[Any, ...]], bands: list[str]) -> dict[str, list[str | None]]:
    """Each response's category for each margin, in the profile's words (None: not answered)."""
    sample: dict[str, list[str | None]] = {margin: [] for margin in ORDER}
    for _answers, ward, age, sex, ethnicity, tenure, disability in rows:
        sample[categories.WARD].append(ward)
        sample[categories.AGE].append(categories.age_band(age, bands) if age is not None and bands else None)
        sample[categories.SEX].append(sex or None)
        sample[categories.ETHNICITY].append(categories.ETHNICITIES.get(ethnicity))
        sample[categories.TENURE].append(tenure or None)
        sample[categories.DISABILITY].append(DISABILITY_CATEGORY.get(disability))
    return sample


def weights_for(
    sample: dict[str, list[str | None]], targets: dict[str, dict[str, int]], n: int
) -> tuple[np.ndarray, Weighting]:
    """Rake to every usable margin, leaving out the last one while raking fails; unweighted with no margin."""
    about = Weighting(responses=n, no_profile=not targets)
    names = categories.MARGINS
    found = margins.usable(sample, targets, names=names, order=ORDER)
    while found.sample:
        try:
            raked = weighting.rake(found.sample, found.targets, cap=CAP, tolerance=TOLERANCE)
        except weighting.WeightingError as error:
            last = list(found.sample)[-1]
            found = found.without(last, f"{names[last]} was left out: {' '.join(error.messages)}")
            continue
        if not raked.converged and len(found.sample) > 1:
            last = list(found.sample)[-1]
            found = found.without(
                last,
                f"Weighting to every margin at once did not settle within the weight cap, so "
                f"{names[last].lower()} was left out.",
            )
            continue
        about.weighted = True
        about.margins = [names[m] for m in found.sample]
        about.notes = list(raked.notes)
        about.converged = raked.converged
        about.iterations = raked.iterations
        about.max_margin_error = raked.max_margin_error
        about.design_effect = raked.design_effect
        about.effective_sample_size = raked.effective_sample_size
        about.min_weight, about.max_weight = raked.min_weight, raked.max_weight
        about.dropped = list(found.dropped.values())
        return np.asarray(raked.weights, dtype=float), about
    about.dropped = list(found.dropped.values())
    about.effective_sample_size = float(n)
    return np.ones(n), about


def compute(wave: Wave) -> WaveResults:
    """Weight one wave's responses and work out every figure."""
    return compute_all([wave])[wave.pk]


def compute_all(waves: Sequence[Wave]) -> dict[int, WaveResults]:
    """Weight each wave's responses to the profile and work out every figure (what results_for keeps)."""
    rows_by_wave: dict[int, list[tuple[Any, ...]]] = {wave.pk: [] for wave in waves}
    for row in (
        SurveyResponse.objects.filter(wave__in=waves)
        .order_by("wave_id", "pk")
        .values_list("wave_id", "answers", "ward__name", "age", "sex", "ethnicity", "tenure", "disability")
    ):
        rows_by_wave[row[0]].append(row[1:])
    targets = borough_margins()
    bands = list(targets.get(categories.AGE, {}))
    council = CouncilArea.current()
    every_ward = set(Ward.objects.filter(council=council).values_list("name", flat=True)) if council else set()
    asked: dict[int, list[figures.Asked]] = {}
    found = {}
    for wave in waves:
        rows = rows_by_wave[wave.pk]
        ward_names = sorted(every_ward | set(targets.get(categories.WARD, {})) | {row[1] for row in rows if row[1]})
        if not rows:
            found[wave.pk] = WaveResults(wave.pk, 0, Weighting(no_profile=not targets), [], ward_names)
            continue
        if wave.survey_id not in asked:
            asked[wave.survey_id] = asked_of(wave)
        weights, about = weights_for(profile_categories(rows, bands), targets, len(rows))
        answers = [row[0] if isinstance(row[0], dict) else {} for row in rows]
        items = figures.question_figures(
            asked[wave.survey_id], answers, [row[1] for row in rows], weights, ward_names=ward_names
        )
        found[wave.pk] = WaveResults(wave.pk, len(rows), about, items, ward_names)
    return found
