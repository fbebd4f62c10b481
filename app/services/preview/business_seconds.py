"""Working seconds of a business calendar up to any instant, remembered per local day, so that
the business time between two instants is one subtraction. ``business_time.elapsed`` walks the
days between them on every call; a replay asks tens of thousands of times over the same days.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from app.services.business_time import BusinessCalendar, iter_working_intervals

_DAY = timedelta(days=1)
#: Instants remembered by ``until`` (a clock's stop is often the next one's start); cleared
#: when full, so memory stays bounded however long the replay.
REMEMBERED_INSTANTS = 100_000


class BusinessSeconds:
    """``between(start, end)`` equals ``elapsed(calendar, start, end)`` in whole seconds."""

    def __init__(self, calendar: BusinessCalendar) -> None:
        self.calendar = calendar
        self.zone = calendar.zone
        self._intervals: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        self._before: dict[date, float] = {}  # working seconds from the first day asked
        self._until: dict[datetime, float] = {}

    def between(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        # Rounded to the microsecond first: a float sum can land a hair under a whole second.
        return int(round(self.until(end) - self.until(start), 6))

    def until(self, instant: datetime) -> float:
        """Working seconds from an arbitrary origin up to ``instant``."""
        remembered = self._until.get(instant)
        if remembered is None:
            if len(self._until) >= REMEMBERED_INSTANTS:
                self._until.clear()
            remembered = self._until[instant] = self._until_uncached(instant)
        return remembered

    def _until_uncached(self, instant: datetime) -> float:
        day = instant.astimezone(self.zone).date()
        seconds = self._cumulative(day)
        for begin, stop in self._day(day):
            if instant <= begin:
                break
            seconds += ((instant if instant < stop else stop) - begin).total_seconds()
        return seconds

    def _day(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        found = self._intervals.get(day)
        if found is None:
            midnight = datetime.combine(day, time(0), tzinfo=self.zone)
            found = tuple(iter_working_intervals(self.calendar, midnight, midnight + _DAY))
            found = tuple((b, e) for b, e in found if b.astimezone(self.zone).date() == day)
            self._intervals[day] = found
        return found

    def _total(self, day: date) -> float:
        return sum((stop - begin).total_seconds() for begin, stop in self._day(day))

    def _cumulative(self, day: date) -> float:
        before = self._before
        if day in before:
            return before[day]
        if not before:
            before[day] = 0.0
            return 0.0
        if day > max(before):
            known = max(before)
            while known < day:
                before[known + _DAY] = before[known] + self._total(known)
                known += _DAY
        else:
            known = min(before)
            while known > day:
                before[known - _DAY] = before[known] - self._total(known - _DAY)
                known -= _DAY
        return before[day]
