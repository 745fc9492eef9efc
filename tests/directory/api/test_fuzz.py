"""Schemathesis over every operation of the ORUK API's own OpenAPI document (/api/docs): no input is a 5xx.

Bounded to a few examples per operation so it runs in CI in well under two minutes; bench/fuzz.py runs many more
against a served demo borough. Every generated case is sent: a page number past any integer the database holds and
a search of a hundred words are 400s that say what is allowed, not 5xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings

from tests.directory.api.directory_data import make_directory

EXAMPLES_PER_OPERATION = 25


def _fuzzer(operation: Any, label: str, examples: int, tried: dict[str, int], failures: list[str]) -> Any:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        tried[label] += 1
        # Each case in a savepoint rolled back after it, as each request is a transaction of its own when served:
        # on PostgreSQL a query the API refused (a 4xx) must not abort the test's transaction for the next case.
        savepoint = transaction.savepoint()
        try:
            response = case.call()
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            failures.append(f"{label} {case.path_parameters or ''} {case.query or ''}: {response.status_code}")

    return call


def fuzz(schema: Any, examples: int) -> tuple[dict[str, int], list[str]]:
    """Run `examples` generated cases through every operation; the cases tried per operation and each 5xx."""
    tried: dict[str, int] = {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        label = f"{operation.method.upper()} {operation.path}"
        tried[label] = 0
        _fuzzer(operation, label, examples, tried, failures)()
    return tried, failures


@pytest.fixture
def wsgi_in_test_transaction(db: None) -> Iterator[Any]:
    """The WSGI application, minus the per-request connection closing that would end the test's transaction
    (Django's own test client leaves it out the same way)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_every_operation_is_fuzzed_and_no_input_is_a_server_error(wsgi_in_test_transaction: Any) -> None:
    make_directory()
    schema = schemathesis.openapi.from_wsgi("/api/docs", wsgi_in_test_transaction)
    tried, failures = fuzz(schema, EXAMPLES_PER_OPERATION)
    assert len(tried) >= 10, tried  # every ORUK operation the document lists, not an empty document
    assert all(tried.values()), tried
    assert failures == []


def test_the_document_says_proximity_must_be_above_zero_in_its_own_openapi_version(db: None, client: Any) -> None:
    # The document is OpenAPI 3.0, where exclusiveMinimum is a flag beside minimum; a 3.1-style number made
    # schemathesis (and any 3.0 client generator) reject the whole document.
    document = client.get("/api/docs").json()
    assert document["openapi"].startswith("3.0")
    for path in document["paths"].values():
        for parameter in path.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            if "exclusiveMinimum" in schema:
                assert schema["exclusiveMinimum"] is True and schema["minimum"] == 0, (parameter["name"], schema)
