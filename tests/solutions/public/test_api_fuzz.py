"""Schemathesis over the blockages feed's own operations in /api/docs: no input is a 5xx.

The feed's paths carry their own server (/api, where the directory's operations are under /api/oruk), so the
fuzzer is given the document's feed operations with that server as its base; tests/directory/api/test_fuzz.py
runs the whole document as served.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from tests.directory.api.test_fuzz import fuzz, wsgi_in_test_transaction
from tests.solutions.public.conftest import raise_one

__all__ = ["wsgi_in_test_transaction"]
pytestmark = pytest.mark.django_db
EXAMPLES_PER_OPERATION = 40


def test_every_feed_operation_is_fuzzed_and_no_input_is_a_server_error(
    wsgi_in_test_transaction: Any, borough: dict[str, Any], client: Client
) -> None:
    raise_one(borough, title="Three conifers")
    document = json.loads(client.get("/api/docs").content)
    # Django's test client connects close_old_connections again after its request: take it off once more, or the
    # fuzzer's first request closes the test's connection (PostgreSQL; SQLite's test database ignores the close).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    feed = {path: item for path, item in document["paths"].items() if path.startswith("/solutions/")}
    for item in feed.values():
        item.pop("servers")
    document["paths"] = feed
    document["servers"] = [{"url": "http://localhost/api"}]
    schema = schemathesis.openapi.from_dict(document)
    schema.app = wsgi_in_test_transaction
    seen: list[str] = []
    original = schema.app

    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        seen.append(environ["PATH_INFO"])
        return original(environ, start_response)

    schema.app = counting
    tried, failures = fuzz(schema, EXAMPLES_PER_OPERATION)
    assert set(tried) == {"GET /solutions/blockages", "GET /solutions/blockages/{id}"}
    assert all(tried.values()), tried
    assert seen and all(path.startswith("/api/solutions/blockages") for path in seen), set(seen)
    assert failures == []
