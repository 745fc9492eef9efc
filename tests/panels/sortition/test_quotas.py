"""Quota checks: conflicts found before any selection, and the smallest relaxation that makes a panel possible."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from commonweal.panels.sortition import Instance, PoolError, Quota, check_quotas, select
from commonweal.panels.sortition.quotas import relaxation_cost
from tests.panels.sortition.helpers import feasible_panels, person


def pool(n_young: int = 6, n_old: int = 6) -> list:
    people = [person(f"y{i}", age="young", tenure="rent" if i % 3 == 0 else "own") for i in range(n_young)]
    people += [person(f"o{i}", age="old", tenure="own") for i in range(n_old)]
    return people


def four_quotas(
    young: tuple[int, int], old: tuple[int, int], *, rent: tuple[int, int], own: tuple[int, int]
) -> Instance:
    """Five of the pool above, with (min, max) for each age and tenure."""
    bounds = {("age", "young"): young, ("age", "old"): old, ("tenure", "rent"): rent, ("tenure", "own"): own}
    quotas = tuple(Quota(feature, value, low, high) for (feature, value), (low, high) in bounds.items())
    return Instance(people=tuple(pool()), quotas=quotas, k=5)


def test_feasible_quotas_pass() -> None:
    instance = four_quotas((2, 3), (2, 3), rent=(0, 2), own=(2, 5))
    check = check_quotas(instance)
    assert check.feasible
    assert check.problems == [] and check.relaxations == []


def test_minimums_that_add_up_past_k_are_named() -> None:
    instance = four_quotas((3, 4), (3, 4), rent=(0, 5), own=(0, 5))
    check = check_quotas(instance)
    assert not check.feasible
    assert "The minimums for age add up to 6, more than the 5 people to select." in check.problems
    assert check.relaxations
    with pytest.raises(PoolError) as error:
        select(instance)
    assert any("minimums for age" in message for message in error.value.messages)


def test_maximums_that_fall_short_of_k_are_named() -> None:
    instance = four_quotas((0, 2), (0, 2), rent=(0, 5), own=(0, 5))
    check = check_quotas(instance)
    assert "The maximums for age add up to 4, fewer than the 5 people to select." in check.problems


def test_too_few_volunteers_with_a_value() -> None:
    instance = four_quotas((0, 5), (0, 5), rent=(3, 3), own=(0, 5))
    check = check_quotas(instance)
    assert "Only 2 volunteers are tenure 'rent' but the minimum is 3." in check.problems
    assert [(r.feature, r.value, r.bound, r.current, r.suggested) for r in check.relaxations] == [
        ("tenure", "rent", "min", 3, 2)
    ]


def test_a_conflict_only_the_solver_sees_and_its_relaxation_makes_the_quotas_feasible() -> None:
    # renters are all young: at least 2 renters and at most 1 young cannot both hold
    instance = four_quotas((0, 1), (0, 5), rent=(2, 2), own=(0, 5))
    check = check_quotas(instance)
    assert not check.feasible
    assert check.problems[0].startswith("No panel of 5 meets every quota")
    assert check.relaxations
    relaxed = apply(instance, check.relaxations)
    assert check_quotas(relaxed).feasible
    assert cost(check.relaxations) == pytest.approx(cheapest(instance))


def apply(instance: Instance, relaxations: list) -> Instance:
    quotas = []
    for quota in instance.quotas:
        for r in relaxations:
            if (r.feature, r.value) == (quota.feature, quota.value):
                quota = replace(quota, **{r.bound: r.suggested})
        quotas.append(quota)
    return Instance(people=instance.people, quotas=tuple(quotas), k=instance.k)


def cost(relaxations: list) -> float:
    return sum(
        relaxation_cost(r.current) * (r.current - r.suggested) if r.bound == "min" else r.suggested - r.current
        for r in relaxations
    )


def cheapest(instance: Instance) -> float:
    """Every relaxation of up to 2 steps a bound, tried by brute force: the cheapest that has a panel."""
    best = float("inf")
    options = [range(0, min(q.min, 2) + 1) for q in instance.quotas] + [range(0, 3) for _ in instance.quotas]
    count = len(instance.quotas)
    for steps in itertools.product(*options):
        quotas = tuple(
            replace(q, min=q.min - steps[i], max=q.max + steps[count + i]) for i, q in enumerate(instance.quotas)
        )
        price = sum(relaxation_cost(q.min) * steps[i] + steps[count + i] for i, q in enumerate(instance.quotas))
        if price >= best:
            continue
        if feasible_panels(Instance(people=instance.people, quotas=quotas, k=instance.k)):
            best = price
    return best


def test_households_count_in_the_check() -> None:
    # two renters, but they share a household: only one can be selected
    people = [person("r1", tenure="rent", household="flat 1"), person("r2", tenure="rent", household="Flat 1")]
    people += [person(f"o{i}", tenure="own") for i in range(5)]
    instance = Instance(people=tuple(people), quotas=(Quota("tenure", "rent", 2, 2), Quota("tenure", "own", 0, 3)), k=3)
    check = check_quotas(instance)
    assert not check.feasible
    assert "at most one person a household" in check.problems[0]
    assert [(r.bound, r.suggested) for r in check.relaxations] == [("min", 1)]
