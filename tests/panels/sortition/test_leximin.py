"""LEXIMIN and MAXIMIN on pools whose answer is known by hand or by enumerating every panel."""

from __future__ import annotations

from typing import Any

import highspy
import numpy as np
import pytest

from commonweal.panels.sortition import Instance, Quota, leximin, probability_levels, select
from commonweal.panels.sortition.model import compile_instance
from commonweal.panels.sortition.oracle import PanelOracle
from commonweal.panels.sortition.quotas import simple_upper_bound
from tests.panels.sortition.helpers import (
    assert_sound,
    brute_force_leximin,
    meets_quotas,
    panel_of,
    person,
    random_instance,
)


def symmetric_pool(n: int = 8, k: int = 4) -> Instance:
    people = tuple(
        person(f"v{i}", sex="female" if i % 2 else "male", age="young" if i % 4 < 2 else "old") for i in range(n)
    )
    quotas = (
        Quota("sex", "female", k // 2, k // 2),
        Quota("sex", "male", k // 2, k // 2),
        Quota("age", "young", 1, k - 1),
        Quota("age", "old", 1, k - 1),
    )
    return Instance(people=people, quotas=quotas, k=k)


def test_a_symmetric_pool_gives_everyone_k_over_n() -> None:
    instance = symmetric_pool()
    distribution = select(instance)
    assert_sound(instance, distribution)
    for chance in distribution.probabilities.values():
        assert chance == pytest.approx(0.5, abs=1e-7)
    assert distribution.upper_bound == pytest.approx(0.5, abs=1e-7)
    assert distribution.gap < 1e-6


def test_the_only_volunteer_with_a_rare_value_is_always_selected() -> None:
    people = [person(f"v{i}", tenure="own") for i in range(9)] + [person("rare", tenure="social")]
    quotas = (Quota("tenure", "own", 0, 3), Quota("tenure", "social", 1, 1))
    instance = Instance(people=tuple(people), quotas=quotas, k=4)
    distribution = select(instance)
    assert_sound(instance, distribution)
    assert distribution.probabilities["rare"] == pytest.approx(1.0, abs=1e-7)
    for i in range(9):
        assert distribution.probabilities[f"v{i}"] == pytest.approx(3 / 9, abs=1e-7)
    assert distribution.min_probability == pytest.approx(1 / 3, abs=1e-7)


def assert_matches_brute_force(instance: Instance) -> None:
    distribution = select(instance)
    assert_sound(instance, distribution)
    assert sorted(distribution.probabilities.values()) == pytest.approx(brute_force_leximin(instance), abs=1e-6)
    assert distribution.upper_bound >= distribution.min_probability - 1e-9
    assert distribution.gap < 1e-6


@pytest.mark.parametrize("seed", range(8))
def test_leximin_matches_brute_force_on_small_pools(seed: int) -> None:
    assert_matches_brute_force(random_instance(seed, n=9 + seed % 3, k=3 + seed % 2))


@pytest.mark.parametrize("seed", range(3))
def test_leximin_matches_brute_force_with_households(seed: int) -> None:
    instance = random_instance(seed + 20, n=10, k=4, households=True)
    distribution = select(instance)
    assert_sound(instance, distribution)
    assert sorted(distribution.probabilities.values()) == pytest.approx(brute_force_leximin(instance), abs=1e-6)


def test_housemates_are_never_selected_together() -> None:
    people = [person("a1", household="12 High St", ward="north"), person("a2", household="12 high st ", ward="north")]
    people += [person(f"v{i}", ward="north" if i < 3 else "south") for i in range(6)]
    quotas = (Quota("ward", "north", 2, 3), Quota("ward", "south", 1, 2))
    instance = Instance(people=tuple(people), quotas=quotas, k=4)
    distribution = select(instance)
    assert_sound(instance, distribution)
    for panel, _ in distribution.panels:
        assert not {"a1", "a2"} <= panel
    # housemates are kept apart, but not merged with the interchangeable others
    assert distribution.probabilities["a1"] == pytest.approx(distribution.probabilities["a2"], abs=1e-7)
    assert sorted(distribution.probabilities.values()) == pytest.approx(brute_force_leximin(instance), abs=1e-6)


def test_someone_in_no_feasible_panel_is_reported_and_gets_nothing() -> None:
    # 'x' is young and renting: renters must be old and the young must own, so no panel can hold x
    people = [person("x", age="young", tenure="rent")]
    people += [person(f"r{i}", age="old", tenure="rent") for i in range(3)]
    people += [person(f"o{i}", age="young", tenure="own") for i in range(4)]
    quotas = (
        Quota("age", "young", 2, 2),
        Quota("age", "old", 2, 2),
        Quota("tenure", "rent", 2, 2),
        Quota("tenure", "own", 2, 2),
    )
    instance = Instance(people=tuple(people), quotas=quotas, k=4)
    distribution = select(instance)
    assert_sound(instance, distribution)
    assert distribution.excluded == ("x",)
    assert distribution.probabilities["x"] == 0
    assert distribution.min_probability == pytest.approx(0.5, abs=1e-7)  # the others: 2 of 3 renters, 2 of 4 owners
    assert sorted(distribution.probabilities.values()) == pytest.approx(brute_force_leximin(instance), abs=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_leximin_matches_brute_force_when_every_round_also_prices_panels_that_differ(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on pools this small the master takes too few iterations for the further panels to be asked for: ask always
    monkeypatch.setattr(leximin, "SPREAD_WORK", 1)
    calls: list[int] = []
    spread = leximin.spread
    monkeypatch.setattr(leximin, "spread", lambda *args: calls.append(args[-1]) or spread(*args))
    assert_matches_brute_force(random_instance(seed, n=10 + seed % 3, k=3 + seed % 2))
    assert calls and max(calls) > 0


def rare_renter_pool(owners: int, k: int) -> Instance:
    """Owners of three ages and two sexes, and one social renter the quotas need on every panel: several levels."""
    people = [person(f"v{i}", tenure="own", age="abc"[i % 3], sex="fm"[i * 2 // 3 % 2]) for i in range(owners)]
    people.append(person("rare", tenure="social", age="a", sex="f"))
    quotas = (
        Quota("tenure", "own", 0, k - 1),
        Quota("tenure", "social", 1, 1),
        *(Quota("age", age, 0, 2) for age in "abc"),
        Quota("sex", "f", 1, k - 1),
        Quota("sex", "m", 1, k - 1),
    )
    return Instance(people=tuple(people), quotas=quotas, k=k)


@pytest.mark.parametrize(("owners", "k"), [(9, 4), (11, 4), (11, 5)])
def test_leximin_matches_brute_force_when_the_master_keeps_only_its_basis_between_levels(
    owners: int, k: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leximin, "KEEP_COLUMNS", 0)
    dropped: list[int] = []
    prune = leximin.MasterProgram.prune

    def counting(program: leximin.MasterProgram, most: int) -> None:
        before = len(program.columns)
        prune(program, most)
        dropped.append(before - len(program.columns))
        assert program.solver.getNumRow() == len(program.columns) + 1  # Σ y = 1 and one row a panel kept

    monkeypatch.setattr(leximin.MasterProgram, "prune", counting)
    instance = rare_renter_pool(owners, k)
    assert_matches_brute_force(instance)
    assert sum(dropped) > 0
    assert select(instance).levels >= 2


def test_the_further_panels_of_a_round_are_new_meet_the_quotas_and_would_raise_the_level() -> None:
    people = tuple(person(f"v{i}", a=str(i % 4), b=str(i // 4 % 3), c=str(i // 12 % 3)) for i in range(72))
    quotas = tuple(Quota(f, str(v), 1, 4) for f, values in (("a", 4), ("b", 3), ("c", 3)) for v in range(values))
    instance = Instance(people=people, quotas=quotas, k=8)
    compiled = instance.compiled
    sizes = np.array([len(unit.members) for unit in compiled.units], dtype=np.float64)
    oracle = PanelOracle(compiled)
    panels = leximin.Panels(sizes)
    first = oracle.best(np.ones(len(sizes)))
    assert first is not None
    panels.add(first.counts)
    duals = np.where(first.counts > 0, 0.0, 1.0)  # the first panel's members already have enough
    duals /= duals.sum()
    found = leximin.spread(oracle, panels, duals, duals, 0.0, first.counts, 12)
    assert len(found) >= 6
    assert len({panels.counts[p].tobytes() for p in found}) == len(found) and 0 not in found
    for p in found:
        counts = panels.counts[p]
        assert counts.sum() == instance.k
        assert meets_quotas(instance, panel_of(instance, counts))
        assert float(panels.chances[p] @ duals) > 0.0


@pytest.mark.parametrize("households", [False, True])
def test_the_quick_panel_meets_the_quotas_and_bounds_the_best_from_above(households: bool) -> None:
    rng = np.random.default_rng(7)
    exact = 0
    for seed in range(6):
        instance = random_instance(seed, n=24, k=7, households=households)
        oracle = PanelOracle(instance.compiled)
        for _ in range(15):
            weights = rng.random(oracle.size) ** 3  # skewed, so the relaxation is often fractional
            quick, best = oracle.quick(weights), oracle.best(weights)
            assert quick is not None and best is not None
            assert meets_quotas(instance, panel_of(instance, quick.counts))
            assert quick.value == pytest.approx(float(quick.counts @ weights))
            assert quick.value <= best.value + 1e-9  # no better than the best panel
            assert quick.bound >= best.value - 1e-9  # and its bound holds for every panel
            if quick.bound <= quick.value:  # a whole relaxation: the quick panel is the best
                exact += 1
                assert quick.value == pytest.approx(best.value, abs=1e-9)
    assert exact > 0


def test_pricing_takes_the_quick_panel_when_it_raises_the_level_and_asks_the_full_program_when_not() -> None:
    instance = random_instance(4, n=24, k=7)
    oracle = PanelOracle(instance.compiled)
    sizes = np.array([len(unit.members) for unit in instance.compiled.units], dtype=np.float64)
    weights = np.random.default_rng(3).random(oracle.size) ** 3
    y = weights * sizes
    quick = oracle.quick(weights)
    best = oracle.best(weights)
    assert quick is not None and best is not None
    calls = oracle.calls
    taken = leximin.priced(oracle, weights, sizes, y, quick.value - 1e-6)  # the quick panel raises the level
    assert taken is not None and np.array_equal(taken.counts, quick.counts) and oracle.calls == calls
    asked = leximin.priced(oracle, weights, sizes, y, best.value)  # nothing raises it unless the bound is exact
    assert asked is not None and asked.value == pytest.approx(best.value, abs=1e-9)
    assert oracle.calls == calls + (0 if quick.bound <= quick.value else 1)


def test_maximin_reaches_the_same_minimum_and_leximin_is_at_least_as_good_above_it() -> None:
    instance = random_instance(5, n=11, k=4)
    leximin = select(instance)
    maximin = select(instance, method="maximin")
    assert_sound(instance, maximin)
    assert maximin.min_probability == pytest.approx(leximin.min_probability, abs=1e-6)
    assert maximin.levels == 1
    lex_sorted = sorted(leximin.probabilities.values())
    max_sorted = sorted(maximin.probabilities.values())
    for a, b in zip(lex_sorted, max_sorted, strict=True):  # leximin dominates lexicographically
        if abs(a - b) > 1e-6:
            assert a > b
            break


@pytest.mark.parametrize("seed", range(6))
def test_the_certificate_is_below_the_simple_bounds(seed: int) -> None:
    instance = random_instance(seed, n=12, k=4)
    distribution = select(instance)
    assert distribution.upper_bound <= simple_upper_bound(instance.compiled) + 1e-9
    assert distribution.min_probability <= distribution.upper_bound + 1e-9


def test_interchangeable_people_get_equal_chances_on_a_larger_pool() -> None:
    instance = random_instance(3, n=60, k=12)
    distribution = select(instance)
    assert_sound(instance, distribution)
    by_profile: dict[tuple[str, ...], list[float]] = {}
    for p in instance.people:
        by_profile.setdefault(tuple(sorted(p.features.values())), []).append(distribution.probabilities[p.id])
    for chances in by_profile.values():
        assert max(chances) - min(chances) < 1e-9
    assert probability_levels(distribution.probabilities.values())[0] == pytest.approx(distribution.min_probability)


def test_selection_is_deterministic() -> None:
    instance = random_instance(7, n=40, k=8)
    first, second = select(instance), select(instance)
    assert first.panels == second.panels
    assert first.probabilities == second.probabilities


def test_legacy_meets_quotas_and_is_seeded() -> None:
    instance = random_instance(2, n=30, k=6)
    first = select(instance, method="legacy", seed=3, samples=200)
    assert_sound(instance, first)
    assert first.method == "legacy"
    assert select(instance, method="legacy", seed=3, samples=200).panels == first.panels
    assert sum(weight for _, weight in first.panels) == pytest.approx(1.0)


def test_progress_is_reported() -> None:
    lines: list[str] = []
    select(random_instance(1, n=20, k=5), progress=lines.append)
    assert any("at most" in line for line in lines)


def test_a_time_limit_still_gives_a_sound_distribution_with_a_finite_bound() -> None:
    instance = random_instance(3, n=80, k=12)  # one level: everyone at 12/80, when given the time
    assert select(instance).complete
    distribution = select(instance, time_limit=1e-9)  # stops after its first program, whatever the machine's speed
    assert_sound(instance, distribution)
    assert not distribution.complete
    assert distribution.min_probability <= distribution.upper_bound <= simple_upper_bound(instance.compiled)


def test_everyone_a_quota_always_needs_is_fixed_at_certainty_in_one_level() -> None:
    people = [person(f"v{i}", tenure="own", disabled="no") for i in range(9)]
    people += [person("renter", tenure="social", disabled="no"), person("disabled", tenure="own", disabled="yes")]
    quotas = (
        Quota("tenure", "own", 0, 4),
        Quota("tenure", "social", 1, 1),
        Quota("disabled", "no", 0, 4),
        Quota("disabled", "yes", 1, 1),
    )
    instance = Instance(people=tuple(people), quotas=quotas, k=5)
    distribution = select(instance)
    assert_sound(instance, distribution)
    assert distribution.probabilities["renter"] == pytest.approx(1.0, abs=1e-7)
    assert distribution.probabilities["disabled"] == pytest.approx(1.0, abs=1e-7)
    assert distribution.min_probability == pytest.approx(3 / 9, abs=1e-7)
    compiled = compile_instance(instance)
    result = leximin.find_distribution(compiled)
    assert result.levels == 2
    assert result.log[-1] == "Level 2: 2 group(s) fixed at 1.000000 (3 of 3)."


class StopsPartWay:
    """The master's HiGHS, whose first run stops after one simplex iteration, as a run that meets numerical trouble
    part-way stops."""

    def __init__(self, solver: Any) -> None:
        self.solver = solver
        self.runs = 0
        self.first: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.solver, name)

    def run(self) -> Any:
        self.runs += 1
        if self.runs > 1:
            return self.solver.run()
        self.solver.setOptionValue("simplex_iteration_limit", 1)
        try:
            return self.solver.run()
        finally:
            self.first = self.solver.getModelStatus()
            self.solver.setOptionValue("simplex_iteration_limit", 2**31 - 1)


def test_a_master_solve_that_stops_part_way_runs_on_to_the_optimum() -> None:
    compiled = compile_instance(random_instance(3, n=30, k=6))
    oracle = PanelOracle(compiled)
    sizes = np.array([len(unit.members) for unit in compiled.units], dtype=np.float64)
    panels = leximin.Panels(sizes)
    leximin.warm_start(oracle, panels, rounds=30, deadline=float("inf"))
    assert len(panels) > 5
    whole = leximin.MasterProgram(np.ones(len(sizes), dtype=bool), {}, panels, list(range(len(panels))))
    _, _, expected, _ = whole.solve()
    program = leximin.MasterProgram(np.ones(len(sizes), dtype=bool), {}, panels, list(range(len(panels))))
    stopping = StopsPartWay(program.solver)
    program.solver = stopping
    _, _, value, weights = program.solve()
    assert stopping.first == highspy.HighsModelStatus.kIterationLimit
    assert stopping.runs >= 2
    assert value == pytest.approx(expected, abs=1e-9)
    assert weights.sum() == pytest.approx(1.0, abs=1e-9)
