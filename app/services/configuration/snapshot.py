"""The desk's configuration as one frozen value: what a supervisor edits as a draft.

A ``DeskConfiguration`` holds the tier ladder (in order, retired tiers included so that they can
be brought back), the categories, the business calendars and the desk's SLA policy. It is read in
one transaction (``load_configuration``), changed with ``dataclasses.replace`` (or the helpers of
``app.services.configuration.edits``), checked as a whole and saved as a whole. Rows that exist
carry their database ``id``; new rows have ``id=None``. Tiers, calendars and policies refer to
each other by code and name, as people do, so that a draft can be written by hand or read from a
file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CalendarRecord, Category, SlaPolicy, TicketStatus, Tier, TierKind
from app.services.business_time import WEEKDAY_NAMES
from app.services.configuration.audit import current_revision
from app.services.sla_policy import PAUSE_ALL, PAUSE_TIER, stored_pause_rule

#: ``{row: {priority: minutes}}``: a tier code (or customer clock name) to its targets.
MinutesGrid = Mapping[str, Mapping[str, int]]
#: Windows of one weekday: local ``(start, end)``; an end of 00:00 means midnight at day's end.
DayHours = tuple[tuple[time, time], ...]

#: Statuses that stop every clock, and those that stop the tier clocks (at an internal tier), as
#: TierDesk has always done: a policy saved without saying otherwise keeps these.
DEFAULT_PAUSE_ALL = tuple(sorted(PAUSE_ALL))
DEFAULT_PAUSE_TIER = tuple(sorted(PAUSE_TIER))
#: The statuses a supervisor may choose to pause clocks in (a finished ticket's clocks stop).
PAUSABLE_STATUSES = (
    TicketStatus.NEW,
    TicketStatus.OPEN,
    TicketStatus.IN_PROGRESS,
    TicketStatus.WAITING_ON_CUSTOMER,
    TicketStatus.WAITING_ON_VENDOR,
)


@dataclass(frozen=True)
class TierConfig:
    """One rung of the ladder. Its place in ``DeskConfiguration.tiers`` is its position."""

    id: int | None
    code: str
    name: str
    description: str = ""
    kind: TierKind = TierKind.INTERNAL
    wip_limit: int | None = None
    retired: bool = False


@dataclass(frozen=True)
class CategoryConfig:
    """A problem type and the code of the lowest tier authorised to resolve it."""

    id: int | None
    name: str
    min_tier: str
    description: str = ""


@dataclass(frozen=True)
class CalendarConfig:
    """A business calendar: windows per weekday (index 0 Monday .. 6 Sunday), holidays, zone."""

    id: int | None
    name: str
    time_zone: str
    hours: tuple[DayHours, ...] = ((),) * 7
    holidays: tuple[date, ...] = ()


@dataclass(frozen=True)
class PolicyConfig:
    """The desk's SLA policy as people write it: minutes of business time per tier code and
    priority (tier clock and tier response), per customer clock and priority, the calendar's
    name, the warning share and the statuses that stop clocks. ``version`` is informational
    (saving a changed policy makes the next version); it takes no part in comparisons."""

    name: str
    calendar: str
    warning_percent: int = 75
    tier_minutes: MinutesGrid = field(default_factory=dict)
    response_minutes: MinutesGrid = field(default_factory=dict)
    customer_minutes: MinutesGrid = field(default_factory=dict)
    pause_all: tuple[TicketStatus, ...] = DEFAULT_PAUSE_ALL
    pause_tier: tuple[TicketStatus, ...] = DEFAULT_PAUSE_TIER
    version: int = field(default=0, compare=False)


@dataclass(frozen=True)
class DeskConfiguration:
    """Everything a supervisor configures, as one value (see the module's docstring)."""

    tiers: tuple[TierConfig, ...]
    categories: tuple[CategoryConfig, ...]
    calendars: tuple[CalendarConfig, ...]
    policy: PolicyConfig | None
    #: The configuration log's last entry when this was read (see ``audit``); not compared.
    revision: int = field(default=0, compare=False)

    @property
    def active_tiers(self) -> tuple[TierConfig, ...]:
        """The ladder as escalation sees it: tiers not retired, lowest first."""
        return tuple(tier for tier in self.tiers if not tier.retired)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a draft: the page it belongs to (``tiers``, ``categories``,
    ``calendars``, ``policy``, ``rules``), the field's path (``tiers[2].wip_limit``) and what is
    wrong, in words a supervisor can act on."""

    page: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def load_configuration(session: Session) -> DeskConfiguration:
    """The configuration as stored now, in the caller's transaction."""
    tiers = session.scalars(select(Tier).order_by(Tier.retired, Tier.position, Tier.id)).all()
    codes = {tier.id: tier.code for tier in tiers}
    # A policy's rows for tiers retired since are no clock's concern any more: left out.
    active = {tier.id: tier.code for tier in tiers if not tier.retired}
    categories = session.scalars(select(Category).order_by(Category.name)).unique().all()
    calendars = session.scalars(select(CalendarRecord).order_by(CalendarRecord.name)).all()
    policy = session.scalar(
        select(SlaPolicy).where(SlaPolicy.current.is_(True)).order_by(SlaPolicy.id.desc())
    )
    return DeskConfiguration(
        tiers=tuple(
            TierConfig(t.id, t.code, t.name, t.description, t.kind, t.wip_limit, t.retired)
            for t in tiers
        ),
        categories=tuple(
            CategoryConfig(c.id, c.name, codes[c.min_tier_id], c.description) for c in categories
        ),
        calendars=tuple(_calendar_config(record) for record in calendars),
        policy=None if policy is None else _policy_config(policy, active, calendars),
        revision=current_revision(session),
    )


def _calendar_config(record: CalendarRecord) -> CalendarConfig:
    hours = tuple(
        tuple(
            sorted(
                (time.fromisoformat(start), time.fromisoformat(end))
                for start, end in record.hours.get(str(day), [])
            )
        )
        for day in range(len(WEEKDAY_NAMES))
    )
    holidays = tuple(sorted(date.fromisoformat(day) for day in record.holidays))
    return CalendarConfig(record.id, record.name, record.time_zone, hours, holidays)


def _policy_config(
    policy: SlaPolicy, codes: Mapping[int, str], calendars: Sequence[CalendarRecord]
) -> PolicyConfig:
    stored = policy.targets
    calendar = next(record.name for record in calendars if record.id == policy.calendar_id)
    return PolicyConfig(
        name=policy.name,
        calendar=calendar,
        warning_percent=policy.warning_percent,
        tier_minutes=_by_code(stored.get("tier", {}), codes),
        response_minutes=_by_code(stored.get("response", {}), codes),
        customer_minutes={
            clock: dict(row) for clock, row in sorted(stored.get("customer", {}).items())
        },
        pause_all=tuple(sorted(stored_pause_rule(stored, "all"))),
        pause_tier=tuple(sorted(stored_pause_rule(stored, "tier"))),
        version=policy.version,
    )


def _by_code(rows: Mapping[str, Mapping[str, int]], codes: Mapping[int, str]) -> dict[str, Any]:
    """Stored rows keyed by tier id, keyed by tier code instead (rows of deleted tiers drop)."""
    return {
        codes[int(tier_id)]: dict(row) for tier_id, row in rows.items() if int(tier_id) in codes
    }
