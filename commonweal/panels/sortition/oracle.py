"""The panel oracle: the best panel for given weights, an integer program in HiGHS built once and re-solved.

Variables are the instance's units (interchangeable volunteers counted together, housemates one by one); a panel
is a count per unit. The rows are: the panel has k people, every quota's min and max, at most one a household.
Between calls only the objective changes (`changeColsCost`), so each call starts from the model HiGHS already has.
`quick` answers from the linear relaxation and a small rounding program instead: a good panel in a few milliseconds
with a looser bound, for column generation's many calls that need only a panel raising the level.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from commonweal.panels.sortition.model import Compiled

INF = highspy.kHighsInf


def new_highs(*, time_limit: float | None = None) -> highspy.Highs:
    """A quiet, single-threaded and so deterministic HiGHS."""
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("log_to_console", False)
    solver.setOptionValue("threads", 1)
    solver.setOptionValue("random_seed", 0)
    if time_limit is not None:
        solver.setOptionValue("time_limit", max(float(time_limit), 1.0))
    return solver


def add_rows(
    solver: highspy.Highs, lower: list[float], upper: list[float], rows: list[list[tuple[int, float]]]
) -> None:
    """Add rows given as lists of (column, coefficient)."""
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        starts.append(len(indices))
        for column, value in row:
            indices.append(column)
            values.append(value)
    solver.addRows(
        len(rows),
        np.array(lower, dtype=np.float64),
        np.array(upper, dtype=np.float64),
        len(indices),
        np.array(starts, dtype=np.int32),
        np.array(indices, dtype=np.int32),
        np.array(values, dtype=np.float64),
    )


def panel_rows(compiled: Compiled) -> tuple[list[float], list[float], list[list[tuple[int, float]]]]:
    """The rows every panel meets, over the unit columns 0..U-1: size k, each quota, each shared household."""
    units = compiled.units
    lower: list[float] = [float(compiled.k)]
    upper: list[float] = [float(compiled.k)]
    rows: list[list[tuple[int, float]]] = [[(u, 1.0) for u in range(len(units))]]
    for (f, v), quota in zip(compiled.quota_of, compiled.quotas, strict=True):
        lower.append(float(quota.min))
        upper.append(float(quota.max))
        rows.append([(u, 1.0) for u, unit in enumerate(units) if unit.values[f] == v])
    household_units: dict[int, list[int]] = {}
    for u, unit in enumerate(units):
        if unit.household is not None:
            household_units.setdefault(unit.household, []).append(u)
    for members in household_units.values():
        lower.append(-INF)
        upper.append(1.0)
        rows.append([(u, 1.0) for u in members])
    return lower, upper, rows


def add_unit_columns(solver: highspy.Highs, compiled: Compiled) -> None:
    """One integer column a unit: how many of its people are on the panel."""
    count = len(compiled.units)
    sizes = np.array([len(unit.members) for unit in compiled.units], dtype=np.float64)
    solver.addVars(count, np.zeros(count), sizes)
    solver.changeColsIntegrality(
        count, np.arange(count, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * count)
    )


@dataclass
class Best:
    """The oracle's answer: a panel (count per unit), its weight, and a proven upper bound on any panel's weight."""

    counts: np.ndarray
    value: float
    bound: float


class PanelOracle:
    """Finds a panel of greatest weight; `None` when no panel meets the quotas."""

    def __init__(self, compiled: Compiled, *, gap: float = 1e-9) -> None:
        self.compiled = compiled
        self.size = len(compiled.units)
        rows = panel_rows(compiled)  # built once for the three programs
        self.solver = self._program(rows, integer=True, gap=gap)
        self.solver.setOptionValue("presolve", "off")
        # the LP relaxation is nearly whole and the root's own rounding finds the best panel: feasibility jump and
        # the root reduced-cost heuristic took 40% of the oracle's time and found nothing better (n=500, k=30)
        self.solver.setOptionValue("mip_heuristic_run_feasibility_jump", False)
        self.solver.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
        self.calls = 0
        # for neighbours: each unit's quota rows, and the quota bounds
        quota_row = {pair: q for q, pair in enumerate(compiled.quota_of)}
        self.unit_quotas = np.array(
            [[quota_row[(f, v)] for f, v in enumerate(unit.values)] for unit in compiled.units], dtype=np.int64
        ).reshape(self.size, len(compiled.features))
        self.quota_min = np.array([q.min for q in compiled.quotas], dtype=np.int64)
        self.quota_max = np.array([q.max for q in compiled.quotas], dtype=np.int64)
        self.unit_sizes = np.array([len(unit.members) for unit in compiled.units], dtype=np.int64)
        self.in_household = np.array([unit.household is not None for unit in compiled.units])
        # for quick answers: the same rows as a linear program, and a small integer program over its rounding
        self.relaxed = self._program(rows, integer=False)
        self.rounding = self._program(rows, integer=True)

    def _program(
        self, rows: tuple[list[float], list[float], list[list[tuple[int, float]]]], *, integer: bool, gap: float = 1e-9
    ) -> highspy.Highs:
        """The panel's rows over the unit columns, maximising; whole counts, or (not `integer`) its relaxation."""
        solver = new_highs()
        solver.setOptionValue("mip_rel_gap", gap)
        solver.setOptionValue("mip_abs_gap", 1e-12)
        add_unit_columns(solver, self.compiled)
        add_rows(solver, *rows)
        solver.changeObjectiveSense(highspy.ObjSense.kMaximize)
        if not integer:
            solver.setOptionValue("presolve", "off")
            solver.changeColsIntegrality(
                self.size,
                np.arange(self.size, dtype=np.int32),
                np.array([highspy.HighsVarType.kContinuous] * self.size),
            )
        return solver

    def best(self, unit_weights: np.ndarray) -> Best | None:
        """The panel maximising the sum over its members of their unit's weight (per person)."""
        self.calls += 1
        solver = self.solver
        solver.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), np.asarray(unit_weights, dtype=float))
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        solution = solver.getSolution()
        if not solution.value_valid:
            return None
        counts = np.rint(np.array(solution.col_value)).astype(np.int64)
        info = solver.getInfo()
        value = float(np.dot(counts, unit_weights))
        bound = float(info.mip_dual_bound) if status == highspy.HighsModelStatus.kOptimal else INF
        return Best(counts=counts, value=value, bound=max(bound, value))

    def quick(self, unit_weights: np.ndarray) -> Best | None:
        """A good panel fast, with a proven but looser bound: the linear relaxation (a few milliseconds, warm), whose
        optimum is the best panel when it is whole; else the best panel that rounds each fractional count of it up
        or down (a small integer program over a handful of columns), bounded by the relaxation's value. On a pool
        of 1,727 in 1,031 groups with seven features, 3 + 10 ms against the full program's 230 ms, and within
        0.5% of the best panel's weight in nine calls out of ten. `None` when it finds nothing: ask `best`."""
        columns = np.arange(self.size, dtype=np.int32)
        weights = np.asarray(unit_weights, dtype=float)
        relaxed = self.relaxed
        relaxed.changeColsCost(self.size, columns, weights)
        relaxed.run()
        if relaxed.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.array(relaxed.getSolution().col_value)
        bound = float(relaxed.getInfo().objective_function_value)
        counts = np.rint(x)
        if np.abs(x - counts).max() > 1e-7:
            rounding = self.rounding
            rounding.changeColsCost(self.size, columns, weights)
            rounding.changeColsBounds(self.size, columns, np.floor(x + 1e-7), np.ceil(x - 1e-7))
            rounding.run()
            solution = rounding.getSolution()
            if rounding.getModelStatus() != highspy.HighsModelStatus.kOptimal or not solution.value_valid:
                return None
            counts = np.rint(np.array(solution.col_value))
        found = counts.astype(np.int64)
        value = float(np.dot(found, weights))
        return Best(counts=found, value=value, bound=max(bound, value))

    def neighbours(self, counts: np.ndarray, unit_weights: np.ndarray, *, above: float, most: int) -> list[np.ndarray]:
        """Panels one swap away from `counts` (one person out, one of another unit in) that still meet every quota
        and weigh more than `above`, heaviest first: cheap extra columns beside the oracle's best."""
        weights = np.asarray(unit_weights, dtype=float)
        value = float(np.dot(counts, weights))
        filled = np.zeros(len(self.quota_min), dtype=np.int64)
        np.add.at(filled, self.unit_quotas, counts[:, None])
        can_lose = filled > self.quota_min  # a quota that can lose one member
        can_gain = filled < self.quota_max
        out_units = np.flatnonzero(counts > 0)
        in_units = np.flatnonzero((counts < self.unit_sizes) & ~self.in_household)
        if not len(out_units) or not len(in_units):
            return []
        gain = value - weights[out_units][:, None] + weights[in_units][None, :]
        fine = gain > above
        if not fine.any():
            return []
        qa = self.unit_quotas[out_units][:, None, :]
        qb = self.unit_quotas[in_units][None, :, :]
        same = qa == qb
        fine &= np.all(same | (can_lose[qa] & can_gain[qb]), axis=2)
        fine &= out_units[:, None] != in_units[None, :]
        rows, cols = np.nonzero(fine)
        if not len(rows):
            return []
        order = np.argsort(-gain[rows, cols], kind="stable")[:most]
        found = []
        for at in order:
            new = counts.copy()
            new[out_units[rows[at]]] -= 1
            new[in_units[cols[at]]] += 1
            found.append(new)
        return found
