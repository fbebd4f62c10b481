"""Fast bulk insertion of prepared rows, for the demo desk and history import: SQLite's
``executemany`` and PostgreSQL's ``COPY``, inside the caller's transaction. Rows hold naive UTC
datetimes (written in SQLAlchemy's SQLite format), enum values as strings and JSON as text,
in the order of ``columns``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import Base, UtcDateTime

SQLITE_CHUNK = 50_000


def insert_rows(
    session: Session,
    table: str,
    columns: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    rebuild_indexes: bool = False,
) -> None:
    """Insert ``rows`` into ``table``; explicit ids keep PostgreSQL's sequence in step after.

    ``rebuild_indexes`` drops the table's secondary indexes first and builds them again after,
    which halves the time of a large load into an empty table. It locks the table, so use it
    only where nobody else works (a new demo desk), never on a shared desk in use.
    """
    indexes = list(Base.metadata.tables[table].indexes) if rebuild_indexes else []
    for index in indexes:
        index.drop(session.connection())
    _insert(session, table, columns, rows)
    for index in indexes:
        index.create(session.connection())


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
