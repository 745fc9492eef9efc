"""The words of a search, with no Django in sight: splitting text into words, the vocabulary of the
index, correcting a misspelt word to the nearest word the index knows, and distances on the map.

Stemming ('cooking' finds 'cook') is the database's: SQLite's FTS5 porter tokenizer or PostgreSQL's
'english' configuration. What happens here must agree with them, so both see text folded the same way.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

# PostgreSQL's English stop words (snowball 'english.stop'): words too common to search for. SQLite's
# tokenizer keeps them, so they are dropped from every query to make both databases answer alike.
STOPWORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is
    are was were be been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will just don should now
    """.split()
)
# Longer queries are cut short: nobody types more, and each word costs a look-up.
MAX_QUERY_WORDS = 12
# Words this short are never corrected: too many others are one letter away.
MIN_CORRECTABLE = 3
MAX_WORD_LENGTH = 60

_WORD = re.compile(r"[^\W_]+")
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # along a meridian, on the mean Earth radius


def fold(text: str) -> str:
    """Lower case, with accents taken off ('Café' -> 'cafe'), as the SQLite tokenizer folds them."""
    if text.isascii():  # most text, and a hundred times quicker
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    """Every word in the text, folded, in order ('Food-bank, 2 days' -> ['food', 'bank', '2', 'days'])."""
    return [w for w in _WORD.findall(fold(text)) if len(w) <= MAX_WORD_LENGTH]


def _distinct_words(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in words(text[:1000]):
        if word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def query_words(text: str) -> list[str]:
    """The words worth searching for: no stop words, no repeats, at most MAX_QUERY_WORDS of them."""
    return _distinct_words(text)[:MAX_QUERY_WORDS]


def words_left_out(text: str) -> list[str]:
    """The words past the first MAX_QUERY_WORDS, which a search leaves out (so the page can say so)."""
    return _distinct_words(text)[MAX_QUERY_WORDS:]


def document(*parts: str | None) -> str:
    """Text for the index: the words of each part, folded, one part a line.

    Only the words: PostgreSQL's parser would otherwise take '<script>' for markup and leave it out,
    an email address for one token, and so on, and the two databases would find different things.
    """
    lines = (" ".join(_WORD.findall(fold(part))) for part in parts if part)
    return "\n".join(line for line in lines if line)


def is_vocabulary_word(word: str) -> bool:
    """Worth offering as a correction: not a stop word, not a number, not tiny, not absurdly long."""
    return MIN_CORRECTABLE <= len(word) <= MAX_WORD_LENGTH and word not in STOPWORDS and not word.isdigit()


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How many of the texts use each vocabulary word (each text counts a word once)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(set(_WORD.findall(fold(text))))  # every word first: far fewer to check at the end
    return Counter({word: n for word, n in counts.items() if is_vocabulary_word(word)})


@dataclass
class Vocabulary:
    """The words the index knows and how many services use each, arranged for quick correction."""

    frequency: dict[str, int]
    by_length: dict[int, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_length = {}
        for word in self.frequency:
            self.by_length.setdefault(len(word), []).append(word)

    def __contains__(self, word: object) -> bool:
        return word in self.frequency

    def __len__(self) -> int:
        return len(self.frequency)


# Words up to this long may be one edit out, longer ones two: 'cheap' is two edits from 'chat' and 'grief' from
# 'green', but 'councelling' is still 'counselling'.
ONE_EDIT_UP_TO = 5


def allowed_distance(word: str) -> int:
    """How many edits a correction may make: one for a short word, two for a longer one."""
    return 1 if len(word) <= ONE_EDIT_UP_TO else 2


def nearest_word(word: str, vocabulary: Vocabulary) -> str | None:
    """The known word fewest edits away (at most allowed_distance), or None if there is none.

    An edit is a letter added, dropped, changed, or two neighbours swapped ('bnak' is one from 'bank').

    Ties go to a word with the same first letter (people rarely mistype the first one), then to the
    word more services use, then alphabetically, so the answer never depends on the order of the index.
    """
    if len(word) < MIN_CORRECTABLE or word.isdigit() or word in vocabulary:
        return None
    found = _candidates(word, (vocabulary,))
    return found[0] if found else None


# --- what a query means: compounds, everyday words, typos ---------------------------------------

SYNONYMS_FILE = Path(__file__).with_name("search_data") / "synonyms.json"
# Each part of a word split in two ('foodbank' -> 'food bank') is at least this long.
MIN_PART = 3
LONGEST_KEY = 4  # words in the longest everyday phrase looked for


Phrase = tuple[str, ...]  # words side by side, in this order


@dataclass(frozen=True)
class Alternative:
    """One way a clause may match: every phrase in it, anywhere in the text. `related` when it is an everyday
    word's meaning (from the synonyms) rather than what was typed, so that matching it can rank first."""

    phrases: tuple[Phrase, ...]
    related: bool = False


@dataclass(frozen=True)
class Clause:
    """One thing the resident asked for (a word, or an everyday phrase): any of its alternatives must match."""

    alternatives: tuple[Alternative, ...]

    @property
    def to_match(self) -> tuple[Alternative, ...]:
        """The alternatives a search must try: one that holds every word of another finds nothing more ('food
        bank' when 'food' is there too), and costs the index a reading of where each word is."""

        def words_of(alternative: Alternative) -> set[str]:
            return {word for phrase in alternative.phrases for word in phrase}

        kept: list[Alternative] = []
        for alternative in self.alternatives:
            mine = words_of(alternative)
            if not any(other is not alternative and words_of(other) < mine for other in self.alternatives):
                kept.append(alternative)
        return tuple(kept)


@dataclass(frozen=True)
class Plan:
    """The clauses a query's words make, every one of which a service must match, and the words as read
    (split, joined or corrected) when that changed what was typed, for 'Showing results for'."""

    clauses: tuple[Clause, ...] = ()
    suggestion: str | None = None

    @property
    def has_related(self) -> bool:
        return any(alt.related for clause in self.clauses for alt in clause.alternatives)

    @property
    def words(self) -> list[str]:
        """Every word any alternative looks for."""
        found: dict[str, None] = {}
        for clause in self.clauses:
            for alt in clause.alternatives:
                for phrase in alt.phrases:
                    found.update(dict.fromkeys(phrase))
        return list(found)


@dataclass(frozen=True)
class Synonyms:
    """Everyday words (one or more) and what services call the same help, from search_data/synonyms.json."""

    meanings: dict[Phrase, tuple[Phrase, ...]]

    @cached_property
    def words(self) -> set[str]:
        """Every word of every key, for spelling correction: 'lonley' is corrected to 'lonely'."""
        return {word for key in self.meanings for word in key}

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary(dict.fromkeys(self.words, 0))

    @cached_property
    def pairs(self) -> set[tuple[str, str]]:
        """Words that go together in the keys and meanings ('mental health'), to choose between corrections."""
        found: set[tuple[str, str]] = set()
        for key, meanings in self.meanings.items():
            for phrase in (key, *meanings):
                found.update(zip(phrase, phrase[1:], strict=False))
        return found


def read_synonyms(path: Path) -> Synonyms:
    data = json.loads(path.read_text(encoding="utf-8"))
    meanings: dict[Phrase, tuple[Phrase, ...]] = {}
    for key, values in data["words"].items():
        folded = tuple(query_words(key))
        if folded:
            meanings[folded] = tuple(tuple(words(value)) for value in values if words(value))
    return Synonyms(meanings)


@cache
def synonyms() -> Synonyms:
    return read_synonyms(SYNONYMS_FILE)


def split_compound(word: str, vocabulary: Vocabulary) -> Phrase | None:
    """Two known words that run together ('foodbank' -> ('food', 'bank'); 'foodbanks' -> ('food', 'banks')),
    the split whose rarer part is commonest; None if there is none."""
    best: tuple[int, Phrase] | None = None
    for at in range(MIN_PART, len(word) - MIN_PART + 1):
        left, right = word[:at], word[at:]
        known_right = right if right in vocabulary else right[:-1] if right.endswith("s") else ""
        if left not in vocabulary or known_right not in vocabulary or left in STOPWORDS or right in STOPWORDS:
            continue
        score = min(vocabulary.frequency[left], vocabulary.frequency[known_right])
        if best is None or score > best[0]:
            best = (score, (left, right))
    return best[1] if best else None


def _candidates(word: str, vocabularies: Sequence[Vocabulary]) -> list[str]:
    """Known words at most allowed_distance edits away, best first (see nearest_word for the order)."""
    limit = allowed_distance(word)
    found: dict[str, tuple[float, bool, int, str]] = {}
    for vocabulary in vocabularies:
        pool: list[str] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            pool.extend(vocabulary.by_length.get(length, ()))
        for candidate, distance, _ in process.extract(word, pool, scorer=OSA.distance, score_cutoff=limit, limit=None):
            preference = (distance, candidate[0] != word[0], -vocabulary.frequency[candidate], candidate)
            found[candidate] = min(found.get(candidate, preference), preference)
    return sorted(found, key=found.__getitem__)


def _correction(word: str, neighbours: Sequence[str], vocabulary: Vocabulary, meanings: Synonyms) -> str | None:
    """The nearest known word (or everyday word), unless a slightly further one goes with a neighbouring word
    ('mentle health' is 'mental health', not 'gentle health')."""
    if len(word) < MIN_CORRECTABLE or word.isdigit():
        return None
    candidates = _candidates(word, (vocabulary, meanings.vocabulary))
    pairs = meanings.pairs
    for candidate in candidates:
        if any((candidate, other) in pairs or (other, candidate) in pairs for other in neighbours):
            return candidate
    return candidates[0] if candidates else None


def read_query(
    text: str, *, vocabulary: Vocabulary, is_known: Callable[[str], bool], meanings: Synonyms | None = None
) -> Plan:
    """What the words typed mean, as clauses a service must match.

    Each word the index has never seen is split into two it has ('foodbank'), or corrected to the nearest it has
    ('bnak' -> 'bank'); two words typed apart that the index holds as one ('baby sitting') may match as one;
    everyday words and phrases ('lonely', 'mental health') also match what services call that help.
    Plurals and other endings are the database's stemming ('banks' finds 'bank').
    """
    meanings = meanings or synonyms()
    typed = query_words(text)
    if not typed:
        return Plan()
    known = set(meanings.words)

    def is_word(word: str) -> bool:
        return word in vocabulary or word in known or is_known(word)

    # Units: a word, or a word split in two (kept side by side).
    units: list[Phrase] = []
    changed = False
    for n, word in enumerate(typed):
        if is_word(word):
            units.append((word,))
            continue
        split = split_compound(word, vocabulary)
        if split is not None:
            units.append(split)
            changed = True
            continue
        neighbours = [*typed[max(0, n - 1) : n], *typed[n + 1 : n + 2]]
        better = _correction(word, neighbours, vocabulary, meanings)
        if better is not None and better != word:
            units.append((better,))
            changed = True
        else:
            units.append((word,))
    units = list(dict.fromkeys(units))

    clauses: list[Clause] = []
    at = 0
    while at < len(units):
        clause, used = _clause_at(units, at, vocabulary, meanings, is_known)
        clauses.append(clause)
        at += used
    suggestion = " ".join(" ".join(unit) for unit in units) if changed else None
    return Plan(clauses=tuple(clauses), suggestion=suggestion)


def _clause_at(
    units: list[Phrase], at: int, vocabulary: Vocabulary, meanings: Synonyms, is_known: Callable[[str], bool]
) -> tuple[Clause, int]:
    """The clause that starts at units[at], and how many units it takes: the longest everyday phrase there, or
    two words the index also holds as one, or an everyday word, or the unit alone."""

    def everyday(size: int) -> Clause | None:
        taken = units[at : at + size]
        key = tuple(word for unit in taken for word in unit)
        if key not in meanings.meanings:
            return None
        related = tuple(Alternative((phrase,), related=True) for phrase in meanings.meanings[key])
        return Clause((Alternative(tuple(taken)), *related))

    for size in range(min(LONGEST_KEY, len(units) - at), 1, -1):
        phrase = everyday(size)
        if phrase is not None:
            return phrase, size
    unit = units[at]
    if len(unit) == 1 and at + 1 < len(units) and len(units[at + 1]) == 1:
        joined = unit[0] + units[at + 1][0]
        if joined in vocabulary or is_known(joined):
            return Clause((Alternative((unit, units[at + 1])), Alternative(((joined,),)))), 2
    word = everyday(1)
    if word is not None:
        return word, 1
    if len(unit) == 1:
        split = split_compound(unit[0], vocabulary)
        if split is not None:  # a compound the index holds both ways
            return Clause((Alternative((unit,)), Alternative((split,)))), 1
    return Clause((Alternative((unit,)),)), 1


# --- distance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float


def bounding_box(lat: float, lon: float, metres: float) -> Box:
    """The latitudes and longitudes within `metres` of a point lie inside this box (and a little more)."""
    dlat = metres / METRES_PER_DEGREE
    # Longitude degrees shrink towards the poles; take the widest they get inside the box.
    widest = max(abs(lat) + dlat, 0.0)
    cos = math.cos(math.radians(min(widest, 89.9)))
    dlon = metres / (METRES_PER_DEGREE * cos)
    return Box(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def miles(metres: float) -> float:
    return metres / 1609.344
