"""Bad input as a new user makes it, the Sortition Foundation's CSV layouts, and replacements for drop-outs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.panels.sortition import (
    Instance,
    Person,
    PoolError,
    Quota,
    check_quotas,
    read_categories_csv,
    read_people_csv,
    replacement_instance,
    select,
)
from tests.panels.sortition.helpers import assert_sound, person

QUOTAS = (Quota("age", "young", 1, 2), Quota("age", "old", 1, 2))


def messages(error: pytest.ExceptionInfo[PoolError]) -> str:
    return "\n".join(error.value.messages)


def test_a_volunteer_without_a_feature_is_named() -> None:
    with pytest.raises(PoolError) as error:
        Instance(people=(person("v1", age="young"), Person("v2", {"ward": "x"})), quotas=QUOTAS, k=1)
    assert "Volunteer v2 has no value for age." in error.value.messages


def test_a_value_not_in_the_quotas_is_named() -> None:
    with pytest.raises(PoolError) as error:
        Instance(people=(person("v1", age="young"), person("v2", age="ancient")), quotas=QUOTAS, k=1)
    assert (
        "Volunteer v2 has age 'ancient', which is not one of the values the quotas give ('young', 'old')."
        in messages(error)
    )


def test_values_match_whatever_their_case_and_spaces() -> None:
    instance = Instance(people=(person("v1", AGE=" Young "), person("v2", age="OLD")), quotas=QUOTAS, k=2)
    distribution = select(instance)
    assert distribution.probabilities == {"v1": pytest.approx(1.0), "v2": pytest.approx(1.0)}


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (3, "There are only 2 volunteers, fewer than the 3 people to select."),
        (0, "The number to select must be at least 1 (it is 0)."),
    ],
)
def test_k_out_of_range(k: int, expected: str) -> None:
    with pytest.raises(PoolError) as error:
        Instance(people=(person("v1", age="young"), person("v2", age="old")), quotas=QUOTAS, k=k)
    assert expected in error.value.messages


def test_k_beyond_the_number_of_households() -> None:
    people = (person("v1", "h", age="young"), person("v2", "H ", age="old"), person("v3", age="old"))
    with pytest.raises(PoolError) as error:
        Instance(people=people, quotas=QUOTAS, k=3)
    assert "live in only 2 different households" in messages(error)


def test_duplicate_ids_and_bad_numbers() -> None:
    people = (person("v1", age="young"), person("v1", age="old"))
    with pytest.raises(PoolError) as error:
        Instance(people=people, quotas=(Quota("age", "young", 2, 1), Quota("age", "old", -1, 2)), k=1)
    text = messages(error)
    assert "These ids are used by more than one volunteer: v1." in text
    assert "The minimum for age 'young' (2) is more than its maximum (1)." in text
    assert "The quota for age 'old' has a negative number (minimum -1, maximum 2)." in text


CATEGORIES = """\ufeffcategory,name,min,max,min_flex,max_flex
Age,16 to 29,1,3,0,5
Age, 30 and over ,1,3,0,5
Tenure,Owner,0,4,0,5
Tenure,Renter,1,4,0,5
"""
PEOPLE = """id,first_name,Age,Tenure,address1,postcode
1,Ann,16 to 29,owner,1 High St,AB1 2CD
2,Bob,30 and over,RENTER,1 high st ,ab1 2cd
3,Cat,30 and over,Owner,2 Low Rd,AB1 3EF
4,Dan,16 to 29,Renter,3 Low Rd,AB1 3EF
5,Eve,30 and over,Owner,4 Low Rd,AB1 3EF
"""


def test_the_sortition_foundation_layouts_are_read() -> None:
    quotas = read_categories_csv(CATEGORIES)
    assert quotas[1] == Quota("Age", "30 and over", 1, 3)
    people = read_people_csv(PEOPLE, household_columns=["address1", "postcode"])
    assert [p.id for p in people] == ["1", "2", "3", "4", "5"]
    assert people[0].household == people[1].household
    assert people[2].household != people[3].household
    instance = Instance(people=people, quotas=tuple(quotas), k=3)
    assert check_quotas(instance).feasible
    distribution = select(instance)
    for panel, _ in distribution.panels:
        assert not {"1", "2"} <= panel


def test_other_header_spellings() -> None:
    quotas = read_categories_csv("feature,category value,minimum,maximum\nsex,female,1,2\n")
    assert quotas == [Quota("sex", "female", 1, 2)]
    people = read_people_csv("name,sex,ref\nA,female,r1\n", id_column="ref")
    assert people[0].id == "r1" and people[0].features == {"name": "A", "sex": "female"}


def test_bad_category_rows_are_numbered() -> None:
    with pytest.raises(PoolError) as error:
        read_categories_csv("feature,value,min,max\nage,young,one,3\nage,,1,2\n\nage,old,1,2.5\n")
    assert error.value.messages == [
        "Line 2: the min for age 'young' must be a whole number, not 'one'.",
        "Line 3: the feature or the value is blank.",
        "Line 5: the max for age 'old' must be a whole number, not '2.5'.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "The categories file is empty."),
        ("feature,value,min\nage,young,1\n", "it has no max column"),
        ("feature,value,min,max\n", "no quotas under its header"),
    ],
)
def test_bad_categories_files(text: str, expected: str) -> None:
    with pytest.raises(PoolError) as error:
        read_categories_csv(text)
    assert expected in messages(error)


def test_bad_people_files() -> None:
    with pytest.raises(PoolError) as error:
        read_people_csv("id,age\n1,young,extra\n,old\n")
    assert error.value.messages == ["Line 2: it has 3 cells but the header has 2.", "Line 3: the id is blank."]
    with pytest.raises(PoolError, match="no column 'ref'"):
        read_people_csv("id,age\n1,young\n", id_column="ref")
    with pytest.raises(PoolError, match="no column 'street'"):
        read_people_csv("id,age\n1,young\n", household_columns=["street"])


def test_replacements_count_the_people_kept() -> None:
    people = [person(f"y{i}", f"h{i}", age="young") for i in range(4)]
    people += [person(f"o{i}", f"h{i}", age="old") for i in range(4)]  # o_i shares a household with y_i
    people.append(person("o9", age="old"))
    instance = Instance(people=tuple(people), quotas=(Quota("age", "young", 2, 2), Quota("age", "old", 2, 3)), k=4)
    again = replacement_instance(instance, kept=["y0", "y1", "o2"], dropped=["o3"])
    assert again.k == 1
    assert {q.value: (q.min, q.max) for q in again.quotas} == {"young": (0, 0), "old": (1, 2)}
    ids = {p.id for p in again.people}
    assert ids == {"y3", "o9"}  # not kept, not dropped, not a kept person's housemate (o0, o1, y2)
    distribution = select(again)
    assert distribution.probabilities == {"y3": 0.0, "o9": pytest.approx(1.0)}
    assert distribution.excluded == ("y3",)
    with pytest.raises(PoolError, match="nobody to replace"):
        replacement_instance(instance, kept=["y0"], dropped=[])
    with pytest.raises(PoolError, match="zz is not in the pool"):
        replacement_instance(instance, kept=["zz"], dropped=["y0"])


VALUES = st.sampled_from(["a", "b", "c"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(VALUES, VALUES), min_size=4, max_size=9),
    k=st.integers(min_value=1, max_value=4),
    slack=st.integers(min_value=0, max_value=2),
)
def test_any_feasible_small_pool_gives_a_sound_distribution(rows: list[tuple[str, str]], k: int, slack: int) -> None:
    people = tuple(person(f"v{i}", x=x, y=y) for i, (x, y) in enumerate(rows))
    quotas = []
    for feature, column in (("x", 0), ("y", 1)):
        for value in "abc":
            share = sum(1 for row in rows if row[column] == value) * k / len(rows)
            quotas.append(Quota(feature, value, max(0, int(share) - slack), int(share) + 1 + slack))
    k = min(k, len(people))
    instance = Instance(people=people, quotas=tuple(quotas), k=k)
    if not check_quotas(instance).feasible:
        with pytest.raises(PoolError):
            select(instance)
        return
    distribution = select(instance)
    assert_sound(instance, distribution)
    assert distribution.gap < 1e-6
