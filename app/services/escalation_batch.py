"""The escalation pass's working set: the due tickets, their open clocks, and what the pass
writes (moves, history events, alerts, new clocks), as plain objects read with one query per
table and written with one bulk statement per table for each slice of tickets acted on (on
PostgreSQL pipelined: ``bulk.pipelined``).

Why not ORM objects: a pass handles up to a thousand tickets at once, and as instrumented ORM
objects every attribute read and write, every new row and the unit of work's bookkeeping cost
ten times the database work itself. The rules are not repeated here: clocks move through the
same ``ClockKeeper`` as in a person's change (this batch is its ``ClockSink``), and history
events have ``TicketEvent``'s columns, so ``ClockInputs`` reads them as it reads ORM events.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from operator import attrgetter
from typing import Any

from sqlalchemy import JSON, ColumnElement, select
from sqlalchemy import Enum as SqlEnum
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import (
    AlertKind,
    Base,
    EventKind,
    MoveReason,
    Priority,
    Ticket,
    TicketClock,
    TicketStatus,
    UtcDateTime,
)
from app.services.bulk import decode_rows, fetch_rows, insert_batch, update_rows
from app.services.sla_clocks import AnyClock, ClockRow

#: What the pass may change on a ticket (besides nothing else: the rest is read only).
TICKET_COLUMNS = ("tier_id", "status", "assignee_id", "version", "updated_at")
#: What the pass may change on a clock it loaded.
CLOCK_STATE = (
    "target_seconds",
    "used_seconds",
    "running_since",
    "due_at",
    "warn_at",
    "warned_at",
    "breached_at",
    "stopped_at",
)
CLOCK_FIELDS = tuple(f.name for f in fields(ClockRow))
CLOCK_COLUMNS = CLOCK_FIELDS[1:]  # what a new clock is inserted with (its id is drawn)
_TICKET_ID, _POLICY_ID = CLOCK_FIELDS.index("ticket_id"), CLOCK_FIELDS.index("policy_id")
ALERT_COLUMNS = (
    "ticket_id",
    "clock_id",
    "kind",
    "clock_kind",
    "tier_id",
    "to_tier_id",
    "policy_id",
    "threshold_at",
    "fired_at",
)


@dataclass(slots=True)
class TicketRow:
    """The columns of a due ticket the pass reads or changes."""

    id: int
    key: str
    tier_id: int
    status: TicketStatus
    priority: Priority
    assignee_id: int | None
    version: int
    updated_at: datetime


@dataclass(slots=True)
class EventRow:
    """A history event about to be written, with ``TicketEvent``'s columns."""

    ticket_id: int
    ticket_version: int
    kind: EventKind
    at: datetime
    actor_id: int | None = None
    reason: MoveReason | None = None
    rule_id: int | None = None
    from_tier_id: int | None = None
    to_tier_id: int | None = None
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    note: str | None = None
    details: dict[str, Any] | None = None


EVENT_COLUMNS = tuple(f.name for f in fields(EventRow))


#: A search for due clocks: its conditions, and the instant it orders by.
DueSearch = tuple[Sequence[ColumnElement[bool]], InstrumentedAttribute[datetime | None]]


def lock_due_tickets(
    session: Session, searches: Iterable[DueSearch], batch: int
) -> dict[int, TicketRow]:
    """The tickets with a clock meeting one of ``searches`` (the conditions of a partial index
    on ``ticket_clocks`` plus "its instant has come"), earliest first, at most ``batch`` per
    search, locked as they are found and skipping those another pass or a person holds
    (``FOR UPDATE OF tickets SKIP LOCKED``), so that passes side by side share the work."""
    tickets = Ticket.__table__.c
    found: dict[int, TicketRow] = {}
    for conditions, instant in searches:
        query = (
            select(*(tickets[f.name] for f in fields(TicketRow)))
            .join_from(Ticket, TicketClock, TicketClock.ticket_id == Ticket.id)
            .where(*conditions)
            .order_by(instant)
            .limit(batch)
            .with_for_update(of=Ticket.__table__, skip_locked=True)
        )
        for row in session.execute(query):
            found.setdefault(row[0], TicketRow(*row))
    return found


class EscalationBatch:
    """One pass's reads and writes. ``load`` the locked tickets, then a slice at a time: take
    their ``clocks_of``, change the rows, record events and alerts through it, and ``write``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # Each ticket's loaded clocks, with their state as read; each ticket's state as locked.
        self._loaded: dict[int, list[tuple[ClockRow, tuple[Any, ...]]]] = {}
        self._tickets_as_locked: dict[int, tuple[Any, ...]] = {}
        self._stored_clocks: dict[int, list[tuple[Any, ...]]] = {}
        self._new_clocks: list[ClockRow] = []
        self._events: list[EventRow] = []
        self._alerts: list[tuple[Any, ...]] = []

    def load(self, tickets: Mapping[int, TicketRow]) -> None:
        """Read the open clocks of the locked ``tickets`` (after the lock: the truth now), as
        stored; ``clocks_of`` decodes them a slice of tickets at a time, so that on PostgreSQL
        the decoding happens while the server writes the slice before."""
        self._tickets_as_locked = {key: _TICKET_STATE(ticket) for key, ticket in tickets.items()}
        self._stored_clocks = {ticket_id: [] for ticket_id in tickets}
        stored = fetch_rows(
            self.session, "ticket_clocks", CLOCK_FIELDS, "ticket_id", sorted(tickets),
            "stopped_at IS NULL",
        )  # fmt: skip
        for row in stored:
            self._stored_clocks[row[_TICKET_ID]].append(row)

    def policy_ids(self) -> set[int]:
        """The policy versions of the clocks loaded."""
        return {row[_POLICY_ID] for rows in self._stored_clocks.values() for row in rows}

    def clocks_of(self, ticket_ids: Sequence[int]) -> dict[int, list[AnyClock]]:
        """The open clocks of these loaded tickets, oldest first."""
        by_ticket: dict[int, list[AnyClock]] = {ticket_id: [] for ticket_id in ticket_ids}
        stored = [row for ticket_id in ticket_ids for row in self._stored_clocks[ticket_id]]
        for row in decode_rows(self.session, "ticket_clocks", CLOCK_FIELDS, stored):
            clock = ClockRow(*row)
            self._loaded.setdefault(clock.ticket_id, []).append((clock, _state(clock)))
            by_ticket[clock.ticket_id].append(clock)
        return by_ticket

    # ``ClockSink``: where ``ClockKeeper`` puts what it starts and records.
    def new_clock(self, **columns: Any) -> AnyClock:
        clock = ClockRow(**columns)
        self._new_clocks.append(clock)
        return clock

    def alert(
        self,
        clock: AnyClock,
        kind: AlertKind,
        threshold_at: datetime,
        fired_at: datetime,
        tier_id: int | None,
        to_tier_id: int | None = None,
    ) -> None:
        # Alerts concern deadlines that have come, hence clocks that ran before the pass.
        assert clock.id is not None, "an alert of a clock started in this pass"
        self._alerts.append(
            (
                clock.ticket_id,
                clock.id,
                kind,
                clock.kind,
                tier_id,
                to_tier_id,
                clock.policy_id,
                threshold_at,
                fired_at,
            )
        )

    def record(self, event: EventRow) -> None:
        self._events.append(event)

    def write(self, ticket_ids: Iterable[int], changed_tickets: Sequence[TicketRow]) -> None:
        """Write what was done to the tickets ``ticket_ids`` since the last ``write`` (those of
        them the pass changed: ``changed_tickets``), in one statement per table and kind of
        write. Inside ``bulk.pipelined`` the pass goes on with the next tickets meanwhile."""
        session = self.session
        for columns, rows in self._ticket_updates(changed_tickets).items():
            update_rows(session, "tickets", columns, rows)
        update_rows(
            session,
            "ticket_clocks",
            CLOCK_STATE,
            [
                _CLOCK_UPDATE((clock.id, *state))
                for ticket_id in ticket_ids
                for clock, before in self._loaded.pop(ticket_id, ())
                if (state := _state(clock)) != before
            ],
        )
        insert_batch(
            session,
            "ticket_clocks",
            CLOCK_COLUMNS,
            [_CLOCK_INSERT(_CLOCK_VALUES(clock)) for clock in self._new_clocks],
        )
        insert_batch(
            session,
            "ticket_events",
            EVENT_COLUMNS,
            [_EVENT_ROW(_EVENT_VALUES(event)) for event in self._events],
        )
        insert_batch(session, "sla_alerts", ALERT_COLUMNS, list(map(_ALERT_ROW, self._alerts)))
        self._new_clocks, self._events, self._alerts = [], [], []

    def _ticket_updates(
        self, tickets: Sequence[TicketRow]
    ) -> dict[tuple[str, ...], list[tuple[Any, ...]]]:
        """The changed tickets' rows, grouped by the columns that changed: SQLite rewrites the
        index entries of every column an ``UPDATE`` sets, changed or not, so a ticket moved
        without being unassigned must not set ``assignee_id``."""
        groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for ticket in tickets:
            now, then = _TICKET_STATE(ticket), self._tickets_as_locked[ticket.id]
            changed = tuple(
                column
                for column, new, old in zip(TICKET_COLUMNS, now, then, strict=True)
                if new != old
            )
            values = (ticket.id, *(getattr(ticket, column) for column in changed))
            groups.setdefault(changed, []).append(_ticket_converter(changed)(values))
        return groups


def _state(clock: ClockRow) -> tuple[Any, ...]:
    return _CLOCK_STATE_VALUES(clock)


def _converter(table: str, columns: Sequence[str]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """Turns a row of ``columns`` of ``table`` into what the bulk writers take: naive UTC
    instants (as ``UtcDateTime`` stores them), enum values, JSON as text. Only the columns
    that need it are touched: a pass converts some 20,000 values."""
    schema = Base.metadata.tables[table]
    plan: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(columns):
        kind = schema.c[name].type
        if isinstance(kind, UtcDateTime):
            plan.append((index, _naive_utc))
        elif isinstance(kind, SqlEnum):
            plan.append((index, _enum_value))
        elif isinstance(kind, JSON):
            plan.append((index, json.dumps))

    def convert(row: Sequence[Any]) -> tuple[Any, ...]:
        values = list(row)
        for index, how in plan:
            value = values[index]
            if value is not None:
                values[index] = how(value)
        return tuple(values)

    return convert


@lru_cache(maxsize=8_192)
def _naive_utc(instant: datetime) -> datetime:
    """Remembered: a pass writes its own "now" and the few deadlines of the clocks it starts
    thousands of times. (Equal aware instants have the same naive UTC form.)"""
    return instant.astimezone(UTC).replace(tzinfo=None)


@lru_cache(maxsize=64)
def _ticket_converter(columns: tuple[str, ...]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    return _converter("tickets", ("id", *columns))


def _enum_value(member: Enum) -> str:
    return str(member.value)


_TICKET_STATE = attrgetter(*TICKET_COLUMNS)
_CLOCK_STATE_VALUES = attrgetter(*CLOCK_STATE)
_CLOCK_VALUES = attrgetter(*CLOCK_COLUMNS)
_EVENT_VALUES = attrgetter(*EVENT_COLUMNS)
_CLOCK_UPDATE = _converter("ticket_clocks", ("id", *CLOCK_STATE))
_CLOCK_INSERT = _converter("ticket_clocks", CLOCK_COLUMNS)
_EVENT_ROW = _converter("ticket_events", EVENT_COLUMNS)
_ALERT_ROW = _converter("sla_alerts", ALERT_COLUMNS)
