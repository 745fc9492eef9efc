"""Places fixtures: Merton's real wards with a handful of postcodes in known places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def write_csv(tmp_path: Path) -> Any:
    """Write a postcode file, as text or raw bytes, and return its path."""

    def write(content: str | bytes, name: str = "postcodes.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
