"""The configuration as a readable, versioned JSON document, and back.

Layout (``"format": 1``)::

    {"format": 1, "application": "TierDesk",
     "tiers": [{"code", "name", "description", "kind", "wip_limit", "retired"}, ...],   # in order
     "categories": [{"name", "min_tier", "description"}, ...],
     "calendars": [{"name", "time_zone", "hours": {"monday": [["08:00", "18:00"]], ...},
                    "holidays": ["2026-12-25", ...]}, ...],
     "policy": {"name", "calendar", "warning_percent", "tier_minutes": {"L1": {"P1": 30}},
                "response_minutes", "customer_minutes": {"first_response": {...}, ...},
                "pause_all": ["waiting_on_customer"], "pause_tier": ["waiting_on_vendor"]},
     "rules": [...]}                                   # where the rules engine is installed

Reading a file against a desk matches tiers by code, categories and calendars by name (letter
case ignored). The file is the whole set-up: a tier of the desk that the file leaves out is
retired, a category or calendar it leaves out is removed (refused where tickets or policies use
it). Every problem is reported with its path in the file (``tiers[2].wip_limit``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from app.models import TicketStatus, TierKind
from app.services.business_time import WEEKDAY_NAMES
from app.services.configuration.snapshot import (
    DEFAULT_PAUSE_ALL,
    DEFAULT_PAUSE_TIER,
    CalendarConfig,
    CategoryConfig,
    DeskConfiguration,
    PolicyConfig,
    Problem,
    TierConfig,
)
from app.services.rules.definition import NUL_MESSAGE, shown

FORMAT_VERSION = 1
#: A file's policy without pause rules pauses as TierDesk always has.
DEFAULTS = {
    "all": [status.value for status in DEFAULT_PAUSE_ALL],
    "tier": [status.value for status in DEFAULT_PAUSE_TIER],
}
TOP_KEYS = {"format", "application", "tiers", "categories", "calendars", "policy", "rules"}
TIER_KEYS = {"code", "name", "description", "kind", "wip_limit", "retired"}
CATEGORY_KEYS = {"name", "min_tier", "description"}
CALENDAR_KEYS = {"name", "time_zone", "hours", "holidays"}
POLICY_KEYS = {
    "name", "calendar", "warning_percent", "tier_minutes", "response_minutes",
    "customer_minutes", "pause_all", "pause_tier",
}  # fmt: skip


def configuration_to_data(config: DeskConfiguration, rules: Any | None = None) -> dict[str, Any]:
    """The configuration as the file holds it (no database ids: a file travels between desks)."""
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "application": "TierDesk",
        "tiers": [
            {
                "code": t.code,
                "name": t.name,
                "description": t.description,
                "kind": t.kind.value,
                "wip_limit": t.wip_limit,
                "retired": t.retired,
            }
            for t in config.tiers
        ],
        "categories": [
            {"name": c.name, "min_tier": c.min_tier, "description": c.description}
            for c in config.categories
        ],
        "calendars": [_calendar_data(c) for c in config.calendars],
        "policy": None if config.policy is None else _policy_data(config.policy),
    }
    if rules is not None:
        data["rules"] = rules
    return data


def _calendar_data(calendar: CalendarConfig) -> dict[str, Any]:
    return {
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "hours": {
            WEEKDAY_NAMES[day]: [[_hm(start), _hm(end)] for start, end in windows]
            for day, windows in enumerate(calendar.hours)
        },
        "holidays": [day.isoformat() for day in calendar.holidays],
    }


def _hm(moment: time) -> str:
    return moment.isoformat("minutes")


def _policy_data(policy: PolicyConfig) -> dict[str, Any]:
    def grid(table: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, int]]:
        return {row: dict(sorted(cells.items())) for row, cells in table.items()}

    return {
        "name": policy.name,
        "calendar": policy.calendar,
        "warning_percent": policy.warning_percent,
        "tier_minutes": grid(policy.tier_minutes),
        "response_minutes": grid(policy.response_minutes),
        "customer_minutes": grid(policy.customer_minutes),
        "pause_all": [status.value for status in policy.pause_all],
        "pause_tier": [status.value for status in policy.pause_tier],
    }


@dataclass
class _Reader:
    """Collects the file's problems while building a draft from it."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, page: str, where: str, message: str) -> None:
        self.problems.append(Problem(page, where, message))

    def obj(self, page: str, where: str, value: Any, keys: set[str], required: set[str]) -> bool:
        if not isinstance(value, dict):
            self.add(page, where, f"expected an object {{...}}, found {_kind(value)}")
            return False
        for key in sorted(set(value) - keys):
            self.add(page, f"{where}.{key}", f"unknown key (known: {', '.join(sorted(keys))})")
        for key in sorted(required - set(value)):
            self.add(page, f"{where}.{key}", "missing")
        return True

    def items(self, page: str, where: str, value: Any) -> Iterator[tuple[int, Any]]:
        if value is None:
            return
        if not isinstance(value, list):
            self.add(page, where, f"expected a list [...], found {_kind(value)}")
            return
        yield from enumerate(value)

    def text(self, page: str, where: str, value: Any, default: str = "") -> str:
        if value is None:
            return default
        if not isinstance(value, str):
            self.add(page, where, f"expected text, found {_kind(value)}")
            return default
        if "\x00" in value:
            self.add(page, where, NUL_MESSAGE)
            return default
        return value


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}
    number = f"the number {shown(value)}" if isinstance(value, int | float) else "?"
    return names.get(type(value), number)


def draft_from_data(
    data: Any, stored: DeskConfiguration
) -> tuple[DeskConfiguration, list[Problem]]:
    """The draft a file asks for, matched against the desk's ``stored`` configuration, and the
    file's own problems (structure, types, unreadable times and dates). The draft still has to
    pass ``check``; where a value could not be read, the draft holds a stand-in."""
    reader = _Reader()
    if not isinstance(data, dict):
        reader.add("file", "(file)", f"a configuration file is a JSON object, not {_kind(data)}")
        return stored, reader.problems
    _check_format(reader, data)
    tiers = _tiers(reader, data.get("tiers"), stored)
    categories = _categories(reader, data.get("categories"), stored)
    calendars = _calendars(reader, data.get("calendars"), stored)
    policy = _policy(reader, data.get("policy"))
    draft = DeskConfiguration(tiers, categories, calendars, policy)
    return draft, reader.problems


def _check_format(reader: _Reader, data: dict[str, Any]) -> None:
    version = data.get("format")
    if version is None:
        reader.add("file", "format", "missing: this is not a TierDesk configuration file")
    elif not isinstance(version, int) or isinstance(version, bool) or version < 1:
        reader.add("file", "format", f"{shown(version)} is not a format version")
    elif version > FORMAT_VERSION:
        reader.add(
            "file", "format", f"written by a newer TierDesk (format {shown(version)}); this one "
            f"reads format {FORMAT_VERSION}",
        )  # fmt: skip
    for key in sorted(set(data) - TOP_KEYS):
        where = key if key.strip() else repr(key)  # a blank key, visibly
        reader.add("file", where, f"unknown section (known: {', '.join(sorted(TOP_KEYS))})")
    for key in ("tiers", "categories", "calendars"):
        if key not in data:
            reader.add("file", key, "missing")


def _fold(text: str) -> str:
    return text.strip().casefold()


def _tiers(reader: _Reader, items: Any, stored: DeskConfiguration) -> tuple[TierConfig, ...]:
    by_code = {_fold(tier.code): tier for tier in stored.tiers}
    tiers: list[TierConfig] = []
    for index, item in reader.items("tiers", "tiers", items):
        at = f"tiers[{index}]"
        if not reader.obj("tiers", at, item, TIER_KEYS, {"code", "name"}):
            continue
        code = reader.text("tiers", f"{at}.code", item.get("code"))
        kind_text = reader.text("tiers", f"{at}.kind", item.get("kind"), "internal")
        try:
            kind = TierKind(kind_text)
        except ValueError:
            reader.add("tiers", f"{at}.kind", f"{shown(kind_text)} is not internal or vendor")
            kind = TierKind.INTERNAL
        retired = item.get("retired", False)
        if not isinstance(retired, bool):
            reader.add("tiers", f"{at}.retired", f"expected true or false, found {_kind(retired)}")
            retired = False
        known = by_code.get(_fold(code))
        tiers.append(
            TierConfig(
                id=None if known is None else known.id,
                code=code,
                name=reader.text("tiers", f"{at}.name", item.get("name")),
                description=reader.text("tiers", f"{at}.description", item.get("description")),
                kind=kind,
                wip_limit=item.get("wip_limit"),
                retired=retired,
            )
        )
    named = {_fold(tier.code) for tier in tiers}
    left_out = [replace(t, retired=True) for t in stored.tiers if _fold(t.code) not in named]
    return (*tiers, *left_out)


def _categories(
    reader: _Reader, items: Any, stored: DeskConfiguration
) -> tuple[CategoryConfig, ...]:
    by_name = {_fold(category.name): category for category in stored.categories}
    categories: list[CategoryConfig] = []
    for index, item in reader.items("categories", "categories", items):
        at = f"categories[{index}]"
        if not reader.obj("categories", at, item, CATEGORY_KEYS, {"name", "min_tier"}):
            continue
        name = reader.text("categories", f"{at}.name", item.get("name"))
        known = by_name.get(_fold(name))
        categories.append(
            CategoryConfig(
                id=None if known is None else known.id,
                name=name,
                min_tier=reader.text("categories", f"{at}.min_tier", item.get("min_tier")),
                description=reader.text("categories", f"{at}.description", item.get("description")),
            )
        )
    return tuple(categories)


def _calendars(
    reader: _Reader, items: Any, stored: DeskConfiguration
) -> tuple[CalendarConfig, ...]:
    by_name = {_fold(calendar.name): calendar for calendar in stored.calendars}
    calendars: list[CalendarConfig] = []
    for index, item in reader.items("calendars", "calendars", items):
        at = f"calendars[{index}]"
        if not reader.obj("calendars", at, item, CALENDAR_KEYS, {"name", "time_zone", "hours"}):
            continue
        name = reader.text("calendars", f"{at}.name", item.get("name"))
        known = by_name.get(_fold(name))
        calendars.append(
            CalendarConfig(
                id=None if known is None else known.id,
                name=name,
                time_zone=reader.text("calendars", f"{at}.time_zone", item.get("time_zone")),
                hours=_hours(reader, f"{at}.hours", item.get("hours", {})),
                holidays=_holidays(reader, f"{at}.holidays", item.get("holidays")),
            )
        )
    return tuple(calendars)


def _hours(reader: _Reader, at: str, value: Any) -> tuple[tuple[tuple[time, time], ...], ...]:
    if not reader.obj("calendars", at, value, set(WEEKDAY_NAMES), set()):
        return ((),) * 7
    days: list[tuple[tuple[time, time], ...]] = []
    for name in WEEKDAY_NAMES:
        windows: list[tuple[time, time]] = []
        for index, window in reader.items("calendars", f"{at}.{name}", value.get(name)):
            where = f"{at}.{name}[{index}]"
            if not (isinstance(window, list) and len(window) == 2):
                reader.add("calendars", where, 'a window is ["HH:MM", "HH:MM"]')
                continue
            start, end = (_time(reader, where, text) for text in window)
            if start is not None and end is not None:
                windows.append((start, end))
        days.append(tuple(sorted(windows)))
    return tuple(days)


def _time(reader: _Reader, where: str, text: Any) -> time | None:
    if isinstance(text, str) and len(text) == 5 and text[2] == ":":
        if text == "24:00":
            return time(0)
        try:
            return time.fromisoformat(text)
        except ValueError:
            pass
    reader.add("calendars", where, f"{shown(text)} is not a time of day HH:MM")
    return None


def _holidays(reader: _Reader, at: str, value: Any) -> tuple[date, ...]:
    days: set[date] = set()
    for index, text in reader.items("calendars", at, value):
        try:
            days.add(date.fromisoformat(text))
        except (TypeError, ValueError):
            reader.add("calendars", f"{at}[{index}]", f"{shown(text)} is not a date YYYY-MM-DD")
    return tuple(sorted(days))


def _policy(reader: _Reader, value: Any) -> PolicyConfig | None:
    if value is None:
        return None
    if not reader.obj("policy", "policy", value, POLICY_KEYS, {"name", "calendar"}):
        return None

    def grid(name: str) -> dict[str, dict[str, int]]:
        return _grid(reader, f"policy.{name}", value.get(name, {}))

    return PolicyConfig(
        name=reader.text("policy", "policy.name", value.get("name")),
        calendar=reader.text("policy", "policy.calendar", value.get("calendar")),
        warning_percent=value.get("warning_percent", 75),
        tier_minutes=grid("tier_minutes"),
        response_minutes=grid("response_minutes"),
        customer_minutes=grid("customer_minutes"),
        pause_all=_statuses(reader, "policy.pause_all", value.get("pause_all", DEFAULTS["all"])),
        pause_tier=_statuses(
            reader, "policy.pause_tier", value.get("pause_tier", DEFAULTS["tier"])
        ),
    )


def _grid(reader: _Reader, at: str, value: Any) -> dict[str, dict[str, int]]:
    if not isinstance(value, dict):
        reader.add(
            "policy", at, f"expected an object {{row: {{P1: minutes}}}}, found {_kind(value)}"
        )
        return {}
    grid: dict[str, dict[str, int]] = {}
    for row, cells in value.items():
        if not isinstance(cells, dict):
            reader.add(
                "policy", f"{at}.{row}", f"expected {{P1: minutes, ...}}, found {_kind(cells)}"
            )
            continue
        grid[row] = dict(cells)
    return grid


def _statuses(reader: _Reader, at: str, value: Any) -> tuple[TicketStatus, ...]:
    statuses: list[TicketStatus] = []
    for index, text in reader.items("policy", at, value):
        try:
            statuses.append(TicketStatus(text))
        except ValueError:
            reader.add("policy", f"{at}[{index}]", f"{shown(text)} is not a ticket status")
    return tuple(statuses)
