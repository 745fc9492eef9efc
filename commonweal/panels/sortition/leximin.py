"""LEXIMIN (and MAXIMIN) by column generation, as in Flanigan, Gölz, Gupta, Hennig and Procaccia (Nature, 2021).

Over units (interchangeable volunteers counted together, see model.Unit) rather than people: leximin gives
interchangeable people the same probability (its optimum is unique and the problem is symmetric in them), so the
programs work with one probability a unit and lose nothing. For unit u with c_u people, a panel putting z_u of
them on it gives each a chance z_u / c_u.

Level by level, the dual program over the panels found so far is

    minimise  ŷ - Σ_{u fixed} f_u·y_u
    subject to  Σ_u (z_Pu / c_u)·y_u <= ŷ  for every panel P found,   Σ_{u not fixed} y_u = 1,   y >= 0,

solved as it stands by the dual simplex method (the restricted master, kept from level to level so it starts warm). New
panels come first from the pool of panels already found, then from the oracle (oracle.PanelOracle) with per-person
weights y_u / c_u: its quick panel (the linear relaxation, rounded) when that would raise the level, else its best
panel (the integer program, which proves the bound), together with that panel's one-swap neighbours and, once the
master costs hundreds of simplex iterations a solve, more quick panels that avoid the members of those just found
(`spread`); between levels the master drops the panels that price worst, keeping two a group (they stay in the
pool). The oracle is asked at a point between the master's duals and the best duals so far (Wentges smoothing),
which damps the swings that make plain column generation slow. Any duals y give a proven upper bound on the level:
max_P Σ_u (z_Pu / c_u)·y_u - Σ_{u fixed} f_u·y_u; at the first level that is the certificate on the minimum
probability. When the bound meets the master's value (within the tolerance), a unit is fixed at the level only where
proven duals show it cannot rise more than FIX_ERROR above it (bound gap / y_u): first the duals in hand (the last
priced and the best), and only when they prove nobody stuck, the interior point method without crossover for duals in
the middle of the optimal face (it costs dozens of warm simplex solves on a late level's master); else the level is
solved tighter. A final program then spreads any slack over everyone, each at least their fixed level.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from commonweal.panels.sortition.model import Compiled
from commonweal.panels.sortition.oracle import INF, Best, PanelOracle, add_rows, new_highs

PRICING_TOLERANCE = 1e-8  # stop pricing at the first level when no panel beats ŷ by more (chances are 0..1)
LATER_TOLERANCE = 1e-5  # the same for the levels above the minimum, where the paper used 5e-4
FIX_ERROR = 1e-7  # a unit is fixed only when its dual proves it cannot rise more than this above the level
LATER_FIX_ERROR = 1e-6  # the same above the minimum
SMALLEST_TOLERANCE = 1e-10
FIX_THRESHOLD = 1e-6  # a unit's dual above this (of a total 1) fixes it at the level's value
WARM_REPEATS = 8  # the warm start stops after this many panels in a row it had found before
SMOOTHING = 0.7  # Wentges: price at 0.7·(best duals so far) + 0.3·(master's duals)
POOL_COLUMNS = 50  # panels from the pool added to the master at a time
NEIGHBOURS = 5  # extra columns a pricing round: the best panel's one-swap neighbours that also price in
SPREAD = 0.5  # further panels of a round: the members of the last one found weigh this much less (per chance)
SPREAD_WORK = 5  # one further (quick) oracle call a round for every this many simplex iterations the master last took
SPREAD_MOST = 200  # and at most this many
KEEP_COLUMNS = 2  # between levels the master keeps at most this many panels a group (the rest stay in the pool)
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
    """The pool of panels found so far, without repeats, with each one's per-person chance row (z_u / c_u)."""

    def __init__(self, sizes: np.ndarray) -> None:
        self.sizes = sizes
        self.counts: list[np.ndarray] = []
        self.seen: set[bytes] = set()
        self._chances = np.zeros((64, len(sizes)))

    def add(self, counts: np.ndarray) -> bool:
        key = counts.astype(np.int32).tobytes()
        if key in self.seen:
            return False
        self.seen.add(key)
        if len(self.counts) == len(self._chances):
            self._chances = np.vstack([self._chances, np.zeros_like(self._chances)])
        self._chances[len(self.counts)] = counts / self.sizes
        self.counts.append(counts)
        return True

    @property
    def chances(self) -> np.ndarray:
        """A row a panel: the chance it gives each person of each unit."""
        return self._chances[: len(self.counts)]

    def __len__(self) -> int:
        return len(self.counts)


def warm_start(oracle: PanelOracle, panels: Panels, *, rounds: int, deadline: float) -> None:
    """Multiplicative weights: members of each new panel weigh less next time, so the panels found differ."""
    sizes = panels.sizes
    weights = np.ones(len(sizes))
    n = float(sizes.sum())
    repeats = 0
    for _ in range(rounds):
        if time.monotonic() > deadline:
            return
        best = oracle.best(weights)
        if best is None:
            return
        if panels.add(best.counts):
            weights = weights * np.power(0.8, best.counts / sizes)
            weights *= n / float(np.dot(weights, sizes))
            repeats = 0
        else:
            weights = 0.9 * weights + 0.1
            repeats += 1
            if repeats >= WARM_REPEATS:  # the weights have stopped finding new panels: column generation will
                return


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
    """The restricted master program over some of the pool's panels: the dual program above, in HiGHS, solved by the
    dual simplex method, which takes new panels (new rows) up warm. (Its primal, by the primal simplex method, took
    1.5 to 2 times as long to take up 10 to 40 new panels at paper C's fourth level, where the master is most of the
    time.)

    Columns: one y_u a unit in play, then ŷ. Rows: Σ_{u not fixed} y_u = 1, then one a panel,
    Σ_u (z_Pu / c_u)·y_u - ŷ <= 0. Minimise ŷ - Σ_{u fixed} f_u·y_u. Its optimum is the level τ, and the panels' row
    duals (negated) are the primal's weights λ_P.
    """

    def __init__(self, active: np.ndarray, fixed: dict[int, float], panels: Panels, columns: list[int]) -> None:
        self.solver = new_highs()
        self.solver.setOptionValue("simplex_strategy", 1)
        # HiGHS's cost perturbation left a level-3 master on paper C's pool at its optimum with 500 dual
        # infeasibilities it could not clean up in 15,000 iterations; unperturbed, the same solve takes 1,021
        self.solver.setOptionValue("dual_simplex_cost_perturbation_multiplier", 0.0)
        self.solver.setOptionValue("primal_feasibility_tolerance", 1e-10)
        self.solver.setOptionValue("dual_feasibility_tolerance", 1e-10)
        self.panels = panels
        self.units = np.flatnonzero(active)
        self.size = len(active)
        self.fixed = fixed
        count = len(self.units)
        self.solver.addVars(count + 1, np.array([0.0] * count + [-INF]), np.full(count + 1, INF))
        costs = np.array([-fixed.get(int(u), 0.0) for u in self.units] + [1.0])
        self.solver.changeColsCost(count + 1, np.arange(count + 1, dtype=np.int32), costs)
        add_rows(self.solver, [1.0], [1.0], [[(i, 1.0) for i, u in enumerate(self.units) if int(u) not in fixed]])
        self.columns: list[int] = []  # the pool's panels in the master, in row order
        self.iterations = 0  # the simplex iterations of the last solve
        self.add(columns)

    def add(self, columns: list[int]) -> None:
        """Panels of the pool (by index) as new rows."""
        if not columns:
            return
        block = self.panels.chances[columns][:, self.units]
        last = len(self.units)
        rows: list[list[tuple[int, float]]] = []
        for row in block:
            nonzero = np.flatnonzero(row)
            rows.append([*zip(nonzero.tolist(), row[nonzero].tolist(), strict=True), (last, -1.0)])
        add_rows(self.solver, [-INF] * len(rows), [0.0] * len(rows), rows)
        self.columns.extend(columns)

    def prune(self, most: int) -> None:
        """Keep at most `most` panels: drop those with no weight that price worst under the last solve (they stay in
        the pool, and come back from it if they price in again)."""
        if len(self.columns) <= most:
            return
        status = self.solver.getBasis().row_status
        slack = np.array([s == highspy.HighsBasisStatus.kBasic for s in list(status)[1:]])  # so no weight
        activity = np.array(self.solver.getSolution().row_value)[1:]  # <= 0: how far below ŷ the panel prices
        worst = np.argsort(np.where(slack, activity, INF), kind="stable")[: len(self.columns) - most]
        drop = np.sort(worst[slack[worst]])
        if not len(drop):
            return
        self.solver.deleteRows(len(drop), (drop + 1).astype(np.int32))
        gone = set(drop.tolist())
        self.columns = [c for i, c in enumerate(self.columns) if i not in gone]

    def fix(self, unit: int, level: float) -> None:
        """Unit `unit` keeps at least `level` from now on, and no longer counts for τ."""
        column = int(np.searchsorted(self.units, unit))
        self.solver.changeCoeff(0, column, 0.0)
        self.solver.changeColCost(column, -level)
        self.fixed[unit] = level

    def lift_all(self) -> None:
        """The final program: every unit at least its level + τ, so τ (a small margin) is shared by all."""
        for column, unit in enumerate(self.units):
            self.solver.changeCoeff(0, column, 1.0)
            self.solver.changeColCost(column, -self.fixed[int(unit)])

    def solve(self, *, interior: bool = False) -> tuple[np.ndarray, float, float, np.ndarray]:
        """(y over all units, ŷ, τ, λ over the panels in the master). With `interior`, a copy is solved by the
        interior point method without crossover, for duals in the middle of the optimal face (as many positive as
        there can be); this one keeps its warm basis."""
        solver = self.solver
        if interior:
            solver = new_highs()
            solver.passModel(self.solver.getModel())
            solver.setOptionValue("solver", "ipm")
            solver.setOptionValue("run_crossover", "off")
            solver.setOptionValue("ipm_optimality_tolerance", 1e-10)
        else:  # a solve that stalls (as the perturbed one did) stops, and is run on, then from scratch, as below
            solver.setOptionValue("simplex_iteration_limit", 10_000 + 20 * (solver.getNumRow() + solver.getNumCol()))
        solver.run()
        status = solver.getModelStatus()
        if not interior:
            self.iterations = int(solver.getInfo().simplex_iteration_count)
            # the warm simplex can stop part-way on numerical trouble ('Unknown' at n=2000, k=200, level 3): run on
            # from where it stopped, and failing that from scratch, before giving up
            for restart in (lambda: None, solver.clearSolver):
                if status == highspy.HighsModelStatus.kOptimal:
                    break
                restart()
                solver.run()
                status = solver.getModelStatus()
                self.iterations += int(solver.getInfo().simplex_iteration_count)
        if interior and status != highspy.HighsModelStatus.kOptimal:
            return self.solve()  # the interior point method stalled: the simplex method's duals fix fewer, safely
        if status != highspy.HighsModelStatus.kOptimal:
            raise ArithmeticError(f"The level's program ended with status {solver.modelStatusToString(status)}.")
        solution = solver.getSolution()
        values = np.array(solution.col_value)
        y = np.zeros(self.size)
        y[self.units] = np.maximum(values[:-1], 0.0)
        level = float(solver.getInfo().objective_function_value)
        return y, float(values[-1]), level, np.maximum(-np.array(solution.row_dual)[1:], 0.0)


def pool_add(panels: Panels, counts: np.ndarray) -> int | None:
    """Add a panel to the pool; its index, or None if it was there already."""
    return len(panels) - 1 if panels.add(counts) else None


def raises(chances: np.ndarray, y: np.ndarray, y_hat: float) -> bool:
    """Whether a panel giving these chances would raise the master's level under its duals (y, ŷ)."""
    return float(np.dot(chances, y)) > y_hat + 1e-12


def prices_in(panels: Panels, index: int, y: np.ndarray, y_hat: float) -> bool:
    """Whether the pool's panel `index` would raise the master's level under its duals (y, ŷ)."""
    return raises(panels.chances[index], y, y_hat)


def priced(oracle: PanelOracle, weights: np.ndarray, sizes: np.ndarray, y: np.ndarray, y_hat: float) -> Best | None:
    """The oracle's quick panel for `weights` when it is the best or would raise the master's level under its duals
    (y, ŷ); else the best panel, from the full integer program."""
    quick = oracle.quick(weights)
    if quick is not None and (quick.bound <= quick.value or raises(quick.counts / sizes, y, y_hat)):
        return quick
    return oracle.best(weights)


def pool_columns(panels: Panels, program: MasterProgram, y: np.ndarray, y_hat: float, tolerance: float) -> list[int]:
    """Panels already found, not in the master, that would raise the level under duals (y, ŷ): the best first."""
    scores = panels.chances @ y
    scores[program.columns] = -INF
    better = np.flatnonzero(scores > y_hat + tolerance)
    return [int(p) for p in better[np.argsort(-scores[better], kind="stable")[:POOL_COLUMNS]]]


def spread(
    oracle: PanelOracle, panels: Panels, point: np.ndarray, y: np.ndarray, y_hat: float, last: np.ndarray, calls: int
) -> list[int]:
    """More panels for the same round, each the oracle's quick panel at `point` with the members of the panels just
    found weighing less; kept (by index in the pool) when they would raise the master's level under its duals (y, ŷ).

    A round costs a master solve, which grows with the master (thousands of simplex iterations on large pools), and
    the master needs hundreds of panels in its support to hold hundreds of groups at one level: a handful of
    different panels a round reaches it in far fewer rounds than the one best panel and its close neighbours.
    """
    found: list[int] = []
    penalty = np.ones(len(point))
    for _ in range(calls):
        penalty *= np.power(SPREAD, last / panels.sizes)
        best = oracle.quick(point * penalty / panels.sizes)
        if best is None:
            break
        last = best.counts
        index = pool_add(panels, last)
        if index is not None and prices_in(panels, index, y, y_hat):
            found.append(index)
    return found


def proven(free: list[int], proofs: list[tuple[np.ndarray, float]], value: float, allowed: float) -> list[int]:
    """The units not fixed whose dual, in some proof (duals, the bound they give), shows with that bound's gap to the
    level's `value` that they cannot rise more than `allowed` above it."""
    return [
        u for u in free if any(duals[u] > max(FIX_THRESHOLD, max(0.0, gap - value) / allowed) for duals, gap in proofs)
    ]


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
    program = MasterProgram(active, {}, panels, list(range(len(panels))))
    while True:
        level += 1
        tolerance = PRICING_TOLERANCE if level == 1 else LATER_TOLERANCE
        fixed_units = np.array(sorted(fixed), dtype=np.int64)
        fixed_levels = np.array([fixed[int(u)] for u in fixed_units])
        center: np.ndarray | None = None  # the duals with the lowest bound so far (Wentges smoothing)
        level_bound = INF
        smoothing = SMOOTHING
        interior = False
        newly: list[int] = []
        simplex_value = INF
        free = [int(u) for u in np.flatnonzero(active) if int(u) not in fixed]
        while True:
            y, y_hat, value, _ = program.solve(interior=interior)
            y = np.where(active, y, 0.0)
            if interior:
                value = min(value, simplex_value)
            else:
                simplex_value = value
            if time.monotonic() > deadline:
                complete = False
                newly = free
                break
            found = pool_columns(panels, program, y, y_hat, 1e-12)
            if found:
                program.add(found)
                interior = False
                continue
            # price at a point between the master's duals and the best so far, to damp their swings (Wentges)
            point = y if center is None or interior else smoothing * center + (1 - smoothing) * y
            # the bound holds for duals summing to 1 over the units not fixed; the solver's come within its
            # tolerance of that, which at a chance of 0.03 is a few 1e-9 too low a bound: scale them to sum to 1
            total = float(point[free].sum())
            if total > 0:
                point = point / total
            best = priced(oracle, point / panels.sizes, panels.sizes, y, y_hat)
            assert best is not None
            bound = best.bound - float(np.dot(point[fixed_units], fixed_levels))
            if bound < level_bound:
                level_bound, center = bound, point
            if level == 1:
                upper_bound = min(upper_bound, level_bound)
            fresh = [p for p in (pool_add(panels, best.counts),) if p is not None]
            if fresh and prices_in(panels, fresh[0], y, y_hat):
                extra = oracle.neighbours(best.counts, y / panels.sizes, above=y_hat + 1e-12, most=NEIGHBOURS)
                fresh += [p for p in (pool_add(panels, counts) for counts in extra) if p is not None]
                calls = min(SPREAD_MOST, program.iterations // SPREAD_WORK)
                fresh += spread(oracle, panels, point, y, y_hat, best.counts, calls)
            else:
                fresh = []
            allowed = FIX_ERROR if level == 1 else LATER_FIX_ERROR
            proofs = [(point, bound)] + ([(center, level_bound)] if center is not None else [])
            if interior:
                newly = proven(free, proofs, value, allowed)
                if newly:
                    break
                if tolerance <= SMALLEST_TOLERANCE:
                    newly = [max(free, key=lambda u: y[u])]
                    break
                tolerance /= 100  # not proven close enough: tighten the level and look again
                interior = False
            if fresh:
                program.add(fresh)
                interior = False
                smoothing = SMOOTHING
                continue
            if level_bound <= value + tolerance:
                if not levels or value >= 1 - allowed:  # (nobody's chance can pass 1)
                    newly = free
                    break
                # the duals in hand may prove units stuck, sparing the interior point solve (dozens of simplex ones)
                newly = proven(free, proofs, value, allowed)
                if newly:
                    break
                interior = True  # optimal within the tolerance: the interior duals say who is stuck here
                continue
            if not interior:
                smoothing = smoothing / 2 if smoothing > 0.05 else 0.0  # mispriced: move towards the master's duals
        if level == 1:
            say(f"The minimum probability is at most {upper_bound:.6f}; {value:.6f} reached with {len(panels)} panels.")
        for u in newly:
            fixed[u] = max(0.0, value - FIX_MARGIN)
            program.fix(u, fixed[u])
        say(f"Level {level}: {len(newly)} group(s) fixed at {value:.6f} ({len(fixed)} of {int(active.sum())}).")
        if not complete:
            say(f"Stopped at the time limit after {level} level(s); the rest keep at least {value:.6f}.")
        if len(fixed) == int(active.sum()):
            break
        program.prune(int(KEEP_COLUMNS * units))  # only before another level: the final program keeps every panel
    program.lift_all()
    _, _, _, column_weights = program.solve()
    weights = np.zeros(len(panels))
    weights[program.columns] = column_weights
    weights[weights < 1e-12] = 0.0
    weights /= weights.sum()
    chances = weights @ panels.chances
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
