"""A resident types their postcode and is told which ward it is in, or plainly why not."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonweal.places.services import PostcodeError, look_up_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sw192hl", "SW19 2HL"),
        ("  Sw19   2hl ", "SW19 2HL"),
        ("SW19 2HL", "SW19 2HL"),
        ("cr4 1aa", "CR4 1AA"),
        ("ＳＷ１９ ２ＨＬ", "SW19 2HL"),
    ],
)
def test_postcodes_are_tidied_into_capitals_with_one_space(typed: str, expected: str) -> None:
    assert normalise_postcode(typed) == expected


def test_a_known_postcode_finds_its_ward(abbey_postcode: Any) -> None:
    found = look_up_postcode("sw19 2hl")
    assert found == abbey_postcode
    assert found.ward.name == "Abbey"


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_postcode_asks_for_one(db: None, typed: str) -> None:
    with pytest.raises(PostcodeError) as error:
        look_up_postcode(typed)
    assert str(error.value) == "Enter a postcode."


@pytest.mark.parametrize("typed", ["SW19", "hello", "12345", "SW19 2HLX", "<script>alert(1)</script>", "SW1٩ 2HL"])
def test_a_malformed_postcode_gives_an_example(db: None, typed: str) -> None:
    with pytest.raises(PostcodeError) as error:
        look_up_postcode(typed)
    assert str(error.value) == "Enter a real postcode, like SW19 2HL."


def test_a_real_looking_postcode_outside_the_council_is_named(abbey_postcode: Any) -> None:
    with pytest.raises(PostcodeError) as error:
        look_up_postcode("sw191zz")
    assert str(error.value) == "SW19 1ZZ is not a postcode in Merton."


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_whatever_is_typed_the_lookup_only_ever_explains(merton: Any, text: str) -> None:
    try:
        look_up_postcode(text)
    except PostcodeError as error:
        assert str(error).endswith(".")
