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

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, Sum

from commonweal.core.caching import kept
from commonweal.engagement import weighting
from commonweal.places import categories
from commonweal.places.models import ProfileCount
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
        for q in wave.survey.questions.all()
    ]


def profile_version() -> str:
    """What changes when the borough profile does (a new import), read in one query."""
    found = ProfileCount.objects.aggregate(n=Count("id"), total=Sum("count"), last=Max("id"))
    return f"{found['n']}-{found['total']}-{found['last']}"


def wave_results(wave: Wave) -> WaveResults:
    """The wave's results, from the cache while its responses and the profile are as they were."""
    found = SurveyResponse.objects.filter(wave=wave).aggregate(n=Count("id"), last=Max("id"))
    key = f"engagement:survey-results:{questions.VERSION}:{wave.pk}:{found['n']}:{found['last']}:{profile_version()}"
    return kept(key, WaveResults, lambda: compute(wave), seconds=KEEP_SECONDS)


def profile_categories(rows: list[tuple], bands: list[str]) -> dict[str, list[str | None]]:
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
    """Weight the wave's responses and work out every figure (what wave_results keeps)."""
    rows = list(
        SurveyResponse.objects.filter(wave=wave)
        .order_by("pk")
        .values_list("answers", "ward__name", "age", "sex", "ethnicity", "tenure", "disability")
    )
    targets = borough_margins()
    bands = list(targets.get(categories.AGE, {}))
    ward_names = sorted(set(targets.get(categories.WARD, {})) | {row[1] for row in rows if row[1]})
    if not rows:
        return WaveResults(wave.pk, 0, Weighting(no_profile=not targets), [], ward_names)
    weights, about = weights_for(profile_categories(rows, bands), targets, len(rows))
    answers = [row[0] if isinstance(row[0], dict) else {} for row in rows]
    found = figures.question_figures(asked_of(wave), answers, [row[1] for row in rows], weights, ward_names=ward_names)
    return WaveResults(wave.pk, len(rows), about, found, ward_names)
