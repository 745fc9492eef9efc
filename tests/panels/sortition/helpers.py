"""Small instances, a brute-force leximin to check the engine against, and the checks every distribution passes."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

import highspy
import numpy as np

from commonweal.panels.sortition import Distribution, Instance, Person, Quota
from commonweal.panels.sortition.oracle import INF, add_rows, new_highs


def person(pid: str, household: str | None = None, **features: str) -> Person:
    return Person(id=pid, features=features, household=household)


def random_instance(seed: int, *, n: int = 10, k: int = 4, households: bool = False) -> Instance:
    """A small pool with two or three features, skewed, and quotas around proportional shares."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    features = {"age": ["young", "middle", "old"], "tenure": ["own", "rent"]}
    if seed % 2:
        features["ward"] = ["north", "south"]
    people = []
    for i in range(n):
        values = {
            name: rng.choice(options[: rng.randint(1, len(options))] or options) for name, options in features.items()
        }
        household = f"h{i // 2}" if households and i < 4 else None
        people.append(Person(id=f"v{i}", features=values, household=household))
    quotas = []
    for name, options in features.items():
        for value in options:
            share = sum(1 for p in people if p.features[name] == value) / n
            quotas.append(Quota(name, value, max(0, int(share * k) - 1), min(k, int(share * k) + 1)))
    return Instance(people=tuple(people), quotas=tuple(quotas), k=k)


def meets_quotas(instance: Instance, panel: frozenset[str]) -> bool:
    by_id = {p.id: p for p in instance.people}
    if len(panel) != instance.k:
        return False
    for quota in instance.quotas:
        have = sum(1 for pid in panel if by_id[pid].features[quota.feature].casefold() == quota.value.casefold())
        if not quota.min <= have <= quota.max:
            return False
    households = [by_id[pid].household for pid in panel if by_id[pid].household]
    return len(households) == len(set(households))


def panel_of(instance: Instance, counts: np.ndarray) -> frozenset[str]:
    """The people of a panel given as a count per unit (the first that many of each unit's members)."""
    units = instance.compiled.units
    return frozenset(instance.people[m].id for u in np.flatnonzero(counts) for m in units[u].members[: counts[u]])


def feasible_panels(instance: Instance) -> list[frozenset[str]]:
    ids = [p.id for p in instance.people]
    return [
        panel
        for panel in (frozenset(c) for c in itertools.combinations(ids, instance.k))
        if meets_quotas(instance, panel)
    ]


def _lp_max(matrix: np.ndarray, lower: dict[int, float], objective: int | None, free: Sequence[int]) -> float:
    """max t (objective None: every `free` person >= t) or max p_objective, over λ on the panels."""
    count, n = matrix.shape
    solver = new_highs()
    solver.addVars(count + 1, np.append(np.zeros(count), -INF), np.append(np.full(count, INF), INF))
    solver.changeObjectiveSense(highspy.ObjSense.kMaximize)
    target = count if objective is None else None
    costs = np.zeros(count + 1)
    if target is not None:
        costs[target] = 1.0
    else:
        costs[:count] = matrix[:, objective]
    solver.changeColsCost(count + 1, np.arange(count + 1, dtype=np.int32), costs)
    rows, lows, highs = [[(p, 1.0) for p in range(count)]], [1.0], [1.0]
    for i in range(n):
        column = [(p, float(matrix[p, i])) for p in range(count) if matrix[p, i]]
        if i in lower:
            rows.append(column)
            lows.append(lower[i])
        elif i in free and objective is None:
            rows.append([*column, (count, -1.0)])
            lows.append(0.0)
        else:
            continue
        highs.append(INF)
    add_rows(solver, lows, highs, rows)
    solver.run()
    assert solver.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return float(solver.getInfo().objective_function_value)


def brute_force_leximin(instance: Instance) -> list[float]:
    """The leximin probabilities, sorted, from every feasible panel: fix the people who cannot rise above each
    level, found by one small program a person (exact, no duals)."""
    panels = feasible_panels(instance)
    ids = [p.id for p in instance.people]
    matrix = np.array([[1.0 if pid in panel else 0.0 for pid in ids] for panel in panels])
    covered = [i for i in range(len(ids)) if matrix[:, i].any()]
    fixed: dict[int, float] = {i: 0.0 for i in range(len(ids)) if i not in covered}
    while len(fixed) < len(ids):
        free = [i for i in range(len(ids)) if i not in fixed]
        level = _lp_max(matrix, fixed, None, free)
        floor = {**fixed, **dict.fromkeys(free, level - 1e-09)}
        stuck = [
            i
            for i in free
            if _lp_max(matrix, {j: v for j, v in floor.items() if j != i} | {i: level - 1e-9}, i, []) <= level + 1e-7
        ]
        for i in stuck or free:
            fixed[i] = level
    return sorted(fixed.values())


def assert_sound(instance: Instance, distribution: Distribution) -> None:
    """Every panel meets every quota and the household rule; weights sum to 1; the probabilities are what the
    panels give (recomputed here) and sum to k."""
    assert distribution.panels
    total = 0.0
    recomputed = {p.id: 0.0 for p in instance.people}
    for panel, weight in distribution.panels:
        assert weight > 0
        assert meets_quotas(instance, panel), sorted(panel)
        total += weight
        for pid in panel:
            recomputed[pid] += weight
    assert abs(total - 1) < 1e-9
    assert abs(sum(recomputed.values()) - instance.k) < 1e-7
    for pid, chance in recomputed.items():
        assert abs(distribution.probabilities[pid] - chance) < 1e-9
    included = [chance for pid, chance in recomputed.items() if pid not in distribution.excluded]
    assert abs(min(included) - distribution.min_probability) < 1e-9
    for pid in distribution.excluded:
        assert recomputed[pid] == 0
