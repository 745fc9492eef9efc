"""The directory's version (directory/changes.py), in a module of its own: no fixture shared by a module's tests
may hold a transaction open around these."""

from __future__ import annotations

from typing import Any

import pytest

from commonweal.directory import changes
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_nothing_read_before_a_change_is_committed_is_kept_after_it(django_capture_on_commit_callbacks: Any) -> None:
    """Another process may read the directory between a save and its commit: what it keeps then is not used."""
    with django_capture_on_commit_callbacks(execute=True):
        ServiceFactory(name="Lunch club for everyone")
        changes.kept("test", (), lambda: "read before the commit")
    assert changes.kept("test", (), lambda: "read after the commit") == "read after the commit"


def test_a_value_is_made_once_for_each_version() -> None:
    made: list[str] = []

    def make() -> str:
        made.append("made")
        return f"value {len(made)}"

    assert changes.kept("test", ("a",), make) == "value 1"
    assert changes.kept("test", ("a",), make) == "value 1"
    assert changes.kept("test", ("b",), make) == "value 2", "other parts, another value"
    changes.changed()
    assert changes.kept("test", ("a",), make) == "value 3"
    changes.forget()  # another process: the shared cache still holds it
    assert changes.kept("test", ("a",), make) == "value 3"
