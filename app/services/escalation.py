"""The escalation pass: every ticket whose tier clock has expired moves up one tier, by itself,
exactly once however many desktops and workers run the pass at the same moment.

How "exactly once" holds: the pass finds due clocks through the index of running clocks, then
locks their tickets with ``SELECT ... FOR UPDATE SKIP LOCKED`` (on SQLite the write transaction
is exclusive), and only then re-reads each clock: a ticket another pass or a person is changing
right now is skipped and picked up by the next pass if still due; one already escalated has a
stopped clock and is left alone. The whole batch commits or none of it does, so a pass killed
midway leaves every ticket either fully escalated (move, events, new clock) or untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.models import ClockKind, MoveReason, Ticket, TicketClock
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder
from app.services.sla_policy import terms_of
from app.services.ticket_change import TicketChange

DEFAULT_BATCH = 1_000


@dataclass(frozen=True)
class Escalation:
    """What the pass did to one ticket. ``to_tier`` is ``None`` when the ticket was already at
    the top of the ladder: it is then flagged as breached there and stays."""

    key: str
    from_tier: str
    to_tier: str | None
    due_at: datetime
    policy: str
    policy_version: int


@dataclass(frozen=True)
class PassReport:
    at: datetime
    escalations: tuple[Escalation, ...]


class EscalationService:
    """Runs the escalation pass (from the desktop's timer or the headless worker)."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def run_pass(self, batch: int = DEFAULT_BATCH) -> PassReport:
        """Escalate up to ``batch`` due tickets, earliest deadline first, in one transaction."""
        with self.database.write() as session:
            now = self.clock.now(session)
            due_ticket_ids = list(
                session.scalars(
                    select(TicketClock.ticket_id)
                    .where(*_running_tier_clocks(), TicketClock.due_at <= now)
                    .order_by(TicketClock.due_at)
                    .limit(batch)
                )
            )
            if not due_ticket_ids:
                return PassReport(now, ())
            tickets = session.scalars(
                select(Ticket)
                .where(Ticket.id.in_(due_ticket_ids))
                .order_by(Ticket.id)
                .with_for_update(skip_locked=True)
            ).all()
            ladder = Ladder.load(session)
            done = []
            for ticket in tickets:
                escalation = self._escalate(session, ladder, ticket, now)
                if escalation is not None:
                    done.append(escalation)
            return PassReport(now, tuple(done))

    def _escalate(
        self, session: Session, ladder: Ladder, ticket: Ticket, now: datetime
    ) -> Escalation | None:
        clock = session.scalar(
            select(TicketClock)
            .where(TicketClock.ticket_id == ticket.id, *_running_tier_clocks())
            .execution_options(populate_existing=True)
        )
        if clock is None or clock.due_at is None or clock.due_at > now:
            return None  # escalated by another pass, moved by a person, or paused meanwhile
        if ticket.status.is_finished or clock.tier_id != ticket.tier_id:
            return None
        terms = terms_of(session, clock.policy_id)
        here = ladder.index_of(ticket.tier_id)
        from_tier = ladder.tiers[here].code
        due_at = clock.due_at
        if here + 1 == len(ladder.tiers):
            clock.breached_at = due_at  # the top: flagged, not moved; the index drops it
            return Escalation(ticket.key, from_tier, None, due_at, terms.name, terms.version)
        target = ladder.tiers[here + 1]
        change = TicketChange.by_system(session, ticket, ladder, now)
        change.move_to(
            target,
            note=f"{from_tier} tier clock expired ({terms.name} policy v{terms.version})",
            reason=MoveReason.SLA,
            details={
                "clock": ClockKind.TIER.value,
                "due_at": due_at.isoformat(),
                "policy_id": terms.policy_id,
                "policy_version": terms.version,
            },
        )
        change.finish()
        return Escalation(ticket.key, from_tier, target.code, due_at, terms.name, terms.version)


def _running_tier_clocks() -> tuple[ColumnElement[bool], ...]:
    """The conditions of the partial index ``ix_ticket_clocks_running_due``, plus the kind."""
    return (
        TicketClock.kind == ClockKind.TIER,
        TicketClock.stopped_at.is_(None),
        TicketClock.breached_at.is_(None),
    )
