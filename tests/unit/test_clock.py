"""The fixed clock tests and what-ifs use instead of the database server's clock."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.services.clock import FixedClock


def test_fixed_clock_shows_its_instant_in_utc():
    tokyo = timezone(timedelta(hours=9))
    clock = FixedClock(datetime(2026, 3, 2, 18, 0, tzinfo=tokyo))
    assert clock.now(session=None) == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert clock.now(session=None).utcoffset() == timedelta(0)


def test_fixed_clock_moves_only_when_advanced():
    clock = FixedClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    clock.advance(timedelta(minutes=90))
    assert clock.now(session=None) == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    assert clock.now(session=None) == datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


def test_fixed_clock_refuses_a_naive_instant():
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2026, 3, 2, 9, 0))
