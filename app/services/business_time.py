"""Business-time arithmetic: when a clock that runs only in working time reaches a duration, and
how much working time lies between two instants.

A :class:`BusinessCalendar` says when work happens: windows of local wall-clock time per weekday,
whole-day holidays, and the IANA time zone the windows are read in; 24x7 is a calendar too
(:meth:`BusinessCalendar.always`). :func:`due` and :func:`elapsed` are exact inverses:
``elapsed(c, s, due(c, s, d)) == d`` to the microsecond, because both walk the same intervals with
``timedelta`` arithmetic. Pauses ("waiting on customer") are intervals of absolute time in which
the clock stands still. Instants go in aware and come out in UTC; no Qt, no database, no "now".

Daylight saving. A window boundary written as wall time ``t`` on local date ``d`` is *the first
instant at which the local clock shows d t or later*. Put differently: an instant is working time
when the latest reading the clock has shown so far lies in a window. So

* on a spring-forward night a boundary inside the skipped hour moves to the moment of the jump: a
  window wholly inside the gap is empty, and 00:00 on 2018-11-04 in Sao Paulo, which never
  happened, means 01:00 that day;
* on a fall-back night the repeated hour belongs to whatever window held the reading just before
  the clock was turned back (02:00-03:00 in Berlin on 2026-10-25 lasts two hours; 00:00-02:30
  lasts two and a half, its 02:00-02:30 counted once, the first time).

Python's ``fold=0`` would instead push a gap time forward by the gap's length, which can make two
windows of the same day overlap (01:00-02:30 and 03:00-04:00 on a spring-forward night) and count
time twice; the rule above never does, and it turns a day that does not exist at all (Samoa
skipped 2011-12-30) into a day without working time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.services.errors import InvalidInput

Window = tuple[time, time]
"""Local wall-clock ``(start, end)``, end exclusive; an end of ``time(0)`` means 24:00."""

Interval = tuple[datetime, datetime]
"""Absolute ``[start, end)`` in UTC."""

Pause = tuple[datetime, datetime | None]
"""Absolute ``[start, end)`` in which clocks stand still; an end of ``None`` means still paused."""

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIDNIGHT = time(0)
FULL_DAY: Window = (MIDNIGHT, MIDNIGHT)
SEARCH_LIMIT_DAYS = 2 * 366
"""Days without any working time after which an open-ended search gives up (holidays cover all)."""

_ONE_DAY = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    """When business clocks run: working windows per weekday, holidays, and a time zone.

    ``hours`` maps a weekday (0 = Monday ... 6 = Sunday) to its windows of local wall-clock time,
    e.g. ``{0: ((time(8), time(12)), (time(13), time(17)))}``; a missing weekday has none. A window
    ending at ``time(0)`` ends at 24:00, so ``(time(0), time(0))`` is the whole day. ``holidays``
    are local dates with no working time at all. The constructor refuses, with
    :class:`InvalidInput` naming the field, an unknown zone, a window that ends before it starts,
    overlapping windows, and a calendar without any working hours. It stores the windows sorted,
    as tuples, in a read-only mapping with all seven weekdays, so equal calendars compare and hash
    equal.
    """

    time_zone: str
    hours: Mapping[int, Sequence[Window]]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        _check_time_zone(self.time_zone)
        object.__setattr__(self, "hours", MappingProxyType(_checked_hours(self.hours)))
        object.__setattr__(self, "holidays", _checked_holidays(self.holidays))

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # Every cached day lookup hashes the calendar: compute it once.
        return hash((self.time_zone, tuple(self.hours.items()), self.holidays))

    @classmethod
    def always(cls, time_zone: str = "UTC") -> BusinessCalendar:
        """The 24x7 calendar: every instant is working time, whatever the zone says."""
        return cls(time_zone, dict.fromkeys(range(7), (FULL_DAY,)))

    @classmethod
    def weekdays(
        cls, start: time, end: time, time_zone: str, holidays: Iterable[date] = ()
    ) -> BusinessCalendar:
        """Monday to Friday, one window ``start``-``end`` a day, e.g. 09:00-17:00."""
        return cls(time_zone, dict.fromkeys(range(5), ((start, end),)), frozenset(holidays))

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the windows and holidays are read in."""
        return ZoneInfo(self.time_zone)

    @property
    def is_always(self) -> bool:
        """Whether every instant is working time (each day covered end to end, no holidays)."""
        return not self.holidays and all(_covers_day(self.hours[day]) for day in range(7))


@overload
def due(
    calendar: BusinessCalendar,
    start: datetime,
    duration: timedelta,
    pauses: Iterable[tuple[datetime, datetime]] = (),
) -> datetime: ...
@overload
def due(
    calendar: BusinessCalendar,
    start: datetime,
    duration: timedelta,
    pauses: Iterable[Pause],
) -> datetime | None: ...
def due(
    calendar: BusinessCalendar,
    start: datetime,
    duration: timedelta,
    pauses: Iterable[Pause] = (),
) -> datetime | None:
    """The first instant at which ``duration`` of business time has run since ``start`` (UTC).

    That is the least ``x >= start`` with ``elapsed(calendar, start, x, pauses) == duration``. So
    a zero duration gives ``start`` itself, even outside working time; a positive one ends inside
    working time or exactly at the end of a window (a 2-hour target set at 15:00 on a Friday of a
    09:00-17:00 calendar is due at 17:00 that Friday, not at 09:00 on Monday). A start outside
    working time or inside a pause counts from the next working, unpaused instant. ``None`` means
    there is no due instant yet: an open-ended pause stopped the clock before the duration ran
    out. Raises :class:`InvalidInput` when the holidays leave no working time for two years.
    """
    start = _utc(start, "start")
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    if not duration:
        return start
    remaining = duration
    for begin, end in _running_intervals(calendar, start, None, pauses):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    return None


def elapsed(
    calendar: BusinessCalendar,
    start: datetime,
    end: datetime,
    pauses: Iterable[Pause] = (),
) -> timedelta:
    """Business time in ``[start, end)``: working time of ``calendar`` outside every pause."""
    start, end = _utc(start, "start"), _utc(end, "end")
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    running = _running_intervals(calendar, start, end, pauses)
    return sum((stop - begin for begin, stop in running), timedelta(0))


def latest_start(calendar: BusinessCalendar, end: datetime, duration: timedelta) -> datetime:
    """The latest instant ``s <= end`` with ``elapsed(calendar, s, end) >= duration``: whatever
    started at or before it has run ``duration`` of business time by ``end``, whatever started
    after it has not (without pauses). So a search for episodes due by ``end`` can be bounded
    in SQL (``start <= latest_start(...)``) rather than by wall time, which counts nights too.

    Walks the working windows backwards from ``end``. Raises :class:`InvalidInput` on
    ``holidays`` after :data:`SEARCH_LIMIT_DAYS` days in a row without working time.
    """
    end = _utc(end, "end")
    if duration < timedelta(0):
        raise ValueError(f"duration must not be negative, got {duration}")
    if not duration:
        return end
    remaining = duration
    day = end.astimezone(calendar.zone).date()
    idle_days = 0
    while True:
        _, intervals = _day_intervals(calendar, day)
        for begin, stop in reversed(intervals):
            stop = min(stop, end)
            if begin >= stop:
                continue
            if stop - begin >= remaining:
                return stop - remaining
            remaining -= stop - begin
        idle_days = 0 if intervals else idle_days + 1
        if idle_days > SEARCH_LIMIT_DAYS:
            raise InvalidInput(
                "holidays",
                f"no working time in the {SEARCH_LIMIT_DAYS} days before {day.isoformat()}; "
                "the holidays cover every working day",
            )
        day -= _ONE_DAY


def iter_working_intervals(
    calendar: BusinessCalendar, start: datetime, end: datetime | None = None
) -> Iterator[Interval]:
    """Working time from ``start`` (to ``end`` if given) as ascending, disjoint UTC intervals.

    Intervals are clipped to the range and never empty; windows that touch come out as separate
    intervals. Pauses are not applied: this is the calendar alone, e.g. to show business-hour gaps
    on a timeline. Without ``end`` the iterator is endless, and raises :class:`InvalidInput` on
    ``holidays`` after :data:`SEARCH_LIMIT_DAYS` days in a row without working time.
    """
    start = _utc(start, "start")
    end = None if end is None else _utc(end, "end")
    # Windows of earlier local dates end by the first instant showing this date, so before start.
    day = start.astimezone(calendar.zone).date()
    idle_days = 0
    while True:
        midnight, intervals = _day_intervals(calendar, day)
        if end is not None and midnight >= end:
            return
        for begin, stop in intervals:
            begin, stop = max(begin, start), stop if end is None else min(stop, end)
            if begin < stop:
                yield begin, stop
        idle_days = 0 if intervals else idle_days + 1
        if end is None and idle_days > SEARCH_LIMIT_DAYS:
            raise InvalidInput(
                "holidays",
                f"no working time in the {SEARCH_LIMIT_DAYS} days up to {day.isoformat()}; "
                "the holidays cover every working day",
            )
        day += _ONE_DAY


def _running_intervals(
    calendar: BusinessCalendar, start: datetime, end: datetime | None, pauses: Iterable[Pause]
) -> Iterator[Interval]:
    """Working intervals from ``start`` with the pauses cut out; stops at an open-ended pause."""
    paused = _merged_pauses(pauses, start)
    first = 0
    for begin, stop in iter_working_intervals(calendar, start, end):
        while first < len(paused) and (finish := paused[first][1]) is not None and finish <= begin:
            first += 1
        cursor = begin
        for pause_start, pause_end in paused[first:]:
            if pause_start >= stop:
                break
            if pause_start > cursor:
                yield cursor, pause_start
            if pause_end is None:
                return
            cursor = max(cursor, pause_end)
        if cursor < stop:
            yield cursor, stop


def _merged_pauses(pauses: Iterable[Pause], since: datetime) -> list[Pause]:
    """Pauses in UTC, sorted, overlaps merged, those over before ``since`` dropped; an open-ended
    pause swallows every later one, so it is last."""
    relevant: list[Pause] = []
    for index, (begin, finish) in enumerate(pauses):
        begin = _utc(begin, f"pauses[{index}] start")
        finish = None if finish is None else _utc(finish, f"pauses[{index}] end")
        if finish is not None and finish < begin:
            raise ValueError(f"pauses[{index}] ends before it starts")
        if finish is None or finish > since:
            relevant.append((begin, finish))
    merged: list[Pause] = []
    for begin, finish in sorted(relevant, key=lambda pause: pause[0]):
        if merged and (last_end := merged[-1][1]) is not None and begin <= last_end:
            merged[-1] = (merged[-1][0], None if finish is None else max(last_end, finish))
        elif merged and merged[-1][1] is None:
            break
        else:
            merged.append((begin, finish))
    return merged


@lru_cache(maxsize=8192)
def _day_intervals(calendar: BusinessCalendar, day: date) -> tuple[datetime, tuple[Interval, ...]]:
    """The first instant of local ``day`` and its non-empty working intervals, in UTC."""
    zone = calendar.zone
    midnight = _first_instant_showing(zone, datetime.combine(day, MIDNIGHT))
    if day in calendar.holidays:
        return midnight, ()
    intervals = []
    for start, end in calendar.hours[day.weekday()]:
        begin = _first_instant_showing(zone, datetime.combine(day, start))
        stop_wall = datetime.combine(day + _ONE_DAY if end == MIDNIGHT else day, end)
        stop = _first_instant_showing(zone, stop_wall)
        if begin < stop:
            intervals.append((begin, stop))
    return midnight, tuple(intervals)


def _first_instant_showing(zone: ZoneInfo, wall: datetime) -> datetime:
    """The first instant (UTC) at which the clock of ``zone`` shows naive ``wall`` or later."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)  # the earlier of a repeated time
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # ``wall`` lies in a gap. Read with the offsets before and after the jump it lands on either
    # side of it; the jump is the answer. Transitions fall on whole seconds: bisect seconds.
    other = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low = (min(first, other) - _EPOCH) // timedelta(seconds=1)
    high = -(-(max(first, other) - _EPOCH) // timedelta(seconds=1))
    while high - low > 1:
        middle = (low + high) // 2
        instant = _EPOCH + timedelta(seconds=middle)
        if instant.astimezone(zone).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return _EPOCH + timedelta(seconds=high)


def _utc(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value.isoformat()}")
    return value.astimezone(UTC)


def _check_time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        if not available_timezones():
            message = "this computer has no time zone database; install the tzdata package"
        else:
            message = f"{name!r} is not an IANA time zone name such as 'Europe/Berlin'"
        raise InvalidInput("time_zone", message) from error


def _checked_hours(hours: Mapping[int, Sequence[Window]]) -> dict[int, tuple[Window, ...]]:
    unknown = [day for day in hours if not (isinstance(day, int) and 0 <= day <= 6)]
    if unknown:
        raise InvalidInput("hours", f"weekdays are 0 (Monday) to 6 (Sunday), not {unknown[0]!r}")
    result: dict[int, tuple[Window, ...]] = {}
    for day, name in enumerate(WEEKDAY_NAMES):
        where = f"hours.{name}"
        given = (_checked_window(window, where) for window in hours.get(day, ()))
        windows = sorted(given, key=lambda window: window[0])
        for before, after in pairwise(windows):
            if _end_offset(before[1]) > _offset(after[0]):
                raise InvalidInput(where, f"{_show(before)} and {_show(after)} overlap")
        result[day] = tuple(windows)
    if not any(result.values()):
        raise InvalidInput("hours", "a calendar needs working hours on at least one weekday")
    return result


def _checked_window(window: Sequence[time], field: str) -> Window:
    if len(window) != 2 or not all(isinstance(t, time) and t.tzinfo is None for t in window):
        raise InvalidInput(field, f"a window is two wall-clock times (start, end), not {window!r}")
    start, end = window
    if _end_offset(end) <= _offset(start):
        raise InvalidInput(field, f"{_show((start, end))} ends before it starts")
    return start, end


def _checked_holidays(holidays: Iterable[date]) -> frozenset[date]:
    result = frozenset(holidays)
    for day in result:
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidInput("holidays", f"a holiday is a date, not {day!r}")
    return result


def _covers_day(windows: Sequence[Window]) -> bool:
    reached = timedelta(0)
    for start, end in windows:
        if _offset(start) > reached:
            return False
        reached = max(reached, _end_offset(end))
    return reached == _ONE_DAY


def _offset(moment: time) -> timedelta:
    return timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )


def _end_offset(moment: time) -> timedelta:
    return _ONE_DAY if moment == MIDNIGHT else _offset(moment)


def _show(window: Window) -> str:
    start, end = window
    shown_end = "24:00" if end == MIDNIGHT else end.isoformat("minutes")
    return f"{start.isoformat('minutes')}-{shown_end}"
