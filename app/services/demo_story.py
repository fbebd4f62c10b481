"""Pure generation of demo ticket lives: each ticket is simulated from creation to now as a
sequence of the same changes the ticket service would make (take, start work, wait on the
customer, escalate, hand back, comment, resolve, reopen, close), and emitted as rows for the
``tickets``, ``ticket_events`` and ``comments`` tables. The ticket row is the replay of its own
events, so a demo desk passes ``main.py verify``. Same seed, same lives.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any

from app.models import EventKind, MoveReason, TicketStatus
from app.services import demo_profile as profile
from app.services.priority import priority_for

TicketRow = tuple[Any, ...]
EventRow = tuple[Any, ...]
CommentRow = tuple[Any, ...]

TICKET_COLUMNS = (
    "id", "key", "title", "description", "requester", "category_id", "impact", "urgency",
    "priority", "priority_overridden", "status", "tier_id", "assignee_id", "reopen_count",
    "created_at", "updated_at", "resolved_at", "closed_at", "version",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "ticket_id", "ticket_version", "kind", "at", "actor_id", "reason", "rule_id",
    "from_tier_id", "to_tier_id", "field", "old_value", "new_value", "note", "details",
)  # fmt: skip
COMMENT_COLUMNS = ("id", "ticket_id", "author_id", "body", "created_at")

# Plain strings: the simulation runs a million times per 100,000 tickets, and enum attribute
# access is measurably slow at that scale.
NEW, OPEN = TicketStatus.NEW.value, TicketStatus.OPEN.value
IN_PROGRESS = TicketStatus.IN_PROGRESS.value
WAITING_ON_CUSTOMER = TicketStatus.WAITING_ON_CUSTOMER.value
RESOLVED, CLOSED = TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value
CREATED, ASSIGNED = EventKind.CREATED.value, EventKind.ASSIGNED.value
STATUS_CHANGED, TIER_CHANGED = EventKind.STATUS_CHANGED.value, EventKind.TIER_CHANGED.value
COMMENTED, REOPENED = EventKind.COMMENTED.value, EventKind.REOPENED.value
MANUAL = MoveReason.MANUAL.value


@dataclass(frozen=True)
class DemoCategory:
    id: int
    name: str
    min_tier_index: int
    titles: tuple[str, ...]


@dataclass(frozen=True)
class DemoSetup:
    """Ids of the desk the lives happen on: the ladder (lowest first), categories, people."""

    tier_ids: tuple[int, ...]
    tier_codes: tuple[str, ...]
    categories: tuple[DemoCategory, ...]
    category_weights: tuple[float, ...]
    agents_by_tier: tuple[tuple[int, ...], ...]
    supervisor_id: int

    @cached_property
    def category_cumulative(self) -> list[float]:
        return list(itertools.accumulate(self.category_weights))

    @property
    def top_internal_index(self) -> int:
        return len(self.tier_ids) - 2


@dataclass
class DemoRows:
    """Rows ready for bulk insertion, ids assigned."""

    tickets: list[TicketRow] = field(default_factory=list)
    events: list[EventRow] = field(default_factory=list)
    comments: list[CommentRow] = field(default_factory=list)


def generate(
    setup: DemoSetup, count: int, seed: int, now: datetime, first_number: int, zone: tzinfo
) -> DemoRows:
    """``count`` ticket lives over the last ``HISTORY_DAYS`` before ``now`` (naive UTC), opened
    at the hours and weekdays of the real log as they fall in the desk's time zone ``zone``."""
    rng = random.Random(seed)
    created = sorted(_creation_times(rng, count, now, zone))
    rows = DemoRows()
    event_ids = itertools.count(1)
    comment_ids = itertools.count(1)
    for index, opened_at in enumerate(created):
        life = _Life(setup, rng, index + 1, first_number + index, opened_at, now, comment_ids)
        life.live()
        rows.tickets.append(life.ticket_row())
        rows.events.extend((next(event_ids), *event) for event in life.events)
        rows.comments.extend(life.comments)
    return rows


def _creation_times(rng: random.Random, count: int, now: datetime, zone: tzinfo) -> list[datetime]:
    """Opening instants weighted like the real log by local weekday and hour, none after
    ``now``. Slots are UTC hours, weighted by the local time at which each begins."""
    start = (now - timedelta(days=profile.HISTORY_DAYS)).replace(minute=0, second=0, microsecond=0)
    slots: list[datetime] = []
    weights: list[float] = []
    slot = start
    while slot < now:
        local = slot.replace(tzinfo=UTC).astimezone(zone)
        slots.append(slot)
        weights.append(profile.WEEKDAY_WEIGHTS[local.weekday()] * profile.HOUR_WEIGHTS[local.hour])
        slot += timedelta(hours=1)
    cumulative = list(itertools.accumulate(weights))
    times = []
    for chosen in rng.choices(slots, cum_weights=cumulative, k=count):
        instant = chosen + timedelta(seconds=rng.randrange(3600))
        times.append(min(instant, now - timedelta(seconds=rng.randrange(60, 3600))))
    return times


class _Life:
    """One ticket's simulated life. Each step is one version; ``_emit`` records its events."""

    def __init__(
        self,
        setup: DemoSetup,
        rng: random.Random,
        ticket_id: int,
        number: int,
        opened_at: datetime,
        now: datetime,
        comment_ids: Iterator[int],
    ) -> None:
        self.setup, self.rng, self.id, self.now = setup, rng, ticket_id, now
        self.comment_ids = comment_ids
        self.key = f"TD-{number}"
        self.category = rng.choices(setup.categories, cum_weights=setup.category_cumulative)[0]
        self.impact = rng.choices(_LEVELS, cum_weights=_IMPACT_CUMULATIVE)[0]
        self.urgency = rng.choices(_LEVELS, cum_weights=_URGENCY_CUMULATIVE)[0]
        self.priority = priority_for(self.impact, self.urgency)
        self.tier = rng.choices((0, 1, 2), cum_weights=_ENTRY_CUMULATIVE)[0]
        self.status = NEW
        self.assignee: int | None = None
        self.reopen_count = 0
        self.opened_at = self.at = opened_at
        self.resolved_at: datetime | None = None
        self.closed_at: datetime | None = None
        self.version = 0
        self.events: list[tuple[Any, ...]] = []  # event columns without id
        self.comments: list[CommentRow] = []
        self.title = self._title()
        self.requester = (
            f"{rng.choice(profile.REQUESTER_FIRST)} {rng.choice(profile.REQUESTER_LAST)}"
        )
        self.finished = False

    # ------------------------------------------------------------------------------- the life
    def live(self) -> None:
        rng = self.rng
        creator = rng.choice(self.setup.agents_by_tier[self.tier])
        self._created(creator)
        hours = _resolution_hours(rng, self.priority.value)
        moves = self._planned_moves()
        steps = 3 + len(moves) * 2 + 2
        marks = sorted(rng.random() for _ in range(steps))
        span = timedelta(hours=hours)
        times = iter(self.opened_at + span * mark for mark in marks)
        self._step(next(times), self._take)
        self._step(next(times), lambda: self._set_status(IN_PROGRESS))
        if rng.random() < profile.WAITING_ON_CUSTOMER_SHARE:
            self._wait(WAITING_ON_CUSTOMER, next(times), next(times))
        for target in moves:
            self._step(next(times), lambda target=target: self._move(target))
            self._step(next(times), self._take)
            if rng.random() < profile.COMMENT_SHARE:
                self._step(self.at + timedelta(minutes=rng.randrange(5, 90)), self._comment)
        self._step(self.opened_at + span, self._resolve)
        if self.status == RESOLVED and rng.random() < profile.REOPEN_SHARE:
            self._step(self.at + timedelta(hours=rng.uniform(2, 48)), self._reopen)
            self._step(self.at + timedelta(minutes=30), lambda: self._set_status(IN_PROGRESS))
            self._step(self.at + timedelta(hours=rng.uniform(1, 24)), self._resolve)
        if self.status == RESOLVED:
            days = rng.uniform(*profile.AUTO_CLOSE_DAYS)
            self._step(self.at + timedelta(days=days), self._close)

    def _step(self, at: datetime, action: Any) -> None:
        """Run ``action`` at ``at`` unless that is after now (the ticket's life stops there)."""
        if self.finished or at > self.now:
            self.finished = True
            return
        self.at = max(at, self.at + timedelta(seconds=1))
        if self.at > self.now:
            self.finished = True
            return
        self.version += 1
        action()

    def _wait(self, status: str, start: datetime, end: datetime) -> None:
        self._step(start, lambda: self._set_status(status))
        self._step(end, lambda: self._set_status(IN_PROGRESS))

    def _planned_moves(self) -> list[int]:
        """Target tier indices: escalations the category forces, then extra moves and
        ping-pong, always ending at or above the lowest tier allowed to resolve."""
        rng, lowest, top = self.rng, self.category.min_tier_index, self.setup.top_internal_index
        moves: list[int] = []
        current = self.tier
        extra = rng.choices(range(6), cum_weights=_EXTRA_MOVES_CUMULATIVE)[0]
        for _ in range(extra):
            if current > 0 and rng.random() < profile.HAND_BACK_SHARE:
                current -= 1
            elif current < top or (
                current == top and rng.random() < profile.VENDOR_ESCALATION_SHARE
            ):
                current += 1
            elif current > top:
                current -= 1
            else:
                continue
            moves.append(current)
        while current < lowest:
            jump = lowest - current >= 2 and rng.random() < profile.JUMP_SHARE
            current = lowest if jump else current + 1
            moves.append(current)
        return moves

    # ----------------------------------------------------------------------- single changes
    def _event(
        self,
        kind: str,
        actor: int | None,
        *,
        reason: str | None = None,
        from_tier_id: int | None = None,
        to_tier_id: int | None = None,
        field: str | None = None,
        old_value: str | None = None,
        new_value: str | None = None,
        note: str | None = None,
        details: str | None = None,
    ) -> None:
        self.events.append(
            (
                self.id, self.version, kind, self.at, actor, reason, None, from_tier_id,
                to_tier_id, field, old_value, new_value, note, details,
            )
        )  # fmt: skip

    def _created(self, creator: int) -> None:
        self.version = 1
        snapshot = {
            "title": self.title,
            "description": self._description(),
            "requester": self.requester,
            "category_id": self.category.id,
            "impact": self.impact.value,
            "urgency": self.urgency.value,
            "priority": self.priority.value,
            "priority_overridden": False,
            "status": NEW,
            "tier_id": self.setup.tier_ids[self.tier],
            "assignee_id": None,
        }
        self.description = str(snapshot["description"])
        tier_id = self.setup.tier_ids[self.tier]
        self._event(CREATED, creator, to_tier_id=tier_id, details=json.dumps(snapshot))

    def _take(self) -> None:
        agent = self.rng.choice(self.setup.agents_by_tier[self.tier])
        if agent == self.assignee:
            self.version -= 1  # nothing to record: the step is skipped
            return
        old, self.assignee = self.assignee, agent
        self._event(
            ASSIGNED,
            agent,
            field="assignee_id",
            old_value=None if old is None else str(old),
            new_value=str(agent),
        )
        if self.status == NEW:
            self._status_event(OPEN, agent)

    def _set_status(self, status: str) -> None:
        if self.status == status:
            self.version -= 1
            return
        self._status_event(status, self._worker())

    def _status_event(self, status: str, actor: int | None, note: str | None = None) -> None:
        old, self.status = self.status, status
        self._event(
            STATUS_CHANGED, actor, field="status", old_value=old,
            new_value=status, note=note,
        )  # fmt: skip

    def _move(self, target: int) -> None:
        jump = abs(target - self.tier) > 1
        actor = self.setup.supervisor_id if jump else self._worker()
        note = self.rng.choice(profile.HAND_BACK_NOTES) if target < self.tier else None
        tiers = self.setup.tier_ids
        self._event(
            TIER_CHANGED, actor, reason=MANUAL,
            from_tier_id=tiers[self.tier], to_tier_id=tiers[target], note=note,
        )  # fmt: skip
        self.tier = target
        if self.assignee is not None:
            old, self.assignee = self.assignee, None
            self._event(ASSIGNED, actor, field="assignee_id", old_value=str(old))
        if self.status == IN_PROGRESS:
            self._status_event(OPEN, actor)

    def _comment(self) -> None:
        author = self._worker()
        comment_id = next(self.comment_ids)
        self.comments.append(
            (comment_id, self.id, author, self.rng.choice(profile.COMMENTS), self.at)
        )
        self._event(COMMENTED, author, new_value=str(comment_id))

    def _resolve(self) -> None:
        if self.assignee is None:  # nobody took it at this tier yet; it stays open
            self.version -= 1
            self.finished = True
            return
        self._status_event(RESOLVED, self.assignee, self.rng.choice(profile.RESOLUTIONS))
        self.resolved_at = self.at

    def _reopen(self) -> None:
        actor = self._worker()
        old, self.status = self.status, OPEN
        self.reopen_count += 1
        self.resolved_at = None
        self._event(
            REOPENED, actor, field="status", old_value=old,
            new_value=OPEN, note="The requester reports the problem is back.",
        )  # fmt: skip

    def _close(self) -> None:
        self._status_event(CLOSED, None, "Closed automatically after resolution.")
        self.closed_at = self.at

    def _worker(self) -> int:
        """Whoever acts at the current tier: the assignee, else an agent of the tier."""
        return self.assignee or self.rng.choice(self.setup.agents_by_tier[self.tier])

    # ------------------------------------------------------------------------------ rows out
    def ticket_row(self) -> TicketRow:
        last_change = self.events[-1][3]
        return (
            self.id, self.key, self.title, self.description, self.requester, self.category.id,
            self.impact.value, self.urgency.value, self.priority.value, False, self.status,
            self.setup.tier_ids[self.tier], self.assignee, self.reopen_count, self.opened_at,
            last_change, self.resolved_at, self.closed_at, self.version,
        )  # fmt: skip

    # ---------------------------------------------------------------------------- wording
    def _title(self) -> str:
        template = self.rng.choice(self.category.titles)
        needed = _FIELDS_OF[template]
        return template.format(**{name: self.rng.choice(profile.FILLERS[name]) for name in needed})

    def _description(self) -> str:
        return (
            f"{self.requester.split()[0]} reports: {self.title.lower()}. "
            f"Impact {self.impact.value}, urgency {self.urgency.value}."
        )


#: The ``{placeholders}`` of each title template, found once.
_FIELDS_OF = {
    template: tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)
    for _lowest, _weight, templates in profile.CATEGORIES.values()
    for template in templates
}


_LEVELS = tuple(profile.IMPACT_WEIGHTS)
_IMPACT_CUMULATIVE = list(itertools.accumulate(profile.IMPACT_WEIGHTS[level] for level in _LEVELS))
_URGENCY_CUMULATIVE = list(itertools.accumulate(profile.URGENCY_WEIGHTS[lv] for lv in _LEVELS))
_ENTRY_CUMULATIVE = list(itertools.accumulate(profile.ENTRY_TIER_WEIGHTS))
_EXTRA_MOVES_CUMULATIVE = list(itertools.accumulate(profile.EXTRA_MOVES_WEIGHTS))


def _resolution_hours(rng: random.Random, priority: str) -> float:
    median = profile.MEDIAN_RESOLUTION_HOURS[priority]
    hours = math.exp(rng.gauss(math.log(median), profile.RESOLUTION_SIGMA))
    return min(max(hours, 0.2), profile.MAX_RESOLUTION_HOURS)
