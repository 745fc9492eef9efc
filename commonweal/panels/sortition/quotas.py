"""Can the quotas be met? Which conflict, and the smallest change to them that makes them possible.

The relaxation is the Sortition Foundation's (background §5): an integer program with a whole-number slack on every
minimum and maximum, the same panel rules, and the cost Σ (1 + 2/min)·lowered + Σ raised, so that lowering a small
minimum costs more than lowering a large one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import highspy
import numpy as np

from commonweal.panels.sortition.model import Compiled, Instance
from commonweal.panels.sortition.oracle import INF, add_rows, add_unit_columns, new_highs, panel_rows


@dataclass(frozen=True)
class Relaxation:
    """Change one bound of one quota: `bound` of `feature` `value` from `current` to `suggested`."""

    feature: str
    value: str
    bound: Literal["min", "max"]
    current: int
    suggested: int

    def sentence(self) -> str:
        verb = "Lower the minimum" if self.bound == "min" else "Raise the maximum"
        return f"{verb} for {self.feature} '{self.value}' from {self.current} to {self.suggested}."


@dataclass(frozen=True)
class QuotaCheck:
    """Whether some panel meets every quota; if not, what conflicts and the smallest relaxation that fixes it."""

    feasible: bool
    problems: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)


def relaxation_cost(minimum: int) -> float:
    """The cost of lowering a minimum by one: 1 + 2/min (lowering small minimums costs more)."""
    return 1.0 + 2.0 / minimum if minimum > 0 else 0.0


def simple_problems(compiled: Compiled) -> list[str]:
    """Conflicts anyone can see without a solver: a feature's minimums or maximums against k, and scarce values."""
    problems: list[str] = []
    k = compiled.k
    for f, feature in enumerate(compiled.features):
        quotas = [quota for (qf, _), quota in zip(compiled.quota_of, compiled.quotas, strict=True) if qf == f]
        low = sum(quota.min for quota in quotas)
        high = sum(quota.max for quota in quotas)
        if low > k:
            problems.append(f"The minimums for {feature} add up to {low}, more than the {k} people to select.")
        if high < k:
            problems.append(f"The maximums for {feature} add up to {high}, fewer than the {k} people to select.")
    holders = Counter((f, v) for values in compiled.person_values for f, v in enumerate(values))
    for pair, quota in zip(compiled.quota_of, compiled.quotas, strict=True):
        have = holders[pair]
        if have < quota.min:
            who = "volunteer is" if have == 1 else "volunteers are"
            problems.append(f"Only {have} {who} {quota.feature} '{quota.value}' but the minimum is {quota.min}.")
    return problems


def has_panel(compiled: Compiled) -> bool:
    """Whether any panel of k meets every quota and the household rule."""
    solver = new_highs()
    add_unit_columns(solver, compiled)
    add_rows(solver, *panel_rows(compiled))
    solver.run()
    return solver.getModelStatus() == highspy.HighsModelStatus.kOptimal


def smallest_relaxation(compiled: Compiled) -> list[Relaxation] | None:
    """The cheapest change to the quotas' bounds that lets a panel meet them; None if none can (k too large)."""
    solver = new_highs()
    units = len(compiled.units)
    quotas = compiled.quotas
    add_unit_columns(solver, compiled)
    count = len(quotas)
    # slack columns: lowered minimum (up to the minimum), raised maximum (up to k)
    lower_bounds = np.zeros(2 * count)
    upper_bounds = np.array([float(q.min) for q in quotas] + [float(compiled.k)] * count)
    solver.addVars(2 * count, lower_bounds, upper_bounds)
    columns = np.arange(units, units + 2 * count, dtype=np.int32)
    solver.changeColsIntegrality(2 * count, columns, np.array([highspy.HighsVarType.kInteger] * (2 * count)))
    costs = np.array([relaxation_cost(q.min) for q in quotas] + [1.0] * count)
    solver.changeColsCost(2 * count, columns, costs)
    lower, upper, rows = panel_rows(compiled)
    # the size row and household rows stay; each quota's row becomes two with its slacks
    kept_lower, kept_upper, kept_rows = [lower[0]], [upper[0]], [rows[0]]
    for q in range(count):
        kept_lower += [lower[1 + q], -INF]
        kept_upper += [INF, upper[1 + q]]
        kept_rows += [rows[1 + q] + [(units + q, 1.0)], rows[1 + q] + [(units + count + q, -1.0)]]
    kept_lower += lower[1 + count :]
    kept_upper += upper[1 + count :]
    kept_rows += rows[1 + count :]
    add_rows(solver, kept_lower, kept_upper, kept_rows)
    solver.run()
    if solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    values = np.rint(np.array(solver.getSolution().col_value)).astype(int)
    relaxations: list[Relaxation] = []
    for q, quota in enumerate(quotas):
        lowered, raised = int(values[units + q]), int(values[units + count + q])
        if lowered:
            relaxations.append(Relaxation(quota.feature, quota.value, "min", quota.min, quota.min - lowered))
        if raised:
            relaxations.append(Relaxation(quota.feature, quota.value, "max", quota.max, quota.max + raised))
    return relaxations


def check_quotas(instance: Instance) -> QuotaCheck:
    """Say whether the quotas can be met; if not, which conflict and the smallest relaxation that makes them."""
    compiled = instance.compiled
    problems = simple_problems(compiled)
    if not problems and has_panel(compiled):
        return QuotaCheck(feasible=True)
    relaxations = smallest_relaxation(compiled) or []
    if not problems:
        problems.append(
            f"No panel of {compiled.k} meets every quota"
            + (" with at most one person a household" if compiled.households else "")
            + ": the quotas conflict with each other through the volunteers who hold several values at once."
        )
    if relaxations:
        problems.append(
            "The smallest change that makes a panel possible: " + " ".join(r.sentence() for r in relaxations)
        )
    return QuotaCheck(feasible=False, problems=problems, relaxations=relaxations)


def simple_upper_bound(compiled: Compiled) -> float:
    """min(k/n, max_f/n_f, (k - min_f)/(n - n_f)): no distribution gives everyone more than this (background §5)."""
    n, k = compiled.n, compiled.k
    bound = k / n
    holders = Counter((f, v) for values in compiled.person_values for f, v in enumerate(values))
    for pair, quota in zip(compiled.quota_of, compiled.quotas, strict=True):
        have = holders[pair]
        if have:
            bound = min(bound, quota.max / have)
        if n - have:
            bound = min(bound, (k - quota.min) / (n - have))
    return bound
