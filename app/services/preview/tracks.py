"""What a ticket's replay works with: the two tracks (``Track``), the actual tier clock
(``TierClock``), the replayed clocks' sink (``ClockList``), made-up changes (``Change``), the
draft's time rules and what every ticket's replay shares (``ReplaySetup``)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from app.models import ClockKind, EventKind, MoveReason, Priority, TicketStatus
from app.services.business_time import BusinessCalendar
from app.services.preview.business_seconds import BusinessSeconds
from app.services.preview.fold import LiveState
from app.services.preview.outcome import Tally
from app.services.preview.reading import DeskData, RecordedEvent
from app.services.preview_results import ReplayedMove
from app.services.rules.engine import CompiledRule, RuleSet, TriggerEvent
from app.services.rules.hooks import changed_fields
from app.services.sla_clocks import AnyClock, ClockKeeper, ClockRow
from app.services.sla_policy import PolicyTerms

#: Changes that can start, stop, pause or re-target a tier clock.
CLOCK_EVENTS = frozenset(
    {EventKind.CREATED, EventKind.TIER_CHANGED, EventKind.STATUS_CHANGED, EventKind.REOPENED,
     EventKind.PRIORITY_CHANGED}
)  # fmt: skip
PRIORITY_FIELDS = frozenset({"impact", "urgency", "priority"})
FINISHED = frozenset({TicketStatus.RESOLVED, TicketStatus.CLOSED})
#: What a status means to a tier clock: it runs, waits (on the customer / on the vendor: the
#: latter pauses only at an internal tier), or the ticket is finished (reopening one restarts).
CLOCK_STANDING = {
    TicketStatus.NEW: "runs", TicketStatus.OPEN: "runs", TicketStatus.IN_PROGRESS: "runs",
    TicketStatus.WAITING_ON_CUSTOMER: "customer", TicketStatus.WAITING_ON_VENDOR: "vendor",
    TicketStatus.RESOLVED: "resolved", TicketStatus.CLOSED: "closed",
}  # fmt: skip
#: At most this many deadlines (escalations, time rules) per ticket between two changes.
MAX_DEADLINES = 200
#: A tally entry: ("stretch", tier_id, since, until) or ("clock", tier_id, met).
Op = tuple[Any, ...]


class ClockList:
    """A ``ClockSink`` that keeps every clock it starts (compliance counts them all)."""

    def __init__(self, made: list[AnyClock] | None = None) -> None:
        self.made: list[AnyClock] = made if made is not None else []

    def new_clock(self, **columns: Any) -> AnyClock:
        clock = ClockRow(**columns)
        self.made.append(clock)
        return clock

    def alert(self, *_args: Any, **_kwargs: Any) -> None:
        """A replay records no alerts; breaches are read from the clocks."""


@dataclass(slots=True)
class Change:
    """An event the replay makes up (a rule's or a clock's change), as ``ClockInputs`` reads
    events: by kind, and who made it (nobody: it is not a response)."""

    kind: EventKind
    actor_id: int | None = None
    new_value: str | None = None
    field: str | None = None


@dataclass(slots=True)
class TierClock:
    """The actual track's tier clock: business seconds banked, since when it runs (None:
    paused), its target in seconds."""

    tier_id: int
    started_at: datetime
    used: int
    running_since: datetime | None
    target: int


@dataclass
class Track:
    state: LiveState
    entered_tier_at: datetime
    escalations: int = 0
    since: datetime | None = None  # start of the current open stretch
    open_tier: int | None = None
    moves: list[ReplayedMove] = field(default_factory=list)
    clock: TierClock | None = None  # the actual track's
    clocks: list[AnyClock] = field(default_factory=list)  # the replayed track's
    sink: ClockList = field(default_factory=ClockList)

    def copy(self) -> Track:
        return Track(
            self.state.copy(), self.entered_tier_at, self.escalations, self.since,
            self.open_tier, list(self.moves), copy.copy(self.clock),
        )  # fmt: skip


@dataclass(frozen=True)
class TimeRule:
    rule: CompiledRule
    index: int
    span: timedelta
    calendar: BusinessCalendar | None


@dataclass
class ReplaySetup:
    """What every ticket's replay shares: the desk, the window, the draft and the keeper."""

    desk: DeskData
    start: datetime
    end: datetime
    tally: Tally
    actual_terms: PolicyTerms | None
    draft_keeper: ClockKeeper
    draft_terms: PolicyTerms | None  # policy mode: the draft; rules mode: the current terms
    rule_set: RuleSet | None  # rules mode: the draft rules; policy mode: None
    time_rules: Sequence[TimeRule] = ()
    events_replayed: int = 0

    def __post_init__(self) -> None:
        enabled = [r for r in self.rule_set.rules if r.spec.enabled] if self.rule_set else []
        self._on_created = any(r.trigger.on == "created" for r in enabled)
        watching = [set(r.trigger.fields) for r in enabled if r.trigger.on == "updated"]
        self._watch_all = any(not watched for watched in watching)
        self._watched: set[str] = set().union(*watching)
        self.tier_kind = {tier.id: tier.kind for tier in self.desk.every_tier.tiers}
        terms = self.actual_terms
        self.business = BusinessSeconds(terms.calendar) if terms is not None else None
        self._targets: dict[tuple[int, Priority], int | None] = {}

    def tier_target(self, tier_id: int, priority: Priority) -> int | None:
        """The actual terms' tier clock target in seconds (remembered)."""
        key = (tier_id, priority)
        if key not in self._targets:
            terms = self.actual_terms
            found = terms.target(ClockKind.TIER, tier_id, priority) if terms else None
            self._targets[key] = None if found is None else int(found.total_seconds())
        return self._targets[key]

    @property
    def policy_mode(self) -> bool:
        return self.rule_set is None

    def trigger_for(self, group: Sequence[RecordedEvent], created: bool) -> TriggerEvent | None:
        """The draft's trigger for a recorded change, or None when no rule could consider it."""
        if self.rule_set is None:
            return None
        if created:
            return TriggerEvent("created") if self._on_created else None
        if not self._watch_all and not self._watched:
            return None
        fields = changed_fields(cast(Any, group))
        if not fields or not (self._watch_all or not self._watched.isdisjoint(fields)):
            return None
        return TriggerEvent("updated", fields)


def moves_clocks(events: Sequence[Any]) -> bool:
    """Whether a change can start, stop, pause or re-target a tier clock (a comment, an
    assignment or an edit of the text cannot)."""
    for event in events:
        kind = event.kind
        if kind in CLOCK_EVENTS:
            return True
        if kind is EventKind.EDITED and event.field in PRIORITY_FIELDS:
            return True
    return False


def group_kind(group: Sequence[RecordedEvent]) -> str:
    """``rule``, ``sla`` or ``person``: who made a recorded change."""
    for event in group:
        if event.reason is MoveReason.RULE or event.rule_id is not None:
            return "rule"
        if event.reason is MoveReason.SLA:
            return "sla"
    return "person"
