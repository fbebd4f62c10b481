"""Writing a checked draft configuration in the caller's transaction.

Tiers are updated in place (their ids are what tickets, history and clocks refer to), positions
follow the draft's order; a changed code or name first steps aside to a placeholder so that two
rows may swap codes or names without tripping the unique constraints mid-way. A changed SLA
policy becomes a new version through ``sla_policy``'s own versioning (clocks already running
keep the version they started with). Calendars are edited in place: a clock measures its
remaining time against the calendar as it is when the clock next changes.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CalendarRecord, Category, Tier
from app.services.clock import Clock
from app.services.configuration.snapshot import (
    CalendarConfig,
    DeskConfiguration,
    PolicyConfig,
)
from app.services.sla_policy import PolicyTargets, add_policy


def apply_configuration(
    session: Session, stored: DeskConfiguration, draft: DeskConfiguration, clock: Clock
) -> None:
    """Make the database hold ``draft`` (already checked against ``stored``)."""
    tier_ids = _apply_tiers(session, draft)
    _apply_categories(session, stored, draft, tier_ids)
    calendar_ids = _apply_calendars(session, stored, draft)
    newly_retired = {t.id for t in draft.tiers if t.retired} - {
        t.id for t in stored.tiers if t.retired
    }
    if draft.policy is not None and (_policy_changed(stored, draft) or newly_retired):
        _new_policy_version(session, draft.policy, calendar_ids, clock)


def _policy_changed(stored: DeskConfiguration, draft: DeskConfiguration) -> bool:
    """Whether the draft's policy measures differently: tiers and the calendar compared by
    what they are (their ids), so that renaming one makes no new policy version."""
    return _measures(stored) != _measures(draft)


def _measures(config: DeskConfiguration) -> tuple[object, ...] | None:
    policy = config.policy
    if policy is None:
        return None
    tiers = {_fold(t.code): t.id if t.id is not None else t.code for t in config.tiers}
    calendars = {_fold(c.name): c.id if c.id is not None else c.name for c in config.calendars}

    def grid(table: Mapping[str, Mapping[str, int]]) -> dict[object, dict[str, int]]:
        return {tiers.get(_fold(row), row): dict(cells) for row, cells in table.items() if cells}

    return (
        policy.name.strip(),
        calendars.get(_fold(policy.calendar), policy.calendar),
        policy.warning_percent,
        grid(policy.tier_minutes),
        grid(policy.response_minutes),
        {row: dict(cells) for row, cells in policy.customer_minutes.items() if cells},
        set(policy.pause_all),
        set(policy.pause_tier),
    )


def _fold(text: str) -> str:
    return text.strip().casefold()


def _apply_tiers(session: Session, draft: DeskConfiguration) -> dict[str, int]:
    """Tier ids by folded code, new tiers included."""
    rows = {tier.id: tier for tier in session.scalars(select(Tier))}
    for wanted in draft.tiers:  # step aside first, so that codes and names may swap
        row = rows.get(wanted.id) if wanted.id is not None else None
        if row is not None and (row.code != wanted.code.strip() or row.name != wanted.name.strip()):
            row.code, row.name = f"~{row.id}", f"~{row.id}"
    session.flush()
    for position, wanted in enumerate(draft.tiers, start=1):
        row = rows.get(wanted.id) if wanted.id is not None else None
        if row is None:
            row = Tier()
            session.add(row)
        row.code = wanted.code.strip()
        row.name = wanted.name.strip()
        row.description = (wanted.description or "").strip()
        row.position = position
        row.kind = wanted.kind
        row.wip_limit = wanted.wip_limit
        row.retired = wanted.retired
    session.flush()
    return {_fold(tier.code): tier.id for tier in session.scalars(select(Tier))}


def _apply_categories(
    session: Session, stored: DeskConfiguration, draft: DeskConfiguration, tiers: dict[str, int]
) -> None:
    rows = {category.id: category for category in session.scalars(select(Category)).unique()}
    kept = {category.id for category in draft.categories if category.id is not None}
    for category_id, gone in rows.items():
        if category_id not in kept:
            session.delete(gone)
    for wanted in draft.categories:
        row = rows.get(wanted.id) if wanted.id is not None else None
        if row is not None and row.name != wanted.name.strip():
            row.name = f"~{row.id}"
    session.flush()
    for wanted in draft.categories:
        row = rows.get(wanted.id) if wanted.id is not None else None
        if row is None:
            row = Category()
            session.add(row)
        row.name = wanted.name.strip()
        row.description = (wanted.description or "").strip()
        row.min_tier_id = tiers[_fold(wanted.min_tier)]
    session.flush()


def _apply_calendars(
    session: Session, stored: DeskConfiguration, draft: DeskConfiguration
) -> dict[str, int]:
    """Calendar ids by folded name."""
    rows = {record.id: record for record in session.scalars(select(CalendarRecord))}
    kept = {calendar.id for calendar in draft.calendars if calendar.id is not None}
    for calendar_id, gone in rows.items():
        if calendar_id not in kept:
            session.delete(gone)
    for wanted in draft.calendars:
        row = rows.get(wanted.id) if wanted.id is not None else None
        if row is not None and row.name != wanted.name.strip():
            row.name = f"~{row.id}"
    session.flush()
    for wanted in draft.calendars:
        row = rows.get(wanted.id) if wanted.id is not None else None
        if row is None:
            row = CalendarRecord()
            session.add(row)
        row.name = wanted.name.strip()
        row.time_zone = wanted.time_zone.strip()
        row.hours = stored_hours(wanted)
        row.holidays = sorted({day.isoformat() for day in wanted.holidays})
    session.flush()
    return {_fold(record.name): record.id for record in session.scalars(select(CalendarRecord))}


def stored_hours(calendar: CalendarConfig) -> dict[str, list[list[str]]]:
    """Weekday windows as ``CalendarRecord.hours`` stores them (weekdays without any left out)."""
    return {
        str(day): [
            [start.isoformat("minutes"), end.isoformat("minutes")] for start, end in sorted(windows)
        ]
        for day, windows in enumerate(calendar.hours)
        if windows
    }


def _new_policy_version(
    session: Session, policy: PolicyConfig, calendars: dict[str, int], clock: Clock
) -> None:
    """The next version of the desk's policy, made current through ``sla_policy``."""
    targets = PolicyTargets(
        _clean_grid(policy.tier_minutes),
        _clean_grid(policy.response_minutes),
        _clean_grid(policy.customer_minutes),
        frozenset(policy.pause_all),
        frozenset(policy.pause_tier),
    )
    add_policy(
        session, policy.name.strip(), calendars[_fold(policy.calendar)], targets,
        policy.warning_percent, clock,
    )  # fmt: skip


def _clean_grid(grid: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
    """Rows without any target are left out (no clock), as the policy stores them."""
    return {row.strip(): dict(cells) for row, cells in grid.items() if cells}
