"""The open count (count.py): funded in order of votes while the pot allows, ties broken by the published rule,
and ballots checked against the budget's rules."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from commonweal.engagement.budgets.count import Project, Rules, ballot_problem, count, ranked, tally

APPROVAL = Rules("approval", max_choices=2, points=10, max_points_per_project=5)
CUMULATIVE = Rules("cumulative", max_choices=2, points=10, max_points_per_project=5)


def p(id_: int, cost: int, votes: int, order: int | None = None) -> Project:
    return Project(id_, Decimal(cost), votes, id_ if order is None else order)


def test_projects_are_funded_down_the_ranking_until_the_pot_runs_out() -> None:
    result = count([p(1, 4000, 30), p(2, 5000, 20), p(3, 3000, 10)], Decimal("10000"))
    assert result.funded == [1, 2]
    assert result.money_left == Decimal("1000")
    assert [place.rank for place in result.places] == [1, 2, 3]


def test_a_project_that_does_not_fit_is_skipped_and_the_next_that_fits_is_funded() -> None:
    result = count([p(1, 6000, 30), p(2, 5000, 20), p(3, 3000, 10)], Decimal("10000"))
    assert result.funded == [1, 3]
    assert result.money_left == Decimal("1000")
    assert not result.places[1].funded


def test_a_tie_goes_to_the_cheaper_project_then_the_earlier_proposal() -> None:
    projects = [p(1, 5000, 10, order=0), p(2, 4000, 10, order=1), p(3, 4000, 10, order=2)]
    assert [x.id for x in ranked(projects)] == [2, 3, 1]
    assert count(projects, Decimal("8000")).funded == [2, 3]


def test_tally_adds_up_the_ballots_points() -> None:
    assert tally([{1: 1, 2: 1}, {2: 1}, {3: 4, 2: 6}]) == {1: 1, 2: 8, 3: 4}


def test_approval_ballot_with_too_many_choices_is_refused() -> None:
    chosen, problem = ballot_problem(APPROVAL, {1: "1", 2: "1", 3: "1"}, [1, 2, 3])
    assert chosen == {}
    assert problem == "You chose 3 projects. Choose no more than 2."


def test_a_project_not_on_the_ballot_is_refused() -> None:
    assert "cannot be voted for" in ballot_problem(APPROVAL, {9: "1"}, [1, 2])[1]


def test_cumulative_points_over_the_allowance_negative_or_not_numbers_are_refused() -> None:
    assert ballot_problem(CUMULATIVE, {1: "5", 2: "5", 3: "1"}, [1, 2, 3])[1] == (
        "You gave 11 points. You have 10 to share out: take 1 off."
    )
    assert "cannot be negative" in ballot_problem(CUMULATIVE, {1: "-1"}, [1])[1]
    assert "whole number" in ballot_problem(CUMULATIVE, {1: "two"}, [1])[1]
    assert "whole number" in ballot_problem(CUMULATIVE, {1: "9" * 1_000_000}, [1])[1]
    assert "no more than 5 points" in ballot_problem(CUMULATIVE, {1: "6"}, [1])[1]
    assert (
        ballot_problem(CUMULATIVE, {1: "4", 2: "", 3: "6"}, [1, 2, 3])[1]
        == "You can give no more than 5 points to one project."
    )
    assert ballot_problem(CUMULATIVE, {1: "4", 2: "", 3: "5"}, [1, 2, 3]) == ({1: 4, 3: 5}, "")


projects_strategy = st.lists(
    st.tuples(st.integers(min_value=1, max_value=20_000), st.integers(min_value=0, max_value=50)),
    min_size=0,
    max_size=25,
)


@given(projects_strategy, st.integers(min_value=0, max_value=100_000))
def test_the_funded_projects_never_cost_more_than_the_pot(rows: list[tuple[int, int]], pot: int) -> None:
    projects = [p(n, cost, votes) for n, (cost, votes) in enumerate(rows)]
    result = count(projects, Decimal(pot))
    spent = sum((x.cost for x in projects if x.id in result.funded), Decimal(0))
    assert spent <= pot
    assert result.money_left == pot - spent
    # Greedy in rank order: every project left out is one that no longer fitted when its turn came.
    for place in result.places:
        if not place.funded:
            assert place.cost > place.money_left


@given(projects_strategy, st.integers(min_value=0, max_value=100_000), st.randoms())
def test_the_funded_set_does_not_depend_on_the_order_projects_are_given(
    rows: list[tuple[int, int]], pot: int, rng: object
) -> None:
    projects = [p(n, cost, votes) for n, (cost, votes) in enumerate(rows)]
    shuffled = list(projects)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert count(shuffled, Decimal(pot)) == count(projects, Decimal(pot))
