"""Checking a draft configuration as a whole: every problem, each at its field.

``check_configuration`` never stops at the first problem: a dialog shows each one next to its
field and a file import lists them all. What only the database knows (open tickets per tier,
tickets per category, calendars that policies use) comes in as ``StoredFacts``, read in the
transaction that will save, so that the answer holds when the save commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Priority, SlaPolicy, Ticket, TicketStatus, TierKind
from app.services.business_time import WEEKDAY_NAMES, BusinessCalendar
from app.services.configuration.snapshot import (
    PAUSABLE_STATUSES,
    DeskConfiguration,
    MinutesGrid,
    PolicyConfig,
    Problem,
    load_configuration,
)
from app.services.errors import InvalidInput
from app.services.rules.definition import shown
from app.services.sla_policy import MINUTES_MAX

CODE_MAX = 16
NAME_MAX = 80
DESCRIPTION_MAX = 2000
TIME_ZONE_MAX = 64
WIP_LIMIT_MAX = 100_000
#: The longest target: a year of business minutes (beyond that a clock means nothing).
# ``MINUTES_MAX``: from ``sla_policy``, the one limit of a target.
CUSTOMER_CLOCKS = ("first_response", "resolution")
PRIORITIES = tuple(priority.value for priority in Priority)


@dataclass(frozen=True)
class StoredFacts:
    """What the database holds that a draft is checked against."""

    stored: DeskConfiguration
    open_tickets_by_tier: Mapping[int, int]
    tickets_by_category: Mapping[int, int]
    calendars_in_use: frozenset[int]

    @classmethod
    def read(cls, session: Session) -> StoredFacts:
        finished = (TicketStatus.RESOLVED, TicketStatus.CLOSED)
        open_by_tier = session.execute(
            select(Ticket.tier_id, func.count())
            .where(Ticket.status.not_in(finished))
            .group_by(Ticket.tier_id)
        )
        by_category = session.execute(
            select(Ticket.category_id, func.count()).group_by(Ticket.category_id)
        )
        in_use = session.scalars(select(SlaPolicy.calendar_id).distinct())
        return cls(
            stored=load_configuration(session),
            open_tickets_by_tier={tier_id: count for tier_id, count in open_by_tier.tuples()},
            tickets_by_category={cat_id: count for cat_id, count in by_category.tuples()},
            calendars_in_use=frozenset(in_use),
        )


def check_configuration(draft: DeskConfiguration, facts: StoredFacts) -> list[Problem]:
    """Every problem of ``draft``, page by page, in the order of the fields."""
    return [
        *_tier_problems(draft, facts),
        *_category_problems(draft, facts),
        *_calendar_problems(draft, facts),
        *_policy_problems(draft, facts),
    ]


def _text(page: str, where: str, value: object, what: str, limit: int) -> Iterator[Problem]:
    if not isinstance(value, str) or not value.strip():
        yield Problem(page, where, f"{what} must not be empty")
    elif len(value.strip()) > limit:
        yield Problem(page, where, f"{what} is {len(value.strip())} characters; at most {limit}")
    elif "\x00" in value:
        yield Problem(page, where, f"{what} contains a NUL character")


def _duplicates(page: str, where: str, values: list[str], what: str) -> Iterator[Problem]:
    """A problem at each repeat of a name or code (letter case ignored), naming the first."""
    first: dict[str, int] = {}
    for index, value in enumerate(values):
        key = value.strip().casefold()
        if not key:
            continue
        if key in first:
            yield Problem(
                page,
                f"{page}[{index}].{where}",
                f"{what} {shown(value.strip())} is already used by {page}[{first[key]}]",
            )
        else:
            first[key] = index


def _tier_problems(draft: DeskConfiguration, facts: StoredFacts) -> Iterator[Problem]:
    stored = {tier.id: tier for tier in facts.stored.tiers}
    for index, tier in enumerate(draft.tiers):
        at = f"tiers[{index}]"
        yield from _text("tiers", f"{at}.code", tier.code, "a tier's code", CODE_MAX)
        if isinstance(tier.code, str) and any(c.isspace() for c in tier.code.strip()):
            yield Problem(
                "tiers", f"{at}.code", f"{shown(tier.code)}: a code is one word, no spaces"
            )
        yield from _text("tiers", f"{at}.name", tier.name, "a tier's name", NAME_MAX)
        if len(tier.description or "") > DESCRIPTION_MAX:
            yield Problem("tiers", f"{at}.description", f"at most {DESCRIPTION_MAX} characters")
        if not isinstance(tier.kind, TierKind):
            yield Problem("tiers", f"{at}.kind", f"{shown(tier.kind)} is not internal or vendor")
        limit = tier.wip_limit
        if limit is not None and (
            not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= WIP_LIMIT_MAX
        ):
            yield Problem(
                "tiers",
                f"{at}.wip_limit",
                f"{shown(limit)} is not a number of tickets from 1 to {WIP_LIMIT_MAX} (or none)",
            )
        if tier.id is not None and tier.id not in stored:
            yield Problem("tiers", f"{at}.id", f"no tier with id {tier.id} on this desk")
        open_count = facts.open_tickets_by_tier.get(tier.id or -1, 0)
        if tier.retired and open_count:
            yield Problem(
                "tiers",
                f"{at}.retired",
                f"tier {tier.code} ({tier.name}) has {open_count} open ticket"
                f"{'s' if open_count != 1 else ''}; move them to another tier before retiring it",
            )
    codes = [tier.code if isinstance(tier.code, str) else "" for tier in draft.tiers]
    names = [tier.name if isinstance(tier.name, str) else "" for tier in draft.tiers]
    yield from _duplicates("tiers", "code", codes, "code")
    yield from _duplicates("tiers", "name", names, "name")
    by_code = {code.strip().casefold(): index for index, code in enumerate(codes)}
    for index, name in enumerate(names):
        other = by_code.get(name.strip().casefold())
        if other is not None and other != index:
            yield Problem(
                "tiers", f"tiers[{index}].name", f"{shown(name)} is the code of tiers[{other}]"
            )
    kept = {tier.id for tier in draft.tiers}
    for tier in facts.stored.tiers:
        if tier.id not in kept:
            yield Problem(
                "tiers", "tiers", f"tier {tier.code} cannot be deleted (its history stays); "
                "retire it instead",
            )  # fmt: skip
    yield from _ladder_problems(draft)


def _ladder_problems(draft: DeskConfiguration) -> Iterator[Problem]:
    """The shape escalation relies on: an internal entry tier at the bottom, at most one
    vendor tier and, if there is one, at the top (the next step after the top internal tier)."""
    active = [(index, tier) for index, tier in enumerate(draft.tiers) if not tier.retired]
    if not active:
        yield Problem("tiers", "tiers", "the ladder needs at least one tier that is not retired")
        return
    first_index, first = active[0]
    if first.kind == TierKind.VENDOR:
        yield Problem(
            "tiers",
            f"tiers[{first_index}].kind",
            f"tier {first.code} is where tickets enter: the lowest tier must be internal",
        )
    vendors = [(index, tier) for index, tier in active if tier.kind == TierKind.VENDOR]
    top_index = active[-1][0]
    for index, tier in vendors:
        if index == top_index:
            continue
        others = [other.code for i, other in vendors if i != index]
        if others:
            message = (
                f"tier {tier.code}: a desk has at most one vendor tier, at the top "
                f"({', '.join(others)} is one)"
            )
        else:
            above = ", ".join(t.code for i, t in active if i > index)
            message = (
                f"the vendor tier {tier.code} must be the top of the ladder (above it: {above})"
            )
        yield Problem("tiers", f"tiers[{index}].kind", message)


def _category_problems(draft: DeskConfiguration, facts: StoredFacts) -> Iterator[Problem]:
    active = {tier.code.strip().casefold(): tier for tier in draft.active_tiers}
    retired = {tier.code.strip().casefold(): tier for tier in draft.tiers if tier.retired}
    stored_ids = {category.id for category in facts.stored.categories}
    for index, category in enumerate(draft.categories):
        at = f"categories[{index}]"
        yield from _text("categories", f"{at}.name", category.name, "a category's name", NAME_MAX)
        if len(category.description or "") > DESCRIPTION_MAX:
            yield Problem(
                "categories", f"{at}.description", f"at most {DESCRIPTION_MAX} characters"
            )
        wanted = str(category.min_tier or "").strip().casefold()
        if wanted in retired:
            yield Problem(
                "categories", f"{at}.min_tier", f"tier {category.min_tier} is retired; choose "
                "another lowest tier authorised to resolve it",
            )  # fmt: skip
        elif wanted not in active:
            known = ", ".join(tier.code for tier in draft.active_tiers) or "none"
            yield Problem(
                "categories",
                f"{at}.min_tier",
                f"no tier {shown(category.min_tier)} (tiers: {known})",
            )
        if category.id is not None and category.id not in stored_ids:
            yield Problem("categories", f"{at}.id", f"no category with id {category.id}")
    names = [c.name if isinstance(c.name, str) else "" for c in draft.categories]
    yield from _duplicates("categories", "name", names, "name")
    kept = {category.id for category in draft.categories}
    for category in facts.stored.categories:
        used = facts.tickets_by_category.get(category.id or -1, 0)
        if category.id not in kept and used:
            tickets = "1 ticket" if used == 1 else f"{used} tickets"
            yield Problem(
                "categories", "categories", f"category {shown(category.name)} is used by "
                f"{tickets} and cannot be removed",
            )  # fmt: skip


def _calendar_problems(draft: DeskConfiguration, facts: StoredFacts) -> Iterator[Problem]:
    stored_ids = {calendar.id for calendar in facts.stored.calendars}
    for index, calendar in enumerate(draft.calendars):
        at = f"calendars[{index}]"
        yield from _text("calendars", f"{at}.name", calendar.name, "a calendar's name", NAME_MAX)
        try:
            BusinessCalendar.always(calendar.time_zone)
        except InvalidInput as error:
            yield Problem("calendars", f"{at}.time_zone", error.message)
        except Exception:  # a value of the wrong type altogether
            yield Problem("calendars", f"{at}.time_zone", f"{shown(calendar.time_zone)} is no zone")
        yield from _hours_problems(at, calendar.hours)
        for day in calendar.holidays:
            if not isinstance(day, date):
                yield Problem("calendars", f"{at}.holidays", f"{shown(day)} is not a date")
        if calendar.id is not None and calendar.id not in stored_ids:
            yield Problem("calendars", f"{at}.id", f"no calendar with id {calendar.id}")
    names = [c.name if isinstance(c.name, str) else "" for c in draft.calendars]
    yield from _duplicates("calendars", "name", names, "name")
    kept = {calendar.id for calendar in draft.calendars}
    for calendar in facts.stored.calendars:
        if calendar.id not in kept and calendar.id in facts.calendars_in_use:
            yield Problem(
                "calendars", "calendars", f"calendar {shown(calendar.name)} is used by SLA policy "
                "versions that clocks measure against; it cannot be removed",
            )  # fmt: skip


def _hours_problems(at: str, hours: tuple[tuple[tuple[time, time], ...], ...]) -> Iterator[Problem]:
    if len(hours) != len(WEEKDAY_NAMES):
        yield Problem("calendars", f"{at}.hours", "working hours are given for 7 weekdays")
        return
    for day, windows in enumerate(hours):
        if not windows:
            continue
        try:  # BusinessCalendar's own rules, one weekday at a time so that each day is reported
            BusinessCalendar("UTC", {day: tuple(windows)})
        except InvalidInput as error:
            yield Problem("calendars", f"{at}.{error.field}", error.message)
    if not any(hours):
        yield Problem(
            "calendars", f"{at}.hours", "a calendar needs working hours on at least one weekday"
        )


def _policy_problems(draft: DeskConfiguration, facts: StoredFacts) -> Iterator[Problem]:
    policy = draft.policy
    if policy is None:
        if facts.stored.policy is not None:
            yield Problem("policy", "policy", "the desk's SLA policy cannot be removed")
        return
    yield from _text("policy", "policy.name", policy.name, "the policy's name", NAME_MAX)
    calendars = {calendar.name.strip().casefold() for calendar in draft.calendars}
    if str(policy.calendar or "").strip().casefold() not in calendars:
        known = ", ".join(calendar.name for calendar in draft.calendars) or "none"
        yield Problem(
            "policy", "policy.calendar", f"no calendar called {shown(policy.calendar)} ({known})"
        )
    percent = policy.warning_percent
    if not isinstance(percent, int) or isinstance(percent, bool) or not 1 <= percent <= 99:
        yield Problem(
            "policy", "policy.warning_percent", f"{shown(percent)} is not from 1 to 99 (%)"
        )
    tiers = {tier.code.strip().casefold() for tier in draft.active_tiers}
    for grid_name in ("tier_minutes", "response_minutes"):
        grid: MinutesGrid = getattr(policy, grid_name)
        for row in grid:
            if row.strip().casefold() not in tiers:
                yield Problem(
                    "policy",
                    f"policy.{grid_name}.{row}",
                    f"no active tier {shown(row)} on the ladder",
                )
        yield from _grid_problems(f"policy.{grid_name}", grid)
    for row in policy.customer_minutes:
        if row not in CUSTOMER_CLOCKS:
            yield Problem(
                "policy", f"policy.customer_minutes.{row}",
                f"{shown(row)} is not a customer SLA clock ({', '.join(CUSTOMER_CLOCKS)})",
            )  # fmt: skip
    yield from _grid_problems("policy.customer_minutes", policy.customer_minutes)
    yield from _pause_problems(policy)


def _grid_problems(where: str, grid: MinutesGrid) -> Iterator[Problem]:
    for row, by_priority in grid.items():
        for priority, minutes in by_priority.items():
            at = f"{where}.{row}.{priority}"
            if priority not in PRIORITIES:
                yield Problem("policy", at, f"{shown(priority)} is not a priority (P1-P4)")
            elif (
                not isinstance(minutes, int)
                or isinstance(minutes, bool)
                or not 1 <= minutes <= MINUTES_MAX
            ):
                yield Problem(
                    "policy",
                    at,
                    f"{shown(minutes)} is not a number of minutes from 1 to {MINUTES_MAX}",
                )


def _pause_problems(policy: PolicyConfig) -> Iterator[Problem]:
    allowed = ", ".join(status.value for status in PAUSABLE_STATUSES)
    for name in ("pause_all", "pause_tier"):
        statuses = getattr(policy, name)
        for status in statuses:
            if status not in PAUSABLE_STATUSES:
                yield Problem(
                    "policy", f"policy.{name}", f"{shown(status)} cannot pause clocks ({allowed})"
                )
        for status, count in Counter(statuses).items():
            if count > 1:
                yield Problem("policy", f"policy.{name}", f"{status} is listed {count} times")
