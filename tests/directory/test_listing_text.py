"""A group's free-text notes beside the structured facts: repeats are left out, contradictions held back."""

from __future__ import annotations

from datetime import time

import pytest

from commonweal.directory.listing_text import NoteVerdict, check_time_note, cost_note_repeats, times_in

THURSDAYS = {"opens": time(10), "closes": time(13), "words": "Thursdays, 10am to 1pm"}


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("Every Thursday, 10am to 1pm", {time(10), time(13)}),
        ("10-1pm", {time(10), time(13)}),
        ("2-4pm", {time(14), time(16)}),
        ("9.30am till noon", {time(9, 30), time(12)}),
        ("13:00 to 15:30", {time(13), time(15, 30)}),
        ("Doors open at 10 AM", {time(10)}),
        ("£3.50 a meal, 2 courses", set()),
        ("Term time only", set()),
    ],
)
def test_the_times_a_note_states_are_found(text: str, times: set[time]) -> None:
    assert times_in(text) == times


@pytest.mark.parametrize(
    "note",
    [
        "Every Thursday, 10am to 1pm",
        "Thursdays 10am - 1pm",
        "thursdays, 10:00am to 1:00pm.",
        "Every Thursday",
        "Open 10am until 1pm",
        "",
    ],
)
def test_a_note_that_says_only_what_the_times_say_is_left_out(note: str) -> None:
    assert check_time_note(note, **THURSDAYS).verdict is NoteVerdict.REPEATS


def test_a_note_with_other_times_contradicts_the_structured_times() -> None:
    # The group moved its opening to 9am and forgot the note.
    check = check_time_note(
        "Every Thursday, 10am to 1pm", opens=time(9), closes=time(13), words="Thursdays, 9am to 1pm"
    )
    assert check.verdict is NoteVerdict.CONTRADICTS
    assert check.stated == (time(10),)


@pytest.mark.parametrize("note", ["Term time only", "Not on bank holidays", "Thursdays 10am to 1pm, term time only"])
def test_a_note_that_adds_something_and_agrees_is_shown(note: str) -> None:
    assert check_time_note(note, **THURSDAYS).verdict is NoteVerdict.SHOW


def test_a_note_is_the_only_word_on_times_when_the_schedule_has_none() -> None:
    check = check_time_note("Usually 10am to 1pm", opens=None, closes=None, words="Thursdays")
    assert check.verdict is NoteVerdict.SHOW


@pytest.mark.parametrize(("note", "repeats"), [("Free.", True), ("free of charge", True), ("It's free!", True)])
def test_a_cost_note_that_only_says_free_is_left_out_for_a_free_service(note: str, repeats: bool) -> None:
    assert cost_note_repeats(note, is_free=True) is repeats
    assert cost_note_repeats(note, is_free=False) is False


def test_a_cost_note_that_says_more_than_free_is_kept() -> None:
    assert cost_note_repeats("Free for carers; £2 for everyone else", is_free=True) is False
