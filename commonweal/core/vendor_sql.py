"""Migration steps of SQL that differ by database: full-text indexes and the like, which Django does not model."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import migrations


def _runner(statements: Mapping[str, Sequence[str]]) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


def by_vendor(forwards: Mapping[str, Sequence[str]], backwards: Mapping[str, Sequence[str]]) -> migrations.RunPython:
    """A step that runs each database's own statements ({'sqlite': [...], 'postgresql': [...]}) and, undone,
    its own undoing ones; a database not named is left as it is."""
    return migrations.RunPython(_runner(forwards), _runner(backwards))
