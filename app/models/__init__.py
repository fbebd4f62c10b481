"""The database schema as SQLAlchemy 2.0 typed mappings, and only that (no business rules)."""

from app.models.audit import RuleVersion
from app.models.base import Base, UtcDateTime
from app.models.config import ConfigChange
from app.models.desk import Category, Tier, User, user_tiers
from app.models.enums import (
    AlertKind,
    ClockKind,
    EventKind,
    Level,
    MoveReason,
    Priority,
    Role,
    TicketStatus,
    TierKind,
)
from app.models.rules import Rule, RuleFiring, RuleNotification, RuleSetState
from app.models.sla import CalendarRecord, SlaAlert, SlaPolicy, TicketClock
from app.models.ticket import Comment, KeyCounter, Ticket, TicketEvent

__all__ = [
    "AlertKind",
    "Base",
    "CalendarRecord",
    "ClockKind",
    "Category",
    "Comment",
    "ConfigChange",
    "EventKind",
    "KeyCounter",
    "Level",
    "MoveReason",
    "Priority",
    "Role",
    "Rule",
    "RuleFiring",
    "RuleNotification",
    "RuleSetState",
    "RuleVersion",
    "SlaAlert",
    "SlaPolicy",
    "Ticket",
    "TicketClock",
    "TicketEvent",
    "TicketStatus",
    "Tier",
    "TierKind",
    "User",
    "UtcDateTime",
    "user_tiers",
]
