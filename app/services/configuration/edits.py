"""Small, pure edits of a draft configuration, each returning a new draft.

They do what a supervisor means in one step (retiring a tier also drops its SLA targets; a
changed tier code follows into categories and targets) and leave judging to ``check``: an edit
never refuses, so a dialog can show every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import holidays as holiday_tables

from app.models import TierKind
from app.services.configuration.snapshot import (
    CalendarConfig,
    CategoryConfig,
    DeskConfiguration,
    MinutesGrid,
    TierConfig,
)
from app.services.errors import InvalidInput, NotFound


def _fold(text: str) -> str:
    return text.strip().casefold()


def tier_index(config: DeskConfiguration, code: str) -> int:
    for index, tier in enumerate(config.tiers):
        if _fold(tier.code) == _fold(code):
            return index
    raise NotFound(f"no tier {code!r} in the configuration")


def _with_tier(config: DeskConfiguration, index: int, tier: TierConfig) -> DeskConfiguration:
    tiers = list(config.tiers)
    tiers[index] = tier
    return replace(config, tiers=tuple(tiers))


def change_tier(config: DeskConfiguration, code: str, /, **changes: Any) -> DeskConfiguration:
    """The tier with ``code`` changed (``name``, ``description``, ``wip_limit``, ...). A new
    ``code`` is carried into categories and SLA targets that name the tier."""
    index = tier_index(config, code)
    old = config.tiers[index]
    config = _with_tier(config, index, replace(old, **changes))
    new_code = changes.get("code")
    if new_code is not None and new_code != old.code:
        config = _renamed_references(config, old.code, new_code)
    return config


def _renamed_references(config: DeskConfiguration, old: str, new: str) -> DeskConfiguration:
    categories = tuple(
        replace(c, min_tier=new) if _fold(c.min_tier) == _fold(old) else c
        for c in config.categories
    )
    policy = config.policy
    if policy is not None:
        policy = replace(
            policy,
            tier_minutes=_renamed_row(policy.tier_minutes, old, new),
            response_minutes=_renamed_row(policy.response_minutes, old, new),
        )
    return replace(config, categories=categories, policy=policy)


def _renamed_row(grid: MinutesGrid, old: str, new: str) -> dict[str, Mapping[str, int]]:
    return {(new if _fold(row) == _fold(old) else row): cells for row, cells in grid.items()}


def add_tier(
    config: DeskConfiguration,
    code: str,
    name: str,
    *,
    description: str = "",
    wip_limit: int | None = None,
    kind: TierKind = TierKind.INTERNAL,
) -> DeskConfiguration:
    """A new tier at the top of the internal tiers (below the vendor tier, if there is one)."""
    tier = TierConfig(None, code, name, description, kind, wip_limit)
    tiers = list(config.tiers)
    vendor = next(
        (i for i, t in enumerate(tiers) if not t.retired and t.kind == TierKind.VENDOR), None
    )
    last_active = max((i for i, t in enumerate(tiers) if not t.retired), default=-1)
    position = vendor if vendor is not None and kind == TierKind.INTERNAL else last_active + 1
    tiers.insert(position, tier)
    return replace(config, tiers=tuple(tiers))


def move_tier(config: DeskConfiguration, code: str, to_index: int) -> DeskConfiguration:
    """The ladder with the tier moved to ``to_index`` (0: the bottom, where tickets enter)."""
    tiers = list(config.tiers)
    tier = tiers.pop(tier_index(config, code))
    tiers.insert(max(0, min(to_index, len(tiers))), tier)
    return replace(config, tiers=tuple(tiers))


def retire_tier(config: DeskConfiguration, code: str) -> DeskConfiguration:
    """The tier retired (off the ladder; its history stays) and its SLA targets dropped.
    Whether it may be retired (no open tickets there) is ``check``'s to say."""
    index = tier_index(config, code)
    config = _with_tier(config, index, replace(config.tiers[index], retired=True))
    if config.policy is None:
        return config
    policy = replace(
        config.policy,
        tier_minutes=_without_row(config.policy.tier_minutes, code),
        response_minutes=_without_row(config.policy.response_minutes, code),
    )
    return replace(config, policy=policy)


def _without_row(grid: MinutesGrid, code: str) -> dict[str, Mapping[str, int]]:
    return {row: cells for row, cells in grid.items() if _fold(row) != _fold(code)}


def set_vendor_tier(config: DeskConfiguration, code: str | None) -> DeskConfiguration:
    """``code`` becomes the vendor tier and every other tier internal (``None``: no vendor)."""
    tiers = tuple(
        replace(
            tier,
            kind=TierKind.VENDOR
            if code is not None and _fold(tier.code) == _fold(code)
            else TierKind.INTERNAL,
        )
        for tier in config.tiers
    )
    return replace(config, tiers=tiers)


def change_category(config: DeskConfiguration, name: str, /, **changes: Any) -> DeskConfiguration:
    """The category called ``name`` changed (``name``, ``min_tier``, ``description``)."""
    categories = list(config.categories)
    for index, category in enumerate(categories):
        if _fold(category.name) == _fold(name):
            categories[index] = replace(category, **changes)
            return replace(config, categories=tuple(categories))
    raise NotFound(f"no category {name!r} in the configuration")


def add_category(
    config: DeskConfiguration, name: str, min_tier: str, description: str = ""
) -> DeskConfiguration:
    category = CategoryConfig(None, name, min_tier, description)
    return replace(config, categories=(*config.categories, category))


def change_calendar(config: DeskConfiguration, name: str, /, **changes: Any) -> DeskConfiguration:
    """The calendar called ``name`` changed (``time_zone``, ``hours``, ``holidays``, ...)."""
    calendars = list(config.calendars)
    for index, calendar in enumerate(calendars):
        if _fold(calendar.name) == _fold(name):
            calendars[index] = replace(calendar, **changes)
            new_name = changes.get("name")
            policy = config.policy
            if new_name and policy is not None and _fold(policy.calendar) == _fold(name):
                policy = replace(policy, calendar=new_name)
            return replace(config, calendars=tuple(calendars), policy=policy)
    raise NotFound(f"no calendar {name!r} in the configuration")


def public_holidays(
    country: str, year: int, subdivision: str | None = None
) -> list[tuple[date, str]]:
    """The public holidays of ``country`` (ISO code such as "DE") in ``year``, optionally of a
    subdivision ("BY"), from the ``holidays`` package, as (date, name), in date order."""
    code = country.strip().upper()
    if code not in holiday_tables.list_supported_countries():
        raise InvalidInput(
            "country", f"{country!r} is not a country code the holidays package knows"
        )
    if not 1900 <= year <= 2200:
        raise InvalidInput("year", f"{year} is not a year from 1900 to 2200")
    try:
        table = holiday_tables.country_holidays(code, subdiv=subdivision or None, years=year)
    except NotImplementedError as error:
        raise InvalidInput("subdivision", f"{subdivision!r}: {error}") from error
    return sorted(table.items())


def with_public_holidays(
    calendar: CalendarConfig, country: str, year: int, subdivision: str | None = None
) -> CalendarConfig:
    """The calendar with the public holidays of that country and year added to its own."""
    days = {day for day, _name in public_holidays(country, year, subdivision)}
    return replace(calendar, holidays=tuple(sorted(days | set(calendar.holidays))))
