"""Suggested keywords and phrases for tagging free-text answers: the words and 2- or 3-word phrases that most
answers share, with the stop words left out. Pure: the words are the directory's (folded, split the same way).

A term is counted once per answer that holds it (so one long answer saying 'parking' ten times counts once). A
phrase never starts or ends with a stop word ('the park' is 'park'; 'park and ride' is kept). A word is dropped
from the suggestions when a phrase holding it is in nearly every answer the word is (it adds nothing)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from commonweal.directory.search_text import STOPWORDS, words

MIN_LENGTH = 3
MIN_ANSWERS = 2
MAX_WORDS_READ = 400  # of one answer: enough to find its themes


@dataclass(frozen=True)
class Suggestion:
    phrase: str
    answers: int


def terms(text: str) -> set[str]:
    """The words and 2- and 3-word phrases of one answer worth suggesting."""
    said = words(text)[:MAX_WORDS_READ]
    found: set[str] = set()
    for i, word in enumerate(said):
        if word in STOPWORDS or len(word) < MIN_LENGTH or word.isdigit():
            continue
        found.add(word)
        for size in (2, 3):
            gram = said[i : i + size]
            if len(gram) == size and gram[-1] not in STOPWORDS and not gram[-1].isdigit():
                found.add(" ".join(gram))
    return found


def holds(text: str, phrase: str) -> bool:
    """The answer holds the phrase as whole words."""
    wanted = phrase.split()
    said = words(text)[:MAX_WORDS_READ]
    return any(said[i : i + len(wanted)] == wanted for i in range(len(said) - len(wanted) + 1))


def suggest(texts: Iterable[str], *, top: int = 20) -> list[Suggestion]:
    """The terms most answers share, most first (ties: longer phrases first, then alphabetical)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms(text))
    common = {term: n for term, n in counts.items() if n >= MIN_ANSWERS}
    phrases = [t for t in common if " " in t]
    kept = {}
    for term, n in common.items():
        if " " not in term and any(common[p] >= 0.8 * n and term in p.split() for p in phrases):
            continue  # a phrase says it better
        kept[term] = n
    ranked = sorted(kept.items(), key=lambda item: (-item[1], -item[0].count(" "), item[0]))
    return [Suggestion(term, n) for term, n in ranked[:top]]
