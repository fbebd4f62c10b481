"""What changed between two configurations, in plain words ("renamed tier L2 to 'Desktop
support'"), for the conflict a second supervisor sees and for what an import did.

Rows are matched by database id where both sides have one, otherwise by code or name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import time
from typing import TypeVar

from app.models import TierKind
from app.services.business_time import WEEKDAY_NAMES
from app.services.configuration.snapshot import (
    CalendarConfig,
    CategoryConfig,
    DayHours,
    DeskConfiguration,
    MinutesGrid,
    PolicyConfig,
    TierConfig,
)

Row = TypeVar("Row", TierConfig, CategoryConfig, CalendarConfig)


def describe_changes(before: DeskConfiguration, after: DeskConfiguration) -> list[str]:
    """One line per change from ``before`` to ``after``; empty when they are the same."""
    return [
        *_tier_changes(before.tiers, after.tiers),
        *_category_changes(before.categories, after.categories),
        *_calendar_changes(before.calendars, after.calendars),
        *_policy_changes(_in_new_names(before, after), after.policy),
    ]


def _in_new_names(before: DeskConfiguration, after: DeskConfiguration) -> PolicyConfig | None:
    """``before``'s policy with tiers and calendars called as ``after`` calls them, so that a
    renamed tier or calendar reads as a rename, not as changed targets."""
    policy = before.policy
    if policy is None:
        return None
    codes = _new_names(before.tiers, after.tiers)
    calendars = _new_names(before.calendars, after.calendars)

    def renamed(grid: MinutesGrid) -> dict[str, Mapping[str, int]]:
        return {codes.get(row, row): cells for row, cells in grid.items()}

    return replace(
        policy,
        calendar=calendars.get(policy.calendar, policy.calendar),
        tier_minutes=renamed(policy.tier_minutes),
        response_minutes=renamed(policy.response_minutes),
    )


def _new_names(before: Sequence[Row], after: Sequence[Row]) -> dict[str, str]:
    """Old code or name -> new one, for rows (matched by id) whose code or name changed."""
    names: dict[str, str] = {}
    for old, new in _pairs(before, after):
        if old is not None and new is not None:
            old_name = old.code if isinstance(old, TierConfig) else old.name
            new_name = new.code if isinstance(new, TierConfig) else new.name
            if old_name != new_name:
                names[old_name] = new_name
    return names


def _key(row: TierConfig | CategoryConfig | CalendarConfig) -> str:
    return (row.code if isinstance(row, TierConfig) else row.name).strip().casefold()


def _pairs(before: Sequence[Row], after: Sequence[Row]) -> Iterator[tuple[Row | None, Row | None]]:
    """(old, new) pairs: matched by id, then by code or name; ``None`` on the side it lacks."""
    by_id = {row.id: row for row in before if row.id is not None}
    by_key = {_key(row): row for row in before}
    matched: set[int] = set()
    for row in after:
        old = by_id.get(row.id) if row.id is not None else None
        if old is None:
            candidate = by_key.get(_key(row))
            if candidate is not None and (row.id is None or candidate.id is None):
                old = candidate
        if old is not None:
            matched.add(id(old))
        yield old, row
    for row in before:
        if id(row) not in matched:
            yield row, None


def _tier_changes(before: Sequence[TierConfig], after: Sequence[TierConfig]) -> Iterator[str]:
    for old, new in _pairs(before, after):
        if new is None:
            assert old is not None
            yield f"removed tier {old.code}"
            continue
        if old is None:
            yield f"added tier {new.code} ({new.name!r})"
            continue
        if old.code != new.code:
            yield f"changed the code of tier {old.code} to {new.code}"
        if old.name != new.name:
            yield f"renamed tier {new.code} to {new.name!r}"
        if old.description != new.description:
            yield f"changed what tier {new.code} resolves to {new.description!r}"
        if old.kind != new.kind:
            kind = "the vendor tier" if new.kind == TierKind.VENDOR else "an internal tier"
            yield f"made tier {new.code} {kind}"
        if old.wip_limit != new.wip_limit:
            limit = "none" if new.wip_limit is None else str(new.wip_limit)
            was = "none" if old.wip_limit is None else str(old.wip_limit)
            yield f"set tier {new.code}'s work-in-progress limit to {limit} (was {was})"
        if old.retired != new.retired:
            yield f"{'retired' if new.retired else 'brought back'} tier {new.code}"
    old_ladder = [tier.code for tier in before if not tier.retired]
    new_ladder = [tier.code for tier in after if not tier.retired]
    common = [code for code in new_ladder if code in old_ladder]
    if common != [code for code in old_ladder if code in new_ladder]:
        yield f"reordered the ladder to {' → '.join(new_ladder)}"


def _category_changes(
    before: Sequence[CategoryConfig], after: Sequence[CategoryConfig]
) -> Iterator[str]:
    for old, new in _pairs(before, after):
        if new is None:
            assert old is not None
            yield f"removed category {old.name!r}"
        elif old is None:
            yield f"added category {new.name!r} (resolvable from {new.min_tier})"
        else:
            if old.name != new.name:
                yield f"renamed category {old.name!r} to {new.name!r}"
            if old.min_tier != new.min_tier:
                yield (
                    f"made category {new.name!r} resolvable from {new.min_tier} "
                    f"(was {old.min_tier})"
                )
            if old.description != new.description:
                yield f"changed the description of category {new.name!r}"


def _calendar_changes(
    before: Sequence[CalendarConfig], after: Sequence[CalendarConfig]
) -> Iterator[str]:
    for old, new in _pairs(before, after):
        if new is None:
            assert old is not None
            yield f"removed calendar {old.name!r}"
            continue
        if old is None:
            yield f"added calendar {new.name!r} ({new.time_zone})"
            continue
        if old.name != new.name:
            yield f"renamed calendar {old.name!r} to {new.name!r}"
        if old.time_zone != new.time_zone:
            yield f"set calendar {new.name!r}'s time zone to {new.time_zone} (was {old.time_zone})"
        for day, (was, now) in enumerate(zip(old.hours, new.hours, strict=False)):
            if was != now:
                yield (
                    f"set {WEEKDAY_NAMES[day].capitalize()} hours of calendar {new.name!r} to "
                    f"{_hours_text(now)} (was {_hours_text(was)})"
                )
        added = sorted(set(new.holidays) - set(old.holidays))
        removed = sorted(set(old.holidays) - set(new.holidays))
        if added:
            yield f"added holidays to calendar {new.name!r}: {_dates(added)}"
        if removed:
            yield f"removed holidays from calendar {new.name!r}: {_dates(removed)}"


def _dates(days: Sequence[object]) -> str:
    shown = ", ".join(str(day) for day in days[:5])
    return shown + (f" and {len(days) - 5} more" if len(days) > 5 else "")


def _hours_text(windows: DayHours) -> str:
    if not windows:
        return "closed"
    return ", ".join(f"{_hm(start)}-{_hm(end, end=True)}" for start, end in windows)


def _hm(moment: time, *, end: bool = False) -> str:
    return "24:00" if end and moment == time(0) else moment.strftime("%H:%M")


def _policy_changes(before: PolicyConfig | None, after: PolicyConfig | None) -> Iterator[str]:
    if before == after:
        return
    if after is None:
        yield "removed the SLA policy"
        return
    if before is None:
        yield f"added the SLA policy {after.name!r}"
        return
    name = after.name
    if before.name != after.name:
        yield f"renamed the SLA policy {before.name!r} to {after.name!r}"
    if before.calendar != after.calendar:
        yield f"set SLA policy {name!r} to calendar {after.calendar!r} (was {before.calendar!r})"
    if before.warning_percent != after.warning_percent:
        yield (
            f"set SLA policy {name!r}'s warning to {after.warning_percent}% "
            f"(was {before.warning_percent}%)"
        )
    for grid, what in (
        ("tier_minutes", "tier target"),
        ("response_minutes", "response target"),
        ("customer_minutes", "customer target"),
    ):
        yield from _grid_changes(getattr(before, grid), getattr(after, grid), what, name)
    for field, what in (("pause_all", "every clock"), ("pause_tier", "the tier clocks")):
        was, now = getattr(before, field), getattr(after, field)
        if set(was) != set(now):
            shown = ", ".join(str(status) for status in now) or "no status"
            yield f"set SLA policy {name!r} to pause {what} in: {shown}"


def _grid_changes(before: MinutesGrid, after: MinutesGrid, what: str, name: str) -> Iterator[str]:
    for row in sorted(set(before) | set(after)):
        old_row, new_row = before.get(row, {}), after.get(row, {})
        for priority in sorted(set(old_row) | set(new_row)):
            was, now = old_row.get(priority), new_row.get(priority)
            if was != now:
                yield (
                    f"set SLA policy {name!r}'s {row} {priority} {what} to "
                    f"{_minutes(now)} (was {_minutes(was)})"
                )


def _minutes(value: int | None) -> str:
    return "none" if value is None else f"{value} min"
