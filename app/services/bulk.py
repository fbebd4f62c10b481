"""Fast bulk writing, inside the caller's transaction.

``insert_rows`` loads prepared rows for the demo desk and history import (SQLite's
``executemany`` and PostgreSQL's ``COPY``); rows hold naive UTC datetimes (written in
SQLAlchemy's SQLite format), enum values as strings and JSON as text, in the order of
``columns``. ``write_pending_in_bulk`` writes what a batch of ORM changes left pending (the
escalation pass) with one statement per table instead of the unit of work's one per row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import insert, inspect, text, update
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from app.models import Base, UtcDateTime

SQLITE_CHUNK = 50_000


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
        batch: list[Sequence[Any]] = []
        for row in rows:
            values = list(row)
            for index in instants:
                if values[index] is not None:
                    values[index] = values[index].isoformat(" ", "microseconds")
            batch.append(values)
            if len(batch) >= SQLITE_CHUNK:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
        cursor.close()
        return
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)
    if "id" in columns:
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )


def write_pending_in_bulk(session: Session) -> None:
    """Write the session's new and changed objects with one bulk ``INSERT`` per class and one
    bulk ``UPDATE`` by primary key per class, then forget every object of the session (so it
    will not write them again: call it last in a batch). For a batch that only adds rows and
    updates columns of rows it has loaded, with every value set explicitly: no column defaults
    are applied to new rows, and new rows' ids are not read back into the objects."""
    inserts: dict[type[Any], list[dict[str, Any]]] = {}
    for obj in session.new:
        mapper = inspect(obj).mapper
        row = {column.key: getattr(obj, column.key) for column in mapper.column_attrs}
        if all(row[key.name] is None for key in mapper.primary_key):
            for key in mapper.primary_key:
                del row[key.name]
        inserts.setdefault(mapper.class_, []).append(row)
    updates: dict[type[Any], list[dict[str, Any]]] = {}
    for obj in session.dirty:
        state = inspect(obj)
        if not state.modified:
            continue
        mapper = state.mapper
        row = {column.key: getattr(obj, column.key) for column in mapper.column_attrs}
        updates.setdefault(mapper.class_, []).append(row)
    for model, rows in inserts.items():
        session.execute(insert(model), rows)
    for model, rows in updates.items():
        session.execute(update(model), rows, execution_options={"synchronize_session": False})
    session.expunge_all()  # cheaper than one by one; the caller's batch is done with them
