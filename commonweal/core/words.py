"""Dates, times and changed texts as GOV.UK's style guide writes them: no Django models, so any page can use them."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from typing import Literal

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def time_words(value: datetime.time | datetime.datetime) -> str:
    """GOV.UK style: 9am, 5:30pm, midday, midnight."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def date_words(value: datetime.date) -> str:
    """GOV.UK style: 5 December 2026 (no leading zero, the month in full, no day of the week)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def datetime_words(value: datetime.datetime) -> str:
    """GOV.UK style: 5 December 2026 at 9:15pm. Give it local time: it shows the clock as it is given."""
    return f"{date_words(value)} at {time_words(value)}"


Change = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Piece:
    """A run of words of a changed text: kept, added or removed. Kept words may be spaced differently in the
    two texts: `text` is as the new text has them, `was` (when it differs) as the old one did."""

    change: Change
    text: str
    was: str = ""

    @property
    def before(self) -> str:
        """The run as the old text has it."""
        return self.was or self.text


# Words with what follows them (spaces, line breaks), so that putting the pieces together gives the texts back.
_WORDS = re.compile(r"\S+\s*|\s+")


def word_diff(before: str, after: str) -> list[Piece]:
    """The whole of both texts, word by word, each run marked kept, removed (only in `before`) or added (only in
    `after`); a replaced run gives the removed words then the added ones. The kept and added pieces read as `after`;
    the kept (as they were: `Piece.before`) and removed ones as `before`."""
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    # autojunk off: in a long text common words would otherwise be ignored and the marks fall in odd places.
    matcher = difflib.SequenceMatcher(a=[w.strip() for w in old], b=[w.strip() for w in new], autojunk=False)
    pieces: list[Piece] = []

    def add(change: Change, words: list[str], was: list[str] | None = None) -> None:
        text, before = "".join(words), "".join(was or [])
        if not text:
            return
        if pieces and pieces[-1].change == change:
            last = pieces[-1]
            pieces[-1] = Piece(change, last.text + text, last.before + before if (last.was or before) else "")
        else:
            pieces.append(Piece(change, text, before if before != text else ""))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", new[j1:j2], old[i1:i2])
        else:
            add("removed", old[i1:i2])
            add("added", new[j1:j2])
    return pieces
