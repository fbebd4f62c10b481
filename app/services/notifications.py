"""Who hears about which SLA alert, and what it says.

An alert (``SlaAlert``: a warning, a breach, an escalation) concerns the people who work the
ticket: its assignee, and the agents of the tier it was at or was escalated to. Supervisors and
admins also hear of every breach at the top of the ladder, where nobody else can take the
ticket further. Managers read reports instead. The desktop asks for the alerts it has not
shown (``NotificationService.for_user`` with a ``news_cursor.NewsCursor``); the mailer
(``app.services.mailer``) uses the same rule to choose recipients, so a desktop and an inbox
never disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    AlertKind,
    ClockKind,
    Role,
    SlaAlert,
    SlaPolicy,
    Ticket,
    TicketClock,
    Tier,
    User,
    user_tiers,
)
from app.services.database import Database
from app.services.ticket_change import active_user

SUPERVISING = (Role.SUPERVISOR, Role.ADMIN)
CLOCK_NAMES = {
    ClockKind.TIER: "tier clock",
    ClockKind.TIER_RESPONSE: "response target",
    ClockKind.VENDOR: "vendor clock",
    ClockKind.FIRST_RESPONSE: "first response target",
    ClockKind.RESOLUTION: "resolution target",
}


@dataclass(frozen=True)
class Notification:
    """One alert as a person is told about it."""

    alert_id: int
    key: str
    ticket_title: str
    kind: AlertKind
    clock: ClockKind
    tier: str | None
    to_tier: str | None
    threshold_at: datetime
    due_at: datetime | None  # for a warning: when the clock will breach (if it still runs)
    fired_at: datetime
    policy: str
    policy_version: int

    def headline(self) -> str:
        if self.kind == AlertKind.ESCALATION:
            return f"{self.key} escalated {self.tier} → {self.to_tier}"
        if self.kind == AlertKind.WARNING:
            return f"{self.key}: {self._clock_name()} nearly due"
        if self.clock == ClockKind.TIER:
            return f"{self.key} breached at the top tier {self.tier}"
        return f"{self.key} missed its {self._clock_name()}"

    def message(self, zone: tzinfo | None = None) -> str:
        """A sentence or two for a tray balloon or an e-mail, instants in ``zone``."""

        def at(instant: datetime) -> str:
            return instant.astimezone(zone).strftime("%a %d %b %H:%M")

        policy = f"{self.policy} policy v{self.policy_version}"
        title = f"“{self.ticket_title}”"
        if self.kind == AlertKind.ESCALATION:
            return (
                f"{title}: the {self.tier} tier clock expired at {at(self.threshold_at)}, so it "
                f"moved to the {self.to_tier} queue ({policy})."
            )
        if self.kind == AlertKind.WARNING:
            due = f"; due {at(self.due_at)}" if self.due_at else ""
            return f"{title}: the {self._clock_name()} passed its warning point{due} ({policy})."
        if self.clock == ClockKind.TIER:
            return (
                f"{title}: the {self.tier} tier clock expired at {at(self.threshold_at)} and "
                f"there is no higher tier; it needs a supervisor ({policy})."
            )
        return f"{title}: the {self._clock_name()} was due {at(self.threshold_at)} ({policy})."

    def _clock_name(self) -> str:
        name = CLOCK_NAMES[self.clock]
        return f"{self.tier} {name}" if self.clock == ClockKind.TIER_RESPONSE else name


class NotificationService:
    """The alerts each person should hear about, in the order they fired."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def latest_alert_id(self) -> int:
        """Where a desktop starts listening when someone signs in (older alerts are history)."""
        with self.database.read() as session:
            return int(session.scalar(select(func.max(SlaAlert.id))) or 0)

    def for_user(
        self, login: str, after_id: int, limit: int = 100, shown: Collection[int] = ()
    ) -> list[Notification]:
        """The alerts after ``after_id`` that concern ``login``, oldest first, but for those
        ``shown`` already (see ``news_cursor``: a lower id can commit late)."""
        with self.database.read() as session:
            user = active_user(session, login, field="user")
            query = _notification_query().where(SlaAlert.id > after_id, concerns(user))
            if shown:
                query = query.where(SlaAlert.id.not_in(list(shown)))
            rows = session.execute(query.order_by(SlaAlert.id).limit(limit))
            return [_notification(row) for row in rows]


def concerns(user: User) -> ColumnElement[bool]:
    """SQL: the alert concerns ``user`` (see the module docstring)."""
    tiers_worked = select(user_tiers.c.tier_id).where(user_tiers.c.user_id == user.id)
    rule = or_(
        Ticket.assignee_id == user.id,
        SlaAlert.tier_id.in_(tiers_worked),
        SlaAlert.to_tier_id.in_(tiers_worked),
    )
    if user.role in SUPERVISING:
        top_breach = and_(SlaAlert.kind == AlertKind.BREACH, SlaAlert.clock_kind == ClockKind.TIER)
        rule = or_(rule, top_breach)
    if user.role == Role.MANAGER:
        return Ticket.id.is_(None)  # nothing: managers follow the reports
    return rule


def concerned_users(
    session: Session, alert_ids: Sequence[int], users: Sequence[User]
) -> dict[int, list[User]]:
    """For each of ``alert_ids``, which of ``users`` it concerns (for the mailer): one query
    per user, whatever the number of alerts."""
    concerned: dict[int, list[User]] = {alert_id: [] for alert_id in alert_ids}
    for user in users:
        for alert_id in session.scalars(
            select(SlaAlert.id)
            .join(Ticket, Ticket.id == SlaAlert.ticket_id)
            .where(SlaAlert.id.in_(alert_ids), concerns(user))
        ):
            concerned[alert_id].append(user)
    return concerned


def notifications_of(session: Session, alert_ids: Sequence[int]) -> dict[int, Notification]:
    """The alerts as notifications, by id, in one query."""
    rows = session.execute(_notification_query().where(SlaAlert.id.in_(alert_ids)))
    return {notification.alert_id: notification for notification in map(_notification, rows)}


def _notification_query() -> Select[Any]:
    from_tier, to_tier = aliased(Tier), aliased(Tier)
    return (
        select(
            SlaAlert,
            Ticket.key,
            Ticket.title,
            from_tier.code,
            to_tier.code,
            TicketClock.due_at,
            SlaPolicy.name,
            SlaPolicy.version,
        )
        .join(Ticket, Ticket.id == SlaAlert.ticket_id)
        .join(TicketClock, TicketClock.id == SlaAlert.clock_id)
        .join(SlaPolicy, SlaPolicy.id == SlaAlert.policy_id)
        .outerjoin(from_tier, from_tier.id == SlaAlert.tier_id)
        .outerjoin(to_tier, to_tier.id == SlaAlert.to_tier_id)
    )


def _notification(row: Row[Any]) -> Notification:
    alert, key, title, tier, to_tier, due_at, policy, version = row
    return Notification(
        alert_id=alert.id,
        key=key,
        ticket_title=title,
        kind=alert.kind,
        clock=alert.clock_kind,
        tier=tier,
        to_tier=to_tier,
        threshold_at=alert.threshold_at,
        due_at=due_at if alert.kind == AlertKind.WARNING else None,
        fired_at=alert.fired_at,
        policy=policy,
        policy_version=version,
    )
