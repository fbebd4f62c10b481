"""Business-time arithmetic against hand-worked cases: weekends, holidays, lunch breaks, both
daylight-saving changes in Europe/Berlin and (2018, when Brazil still had them) America/Sao_Paulo,
pauses, and the calendar's own validation. Expected instants are worked out by hand in UTC; the
comment beside each gives the local reading."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.services.business_time import (
    BusinessCalendar,
    due,
    elapsed,
    iter_working_intervals,
    latest_start,
)
from app.services.errors import InvalidInput

H = timedelta(hours=1)
BERLIN = "Europe/Berlin"
SAO_PAULO = "America/Sao_Paulo"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def local(zone: str, *args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


def every_day(*windows: tuple[time, time], zone: str = BERLIN) -> BusinessCalendar:
    return BusinessCalendar(zone, dict.fromkeys(range(7), windows))


OFFICE = BusinessCalendar.weekdays(time(9), time(17), BERLIN)
LUNCH_BREAK = BusinessCalendar(
    BERLIN, dict.fromkeys(range(5), ((time(8), time(12)), (time(13), time(17))))
)
CHRISTMAS = BusinessCalendar.weekdays(
    time(9), time(17), BERLIN, holidays={date(2026, 12, 25), date(2026, 12, 26)}
)
NIGHTS = every_day((time(0), time(6)))  # 00:00-06:00 straddles both Berlin changes


@pytest.mark.parametrize(
    ("calendar", "start", "duration", "expected"),
    [
        # Friday 15:00 CET + 4 h: 2 h on Friday, 2 h from 09:00 on Monday -> Monday 11:00 CET.
        (OFFICE, local(BERLIN, 2026, 3, 6, 15), 4 * H, utc(2026, 3, 9, 10)),
        # Exactly the rest of Friday: due at 17:00 Friday, not at 09:00 Monday.
        (OFFICE, local(BERLIN, 2026, 3, 6, 15), 2 * H, utc(2026, 3, 6, 16)),
        # Saturday start counts from Monday 09:00 CET.
        (OFFICE, local(BERLIN, 2026, 3, 7, 10), H, utc(2026, 3, 9, 9)),
        # Lunch is not working time: 11:00 + 2 h -> 12:00, then 13:00-14:00 CET.
        (LUNCH_BREAK, local(BERLIN, 2026, 3, 2, 11), 2 * H, utc(2026, 3, 2, 13)),
        # Thursday 24 December 16:00 + 3 h: 1 h on Thursday, Friday 25 holiday, Saturday 26
        # holiday and weekend, 2 h on Monday 28 -> 11:00 CET.
        (CHRISTMAS, local(BERLIN, 2026, 12, 24, 16), 3 * H, utc(2026, 12, 28, 10)),
        (OFFICE, local(BERLIN, 2026, 12, 24, 16), 3 * H, utc(2026, 12, 25, 10)),
        # 30 business days of 8 h from Monday 2 March 09:00 CET, across the spring-forward
        # Sunday: six weeks of five days -> Friday 10 April 17:00 CEST.
        (OFFICE, local(BERLIN, 2026, 3, 2, 9), 240 * H, utc(2026, 4, 10, 15)),
        # 24x7 across spring-forward: Saturday 12:00 CET + 24 h of real time -> Sunday 13:00 CEST.
        (
            BusinessCalendar.always(BERLIN),
            local(BERLIN, 2026, 3, 28, 12),
            24 * H,
            utc(2026, 3, 29, 11),
        ),
        # 00:00-06:00 on 29 March: 00:00 CET + 3 h -> 04:00 CEST (02:00-03:00 never happened).
        (NIGHTS, local(BERLIN, 2026, 3, 29, 0), 3 * H, utc(2026, 3, 29, 2)),
        # 00:00-06:00 on 25 October: 00:00 CEST + 6 h -> 05:00 CET (02:00-03:00 happened twice).
        (NIGHTS, local(BERLIN, 2026, 10, 25, 0), 6 * H, utc(2026, 10, 25, 4)),
        # 02:00-03:00 daily: Saturday's window ends 03:00 CET, Sunday 29 March has none at all,
        # Monday's starts at 02:00 CEST -> due 03:00 CEST Monday.
        (every_day((time(2), time(3))), utc(2026, 3, 28, 2), H, utc(2026, 3, 30, 1)),
        # Sao Paulo 00:00-06:00 daily, 2018: Saturday 3 November 05:00 -03 has 1 h left; Sunday's
        # 00:00 never happened (clocks went 23:59:59 -> 01:00 -02), its window starts at
        # 01:00 -02 -> due 02:00 -02.
        (
            every_day((time(0), time(6)), zone=SAO_PAULO),
            local(SAO_PAULO, 2018, 11, 3, 5),
            2 * H,
            utc(2018, 11, 4, 4),
        ),
        # Sao Paulo, Sundays 00:00-01:00 only: on 4 November 2018 that window lies wholly in the
        # gap, so 30 min from Saturday land on the next Sunday, 11 November 00:30 -02.
        (
            BusinessCalendar(SAO_PAULO, {6: ((time(0), time(1)),)}),
            utc(2018, 11, 3, 12),
            timedelta(minutes=30),
            utc(2018, 11, 11, 2, 30),
        ),
        # Samoa skipped Friday 30 December 2011. A Friday-only calendar: from Monday 26 December
        # the first Friday that exists is 6 January 2012 -> 10:00 +14.
        (
            BusinessCalendar("Pacific/Apia", {4: ((time(9), time(17)),)}),
            local("Pacific/Apia", 2011, 12, 26),
            H,
            utc(2012, 1, 5, 20),
        ),
    ],
)
def test_due_and_its_inverse(calendar, start, duration, expected):
    result = due(calendar, start, duration)
    assert result == expected
    assert result.utcoffset() == timedelta(0)
    assert elapsed(calendar, start, result) == duration


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        (OFFICE, local(BERLIN, 2026, 3, 6, 16), local(BERLIN, 2026, 3, 9, 10), 2 * H),
        (CHRISTMAS, local(BERLIN, 2026, 12, 21), local(BERLIN, 2026, 12, 28), 32 * H),
        # Local days on the change dates, 24x7: 23 h in spring, 25 h in autumn.
        (BusinessCalendar.always(BERLIN), utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), 23 * H),
        (BusinessCalendar.always(BERLIN), utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), 25 * H),
        # 00:00-06:00 on those days: 5 h and 7 h.
        (NIGHTS, local(BERLIN, 2026, 3, 29), local(BERLIN, 2026, 3, 30), 5 * H),
        (NIGHTS, local(BERLIN, 2026, 10, 25), local(BERLIN, 2026, 10, 26), 7 * H),
        # Fall-back: 02:00-03:00 lasts 2 h; 00:00-02:30 lasts 2.5 h (02:00-02:30 counted once).
        (every_day((time(2), time(3))), utc(2026, 10, 24, 12), utc(2026, 10, 25, 12), 2 * H),
        (
            every_day((time(0), time(2, 30))),
            utc(2026, 10, 24, 12),
            utc(2026, 10, 25, 12),
            2.5 * H,
        ),
        # Spring-forward: 01:00-02:30 shrinks to 01:00-02:00 CET, 03:00-04:00 CEST is intact:
        # 2 h. (fold=0 would stretch the first to 03:30 CEST, overlapping the second: 2.5 h.)
        (
            every_day((time(1), time(2, 30)), (time(3), time(4))),
            local(BERLIN, 2026, 3, 29),
            local(BERLIN, 2026, 3, 30),
            2 * H,
        ),
        # Sao Paulo 2018 local days, 24x7: Saturday 17 February 25 h (23:00-24:00 twice),
        # Sunday 4 November 23 h (00:00-01:00 skipped).
        (BusinessCalendar.always(SAO_PAULO), utc(2018, 2, 17, 2), utc(2018, 2, 18, 3), 25 * H),
        (BusinessCalendar.always(SAO_PAULO), utc(2018, 11, 4, 3), utc(2018, 11, 5, 2), 23 * H),
        # Saturday 17 February 2018: 22:00-24:00 holds the repeated hour (3 h); 23:00-23:30 is
        # the first 23:00-23:30 only (30 min).
        (
            BusinessCalendar(SAO_PAULO, {5: ((time(22), time(0)),)}),
            utc(2018, 2, 17),
            utc(2018, 2, 19),
            3 * H,
        ),
        (
            BusinessCalendar(SAO_PAULO, {5: ((time(23), time(23, 30)),)}),
            utc(2018, 2, 17),
            utc(2018, 2, 19),
            timedelta(minutes=30),
        ),
        # 00:00-06:00 on Sunday 4 November 2018 starts at 01:00 -02: 5 h.
        (
            every_day((time(0), time(6)), zone=SAO_PAULO),
            utc(2018, 11, 4, 3),
            utc(2018, 11, 5, 2),
            5 * H,
        ),
        # Lord Howe moves by 30 minutes: 24.5 h on 5 April 2026, 23.5 h on 4 October 2026.
        (
            BusinessCalendar.always("Australia/Lord_Howe"),
            local("Australia/Lord_Howe", 2026, 4, 5),
            local("Australia/Lord_Howe", 2026, 4, 6),
            24.5 * H,
        ),
        (
            BusinessCalendar.always("Australia/Lord_Howe"),
            local("Australia/Lord_Howe", 2026, 10, 4),
            local("Australia/Lord_Howe", 2026, 10, 5),
            23.5 * H,
        ),
        # The week Samoa skipped its Friday has no working time on a Friday-only calendar.
        (
            BusinessCalendar("Pacific/Apia", {4: ((time(9), time(17)),)}),
            local("Pacific/Apia", 2011, 12, 26),
            local("Pacific/Apia", 2012, 1, 2),
            timedelta(0),
        ),
        (OFFICE, utc(2026, 3, 2, 12), utc(2026, 3, 2, 12), timedelta(0)),
    ],
)
def test_elapsed(calendar, start, end, expected):
    assert elapsed(calendar, start, end) == expected


def test_working_intervals_are_clipped_utc_pieces_of_each_window():
    intervals = list(
        iter_working_intervals(
            LUNCH_BREAK, local(BERLIN, 2026, 3, 2, 10), local(BERLIN, 2026, 3, 3, 9)
        )
    )
    assert intervals == [
        (utc(2026, 3, 2, 9), utc(2026, 3, 2, 11)),
        (utc(2026, 3, 2, 12), utc(2026, 3, 2, 16)),
        (utc(2026, 3, 3, 7), utc(2026, 3, 3, 8)),
    ]


def test_spring_forward_windows_never_overlap():
    calendar = every_day((time(1), time(2, 30)), (time(3), time(4)))
    day = list(iter_working_intervals(calendar, utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)))
    assert day == [
        (utc(2026, 3, 29, 0), utc(2026, 3, 29, 1)),
        (utc(2026, 3, 29, 1), utc(2026, 3, 29, 2)),
    ]


# Pauses, on Monday 2 March 2026 (CET, UTC+1) of the 09:00-17:00 office calendar.
MONDAY_9 = local(BERLIN, 2026, 3, 2, 9)


def at(hour: int, minute: int = 0, day: int = 2) -> datetime:
    return local(BERLIN, 2026, 3, day, hour, minute)


def test_overlapping_pauses_count_once():
    pauses = [(at(10), at(11)), (at(10, 30), at(12))]
    # 09-10 runs (1 h), 10-12 paused, 12-15 runs (3 h).
    assert due(OFFICE, MONDAY_9, 4 * H, pauses) == utc(2026, 3, 2, 14)
    assert elapsed(OFFICE, MONDAY_9, at(17), pauses) == 6 * H


def test_open_ended_pause_stops_the_clock():
    pauses = [(at(11), None)]
    assert due(OFFICE, MONDAY_9, 4 * H, pauses) is None
    assert due(OFFICE, MONDAY_9, 2 * H, pauses) == utc(2026, 3, 2, 10)
    assert elapsed(OFFICE, MONDAY_9, at(17, day=6), pauses) == 2 * H


def test_open_ended_pause_swallows_later_pauses():
    pauses = [(at(12), at(13)), (at(10), None), (at(14), at(15))]
    assert elapsed(OFFICE, MONDAY_9, at(17), pauses) == H
    assert due(OFFICE, MONDAY_9, 2 * H, pauses) is None


def test_a_start_inside_a_pause_counts_from_its_end():
    assert due(OFFICE, at(10), H, [(at(9, 30), at(11))]) == utc(2026, 3, 2, 11)


def test_a_pause_outside_working_hours_changes_nothing():
    pauses = [(at(18), at(8, day=3)), (at(8, day=1), at(9))]
    assert elapsed(OFFICE, MONDAY_9, at(17, day=3), pauses) == 16 * H


def test_a_pause_across_the_weekend_cuts_both_ends():
    pauses = [(at(16, day=6), at(10, day=9))]
    assert elapsed(OFFICE, at(9, day=6), at(17, day=9), pauses) == 14 * H


def test_pauses_may_be_given_in_any_zone():
    tokyo = ZoneInfo("Asia/Tokyo")
    pauses = [(datetime(2026, 3, 2, 18, tzinfo=tokyo), datetime(2026, 3, 2, 19, tzinfo=tokyo))]
    # 18:00-19:00 in Tokyo is 10:00-11:00 in Berlin.
    assert elapsed(OFFICE, MONDAY_9, at(17), pauses) == 7 * H


def test_zero_duration_is_due_at_the_start_itself():
    saturday = local(BERLIN, 2026, 3, 7, 10)
    assert due(OFFICE, saturday, timedelta(0)) == utc(2026, 3, 7, 9)


@pytest.mark.parametrize(
    ("end", "duration", "expected"),
    [
        # Monday 10:00 less 2 h of office time: Friday 16:00, across the weekend.
        (local(BERLIN, 2026, 3, 9, 10), 2 * H, local(BERLIN, 2026, 3, 6, 16)),
        # Saturday noon counts back from Friday's close.
        (local(BERLIN, 2026, 3, 7, 12), 3 * H, local(BERLIN, 2026, 3, 6, 14)),
        # Exactly a window's length back lands on its opening, not the night before.
        (local(BERLIN, 2026, 3, 6, 17), 8 * H, local(BERLIN, 2026, 3, 6, 9)),
        (local(BERLIN, 2026, 3, 6, 11), timedelta(0), local(BERLIN, 2026, 3, 6, 11)),
    ],
)
def test_latest_start_counts_business_time_back_from_the_end(end, duration, expected):
    assert latest_start(OFFICE, end, duration) == expected


def test_latest_start_skips_a_holiday():
    """From Monday 2026-12-28 10:00, 9 h back: 1 h that Monday, none on the weekend nor on
    Friday the 25th (a holiday), 8 h on Thursday the 24th."""
    end = local(BERLIN, 2026, 12, 28, 10)
    assert latest_start(CHRISTMAS, end, 9 * H) == local(BERLIN, 2026, 12, 24, 9)
    assert latest_start(OFFICE, end, 9 * H) == local(BERLIN, 2026, 12, 25, 9)


def test_holidays_covering_every_working_day_are_refused_when_searching():
    mondays = {date(2026, 1, 5) + timedelta(weeks=week) for week in range(52 * 4)}
    calendar = BusinessCalendar("UTC", {0: ((time(9), time(17)),)}, frozenset(mondays))
    with pytest.raises(InvalidInput) as error:
        due(calendar, utc(2026, 1, 1), H)
    assert error.value.field == "holidays"
    # A bounded question has an answer: none of that time is working time.
    assert elapsed(calendar, utc(2026, 1, 1), utc(2029, 1, 1)) == timedelta(0)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (("Mars/Olympus_Mons", {0: ((time(9), time(17)),)}), "time_zone"),
        (("", {0: ((time(9), time(17)),)}), "time_zone"),
        (("../etc/passwd", {0: ((time(9), time(17)),)}), "time_zone"),
        ((BERLIN, {0: ((time(17), time(9)),)}), "hours.monday"),
        ((BERLIN, {6: ((time(9), time(9)),)}), "hours.sunday"),
        ((BERLIN, {1: ((time(8), time(12)), (time(11), time(13)))}), "hours.tuesday"),
        ((BERLIN, {2: ((time(20), time(0)), (time(8), time(21)))}), "hours.wednesday"),
        ((BERLIN, {3: ((time(9, tzinfo=UTC), time(17)),)}), "hours.thursday"),
        ((BERLIN, {4: ((time(9),),)}), "hours.friday"),
        ((BERLIN, {7: ((time(9), time(17)),)}), "hours"),
        ((BERLIN, {}), "hours"),
        ((BERLIN, {0: (), 5: ()}), "hours"),
        ((BERLIN, {0: ((time(9), time(17)),)}, frozenset({datetime(2026, 1, 1)})), "holidays"),
    ],
)
def test_calendar_refuses_what_is_invalid(arguments, field):
    with pytest.raises(InvalidInput) as error:
        BusinessCalendar(*arguments)
    assert error.value.field == field


def test_calendar_normalises_its_hours():
    given = BusinessCalendar(BERLIN, {0: [(time(13), time(17)), (time(8), time(12))]})
    same = BusinessCalendar(BERLIN, {0: ((time(8), time(12)), (time(13), time(17))), 3: ()})
    assert given == same
    assert hash(given) == hash(same)
    assert given.hours[0] == ((time(8), time(12)), (time(13), time(17)))
    assert given.hours[6] == ()
    with pytest.raises(TypeError):
        given.hours[1] = ((time(9), time(10)),)  # type: ignore[index]


def test_touching_windows_are_allowed():
    calendar = BusinessCalendar(BERLIN, {0: ((time(8), time(12)), (time(12), time(13)))})
    assert elapsed(calendar, at(0), at(0, day=3)) == 5 * H


@pytest.mark.parametrize(
    ("calendar", "expected"),
    [
        (BusinessCalendar.always(), True),
        (every_day((time(0), time(12)), (time(12), time(0))), True),
        (every_day((time(0), time(12)), (time(12, 1), time(0))), False),
        (BusinessCalendar("UTC", {day: ((time(0), time(0)),) for day in range(6)}), False),
        (
            BusinessCalendar(
                "UTC", dict.fromkeys(range(7), ((time(0), time(0)),)), {date(2026, 1, 1)}
            ),
            False,
        ),
        (OFFICE, False),
    ],
)
def test_is_always(calendar, expected):
    assert calendar.is_always is expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: due(OFFICE, datetime(2026, 3, 2, 9), H),
        lambda: due(OFFICE, MONDAY_9, -H),
        lambda: elapsed(OFFICE, at(12), at(11)),
        lambda: elapsed(OFFICE, MONDAY_9, datetime(2026, 3, 2, 9)),
        lambda: elapsed(OFFICE, MONDAY_9, at(17), [(at(12), at(11))]),
        lambda: elapsed(OFFICE, MONDAY_9, at(17), [(datetime(2026, 3, 2, 9), None)]),
    ],
)
def test_programming_errors_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
