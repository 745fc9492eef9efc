"""Stored files and transactions: a file is removed from storage only once the rows that named it are gone for
good, so a write that fails and is rolled back never leaves a row pointing at a file that no longer exists."""

from __future__ import annotations

from django.db import transaction
from django.db.models.fields.files import FieldFile


def delete_after_commit(file: FieldFile) -> None:
    """Remove the file from its storage when the surrounding transaction commits (at once outside one)."""
    storage, name = file.storage, file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))
