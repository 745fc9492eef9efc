"""The words of a search, with no Django in sight: splitting text into words, the vocabulary of the
index, correcting a misspelt word to the nearest word the index knows, and distances on the map.

Stemming ('cooking' finds 'cook') is the database's: SQLite's FTS5 porter tokenizer or PostgreSQL's
'english' configuration. What happens here must agree with them, so both see text folded the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

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


def allowed_distance(word: str) -> int:
    """How many edits a correction may make: one for a short word, two for a longer one."""
    return 1 if len(word) <= 4 else 2


def nearest_word(word: str, vocabulary: Vocabulary) -> str | None:
    """The known word fewest edits away (at most allowed_distance), or None if there is none.

    An edit is a letter added, dropped, changed, or two neighbours swapped ('bnak' is one from 'bank').

    Ties go to a word with the same first letter (people rarely mistype the first one), then to the
    word more services use, then alphabetically, so the answer never depends on the order of the index.
    """
    if len(word) < MIN_CORRECTABLE or word.isdigit() or word in vocabulary:
        return None
    limit = allowed_distance(word)
    candidates: list[str] = []
    for length in range(len(word) - limit, len(word) + limit + 1):
        candidates.extend(vocabulary.by_length.get(length, ()))
    if not candidates:
        return None
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not found:
        return None

    def preference(match: tuple[str, float, int]) -> tuple[float, bool, int, str]:
        candidate, distance, _ = match
        return (distance, candidate[0] != word[0], -vocabulary.frequency[candidate], candidate)

    return min(found, key=preference)[0]


def correct(query: list[str], *, is_known: Callable[[str], bool], vocabulary: Vocabulary) -> tuple[list[str], bool]:
    """The query with each unknown word replaced by its nearest known word, and whether any was."""
    corrected: list[str] = []
    changed = False
    for word in query:
        if word in vocabulary or is_known(word):
            corrected.append(word)
            continue
        better = nearest_word(word, vocabulary)
        if better is not None and better != word:
            changed = True
            corrected.append(better)
        else:
            corrected.append(word)
    return list(dict.fromkeys(corrected)), changed


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
