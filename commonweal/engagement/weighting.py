"""Survey weighting: raking to the borough's margins, and estimates with 95% confidence intervals (pure: numpy only).

Raking (iterative proportional fitting) scales each response's weight, one margin at a time, until the weighted
share of every category of every margin (ward, age band, sex, ...) matches the population's. Trimming caps a
weight at a multiple of the mean *inside* the loop and rakes again, as weightipy and svy do, so the margins still
hold once the cap binds (trimming after raking, as balance does, leaves them off by several per cent).

A response whose category for a margin is missing (None, empty, or 'Prefer not to say') takes no part in that
margin's adjustment: the margin is met among the responses that answered it, and the others keep the weight the
rest of the margins gave them. Population targets may be counts or shares; each margin is rescaled to shares on
its own, because Census 2021 margins are perturbed and do not add to one common total.

Confidence intervals use Kish's effective sample size, (sum w)^2 / sum(w^2), of the group the figure is about:
Wilson's interval for a proportion and a normal interval for a mean (surveys.md section 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from statistics import NormalDist
from typing import Any, NamedTuple

import numpy as np

from commonweal.places.categories import PREFER_NOT_TO_SAY

# Answers that say nothing about a margin: such a response is left out of that margin's adjustment.
MISSING: frozenset[str] = frozenset({"", PREFER_NOT_TO_SAY})
# Raking stops before any weight falls below this (the mean weight is 1): no margin is worth a response's voice.
_LEAST_WEIGHT = 1e-9


class WeightingError(ValueError):
    """The responses cannot be weighted to these targets; `messages` says why, one sentence a problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Raking:
    """The weights raking gave the responses (in the order given, mean 1) and how well they fit the margins."""

    weights: np.ndarray
    iterations: int
    max_margin_error: float  # the largest |weighted share - target share| / target share over every category
    converged: bool
    design_effect: float  # Kish: n * sum(w^2) / sum(w)^2
    effective_sample_size: float  # (sum w)^2 / sum(w^2)
    cap: float | None
    min_weight: float
    max_weight: float
    # Target categories no response has, by margin: they cannot be weighted, so they are left out and the margin's
    # other categories rescaled to make up its whole population (`notes` says so in words).
    dropped: dict[str, list[str]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def weighting_efficiency(self) -> float:
        """The effective sample size as a share of the responses (weightipy's efficiency / 100)."""
        return self.effective_sample_size / len(self.weights)


@dataclass(frozen=True)
class _Margin:
    name: str
    codes: np.ndarray  # each response's category index; len(shares) for a missing answer
    shares: np.ndarray  # target share of each kept category (sums to 1)


def rake(
    sample: Mapping[str, Sequence[Any] | np.ndarray],
    targets: Mapping[str, Mapping[str, float]],
    *,
    cap: float | None = 5.0,
    tolerance: float = 1e-10,
    max_iterations: int = 1000,
) -> Raking:
    """Weights for the responses so that each margin's weighted shares match the targets' (raking with a cap).

    `sample` maps each margin to every response's category (one list or array a margin, all the same length);
    `targets` maps each margin to the population count (or share) of each category. `cap` is the largest weight
    allowed, as a multiple of the mean weight (None: no cap). Raking stops once every weighted margin is within
    `tolerance` (relative) of its target, or after `max_iterations` passes (then `converged` is False: the cap
    may be too tight for these margins). Raises WeightingError, naming each problem, when the responses cannot
    be weighted: no responses, a margin without targets, a margin nobody answered, categories the targets lack.
    """
    if cap is not None and not cap > 1:
        raise WeightingError([f"The weight cap must be more than 1 (times the mean weight); it was {cap}."])
    margins, dropped, notes, n = _prepare(sample, targets)
    # Responses with the same answers to every margin always get the same weight, so the raking runs on the
    # cells (at most the product of the margins' sizes, a few thousand) with their counts, not on every response.
    cells, counts, response_cell = _cells(margins)
    weights = np.ones(len(counts))
    iterations, error = 0, _max_margin_error(cells, weights, counts)
    changes: list[float] = []
    while error > tolerance and iterations < max_iterations and not _stalled(changes):
        before = weights.copy()
        change = 0.0
        for margin in cells:
            factors = _factors(margin, weights, counts)
            change = max(change, float(np.abs(factors - 1).max()))
            weights *= factors[margin.codes]
        if cap is not None:
            weights = _capped(weights, counts, cap)
        if not weights.min() >= _LEAST_WEIGHT:
            # Only a weight of zero would meet the margins (or the cap with them): stop with the last weights.
            weights = before
            break
        iterations += 1
        changes.append(change)
        error = _max_margin_error(cells, weights, counts)
    if error > tolerance and iterations < max_iterations:
        notes.append(_why_not_met(cap if cap is not None and weights.max() >= cap * (1 - 1e-9) else None, error))
    total, squares = float(np.dot(counts, weights)), float(np.dot(counts, weights * weights))
    return Raking(
        weights=weights[response_cell],
        iterations=iterations,
        max_margin_error=error,
        converged=error <= tolerance,
        design_effect=n * squares / total**2,
        effective_sample_size=total**2 / squares,
        cap=cap,
        min_weight=float(weights.min()),
        max_weight=float(weights.max()),
        dropped=dropped,
        notes=tuple(notes),
    )


def _prepare(
    sample: Mapping[str, Sequence[Any] | np.ndarray], targets: Mapping[str, Mapping[str, float]]
) -> tuple[list[_Margin], dict[str, list[str]], list[str], int]:
    """Each margin's category codes and target shares, or WeightingError with every problem found."""
    problems: list[str] = []
    lengths = {name: len(values) for name, values in sample.items()}
    if not sample:
        problems.append("There are no margins to weight to.")
    if len(set(lengths.values())) > 1:
        problems.append(
            "Every margin needs one answer a response; the margins have different lengths: "
            + ", ".join(f"{name} {length:,}" for name, length in lengths.items())
            + "."
        )
    n = max(lengths.values(), default=0)
    if sample and n == 0:
        problems.append("There are no responses to weight.")
    problems += [f"There are no population figures for the margin '{name}'." for name in sample if name not in targets]
    problems += [f"No response has an answer for the margin '{name}'." for name in targets if name not in sample]
    if problems:
        raise WeightingError(problems)

    margins: list[_Margin] = []
    dropped: dict[str, list[str]] = {}
    notes: list[str] = []
    for name, values in sample.items():
        population = {category: float(count) for category, count in targets[name].items()}
        negative = [category for category, count in population.items() if not count >= 0]
        if negative:
            problems.append(f"The population figures for '{name}' must not be negative: {_listed(negative)}.")
            continue
        categories = [category for category, count in population.items() if count > 0]
        codes = _codes(values, categories)
        known = codes < len(categories)
        if (codes < 0).any():
            unknown = sorted({str(value) for value, code in zip(_as_list(values), codes, strict=True) if code < 0})
            problems.append(
                f"Some responses give a {name} the population figures do not have (or give no population): "
                f"{_listed(unknown)}."
            )
            continue
        if not known.any():
            problems.append(
                f"Nobody answered the question for the margin '{name}', so the responses cannot be weighted to it; "
                f"leave that margin out or collect the answers."
            )
            continue
        counts = np.bincount(codes[known], minlength=len(categories))
        empty = [category for category, count in zip(categories, counts, strict=True) if count == 0]
        if empty:
            dropped[name] = empty
            share = sum(population[category] for category in empty) / sum(population.values())
            notes.append(
                f"No response is in {_listed(empty)} ({name}), {share:.1%} of the population: "
                f"{'that category was' if len(empty) == 1 else 'those categories were'} left out and the other "
                f"{name} categories scaled up to the whole population."
            )
            kept = [index for index, count in enumerate(counts) if count > 0]
            remap = np.full(len(categories) + 1, len(kept), dtype=np.intp)
            remap[kept] = np.arange(len(kept))
            codes = remap[codes]
            categories = [categories[index] for index in kept]
        shares = np.array([population[category] for category in categories])
        margins.append(_Margin(name=name, codes=codes, shares=shares / shares.sum()))
    if problems:
        raise WeightingError(problems)
    return margins, dropped, notes, n


def _codes(values: Sequence[Any] | np.ndarray, categories: list[str]) -> np.ndarray:
    """Each value's index in `categories`; len(categories) for a missing answer, -1 for an unknown one."""
    missing = len(categories)
    if (
        isinstance(values, np.ndarray)
        and values.dtype.kind == "U"
        and (codes := _codes_of_strings(values, categories)) is not None
    ):
        return codes
    lookup: dict[Any, int] = {category: index for index, category in enumerate(categories)}
    lookup.update(dict.fromkeys((*MISSING, None), missing))
    items = _as_list(values)
    codes = np.fromiter(map(lookup.get, items, repeat(-1)), dtype=np.intp, count=len(items))
    for index in np.flatnonzero(codes < 0).tolist():
        if _is_missing(items[index]):  # NaN, which a dictionary cannot find
            codes[index] = missing
    return codes


def _codes_of_strings(values: np.ndarray, categories: list[str]) -> np.ndarray | None:
    """_codes for an array of strings, without a Python loop: the labels (categories and missing answers) almost
    always differ within their first few characters, so those characters, read as one integer, find each value's
    label, and a comparison of the whole strings then catches a value that is no label. None when the labels need
    more than two characters to tell apart (the caller then looks each value up)."""
    width = values.dtype.itemsize // 4
    labels = [label for label in (*categories, *MISSING) if len(label) <= width]
    if width == 0 or len(values) == 0:
        return None
    characters = np.array(labels, dtype=values.dtype).view(np.uint32).reshape(len(labels), width)
    columns = next(
        (
            (first, second)
            for first in range(width)
            for second in range(first, width)
            if len({(row[first], row[second]) for row in characters.tolist()}) == len(labels)
        ),
        None,
    )
    if columns is None:
        return None
    text = values.view(np.uint32).reshape(len(values), width)
    keys = (text[:, columns[0]].astype(np.uint64) << np.uint64(32)) | text[:, columns[1]]
    label_keys = (characters[:, columns[0]].astype(np.uint64) << np.uint64(32)) | characters[:, columns[1]]
    order = np.argsort(label_keys)
    found = order[np.minimum(np.searchsorted(label_keys[order], keys), len(labels) - 1)]
    code_of_label = np.array([min(index, len(categories)) for index in range(len(labels))], dtype=np.intp)
    return np.where(np.array(labels, dtype=values.dtype)[found] == values, code_of_label[found], -1)


def _as_list(values: Sequence[Any] | np.ndarray) -> list[Any]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _cells(margins: list[_Margin]) -> tuple[list[_Margin], np.ndarray, np.ndarray]:
    """The distinct combinations of answers (each margin's codes for them), how many responses give each, and
    each response's combination."""
    sizes = [len(margin.shares) + 1 for margin in margins]
    if math.prod(sizes) < 2**62:
        key = np.zeros(len(margins[0].codes), dtype=np.int64)
        for margin, size in zip(margins, sizes, strict=True):
            key = key * size + margin.codes
        if math.prod(sizes) <= 4 * len(key) + 65_536:  # few enough to count directly, with no sort
            present = np.bincount(key, minlength=math.prod(sizes))
            keys = np.flatnonzero(present)
            rank = np.zeros(len(present), dtype=np.intp)
            rank[keys] = np.arange(len(keys))
            response_cell, counts = rank[key], present[keys]
        else:
            keys, response_cell, counts = np.unique(key, return_inverse=True, return_counts=True)
        codes = []
        for size in reversed(sizes):
            keys, code = np.divmod(keys, size)
            codes.append(code)
        codes.reverse()
    else:
        combos, response_cell, counts = np.unique(
            np.stack([margin.codes for margin in margins], axis=1), axis=0, return_inverse=True, return_counts=True
        )
        codes = list(combos.T)
    cells = [
        _Margin(name=margin.name, codes=code, shares=margin.shares) for margin, code in zip(margins, codes, strict=True)
    ]
    return cells, counts.astype(float), response_cell.reshape(-1)


def _factors(margin: _Margin, weights: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """What each category's weights are multiplied by to meet the margin (1 for the missing answers)."""
    totals = np.bincount(margin.codes, weights=weights * counts, minlength=len(margin.shares) + 1)
    answered = totals[:-1]
    factors = np.ones(len(totals))
    factors[:-1] = margin.shares * answered.sum() / answered
    return factors


def _why_not_met(cap: float | None, error: float) -> str:
    if cap is not None:
        return (
            f"The margins could not all be met with no weight above {cap:g} times the mean: raise the cap or "
            f"collapse small categories (the largest margin error left is {error:.1%})."
        )
    return (
        f"The margins cannot all be met by these responses (the largest margin error left is {error:.1%}): some "
        f"weights were falling towards zero because a combination of answers the population needs is missing or "
        f"rare. Collapse small categories and weight again."
    )


def _stalled(changes: list[float], window: int = 100) -> bool:
    """True when a hundred passes have not halved the change a pass makes: a cap too tight for the margins."""
    return len(changes) > window and changes[-1] > changes[-1 - window] / 2


def _max_margin_error(margins: list[_Margin], weights: np.ndarray, counts: np.ndarray) -> float:
    return max(float(np.abs(1 / _factors(margin, weights, counts)[:-1] - 1).max()) for margin in margins)


def _capped(weights: np.ndarray, counts: np.ndarray, cap: float) -> np.ndarray:
    """The weights with none above `cap` times the mean and the same total: the capped ones are set to the cap and
    the rest scaled up to make up the total (the fixed point of weightipy's clip-and-rescale loop, found exactly)."""
    n = counts.sum()
    weights = weights * (n / np.dot(counts, weights))
    capped = weights > cap
    if not capped.any():
        return weights
    while True:
        scale = (n - cap * counts[capped].sum()) / np.dot(counts[~capped], weights[~capped])
        now = capped | (weights * scale > cap)
        if (now == capped).all():
            break
        capped = now
    return np.where(capped, cap, weights * scale)


@dataclass(frozen=True)
class Estimate:
    """A weighted proportion with its confidence interval, its unweighted base and its effective base."""

    proportion: float
    low: float
    high: float
    base: int  # responses in the group (unweighted)
    effective_base: float  # Kish's effective sample size of the group
    standard_error: float = 0.0
    confidence: float = 0.95

    @property
    def value(self) -> float:
        return self.proportion


@dataclass(frozen=True)
class MeanEstimate:
    """A weighted mean with its confidence interval (normal, on the group's effective base)."""

    mean: float
    low: float
    high: float
    base: int
    effective_base: float
    standard_error: float = 0.0
    confidence: float = 0.95

    @property
    def value(self) -> float:
        return self.mean


class Difference(NamedTuple):
    """The change from one wave's figure to another's, with its confidence interval."""

    difference: float
    low: float
    high: float
    significant: bool  # the interval leaves out zero


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise WeightingError([f"The confidence level must be between 0 and 1; it was {confidence}."])
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def _group(values: np.ndarray, weights: np.ndarray, what: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    values, weights = np.asarray(values), np.asarray(weights, dtype=float)
    if values.shape != weights.shape:
        raise WeightingError(
            [f"There must be one weight a response: {len(values):,} {what}, {len(weights):,} weights."]
        )
    if len(values) == 0:
        raise WeightingError(["There are no responses in this group, so there is no figure to give."])
    total = float(weights.sum())
    return values, weights, total, total**2 / float(np.dot(weights, weights))


def weighted_proportion(yes: np.ndarray, weights: np.ndarray, *, confidence: float = 0.95) -> Estimate:
    """The weighted share of the group answering yes, with Wilson's interval on the group's effective base."""
    z = _z(confidence)
    yes, weights, total, n_eff = _group(yes, weights, "answers")
    p = float(np.dot(weights, yes.astype(bool))) / total
    low, high = wilson_interval(p, n_eff, z)
    return Estimate(
        proportion=p,
        low=low,
        high=high,
        base=len(yes),
        effective_base=n_eff,
        standard_error=math.sqrt(p * (1 - p) / n_eff),
        confidence=confidence,
    )


def wilson_interval(p: float, n: float, z: float) -> tuple[float, float]:
    """Wilson's score interval for a proportion p on n (which may be an effective, non-whole, sample size)."""
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def weighted_mean(values: np.ndarray, weights: np.ndarray, *, confidence: float = 0.95) -> MeanEstimate:
    """The weighted mean of the group's answers, with a normal interval on the group's effective base."""
    z = _z(confidence)
    values, weights, total, n_eff = _group(values, weights, "answers")
    values = values.astype(float)
    mean = float(np.dot(weights, values)) / total
    variance = float(np.dot(weights, (values - mean) ** 2)) / total
    if n_eff > 1:
        variance *= n_eff / (n_eff - 1)
    error = math.sqrt(variance / n_eff)
    return MeanEstimate(
        mean=mean,
        low=mean - z * error,
        high=mean + z * error,
        base=len(values),
        effective_base=n_eff,
        standard_error=error,
        confidence=confidence,
    )


def difference_between_waves(a: Estimate | MeanEstimate, b: Estimate | MeanEstimate) -> Difference:
    """From wave a to wave b: b's figure less a's, with a normal interval on the sum of their variances."""
    difference = b.value - a.value
    half = _z(a.confidence) * math.sqrt(a.standard_error**2 + b.standard_error**2)
    low, high = difference - half, difference + half
    return Difference(difference=difference, low=low, high=high, significant=low > 0 or high < 0)


def _listed(items: Sequence[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
