"""The command that rebuilds the search index after an upgrade."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection

from commonweal.directory.models import SearchText
from commonweal.directory.search import SearchQuery, reindex_services, search_services
from tests.directory.factories import OrganisationFactory


def _write_old_way(words: dict[str, str], *, of: Any = None, but: Any = None) -> None:
    """Change the index's words of one service (`of`) or every other (`but`), where search reads them:
    SearchText, and on PostgreSQL each entry's copy (migration 0004)."""
    rows = SearchText.objects.filter(service=of) if of is not None else SearchText.objects.exclude(service=but)
    rows.update(**words)
    if connection.vendor == "postgresql":
        columns = ", ".join(f"{column} = %s" for column in words)
        test = "=" if of is not None else "<>"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE directory_searchentry SET {columns} WHERE service_id {test} %s",  # noqa: S608
                [*words.values(), (of or but).pk],
            )


def test_reindexing_ranks_services_nobody_changed_the_new_way(listed: Callable[..., Any]) -> None:
    listed("Benefits check by phone", organisation=OrganisationFactory(name="Colliers Wood Food Bank"))
    food_bank = listed("Food bank")
    reindex_services()
    # An index written the old way: the organisation's name among the words that weigh most.
    _write_old_way({"keywords": "benefits check by phone colliers wood food bank"}, but=food_bank)
    _write_old_way({"keywords": "", "document": "food bank"}, of=food_bank)
    assert search_services(SearchQuery(words="food bank")).hits[0].service_id != food_bank.pk
    out = StringIO()
    call_command("reindex_search", stdout=out)
    assert out.getvalue().strip() == "Indexed 2 public services."
    assert search_services(SearchQuery(words="food bank")).hits[0].service_id == food_bank.pk
