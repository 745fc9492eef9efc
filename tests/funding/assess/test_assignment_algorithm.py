"""The pure assignment algorithm: balanced, deterministic, never a duplicate or an excluded assessor."""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.funding.assignment import least_loaded, plan_assignments


def test_every_application_gets_the_number_of_assessors_asked_for() -> None:
    plan = plan_assignments(applications=[1, 2, 3], assessors=[10, 11, 12], per_application=2)
    per_application = Counter(application for application, _ in plan.pairs)
    assert per_application == {1: 2, 2: 2, 3: 2}
    assert plan.short == []


def test_least_loaded_first_with_the_lowest_id_breaking_ties() -> None:
    plan = plan_assignments(applications=[1], assessors=[12, 11, 10], per_application=1, load={10: 3, 11: 1, 12: 1})
    assert plan.pairs == [(1, 11)]


def test_excluded_and_current_assessors_are_never_chosen() -> None:
    plan = plan_assignments(
        applications=[1],
        assessors=[10, 11, 12, 13],
        per_application=2,
        current={1: {10}},
        active_counts={1: 0},  # 10 declared a conflict: it does not count, but 10 is not chosen again
        excluded={1: {11}},
    )
    assert sorted(a for _, a in plan.pairs) == [12, 13]


def test_running_again_only_fills_gaps() -> None:
    first = plan_assignments(applications=[1, 2], assessors=[10, 11], per_application=2)
    current: dict[int, set[int]] = {}
    for application, assessor in first.pairs:
        current.setdefault(application, set()).add(assessor)
    again = plan_assignments(
        applications=[1, 2],
        assessors=[10, 11],
        per_application=2,
        current=current,
        active_counts={a: len(s) for a, s in current.items()},
    )
    assert again.pairs == []


def test_an_application_with_too_few_eligible_assessors_is_reported_short() -> None:
    plan = plan_assignments(applications=[1], assessors=[10, 11], per_application=2, excluded={1: {10}})
    assert plan.pairs == [(1, 11)]
    assert plan.short == [1]


def test_least_loaded_of_nobody_is_none() -> None:
    assert least_loaded(candidates=[], load={}) is None
    assert least_loaded(candidates=[5, 3], load={3: 2, 5: 2}) == 3


@settings(max_examples=150, deadline=None)
@given(
    applications=st.integers(min_value=0, max_value=80),
    assessors=st.integers(min_value=1, max_value=15),
    per_application=st.integers(min_value=1, max_value=4),
)
def test_without_exclusions_loads_differ_by_at_most_one(
    applications: int, assessors: int, per_application: int
) -> None:
    per_application = min(per_application, assessors)
    plan = plan_assignments(
        applications=list(range(applications)),
        assessors=list(range(100, 100 + assessors)),
        per_application=per_application,
    )
    loads = Counter(assessor for _, assessor in plan.pairs)
    counts = [loads.get(a, 0) for a in range(100, 100 + assessors)]
    assert max(counts) - min(counts) <= 1
    assert len(plan.pairs) == applications * per_application


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    applications=st.integers(min_value=1, max_value=60),
    assessors=st.integers(min_value=4, max_value=12),
    per_application=st.integers(min_value=1, max_value=2),
)
def test_with_a_conflict_or_two_no_one_is_doubled_and_no_one_is_overloaded(
    data: st.DataObject, applications: int, assessors: int, per_application: int
) -> None:
    pool = list(range(100, 100 + assessors))
    excluded = {
        application: set(data.draw(st.lists(st.sampled_from(pool), max_size=1))) for application in range(applications)
    }
    plan = plan_assignments(
        applications=list(range(applications)), assessors=pool, per_application=per_application, excluded=excluded
    )
    assert len(plan.pairs) == len(set(plan.pairs)), "an application got the same assessor twice"
    assert all(assessor not in excluded[application] for application, assessor in plan.pairs)
    assert plan.short == []
    loads = Counter(assessor for _, assessor in plan.pairs)
    ceiling = math.ceil(len(plan.pairs) / assessors) + 1
    assert max(loads.values()) <= ceiling
