"""Small-number suppression (commonweal.engagement.suppression): no group or count of 1 to 9 is shown, and none
can be worked out by combining or subtracting the views a person may ask for. Property-tested over random small
populations, plus a worked example a reader can check by hand."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator
from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.engagement.suppression import (
    ANSWERED,
    EVERYONE,
    NOT_CHOSEN,
    OTHER,
    SIZE,
    SKIPPED,
    Analysis,
    Group,
    Line,
    Refused,
    Shape,
    combinable_wards,
    pool,
    raw_groups,
    suppress,
)

FIELDS = ("sex", "age")
WARDS = ("1", "2", "3", "none")
SEXES = ("female", "male", "prefer_not", "")
AGES = ("young", "old", "")
SINGLE = Shape("q1", (0, 1, 2, ANSWERED), ((ANSWERED, (0, 1, 2)),))
MULTIPLE = Shape("q2", (0, 1, ANSWERED), (), multiple=True)
SHAPES = (SINGLE, MULTIPLE)


def tally(people: list[dict[str, Any]]) -> tuple[Counter[Group], Counter[tuple[Hashable, Hashable, Group]]]:
    """What the kept tallies hold for these people: respondents per raw group, counts per row per raw group."""
    sizes: Counter[Group] = Counter()
    counts: Counter[tuple[Hashable, Hashable, Group]] = Counter()
    for person in people:
        for group in raw_groups(person["ward"], {"sex": person["sex"], "age": person["age"]}, FIELDS):
            sizes[group] += 1
            if person["single"] is not None:
                counts[("q1", ANSWERED, group)] += 1
                counts[("q1", person["single"], group)] += 1
            if person["multiple"] is not None:
                counts[("q2", ANSWERED, group)] += 1
                for option in person["multiple"]:
                    counts[("q2", option, group)] += 1
    return sizes, counts


person = st.fixed_dictionaries(
    {
        "ward": st.sampled_from(WARDS),
        "sex": st.sampled_from(SEXES),
        "age": st.sampled_from(AGES),
        "single": st.one_of(st.none(), st.sampled_from((0, 1, 2))),
        "multiple": st.one_of(st.none(), st.sets(st.sampled_from((0, 1)))),
    }
)
# Populations skewed so that small groups are common: a few big blocks of alike people and some strays.
block = st.tuples(person, st.integers(min_value=1, max_value=14))
population = st.lists(block, min_size=1, max_size=14).map(lambda blocks: [p for p, n in blocks for _ in range(n)])


def views(analysis: Analysis) -> Iterator[Group]:
    """Every view a person may ask for (the ones `check` lets through)."""
    candidates: list[Group] = [EVERYONE] + [(w, "", "") for w in analysis.ward_group_keys()]
    for field in FIELDS:
        for value in analysis.value_group_keys(field):
            candidates.append(("", field, value))
            candidates += [(w, field, value) for w in analysis.ward_group_keys()]
    for group in candidates:
        try:
            analysis.check(group)
        except Refused:
            continue
        yield group


def rows(shape: Shape) -> tuple[Hashable, ...]:
    return shape.all_rows()


def nests(outer: Group, inner: Group) -> bool:
    """`inner` is a subgroup of `outer` among the views (all > ward > ward x value; all > value > ward x value).
    A value of "" under a field is 'not answered', a group like any other."""
    if outer == EVERYONE:
        return inner != EVERYONE
    ward, field, value = outer
    if not field:
        return inner[0] == ward and inner[1] != ""
    if not ward:
        return inner[0] != "" and inner[1:] == (field, value)
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(population)
def test_no_view_shows_or_lets_anyone_work_out_a_group_or_count_of_fewer_than_ten(people: list[dict[str, Any]]) -> None:
    sizes, counts = tally(people)
    analysis = Analysis(SHAPES, sizes, counts, FIELDS)
    shown_views = list(views(analysis))
    assert EVERYONE in shown_views
    for group in shown_views:
        size = analysis.shown(SIZE, None, group)
        assert size.hidden or not (0 < size.value < 10), (group, size)  # type: ignore[operator]
        for shape in SHAPES:
            for row in rows(shape):
                cell = analysis.shown(shape.key, row, group)
                assert cell.hidden or not (0 < cell.value < 10), (group, shape.key, row, cell)  # type: ignore[operator]
    # Differencing: for nested views, the difference of two shown counts of the same row is 0 or 10+.
    for outer, inner in combinations(shown_views, 2):
        for big, little in ((outer, inner), (inner, outer)):
            if not nests(big, little):
                continue
            for shape in SHAPES:
                for row in (*rows(shape),):
                    a, b = analysis.shown(shape.key, row, big), analysis.shown(shape.key, row, little)
                    if a.hidden or b.hidden:
                        continue
                    difference = a.value - b.value  # type: ignore[operator]
                    assert difference == 0 or difference >= 10, (big, little, shape.key, row, a, b)
            a, b = analysis.shown(SIZE, None, big), analysis.shown(SIZE, None, little)
            if not (a.hidden or b.hidden):
                assert a.value - b.value == 0 or a.value - b.value >= 10  # type: ignore[operator]
    # Every line within a shown group whose total is shown hides parts adding up to 0 or 10+.
    for group in shown_views:
        for shape in SHAPES:
            lines = [(SIZE, (ANSWERED, SKIPPED)), *shape.group_lines()]
            for total, parts in lines:
                shown_total = (
                    analysis.shown(SIZE, None, group) if total == SIZE else analysis.shown(shape.key, total, group)
                )
                if shown_total.hidden:
                    continue
                hidden = [
                    analysis.values.get((shape.key, p, group), 0)
                    for p in parts
                    if analysis.shown(shape.key, p, group).hidden
                ]
                assert sum(hidden) == 0 or sum(hidden) >= 10, (group, shape.key, total, parts)


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.integers(min_value=0, max_value=40)))
def test_pooled_groups_are_never_one_to_nine_unless_they_hold_everyone(sizes: dict[str, int]) -> None:
    groups = pool(sizes)
    totals = Counter()
    for key, group in groups.items():
        totals[group] += sizes[key]
    everyone = sum(sizes.values())
    for n in totals.values():
        assert n >= 10 or n == everyone, (groups, totals)
    assert set(groups) == {k for k, n in sizes.items() if n > 0}


def test_a_worked_example_anyone_can_check_by_hand() -> None:
    """Everyone: 40 answered 'Yes', 'No' or 'Not sure' (28, 7, 5) in two wards.

    Ward A: 25 people, Yes 20, No 5, Not sure 0. Ward B: 15 people, Yes 8, No 2, Not sure 5.
    - Everyone's 'No' (7) and 'Not sure' (5) are 1 to 9: shown as 'fewer than 10'. Their line (40 = 28 + 7 + 5)
      hides 12, which is safe.
    - Ward A's 'No' (5) is hidden; its line 25 = 20 + 5 + 0 would give it away (25 - 20 - 0 = 5), so the
      smallest other non-zero count, 'Yes' (20), is hidden too (hidden sum 25).
    - Ward B: 8, 2 and 5 are all hidden (sum 15, safe).
    - Across wards, everyone's 'Yes' (28) = A (20, hidden) + B (8, hidden): safe. Everyone's 'Yes' stays 28.
    """
    shape = Shape("q", ("yes", "no", "unsure", ANSWERED), ((ANSWERED, ("yes", "no", "unsure")),))
    people = [("A", "yes")] * 20 + [("A", "no")] * 5 + [("B", "yes")] * 8 + [("B", "no")] * 2 + [("B", "unsure")] * 5
    sizes: Counter[Group] = Counter()
    counts: Counter[tuple[Hashable, Hashable, Group]] = Counter()
    for ward, answer in people:
        for group in raw_groups(ward, {}, ()):
            sizes[group] += 1
            counts[("q", ANSWERED, group)] += 1
            counts[("q", answer, group)] += 1
    analysis = Analysis([shape], sizes, counts, ())

    def show(row: str, group: Group) -> str:
        cell = analysis.shown("q", row, group)
        return "fewer than 10" if cell.small else "not shown" if cell.hidden else str(cell.value)

    assert [show(r, EVERYONE) for r in ("yes", "no", "unsure", ANSWERED)] == [
        "28",
        "fewer than 10",
        "fewer than 10",
        "40",
    ]
    a, b = ("A", "", ""), ("B", "", "")
    assert [show(r, a) for r in ("yes", "no", "unsure", ANSWERED)] == ["not shown", "fewer than 10", "0", "25"]
    assert [show(r, b) for r in ("yes", "no", "unsure", ANSWERED)] == [
        "fewer than 10",
        "fewer than 10",
        "fewer than 10",
        "15",
    ]


def test_a_ward_with_fewer_than_ten_is_pooled_with_the_next_smallest() -> None:
    assert pool({"a": 4, "b": 3, "c": 12, "d": 30, "e": 0}) == {"a": OTHER, "b": OTHER, "c": OTHER, "d": "d"}
    assert pool({"a": 4, "b": 8, "c": 30}) == {"a": OTHER, "b": OTHER, "c": "c"}


def test_a_ward_is_withdrawn_from_a_combination_until_every_remainder_is_safe() -> None:
    # Ward x has a cell of 5: refused. Then the 'female' remainder (x's 5 alone) would be 5: the smallest
    # offered ward (y) is withdrawn, making the remainder 5 + 12 = 17.
    cells = {("x", "female"): 5, ("x", "male"): 20, ("y", "female"): 12, ("y", "male"): 0, ("z", "female"): 30}
    found = combinable_wards(cells, ["x", "y", "z"], ["female", "male"])
    assert found.wards == {"z"}
    assert found.refused == {"x": "small", "y": "remainder"}


def test_a_line_with_a_single_hidden_count_hides_another() -> None:
    values = {"t": 30, "a": 4, "b": 12, "c": 14}
    found = suppress(values, [Line("t", ("a", "b", "c"))])
    assert found.hidden == {"a", "b"}
    assert found.primary == {"a"}


def test_a_combined_view_of_a_small_cell_is_refused_with_a_reason() -> None:
    people = [("1", "female")] * 12 + [("1", "male")] * 4 + [("2", "female")] * 20 + [("2", "male")] * 20
    sizes: Counter[Group] = Counter()
    counts: Counter[tuple[Hashable, Hashable, Group]] = Counter()
    for ward, sex in people:
        for group in raw_groups(ward, {"sex": sex}, ("sex",)):
            sizes[group] += 1
    analysis = Analysis([], sizes, counts, ("sex",))
    analysis.check(("2", "", ""))
    try:
        analysis.check(("1", "sex", "female"))
    except Refused as refused:
        assert "fewer than 10" in str(refused)
    else:
        raise AssertionError("ward 1 has 4 men: it may not be split by sex")
    assert NOT_CHOSEN  # the multiple-choice 'did not choose it' rows are covered by the property test
