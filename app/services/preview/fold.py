"""A ticket's state folded from its events in place, for replays of many thousands of tickets.

``history.replay`` / ``apply_event`` are the reference: the same fields and the same rules, but
they build a new frozen ``TicketState`` per event, and a replay of 100,000 tickets spends most
of its time there. ``LiveState`` is changed in place instead; ``frozen()`` gives the
``TicketState`` back, and the tests check both folds agree on every ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from app.models import EventKind, Level, Priority, TicketStatus
from app.services.history import TicketState

_STATUS = {status.value: status for status in TicketStatus}
_PRIORITY = {priority.value: priority for priority in Priority}
_LEVEL = {level.value: level for level in Level}
_EDITED: dict[str, Any] = {
    "category_id": int,
    "impact": _LEVEL.__getitem__,
    "urgency": _LEVEL.__getitem__,
    "priority": _PRIORITY.__getitem__,
    "status": _STATUS.__getitem__,
    "tier_id": int,
}


@dataclass(slots=True)
class LiveState:
    """``TicketState``'s fields, changed in place."""

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

    @classmethod
    def created(cls, event: Any) -> LiveState:
        """The state a ``created`` event's snapshot describes."""
        snapshot = event.details
        if event.kind != EventKind.CREATED or not snapshot:
            raise ValueError(f"history of ticket {event.ticket_id} does not start with 'created'")
        at = event.at
        try:  # the snapshot ``TicketChange`` records, field by field (the common case, fast)
            return cls(
                snapshot["title"], snapshot["description"], snapshot["requester"],
                int(snapshot["category_id"]), _LEVEL[snapshot["impact"]],
                _LEVEL[snapshot["urgency"]], _PRIORITY[snapshot["priority"]],
                bool(snapshot["priority_overridden"]), _STATUS[snapshot["status"]],
                int(snapshot["tier_id"]), snapshot["assignee_id"], 0, at, at, None, None,
                event.ticket_version,
            )  # fmt: skip
        except KeyError:  # a snapshot of another shape: ``history.replay``'s way, or its error
            values = {key: _EDITED.get(key, _same)(value) for key, value in snapshot.items()}
            return cls(
                **values, reopen_count=0, created_at=at, updated_at=at, resolved_at=None,
                closed_at=None, version=event.ticket_version,
            )  # fmt: skip

    def copy(self) -> LiveState:
        return LiveState(*(getattr(self, f.name) for f in fields(self)))

    def frozen(self) -> TicketState:
        return TicketState(**{f.name: getattr(self, f.name) for f in fields(TicketState)})

    def apply(self, event: Any) -> None:
        """One more event (``history.apply_event``'s rules)."""
        self.updated_at = event.at
        self.version = event.ticket_version
        kind = event.kind
        if kind is EventKind.TIER_CHANGED:
            self.tier_id = event.to_tier_id
        elif kind is EventKind.ASSIGNED:
            self.assignee_id = int(event.new_value) if event.new_value else None
        elif kind is EventKind.PRIORITY_CHANGED:
            self.priority = _PRIORITY[event.new_value]
            self.priority_overridden = bool((event.details or {}).get("overridden"))
        elif kind is EventKind.EDITED:
            setattr(self, event.field, _EDITED.get(event.field, _same)(event.new_value))
        elif kind is EventKind.STATUS_CHANGED:
            self.status = status = _STATUS[event.new_value]
            if status is TicketStatus.RESOLVED:
                self.resolved_at = event.at
            elif status is TicketStatus.CLOSED:
                self.closed_at = event.at
        elif kind is EventKind.REOPENED:
            self.status = _STATUS[event.new_value]
            self.reopen_count += 1
            self.resolved_at = self.closed_at = None
        elif kind is not EventKind.COMMENTED:
            raise ValueError(f"unknown event kind {kind!r}")


def _same(value: Any) -> Any:
    return value
