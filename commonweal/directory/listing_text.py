"""Free-text notes beside a listing's structured facts: whether a note only repeats them, or contradicts them.

A group types 'Free.' under 'Is it free? Yes', or 'Every Thursday, 10am to 1pm' beside the times it chose; then
it changes the times and forgets the note, and the page says both '9am to 1pm' and '10am to 1pm'. The structured
facts are what search and 'open now' use, so they are the truth: a note that repeats them is not shown, and a note
whose times differ is held back from the public and shown to the group to fix. Pure: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import Enum

DAY_WORDS = {
    "monday": "MO",
    "mon": "MO",
    "tuesday": "TU",
    "tue": "TU",
    "tues": "TU",
    "wednesday": "WE",
    "wed": "WE",
    "thursday": "TH",
    "thu": "TH",
    "thur": "TH",
    "thurs": "TH",
    "friday": "FR",
    "fri": "FR",
    "saturday": "SA",
    "sat": "SA",
    "sunday": "SU",
    "sun": "SU",
}
# Words that only join days and times together: a note made of nothing else says no more than the times do.
JOINING_WORDS = frozenset(
    "every each on from to until till and or the a at between open opens opening closes closing hours times "
    "weekly week weekdays weekday day days daily am pm".split()
)
FREE_WORDS = frozenset(
    {"free", "it is free", "its free", "free of charge", "no charge", "no cost", "there is no charge", "costs nothing"}
)

_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?"
# Never a price ('£3.50') or part of a longer number.
_RANGE = re.compile(rf"(?<![£$\d.,])\b{_CLOCK}\s*(am|pm)?\s*(?:-|–|—|to|until|till)\s*{_CLOCK}\s*(am|pm)\b")
_TIME_12 = re.compile(rf"(?<![£$\d.,])\b{_CLOCK}\s*(am|pm)\b")
_TIME_24 = re.compile(r"(?<![£$\d.,])\b([01]?\d|2[0-3])[:.]([0-5]\d)\b")
_NAMED = {"midday": time(12), "noon": time(12), "midnight": time(0)}


def normalised(text: str) -> str:
    """Lower case, words only, one space between them: how two texts are compared."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", "")))


def _clock(hours: str, minutes: str | None, meridiem: str | None) -> time | None:
    hour, minute = int(hours), int(minutes or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)


def times_in(text: str) -> set[time]:
    """The times of day a note states: '10am', '9:30am', '13:00', 'midday', and both ends of '10-1pm'."""
    lowered = text.lower()
    found: set[time] = set()
    for match in _RANGE.finditer(lowered):
        first_h, first_m, first_meridiem, last_h, last_m, last_meridiem = match.groups()
        last = _clock(last_h, last_m, last_meridiem)
        if last is None:
            continue
        found.add(last)
        if first_meridiem:
            first = _clock(first_h, first_m, first_meridiem)
        else:
            # '2-4pm' is afternoon; '10-1pm' starts in the morning: the same half of the day, unless that is later.
            first = _clock(first_h, first_m, last_meridiem)
            if first is not None and first > last:
                first = _clock(first_h, first_m, "am")
        if first is not None:
            found.add(first)
    for match in _TIME_12.finditer(lowered):
        found.update(t for t in [_clock(*match.groups())] if t is not None)
    for match in _TIME_24.finditer(lowered):
        found.update(t for t in [_clock(match.group(1), match.group(2), None)] if t is not None)
    for word, value in _NAMED.items():
        if re.search(rf"\b{word}\b", lowered):
            found.add(value)
    return found


def _leftover_words(note: str) -> list[str]:
    """The note's words once days, times and joining words are taken out: what it says beyond the times."""
    text = _RANGE.sub(" ", note.lower())
    text = _TIME_12.sub(" ", text)
    text = _TIME_24.sub(" ", text)
    words = []
    for word in normalised(text).split():
        bare = word[:-1] if word.endswith("s") and word[:-1] in DAY_WORDS else word
        if bare in DAY_WORDS or bare in JOINING_WORDS or bare in _NAMED or word.isdigit():
            continue
        words.append(word)
    return words


class NoteVerdict(Enum):
    SHOW = "show"  # it says something the times do not, and does not contradict them
    REPEATS = "repeats"  # it says only what the structured times already say
    CONTRADICTS = "contradicts"  # it states a time the structured times do not have


@dataclass(frozen=True)
class NoteCheck:
    verdict: NoteVerdict
    stated: tuple[time, ...] = ()  # the times the note states that the structured times do not have


def check_time_note(note: str, *, opens: time | None, closes: time | None, words: str = "") -> NoteCheck:
    """What to do with a free-text note beside one schedule (its days and opening and closing times, which
    `words` says in full)."""
    if not note.strip():
        return NoteCheck(NoteVerdict.REPEATS)
    if words and normalised(note) in normalised(words):
        return NoteCheck(NoteVerdict.REPEATS)
    stated = times_in(note)
    if opens is not None and closes is not None and stated:
        other = tuple(sorted(stated - {opens, closes}))
        if other:
            return NoteCheck(NoteVerdict.CONTRADICTS, other)
    if (opens is not None or not stated) and not _leftover_words(note):
        return NoteCheck(NoteVerdict.REPEATS)
    return NoteCheck(NoteVerdict.SHOW)


def cost_note_repeats(note: str, *, is_free: bool) -> bool:
    """Whether a cost note only says 'free' beside a service already marked free ('Free / Free.')."""
    return is_free and normalised(note) in FREE_WORDS
