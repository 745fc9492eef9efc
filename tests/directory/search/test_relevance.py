"""Residents' everyday searches find the right help first on the demo borough: precision at 5 over the
relevance set (commonweal/directory/search_data/relevance.json), the figure `make bench` prints."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.directory import relevance

pytestmark = pytest.mark.django_db
TARGET = 0.9


def test_the_relevance_set_is_big_and_covers_every_kind_of_query() -> None:
    judgements = relevance.judgements()
    assert len(judgements) >= 40
    assert {j.kind for j in judgements} >= {"compound", "plural", "typo", "everyday"}
    assert all(j.categories or j.names for j in judgements)


def test_precision_at_5_on_the_demo_borough_meets_the_target(demo_borough: Any) -> None:
    measured = relevance.measure_all()
    assert relevance.precision_at_5(measured) >= TARGET, relevance.report(measured)
    # Not one query a resident types finds nothing at all.
    assert all(m.shown for m in measured), relevance.report(measured)


def test_foodbank_finds_a_food_bank_first_on_the_demo(demo_borough: Any) -> None:
    for words in ("foodbank", "food bank", "food bnak"):
        first = relevance.measure(
            relevance.Judgement(words, "compound", frozenset({"food-bank"}), ()), relevance.directory()
        )
        assert first.right == first.possible == 5, (words, first.shown)


@pytest.mark.parametrize("words", ["food bank mitcham", "Mitcham foodbank", "food bank in Mitcham"])
def test_a_place_named_in_the_words_is_where_to_look_not_a_word_to_match(
    demo_borough: Any, client: Any, words: str
) -> None:
    page = client.get("/directory/", {"q": words})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mitcham</bdi> is a place in the borough" in text
    assert "within 2 miles of Mitcham" in text
    names = [r.service.name for r in page.context["results"]]
    assert names and all("food bank" in name.lower() for name in names[:3]), names


def test_a_place_word_that_services_use_is_searched_as_words_first(demo_borough: Any, client: Any) -> None:
    # 'Village' is a ward, but a search that finds something with all its words is left as typed.
    page = client.get("/directory/", {"q": "food bank"})
    assert "is a place in the borough" not in page.content.decode()
    assert page.context["total"] > 0


def test_when_nothing_has_every_word_the_page_shows_what_has_the_rest_and_says_which_word_was_left_out(
    demo_borough: Any, client: Any
) -> None:
    page = client.get("/directory/", {"q": "food bank xylophone"})
    text = page.content.decode()
    assert "Nothing in the directory has every word you typed" in text
    assert "<strong><bdi>xylophone</bdi></strong>" in text
    names = [r.service.name for r in page.context["results"]]
    assert names and "food bank" in names[0].lower(), names


def test_a_search_that_finds_nothing_at_all_still_says_so(demo_borough: Any, client: Any) -> None:
    page = client.get("/directory/", {"q": "xylophone zeppelin"})
    assert page.context["total"] == 0
    assert "Nothing in the directory has every word" not in page.content.decode()
