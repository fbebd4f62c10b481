"""Writing an import's rows with the bulk writer the demo desk uses (``bulk.insert_rows``), on
a desk that may be in use: ids are drawn so that nobody else gets them (SQLite: the write
transaction holds the file; PostgreSQL: from the sequences, which ``insert_rows`` never moves
back), and the ticket counter is moved past imported keys of TierDesk's own form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.models import KeyCounter, Ticket
from app.services.bulk import insert_rows
from app.services.demo_story import COMMENT_COLUMNS, EVENT_COLUMNS, TICKET_COLUMNS
from app.services.ticket_change import KEY_PREFIX

#: Tickets written between two progress reports / cancellation checks.
WRITE_CHUNK = 2_000


@dataclass
class ImportRows:
    """Every row an import writes, ids assigned, tickets in id order (events without ids:
    the database numbers them in history order)."""

    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    comments: list[tuple[Any, ...]] = field(default_factory=list)


def write_rows(session: Session, rows: ImportRows, checkpoint: Callable[[int, int], None]) -> None:
    """Tickets, their events and comments in chunks of ``WRITE_CHUNK`` tickets, calling
    ``checkpoint(done, total)`` between chunks (it may raise to cancel: the caller's
    transaction then rolls everything back)."""
    total = len(rows.tickets)
    events, comments = _Cursor(rows.events), _Cursor(rows.comments, ticket_column=1)
    for start in range(0, total, WRITE_CHUNK):
        checkpoint(start, total)
        chunk = rows.tickets[start : start + WRITE_CHUNK]
        last_id = chunk[-1][0]
        insert_rows(session, "tickets", TICKET_COLUMNS, chunk)
        insert_rows(session, "ticket_events", EVENT_COLUMNS[1:], events.up_to(last_id))
        if rows.comments:
            insert_rows(session, "comments", COMMENT_COLUMNS, comments.up_to(last_id))
    _keep_key_counter_ahead(session, [row[1] for row in rows.tickets])
    checkpoint(total, total)


def present_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` that are tickets of the desk already."""
    present: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        present.update(session.scalars(select(Ticket.key).where(Ticket.key.in_(chunk))))
    return present


def reserve_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` ids of ``table`` nobody else will use: on SQLite the write transaction holds
    the file (so past the largest will do); on PostgreSQL drawn from the table's sequence."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "sqlite":
        last = int(session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar_one())
        return list(range(last + 1, last + 1 + count))
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    drawn = session.scalars(
        text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)"), {"n": count}
    )
    return sorted(int(value) for value in drawn)


class _Cursor:
    """Walks rows ordered by ticket id, handing out those up to a ticket id at a time."""

    def __init__(self, rows: list[tuple[Any, ...]], ticket_column: int = 0) -> None:
        self.rows, self.column, self.position = rows, ticket_column, 0

    def up_to(self, last_ticket_id: int) -> list[tuple[Any, ...]]:
        start = end = self.position
        while end < len(self.rows) and self.rows[end][self.column] <= last_ticket_id:
            end += 1
        self.position = end
        return self.rows[start:end]


def _keep_key_counter_ahead(session: Session, keys: Sequence[str]) -> None:
    """Imported keys in TierDesk's own form (``TD-1042``) move the counter past them, so that
    a ticket created later never gets an imported key."""
    pattern = re.compile(rf"{re.escape(KEY_PREFIX)}-(\d+)")
    numbers = [int(match.group(1)) for key in keys if (match := pattern.fullmatch(key))]
    if numbers:
        session.execute(
            update(KeyCounter)
            .where(KeyCounter.prefix == KEY_PREFIX, KeyCounter.last_number < max(numbers))
            .values(last_number=max(numbers))
        )
