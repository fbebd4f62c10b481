"""Properties of business-time arithmetic over random calendars, instants, durations and pauses,
concentrated around daylight-saving changes (Berlin, Sao Paulo in 2018, Lord Howe's half-hour
shift, Samoa's skipped day) and checked against an independent minute-by-minute clock."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.services.business_time import (
    BusinessCalendar,
    Pause,
    Window,
    due,
    elapsed,
    iter_working_intervals,
    latest_start,
)

PROPERTY = settings(max_examples=200, deadline=None)
MICROSECOND = timedelta(microseconds=1)
MINUTE = timedelta(minutes=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Instants worth testing around, per zone: its daylight-saving changes (UTC) and an ordinary day.
ANCHORS = {
    "Europe/Berlin": [utc(2026, 3, 29, 1), utc(2026, 10, 25, 1)],
    "America/Sao_Paulo": [utc(2018, 2, 18, 2), utc(2018, 11, 4, 3)],
    "Australia/Lord_Howe": [utc(2026, 4, 4, 15), utc(2026, 10, 3, 15, 30)],
    "Pacific/Apia": [utc(2011, 12, 30, 10)],  # 2011-12-30 never happened there
    "Asia/Kolkata": [],
    "UTC": [],
}
ORDINARY_DAY = utc(2026, 6, 15, 12)
PLACES = [
    (zone, anchor) for zone, anchors in ANCHORS.items() for anchor in [*anchors, ORDINARY_DAY]
]


def quarter(index: int) -> time:
    """Quarter-hour ``index`` of a day as a wall time; 96 (24:00) is written time(0)."""
    return time(0) if index == 96 else time(index // 4, index % 4 * 15)


def paired(ends: list[int]) -> tuple[tuple[time, time], ...]:
    """Sorted quarter-hour indices, taken two by two as windows (an odd last one is dropped)."""
    return tuple((quarter(ends[i]), quarter(ends[i + 1])) for i in range(0, len(ends) - 1, 2))


@cache  # the same strategy object each time: hypothesis validates it once
def weeks(zone: str, anchor: datetime) -> st.SearchStrategy[tuple[tuple[Window, ...], ...]]:
    """Windows for seven weekdays on a quarter-hour grid; half of the window edges fall within an
    hour of the wall-clock readings just before and at ``anchor`` (in a gap, a repeated hour)."""
    readings = [(anchor - delta).astimezone(ZoneInfo(zone)) for delta in (MINUTE, timedelta(0))]
    hot = sorted(
        {
            min(max(r.hour * 4 + r.minute // 15 + step, 0), 96)
            for r in readings
            for step in range(-4, 5)
        }
    )
    edges = st.one_of(st.integers(0, 96), st.sampled_from(hot))
    day = st.lists(edges, unique=True, max_size=6).map(sorted).map(paired)
    return st.tuples(*[day] * 7).filter(any)


HOLIDAY_OFFSETS = st.frozensets(st.integers(-2, 3), max_size=3)


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime]:
    """A calendar (one in six is 24x7) and an anchor instant near which to test it; holidays
    fall within a few days of the anchor."""
    zone, anchor = draw(st.sampled_from(PLACES))
    if draw(st.integers(0, 5)) == 0:
        return BusinessCalendar.always(zone), anchor
    hours = dict(enumerate(draw(weeks(zone, anchor))))
    holidays = {anchor.date() + timedelta(days=days) for days in draw(HOLIDAY_OFFSETS)}
    return BusinessCalendar(zone, hours, frozenset(holidays)), anchor


@cache
def near(anchor: datetime, step: timedelta = MICROSECOND) -> st.SearchStrategy[datetime]:
    """Instants from 30 hours before to 6 hours after ``anchor``, on a grid of ``step``."""
    return st.builds(
        lambda minutes, steps: anchor + minutes * MINUTE + steps * step,
        st.integers(-30 * 60, 6 * 60),
        st.integers(0, MINUTE // step - 1),
    )


@cache
def closed_pauses(
    anchor: datetime, step: timedelta = MICROSECOND
) -> st.SearchStrategy[list[Pause]]:
    lengths = st.integers(0, 2 * 1440).map(lambda minutes: minutes * MINUTE)
    return st.lists(
        st.tuples(near(anchor, step), lengths).map(lambda p: (p[0], p[0] + p[1])), max_size=3
    )


durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2))


@PROPERTY
@given(st.data(), scenarios(), durations)
def test_elapsed_inverts_due_exactly(data, scenario, duration):
    calendar, anchor = scenario
    start = data.draw(near(anchor))
    pauses = data.draw(closed_pauses(anchor))
    deadline = due(calendar, start, duration, pauses)
    assert deadline >= start
    assert elapsed(calendar, start, deadline, pauses) == duration


@PROPERTY
@given(st.data(), scenarios(), durations)
def test_latest_start_is_the_last_instant_that_has_run_the_duration_by_the_end(
    data, scenario, duration
):
    calendar, anchor = scenario
    assume(any(calendar.hours[day] for day in range(7)))
    end = data.draw(near(anchor))
    start = latest_start(calendar, end, duration)
    assert start <= end
    assert elapsed(calendar, start, end) == duration
    if start < end:
        assert elapsed(calendar, start + MICROSECOND, end) < duration


@PROPERTY
@given(st.data(), scenarios(), durations, durations)
def test_adding_durations_is_associative(data, scenario, first, second):
    calendar, anchor = scenario
    start = data.draw(near(anchor))
    pauses = data.draw(closed_pauses(anchor))
    step_by_step = due(calendar, due(calendar, start, first, pauses), second, pauses)
    assert step_by_step == due(calendar, start, first + second, pauses)


@PROPERTY
@given(st.data(), scenarios(), durations.filter(bool))
def test_a_due_instant_ends_working_unpaused_time(data, scenario, duration):
    """The microsecond before a due instant was business time: a deadline never lands in a
    night, a weekend, a holiday, a skipped hour or a pause (for 24x7 this holds trivially)."""
    calendar, anchor = scenario
    start = data.draw(near(anchor))
    pauses = data.draw(closed_pauses(anchor))
    deadline = due(calendar, start, duration, pauses)
    assert elapsed(calendar, deadline - MICROSECOND, deadline, pauses) == MICROSECOND
    assert any(iter_working_intervals(calendar, deadline - MICROSECOND, deadline))


@PROPERTY
@given(st.data(), scenarios())
def test_elapsed_is_additive(data, scenario):
    calendar, anchor = scenario
    start, middle, end = sorted(data.draw(st.lists(near(anchor), min_size=3, max_size=3)))
    pauses = data.draw(closed_pauses(anchor))
    whole = elapsed(calendar, start, end, pauses)
    assert whole == elapsed(calendar, start, middle, pauses) + elapsed(
        calendar, middle, end, pauses
    )
    assert timedelta(0) <= whole <= end - start


@PROPERTY
@given(st.data(), st.sampled_from(sorted(ANCHORS)), durations)
def test_a_24x7_clock_runs_in_absolute_time_through_dst(data, zone, duration):
    anchor = data.draw(st.sampled_from([*ANCHORS[zone], ORDINARY_DAY]))
    calendar = BusinessCalendar.always(zone)
    start, end = sorted(data.draw(st.lists(near(anchor), min_size=2, max_size=2)))
    assert due(calendar, start, duration) == start + duration
    assert elapsed(calendar, start, end) == end - start


@PROPERTY
@given(st.data(), scenarios(), durations, st.integers(0, 3 * 1440))
def test_an_open_ended_pause_stops_the_clock_where_it_starts(data, scenario, duration, minutes):
    calendar, anchor = scenario
    start = data.draw(near(anchor))
    pauses = data.draw(closed_pauses(anchor))
    stopped = start + minutes * MINUTE
    deadline = due(calendar, start, duration, [*pauses, (stopped, None)])
    if elapsed(calendar, start, stopped, pauses) < duration:
        assert deadline is None
    else:
        assert deadline == due(calendar, start, duration, pauses)


@PROPERTY
@given(st.data(), scenarios(), durations, st.integers(-1, 3))
def test_a_holiday_removes_exactly_its_own_working_time(data, scenario, duration, day_offset):
    calendar, anchor = scenario
    start, end = sorted(data.draw(st.lists(near(anchor), min_size=2, max_size=2)))
    zone = calendar.zone
    holiday = start.astimezone(zone).date() + timedelta(days=day_offset)
    with_holiday = replace(calendar, holidays=calendar.holidays | {holiday})

    def on_holiday(intervals):
        return sum(
            (b - a for a, b in intervals if a.astimezone(zone).date() == holiday), timedelta(0)
        )

    lost = on_holiday(iter_working_intervals(calendar, start, end))
    assert elapsed(with_holiday, start, end) == elapsed(calendar, start, end) - lost
    assert on_holiday(iter_working_intervals(with_holiday, start, end)) == timedelta(0)
    if not with_holiday.is_always:  # a holiday in a 24x7 calendar is still a calendar
        assert due(with_holiday, start, duration) >= due(calendar, start, duration)


# An independent clock: step a minute at a time through real time, read the wall clock, and
# count the minute as working when the latest reading shown so far lies in a window of a
# non-holiday local date. Window edges, pauses and every DST change here fall on whole minutes.
LOOKBACK = timedelta(hours=2)  # longer than any fall-back here, so the latest reading is known


def minute_by_minute(calendar: BusinessCalendar, start, end, pauses: list[Pause]) -> timedelta:
    zone, latest, working = calendar.zone, None, 0
    moment = start - LOOKBACK
    while moment < end:
        reading = moment.astimezone(zone).replace(tzinfo=None)
        latest = reading if latest is None or reading > latest else latest
        paused = any(a <= moment and (b is None or moment < b) for a, b in pauses)
        if moment >= start and not paused and in_window(calendar, latest):
            working += 1
        moment += MINUTE
    return working * MINUTE


def in_window(calendar: BusinessCalendar, reading: datetime) -> bool:
    if reading.date() in calendar.holidays:
        return False
    since_midnight = reading - datetime.combine(reading.date(), time(0))
    return any(
        wall(start) <= since_midnight < (wall(end) or timedelta(days=1))
        for start, end in calendar.hours[reading.weekday()]
    )


def wall(moment: time) -> timedelta:
    return timedelta(hours=moment.hour, minutes=moment.minute)


@settings(max_examples=100, deadline=None)
@given(st.data(), scenarios(), st.integers(-30 * 60, 2 * 60), st.integers(-2 * 60, 30 * 60))
def test_elapsed_agrees_with_a_minute_by_minute_clock(data, scenario, since, until):
    """Over a span that mostly straddles a DST change (a day before to a day after)."""
    calendar, anchor = scenario
    start, end = sorted((anchor + since * MINUTE, anchor + until * MINUTE))
    pauses: list[Pause] = data.draw(closed_pauses(anchor, MINUTE))
    if data.draw(st.booleans()):
        pauses.append((data.draw(near(anchor, MINUTE)), None))
    assert elapsed(calendar, start, end, pauses) == minute_by_minute(calendar, start, end, pauses)


def test_the_anchors_are_real_changes():
    """Guards the strategies above: each anchor is a moment the zone's offset changes."""
    for zone, anchors in ANCHORS.items():
        calendar = BusinessCalendar.always(zone)
        for anchor in anchors:
            before = (anchor - MINUTE).astimezone(calendar.zone).utcoffset()
            assert before != anchor.astimezone(calendar.zone).utcoffset(), (zone, anchor)
    assert date(2011, 12, 30) not in {
        (utc(2011, 12, 29) + hours * timedelta(hours=1))
        .astimezone(BusinessCalendar.always("Pacific/Apia").zone)
        .date()
        for hours in range(72)
    }
