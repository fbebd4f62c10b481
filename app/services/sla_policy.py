"""SLA policies: business calendars and the tier targets clocks measure against, versioned.

``PolicyTerms`` is what a clock needs from its policy (calendar, targets, warning share), read
once per policy and transaction. Policies are never edited in place: ``revise`` adds the next
version and makes it current; running clocks keep the version they started with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import CalendarRecord, Priority, SlaPolicy, Tier
from app.services.business_time import BusinessCalendar, Window
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database, serialise_setup_changes
from app.services.desk import Ladder
from app.services.errors import InvalidInput

DEFAULT_POLICY = "Standard"
OFFICE_HOURS = (time(8), time(18))
#: Business minutes a ticket may stay at a tier before it escalates: L1 short, L3 longer,
#: P1 tighter than P4 (the demo desk's defaults).
DEFAULT_TIER_MINUTES: dict[str, dict[str, int]] = {
    "L1": {"P1": 30, "P2": 120, "P3": 240, "P4": 480},
    "L2": {"P1": 120, "P2": 240, "P3": 480, "P4": 960},
    "L3": {"P1": 240, "P2": 480, "P3": 960, "P4": 1440},
    "Vendor": {"P1": 480, "P2": 960, "P3": 1440, "P4": 2400},
}


@dataclass(frozen=True)
class PolicyTerms:
    """One policy version as clocks use it."""

    policy_id: int
    name: str
    version: int
    calendar: BusinessCalendar
    warning_percent: int
    tier_minutes: Mapping[tuple[int, Priority], int]

    def tier_target(self, tier_id: int, priority: Priority) -> timedelta | None:
        """Business time allowed at the tier for the priority; ``None``: no tier clock."""
        minutes = self.tier_minutes.get((tier_id, priority))
        return None if minutes is None else timedelta(minutes=minutes)


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
            tier_minutes={
                (int(tier_id), Priority(priority)): int(minutes)
                for tier_id, by_priority in policy.targets.get("tier", {}).items()
                for priority, minutes in by_priority.items()
            },
        )
    return cache[policy_id]


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
        """Office hours (Mon-Fri 08:00-18:00 in ``time_zone``) and ``DEFAULT_TIER_MINUTES`` for
        the tiers of the ladder that have defaults, as version 1 of the desk's policy."""
        with self.database.write() as session:
            serialise_setup_changes(session)
            if session.scalar(select(SlaPolicy.id).limit(1)) is not None:
                raise InvalidInput("policy", "this desk already has an SLA policy")
            calendar = BusinessCalendar.weekdays(*OFFICE_HOURS, time_zone)
            return install_policy(session, calendar, DEFAULT_TIER_MINUTES, self.clock)

    def current(self) -> PolicyTerms | None:
        with self.database.read() as session:
            return current_terms(session)

    def revise(
        self,
        *,
        tier_minutes: Mapping[str, Mapping[str, int]] | None = None,
        warning_percent: int | None = None,
    ) -> PolicyTerms:
        """The next version of the current policy with the given changes; clocks already
        running keep measuring against the version they started with."""
        with self.database.write() as session:
            serialise_setup_changes(session)
            terms = current_terms(session)
            if terms is None:
                raise InvalidInput("policy", "this desk has no SLA policy to revise")
            ladder = Ladder.load(session)
            targets: dict[str, dict[str, int]] = {}
            for (tier_id, priority), minutes in terms.tier_minutes.items():
                targets.setdefault(ladder.by_id(tier_id).code, {})[priority.value] = minutes
            for code, by_priority in (tier_minutes or {}).items():
                targets.setdefault(code, {}).update(by_priority)
            percent = terms.warning_percent if warning_percent is None else warning_percent
            session.execute(update(SlaPolicy).values(current=False))
            policy = session.get_one(SlaPolicy, terms.policy_id)
            return _add_policy(
                session, policy.name, terms.version + 1, policy.calendar_id, targets, percent,
                self.clock,
            )  # fmt: skip


def install_policy(
    session: Session,
    calendar: BusinessCalendar,
    tier_minutes: Mapping[str, Mapping[str, int]],
    clock: Clock,
) -> PolicyTerms:
    """Version 1 of the default policy, in the caller's transaction (also used by the demo)."""
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
    targets = {code: minutes for code, minutes in tier_minutes.items() if code in known}
    return _add_policy(session, DEFAULT_POLICY, 1, record.id, targets, 75, clock)


def _add_policy(
    session: Session,
    name: str,
    version: int,
    calendar_id: int,
    tier_minutes: Mapping[str, Mapping[str, int]],
    warning_percent: int,
    clock: Clock,
) -> PolicyTerms:
    ladder = Ladder.load(session)
    if not 1 <= warning_percent <= 99:
        raise InvalidInput("warning_percent", f"{warning_percent} is not between 1 and 99")
    targets: dict[str, dict[str, int]] = {}
    for code, by_priority in tier_minutes.items():
        tier = ladder.find(code, field="tier_minutes")
        for priority, minutes in by_priority.items():
            field = f"tier_minutes.{code}.{priority}"
            if priority not in {known.value for known in Priority}:
                raise InvalidInput(field, f"{priority!r} is not a priority (P1-P4)")
            if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
                raise InvalidInput(field, f"{minutes!r} is not a positive number of minutes")
            targets.setdefault(str(tier.id), {})[priority] = minutes
    policy = SlaPolicy(
        name=name,
        version=version,
        current=True,
        calendar_id=calendar_id,
        warning_percent=warning_percent,
        targets={"tier": targets},
        created_at=clock.now(session),
    )
    session.add(policy)
    session.flush()
    session.info["sla_current"] = policy.id
    return terms_of(session, policy.id)
