"""The downloads are built once for each version of the public data and served from disk after that, so asking
again and again costs a few small queries, not a read of the whole directory."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonweal.directory import export_files, exports
from tests.directory.factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    ("/directory/export/directory.csv", "directory_csv"),
    ("/directory/export/oruk.json", "directory_oruk_json"),
]


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which downloads were built, in order."""
    built: list[str] = []
    for _, name in DOWNLOADS:
        original = getattr(exports, name)

        def counting(*, base_url: str, _original: Any = original, _name: str = name) -> Iterator[str]:
            built.append(_name)
            return _original(base_url=base_url)

        monkeypatch.setattr(exports, name, counting)
    return built


def body(response: Any) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def files() -> list[str]:
    return sorted(p.name for p in (Path(settings.VAR_DIR) / "exports").glob("directory*"))


@pytest.mark.parametrize(("path", "name"), DOWNLOADS)
def test_two_requests_build_the_file_once_and_a_change_builds_a_new_one(
    client: Any, builds: list[str], path: str, name: str
) -> None:
    service = ServiceFactory(name="Food bank", organisation=OrganisationFactory(name="Larder"))
    first = body(client.get(path))
    second = body(client.get(path))
    assert "Food bank" in first and second == first
    assert builds == [name]
    assert len(files()) == 1

    service.name = "Community fridge"
    service.save()
    third = body(client.get(path))
    assert "Community fridge" in third and "Food bank" not in third
    assert builds == [name, name]
    assert len(files()) == 1, "the file for the old data is removed"


def test_a_second_request_reads_no_records_only_a_few_counts(client: Any) -> None:
    for n in range(30):
        ServiceFactory(name=f"Service {n}")
    client.get("/directory/export/directory.csv")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/directory/export/directory.csv").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "directory_service" in q["sql"]]
    assert reads and all("COUNT(" in sql for sql in reads), "services are counted, never read row by row"
    assert len(queries.captured_queries) <= 12


def test_the_download_has_an_etag_and_an_unchanged_copy_is_not_sent_again(client: Any) -> None:
    ServiceFactory(name="Food bank")
    response = client.get("/directory/export/directory.csv")
    assert response.status_code == 200
    assert response["ETag"] and response["Last-Modified"]
    assert response["Content-Disposition"] == 'attachment; filename="directory.csv"'
    again = client.get("/directory/export/directory.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_requests_that_arrive_together_build_the_file_once(db: None) -> None:
    built: list[int] = []

    def slow_build() -> Iterator[str]:
        built.append(1)
        time.sleep(0.2)  # long enough for the other thread to ask while this one builds
        yield "one,two\n"

    paths: list[Path] = []
    threads = [
        threading.Thread(target=lambda: paths.append(export_files.export_file("test.csv", "x", slow_build).path))
        for _ in range(3)
    ]
    version = export_files.data_version("x")
    # The fingerprint is worked out in the main thread's connection; give the threads the same answer.
    original = export_files.data_version
    export_files.data_version = lambda base_url: version  # type: ignore[assignment]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        export_files.data_version = original  # type: ignore[assignment]
    assert built == [1]
    assert len(set(paths)) == 1 and paths[0].read_text() == "one,two\n"
