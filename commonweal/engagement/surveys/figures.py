"""A wave's figures from its responses and their weights (pure: numpy and weighting, no Django).

Per question: the weighted per cent giving a positive answer among those who gave a view ('Don't know' and no
answer are kept out of the base), its 95% confidence interval (Wilson on Kish's effective base), the unweighted
base and the effective base; for everyone and for each ward. A group of fewer than 10 responses gets no figure.

Secondary suppression: the borough's figure is a weighted mix of the wards' (raking fixes each ward's share of the
weight to its share of the population, which the profile publishes), so one hidden ward's figure could be worked
out from the borough's and the others'. So while the wards' hidden responses are a single group or fewer than 10
in all (responses with no ward count among them, as they are never shown apart), the shown ward with the fewest
responses is hidden too, as the Office for National Statistics does with tables that carry a total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from commonweal.engagement import weighting

from ..suppression import MINIMUM


@dataclass(frozen=True)
class Asked:
    """A question as the figures need it."""

    key: str
    headline: str
    options: int
    positive: tuple[int, ...]
    excluded: tuple[int, ...]


RULES = 2  # which hiding rules made a kept result: results kept under other rules are worked out again
SMALL = "small"  # why a figure is hidden: its group has fewer than MINIMUM responses
PROTECTS_SMALL = "protects_small"  # or: it would let a small group's figure be worked out from the total


@dataclass(frozen=True)
class Figure:
    """One group's figure: None estimate when it is hidden (the base is not shown then either), and why."""

    estimate: weighting.Estimate | None
    why: str = ""

    @property
    def hidden(self) -> bool:
        return self.estimate is None

    @property
    def percent(self) -> float | None:
        return None if self.estimate is None else 100 * self.estimate.proportion


@dataclass
class QuestionFigures:
    key: str
    headline: str
    everyone: Figure
    by_ward: dict[str, Figure] = field(default_factory=dict)


def figure(yes: np.ndarray, weights: np.ndarray) -> Figure:
    """The group's weighted proportion, or a hidden figure for a group under MINIMUM responses."""
    if len(yes) < MINIMUM:
        return Figure(None, SMALL)
    return Figure(weighting.weighted_proportion(yes, weights))


def protect_small_groups(by_ward: dict[str, Figure], counts: dict[str, int], unplaced: int) -> None:
    """Hide more wards until the hidden responses (with the `unplaced` ones that have no ward) are at least two
    groups and MINIMUM responses, so that none can be worked out from the borough's figure; the smallest go first.
    `counts` is each ward's responses to the question."""
    hidden = [name for name, shown in by_ward.items() if shown.hidden and counts[name] > 0]
    if not hidden:
        return
    groups = len(hidden) + (unplaced > 0)
    total = sum(counts[name] for name in hidden) + unplaced
    for name in sorted((n for n, f in by_ward.items() if not f.hidden), key=lambda n: (counts[n], n)):
        if groups >= 2 and total >= MINIMUM:
            return
        by_ward[name] = Figure(None, PROTECTS_SMALL)
        groups, total = groups + 1, total + counts[name]


def question_figures(
    asked: Sequence[Asked],
    answers: Sequence[dict[str, int]],
    wards: Sequence[str | None],
    weights: np.ndarray,
    *,
    ward_names: Sequence[str],
) -> list[QuestionFigures]:
    """Each question's figure for everyone and for each ward in `ward_names`."""
    keys = [question.key for question in asked]
    # One pass over the answers for every question: positions[i, j] is response i's answer to question j.
    positions = np.array([[a.get(key, -1) for key in keys] for a in answers], dtype=np.int64).reshape(
        len(answers), len(keys)
    )
    code = {name: n for n, name in enumerate(ward_names)}
    ward_codes = np.fromiter((code.get(w or "", -1) for w in wards), dtype=np.int64, count=len(wards))
    members = {name: np.flatnonzero(ward_codes == n) for name, n in code.items()}
    found = []
    for column, question in enumerate(asked):
        chosen = positions[:, column]
        counted = (chosen >= 0) & ~np.isin(chosen, question.excluded)
        yes = np.isin(chosen, question.positive)
        item = QuestionFigures(question.key, question.headline, figure(yes[counted], weights[counted]))
        counts: dict[str, int] = {}
        for name, rows in members.items():
            kept = rows[counted[rows]]
            item.by_ward[name] = figure(yes[kept], weights[kept])
            counts[name] = len(kept)
        if not item.everyone.hidden:
            protect_small_groups(item.by_ward, counts, int(counted.sum()) - sum(counts.values()))
        found.append(item)
    return found


def change(a: Figure, b: Figure) -> weighting.Difference | None:
    """From one wave's figure to the next's, or None when either is hidden."""
    if a.estimate is None or b.estimate is None:
        return None
    return weighting.difference_between_waves(a.estimate, b.estimate)
