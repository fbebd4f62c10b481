"""Frozen views of the database returned by services: safe to hand to another thread or to Qt,
and turned into JSON for the command line by ``as_json``."""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from app.models import (
    ClockKind,
    EventKind,
    Level,
    MoveReason,
    Priority,
    Role,
    TicketStatus,
    TierKind,
)


@dataclass(frozen=True)
class TierView:
    id: int
    code: str
    name: str
    description: str
    position: int
    kind: TierKind
    wip_limit: int | None
    retired: bool


@dataclass(frozen=True)
class CategoryView:
    id: int
    name: str
    description: str
    min_tier: str  # the code of the lowest tier authorised to resolve it


@dataclass(frozen=True)
class UserView:
    id: int
    login: str
    display_name: str
    role: Role
    tiers: tuple[str, ...]
    active: bool
    email: str | None = None


@dataclass(frozen=True)
class TicketView:
    id: int
    key: str
    title: str
    description: str
    requester: str
    category: str
    impact: Level
    urgency: Level
    priority: Priority
    priority_overridden: bool
    status: TicketStatus
    tier: str
    assignee: str | None
    assignee_name: str | None
    reopen_count: int
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    version: int


@dataclass(frozen=True)
class EventView:
    """One history entry, with tier codes and people's names filled in."""

    ticket_version: int
    kind: EventKind
    at: datetime
    actor: str | None  # login; None when the system acted
    actor_name: str | None
    reason: MoveReason | None
    rule_id: int | None
    from_tier: str | None
    to_tier: str | None
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str | None
    details: dict[str, Any] | None

    def summary(self) -> str:
        """Who did what, for people: ``Alice Martin moved it L1 → L2 (manual)``. Without the
        time, which each caller shows in the reader's zone (``at`` is UTC)."""
        who = self.actor_name or "TierDesk"
        what = {
            EventKind.CREATED: "created it",
            EventKind.TIER_CHANGED: f"moved it {self.from_tier} → {self.to_tier} ({self.reason})",
            EventKind.STATUS_CHANGED: f"set status {self.old_value} → {self.new_value}",
            EventKind.REOPENED: f"reopened it ({self.old_value} → {self.new_value})",
            EventKind.ASSIGNED: f"assigned it to {self.new_value or 'nobody'}",
            EventKind.PRIORITY_CHANGED: f"set priority {self.old_value} → {self.new_value}",
            EventKind.COMMENTED: "added a comment",
            EventKind.EDITED: f"changed {self.field}",
        }[self.kind]
        note = f": {self.note}" if self.note else ""
        return f"{who} {what}{note}"


@dataclass(frozen=True)
class CommentView:
    id: int
    author: str
    author_name: str
    body: str
    created_at: datetime


SegmentKind = Literal["counting", "paused", "outside_hours", "collapsed"]
MarkKind = Literal["started", "warning", "breach", "escalation", "stopped"]
ClockState = Literal["running", "paused", "overdue", "breached", "escalated", "met", "stopped"]


@dataclass(frozen=True)
class ClockSegment:
    """A stretch of a clock's life: ``counting`` (working time, the clock ran), ``outside_hours``
    (outside the calendar's working hours), ``paused`` (the ticket's status held it; ``reason``
    names the status, e.g. ``waiting_on_customer``), or ``collapsed`` (segments folded together
    on a very long clock; ``reason`` says how many). ``counted_seconds`` is the business time
    the clock counted within it: the length of a counting segment, 0 for paused and outside
    hours, the folded counting time for a collapsed one."""

    start: datetime
    end: datetime
    kind: SegmentKind
    reason: str | None = None
    counted_seconds: float = 0.0


@dataclass(frozen=True)
class ClockMark:
    """Something that happened to a clock: it ``started`` or ``stopped``, or the escalation pass
    recorded a ``warning``, ``breach`` or ``escalation``. ``at`` is when it happened on the clock
    (for an alert, the instant the threshold was reached), ``fired_at`` when the pass recorded
    the alert. ``tier`` is where the ticket was, ``to_tier`` where an escalation took it; the
    policy is the version the clock measured against; ``note`` says why, for people."""

    kind: MarkKind
    at: datetime
    fired_at: datetime | None
    tier: str | None
    to_tier: str | None
    policy: str
    policy_version: int
    note: str

    def headline(self) -> str:
        """``Escalated L1 → L2``, ``Warning``, ``Stopped``: what happened, without when or why."""
        if self.kind == "escalation":
            return f"Escalated {self.tier} → {self.to_tier}"
        return {"started": "Started", "warning": "Warning", "breach": "Breached"}.get(
            self.kind, "Stopped"
        )


@dataclass(frozen=True)
class ClockTimeline:
    """One of a ticket's SLA clocks laid out over time, for "why did this escalate?" (built by
    ``app.services.sla_timeline``, which documents the states). The policy version is the one
    the clock measured against; ``used_minutes`` is business time used, up to "now" for a
    running clock; ``due_at`` is when the target runs out (running) or ran out (breached);
    ``segments`` cover ``started_at`` to ``stopped_at`` (or now) without gaps; ``marks`` are in
    time order."""

    kind: ClockKind
    tier: str | None
    policy: str
    policy_version: int
    target_minutes: float
    used_minutes: float
    started_at: datetime
    due_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None
    state: ClockState
    segments: tuple[ClockSegment, ...]
    marks: tuple[ClockMark, ...]


@dataclass(frozen=True)
class TicketDetail:
    """A ticket with its comments, its whole history and its SLA clocks' timelines, oldest
    first."""

    ticket: TicketView
    comments: tuple[CommentView, ...]
    events: tuple[EventView, ...]
    clocks: tuple[ClockTimeline, ...] = ()


def as_json(value: Any) -> Any:
    """Plain JSON-ready data from views: ISO-8601 instants, enum values, lists for tuples."""
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: as_json(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    return value


__all__ = [
    "CategoryView",
    "ClockMark",
    "ClockSegment",
    "ClockState",
    "ClockTimeline",
    "CommentView",
    "EventView",
    "MarkKind",
    "SegmentKind",
    "TicketDetail",
    "TicketView",
    "TierView",
    "UserView",
    "as_json",
]
