"""Replaying a ticket's history. History is the truth: folding a ticket's events from its
``created`` snapshot must give exactly the ticket's current row. Tests and the integrity check
(``main.py verify``) rely on this; reports and timelines in later issues build on the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import EventKind, Level, Priority, Ticket, TicketEvent, TicketStatus
from app.services.database import Database


@dataclass(frozen=True)
class TicketState:
    """Everything about a ticket that its history determines."""

    title: str
    description: str
    requester: str
    category_id: int
    impact: Level
    urgency: Level
    priority: Priority
    priority_overridden: bool
    status: TicketStatus
    tier_id: int
    assignee_id: int | None
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "category_id": int,
    "impact": Level,
    "urgency": Level,
    "priority": Priority,
    "status": TicketStatus,
    "tier_id": int,
}


def state_of(ticket: Ticket) -> TicketState:
    """The current state as stored on the ticket row."""
    return TicketState(**{f.name: getattr(ticket, f.name) for f in fields(TicketState)})


def replay(events: Iterable[TicketEvent]) -> TicketState:
    """Fold events (oldest first, starting with ``created``) into the state they imply."""
    ordered = iter(events)
    first = next(ordered, None)
    if first is None:
        raise ValueError("a ticket without history cannot be replayed")
    if first.kind != EventKind.CREATED or not first.details:
        raise ValueError(f"history of ticket {first.ticket_id} does not start with 'created'")
    snapshot = first.details
    state = TicketState(
        **{key: _CONVERTERS.get(key, _same)(value) for key, value in snapshot.items()},
        reopen_count=0,
        created_at=first.at,
        updated_at=first.at,
        resolved_at=None,
        closed_at=None,
        version=first.ticket_version,
    )
    for event in ordered:
        state = apply_event(state, event)
    return state


def apply_event(state: TicketState, event: TicketEvent) -> TicketState:
    """The state after one more event (``replay`` folds this over a whole history)."""
    state = replace(state, updated_at=event.at, version=event.ticket_version)
    kind = event.kind
    if kind == EventKind.TIER_CHANGED:
        assert event.to_tier_id is not None
        return replace(state, tier_id=event.to_tier_id)
    if kind == EventKind.ASSIGNED:
        return replace(state, assignee_id=int(event.new_value) if event.new_value else None)
    if kind == EventKind.PRIORITY_CHANGED:
        overridden = bool((event.details or {}).get("overridden"))
        return replace(
            state, priority=Priority(str(event.new_value)), priority_overridden=overridden
        )
    if kind == EventKind.EDITED:
        assert event.field is not None
        value = _CONVERTERS.get(event.field, _same)(event.new_value)
        return replace(state, **{event.field: value})
    if kind == EventKind.STATUS_CHANGED:
        status = TicketStatus(str(event.new_value))
        state = replace(state, status=status)
        if status == TicketStatus.RESOLVED:
            state = replace(state, resolved_at=event.at)
        if status == TicketStatus.CLOSED:
            state = replace(state, closed_at=event.at)
        return state
    if kind == EventKind.REOPENED:
        return replace(
            state,
            status=TicketStatus(str(event.new_value)),
            reopen_count=state.reopen_count + 1,
            resolved_at=None,
            closed_at=None,
        )
    if kind == EventKind.COMMENTED:
        return state
    raise ValueError(f"unknown event kind {kind!r}")


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Mismatch:
    """A ticket whose stored row disagrees with its history."""

    key: str
    differences: dict[str, tuple[str, str]]  # field: (stored, replayed), as text


@dataclass(frozen=True)
class HistoryCheck:
    """The result of replaying every ticket's history against the ticket."""

    checked: int
    mismatches: tuple[Mismatch, ...]


def check_history(database: Database) -> HistoryCheck:
    """Replay every ticket's history and compare it with the ticket (``main.py verify``)."""
    with database.read() as session:
        checked = session.scalar(select(func.count()).select_from(Ticket)) or 0
        return HistoryCheck(checked, tuple(find_mismatches(session)))


def find_mismatches(session: Session, batch_size: int = 2_000) -> Iterator[Mismatch]:
    """Every ticket whose row differs from the replay of its events, checked in batches."""
    last_id = 0
    while True:
        tickets = list(
            session.scalars(
                select(Ticket).where(Ticket.id > last_id).order_by(Ticket.id).limit(batch_size)
            )
        )
        if not tickets:
            return
        last_id = tickets[-1].id
        events: dict[int, list[TicketEvent]] = {ticket.id: [] for ticket in tickets}
        rows = session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id.between(tickets[0].id, last_id))
            .order_by(TicketEvent.ticket_id, TicketEvent.id)
        )
        for event in rows:
            events[event.ticket_id].append(event)
        for ticket in tickets:
            try:
                replayed = replay(events[ticket.id])
            except ValueError as error:
                yield Mismatch(ticket.key, {"history": ("", str(error))})
                continue
            stored = state_of(ticket)
            if stored != replayed:
                differences = {
                    f.name: (str(getattr(stored, f.name)), str(getattr(replayed, f.name)))
                    for f in fields(TicketState)
                    if getattr(stored, f.name) != getattr(replayed, f.name)
                }
                yield Mismatch(ticket.key, differences)
        session.expunge_all()
