"""The pure search helpers: words, the vocabulary, spelling correction and distances."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from commonweal.directory import search_text
from commonweal.directory.search_text import Vocabulary


def test_words_are_folded_split_and_keep_their_order() -> None:
    assert search_text.words("Café FOOD-bank, open 2 days!") == ["cafe", "food", "bank", "open", "2", "days"]


def test_a_query_drops_stop_words_and_repeats() -> None:
    assert search_text.query_words("help for the food bank and the FOOD") == ["help", "food", "bank"]


def test_a_query_of_only_stop_words_has_no_words() -> None:
    assert search_text.query_words("the and of") == []


def test_a_very_long_query_is_cut_to_a_dozen_words() -> None:
    text = " ".join(f"word{n}" for n in range(500)) * 40
    assert len(search_text.query_words(text)) == search_text.MAX_QUERY_WORDS


def test_hostile_characters_never_reach_the_index_as_syntax() -> None:
    words = search_text.query_words('"food" OR bank* NEAR(a b) -x ^y \u202e<script>alert(1)</script>')
    assert all(word.isalnum() for word in words)
    assert "script" in words and "food" in words


def test_the_vocabulary_leaves_out_stop_words_numbers_and_tiny_words() -> None:
    assert set(search_text.count_words(["The 24 hour food bank is at St Mark's"])) == {"hour", "food", "bank", "mark"}


def test_words_are_counted_once_per_document() -> None:
    counts = search_text.count_words(["food food bank", "food pantry"])
    assert counts == {"food": 2, "bank": 1, "pantry": 1}


def test_a_misspelt_word_becomes_the_nearest_known_word() -> None:
    vocabulary = Vocabulary({"food": 10, "bank": 8, "benefits": 3})
    assert search_text.nearest_word("fod", vocabulary) == "food"
    assert search_text.nearest_word("benifits", vocabulary) == "benefits"


def test_a_word_too_far_from_any_known_word_is_left_alone() -> None:
    vocabulary = Vocabulary({"food": 10})
    assert search_text.nearest_word("zebra", vocabulary) is None
    # Short words may be one edit out, not two.
    assert search_text.nearest_word("fxxd", vocabulary) is None
    assert search_text.nearest_word("cheap", Vocabulary({"chat": 10})) is None
    assert search_text.nearest_word("mentle", Vocabulary({"mental": 10})) == "mental"


def test_short_words_and_numbers_are_never_corrected() -> None:
    vocabulary = Vocabulary({"art": 3, "2024": 1})
    assert search_text.nearest_word("at", vocabulary) is None
    assert search_text.nearest_word("2025", vocabulary) is None


def test_ties_go_to_the_same_first_letter_then_the_commoner_word() -> None:
    assert search_text.nearest_word("fod", Vocabulary({"god": 50, "food": 1})) == "food"
    assert search_text.nearest_word("fod", Vocabulary({"fold": 1, "food": 9})) == "food"


def test_correcting_a_query_says_whether_anything_changed() -> None:
    vocabulary = Vocabulary({"food": 3, "bank": 3})
    none = search_text.Synonyms({})
    read = search_text.read_query
    assert read("fod bank", is_known=lambda w: False, vocabulary=vocabulary, meanings=none).suggestion == "food bank"
    assert read("food bank", is_known=lambda w: False, vocabulary=vocabulary, meanings=none).suggestion is None


def test_a_word_the_index_knows_by_its_stem_is_not_corrected() -> None:
    vocabulary = Vocabulary({"cook": 3, "cookery": 1})
    plan = search_text.read_query(
        "cooking", is_known=lambda w: w == "cooking", vocabulary=vocabulary, meanings=search_text.Synonyms({})
    )
    assert (plan.words, plan.suggestion) == (["cooking"], None)


@given(
    lat=st.floats(-80, 80),
    lon=st.floats(-179, 179),
    metres=st.floats(10, 50_000),
    bearing=st.floats(0, 2 * math.pi),
    fraction=st.floats(0, 1),
)
def test_every_point_within_the_distance_is_inside_the_box(
    lat: float, lon: float, metres: float, bearing: float, fraction: float
) -> None:
    box = search_text.bounding_box(lat, lon, metres)
    reach = metres * fraction / search_text.METRES_PER_DEGREE
    point_lat = lat + reach * math.cos(bearing)
    point_lon = lon + reach * math.sin(bearing) / math.cos(math.radians(lat))
    assert box.min_lat <= point_lat <= box.max_lat
    assert box.min_lon <= point_lon <= box.max_lon


def test_two_letters_swapped_count_as_one_edit() -> None:
    assert search_text.nearest_word("bnak", Vocabulary({"bank": 1, "book": 9})) == "bank"


def test_a_document_holds_only_words_so_both_databases_read_it_alike() -> None:
    assert search_text.document("<script>alert('x')</script>", None, "", "jo@example.org, Café") == (
        "script alert x script\njo example org cafe"
    )
