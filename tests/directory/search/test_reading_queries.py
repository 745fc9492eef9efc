"""What the words a resident types mean, before any database: compounds split and joined, everyday words,
typos corrected with the words around them in mind."""

from __future__ import annotations

import json
from pathlib import Path

from commonweal.directory import search_text
from commonweal.directory.search_text import Alternative, Clause, Plan, Synonyms, Vocabulary, read_query

VOCABULARY = Vocabulary(
    {
        "food": 40,
        "bank": 30,
        "pantry": 10,
        "babysitting": 2,
        "baby": 5,
        "mental": 8,
        "gentle": 12,
        "health": 20,
        "lunch": 9,
        "club": 25,
        "befriending": 7,
    }
)
MEANINGS = Synonyms(
    {
        ("lonely",): (("befriending",), ("social", "groups")),
        ("mental", "health"): (("counselling",),),
        ("free", "food"): (("food", "bank"),),
    }
)


def read(text: str, *, known: tuple[str, ...] = ()) -> Plan:
    return read_query(text, vocabulary=VOCABULARY, is_known=lambda word: word in known, meanings=MEANINGS)


def typed(*phrases: tuple[str, ...]) -> Alternative:
    return Alternative(tuple(phrases))


def test_a_compound_the_index_never_saw_is_split_into_two_words_side_by_side() -> None:
    plan = read("foodbank")
    assert plan.clauses == (Clause((typed(("food", "bank")),)),)
    assert plan.suggestion == "food bank"


def test_a_plural_compound_is_split_too() -> None:
    assert read("foodbanks").clauses == (Clause((typed(("food", "banks")),)),)


def test_two_words_the_index_holds_as_one_also_match_as_one() -> None:
    plan = read("baby sitting", known=("sitting",))
    assert plan.clauses == (Clause((typed(("baby",), ("sitting",)), typed(("babysitting",)))),)
    assert plan.suggestion is None


def test_a_typo_is_corrected_to_the_nearest_known_word() -> None:
    plan = read("food bnak")
    assert plan.clauses == (Clause((typed(("food",)),)), Clause((typed(("bank",)),)))
    assert plan.suggestion == "food bank"


def test_a_typo_is_corrected_to_the_word_that_goes_with_its_neighbour() -> None:
    # 'gentle' is one edit from 'mentle' and 'mental' two, but 'mental health' is a phrase people use.
    plan = read("mentle health")
    assert plan.suggestion == "mental health"
    assert plan.clauses[0].alternatives[0] == typed(("mental",), ("health",))


def test_a_short_word_is_not_corrected_two_letters_away() -> None:
    assert read("fxxd").suggestion is None


def test_an_everyday_word_also_matches_what_services_call_that_help() -> None:
    plan = read("lonely")
    assert plan.clauses == (
        Clause(
            (
                typed(("lonely",)),
                Alternative((("befriending",),), related=True),
                Alternative((("social", "groups"),), related=True),
            )
        ),
    )
    assert plan.has_related and plan.suggestion is None


def test_an_everyday_phrase_is_one_clause_and_the_other_words_still_count() -> None:
    plan = read("free food lunch")
    assert len(plan.clauses) == 2
    assert plan.clauses[0].alternatives[0] == typed(("free",), ("food",))
    assert plan.clauses[1] == Clause((typed(("lunch",)),))


def test_a_misspelt_everyday_word_is_corrected_to_it() -> None:
    assert read("lonley").clauses[0].alternatives[1] == Alternative((("befriending",),), related=True)


def test_the_synonyms_file_reads_and_every_key_and_meaning_is_words() -> None:
    meanings = search_text.synonyms()
    raw = json.loads(Path(search_text.SYNONYMS_FILE).read_text(encoding="utf-8"))["words"]
    assert len(meanings.meanings) == len(raw) >= 40
    assert all(key and values and all(phrase for phrase in values) for key, values in meanings.meanings.items())
    assert ("food", "bank") in meanings.meanings[("food",)]
    assert ("mental", "health") in meanings.pairs


def test_nothing_typed_means_no_clauses() -> None:
    assert read("the and of") == Plan()


def test_a_search_leaves_out_alternatives_another_already_finds() -> None:
    food, larder = typed(("food",)), Alternative((("larder",),), related=True)
    clause = Clause((food, Alternative((("food", "bank"),), related=True), larder))
    assert clause.to_match == (food, larder)
