"""Writing many new rows quickly: INSERT with executemany, then finding their ids by the UUIDs we gave them.

Django's bulk_create builds a model instance and compiles every field of every row; for an import of
100,000 rows (a million rows across the tables) that is most of the time. These helpers take plain dicts and
prepare only the values the database driver cannot take as they are.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

BATCH = 5000
# Field types whose Python values the driver cannot take as they are (ids are handled on their own).
PREPARED_TYPES = frozenset({"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField"})
_MISSING = object()


def _database() -> Any:
    # The connection itself rather than the per-thread proxy, which is slow to ask a million times.
    return connections[DEFAULT_DB_ALIAS]


def _uuid_for(database: Any) -> Callable[[Any], Any]:
    """How this database takes a UUID: as it is (PostgreSQL), or as 32 hex digits (SQLite), as Django does."""
    if database.features.has_native_uuid_field:
        return lambda value: value
    return lambda value: value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex


class _Prepare:
    """A field's value as the database takes it; the same object twice running (the time now) is prepared once."""

    def __init__(self, field: models.Field[Any, Any], database: Any) -> None:
        self.field = field
        self.database = database
        self.last: Any = _MISSING
        self.prepared: Any = None

    def __call__(self, value: Any) -> Any:
        if value is not self.last:
            self.last, self.prepared = value, self.field.get_db_prep_save(value, self.database)
        return self.prepared


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT new rows of `model`, keyed by field attname (organisation_id, not organisation). A field a row
    leaves out takes its default; auto_now fields take the time now. No signals are sent."""
    if not rows:
        return
    database = _database()
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = database.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only the model's own table and column names, quoted, go into the SQL; every value is a parameter.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    pairs: list[tuple[str, Any]] = []
    fixups: list[tuple[int, Callable[[], Any] | None, Callable[[Any], Any] | None]] = []
    for index, f in enumerate(fields):
        make: Callable[[], Any] | None = None
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default: Any = now
        elif f.has_default() and callable(f.default):
            default, make = _MISSING, f.get_default
        else:
            default = f.get_default()
        kind = f.get_internal_type()
        prepare: Callable[[Any], Any] | None = (
            _uuid_for(database) if kind == "UUIDField" else _Prepare(f, database) if kind in PREPARED_TYPES else None
        )
        pairs.append((f.attname, default))
        if make is not None or prepare is not None:
            fixups.append((index, make, prepare))
    values = []
    for row in rows:
        get = row.get
        cells = [get(name, default) for name, default in pairs]
        for index, make, prepare in fixups:
            value = cells[index]
            if value is _MISSING:
                value = make()  # type: ignore[misc]  # _MISSING is only ever the default of a field with `make`
            cells[index] = prepare(value) if prepare is not None and value is not None else value
        values.append(cells)
    with database.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            cursor.executemany(sql, values[start : start + BATCH])


def pks_by_uuid(model: type[models.Model], uuids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The ids of rows we inserted, found by the UUIDs we gave them."""
    database = _database()
    to_db = _uuid_for(database)
    quote = database.ops.quote_name
    column = quote(model._meta.get_field("uuid").column)  # type: ignore[union-attr]  # a concrete UUIDField
    pk = quote(model._meta.pk.column) if model._meta.pk else "id"
    table = quote(model._meta.db_table)
    found: dict[uuid.UUID, int] = {}
    with database.cursor() as cursor:
        for start in range(0, len(uuids), 500):
            chunk = [to_db(u) for u in uuids[start : start + 500]]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT {column}, {pk} FROM {table} WHERE {column} IN ({placeholders})", chunk)  # noqa: S608
            for value, key in cursor.fetchall():
                found[value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))] = key
    return found
