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


Segments = list[tuple[Fraction, Fraction, tuple[int, ...]]]  # (from, to, people on) over a panel's weight, exactly


def _rotations(members: tuple[int, ...], chosen: int, weight: Fraction) -> Segments:
    """Equal shares for everyone in one panel: rotate the window of `chosen` (see spread_counts)."""
    rotations, starts = spread_counts(len(members), chosen)
    cuts = [start * weight for start in starts] + [weight]
    return [
        (cuts[r], cuts[r + 1], tuple(members[(r * chosen + j) % len(members)] for j in range(chosen)))
        for r in range(rotations)
    ]


def _wrap_around(amounts: list[tuple[int, Fraction]], weight: Fraction) -> Segments:
    """McNaughton's wrap-around rule: people with times (each at most `weight`) laid end to end over seats of
    length `weight`; as no one has more than a seat's length, no one sits in two seats at once."""
    pieces: list[tuple[int, Fraction, Fraction]] = []
    position = Fraction(0)
    for person, amount in amounts:
        start, end = position, position + amount
        seat_start = math.floor(start / weight) * weight
        if end <= seat_start + weight:
            pieces.append((person, start - seat_start, end - seat_start))
        else:
            pieces.append((person, start - seat_start, weight))
            pieces.append((person, Fraction(0), end - seat_start - weight))
        position = end
    cuts = sorted({Fraction(0), weight, *(t for _, a, b in pieces for t in (a, b))})
    segments: Segments = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        middle = (left + right) / 2
        segments.append((left, right, tuple(person for person, a, b in pieces if a <= middle < b)))
    return segments


def _unit_schedule(members: tuple[int, ...], column: list[tuple[int, int, Fraction]]) -> dict[int, Segments] | None:
    """For one group of interchangeable people, who sits on each panel when: `column` lists (panel, how many of
    them, its weight). Everyone ends with the same total; most sit on a panel for all of its weight, so few
    panels are split. Panels taking the most come first and the seats go to those with most time left (as in
    Gale and Ryser's construction). None if this greedy rule does not come out even (then rotate instead)."""
    size = len(members)
    share = sum((chosen * weight for _, chosen, weight in column), Fraction(0)) / size
    left = dict.fromkeys(members, share)
    schedule: dict[int, Segments] = {}
    for panel, chosen, weight in sorted(column, key=lambda item: (-item[1], -item[2], item[0])):
        if chosen >= size:
            schedule[panel] = [(Fraction(0), weight, members)]
            for person in members:
                left[person] -= weight
            continue
        need = chosen * weight
        amounts: list[tuple[int, Fraction]] = []
        for person in sorted(members, key=lambda person: (-left[person], person)):
            if need == 0:
                break
            amount = min(left[person], weight, need)
            if amount <= 0:
                return None
            amounts.append((person, amount))
            left[person] -= amount
            need -= amount
        if need != 0:
            return None
        schedule[panel] = _wrap_around(amounts, weight)
    if any(value != 0 for value in left.values()):
        return None
    return schedule


def to_people(
    compiled: Compiled, panels: Sequence[np.ndarray], weights: Sequence[float]
) -> dict[frozenset[int], float]:
    """The unit panels as panels of people, each person in a unit with the same total chance (not necessarily
    the same share of each panel: that would split every panel many ways); the same people panels merged."""
    units = compiled.units
    columns: dict[int, list[tuple[int, int, Fraction]]] = defaultdict(list)
    for p, (counts, weight) in enumerate(zip(panels, weights, strict=True)):
        if weight > 0:
            for unit in np.flatnonzero(counts):
                columns[int(unit)].append((p, int(counts[unit]), Fraction(float(weight))))
    by_panel: dict[int, list[Segments]] = defaultdict(list)
    for group, column in columns.items():
        members = units[group].members
        schedule = _unit_schedule(members, column)
        if schedule is None:
            schedule = {p: _rotations(members, chosen, weight) for p, chosen, weight in column}
        for p, segments in schedule.items():
            by_panel[p].append(segments)
    result: dict[frozenset[int], float] = defaultdict(float)
    for unit_segments in by_panel.values():
        cuts = sorted({t for segments in unit_segments for a, b, _ in segments for t in (a, b)})
        for left, right in zip(cuts, cuts[1:], strict=False):
            middle = (left + right) / 2
            people: list[int] = []
            for segments in unit_segments:
                people.extend(next(on for a, b, on in segments if a <= middle < b))
            result[frozenset(people)] += float(right - left)
    return result


def probabilities_of(panels: Sequence[tuple[frozenset[str], float]], ids: Sequence[str]) -> dict[str, float]:
    """Each volunteer's chance: the total probability of the panels they are on."""
    chances = dict.fromkeys(ids, 0.0)
    for members, weight in panels:
        for person in members:
            chances[person] += weight
    return chances
