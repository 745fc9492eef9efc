"""Suggested keywords and phrases for tagging free-text answers."""

from __future__ import annotations

from commonweal.engagement.keywords import holds, suggest, terms


def test_common_phrases_are_suggested_with_how_many_answers_hold_them_and_stop_words_are_left_out() -> None:
    answers = [
        "The crossing by the library is dangerous.",
        "Please add a crossing by the library!",
        "More trees on the high street.",
        "Trees, and a safer crossing near the high street",
        "I want more trees",
    ]
    found = {s.phrase: s.answers for s in suggest(answers)}
    assert found["crossing"] == 3
    assert found["trees"] == 3
    assert found["high street"] == 2
    assert "high" not in found and "street" not in found  # the phrase says it better
    assert "the" not in found and "more" not in found and "by the" not in found


def test_a_word_said_many_times_in_one_answer_counts_once() -> None:
    assert {s.phrase: s.answers for s in suggest(["parking parking parking", "parking"])}["parking"] == 2


def test_phrases_never_end_with_a_stop_word_and_match_whole_words() -> None:
    assert "park and" not in terms("park and ride")
    assert "park and ride" in terms("park and ride")
    assert holds("We need Park-and-Ride now", "park and ride")
    assert not holds("parkland", "park")
