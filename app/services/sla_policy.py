"""SLA policies: business calendars and the targets clocks measure against, versioned.

``PolicyTerms`` is what a clock needs from its policy (calendar, targets, warning share), read
once per policy and transaction. Policies are never edited in place: ``revise`` adds the next
version and makes it current; running clocks keep the version they started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.models import CalendarRecord, ClockKind, Priority, SlaPolicy, TicketStatus, Tier
from app.services.business_time import BusinessCalendar, Window
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database, serialise_setup_changes
from app.services.desk import Ladder
from app.services.errors import InvalidInput

DEFAULT_POLICY = "Standard"
OFFICE_HOURS = (time(8), time(18))
#: The longest target a policy takes: a year of minutes (a longer one is a typing mistake).
MINUTES_MAX = 366 * 24 * 60
#: ``{tier code: {priority: minutes}}`` or, for the customer SLA, ``{clock: {priority: minutes}}``
MinutesTable = Mapping[str, Mapping[str, int]]


#: The pause rules every policy starts with: waiting on the customer stops every clock, waiting
#: on the vendor stops an internal tier's own clocks (and starts the vendor's).
PAUSE_ALL = frozenset({TicketStatus.WAITING_ON_CUSTOMER})
PAUSE_TIER = frozenset({TicketStatus.WAITING_ON_VENDOR})


@dataclass(frozen=True)
class PolicyTargets:
    """A policy's targets as people write them, in business minutes: per tier and priority the
    tier clock (time at the tier before escalation) and the tier's response target, and per
    priority the customer SLA (``first_response``, ``resolution``) running from creation. Its
    pause rules: the statuses that stop every clock, and those that stop an internal tier's
    clocks only."""

    tier_minutes: MinutesTable
    response_minutes: MinutesTable
    customer_minutes: MinutesTable
    pause_all: frozenset[TicketStatus] = field(default=PAUSE_ALL)
    pause_tier: frozenset[TicketStatus] = field(default=PAUSE_TIER)


#: The demo desk's defaults: L1 short, L3 longer, P1 tighter than P4; a business day is 10 h.
DEFAULT_TARGETS = PolicyTargets(
    tier_minutes={
        "L1": {"P1": 30, "P2": 120, "P3": 240, "P4": 480},
        "L2": {"P1": 120, "P2": 240, "P3": 480, "P4": 960},
        "L3": {"P1": 240, "P2": 480, "P3": 960, "P4": 1440},
        "Vendor": {"P1": 480, "P2": 960, "P3": 1440, "P4": 2400},
    },
    response_minutes={
        "L1": {"P1": 10, "P2": 30, "P3": 60, "P4": 120},
        "L2": {"P1": 30, "P2": 60, "P3": 120, "P4": 240},
        "L3": {"P1": 60, "P2": 120, "P3": 240, "P4": 480},
        "Vendor": {"P1": 120, "P2": 240, "P3": 480, "P4": 960},
    },
    customer_minutes={
        "first_response": {"P1": 15, "P2": 60, "P3": 240, "P4": 480},
        "resolution": {"P1": 240, "P2": 900, "P3": 1800, "P4": 3000},
    },
)
_PER_TIER = {ClockKind.TIER: "tier", ClockKind.TIER_RESPONSE: "response"}
_CUSTOMER = (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)


@dataclass(frozen=True)
class PolicyTerms:
    """One policy version as clocks use it. ``minutes`` is keyed by clock kind, tier id (``None``
    for the customer clocks) and priority."""

    policy_id: int
    name: str
    version: int
    calendar: BusinessCalendar
    warning_percent: int
    minutes: Mapping[tuple[ClockKind, int | None, Priority], int]
    pause_all: frozenset[TicketStatus] = PAUSE_ALL
    pause_tier: frozenset[TicketStatus] = PAUSE_TIER

    def target(self, kind: ClockKind, tier_id: int | None, priority: Priority) -> timedelta | None:
        """Business time the clock allows; ``None``: the policy runs no such clock. A vendor
        clock measures against the vendor tier's tier target."""
        if kind == ClockKind.VENDOR:
            kind = ClockKind.TIER
        if kind in _CUSTOMER:
            tier_id = None
        minutes = self.minutes.get((kind, tier_id, priority))
        return None if minutes is None else timedelta(minutes=minutes)

    def targets(self, ladder: Ladder) -> PolicyTargets:
        """The targets again as people write them (tier codes), e.g. to revise them; those of
        tiers retired since are left out."""
        on_ladder = {tier.id: tier.code for tier in ladder.tiers}
        tables: dict[ClockKind, dict[str, dict[str, int]]] = {}
        for (kind, tier_id, priority), minutes in self.minutes.items():
            if tier_id is not None and tier_id not in on_ladder:
                continue
            row = kind.value if tier_id is None else on_ladder[tier_id]
            tables.setdefault(kind, {}).setdefault(row, {})[priority.value] = minutes
        customer = {
            **tables.get(ClockKind.FIRST_RESPONSE, {}),
            **tables.get(ClockKind.RESOLUTION, {}),
        }
        return PolicyTargets(
            tables.get(ClockKind.TIER, {}),
            tables.get(ClockKind.TIER_RESPONSE, {}),
            customer,
            self.pause_all,
            self.pause_tier,
        )


def calendar_of(record: CalendarRecord) -> BusinessCalendar:
    hours: dict[int, list[Window]] = {
        int(day): [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in windows]
        for day, windows in record.hours.items()
    }
    holidays = frozenset(date.fromisoformat(day) for day in record.holidays)
    return BusinessCalendar(record.time_zone, hours, holidays)


def terms_of(session: Session, policy_id: int) -> PolicyTerms:
    """A policy version's terms, cached for the rest of the transaction."""
    cache: dict[int, PolicyTerms] = session.info.setdefault("sla_terms", {})
    if policy_id not in cache:
        policy = session.get_one(SlaPolicy, policy_id)
        record = session.get_one(CalendarRecord, policy.calendar_id)
        cache[policy_id] = PolicyTerms(
            policy_id=policy.id,
            name=policy.name,
            version=policy.version,
            calendar=calendar_of(record),
            warning_percent=policy.warning_percent,
            minutes=_minutes_of(policy.targets),
            pause_all=stored_pause_rule(policy.targets, "all"),
            pause_tier=stored_pause_rule(policy.targets, "tier"),
        )
    return cache[policy_id]


def stored_pause_rule(stored: Mapping[str, Any], key: str) -> frozenset[TicketStatus]:
    """A pause rule (``key``: ``all`` or ``tier``) of a policy version's stored targets
    (``{"pause": {"all": [...], "tier": [...]}}``); policies stored before pause rules could be
    set have the defaults, ``PAUSE_ALL`` and ``PAUSE_TIER``."""
    pause = stored.get("pause")
    if not isinstance(pause, Mapping) or key not in pause:
        return PAUSE_ALL if key == "all" else PAUSE_TIER
    return frozenset(TicketStatus(status) for status in pause[key])


def _minutes_of(stored: Mapping[str, Any]) -> dict[tuple[ClockKind, int | None, Priority], int]:
    minutes: dict[tuple[ClockKind, int | None, Priority], int] = {}
    for kind, key in _PER_TIER.items():
        for tier_id, by_priority in stored.get(key, {}).items():
            for priority, value in by_priority.items():
                minutes[kind, int(tier_id), Priority(priority)] = int(value)
    for kind in _CUSTOMER:
        for priority, value in stored.get("customer", {}).get(kind.value, {}).items():
            minutes[kind, None, Priority(priority)] = int(value)
    return minutes


def current_terms(session: Session) -> PolicyTerms | None:
    """The terms new clocks start with, or ``None`` on a desk without a policy; looked up once
    per transaction (a new version made in it replaces the answer)."""
    if "sla_current" not in session.info:
        session.info["sla_current"] = session.scalar(
            select(SlaPolicy.id).where(SlaPolicy.current.is_(True)).order_by(SlaPolicy.id.desc())
        )
    policy_id = session.info["sla_current"]
    return None if policy_id is None else terms_of(session, policy_id)


class SlaPolicyService:
    """Installs and revises the desk's SLA policy."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def install_default(self, time_zone: str) -> PolicyTerms:
        """Office hours (Mon-Fri 08:00-18:00 in ``time_zone``) and ``DEFAULT_TARGETS`` for the
        tiers of the ladder that have defaults, as version 1 of the desk's policy."""
        with self.database.write() as session:
            serialise_setup_changes(session)
            if session.scalar(select(SlaPolicy.id).limit(1)) is not None:
                raise InvalidInput("policy", "this desk already has an SLA policy")
            calendar = BusinessCalendar.weekdays(*OFFICE_HOURS, time_zone)
            return install_policy(session, calendar, DEFAULT_TARGETS, self.clock)

    def current(self) -> PolicyTerms | None:
        with self.database.read() as session:
            return current_terms(session)

    def revise(
        self,
        *,
        tier_minutes: MinutesTable | None = None,
        response_minutes: MinutesTable | None = None,
        customer_minutes: MinutesTable | None = None,
        warning_percent: int | None = None,
    ) -> PolicyTerms:
        """The next version of the current policy with the given targets changed (the others
        kept); clocks already running keep measuring against the version they started with."""
        with self.database.write() as session:
            serialise_setup_changes(session)
            terms = current_terms(session)
            if terms is None:
                raise InvalidInput("policy", "this desk has no SLA policy to revise")
            kept = terms.targets(Ladder.load(session))
            targets = PolicyTargets(
                _merged(kept.tier_minutes, tier_minutes),
                _merged(kept.response_minutes, response_minutes),
                _merged(kept.customer_minutes, customer_minutes),
                kept.pause_all,
                kept.pause_tier,
            )
            percent = terms.warning_percent if warning_percent is None else warning_percent
            policy = session.get_one(SlaPolicy, terms.policy_id)
            return add_policy(
                session, policy.name, policy.calendar_id, targets, percent, self.clock
            )


def _merged(kept: MinutesTable, changes: MinutesTable | None) -> dict[str, dict[str, int]]:
    merged = {row: dict(by_priority) for row, by_priority in kept.items()}
    for row, by_priority in (changes or {}).items():
        merged.setdefault(row, {}).update(by_priority)
    return merged


def install_policy(
    session: Session, calendar: BusinessCalendar, targets: PolicyTargets, clock: Clock
) -> PolicyTerms:
    """Version 1 of the default policy, in the caller's transaction (also used by the demo).
    Targets for tiers the ladder does not have are left out."""
    record = CalendarRecord(
        name="Office hours",
        time_zone=calendar.time_zone,
        hours={
            str(day): [[start.isoformat("minutes"), end.isoformat("minutes")] for start, end in w]
            for day, w in calendar.hours.items()
            if w
        },
        holidays=sorted(day.isoformat() for day in calendar.holidays),
    )
    session.add(record)
    session.flush()
    known = {tier.code for tier in session.scalars(select(Tier))}
    on_this_ladder = PolicyTargets(
        {code: row for code, row in targets.tier_minutes.items() if code in known},
        {code: row for code, row in targets.response_minutes.items() if code in known},
        targets.customer_minutes,
        targets.pause_all,
        targets.pause_tier,
    )
    return add_policy(session, DEFAULT_POLICY, record.id, on_this_ladder, 75, clock)


def add_policy(
    session: Session,
    name: str,
    calendar_id: int,
    targets: PolicyTargets,
    warning_percent: int,
    clock: Clock,
) -> PolicyTerms:
    """Check every target, then store the desk's next policy version (targets and pause rules)
    and make it the current one, in the caller's transaction: the one way a version is made."""
    if not 1 <= warning_percent <= 99:
        raise InvalidInput("warning_percent", f"{warning_percent} is not between 1 and 99")
    ladder = Ladder.load(session)
    stored: dict[str, Any] = {
        "tier": {},
        "response": {},
        "customer": {},
        "pause": {
            "all": sorted(status.value for status in targets.pause_all),
            "tier": sorted(status.value for status in targets.pause_tier),
        },
    }
    for table, key in (("tier_minutes", "tier"), ("response_minutes", "response")):
        for code, by_priority in getattr(targets, table).items():
            tier = ladder.find(code, field=table)
            stored[key][str(tier.id)] = checked_minutes(f"{table}.{code}", by_priority)
    customer_clocks = {kind.value for kind in _CUSTOMER}
    for clock_name, by_priority in targets.customer_minutes.items():
        if clock_name not in customer_clocks:
            raise InvalidInput(
                f"customer_minutes.{clock_name}",
                f"{clock_name!r} is not a customer SLA clock (first_response, resolution)",
            )
        stored["customer"][clock_name] = checked_minutes(
            f"customer_minutes.{clock_name}", by_priority
        )
    version = (session.scalar(select(func.max(SlaPolicy.version))) or 0) + 1
    session.execute(update(SlaPolicy).where(SlaPolicy.current.is_(True)).values(current=False))
    policy = SlaPolicy(
        name=name,
        version=version,
        current=True,
        calendar_id=calendar_id,
        warning_percent=warning_percent,
        targets=stored,
        created_at=clock.now(session),
    )
    session.add(policy)
    session.flush()
    session.info["sla_current"] = policy.id
    return terms_of(session, policy.id)


def checked_minutes(field: str, by_priority: Mapping[str, Any]) -> dict[str, int]:
    """One row of targets (priority: business minutes), refused with the field named if a
    priority or a number of minutes is wrong; the one check every way in uses."""
    for priority, minutes in by_priority.items():
        where = f"{field}.{priority}"
        if priority not in {known.value for known in Priority}:
            raise InvalidInput(where, f"{str(priority)[:20]!r} is not a priority (P1-P4)")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
            raise InvalidInput(where, f"{str(minutes)[:20]} is not a positive number of minutes")
        if minutes > MINUTES_MAX:
            raise InvalidInput(where, f"{str(minutes)[:20]} minutes is more than a year")
    return dict(by_priority)
