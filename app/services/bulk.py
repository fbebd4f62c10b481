"""Fast bulk reading and writing, inside the caller's transaction.

``fetch_rows`` reads the rows of a set of parents (the escalation pass's open clocks) straight
from the driver, and ``decode_rows`` decodes their instants and enums. ``insert_rows`` loads
the demo desk and the history import (SQLite's ``executemany``, PostgreSQL's ``COPY``);
``insert_batch`` and ``update_rows`` write the escalation pass's slices, one statement each,
which ``pipelined`` lets PostgreSQL work through while the pass goes on. Rows written hold
naive UTC datetimes (written in SQLAlchemy's SQLite format), enum values as strings and JSON as
text, in the order of ``columns``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Enum, event, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from app.models import Base, UtcDateTime

SQLITE_CHUNK = 50_000


def fetch_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    parent_column: str,
    parent_ids: Sequence[int],
    condition: str = "TRUE",
) -> list[tuple[Any, ...]]:
    """The ``columns`` of the rows of ``table`` whose ``parent_column`` is one of
    ``parent_ids`` and which meet the SQL ``condition``, by parent then id, as the driver gives
    them: ``decode_rows`` turns them into what the ORM would give, without the ORM's per-value
    processing (a pass reads thousands of rows), and may do so a group at a time."""
    if not parent_ids:
        return []
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        among = f"IN ({', '.join('?' for _ in parent_ids)})"
        parameters: Any = list(parent_ids)
    else:
        among, parameters = "= ANY(%s)", [list(parent_ids)]
    sql = (
        f"SELECT {', '.join(columns)} FROM {table} "
        f"WHERE {parent_column} {among} AND {condition} ORDER BY {parent_column}, id"
    )
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, parameters)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def decode_rows(
    session: Session, table: str, columns: Sequence[str], stored: Sequence[tuple[Any, ...]]
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``fetch_rows`` with instants as aware UTC datetimes and enum columns as their
    enum members. (It reads nothing from the database: fine inside ``pipelined``.)"""
    if not stored:
        return
    schema = Base.metadata.tables[table]
    sqlite = session.connection().dialect.name == "sqlite"
    # Decoded column by column: a comprehension per column costs a fraction of a loop over
    # every value of every row.
    by_column: list[Sequence[Any]] = list(zip(*stored, strict=True))
    for index, name in enumerate(columns):
        decode = _decoder(schema.c[name].type, sqlite)
        if decode is not None:
            values = by_column[index]
            by_column[index] = [None if value is None else decode(value) for value in values]
    yield from zip(*by_column, strict=True)


def _decoder(kind: Any, sqlite: bool) -> Callable[[Any], Any] | None:
    if isinstance(kind, UtcDateTime):
        return _utc_from_text if sqlite else _utc_from_naive
    if isinstance(kind, Enum) and kind.enum_class is not None:
        # A dictionary lookup: calling the enum class to find a member is ten times slower.
        return {member.value: member for member in kind.enum_class}.__getitem__
    return None


def _utc_from_text(stored: str) -> datetime:
    # Parsing the offset is several times cheaper than ``replace(tzinfo=UTC)`` after it, and
    # gives the same aware instant (``datetime.UTC`` itself); a pass decodes ~20,000 of these.
    return datetime.fromisoformat(stored + "+00:00")


def _utc_from_naive(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC)


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    into_new_desk: bool = False,
) -> None:
    """Insert ``rows`` into ``table``; explicit ids keep PostgreSQL's sequence in step after.

    ``into_new_desk`` drops the table's secondary indexes (and, on PostgreSQL, its foreign keys,
    checked there row by row by triggers) and builds them again after the load, which checks
    every row at once and takes a third to a half of the time. It locks the table, so use it
    only where nobody else works yet (a new demo desk), never on a shared desk in use.
    """
    schema = Base.metadata.tables[table]
    connection = session.connection()
    indexes = list(schema.indexes) if into_new_desk else []
    foreign_keys = []
    if into_new_desk and connection.dialect.name == "postgresql":
        foreign_keys = [fk for fk in schema.foreign_key_constraints if fk.name]
    for foreign_key in foreign_keys:
        connection.execute(DropConstraint(foreign_key))
    for index in indexes:
        index.drop(connection)
    _insert(session, table, columns, rows)
    for index in indexes:
        index.create(connection)
    for foreign_key in foreign_keys:
        connection.execute(AddConstraint(foreign_key))


def _insert(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    connection = session.connection()
    names = ", ".join(columns)
    if connection.dialect.name == "sqlite":
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in columns)})"
        instants = [
            index
            for index, name in enumerate(columns)
            if isinstance(Base.metadata.tables[table].c[name].type, UtcDateTime)
        ]
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        as_text = _SqliteInstants()
        batch: list[Sequence[Any]] = []
        for row in rows:
            values = list(row)
            for index in instants:
                if values[index] is not None:
                    values[index] = as_text(values[index])
            batch.append(values)
            if len(batch) >= SQLITE_CHUNK:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
        cursor.close()
        return
    raw = connection.connection.driver_connection
    if session.scalar(text("SELECT row_security_active(:t)"), {"t": table}):
        # PostgreSQL refuses COPY where row-level security applies (a person's own login,
        # migration 0007): the same rows through one pipelined INSERT instead.
        marks = ", ".join("%s" for _ in columns)
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))
        return
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)
    if "id" in columns:  # past the ids written, never back below ids others have drawn
        sequence = f"pg_get_serial_sequence('{table}', 'id')"
        session.execute(
            text(
                f"SELECT setval({sequence}, "
                f"GREATEST((SELECT COALESCE(MAX(id), 1) FROM {table}), nextval({sequence})))"
            )
        )


class _SqliteInstants:
    """Naive UTC instants as SQLite stores them (SQLAlchemy's text format), remembered within
    one statement's rows: a pass writes the same few instants (its "now", the new clocks'
    deadlines) thousands of times, and formatting one costs a microsecond."""

    def __init__(self) -> None:
        self._known: dict[datetime, str] = {}

    def __call__(self, instant: datetime) -> str:
        text = self._known.get(instant)
        if text is None:
            text = self._known[instant] = instant.isoformat(" ", "microseconds")
        return text


def update_rows(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Set ``columns`` of the rows of ``table`` whose ids lead each row: ``(id, *values)``.
    SQLite runs one prepared ``UPDATE`` per row (cheap in-process); PostgreSQL gets a single
    ``UPDATE ... FROM unnest(arrays)``, one round trip however many rows."""
    batch = list(rows)
    if not batch:
        return
    connection = session.connection()
    schema = Base.metadata.tables[table]
    if connection.dialect.name != "postgresql":
        settings = ", ".join(f"{name} = ?" for name in columns)
        instants = [
            index
            for index, name in enumerate(columns)
            if isinstance(schema.c[name].type, UtcDateTime)
        ]
        as_text = _SqliteInstants()
        values = []
        for row in batch:
            changed = list(row[1:])
            for index in instants:
                if changed[index] is not None:
                    changed[index] = as_text(changed[index])
            changed.append(row[0])
            values.append(changed)
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(f"UPDATE {table} SET {settings} WHERE id = ?", values)
        finally:
            cursor.close()
        return
    names = ("id", *columns)
    types = _column_types(connection, schema, names)
    arrays = _binary_arrays(types)
    settings = ", ".join(f"{name} = changed.{name}" for name in columns)
    # The second condition on the ids is the first again, for the planner: joined to the
    # unnest alone it may hash the whole table (a sequential scan of every ticket, the cost
    # then following the open count); with it, it fetches the rows through the primary key.
    sql = (
        f"UPDATE {table} SET {settings} FROM unnest({arrays}) AS changed({', '.join(names)}) "
        f"WHERE {table}.id = changed.id AND {table}.id = ANY(%b::{types[0]}[])"
    )
    arguments = _columns_of(batch)
    with connection.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, [*arguments, arguments[0]])


def insert_batch(
    session: Session, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert a batch of ``rows`` (hundreds, not a desk's worth) in one statement that can be
    sent inside ``pipelined``: SQLite's ``executemany``; on PostgreSQL one ``INSERT ... SELECT
    FROM unnest(arrays)`` with the arrays sent in binary. ``COPY``, which ``insert_rows`` uses
    for bulk loads, can be neither pipelined nor run under row-level security."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        _insert(session, table, columns, rows)
        return
    batch = list(rows)
    if not batch:
        return
    schema = Base.metadata.tables[table]
    arrays = _binary_arrays(_column_types(connection, schema, columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"
    arguments = _columns_of(batch)
    with connection.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, arguments)


def _column_types(connection: Any, schema: Any, columns: Sequence[str]) -> list[str]:
    return [schema.c[name].type.compile(dialect=connection.dialect) for name in columns]


def _binary_arrays(types: Sequence[str]) -> str:
    """Parameters of one array per column, sent in binary: psycopg's text form of a few
    thousand instants costs ~15 ms."""
    return ", ".join(f"%b::{kind}[]" for kind in types)


def _columns_of(rows: Sequence[tuple[Any, ...]]) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)]


@contextmanager
def pipelined(session: Session) -> Iterator[None]:
    """On PostgreSQL, the bulk writes sent inside (``update_rows``, ``insert_batch``) are not
    waited for one by one: the server works through them while this process prepares the next
    (psycopg's pipeline mode). Leaving the block waits for all of them and raises the first
    error. Nothing changes on SQLite, where each statement runs as it is called.

    Nothing may read through the session inside: a query's result would only arrive at the end
    of the pipeline, so one is refused with ``RuntimeError`` rather than answered wrongly."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return

    def refuse(*_arguments: Any) -> None:
        raise RuntimeError("a query through the session while bulk writes are pipelined")

    event.listen(connection, "before_cursor_execute", refuse)
    try:
        with connection.connection.driver_connection.pipeline():  # type: ignore[union-attr]
            yield
    finally:
        event.remove(connection, "before_cursor_execute", refuse)
