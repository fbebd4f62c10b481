"""Tickets, their comments and their append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, enum_column
from app.models.enums import EventKind, Level, MoveReason, Priority, TicketStatus

#: The history entries the reports read (``app.services.reports.scope.REPORT_KINDS``).
REPORT_KINDS = "kind IN ('created', 'tier_changed', 'status_changed', 'reopened')"
#: The tickets whose resolutions the reports count (``app.services.reports.scope.FINISHED_SQL``).
FINISHED = "status IN ('resolved', 'closed')"

#: Portable auto-incrementing 64-bit key (SQLite only auto-increments INTEGER PRIMARY KEY).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Ticket(Base):
    """A request or incident. ``version`` grows by one with every change; writers name the
    version they read, so a stale write is refused instead of overwriting someone else's."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_tier_status", "tier_id", "status"),
        # What the reports read of finished tickets, without visiting the table (0005). Only
        # finished tickets are in it (0008): an open ticket's move, such as the escalation
        # pass's thousand at a time, has one index fewer to keep up. Written as the reports'
        # queries write it, as for the history's report index.
        Index(
            "ix_tickets_report_resolved",
            "tier_id",
            "resolved_at",
            "reopen_count",
            "status",
            sqlite_where=text(FINISHED),
            postgresql_where=text(FINISHED),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    requester: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    impact: Mapped[Level] = mapped_column(enum_column(Level))
    urgency: Mapped[Level] = mapped_column(enum_column(Level))
    priority: Mapped[Priority] = mapped_column(enum_column(Priority))
    priority_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus))
    tier_id: Mapped[int] = mapped_column(ForeignKey("tiers.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)


class Comment(Base):
    """A comment on a ticket. Comments are never edited; a correction is a new comment."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TicketEvent(Base):
    """One entry of a ticket's append-only history: what changed, who did it, when and why.

    Generic changes use ``field``/``old_value``/``new_value``; tier moves also fill
    ``from_tier_id``/``to_tier_id`` so that reports can aggregate them in SQL. ``actor_id`` is
    empty when the system acted (an SLA escalation). ``ticket_version`` is the ticket's version
    after the change, which lets a conflict report list exactly what happened since a read.
    """

    __tablename__ = "ticket_events"
    __table_args__ = (
        Index("ix_ticket_events_ticket_version", "ticket_id", "ticket_version"),
        Index("ix_ticket_events_kind_at", "kind", "at"),
        # The entries the reports read, covered, in (kind, time) order (migration 0005). The
        # condition is written as the reports' queries write it: SQLite uses a partial index
        # only for a query that repeats it word for word.
        Index(
            "ix_ticket_events_report",
            "kind",
            "at",
            "to_tier_id",
            "from_tier_id",
            "ticket_id",
            "ticket_version",
            "old_value",
            "new_value",
            sqlite_where=text(REPORT_KINDS),
            postgresql_where=text(REPORT_KINDS),
        ),  # fmt: skip
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    ticket_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[MoveReason | None] = mapped_column(enum_column(MoveReason))
    rule_id: Mapped[int | None] = mapped_column(Integer)
    from_tier_id: Mapped[int | None] = mapped_column(ForeignKey("tiers.id"))
    to_tier_id: Mapped[int | None] = mapped_column(ForeignKey("tiers.id"))
    field: Mapped[str | None] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class KeyCounter(Base):
    """Hands out human ticket numbers (``TD-1042``) without gaps between concurrent creators:
    a creator increments the row in its own transaction, which the database serialises."""

    __tablename__ = "key_counters"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_number: Mapped[int] = mapped_column(BigInteger)
