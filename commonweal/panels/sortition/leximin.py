"""LEXIMIN (and MAXIMIN) by column generation, as in Flanigan, Gölz, Gupta, Hennig and Procaccia (Nature, 2021).

Over units (interchangeable volunteers counted together, see model.Unit) rather than people: leximin gives
interchangeable people the same probability (its optimum is unique and the problem is symmetric in them), so the
programs work with one probability a unit and lose nothing. For unit u with c_u people, a panel putting z_u of
them on it gives each a chance z_u / c_u.

Level by level, the dual program over the panels found so far is

    minimise  ŷ - Σ_{u fixed} f_u·y_u
    subject to  Σ_u (z_Pu / c_u)·y_u <= ŷ  for every panel P found,   Σ_{u not fixed} y_u = 1,   y >= 0,

and the oracle (oracle.PanelOracle) prices a new panel with per-person weights y_u / c_u. When no panel beats ŷ
by more than the tolerance, the level's value is optimal; units with positive dual (an interior solution from the
interior point method without crossover, so as many as possible) cannot do better and are fixed at it. A final
primal program then finds the panels' probabilities, at least each fixed level. The first level's oracle bound
is a certified upper bound on the minimum probability.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from commonweal.panels.sortition.model import Compiled
from commonweal.panels.sortition.oracle import INF, PanelOracle, add_rows, new_highs

PRICING_TOLERANCE = 1e-8  # stop pricing at the first level when no panel beats ŷ by more (chances are 0..1)
LATER_TOLERANCE = 1e-5  # the same for the levels above the minimum, where the paper used 5e-4
FIX_THRESHOLD = 1e-6  # a unit's dual above this (of a total 1) fixes it at the level's value
NEIGHBOURS = 20  # extra columns a pricing round: the best panel's one-swap neighbours that also price in
FIX_MARGIN = 1e-9  # fixed levels are kept this much below the value found, so the next program stays feasible


@dataclass
class UnitDistribution:
    """The result over units: panels as counts per unit with probabilities, each unit's per-person chance."""

    panels: list[np.ndarray]
    weights: np.ndarray
    unit_probabilities: np.ndarray
    upper_bound: float
    excluded_units: list[int]
    levels: int
    complete: bool
    oracle_calls: int
    log: list[str] = field(default_factory=list)


class Panels:
    """The panels found so far, without repeats, with each one's per-person chance row (z_u / c_u)."""

    def __init__(self, sizes: np.ndarray) -> None:
        self.sizes = sizes
        self.counts: list[np.ndarray] = []
        self.chances: list[np.ndarray] = []
        self.seen: set[bytes] = set()

    def add(self, counts: np.ndarray) -> bool:
        key = counts.astype(np.int32).tobytes()
        if key in self.seen:
            return False
        self.seen.add(key)
        self.counts.append(counts)
        self.chances.append(counts / self.sizes)
        return True

    def __len__(self) -> int:
        return len(self.counts)


def warm_start(oracle: PanelOracle, panels: Panels, *, rounds: int, deadline: float) -> None:
    """Multiplicative weights: members of each new panel weigh less next time, so the panels found differ."""
    sizes = panels.sizes
    weights = np.ones(len(sizes))
    n = float(sizes.sum())
    for _ in range(rounds):
        if time.monotonic() > deadline:
            return
        best = oracle.best(weights)
        if best is None:
            return
        if panels.add(best.counts):
            weights = weights * np.power(0.8, best.counts / sizes)
            weights *= n / float(np.dot(weights, sizes))
        else:
            weights = 0.9 * weights + 0.1


def cover(oracle: PanelOracle, panels: Panels) -> list[int]:
    """Find a panel for every unit not yet on one; return the units no panel can include."""
    sizes = panels.sizes
    covered = np.zeros(len(sizes), dtype=bool)
    for counts in panels.counts:
        covered |= counts > 0
    while not covered.all():
        weights = np.where(covered, 0.0, 1.0 / sizes)
        best = oracle.best(weights)
        if best is None or best.value < 0.5 / sizes.max():
            break
        panels.add(best.counts)
        covered |= best.counts > 0
    return [int(u) for u in np.flatnonzero(~covered)]


class MasterProgram:
    """The restricted master program in HiGHS, kept from level to level so the simplex method starts warm.

    Columns: τ, then one λ_P a panel. Rows: one a unit still in play, then Σ λ_P = 1. A unit not fixed has the row
    Σ_P (z_Pu / c_u)·λ_P - τ >= 0; a fixed one Σ_P (z_Pu / c_u)·λ_P >= f_u. Maximise τ. Its row duals are the
    dual program's y (for the units' rows) and ŷ (for the last row).
    """

    def __init__(self, active: np.ndarray, panels: Panels) -> None:
        self.solver = new_highs()
        self.solver.setOptionValue("simplex_strategy", 4)  # primal simplex: new columns keep the basis feasible
        self.solver.setOptionValue("primal_feasibility_tolerance", 1e-10)
        self.solver.setOptionValue("dual_feasibility_tolerance", 1e-10)
        self.units = np.flatnonzero(active)
        self.row_of = {int(u): r for r, u in enumerate(self.units)}
        self.size = len(active)
        self.solver.addVar(-INF, INF)
        self.solver.changeColsCost(1, np.array([0], dtype=np.int32), np.array([1.0]))
        self.solver.changeObjectiveSense(highspy.ObjSense.kMaximize)
        rows: list[list[tuple[int, float]]] = [[(0, -1.0)] for _ in self.units]
        add_rows(self.solver, [0.0] * len(self.units) + [1.0], [INF] * len(self.units) + [1.0], [*rows, []])
        self.columns = 0
        self.add(panels.chances)

    def add(self, chances: list[np.ndarray]) -> None:
        """New panels as columns."""
        if not chances:
            return
        starts: list[int] = []
        indices: list[int] = []
        values: list[float] = []
        last = len(self.units)
        for chance in chances:
            starts.append(len(indices))
            for u in np.flatnonzero(chance):
                row = self.row_of.get(int(u))
                if row is not None:
                    indices.append(row)
                    values.append(float(chance[u]))
            indices.append(last)
            values.append(1.0)
        count = len(chances)
        self.solver.addCols(
            count,
            np.zeros(count),
            np.zeros(count),
            np.full(count, INF),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(values, dtype=np.float64),
        )
        self.columns += count

    def fix(self, unit: int, level: float) -> None:
        """Unit `unit` keeps at least `level` from now on, and no longer counts for τ."""
        row = self.row_of[unit]
        self.solver.changeCoeff(row, 0, 0.0)
        self.solver.changeRowBounds(row, level, INF)

    def lift_all(self, levels: dict[int, float]) -> None:
        """The final program: every unit at least its level + τ, so τ (a small margin) is shared by all."""
        for unit, level in levels.items():
            row = self.row_of[unit]
            self.solver.changeCoeff(row, 0, -1.0)
            self.solver.changeRowBounds(row, level, INF)

    def solve(self, *, interior: bool = False) -> tuple[np.ndarray, float, float, np.ndarray]:
        """(y over all units, ŷ, τ, λ). With `interior`, a copy is solved by the interior point method without
        crossover, for duals in the middle of the optimal face (as many positive as can be); the warm basis of
        this one is kept."""
        solver = self.solver
        if interior:
            solver = new_highs()
            solver.passModel(self.solver.getModel())
            solver.setOptionValue("solver", "ipm")
            solver.setOptionValue("run_crossover", "off")
        solver.run()
        status = solver.getModelStatus()
        if interior and status != highspy.HighsModelStatus.kOptimal:
            return self.solve()  # the interior point method stalled: the simplex method's duals fix fewer, safely
        if status != highspy.HighsModelStatus.kOptimal:
            raise ArithmeticError(f"The level's program ended with status {solver.modelStatusToString(status)}.")
        solution = solver.getSolution()
        duals = np.array(solution.row_dual)
        y = np.zeros(self.size)
        y[self.units] = np.maximum(-duals[: len(self.units)], 0.0)
        values = np.array(solution.col_value)
        return y, float(duals[-1]), float(values[0]), np.maximum(values[1:], 0.0)


def find_distribution(
    compiled: Compiled,
    *,
    levels: bool = True,
    time_limit: float | None = None,
    progress: Callable[[str], None] | None = None,
    method: str = "simplex",
    warm_rounds: int | None = None,
) -> UnitDistribution:
    """LEXIMIN over the instance's units (`levels=False`: MAXIMIN, the first level only)."""
    started = time.monotonic()
    deadline = started + time_limit if time_limit is not None else INF
    log: list[str] = []

    def say(message: str) -> None:
        log.append(message)
        if progress is not None:
            progress(message)

    sizes = np.array([len(unit.members) for unit in compiled.units], dtype=np.float64)
    units = len(sizes)
    oracle = PanelOracle(compiled)
    panels = Panels(sizes)
    first = oracle.best(np.ones(units))
    if first is None:
        raise ArithmeticError("No panel meets every quota.")
    panels.add(first.counts)
    rounds = warm_rounds if warm_rounds is not None else min(3 * units, 60 + units // 4)
    warm_start(oracle, panels, rounds=rounds, deadline=deadline)
    excluded = cover(oracle, panels)
    say(f"{len(panels)} panels from the warm start; {len(excluded)} volunteer group(s) fit no panel.")
    active = np.ones(units, dtype=bool)
    active[excluded] = False

    fixed: dict[int, float] = {}
    upper_bound = INF
    level = 0
    complete = True
    program = MasterProgram(active, panels)
    while len(fixed) < int(active.sum()):
        level += 1
        tolerance = PRICING_TOLERANCE if level == 1 else LATER_TOLERANCE
        while True:
            y, y_hat, value, _ = program.solve()
            weights = np.where(active, y / sizes, 0.0)
            best = oracle.best(weights)
            assert best is not None
            if level == 1:
                upper_bound = min(upper_bound, best.bound)
            out_of_time = time.monotonic() > deadline
            if best.value > y_hat + tolerance and not out_of_time:
                found = [best.counts] + oracle.neighbours(
                    best.counts, weights, above=y_hat + tolerance, most=NEIGHBOURS
                )
                added = [panels.chances[-1] for counts in found if panels.add(counts)]
                if added:
                    program.add(added)
                    continue
            break
        if level == 1:
            say(f"The minimum probability is at most {upper_bound:.6f}; {value:.6f} reached with {len(panels)} panels.")
        free = [int(u) for u in np.flatnonzero(active) if int(u) not in fixed]
        if out_of_time or not levels:
            for u in free:
                fixed[u] = max(0.0, value - FIX_MARGIN)
            if out_of_time:
                complete = False
                say(f"Stopped at the time limit after {level} level(s); the rest keep at least {value:.6f}.")
            break
        y, _, interior_value, _ = program.solve(interior=True)
        value = min(value, interior_value)
        newly = [u for u in free if y[u] > FIX_THRESHOLD] or [max(free, key=lambda u: y[u])]
        for u in newly:
            fixed[u] = max(0.0, value - FIX_MARGIN)
            program.fix(u, fixed[u])
        say(f"Level {level}: {len(newly)} group(s) fixed at {value:.6f} ({len(fixed)} of {int(active.sum())}).")
    program.lift_all(fixed)
    _, _, _, weights = program.solve()
    weights[weights < 1e-12] = 0.0
    weights /= weights.sum()
    matrix = np.array(panels.chances)
    chances = weights @ matrix
    chances[~active] = 0.0
    kept = np.flatnonzero(weights)
    return UnitDistribution(
        panels=[panels.counts[p] for p in kept],
        weights=weights[kept],
        unit_probabilities=chances,
        upper_bound=float(upper_bound),
        excluded_units=excluded,
        levels=level,
        complete=complete,
        oracle_calls=oracle.calls,
        log=log,
    )
