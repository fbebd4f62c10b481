"""'Why did this escalate?': each SLA clock of a ticket laid out over time.

A clock's timeline covers ``started_at`` to ``stopped_at`` (or "now" while it is open) with
consecutive segments (``ClockSegment``):

- ``counting``: working time of the policy's calendar in which the clock ran;
- ``outside_hours``: nights, weekends and holidays of that calendar, when a running clock stands
  still by itself;
- ``paused``: time in which the ticket's status held the clock (``clock_paused``, the one pause
  rule), whatever the calendar says; ``reason`` names the status;
- ``collapsed``: on a clock with more than ``SEGMENT_LIMIT`` segments, the middle ones folded
  into one that says how many and how much business time they counted.

Pauses are not stored: they come from replaying the ticket's history change by change, as the
clock keeper saw it. So the counting segments add up to the business time the clock used (its
banked ``used_seconds`` plus what it has run since ``running_since``), to the second: the keeper
banks whole seconds at each pause.

Marks (``ClockMark``) are its start, the alerts the escalation pass recorded (``sla_alerts``:
warning, breach, escalation) and its stop, with why it stopped.

The state of a clock (``ClockState``) is one of:

- ``running``: counting now (or standing outside working hours), its target not yet reached;
- ``paused``: held by the ticket's status;
- ``overdue``: running past its due instant, which the escalation pass has not yet acted on;
- ``breached``: its target ran out (recorded by the pass, or when it was paused or stopped late);
- ``escalated``: the tier clock whose expiry moved the ticket up a tier;
- ``met``: stopped in time because what it measured happened (a response, the ticket resolved
  or closed, the vendor's wait over);
- ``stopped``: stopped in time because the ticket left the clock's tier.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    AlertKind,
    ClockKind,
    SlaAlert,
    TicketClock,
    TicketEvent,
    TicketStatus,
    Tier,
    TierKind,
)
from app.services.business_time import BusinessCalendar, elapsed, iter_working_intervals
from app.services.dto import ClockMark, ClockSegment, ClockState, ClockTimeline
from app.services.history import TicketState, apply_event, replay
from app.services.sla_clocks import RESPONSE_EVENTS, clock_paused
from app.services.sla_policy import PolicyTerms, terms_of

#: Segments shown per clock; beyond it the middle ones are folded into one ``collapsed``.
SEGMENT_LIMIT = 120
_PER_TIER = (ClockKind.TIER, ClockKind.TIER_RESPONSE)
Span = tuple[datetime, datetime, str | None]
"""``[start, end)`` of a clock's life and the status pausing it then (``None``: not paused)."""

_MARK_ORDER = {"started": 0, "warning": 1, "breach": 2, "escalation": 3, "stopped": 4}


@dataclass(frozen=True)
class _Change:
    """The ticket just after one change (the events of one ticket version)."""

    at: datetime
    state: TicketState
    events: tuple[TicketEvent, ...]


@dataclass(frozen=True)
class _Stop:
    note: str
    left_tier: bool


def clock_timelines(
    session: Session, ticket_id: int, now: datetime, segment_limit: int = SEGMENT_LIMIT
) -> tuple[ClockTimeline, ...]:
    """The timeline of each of the ticket's clocks, oldest first, as of ``now``."""
    if segment_limit < 3:
        raise ValueError(f"segment_limit must be at least 3, got {segment_limit}")
    clocks = session.scalars(
        select(TicketClock).where(TicketClock.ticket_id == ticket_id).order_by(TicketClock.id)
    ).all()
    if not clocks:
        return ()
    alerts: dict[int, list[SlaAlert]] = {}
    for alert in session.scalars(
        select(SlaAlert).where(SlaAlert.ticket_id == ticket_id).order_by(SlaAlert.id)
    ):
        alerts.setdefault(alert.clock_id, []).append(alert)
    events = session.scalars(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)
    ).all()
    # Every tier, retired ones too: the history may pass through a tier no longer on the ladder.
    tiers = {tier.id: tier for tier in session.scalars(select(Tier))}
    reader = _TimelineReader(session, tiers, _changes(events), now, segment_limit)
    return tuple(reader.timeline(clock, alerts.get(clock.id, ())) for clock in clocks)


def _changes(events: Sequence[TicketEvent]) -> list[_Change]:
    changes: list[_Change] = []
    state: TicketState | None = None
    for _version, grouped in groupby(events, key=lambda event: event.ticket_version):
        change = tuple(grouped)
        if state is None:
            state = replay(change)
        else:
            for event in change:
                state = apply_event(state, event)
        changes.append(_Change(change[0].at, state, change))
    return changes


class _TimelineReader:
    """Lays out the clocks of one ticket against its replayed history."""

    def __init__(
        self,
        session: Session,
        tiers: dict[int, Tier],
        changes: list[_Change],
        now: datetime,
        segment_limit: int,
    ) -> None:
        self.session = session
        self.tiers = tiers
        self.changes = changes
        self.now = now
        self.segment_limit = segment_limit

    def timeline(self, clock: TicketClock, alerts: Sequence[SlaAlert]) -> ClockTimeline:
        terms = terms_of(self.session, clock.policy_id)
        end = clock.stopped_at or max(self.now, clock.started_at)
        segments = _segments(terms.calendar, self._spans(clock, end))
        used = timedelta(seconds=clock.used_seconds)
        if clock.running_since is not None and self.now > clock.running_since:
            used += elapsed(terms.calendar, clock.running_since, self.now)
        stop = self._stop(clock)
        marks = [self._started(clock)]
        marks += [self._alert_mark(clock, alert) for alert in alerts]
        if clock.breached_at is not None and not any(
            alert.kind != AlertKind.WARNING for alert in alerts
        ):
            marks.append(self._unalerted_breach(clock, clock.breached_at))
        if stop is not None:
            marks.append(self._stopped(clock, stop))
        marks.sort(key=lambda mark: (mark.at, _MARK_ORDER[mark.kind]))
        return ClockTimeline(
            kind=clock.kind,
            tier=self._code(clock.tier_id),
            policy=terms.name,
            policy_version=terms.version,
            target_minutes=clock.target_seconds / 60,
            used_minutes=used.total_seconds() / 60,
            started_at=clock.started_at,
            due_at=_due(clock),
            breached_at=clock.breached_at,
            stopped_at=clock.stopped_at,
            state=self._state(clock, alerts, stop),
            segments=_collapsed(segments, self.segment_limit),
            marks=tuple(marks),
        )

    # ------------------------------------------------------------------------------ pauses
    def _spans(self, clock: TicketClock, end: datetime) -> list[Span]:
        """``[started_at, end)`` cut where the ticket changed, each piece with the status that
        paused the clock in it (``None``: not paused)."""
        start = clock.started_at
        terms = terms_of(self.session, clock.policy_id)
        reason: str | None = None
        cuts: list[tuple[datetime, str | None]] = []
        for change in self.changes:
            if change.at >= end:
                break
            if change.at <= start:
                reason = self._pause_reason(clock.kind, change.state, terms)
            else:
                cuts.append((change.at, self._pause_reason(clock.kind, change.state, terms)))
        spans: list[Span] = []
        for at, next_reason in cuts:
            if next_reason != reason:
                spans.append((start, at, reason))
                start, reason = at, next_reason
        spans.append((start, end, reason))
        return [span for span in spans if span[0] < span[1]]

    def _pause_reason(self, kind: ClockKind, state: TicketState, terms: PolicyTerms) -> str | None:
        tier = self.tiers.get(state.tier_id)
        tier_kind = tier.kind if tier is not None else TierKind.INTERNAL
        return state.status.value if clock_paused(kind, state.status, tier_kind, terms) else None

    # ------------------------------------------------------------------------------- marks
    def _started(self, clock: TicketClock) -> ClockMark:
        terms = terms_of(self.session, clock.policy_id)
        target = duration_text(clock.target_seconds / 60)
        note = f"target {target} ({terms.name} v{terms.version})"
        tier = self._code(clock.tier_id)
        return ClockMark(
            "started", clock.started_at, None, tier, None, terms.name, terms.version, note
        )

    def _stopped(self, clock: TicketClock, stop: _Stop) -> ClockMark:
        assert clock.stopped_at is not None
        terms = terms_of(self.session, clock.policy_id)
        tier = self._code(clock.tier_id)
        return ClockMark(
            "stopped", clock.stopped_at, None, tier, None, terms.name, terms.version, stop.note
        )

    def _alert_mark(self, clock: TicketClock, alert: SlaAlert) -> ClockMark:
        terms = terms_of(self.session, alert.policy_id)
        policy = f"{terms.name} v{terms.version}"
        target = duration_text(clock.target_seconds / 60)
        tier = self._code(alert.tier_id)
        if alert.kind == AlertKind.WARNING:
            note = f"{terms.warning_percent}% of the {target} target used ({policy})"
        elif alert.kind == AlertKind.ESCALATION:
            note = f"{tier} tier clock expired ({policy})"
        elif clock.kind == ClockKind.TIER:
            note = f"{tier} tier clock expired at the top of the ladder ({policy})"
        else:
            note = f"{_CLOCK_NAMES[clock.kind]} target of {target} passed ({policy})"
        return ClockMark(
            alert.kind.value, alert.threshold_at, alert.fired_at, tier,
            self._code(alert.to_tier_id), terms.name, terms.version, note,
        )  # fmt: skip

    def _unalerted_breach(self, clock: TicketClock, at: datetime) -> ClockMark:
        """A breach found when the clock was rebuilt from history (the demo desk, an import):
        recorded on the clock, but never sent as an alert."""
        terms = terms_of(self.session, clock.policy_id)
        target = duration_text(clock.target_seconds / 60)
        note = (
            f"{_CLOCK_NAMES[clock.kind]} target of {target} passed "
            f"({terms.name} v{terms.version}; found in the history, no alert sent)"
        )
        tier = self._code(clock.tier_id)
        return ClockMark("breach", at, None, tier, None, terms.name, terms.version, note)

    def _stop(self, clock: TicketClock) -> _Stop | None:
        """Why the clock stopped: the first change at its stop instant that explains it."""
        if clock.stopped_at is None:
            return None
        for change in self.changes:
            if change.at == clock.stopped_at and (stop := self._why_stopped(clock, change)):
                return stop
        return _Stop("stopped", left_tier=False)

    def _why_stopped(self, clock: TicketClock, change: _Change) -> _Stop | None:
        state, kind = change.state, clock.kind
        if state.status == TicketStatus.CLOSED:
            return _Stop("ticket closed", left_tier=False)
        if kind == ClockKind.RESOLUTION:
            return None
        if state.status == TicketStatus.RESOLVED:
            return _Stop("ticket resolved", left_tier=False)
        if kind in _PER_TIER and state.tier_id != clock.tier_id:
            return _Stop(f"ticket moved to {self._code(state.tier_id)}", left_tier=True)
        responded = any(
            event.actor_id is not None and event.kind in RESPONSE_EVENTS for event in change.events
        )
        if kind in (ClockKind.TIER_RESPONSE, ClockKind.FIRST_RESPONSE) and responded:
            return _Stop("responded", left_tier=False)
        if kind == ClockKind.VENDOR and state.status != TicketStatus.WAITING_ON_VENDOR:
            return _Stop("no longer waiting on the vendor", left_tier=False)
        return None

    def _state(
        self, clock: TicketClock, alerts: Sequence[SlaAlert], stop: _Stop | None
    ) -> ClockState:
        if any(alert.kind == AlertKind.ESCALATION for alert in alerts):
            return "escalated"
        if clock.breached_at is not None:
            return "breached"
        if stop is not None:
            return "stopped" if stop.left_tier else "met"
        if clock.running_since is None:
            return "paused"
        if clock.due_at is not None and clock.due_at <= self.now:
            return "overdue"
        return "running"

    def _code(self, tier_id: int | None) -> str | None:
        tier = None if tier_id is None else self.tiers.get(tier_id)
        return None if tier is None else tier.code


_CLOCK_NAMES = {
    ClockKind.TIER: "tier clock",
    ClockKind.TIER_RESPONSE: "tier response",
    ClockKind.VENDOR: "vendor",
    ClockKind.FIRST_RESPONSE: "first response",
    ClockKind.RESOLUTION: "resolution",
}


def _due(clock: TicketClock) -> datetime | None:
    """When the target ran out (a breached clock) or runs out (an open, running one)."""
    if clock.breached_at is not None:
        return clock.breached_at
    return clock.due_at if clock.stopped_at is None else None


def _segments(calendar: BusinessCalendar, spans: Iterable[Span]) -> list[ClockSegment]:
    """Paused spans as they are; the others split by the calendar into counting and outside
    hours; neighbours of the same kind merged."""
    segments: list[ClockSegment] = []
    for start, end, reason in spans:
        if reason is not None:
            _append(segments, ClockSegment(start, end, "paused", reason))
            continue
        cursor = start
        for begin, stop in iter_working_intervals(calendar, start, end):
            if begin > cursor:
                _append(segments, ClockSegment(cursor, begin, "outside_hours"))
            counted = (stop - begin).total_seconds()
            _append(segments, ClockSegment(begin, stop, "counting", None, counted))
            cursor = stop
        if cursor < end:
            _append(segments, ClockSegment(cursor, end, "outside_hours"))
    return segments


def _append(segments: list[ClockSegment], segment: ClockSegment) -> None:
    last = segments[-1] if segments else None
    if last is not None and (last.kind, last.reason) == (segment.kind, segment.reason):
        counted = last.counted_seconds + segment.counted_seconds
        segments[-1] = replace(last, end=segment.end, counted_seconds=counted)
    else:
        segments.append(segment)


def _collapsed(segments: list[ClockSegment], limit: int) -> tuple[ClockSegment, ...]:
    """At most ``limit`` segments: the first sixth and the last ones kept (how it started, and
    what led to now), the middle folded into one."""
    if len(segments) <= limit:
        return tuple(segments)
    head = max(1, limit // 6)
    tail = limit - head - 1
    folded = segments[head : len(segments) - tail]
    middle = ClockSegment(
        folded[0].start,
        folded[-1].end,
        "collapsed",
        f"{len(folded)} segments",
        sum(segment.counted_seconds for segment in folded),
    )
    return (*segments[:head], middle, *segments[len(segments) - tail :])


def duration_text(minutes: float) -> str:
    """Business minutes for people: ``30 min``, ``4 h``, ``2 h 30 min``."""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"
