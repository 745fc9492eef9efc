"""Browser tests talk to a live server in another thread, so their data is committed: each loads its own Merton."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def merton(merton_for_one_test: Any) -> Any:
    return merton_for_one_test
