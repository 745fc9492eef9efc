"""An application's answers to its round's questions: the name each answer goes by, and how its words are counted.

Pure (no Django): the form names its fields this way, the service keys the problems it finds by the same names,
and the pages count words as the service does.
"""

from __future__ import annotations

import re

WORDS = re.compile(r"\S+")


def question_field(pk: int) -> str:
    """The name of the answer to question `pk`: the form's field and the key of any problem with it."""
    return f"question_{pk}"


def count_words(text: str) -> int:
    """Words as GOV.UK's character count component counts them: runs of anything but white space."""
    return len(WORDS.findall(text or ""))
