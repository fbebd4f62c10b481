"""Service levels: business calendars, versioned SLA policies, and the clocks each ticket runs.

A policy is never edited in place: a change is a new row with the next ``version`` and
``current`` moved to it, so that a clock keeps measuring against the policy it started with.
A clock row holds what the escalation pass needs without any arithmetic: ``due_at`` (the breach
instant while it runs) is indexed over running clocks only, so that finding what is due costs
in proportion to what is due, not to what is open.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UtcDateTime, enum_column
from app.models.enums import AlertKind, ClockKind
from app.models.ticket import BigId


class CalendarRecord(Base):
    """A business calendar as stored: ``hours`` maps a weekday ("0" Monday .. "6") to a list of
    ``["HH:MM", "HH:MM"]`` windows ("00:00" as an end means midnight at the end of the day);
    ``holidays`` lists local dates ``"YYYY-MM-DD"``."""

    __tablename__ = "business_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict[str, list[list[str]]]] = mapped_column(JSON)
    holidays: Mapped[list[str]] = mapped_column(JSON)


class SlaPolicy(Base):
    """One version of an SLA policy. ``targets`` holds minutes of business time:
    ``{"tier": {"<tier id>": {"P1": 30, ...}}, "response": {"<tier id>": {...}},
    "customer": {"first_response": {"P1": 15, ...}, "resolution": {...}}}`` (a tier, clock or
    priority left out has no clock)."""

    __tablename__ = "sla_policies"
    __table_args__ = (UniqueConstraint("name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("business_calendars.id"))
    warning_percent: Mapped[int] = mapped_column(Integer, default=75)
    targets: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TicketClock(Base):
    """One clock of one ticket. It runs while ``running_since`` is set; ``used_seconds`` is the
    business time spent before that. ``stopped_at`` ends it for good (tier left, ticket
    resolved); ``breached_at`` and ``warned_at`` record what fired, once each."""

    __tablename__ = "ticket_clocks"
    __table_args__ = (
        Index(
            "ix_ticket_clocks_running_due",
            "due_at",
            postgresql_where=text("stopped_at IS NULL AND breached_at IS NULL"),
            sqlite_where=text("stopped_at IS NULL AND breached_at IS NULL"),
        ),
        Index(
            "ix_ticket_clocks_pending_warning",
            "warn_at",
            postgresql_where=text("warn_at IS NOT NULL AND stopped_at IS NULL"),
            sqlite_where=text("warn_at IS NOT NULL AND stopped_at IS NULL"),
        ),
        Index("ix_ticket_clocks_ticket_kind", "ticket_id", "kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[ClockKind] = mapped_column(enum_column(ClockKind))
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("tiers.id"))
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id"))
    target_seconds: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_seconds: Mapped[int] = mapped_column(Integer, default=0)
    running_since: Mapped[datetime | None] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    warn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    warned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    breached_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SlaAlert(Base):
    """A warning, breach or escalation a clock produced, recorded once (the pass that fires it
    holds the ticket's lock). Alerts are what reports count as breaches and what desktops and
    e-mail notify about; ``id`` orders them, so a reader asks for those after the last it saw.
    ``tier_id`` is the tier the ticket was at, ``to_tier_id`` where an escalation took it.
    ``mailed_at`` marks an alert the mailer has sent (the only column ever updated)."""

    __tablename__ = "sla_alerts"
    __table_args__ = (
        Index(
            "ix_sla_alerts_unmailed",
            "id",
            postgresql_where=text("mailed_at IS NULL"),
            sqlite_where=text("mailed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("ticket_clocks.id"))
    kind: Mapped[AlertKind] = mapped_column(enum_column(AlertKind))
    clock_kind: Mapped[ClockKind] = mapped_column(enum_column(ClockKind))
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("tiers.id"))
    to_tier_id: Mapped[int | None] = mapped_column(ForeignKey("tiers.id"))
    policy_id: Mapped[int] = mapped_column(ForeignKey("sla_policies.id"))
    threshold_at: Mapped[datetime] = mapped_column(UtcDateTime)
    fired_at: Mapped[datetime] = mapped_column(UtcDateTime)
    mailed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
