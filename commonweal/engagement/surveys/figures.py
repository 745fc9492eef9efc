"""A wave's figures from its responses and their weights (pure: numpy and weighting, no Django).

Per question: the weighted per cent giving a positive answer among those who gave a view ('Don't know' and no
answer are kept out of the base), its 95% confidence interval (Wilson on Kish's effective base), the unweighted
base and the effective base; for everyone and for each ward. A group of fewer than 10 responses gets no figure.
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


@dataclass(frozen=True)
class Figure:
    """One group's figure: None estimate when the group is under MINIMUM responses (the base is not shown
    then either)."""

    estimate: weighting.Estimate | None

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
        return Figure(None)
    return Figure(weighting.weighted_proportion(yes, weights))


def question_figures(
    asked: Sequence[Asked],
    answers: Sequence[dict[str, int]],
    wards: Sequence[str | None],
    weights: np.ndarray,
    *,
    ward_names: Sequence[str],
) -> list[QuestionFigures]:
    """Each question's figure for everyone and for each ward in `ward_names`."""
    ward_array = np.array([w or "" for w in wards], dtype=object)
    in_ward = {name: ward_array == name for name in ward_names}
    found = []
    for question in asked:
        positions = np.fromiter((a.get(question.key, -1) for a in answers), dtype=np.int64, count=len(answers))
        counted = (positions >= 0) & ~np.isin(positions, question.excluded)
        yes = np.isin(positions, question.positive)
        item = QuestionFigures(question.key, question.headline, figure(yes[counted], weights[counted]))
        for name, mask in in_ward.items():
            chosen = counted & mask
            item.by_ward[name] = figure(yes[chosen], weights[chosen])
        found.append(item)
    return found


def change(a: Figure, b: Figure) -> weighting.Difference | None:
    """From one wave's figure to the next's, or None when either is hidden."""
    if a.estimate is None or b.estimate is None:
        return None
    return weighting.difference_between_waves(a.estimate, b.estimate)
