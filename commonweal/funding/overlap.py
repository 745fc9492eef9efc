"""Do two questions ask the same thing? Pure: no Django.

Two measures, the higher wins: how many of the shorter question's words the other shares (after dropping the
little words every question has, and plural endings), and difflib's ratio of the two as normalised text. A round
whose form asks the same thing twice wastes applicants' time and splits their answer; the set-up pages warn.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

THRESHOLD = 0.6

# Words that say nothing about what a question asks.
LITTLE_WORDS = frozenset(
    """a about an and any are as at be been by can could did do does doing for from had has have how i if in into
    is it its me my no not of on or our ours please say so some tell than that the their them then there these
    they this those to us was we were what when where which who whom why will with would yes you your yours
    group groups organisation organisations""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> frozenset[str]:
    """The words of a question that say what it asks: lower case, without little words or plural endings."""
    found = set()
    for word in _WORD.findall(text.lower().replace("'s", "")):
        if word in LITTLE_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.add(word)
    return frozenset(found)


def similarity(first: str, second: str) -> float:
    """From 0 (nothing in common) to 1 (the same question)."""
    a, b = words(first), words(second)
    if not a or not b:
        return 0.0
    shared = len(a & b) / min(len(a), len(b))
    ratio = SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio()
    return max(shared, ratio)


@dataclass(frozen=True)
class Overlap:
    first: str
    second: str
    score: float


def overlaps(questions: Sequence[str], *, threshold: float = THRESHOLD) -> list[Overlap]:
    """Each pair of questions that seem to ask the same thing, most alike first."""
    found = [
        Overlap(first, second, score)
        for first, second in combinations(questions, 2)
        if (score := similarity(first, second)) >= threshold
    ]
    return sorted(found, key=lambda overlap: -overlap.score)
