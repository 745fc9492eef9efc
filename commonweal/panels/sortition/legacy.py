"""LEGACY: the Sortition Foundation's older greedy method, one person at a time (background §1.1), for comparison.

It meets the quotas but does not control anyone's chance; its probabilities are estimated by drawing many panels.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from commonweal.panels.sortition.model import Compiled

ATTEMPTS = 100  # as the Sortition Foundation's app: give up on one panel after this many failed tries


class Bag:
    """A set with removal and a uniform random pick in constant time, in a deterministic order."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.position: dict[int, int] = {}

    def add(self, item: int) -> None:
        self.position[item] = len(self.items)
        self.items.append(item)

    def discard(self, item: int) -> None:
        at = self.position.pop(item, None)
        if at is None:
            return
        last = self.items.pop()
        if last != item:
            self.items[at] = last
            self.position[last] = at

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[int]:
        return iter(list(self.items))


def greedy_panel(compiled: Compiled, rng: random.Random) -> list[int] | None:
    """One try: repeatedly take the value furthest from its minimum, relative to who is left, and pick at random."""
    quota_index = {pair: q for q, pair in enumerate(compiled.quota_of)}
    quotas = compiled.quotas
    person_quotas = [[quota_index[(f, v)] for f, v in enumerate(values)] for values in compiled.person_values]
    household_of: dict[int, int] = {}
    for h, members in enumerate(compiled.households):
        for i in members:
            household_of[i] = h
    remaining: set[int] = set(range(compiled.n))
    holders: list[Bag] = [Bag() for _ in quotas]
    for i, qs in enumerate(person_quotas):
        for q in qs:
            holders[q].add(i)
    selected_count = [0] * len(quotas)
    chosen: list[int] = []

    def remove(i: int) -> None:
        remaining.discard(i)
        for q in person_quotas[i]:
            holders[q].discard(i)

    while len(chosen) < compiled.k:
        if not remaining:
            return None
        best_q, best_ratio = -1, -1.0
        for q, quota in enumerate(quotas):
            left = len(holders[q])
            if left == 0:
                continue
            ratio = (quota.min - selected_count[q]) / left
            if ratio > best_ratio:
                best_q, best_ratio = q, ratio
        if best_q < 0:
            return None
        person = holders[best_q].items[rng.randrange(len(holders[best_q]))]
        chosen.append(person)
        remove(person)
        if person in household_of:
            for mate in compiled.households[household_of[person]]:
                remove(mate)
        for q in person_quotas[person]:
            selected_count[q] += 1
            if selected_count[q] >= quotas[q].max:
                for other in holders[q]:
                    remove(other)
        for q, quota in enumerate(quotas):
            if selected_count[q] + len(holders[q]) < quota.min:
                return None
    return chosen


def sample_panels(compiled: Compiled, *, samples: int, seed: int) -> tuple[list[tuple[int, ...]], int]:
    """`samples` greedy panels (each with up to ATTEMPTS tries); also how many panels failed every try."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible comparison, not a secret
    panels: list[tuple[int, ...]] = []
    failures = 0
    for _ in range(samples):
        for _attempt in range(ATTEMPTS):
            panel = greedy_panel(compiled, rng)
            if panel is not None:
                panels.append(tuple(sorted(panel)))
                break
        else:
            failures += 1
            if failures >= 3 and not panels:
                break
    return panels, failures
