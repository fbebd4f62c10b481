"""Keeping a ticket's SLA clocks in step with the ticket, in the transaction that changes it.

Which clocks run, and when (targets come from the policy current when the clock starts):

- ``tier``: from entering a tier until leaving it or resolving; its expiry escalates.
- ``tier_response``: from entering a tier until someone responds there (a comment, taking or
  assigning the ticket, a status change) or the ticket leaves the tier.
- ``vendor``: while an internal tier waits on the vendor, against the vendor tier's target.
- ``first_response``: from creation until the first response.
- ``resolution``: from creation until closed; it stands still while resolved, so a reopened
  ticket carries on with the time it had used.

Every clock stands still while the ticket waits on the customer; the tier clocks also while an
internal tier waits on the vendor (``clock_paused``). A clock's ``due_at`` and ``warn_at`` are
stored so that the escalation pass only compares instants; a clock paused or stopped after its
due instant has its breach recorded there and then, so no breach is lost to timing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import groupby
from typing import Any, Protocol, TypeAlias

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    AlertKind,
    ClockKind,
    EventKind,
    Priority,
    SlaAlert,
    Ticket,
    TicketClock,
    TicketEvent,
    TicketStatus,
    TierKind,
)
from app.services.business_time import BusinessCalendar, due, elapsed, iter_working_intervals
from app.services.desk import Ladder
from app.services.history import TicketState, apply_event, replay, state_of
from app.services.sla_policy import PAUSE_ALL, PAUSE_TIER, PolicyTerms, current_terms, terms_of

_ONE_HOUR = timedelta(hours=1)

#: A person's events that count as responding to the ticket.
RESPONSE_EVENTS = frozenset({EventKind.COMMENTED, EventKind.ASSIGNED, EventKind.STATUS_CHANGED})


@dataclass(slots=True)
class ClockRow:
    """A ticket clock as a plain object, with ``TicketClock``'s columns: what the escalation
    pass works on, a thousand tickets at a time, where instrumented ORM objects cost ten times
    the database work (see ``escalation_batch``). ``id`` is ``None`` until it is written."""

    id: int | None
    ticket_id: int
    kind: ClockKind
    tier_id: int | None
    policy_id: int
    target_seconds: int
    started_at: datetime
    used_seconds: int
    running_since: datetime | None
    due_at: datetime | None
    warn_at: datetime | None
    warned_at: datetime | None
    breached_at: datetime | None
    stopped_at: datetime | None


#: The clocks ``ClockKeeper`` works on: ORM rows in a person's change, plain rows in the pass.
AnyClock: TypeAlias = TicketClock | ClockRow


class ClockSink(Protocol):
    """Where ``ClockKeeper`` puts the clocks it starts and the alerts it records."""

    def new_clock(self, **columns: Any) -> AnyClock: ...

    def alert(
        self,
        clock: AnyClock,
        kind: AlertKind,
        threshold_at: datetime,
        fired_at: datetime,
        tier_id: int | None,
        to_tier_id: int | None = None,
    ) -> None: ...


class SessionSink:
    """The ORM way, for one person's change: new clocks are ``TicketClock`` objects (the caller
    adds them to the session) and alerts are ``SlaAlert`` objects added to it."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def new_clock(self, **columns: Any) -> AnyClock:
        return TicketClock(**columns)

    def alert(
        self,
        clock: AnyClock,
        kind: AlertKind,
        threshold_at: datetime,
        fired_at: datetime,
        tier_id: int | None,
        to_tier_id: int | None = None,
    ) -> None:
        assert isinstance(clock, TicketClock)
        record_alert(self.session, clock, kind, threshold_at, fired_at, tier_id, to_tier_id)


def is_response(event: TicketEvent | Any) -> bool:
    """Whether a person responded to the ticket with this event: a comment, taking or assigning
    it to someone, or changing its status."""
    if event.actor_id is None or event.kind not in RESPONSE_EVENTS:
        return False
    return event.kind != EventKind.ASSIGNED or event.new_value is not None


def clock_paused(
    kind: ClockKind, status: TicketStatus, tier_kind: TierKind, terms: PolicyTerms | None = None
) -> bool:
    """Whether a clock of ``kind`` stands still for a ticket in ``status`` at a tier of
    ``tier_kind``, under the pause rules of the clock's policy ``terms`` (by default, those every
    policy starts with: waiting on the customer stops every clock, waiting on the vendor an
    internal tier's clocks)."""
    if status in (terms.pause_all if terms else PAUSE_ALL):
        return True
    if kind in (ClockKind.TIER, ClockKind.TIER_RESPONSE):
        return status in (terms.pause_tier if terms else PAUSE_TIER) and (
            tier_kind == TierKind.INTERNAL
        )
    if kind == ClockKind.RESOLUTION:
        return status == TicketStatus.RESOLVED
    return False


@dataclass(frozen=True)
class ClockInputs:
    """What the clocks need to know about a ticket just after one change to it."""

    status: TicketStatus
    tier_id: int
    tier_kind: TierKind
    priority: Priority
    created: bool
    entered_tier: bool
    reopened: bool
    responded: bool

    @classmethod
    def after(
        cls, state: Ticket | TicketState | Any, ladder: Ladder, events: Iterable[Any]
    ) -> ClockInputs:
        """``state``: the ticket after the change (ORM row, replayed state or the pass's plain
        row); ``events``: what the change recorded (``TicketEvent`` or the pass's plain rows)."""
        events = list(events)
        kinds = {event.kind for event in events}
        # A tier move hands the ticket on (unassigning it and reopening work in progress on
        # the way); that is not an answer to the customer, nor the new tier's response.
        responded = EventKind.TIER_CHANGED not in kinds and any(map(is_response, events))
        created = EventKind.CREATED in kinds
        reopened = EventKind.REOPENED in kinds
        return cls(
            status=state.status,
            tier_id=state.tier_id,
            tier_kind=ladder.by_id(state.tier_id).kind,
            priority=state.priority,
            created=created,
            entered_tier=created or reopened or EventKind.TIER_CHANGED in kinds,
            reopened=reopened,
            responded=responded,
        )


def sync_clocks(
    session: Session,
    ticket: Ticket,
    ladder: Ladder,
    at: datetime,
    events: Iterable[TicketEvent],
    open_clocks: Sequence[TicketClock] | None = None,
) -> None:
    """Start, stop, pause, resume or re-target the ticket's clocks so that they match the ticket
    after the change that recorded ``events`` at ``at`` (in the change's transaction).
    ``open_clocks``: the ticket's open clocks, when the caller has read them already."""
    clocks = list(open_clocks) if open_clocks is not None else open_clocks_of(session, ticket.id)
    keeper = ClockKeeper(session, ladder)
    for clock in keeper.advance(ticket.id, clocks, ClockInputs.after(ticket, ladder, events), at):
        if clock.id is None:
            assert isinstance(clock, TicketClock)
            session.add(clock)


def open_clocks_of(session: Session, ticket_id: int) -> list[TicketClock]:
    return list(
        session.scalars(
            select(TicketClock).where(
                TicketClock.ticket_id == ticket_id, TicketClock.stopped_at.is_(None)
            )
        )
    )


class ClockKeeper:
    """Moves one ticket's open clocks through one change. With ``record_breaches`` off (when
    rebuilding clocks from history) breaches found on the way are not written as alerts.
    ``sink`` makes new clocks and takes alerts: ORM objects by default, plain rows in the pass;
    the rules are the same either way. Every change recomputes its clocks' instants, so that an
    edited calendar (holidays, hours) reaches a running clock at the ticket's next change; the
    pass (``recompute_unchanged`` off) leaves a clock whose target and running state it did not
    change as it is, which saves most of its work."""

    def __init__(
        self,
        session: Session,
        ladder: Ladder,
        record_breaches: bool = True,
        sink: ClockSink | None = None,
        recompute_unchanged: bool = True,
    ) -> None:
        self.session = session
        self.recompute_unchanged = recompute_unchanged
        self.ladder = ladder
        self.record_breaches = record_breaches
        self.sink: ClockSink = sink or SessionSink(session)
        vendor = next((tier for tier in ladder.tiers if tier.kind == TierKind.VENDOR), None)
        self.vendor_tier_id = vendor.id if vendor else None
        # Looked up once per keeper: the pass asks for them for every clock of every ticket.
        self._terms: dict[int, tuple[PolicyTerms, BusinessCalendar]] = {}
        self._targets: dict[tuple[int, ClockKind, int | None, Priority], int | None] = {}

    def advance(
        self, ticket_id: int, clocks: Sequence[AnyClock], inputs: ClockInputs, at: datetime
    ) -> list[AnyClock]:
        """The ticket's open clocks after the change: those of ``clocks`` still open, plus any
        started now (not yet added to the session). Stopped ones get ``stopped_at``."""
        still_open = []
        for clock in clocks:
            if _should_stop(clock, inputs):
                self._stop(clock, inputs, at)
            else:
                still_open.append(clock)
        running_kinds = {clock.kind for clock in still_open}
        for kind in ClockKind:
            if kind not in running_kinds and self._should_start(kind, inputs):
                started = self._start(ticket_id, kind, inputs, at)
                if started is not None:
                    still_open.append(started)
        for clock in still_open:
            terms, calendar = self._terms_of(clock.policy_id)
            scheduled = (clock.target_seconds, clock.running_since, clock.id is not None)
            target = self._target_seconds(terms, clock.kind, clock.tier_id, inputs.priority)
            if target is not None:  # a new priority, measured against the clock's own policy
                clock.target_seconds = target
            if clock_paused(clock.kind, inputs.status, inputs.tier_kind, terms):
                self._pause(clock, inputs, at)
            elif clock.running_since is None:
                clock.running_since = at
            unchanged = scheduled == (clock.target_seconds, clock.running_since, True)
            if self.recompute_unchanged or not unchanged:
                _schedule(terms, calendar, clock)
        return still_open

    def _terms_of(self, policy_id: int) -> tuple[PolicyTerms, BusinessCalendar]:
        """The policy version's terms, and its calendar as the one object every clock of the
        process measures with (``_shared_calendar``)."""
        known = self._terms.get(policy_id)
        if known is None:
            terms = terms_of(self.session, policy_id)
            known = self._terms[policy_id] = (terms, _shared_calendar(terms.calendar))
        return known

    def _target_seconds(
        self, terms: PolicyTerms, kind: ClockKind, tier_id: int | None, priority: Priority
    ) -> int | None:
        key = (terms.policy_id, kind, tier_id, priority)
        if key not in self._targets:
            target = terms.target(kind, tier_id, priority)
            self._targets[key] = None if target is None else int(target.total_seconds())
        return self._targets[key]

    def _should_start(self, kind: ClockKind, inputs: ClockInputs) -> bool:
        if inputs.status.is_finished:
            return False
        if kind == ClockKind.TIER:
            return True
        if kind == ClockKind.TIER_RESPONSE:
            return inputs.entered_tier and not inputs.responded
        if kind == ClockKind.VENDOR:
            return _waits_on_vendor(inputs) and self.vendor_tier_id is not None
        if kind == ClockKind.FIRST_RESPONSE:
            return inputs.created and not inputs.responded
        return inputs.created or inputs.reopened  # RESOLUTION

    def _start(
        self, ticket_id: int, kind: ClockKind, inputs: ClockInputs, at: datetime
    ) -> AnyClock | None:
        terms = current_terms(self.session)
        tier_id: int | None = inputs.tier_id
        if kind == ClockKind.VENDOR:
            tier_id = self.vendor_tier_id
        elif kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION):
            tier_id = None
        target = self._target_seconds(terms, kind, tier_id, inputs.priority) if terms else None
        if terms is None or target is None:
            return None
        return self.sink.new_clock(
            id=None,
            ticket_id=ticket_id,
            kind=kind,
            tier_id=tier_id,
            policy_id=terms.policy_id,
            target_seconds=target,
            started_at=at,
            used_seconds=0,
            running_since=None,
            due_at=None,
            warn_at=None,
            warned_at=None,
            breached_at=None,
            stopped_at=None,
        )

    def _stop(self, clock: AnyClock, inputs: ClockInputs, at: datetime) -> None:
        self._pause(clock, inputs, at, stopping=True)
        clock.stopped_at = at
        clock.warn_at = None

    def _pause(
        self, clock: AnyClock, inputs: ClockInputs, at: datetime, stopping: bool = False
    ) -> None:
        """Bank the business time run since the clock last started and stop it running; a
        clock already past its due instant has the breach recorded now, except a tier clock
        that only pauses: it escalates as soon as it runs again (the pass needs it unbreached)."""
        due_at = clock.due_at
        past_due = due_at is not None and due_at <= at and clock.breached_at is None
        if due_at is not None and past_due and (stopping or not clock.kind.escalates):
            clock.breached_at = due_at
            if self.record_breaches:
                self.sink.alert(clock, AlertKind.BREACH, due_at, at, inputs.tier_id)
        if clock.running_since is not None:
            calendar = self._terms_of(clock.policy_id)[1]
            ran = _elapsed(calendar, clock.running_since, max(at, clock.running_since))
            clock.used_seconds += int(ran.total_seconds())
        clock.running_since = None
        clock.due_at = clock.warn_at = None


def _waits_on_vendor(inputs: ClockInputs) -> bool:
    return inputs.status == TicketStatus.WAITING_ON_VENDOR and inputs.tier_kind == TierKind.INTERNAL


def _should_stop(clock: AnyClock, inputs: ClockInputs) -> bool:
    kind = clock.kind
    if kind == ClockKind.RESOLUTION:
        return inputs.status == TicketStatus.CLOSED
    if inputs.status.is_finished:
        return True
    if kind == ClockKind.TIER:
        return clock.tier_id != inputs.tier_id
    if kind == ClockKind.TIER_RESPONSE:
        return clock.tier_id != inputs.tier_id or inputs.responded
    if kind == ClockKind.VENDOR:
        return not _waits_on_vendor(inputs)
    return inputs.responded  # FIRST_RESPONSE


def _schedule(terms: PolicyTerms, calendar: BusinessCalendar, clock: AnyClock) -> None:
    """The breach and warning instants of a running clock (none for a paused one, and no
    warning once it fired or the clock breached), on ``calendar`` (the policy's)."""
    if clock.running_since is None:
        clock.due_at = clock.warn_at = None
        return
    used = timedelta(seconds=clock.used_seconds)
    target = timedelta(seconds=clock.target_seconds)
    clock.due_at = remembered_due(calendar, clock.running_since, max(target - used, timedelta(0)))
    warning = target * terms.warning_percent / 100
    clock.warn_at = (
        None
        if clock.warned_at is not None or clock.breached_at is not None
        else remembered_due(calendar, clock.running_since, max(warning - used, timedelta(0)))
    )


@lru_cache(maxsize=4_096)
def remembered_due(
    calendar: BusinessCalendar, start: datetime, business_time: timedelta
) -> datetime:
    """``business_time.due``, remembered: the clocks one pass starts share their start and a
    handful of targets, and a replay asks for a ticket's next deadline before each of its
    changes, mostly unmoved since; so most answers are already known."""
    return due(calendar, start, business_time)


def _elapsed(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """``elapsed`` in two parts: up to the first whole hour (UTC) after ``start``, and from
    there to ``end``, each remembered. The clocks a pass stops all end at its "now" and started
    within a few days of it, so both parts are known after the first few tickets and only
    clipping the start's hour is left per clock. (Business time adds up: the sum is exact.)"""
    hour_start = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    next_hour = hour_start + _ONE_HOUR
    if next_hour >= end:
        return elapsed(calendar, start, end)
    first_part = timedelta(0)
    for begin, stop in _working_time_in_hour(calendar, hour_start):
        if stop > start:
            first_part += stop - max(begin, start)
    return first_part + _elapsed_remembered(calendar, next_hour, end)


@lru_cache(maxsize=4_096)
def _working_time_in_hour(
    calendar: BusinessCalendar, hour_start: datetime
) -> tuple[tuple[datetime, datetime], ...]:
    return tuple(iter_working_intervals(calendar, hour_start, hour_start + _ONE_HOUR))


@lru_cache(maxsize=4_096)
def _elapsed_remembered(calendar: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    return elapsed(calendar, start, end)


#: Every calendar met so far, as the first object that had its value (see ``_shared_calendar``).
_CALENDARS: dict[BusinessCalendar, BusinessCalendar] = {}


def _shared_calendar(calendar: BusinessCalendar) -> BusinessCalendar:
    """One object per distinct calendar. The remembered calendar sums (``_due``, ``_elapsed``
    and the day lookups of ``business_time``) find a calendar they know by identity at once;
    an equal copy (each transaction reads its policies afresh) is compared field by field on
    every lookup, which was a tenth of a pass's clock work."""
    if len(_CALENDARS) > 64:  # calendars are edited rarely; never let old ones pile up
        _CALENDARS.clear()
    return _CALENDARS.setdefault(calendar, calendar)


def record_alert(
    session: Session,
    clock: TicketClock,
    kind: AlertKind,
    threshold_at: datetime,
    fired_at: datetime,
    tier_id: int | None,
    to_tier_id: int | None = None,
) -> SlaAlert:
    """Write one alert of ``clock`` (a warning, a breach or an escalation)."""
    if clock.id is None:
        session.flush()
    alert = SlaAlert(
        ticket_id=clock.ticket_id,
        clock_id=clock.id,
        kind=kind,
        clock_kind=clock.kind,
        tier_id=tier_id,
        to_tier_id=to_tier_id,
        policy_id=clock.policy_id,
        threshold_at=threshold_at,
        fired_at=fired_at,
    )
    session.add(alert)
    return alert


def rebuild_clocks(
    session: Session, ticket: Ticket, history: Sequence[TicketEvent], ladder: Ladder
) -> list[TicketClock]:
    """Give a ticket whose history was written without clocks (the demo desk, an imported
    history) the clocks it would have if every change had kept them in step, measured against
    the current policy: its history is replayed change by change through the same
    ``ClockKeeper``. Every clock is kept, those stopped on the way (met, or breached when they
    stopped past due) as well as those still open, so that the SLA compliance reports count
    the ticket's whole life. Returns the clocks, added to the session."""
    keeper = ClockKeeper(session, ladder, record_breaches=False)
    clocks: list[AnyClock] = []
    made: dict[int, TicketClock] = {}  # by identity: each clock once, in the order started
    state: TicketState | None = None
    for _version, grouped in groupby(history, key=lambda event: event.ticket_version):
        change = list(grouped)
        state = replay(change) if state is None else _applied(state, change)
        inputs = ClockInputs.after(state, ladder, change)
        clocks = keeper.advance(ticket.id, clocks, inputs, change[0].at)
        made.update((id(clock), clock) for clock in clocks if isinstance(clock, TicketClock))
    if state is not None and state != state_of(ticket):
        raise ValueError(f"{ticket.key}: its history does not lead to its current state")
    session.add_all(made.values())
    return list(made.values())


def _applied(state: TicketState, events: Iterable[TicketEvent]) -> TicketState:
    for event in events:
        state = apply_event(state, event)
    return state
