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

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.models import AlertKind, ClockKind, EventKind, MoveReason, TicketClock, TicketStatus
from app.services.bulk import pipelined
from app.services.change_feed import announce_ticket_changes
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder
from app.services.escalation_batch import (
    DueSearch,
    EscalationBatch,
    EventRow,
    TicketRow,
    lock_due_tickets,
)
from app.services.rules.engine import load_rule_set
from app.services.rules.time_pass import TimePassReport, next_time_rule_due, run_time_rules
from app.services.sla_clocks import AnyClock, ClockInputs, ClockKeeper
from app.services.sla_policy import current_terms, terms_of

DEFAULT_BATCH = 1_000
#: Tickets acted on between two writes: on PostgreSQL the server writes a slice while the pass
#: works out the next (``bulk.pipelined``).
WRITE_EVERY = 200


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
    """What one pass did: escalations, clock alerts and the time-based rules' looks."""

    at: datetime
    escalations: tuple[Escalation, ...]
    alerts: tuple[ClockAlert, ...] = ()
    rules: TimePassReport | None = None

    @property
    def did_something(self) -> bool:
        return bool(self.escalations or self.alerts or (self.rules and self.rules.looks))


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
                next_time_rule_due(session),
            ]
        return min((instant for instant in instants if instant is not None), default=None)

    def run_pass(self, batch: int = DEFAULT_BATCH) -> PassReport:
        """Act on up to ``batch`` due deadlines and ``batch`` due warnings, earliest first, in
        one transaction; then run the time-based rules due (``rules.time_pass``) in one of their
        own, so that a rule that fails cannot undo escalations (each keeps its own exactly-once
        guarantee: locked tickets, and a firing recorded once)."""
        report, time_rules = self._act_on_deadlines(batch)
        if not time_rules:  # most desks have none: no second transaction for nothing
            return replace(report, rules=TimePassReport(report.at, ()))
        with self.database.write() as session:
            return replace(report, rules=run_time_rules(session, report.at, batch))

    def _act_on_deadlines(self, batch: int) -> tuple[PassReport, bool]:
        """The pass's own work, and whether the desk has time rules (a rule added after this
        look runs at the next pass)."""
        with self.database.write() as session:
            time_rules = bool(load_rule_set(session).time_rules())  # one query, rules cached
            now = self.clock.now(session)
            tickets = lock_due_tickets(session, due_searches(now), batch)
            if not tickets:
                return PassReport(now, ()), time_rules
            work = EscalationBatch(session)
            work.load(tickets)  # the clocks read after the lock: the truth now
            ladder = Ladder.held(session)
            keeper = ClockKeeper(session, ladder, sink=work, recompute_unchanged=False)
            _read_terms_ahead(session, work.policy_ids())
            escalations: list[Escalation] = []
            alerts: list[ClockAlert] = []
            moved: list[TicketRow] = []

            def act_on(ticket: TicketRow, clocks: list[AnyClock]) -> Escalation | None:
                deadlines = _DeadlinesOfOneTicket(session, ladder, keeper, work, ticket, now)
                return deadlines.act(clocks, alerts)

            ticket_ids = sorted(tickets)
            with pipelined(session):
                for first in range(0, len(ticket_ids), WRITE_EVERY):
                    slice_ids = ticket_ids[first : first + WRITE_EVERY]
                    moved_here = []
                    clocks = work.clocks_of(slice_ids)
                    for ticket_id in slice_ids:
                        escalation = act_on(tickets[ticket_id], clocks[ticket_id])
                        if escalation is not None:
                            escalations.append(escalation)
                            if escalation.to_tier is not None:
                                moved_here.append(tickets[ticket_id])
                    work.write(slice_ids, moved_here)
                    moved += moved_here
            announce_ticket_changes(session, [ticket.id for ticket in moved])
            return PassReport(now, tuple(escalations), tuple(alerts)), time_rules


class _DeadlinesOfOneTicket:
    """The pass's work on one locked ticket: warnings first, then breaches, then the move."""

    def __init__(
        self,
        session: Session,
        ladder: Ladder,
        keeper: ClockKeeper,
        work: EscalationBatch,
        ticket: TicketRow,
        now: datetime,
    ) -> None:
        self.session, self.ladder, self.keeper, self.work = session, ladder, keeper, work
        self.ticket, self.now = ticket, now
        self.tier_code = ladder.by_id(ticket.tier_id).code

    def act(self, clocks: list[AnyClock], alerts: list[ClockAlert]) -> Escalation | None:
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

    def _escalate(self, clock: AnyClock) -> Escalation:
        assert clock.due_at is not None
        terms = terms_of(self.session, clock.policy_id)
        ticket, due_at, from_tier = self.ticket, clock.due_at, self.tier_code
        clock.breached_at = due_at  # so that stopping it below records no second breach
        here = self.ladder.index_of(ticket.tier_id)
        if here + 1 == len(self.ladder.tiers):  # the top: flagged, not moved; the index drops it
            self.work.alert(clock, AlertKind.BREACH, due_at, self.now, ticket.tier_id)
            return Escalation(ticket.key, from_tier, None, due_at, terms.name, terms.version)
        target = self.ladder.tiers[here + 1]
        self.work.alert(
            clock, AlertKind.ESCALATION, due_at, self.now, ticket.tier_id, to_tier_id=target.id
        )
        at = max(self.now, ticket.updated_at)  # history stays in order, as in a person's change
        moved = EventRow(
            ticket.id,
            ticket.version + 1,
            EventKind.TIER_CHANGED,
            at,
            reason=MoveReason.SLA,
            from_tier_id=ticket.tier_id,
            to_tier_id=target.id,
            note=f"{from_tier} tier clock expired ({terms.name} policy v{terms.version})",
            details={
                "clock": ClockKind.TIER.value,
                "due_at": due_at.isoformat(),
                "policy_id": terms.policy_id,
                "policy_version": terms.version,
            },
        )
        events = [moved, *_joining_the_queue(ticket, at)]
        ticket.tier_id, ticket.version, ticket.updated_at = target.id, ticket.version + 1, at
        for event in events:
            self.work.record(event)
        inputs = ClockInputs.after(ticket, self.ladder, events)
        self.keeper.advance(ticket.id, self.clocks, inputs, at)
        return Escalation(ticket.key, from_tier, target.code, due_at, terms.name, terms.version)

    def _alert(self, clock: AnyClock, kind: AlertKind, threshold_at: datetime) -> ClockAlert:
        self.work.alert(clock, kind, threshold_at, self.now, self.ticket.tier_id)
        terms = terms_of(self.session, clock.policy_id)
        return ClockAlert(
            self.ticket.key, kind, clock.kind, self.tier_code, threshold_at, terms.name,
            terms.version,
        )  # fmt: skip


def _read_terms_ahead(session: Session, policy_ids: Iterable[int]) -> None:
    """Look up, before the writes are pipelined, the policy terms the pass will ask for (those
    of the clocks read and the current ones, for the clocks it starts): they are cached for
    the transaction, and nothing may be read while writes are pipelined (``bulk.pipelined``)."""
    for policy_id in policy_ids:
        terms_of(session, policy_id)
    current_terms(session)


def _joining_the_queue(ticket: TicketRow, at: datetime) -> list[EventRow]:
    """A ticket moved to another tier joins that tier's queue: nobody there has taken it or
    started on it (as ``TicketChange.move_to`` does for a person's move), so it is unassigned
    and work in progress goes back to open. Changes ``ticket``; returns the events (of the
    ticket's next version)."""
    events = []
    version = ticket.version + 1
    if ticket.assignee_id is not None:
        events.append(
            EventRow(
                ticket.id,
                version,
                EventKind.ASSIGNED,
                at,
                field="assignee_id",
                old_value=str(ticket.assignee_id),
                new_value=None,
            )  # fmt: skip
        )
        ticket.assignee_id = None
    if ticket.status == TicketStatus.IN_PROGRESS:
        events.append(
            EventRow(
                ticket.id,
                version,
                EventKind.STATUS_CHANGED,
                at,
                field="status",
                old_value=TicketStatus.IN_PROGRESS.value,
                new_value=TicketStatus.OPEN.value,
            )  # fmt: skip
        )
        ticket.status = TicketStatus.OPEN
    return events


def due_searches(now: datetime) -> tuple[DueSearch, ...]:
    """What the pass looks for at ``now``: expired running clocks, and warnings come due."""
    return (
        ((*_running_clocks(), TicketClock.due_at <= now), TicketClock.due_at),
        ((*_pending_warnings(), TicketClock.warn_at <= now), TicketClock.warn_at),
    )


def _running_clocks() -> tuple[ColumnElement[bool], ...]:
    """The conditions of the partial index ``ix_ticket_clocks_running_due``."""
    return (TicketClock.stopped_at.is_(None), TicketClock.breached_at.is_(None))


def _pending_warnings() -> tuple[ColumnElement[bool], ...]:
    """The conditions of the partial index ``ix_ticket_clocks_pending_warning``."""
    return (TicketClock.warn_at.is_not(None), TicketClock.stopped_at.is_(None))
