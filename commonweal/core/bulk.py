"""Writing many new rows quickly: the one bulk writer every app uses (generators, imports, the search index).

Django's bulk_create builds a model instance and compiles every field of every row; for 100,000 services (a
million rows across the tables) that is most of the time. Here rows are plain dicts (field attname -> value)
and only the values the database driver cannot take as they are get prepared. The rows go in by PostgreSQL's
COPY, or SQLite's executemany in batches.

- `BulkWriter(assign_ids=True)`: ids are given here, counting on from the table's highest, so dependent rows can
  point at them at once; `finish()` moves PostgreSQL's sequences past them. Only where nothing else writes the
  same tables meanwhile (a set-up command, a benchmark), inside a transaction.
- `BulkWriter(assign_ids=False)`: the database gives the ids (an import on a live site); find them afterwards
  with `pks_by_uuid()`.
- `write_rows()`: rows that are already tuples of database values, into any table (the search index's).
- `streamed_copies()`: on PostgreSQL, the COPYs go to a thread of their own, so the server stores one batch
  while Python builds the next (without it each waits for the other). Every other query first waits for the
  COPYs before it, so reads see every row written; an error in a COPY is raised at that point, or at the end.
- `reserve_ids()`: ids from the table's own sequence (PostgreSQL), so rows can be written with their ids and
  the rows that point at them built at once, without reading the ids back.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

Row = dict[str, Any]
BATCH = 2000
# Field types whose Python values the driver cannot take as they are (UUIDs as text on SQLite, and so on).
# SQLite's page cache while a big write runs (its own default is 2 MB): the indexes of 100,000 new rows, with
# their random UUIDs, outgrow a small cache, and every insert then reads pages back in.
SQLITE_CACHE_MB = 64
PREPARED_TYPES = frozenset({"UUIDField", "DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField"})


def _database() -> Any:
    # The connection itself rather than the per-thread proxy, which is slow to ask a million times.
    return connections[DEFAULT_DB_ALIAS]


def write_rows(
    cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, batch_size: int = BATCH
) -> None:
    """Write rows of database values the fastest way the database has: PostgreSQL's COPY, else executemany in
    batches. `table` and `columns` must be names the code chose (quoted if need be), never input."""
    if not rows:
        return
    names = ", ".join(columns)
    stream: _Stream | None = getattr(cursor.db, STREAM, None)
    if stream is not None:
        stream.put(f"COPY {table} ({names}) FROM STDIN", rows)
        return
    if cursor.db.vendor == "postgresql":
        # COPY is PostgreSQL's bulk path: several times faster than even a pipelined executemany.
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - names from code
    for start in range(0, len(rows), batch_size):
        cursor.executemany(sql, rows[start : start + batch_size])


STREAM = "commonweal_copy_stream"  # the attribute of the connection that holds its stream while one runs


class _Stream:
    """COPY statements run one after another by a thread of their own, on the connection's own transaction."""

    def __init__(self, database: Any) -> None:
        self.database = database
        # Bounded, so Python cannot build batches far ahead of the server and hold them all at once.
        self.jobs: queue.Queue[tuple[str, Sequence[Sequence[Any]]] | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.abandoned = False
        self.thread = threading.Thread(target=self._run, name="commonweal-copy", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        raw = self.database.connection  # the driver's connection: psycopg's may be used from any thread
        while True:
            job = self.jobs.get()
            try:
                if job is None:
                    return
                if self.error is None and not self.abandoned:
                    statement, rows = job
                    with self.database.wrap_database_errors, raw.cursor() as cursor, cursor.copy(statement) as copy:
                        for row in rows:
                            copy.write_row(row)
            except BaseException as error:  # noqa: BLE001 - handed to the main thread, which raises it
                self.error = error
            finally:
                self.jobs.task_done()

    def put(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        self.raise_error()
        self.jobs.put((statement, rows))

    def drain(self) -> None:
        """Wait until every COPY handed over has run; raise the first one's error, if one failed."""
        self.jobs.join()
        self.raise_error()

    def raise_error(self) -> None:
        if self.error is not None:
            error, self.error = self.error, None
            self.abandoned = True  # the transaction has failed: nothing more is written
            raise error

    def close(self, *, abandon: bool) -> None:
        self.abandoned = self.abandoned or abandon
        self.jobs.put(None)
        self.thread.join()


@contextmanager
def streamed_copies() -> Iterator[None]:
    """Inside a transaction: hand write_rows' COPYs to a thread (PostgreSQL; elsewhere nothing changes).

    Every query the code makes meanwhile waits for the COPYs before it, so it reads what they wrote and the
    connection is never used by two threads at once. Nested, the outer stream serves. Fetching goes on after the
    query, so do not write rows while going through a queryset's .iterator() (a server-side cursor)."""
    database = _database()
    if database.vendor != "postgresql" or getattr(database, STREAM, None) is not None:
        yield
        return
    database.ensure_connection()
    stream = _Stream(database)

    def wait_for_copies(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        stream.drain()
        return execute(sql, params, many, context)

    setattr(database, STREAM, stream)
    failed = True
    try:
        with database.execute_wrapper(wait_for_copies):
            yield
            stream.drain()
        failed = False
    finally:
        setattr(database, STREAM, None)
        stream.close(abandon=failed)


def reserve_ids(model: type[models.Model], count: int) -> list[int] | None:
    """`count` new ids of `model` from its table's sequence (PostgreSQL), never given to anyone else; None where
    the database keeps no sequence (SQLite: write the rows without ids and find them with pks_by_uuid())."""
    database = _database()
    if database.vendor != "postgresql" or model._meta.pk is None:
        return None
    if count <= 0:
        return []
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _uuid_for(database: Any) -> Callable[[Any], Any]:
    """How this database takes a UUID: as it is (PostgreSQL), or as 32 hex digits (SQLite), as Django does."""
    if database.features.has_native_uuid_field:
        return lambda value: value
    return lambda value: value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex


def _column(field: models.Field[Any, Any], rows: Sequence[Row], database: Any, now: Any) -> list[Any]:
    """The field's value in every row, as the driver takes it (the hot loop: one list built per column, with no
    function call per cell for the values that go as they are). Left out, a field gets its default; the created
    and updated times are `now`."""
    name = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return [field.get_db_prep_save(now, database)] * len(rows)
    if field.has_default() and callable(field.default):
        make = field.get_default
        values = [row[name] if name in row else make() for row in rows]
    else:
        default = field.get_default()
        values = [row.get(name, default) for row in rows]
    kind = field.get_internal_type()
    if kind not in PREPARED_TYPES:
        return values
    if kind == "UUIDField":
        to_db = _uuid_for(database)
        return [None if value is None else to_db(value) for value in values]
    prep = field.get_db_prep_save
    convert: Callable[[Any], Any] = lambda value: prep(value, database)  # noqa: E731
    if kind == "DateTimeField":
        # An aware time goes straight to the driver; a naive one is made aware as Django would (with a warning).
        adapt = database.ops.adapt_datetimefield_value
        convert = lambda value: (  # noqa: E731
            adapt(value) if isinstance(value, datetime) and value.tzinfo is not None else prep(value, database)
        )
    prepared: list[Any] = []
    last: Any = object()
    done: Any = None
    for value in values:
        if value is not last:  # the same object many rows running (a default, the time now) is prepared once
            last, done = value, None if value is None else convert(value)
        prepared.append(done)
    return prepared


class BulkWriter:
    """Inserts plain rows of a model, a batch at a time; see the module's docstring for the two kinds of ids.

    Fields a row leaves out get their defaults, and the created and updated times are the writer's `now`.
    No signals are sent and no model instances are made."""

    def __init__(self, *, batch_size: int = BATCH, assign_ids: bool = True) -> None:
        self.batch_size = batch_size
        self.assign_ids = assign_ids
        self.now = timezone.now()
        self.next_id: dict[type[models.Model], int] = {}
        self.touched: list[type[models.Model]] = []

    def new_id(self, model: type[models.Model]) -> int:
        """The next id of `model` this writer gives (assign_ids only)."""
        if model not in self.next_id:
            highest = model._default_manager.aggregate(highest=models.Max("pk"))["highest"]
            self.next_id[model] = (highest or 0) + 1
            self.touched.append(model)
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def insert(self, model: type[models.Model], rows: Sequence[Row]) -> None:
        """Insert the rows (with assign_ids, giving each row an "id" if it has none), in batches."""
        if not rows:
            return
        if self.assign_ids:
            for row in rows:
                if "id" not in row:
                    row["id"] = self.new_id(model)
        database = _database()
        fields = [f for f in model._meta.concrete_fields if self.assign_ids or not f.primary_key]
        quote = database.ops.quote_name
        columns = [_column(f, rows, database, self.now) for f in fields]
        with database.cursor() as cursor:
            write_rows(
                cursor,
                quote(model._meta.db_table),
                [quote(f.column) for f in fields],
                list(zip(*columns, strict=True)),
                batch_size=self.batch_size,
            )

    def finish(self) -> None:
        """After explicit ids, make the database's own counters carry on past them (PostgreSQL keeps sequences)."""
        database = _database()
        statements = database.ops.sequence_reset_sql(no_style(), self.touched)
        if statements:
            with database.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


def insert_rows(model: type[models.Model], rows: Sequence[Row], *, batch_size: int = 5000) -> None:
    """INSERT new rows of `model` and let the database give their ids (find them with pks_by_uuid()), or with
    the ids they carry when every row has one (from reserve_ids())."""
    given = bool(rows) and all("id" in row for row in rows)
    BulkWriter(batch_size=batch_size, assign_ids=given).insert(model, rows)


def pks_by_uuid(model: type[models.Model], uuids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The ids of rows we inserted, found by the UUIDs we gave them."""
    database = _database()
    to_db = _uuid_for(database)
    quote = database.ops.quote_name
    column = quote(model._meta.get_field("uuid").column)  # type: ignore[union-attr]  # a concrete UUIDField
    pk = quote(model._meta.pk.column) if model._meta.pk else "id"
    table = quote(model._meta.db_table)
    # PostgreSQL takes a whole batch as one array; SQLite a list of placeholders, kept well under its limit.
    array = database.vendor == "postgresql"
    size = 5000 if array else 500
    found: dict[uuid.UUID, int] = {}
    with database.cursor() as cursor:
        for start in range(0, len(uuids), size):
            # The database gives back the value it was given, so each is matched to its UUID without parsing it.
            asked = {to_db(u): u for u in uuids[start : start + size]}
            condition = "= ANY(%s)" if array else f"IN ({', '.join(['%s'] * len(asked))})"
            params: list[Any] = [list(asked)] if array else list(asked)
            cursor.execute(f"SELECT {column}, {pk} FROM {table} WHERE {column} {condition}", params)  # noqa: S608
            for value, key in cursor.fetchall():
                found[asked[value]] = key
    return found


@contextmanager
def roomy_cache() -> Iterator[None]:
    """On SQLite, a bigger page cache for this connection while a big write runs; the old size comes back after."""
    database = _database()
    if database.vendor != "sqlite" or not SQLITE_CACHE_MB:
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_CACHE_MB) * 1024}")
    try:
        yield
    finally:
        with database.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
