"""On PostgreSQL, a search reads its words and its filters from the full-text GIN index in one scan, and the
index answers exactly: no row it finds has to be read again to be thrown away (migration 0003); the index is
on the entries themselves, so nothing is joined (migration 0004). Checked on the plan PostgreSQL itself
chooses for the search's own SQL, over twenty thousand rows of index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.directory.search import SearchQuery, reindex_services, search_services

pytestmark = pytest.mark.django_db

OTHERS = 20_000  # rows of index for other services: enough that PostgreSQL reads by the index, not every row
TEXT_INDEX = "directory_searchentry_search_vector"
NAMES_INDEX = "directory_searchentry_keywords_vector"


def _filler() -> None:
    """Index rows for services that are not the ones searched for. A few say 'free lunch' but cost money:
    a weighted index (words and tags told apart only by weight) found those and had to read them again."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directory_searchtext (service_id, keywords, document, tags) "
            "SELECT n, 'Art class', CASE WHEN n %% 100 = 0 THEN 'A free lunch for everyone who paints' "
            "ELSE 'Paint and draw with others' END, 'paid inperson' FROM generate_series(1000000, %s) n",
            [1000000 + OTHERS - 1],
        )
        cursor.execute(
            "INSERT INTO directory_searchentry (service_id, organisation_id, is_free, in_person, by_phone, online, "
            "updated_at, is_first, name, sort_name, keywords, document, tags) SELECT service_id, 1, false, true, "
            "false, false, now(), true, 'Art class', 'art class', keywords, document, tags "
            "FROM directory_searchtext WHERE service_id >= 1000000"
        )
        # What autovacuum does after many writes: the rows written wait in GIN's pending list until then.
        for index in (TEXT_INDEX, NAMES_INDEX):
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
        cursor.execute("ANALYZE directory_searchtext")
        cursor.execute("ANALYZE directory_searchentry")


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _plan_of_search(query: SearchQuery) -> tuple[list[dict[str, Any]], list[int]]:
    """The nodes of the plan PostgreSQL runs for the search's statement that matches words, and the services
    the search found."""
    with CaptureQueriesContext(connection) as captured:
        found = [hit.service_id for hit in search_services(query).hits]
    statements = [
        q["sql"] for q in captured.captured_queries if "search_vector @@" in q["sql"] and "ORDER BY" in q["sql"]
    ]
    assert statements, "the search matched no words in the full-text index"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statements[-1].replace("%", "%%"))
        plan = cursor.fetchone()[0][0]["Plan"]
    return list(_nodes(plan)), found


def test_words_and_filters_are_one_exact_scan_of_the_gin_index(postgresql: None, listed: Callable[..., Any]) -> None:
    free = listed("Lunch club", description="Hot meals on Tuesdays.", is_free=True)
    listed("Lunch club in the hall", description="Free tea, but the lunch costs three pounds.", is_free=False)
    reindex_services()
    _filler()

    nodes, found = _plan_of_search(SearchQuery(words="lunch", is_free=True))

    assert found == [free.pk]  # 'free' in a description is not the free-of-charge filter
    scans = [node for node in nodes if node.get("Index Name") == TEXT_INDEX]
    assert scans, [(node["Node Type"], node.get("Relation Name")) for node in nodes]
    condition = scans[0]["Index Cond"]
    assert "lunch" in condition and "#free" in condition  # the words and the filter in one scan
    assert not any(node.get("Rows Removed by Index Recheck") for node in nodes)


def test_the_index_is_used_without_words_for_a_filter_alone(postgresql: None, listed: Callable[..., Any]) -> None:
    listed("Lunch club", is_free=True)
    reindex_services()
    _filler()
    with CaptureQueriesContext(connection) as captured:
        search_services(SearchQuery(is_free=True), one_per_name=True)
    statements = [q["sql"] for q in captured.captured_queries if "#free" in q["sql"]]
    assert statements
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + statements[0].replace("%", "%%"))
        nodes = list(_nodes(cursor.fetchone()[0][0]["Plan"]))
    assert any(node.get("Index Name") == TEXT_INDEX for node in nodes), [node["Node Type"] for node in nodes]


def test_a_broad_search_scores_only_the_services_with_the_words_in_their_names(
    postgresql: None, listed: Callable[..., Any]
) -> None:
    """Twenty thousand services say 'lunch', one in ten in its name: the page is ranked from the names' own
    index over those two thousand, and the rest are only counted."""
    listed("Lunch club", is_free=True)
    reindex_services()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO directory_searchentry (service_id, organisation_id, is_free, in_person, by_phone, online, "
            "updated_at, is_first, name, sort_name, keywords, document, tags) SELECT n, 1, true, true, false, false, "
            "now(), true, 'Art class', 'art class', CASE WHEN n %% 10 = 0 THEN 'Lunch and art' ELSE 'Art class' END, "
            "'Bring a packed lunch', 'free inperson' FROM generate_series(1000000, %s) n",
            [1000000 + OTHERS - 1],
        )
        for index in (TEXT_INDEX, NAMES_INDEX):
            cursor.execute(f"SELECT gin_clean_pending_list('{index}')")
        cursor.execute("ANALYZE directory_searchentry")

    with CaptureQueriesContext(connection) as captured:
        page = search_services(SearchQuery(words="lunch", is_free=True))
    assert page.total == OTHERS + 1
    assert len(page.hits) == 20
    ranked = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"] and "score" in q["sql"]]
    assert len(ranked) == 1, "one ranking statement, over the best matches only"
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + ranked[0].replace("%", "%%"))
        nodes = list(_nodes(cursor.fetchone()[0][0]["Plan"]))
    assert any(node.get("Index Name") == NAMES_INDEX for node in nodes), [node["Node Type"] for node in nodes]
    read = max(node["Actual Rows"] for node in nodes if node.get("Relation Name") == "directory_searchentry")
    assert read <= OTHERS // 10 + 1  # 'Lunch club' and the two thousand 'Lunch and art'
