"""Time-based rules: the pass that finds tickets for which a time rule is due and runs it, exactly
once per rule, ticket and episode, however many desktops and workers run the pass at once.

An episode is the stretch of time the rule measures, named by the instant it began:

- ``without_resolution``: since the ticket was created (one episode per ticket);
- ``in_tier``: since the ticket entered its current tier (a new episode at every move);
- ``since_update``: since the ticket's last change (a new episode at every change);
- ``until_breach``: the life of one running clock of the named kind (its start).

A rule is due when ``minutes`` have passed since the episode began (``until_breach``: when at
most ``minutes`` are left before the clock's breach), counted in business time of the rule's
calendar or in wall time. When it is due the rule looks at the ticket once: if its conditions
hold it acts (and the ``updated`` rules see its changes, as after a person's change); either
way a ``RuleFiring`` row records the look, and the unique key (rule, ticket, episode) makes a
second look impossible. Finished tickets are left alone.

Exactly once, as in the escalation pass: the search locks the tickets it finds (``SELECT ... FOR
UPDATE OF tickets SKIP LOCKED``; on SQLite the write transaction is exclusive), and only then
re-reads the episode and whether it was already recorded; a ticket another pass holds is
skipped and picked up by the next pass if still due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import (
    CalendarRecord,
    ClockKind,
    RuleFiring,
    Ticket,
    TicketClock,
    TicketEvent,
    TicketStatus,
)
from app.services.business_time import (
    BusinessCalendar,
    due,
    elapsed,
    iter_working_intervals,
    latest_start,
)
from app.services.change_feed import announce_ticket_changes
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder
from app.services.rules.engine import (
    CompiledRule,
    RuleSet,
    TriggerEvent,
    apply_evaluation,
    evaluate,
    load_rule_set,
    snapshot_of,
)
from app.services.sla_policy import calendar_of

DEFAULT_BATCH = 500
_FINISHED = (TicketStatus.RESOLVED, TicketStatus.CLOSED)


@dataclass(frozen=True)
class TimeRuleLook:
    """A time rule's look at one ticket: ``actions`` it took (in words, empty when its
    conditions did not hold), ``capped`` when the move cap stopped the rules."""

    key: str
    rule_id: int
    rule: str
    rule_version: int
    episode_at: datetime
    actions: tuple[str, ...]
    capped: str | None = None

    @property
    def acted(self) -> bool:
        return bool(self.actions)


@dataclass(frozen=True)
class TimePassReport:
    at: datetime
    looks: tuple[TimeRuleLook, ...]

    @property
    def acted(self) -> tuple[TimeRuleLook, ...]:
        return tuple(look for look in self.looks if look.acted)


class TimeRuleService:
    """The time pass and its next deadline, each in a transaction of its own."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def run_pass(self, batch: int = DEFAULT_BATCH) -> TimePassReport:
        with self.database.write() as session:
            return run_time_rules(session, self.clock.now(session), batch)

    def next_due(self) -> datetime | None:
        with self.database.read() as session:
            return next_time_rule_due(session)


def run_time_rules(session: Session, now: datetime, batch: int = DEFAULT_BATCH) -> TimePassReport:
    """Run the time rules due at ``now`` on up to ``batch`` tickets per rule, in the caller's
    write transaction (the escalation pass's, or one of its own)."""
    rule_set = load_rule_set(session)
    rules = rule_set.time_rules()
    if not rules:
        return TimePassReport(now, ())
    _without_jit(session)
    ladder = Ladder.held(session)  # a rule's move must not race a tier's retirement
    calendars = _Calendars(session)
    looks: list[TimeRuleLook] = []
    changed: set[int] = set()
    for rule in rules:
        measure = _Measure(rule, calendars.get(rule.trigger.calendar))
        found = session.execute(measure.search(now, batch)).all()
        for ticket, searched_start in found:
            episode = measure.episode_of(session, ticket)  # re-read, now the ticket is locked
            if episode is None or ticket.status in _FINISHED:
                continue
            if not measure.is_due(episode, now):
                if _same_instant(measure.search_key(episode), searched_start):
                    break  # ordered by due time: the rest are not due either
                continue
            if _looked_already(session, rule, ticket.id, measure.episode_start(episode)):
                continue
            look = _look(session, rule_set, rule, ticket, ladder, now, measure, episode)
            looks.append(look)
            if look.acted:
                changed.add(ticket.id)
    session.flush()
    announce_ticket_changes(session, sorted(changed))
    return TimePassReport(now, tuple(looks))


def _look(
    session: Session,
    rule_set: RuleSet,
    rule: CompiledRule,
    ticket: Ticket,
    ladder: Ladder,
    now: datetime,
    measure: _Measure,
    episode: Any,
) -> TimeRuleLook:
    assert rule.spec.id is not None
    snapshot = snapshot_of(session, ticket, ladder, rule_set.needs_escalations, rule_set.desk)
    evaluation = evaluate(rule_set, snapshot, TriggerEvent("time", rule_id=rule.spec.id))
    ours = bool(evaluation.firings) and evaluation.firings[0].rule_id == rule.spec.id
    apply_evaluation(session, ticket, ladder, now, evaluation)
    start = measure.episode_start(episode)
    session.add(
        RuleFiring(
            rule_id=rule.spec.id, rule_version=rule.spec.version, ticket_id=ticket.id,
            episode_at=start, fired_at=now, acted=ours,
        )
    )  # fmt: skip
    session.flush()  # the unique key refuses a second look here, should one ever slip by
    actions = tuple(a.describe() for f in evaluation.firings for a in f.actions) if ours else ()
    return TimeRuleLook(
        ticket.key, rule.spec.id, rule.spec.name, rule.spec.version, start, actions,
        evaluation.capped,
    )  # fmt: skip


def _same_instant(a: Any, b: Any) -> bool:
    return isinstance(a, datetime) and isinstance(b, datetime) and a == b


def _looked_already(session: Session, rule: CompiledRule, ticket_id: int, start: datetime) -> bool:
    return (
        session.scalar(
            select(RuleFiring.id).where(
                RuleFiring.rule_id == rule.spec.id,
                RuleFiring.ticket_id == ticket_id,
                RuleFiring.episode_at == start,
            )
        )
        is not None
    )


class _Calendars:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.loaded: dict[str, BusinessCalendar] = {}

    def get(self, name: str | None) -> BusinessCalendar | None:
        if name is None:
            return None
        if name not in self.loaded:
            record = self.session.scalars(
                select(CalendarRecord).where(CalendarRecord.name == name)
            ).one()
            self.loaded[name] = calendar_of(record)
        return self.loaded[name]


class _Measure:
    """One time rule's episode: how it is found in SQL and checked in Python."""

    def __init__(self, rule: CompiledRule, calendar: BusinessCalendar | None) -> None:
        trigger = rule.trigger
        self.rule = rule
        self.kind = trigger.measure or ""
        self.duration = timedelta(minutes=trigger.minutes or 0)
        self.calendar = calendar
        self.clock = ClockKind(trigger.clock) if trigger.clock else None

    # ------------------------------------------------------------------------ SQL
    def start_column(self) -> ColumnElement[Any] | InstrumentedAttribute[Any]:
        if self.kind == "without_resolution":
            return Ticket.created_at
        if self.kind == "since_update":
            return Ticket.updated_at
        if self.kind == "in_tier":
            return _entered_tier_at()
        return TicketClock.due_at  # until_breach: ordered by the breach

    def search(self, now: datetime, batch: int) -> Select[tuple[Ticket, Any]]:
        """Unfinished tickets whose episode is due (bounded in SQL by the business or wall time
        that has run, so that no ticket is locked that is not due), not looked at yet,
        earliest first, locked, skipping those others hold."""
        start = self.start_column()
        episode = TicketClock.started_at if self.kind == "until_breach" else start
        query = select(Ticket, start).where(Ticket.status.not_in(_FINISHED))
        if self.kind == "until_breach":
            query = query.join(
                TicketClock,
                and_(
                    TicketClock.ticket_id == Ticket.id,
                    TicketClock.kind == self.clock,
                    TicketClock.stopped_at.is_(None),
                    TicketClock.breached_at.is_(None),
                    TicketClock.due_at.is_not(None),
                ),
            )
            query = query.where(TicketClock.due_at <= self.latest_due_breach(now))
        else:
            query = query.where(start <= self.latest_due_start(now))
        looked = exists().where(
            RuleFiring.rule_id == self.rule.spec.id,
            RuleFiring.ticket_id == Ticket.id,
            RuleFiring.episode_at == episode,
        )
        return (
            query.where(~looked)
            .order_by(start, Ticket.id)
            .limit(batch)
            .with_for_update(of=Ticket, skip_locked=True)
            .execution_options(populate_existing=True)
        )

    def latest_due_start(self, now: datetime) -> datetime:
        """An episode that began at or before this instant has run ``minutes`` by ``now``."""
        if self.calendar is None:
            return now - self.duration
        return latest_start(self.calendar, now, self.duration)

    def latest_due_breach(self, now: datetime) -> datetime:
        """A clock breaching at or before this instant has at most ``minutes`` left at ``now``:
        ``minutes`` of business time from now, and on through the closed hours after them."""
        if self.calendar is None:
            return now + self.duration
        limit = due(self.calendar, now, self.duration)
        next_opening, _ = next(iter_working_intervals(self.calendar, limit))
        return next_opening

    # --------------------------------------------------------------------- Python
    def episode_of(self, session: Session, ticket: Ticket) -> Any:
        """The episode as it is now: its start, or the running clock (``until_breach``)."""
        if self.kind == "without_resolution":
            return ticket.created_at
        if self.kind == "since_update":
            return ticket.updated_at
        if self.kind == "in_tier":
            return session.scalar(
                select(func.max(TicketEvent.at)).where(
                    TicketEvent.ticket_id == ticket.id, TicketEvent.to_tier_id.is_not(None)
                )
            )
        return session.scalar(
            select(TicketClock)
            .where(
                TicketClock.ticket_id == ticket.id,
                TicketClock.kind == self.clock,
                TicketClock.stopped_at.is_(None),
                TicketClock.breached_at.is_(None),
                TicketClock.due_at.is_not(None),
            )
            .order_by(TicketClock.id.desc())
            .limit(1)
            .execution_options(populate_existing=True)
        )

    def search_key(self, episode: Any) -> Any:
        """What the search ordered the episode by (the breach instant for a clock)."""
        return episode.due_at if isinstance(episode, TicketClock) else episode

    def episode_start(self, episode: Any) -> datetime:
        start = episode.started_at if isinstance(episode, TicketClock) else episode
        assert isinstance(start, datetime)
        return start

    def is_due(self, episode: Any, now: datetime) -> bool:
        if isinstance(episode, TicketClock):
            breach = episode.due_at
            assert breach is not None
            if breach <= now:
                return True
            left = breach - now if self.calendar is None else elapsed(self.calendar, now, breach)
            return left <= self.duration
        assert isinstance(episode, datetime)
        if episode > now:
            return False
        ran = now - episode if self.calendar is None else elapsed(self.calendar, episode, now)
        return ran >= self.duration

    def earliest_due(self, session: Session) -> datetime | None:
        """When the first not-yet-looked-at episode falls due (for ``until_breach`` in business
        time: the wall-time instant, which may be late; the timer's sweep covers it)."""
        start = self.start_column()
        episode = TicketClock.started_at if self.kind == "until_breach" else start
        query = select(start).where(Ticket.status.not_in(_FINISHED))
        if self.kind == "until_breach":
            query = query.join(
                TicketClock,
                and_(
                    TicketClock.ticket_id == Ticket.id,
                    TicketClock.kind == self.clock,
                    TicketClock.stopped_at.is_(None),
                    TicketClock.breached_at.is_(None),
                    TicketClock.due_at.is_not(None),
                ),
            )
        looked = exists().where(
            RuleFiring.rule_id == self.rule.spec.id,
            RuleFiring.ticket_id == Ticket.id,
            RuleFiring.episode_at == episode,
        )
        first = session.scalar(query.where(~looked).order_by(start).limit(1))
        if first is None:
            return None
        if self.kind == "until_breach":
            return first - self.duration  # type: ignore[no-any-return]
        if self.calendar is None:
            return first + self.duration  # type: ignore[no-any-return]
        return due(self.calendar, first, self.duration)


def _without_jit(session: Session) -> None:
    """PostgreSQL over-estimates the correlated searches (a plan "cost" in the hundreds of
    thousands for a query of milliseconds) and would spend most of a second compiling them
    with its JIT; this transaction does without it."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL jit = off"))


def _entered_tier_at() -> ColumnElement[Any]:
    """SQL: when the ticket entered its current tier (created there, or its last move): the
    latest of its events that name a tier to go to (only ``created`` and ``tier_changed`` do;
    filtering on them rather than on the kind keeps the database on the ticket's index)."""
    return (
        select(func.max(TicketEvent.at))
        .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.to_tier_id.is_not(None))
        .correlate(Ticket)
        .scalar_subquery()
    )


def next_time_rule_due(session: Session) -> datetime | None:
    """The earliest instant at which a time rule falls due for some ticket (possibly past), or
    None: for the timer to arm itself, as ``EscalationService.next_deadline`` does."""
    rule_set = load_rule_set(session)
    calendars = _Calendars(session)
    if rule_set.time_rules():
        _without_jit(session)
    instants = [
        _Measure(rule, calendars.get(rule.trigger.calendar)).earliest_due(session)
        for rule in rule_set.time_rules()
    ]
    return min((i for i in instants if i is not None), default=None)
