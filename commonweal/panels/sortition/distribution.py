"""A distribution over panels of people, and how one over units becomes one over people."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from commonweal.panels.sortition.model import Compiled


@dataclass(frozen=True)
class Distribution:
    """Panels with their probabilities, and what they give each volunteer.

    `min_probability` is the smallest chance among the volunteers who fit some panel; those who fit none are
    listed in `excluded` (their chance is 0). `upper_bound` is a proven bound on the best possible minimum (from the
    first level's dual program for leximin and maximin; for legacy, the simple bound min(k/n, max/n_f, ...)), and
    `gap` the distance from it.
    """

    method: str
    panels: tuple[tuple[frozenset[str], float], ...]
    probabilities: dict[str, float]
    min_probability: float
    upper_bound: float
    gap: float
    excluded: tuple[str, ...]
    seconds: float
    levels: int = 0  # the leximin levels fixed (1 for maximin, 0 for legacy)
    complete: bool = True  # False when the time limit stopped the levels early
    oracle_calls: int = 0
    # the same distribution over groups of interchangeable people (ids), as counts a group: what the lottery rounds
    groups: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)
    group_panels: tuple[tuple[tuple[int, ...], float], ...] = field(default=(), repr=False, compare=False)

    @property
    def k(self) -> int:
        return len(self.panels[0][0]) if self.panels else 0


def spread_counts(size: int, chosen: int) -> tuple[int, list[Fraction]]:
    """How to rotate `chosen` of `size` interchangeable people so each is on with chance chosen/size.

    Rotation r of g = size / gcd(size, chosen) equal ones takes people r·chosen .. r·chosen + chosen - 1 (mod size):
    the starts are the multiples of gcd(size, chosen), so each person is in chosen / gcd of the g windows.
    """
    rotations = size // math.gcd(size, chosen)
    return rotations, [Fraction(r, rotations) for r in range(rotations)]


def to_people(
    compiled: Compiled, panels: Sequence[np.ndarray], weights: Sequence[float]
) -> dict[frozenset[int], float]:
    """Each unit panel as panels of people, everyone in a unit equally often; the same people panels merged."""
    result: dict[frozenset[int], float] = defaultdict(float)
    units = compiled.units
    for counts, weight in zip(panels, weights, strict=True):
        if weight <= 0:
            continue
        whole: list[int] = []
        partial: list[tuple[int, int, int]] = []  # (unit, chosen, rotations)
        breaks: set[Fraction] = {Fraction(0)}
        for u in np.flatnonzero(counts):
            members, chosen = units[u].members, int(counts[u])
            if chosen >= len(members):
                whole.extend(members)
                continue
            rotations, starts = spread_counts(len(members), chosen)
            partial.append((int(u), chosen, rotations))
            breaks.update(starts)
        points = sorted(breaks) + [Fraction(1)]
        for left, right in zip(points, points[1:], strict=False):
            chosen_people = list(whole)
            for group, chosen, rotations in partial:
                members = units[group].members
                start = math.floor(left * rotations) * chosen
                chosen_people.extend(members[(start + j) % len(members)] for j in range(chosen))
            result[frozenset(chosen_people)] += float(weight) * float(right - left)
    return result


def probabilities_of(panels: Sequence[tuple[frozenset[str], float]], ids: Sequence[str]) -> dict[str, float]:
    """Each volunteer's chance: the total probability of the panels they are on."""
    chances = dict.fromkeys(ids, 0.0)
    for members, weight in panels:
        for person in members:
            chances[person] += weight
    return chances
