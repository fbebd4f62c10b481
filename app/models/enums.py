"""Enumerations stored in the database as their string values."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a person may do: agents work tickets of their tiers, supervisors configure and may
    jump tiers, managers read everything and change nothing, admins manage people."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    ADMIN = "admin"


class TierKind(StrEnum):
    """Whether a tier is staffed by the team itself or by an external vendor."""

    INTERNAL = "internal"
    VENDOR = "vendor"


class Level(StrEnum):
    """Impact or urgency on the usual three-step ITIL scale."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Priority(StrEnum):
    """Ticket priority, P1 most urgent."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class TicketStatus(StrEnum):
    """Where a ticket is in its life. ``RESOLVED`` and ``CLOSED`` are the finished states."""

    NEW = "new"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    WAITING_ON_VENDOR = "waiting_on_vendor"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_finished(self) -> bool:
        return self in (TicketStatus.RESOLVED, TicketStatus.CLOSED)


class EventKind(StrEnum):
    """Kinds of entries in a ticket's append-only history."""

    CREATED = "created"
    EDITED = "edited"
    TIER_CHANGED = "tier_changed"
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    PRIORITY_CHANGED = "priority_changed"
    COMMENTED = "commented"
    REOPENED = "reopened"


class MoveReason(StrEnum):
    """Why a ticket changed tier: a person did it, its SLA clock expired, or a rule fired."""

    MANUAL = "manual"
    SLA = "sla"
    RULE = "rule"


class ClockKind(StrEnum):
    """The clocks a ticket runs. Per tier: the tier clock (an OLA: time allowed at the tier
    before escalation, restarted on every tier move), the tier's response clock (until someone
    at the tier first responds), and the vendor's clock while an internal tier waits on the
    vendor. Across tiers, from creation: the customer's first-response and resolution SLA."""

    TIER = "tier"
    TIER_RESPONSE = "tier_response"
    VENDOR = "vendor"
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"

    @property
    def escalates(self) -> bool:
        """Only the tier clock moves the ticket when it expires; the others record a breach."""
        return self == ClockKind.TIER


class AlertKind(StrEnum):
    """What a clock's deadline produced: a warning at the threshold share of its target, a
    breach of its target (recorded for reports; the ticket stays), or an escalation (the tier
    clock expired and the ticket moved up a tier)."""

    WARNING = "warning"
    BREACH = "breach"
    ESCALATION = "escalation"
