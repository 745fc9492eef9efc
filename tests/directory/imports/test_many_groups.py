"""A big groups file is saved in bulk: the search index is written by id range (on SQLite the FTS5 table is
rebuilt once rather than row by row), yet every group can be found, every record has its history, and a
failure at the very end still leaves nothing behind. Small sizes stand in for big ones here: the chunk sizes
and the point at which the FTS5 table is rebuilt are made small, so that several chunks and the bulk path run."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from commonweal.accounts.models import Organisation
from commonweal.directory import search
from commonweal.directory.imports import writing
from commonweal.directory.models import ImportRun, Location, SearchText, Service
from commonweal.directory.search import SearchQuery, search_services
from tests.directory.imports.conftest import GROUPS_HEADER, counts

pytestmark = pytest.mark.django_db
GROUPS = ImportRun.Kind.GROUPS_CSV
ROWS = 30


def group(n: int, *, doing: str = "Weekly litter picks.") -> str:
    """A row whose group and service can each be found by a word no other row has."""
    return (
        f"Quokka{n:03d} Friends,A neighbourly group.,,,SW19 2HL,,Abbey,,{doing} Wombat{n:03d}.,Saturdays 10am to 12pm"
    )


def groups_csv(rows: list[str]) -> str:
    return "\n".join([GROUPS_HEADER, *rows]) + "\n"


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several chunks of writing and indexing, and the bulk index path, for a file of a few dozen rows."""
    monkeypatch.setattr(writing.chunks, "__defaults__", (8,))
    monkeypatch.setattr(search, "CHUNK", 7)
    monkeypatch.setattr(search, "FTS_REBUILD_AT", 10)


def found(words: str) -> list[int]:
    return [hit.service_id for hit in search_services(SearchQuery(words=words)).hits]


def test_a_big_file_is_searchable_group_by_group_and_every_record_has_its_history(
    run_import: Any, abbey: Any, small_chunks: None
) -> None:
    run = run_import(GROUPS, groups_csv([group(n) for n in range(ROWS)]))
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.created_count == 3 * ROWS  # an organisation, a service and a place each
    assert SearchText.objects.count() == ROWS
    for n in (0, 7, 13, ROWS - 1):  # the first and last of a chunk, and one between
        service = Service.objects.get(organisation__name=f"Quokka{n:03d} Friends")
        assert found(f"wombat{n:03d}") == [service.pk]
        assert found(f"quokka{n:03d}") == [service.pk]
    for model in (Organisation, Service, Location):
        entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert entries.filter(action=LogEntry.Action.CREATE, additional_data={"import_run": run.pk}).count() == ROWS
        assert set(entries.values_list("object_id", flat=True)) == set(model.objects.values_list("pk", flat=True))


def test_after_a_big_file_a_small_change_still_reaches_the_index(
    run_import: Any, abbey: Any, small_chunks: None
) -> None:
    rows = [group(n) for n in range(ROWS)]
    run_import(GROUPS, groups_csv(rows))
    rows[5] = group(5, doing="Monthly pond clearing.")
    run = run_import(GROUPS, groups_csv(rows))
    assert (run.created_count, run.updated_count) == (0, 1), run.error
    service = Service.objects.get(organisation__name="Quokka005 Friends")
    assert found("pond clearing") == [service.pk]
    assert found("wombat005") == [service.pk]
    assert found("wombat006") != []


def test_a_failure_after_the_index_is_written_leaves_nothing_and_the_next_import_works(
    run_import: Any, abbey: Any, small_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, history = counts(), LogEntry.objects.count()
    real = writing.reindex_services

    def index_then_fail(ids: Any) -> None:
        real(ids)  # everything written and indexed (the FTS5 table rebuilt) before the failure
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(writing, "reindex_services", index_then_fail)
    run = run_import(GROUPS, groups_csv([group(n) for n in range(ROWS)]))
    assert run.status == ImportRun.Status.FAILED
    assert "nothing was changed" in run.error
    assert counts() == before
    assert LogEntry.objects.count() == history
    assert SearchText.objects.count() == 0
    assert found("wombat003") == []

    # The index is whole again: a later import, small enough to be indexed row by row, is found.
    monkeypatch.setattr(writing, "reindex_services", real)
    monkeypatch.setattr(search, "FTS_REBUILD_AT", 1000)
    again = run_import(GROUPS, groups_csv([group(n) for n in range(3)]))
    assert again.status == ImportRun.Status.SUCCEEDED, again.error
    assert found("wombat002") == [Service.objects.get(organisation__name="Quokka002 Friends").pk]
