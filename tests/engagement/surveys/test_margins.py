"""Which margins a wave can be weighted to, and each response's categories in the profile's words (pure)."""

from __future__ import annotations

from commonweal.engagement.surveys import margins, results
from commonweal.places import categories

NAMES = categories.MARGINS


def test_a_margin_nobody_answered_or_the_profile_lacks_is_left_out_with_the_reason() -> None:
    found = margins.usable(
        {"sex": ["Female", "Male", None], "tenure": [None, None, None], "ward": ["Abbey", None, "Abbey"]},
        {"sex": {"Female": 51, "Male": 49}, "tenure": {"Social rented": 10, "Owned": 90}},
        names=NAMES,
        order=("ward", "sex", "tenure"),
    )
    assert list(found.sample) == ["sex"]
    assert "no figures for ward" in found.dropped["ward"]
    assert "No respondent answered the housing tenure question" in found.dropped["tenure"]
    fewer = found.without("sex", "left out")
    assert not fewer.sample and fewer.dropped["sex"] == "left out"


def test_answers_outside_the_profile_categories_count_as_not_answered() -> None:
    found = margins.usable(
        {"sex": ["Female", "Robot", categories.PREFER_NOT_TO_SAY]},
        {"sex": {"Female": 51, "Male": 49}},
        names=NAMES,
        order=("sex",),
    )
    assert found.sample["sex"] == ["Female", None, None]


def test_a_respondent_is_put_in_the_profile_categories() -> None:
    rows = [
        ({}, "Abbey", 72, "Female", "Pakistani", categories.TENURES[1], "a_little"),
        ({}, None, 15, "", "Prefer not to say", "", "not_limited"),
        ({}, "Abbey", None, "Male", "Roma", categories.PREFER_NOT_TO_SAY, ""),
    ]
    sample = results.profile_categories(rows, ["16 to 59", "60 and over"])
    assert sample["age"] == ["60 and over", None, None]
    assert sample["ethnicity"] == [categories.ETHNIC_GROUPS[0], None, "White"]
    assert sample["disability"] == [categories.DISABILITIES[0], categories.DISABILITIES[1], None]
    assert sample["ward"] == ["Abbey", None, "Abbey"]
