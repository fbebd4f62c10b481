"""The escalation pass: every clock whose deadline has come acts, exactly once, however many
desktops and workers run the pass at the same moment.

- A clock past its warning share (75% by default) fires one warning.
- A tier clock past its target moves the ticket up one tier (reason ``sla``, with the policy
  version and the clock in the event), which starts the next tier's clocks; at the top of the
  ladder the ticket is flagged as breached there instead, and supervisors are told.
- Any other clock past its target (customer SLA, tier response, vendor) records a breach; the
  ticket stays where it is.
Each of these is written as an ``SlaAlert``, which reports count and desktops notify about.

How "exactly once" holds: the pass finds due clocks through the partial indexes of running
clocks and pending warnings and locks their tickets in the same statement (``SELECT ... FOR
UPDATE OF tickets SKIP LOCKED``; on SQLite the write transaction is exclusive), and only then
re-reads the tickets' clocks: a ticket another pass or a person is changing right now is skipped
and picked up by the next pass if still due, so passes side by side share the work; a deadline
already acted on is no longer pending. The whole batch commits or none
of it does, so a pass killed midway leaves every ticket either fully escalated (move, events,
alerts, new clocks) or untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import AlertKind, ClockKind, MoveReason, Ticket, TicketClock
from app.services.bulk import write_pending_in_bulk
from app.services.change_feed import announce_ticket_changes
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder
from app.services.sla_clocks import record_alert
from app.services.sla_policy import terms_of
from app.services.ticket_change import TicketChange

DEFAULT_BATCH = 1_000


@dataclass(frozen=True)
class Escalation:
    """What the pass did to one ticket whose tier clock expired. ``to_tier`` is ``None`` when
    the ticket was already at the top of the ladder: it is then flagged as breached there."""

    key: str
    from_tier: str
    to_tier: str | None
    due_at: datetime
    policy: str
    policy_version: int


@dataclass(frozen=True)
class ClockAlert:
    """A warning, or a breach that does not move the ticket, fired by the pass."""

    key: str
    kind: AlertKind
    clock: ClockKind
    tier: str
    threshold_at: datetime
    policy: str
    policy_version: int


@dataclass(frozen=True)
class PassReport:
    at: datetime
    escalations: tuple[Escalation, ...]
    alerts: tuple[ClockAlert, ...] = ()

    @property
    def did_something(self) -> bool:
        return bool(self.escalations or self.alerts)


class EscalationService:
    """Runs the escalation pass (from the desktop's timer or the headless worker)."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def next_deadline(self) -> datetime | None:
        """The earliest instant at which a pass will have something to do (a clock's breach or
        warning instant, possibly already past), or ``None`` when no clock runs. Read through
        the partial indexes: cheap enough to ask after every change."""
        with self.database.read() as session:
            instants = [
                session.scalar(
                    select(TicketClock.due_at)
                    .where(*_running_clocks(), TicketClock.due_at.is_not(None))
                    .order_by(TicketClock.due_at)
                    .limit(1)
                ),
                session.scalar(
                    select(TicketClock.warn_at)
                    .where(*_pending_warnings())
                    .order_by(TicketClock.warn_at)
                    .limit(1)
                ),
            ]
        return min((instant for instant in instants if instant is not None), default=None)

    def run_pass(self, batch: int = DEFAULT_BATCH) -> PassReport:
        """Act on up to ``batch`` due deadlines and ``batch`` due warnings, earliest first, in
        one transaction."""
        with self.database.write() as session:
            now = self.clock.now(session)
            tickets = {
                ticket.id: ticket
                for search in (
                    _due_search(TicketClock.due_at, _running_clocks(), now, batch),
                    _due_search(TicketClock.warn_at, _pending_warnings(), now, batch),
                )
                for ticket in session.scalars(search)
            }
            if not tickets:
                return PassReport(now, ())
            # Re-read after the lock: another pass or a person may have acted since the search.
            open_clocks: dict[int, list[TicketClock]] = {ticket_id: [] for ticket_id in tickets}
            for clock in session.scalars(
                select(TicketClock)
                .where(TicketClock.ticket_id.in_(tickets), TicketClock.stopped_at.is_(None))
                .order_by(TicketClock.id)
                .execution_options(populate_existing=True)
            ):
                open_clocks[clock.ticket_id].append(clock)
            ladder = Ladder.load(session)
            escalations: list[Escalation] = []
            alerts: list[ClockAlert] = []
            escalated: set[int] = set()
            with session.no_autoflush:  # written at the end, one statement per table
                for ticket_id in sorted(tickets):
                    deadlines = _DeadlinesOfOneTicket(session, ladder, tickets[ticket_id], now)
                    escalation = deadlines.act(open_clocks[ticket_id], alerts)
                    if escalation is not None:
                        escalations.append(escalation)
                        if escalation.to_tier is not None:
                            escalated.add(ticket_id)
                write_pending_in_bulk(session)
            announce_ticket_changes(session, sorted(escalated))
            return PassReport(now, tuple(escalations), tuple(alerts))


def _due_search(
    instant: InstrumentedAttribute[datetime | None],
    conditions: tuple[ColumnElement[bool], ...],
    now: datetime,
    batch: int,
) -> Select[tuple[Ticket]]:
    """The tickets of the earliest clocks whose ``instant`` has come, locked as they are found
    and skipping those another pass or a person holds, so that passes side by side share the
    work instead of all reaching for the same tickets."""
    return (
        select(Ticket)
        .join(TicketClock, TicketClock.ticket_id == Ticket.id)
        .where(*conditions, instant <= now)
        .order_by(instant)
        .limit(batch)
        .with_for_update(of=Ticket, skip_locked=True)
    )


class _DeadlinesOfOneTicket:
    """The pass's work on one locked ticket: warnings first, then breaches, then the move."""

    def __init__(self, session: Session, ladder: Ladder, ticket: Ticket, now: datetime) -> None:
        self.session, self.ladder, self.ticket, self.now = session, ladder, ticket, now
        self.tier_code = ladder.by_id(ticket.tier_id).code

    def act(self, clocks: list[TicketClock], alerts: list[ClockAlert]) -> Escalation | None:
        """``clocks``: the ticket's open clocks, read after the ticket was locked."""
        self.clocks = clocks
        expired_tier_clock = None
        for clock in clocks:
            if clock.warn_at is not None and clock.warn_at <= self.now:
                alerts.append(self._alert(clock, AlertKind.WARNING, clock.warn_at))
                clock.warned_at, clock.warn_at = clock.warn_at, None
            if clock.breached_at is not None or clock.due_at is None or clock.due_at > self.now:
                continue
            if clock.kind.escalates:
                expired_tier_clock = clock
            else:
                alerts.append(self._alert(clock, AlertKind.BREACH, clock.due_at))
                clock.breached_at = clock.due_at
        if expired_tier_clock is None or self.ticket.status.is_finished:
            return None
        if expired_tier_clock.tier_id != self.ticket.tier_id:
            return None  # a stale clock; the ticket's next change stops it
        return self._escalate(expired_tier_clock)

    def _escalate(self, clock: TicketClock) -> Escalation:
        assert clock.due_at is not None
        terms = terms_of(self.session, clock.policy_id)
        due_at, from_tier = clock.due_at, self.tier_code
        clock.breached_at = due_at  # so that stopping it below records no second breach
        here = self.ladder.index_of(self.ticket.tier_id)
        if here + 1 == len(self.ladder.tiers):  # the top: flagged, not moved; the index drops it
            record_alert(
                self.session, clock, AlertKind.BREACH, due_at, self.now, self.ticket.tier_id
            )
            return Escalation(self.ticket.key, from_tier, None, due_at, terms.name, terms.version)
        target = self.ladder.tiers[here + 1]
        record_alert(
            self.session, clock, AlertKind.ESCALATION, due_at, self.now, self.ticket.tier_id,
            to_tier_id=target.id,
        )  # fmt: skip
        change = TicketChange.by_system(self.session, self.ticket, self.ladder, self.now)
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
        change.finish(self.clocks)
        return Escalation(
            self.ticket.key, from_tier, target.code, due_at, terms.name, terms.version
        )

    def _alert(self, clock: TicketClock, kind: AlertKind, threshold_at: datetime) -> ClockAlert:
        record_alert(self.session, clock, kind, threshold_at, self.now, self.ticket.tier_id)
        terms = terms_of(self.session, clock.policy_id)
        return ClockAlert(
            self.ticket.key, kind, clock.kind, self.tier_code, threshold_at, terms.name,
            terms.version,
        )  # fmt: skip


def _running_clocks() -> tuple[ColumnElement[bool], ...]:
    """The conditions of the partial index ``ix_ticket_clocks_running_due``."""
    return (TicketClock.stopped_at.is_(None), TicketClock.breached_at.is_(None))


def _pending_warnings() -> tuple[ColumnElement[bool], ...]:
    """The conditions of the partial index ``ix_ticket_clocks_pending_warning``."""
    return (TicketClock.warn_at.is_not(None), TicketClock.stopped_at.is_(None))
