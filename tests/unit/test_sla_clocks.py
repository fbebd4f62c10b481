"""The clock keeper's remembered calendar sums give exactly what ``business_time`` computes,
whatever the calendar, the zone's daylight-saving changes and the instants (the escalation pass
relies on them to bank the time a stopped clock ran)."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.services.business_time import BusinessCalendar, elapsed
from app.services.sla_clocks import _elapsed, _shared_calendar

CALENDARS = [
    BusinessCalendar.weekdays(time(8), time(18), "Europe/Berlin", [date(2026, 3, 27)]),
    BusinessCalendar.weekdays(time(9, 30), time(17, 15), "Asia/Kolkata"),
    BusinessCalendar(
        "America/Sao_Paulo",
        {0: ((time(0), time(2)), (time(3), time(23, 30))), 5: ((time(1), time(0)),)},
    ),
    BusinessCalendar.always("UTC"),
]
#: Around Berlin's spring-forward night (2026-03-29) and Sao Paulo's of 2018-11-04.
STARTS = [datetime(2026, 3, 25, tzinfo=UTC), datetime(2018, 11, 1, tzinfo=UTC)]


@settings(max_examples=300, deadline=None)
@given(
    calendar=st.sampled_from(CALENDARS),
    origin=st.sampled_from(STARTS),
    offset=st.integers(0, 7 * 86_400_000_000),
    length=st.integers(0, 10 * 86_400_000_000),
)
def test_remembered_elapsed_time_equals_business_time(
    calendar: BusinessCalendar, origin: datetime, offset: int, length: int
) -> None:
    start = origin + timedelta(microseconds=offset)
    end = start + timedelta(microseconds=length)
    assert _elapsed(calendar, start, end) == elapsed(calendar, start, end)


def test_equal_calendars_are_shared_as_one_object() -> None:
    first = BusinessCalendar.weekdays(time(8), time(18), "Europe/Berlin")
    copy = BusinessCalendar.weekdays(time(8), time(18), "Europe/Berlin")
    other = BusinessCalendar.weekdays(time(9), time(17), "Europe/Berlin")
    assert _shared_calendar(copy) is _shared_calendar(first)
    assert _shared_calendar(other) is not _shared_calendar(first)
