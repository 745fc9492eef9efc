"""Fixtures for the ORUK API tests: a small directory, and a client that reads JSON answers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.directory.api.directory_data import Directory, make_directory


@pytest.fixture
def directory(db: None) -> Directory:
    return make_directory()


@pytest.fixture
def get_json(client: Any) -> Any:
    """GET an API address and return (status, body as JSON)."""

    def get(path: str, **params: Any) -> tuple[int, Any]:
        response = client.get(path, params)
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        return response.status_code, response.json()

    return get
