"""The backlog over time: open tickets per tier at the end of each day or week of the range.

Computed without replaying histories: every change to where an open ticket is adds +1 or -1
to a tier (created: +1 at its tier; a move: -1 where it left, +1 where it went; resolved or
closed from an open status: -1 at its tier; reopened: +1), summed per tier and local day; the
counts are then running sums over at most a few thousand (tier, day) rows. A finished ticket
cannot move, so a ticket never reopened finished once, at its tier now, when it was resolved
(``tickets.resolved_at``); only reopened tickets read their finishes from the history and look
up the tier they were at then.

Two ways to sum, with the same answer. For the whole desk, the changes of tickets never
reopened are *counted* per day and tier off the report indexes (migration 0005): a range count
per day, no sorting. For a selection of categories or priorities, which those indexes cannot
filter, and for the few reopened tickets, the changes are *grouped* by UTC date and by whether
the instant lies past that date's local midnight (cheap comparisons, one per stretch of
constant UTC offset), then turned into local days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.reports.scope import FINISHED_SQL, REPORT_KINDS, ReportScope

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # before any ticket: the start of the baseline

#: The tier of a reopened ticket at one of its entries: the last tier entry before it.
TIER_THEN = """(SELECT p.to_tier_id FROM ticket_events p
    WHERE p.ticket_id = e.ticket_id AND p.ticket_version < e.ticket_version
      AND p.to_tier_id IS NOT NULL
    ORDER BY p.ticket_version DESC LIMIT 1)"""


@dataclass(frozen=True)
class Period:
    label: date  # first day of the period
    last_day: date  # last day counted (the range may end inside a week)


def distribution_over_time(session: Session, scope: ReportScope) -> ReportTable:
    tiers = scope.shown_tiers(current=True)
    kind = "week" if scope.query.period == "week" else "day"
    table = ReportTable(
        key="distribution_over_time",
        title=f"Open tickets per tier at the end of each {kind}",
        description=f"Tickets open at the end of each {kind} of the range (in the desk's time "
        "zone), by the tier they were at then; the period column is the first day of the "
        f"{kind}.",
        columns=(
            Column("period", "Period", ColumnKind.DATE),
            *(Column(tier.code, tier.code, ColumnKind.COUNT) for tier in tiers),
            Column("total", "Total", ColumnKind.COUNT),
        ),
        rows=(),
        chart=ChartSpec(
            ChartKind.STACKED_BAR, "period", tuple(tier.code for tier in tiers), "Open tickets"
        ),
    )
    first_day, last_day = _range_days(session, scope)
    if first_day is None or last_day is None or first_day > last_day:
        return table
    by_day = _changes_by_day(session, scope, first_day, last_day)
    counts = dict(by_day.pop(None, {}))  # open when the range starts
    rows: list[tuple[Any, ...]] = []
    day = first_day
    for period in _periods(first_day, last_day, kind):
        while day <= period.last_day:
            for tier_id, change in by_day.get(day, {}).items():
                counts[tier_id] = counts.get(tier_id, 0) + change
            day += timedelta(days=1)
        values = [counts.get(tier.id, 0) for tier in tiers]
        rows.append((period.label, *values, sum(values)))
    return replace(table, rows=tuple(rows))


def _range_days(session: Session, scope: ReportScope) -> tuple[date | None, date | None]:
    """The days the series covers: the range, else from the first ticket; never past today."""
    today = scope.local_date(scope.now)
    last = min(scope.query.end, today) if scope.query.end else today
    if scope.query.start is not None:
        return scope.query.start, last
    [(first_created,)] = scope.run(
        session,
        f"SELECT MIN(t.created_at) FROM tickets t WHERE {scope.ticket_filter(created=False)}",
    )
    if first_created is None:
        return None, None
    if isinstance(first_created, str):
        first_created = datetime.fromisoformat(first_created)
    return scope.local_date(first_created.replace(tzinfo=UTC)), last


def _periods(first: date, last: date, kind: str) -> list[Period]:
    if kind == "day":
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [Period(day, day) for day in days]
    periods = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        periods.append(Period(monday, min(monday + timedelta(days=6), last)))
        monday += timedelta(days=7)
    return periods


def _changes_by_day(
    session: Session, scope: ReportScope, first: date, last: date
) -> dict[date | None, dict[int, int]]:
    """Per local day of the range, how each tier's open count changed over the day; under
    ``None`` the counts open when the range starts."""
    first_at = scope.local_midnight(first)
    last_at = scope.local_midnight(last + timedelta(days=1))
    whole_desk = not (scope.category_ids or scope.priorities)
    by_day = _grouped_changes(session, scope, first_at, last_at, only_reopened=whole_desk)
    if whole_desk:
        for day, changes in _counted_changes(session, scope, first, last).items():
            for tier_id, change in changes.items():
                by_day[day][tier_id] = by_day[day].get(tier_id, 0) + change
    return by_day


def _counted_changes(
    session: Session, scope: ReportScope, first: date, last: date
) -> dict[date | None, dict[int, int]]:
    """The changes of tickets never reopened (nearly all), counted per day and tier straight
    off the report indexes of migration 0005: per day, the tier entries, the tier exits and
    the tickets resolved there. Each count walks only that day's index entries, and nothing
    is sorted, which makes this ten times faster than grouping every change by day."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    bounds: dict[str, datetime] = {"s_0": EPOCH, "e_0": scope.local_midnight(first)}
    for number, day in enumerate(days, start=1):
        bounds[f"s_{number}"] = scope.local_midnight(day)
        bounds[f"e_{number}"] = scope.local_midnight(day + timedelta(days=1))
    values = ", ".join(f"({n}, :s_{n}, :e_{n})" for n in range(len(days) + 1))
    tiers = "SELECT id FROM tiers" + (" WHERE id IN :tier_ids" if scope.tier_ids else "")
    in_day = "e.at >= d.s AND e.at < d.e"
    rows = scope.run(
        session,
        f"""WITH days(i, s, e) AS (VALUES {values}), tt AS ({tiers})
        SELECT d.i, tt.id,
            (SELECT COUNT(*) FROM ticket_events e
             WHERE e.{REPORT_KINDS} AND e.kind IN ('created', 'tier_changed') AND {in_day}
               AND e.to_tier_id = tt.id)
            - (SELECT COUNT(*) FROM ticket_events e
               WHERE e.{REPORT_KINDS} AND e.kind = 'tier_changed' AND {in_day}
                 AND e.from_tier_id = tt.id)
            - (SELECT COUNT(*) FROM tickets t
               WHERE t.tier_id = tt.id AND t.resolved_at >= d.s AND t.resolved_at < d.e
                 AND t.reopen_count = 0 AND t.status IN {FINISHED_SQL})
        FROM days d CROSS JOIN tt""",
        **bounds,
    )
    by_day: dict[date | None, dict[int, int]] = defaultdict(dict)
    for number, tier_id, change in rows:
        if change:
            by_day[days[number - 1] if number else None][tier_id] = int(change)
    return by_day


def _grouped_changes(
    session: Session,
    scope: ReportScope,
    first_at: datetime,
    last_at: datetime,
    *,
    only_reopened: bool,
) -> dict[date | None, dict[int, int]]:
    """The changes grouped by tier and local day in one GROUP BY: those of reopened tickets
    (few; they look up the tier they were at) and, with ``only_reopened`` off (a selection of
    categories or priorities, which the counting path cannot filter), all the others too."""
    shift, transitions = _day_shift_sql(scope, "at", first_at, last_at)
    cohort = ""
    if scope.category_ids or scope.priorities:
        cohort = f"AND {scope.ticket_filter('t', created=False, tier=False)}"
    plain = "ticket_events e"
    if cohort:
        plain += f" JOIN tickets t ON t.id = e.ticket_id {cohort}"
    reopened = f"""
            SELECT {TIER_THEN} AS tier_id, e.at, -1 AS change
            FROM tickets t CROSS JOIN ticket_events e
            WHERE t.reopen_count > 0 {cohort} AND e.ticket_id = t.id AND e.kind = 'status_changed'
              AND e.new_value IN {FINISHED_SQL}
              AND COALESCE(e.old_value, '') NOT IN {FINISHED_SQL}
            UNION ALL
            SELECT {TIER_THEN}, e.at, 1 FROM {plain}
            WHERE e.{REPORT_KINDS} AND e.kind = 'reopened'"""
    others = f"""
            UNION ALL
            SELECT e.to_tier_id, e.at, 1 FROM {plain}
            WHERE e.{REPORT_KINDS} AND e.kind IN ('created', 'tier_changed')
            UNION ALL
            SELECT e.from_tier_id, e.at, -1 FROM {plain}
            WHERE e.{REPORT_KINDS} AND e.kind = 'tier_changed'
            UNION ALL
            SELECT t.tier_id, t.resolved_at, -1 FROM tickets t
            WHERE t.reopen_count = 0 AND t.status IN {FINISHED_SQL} {cohort}"""
    # No condition on the instant here: SQLite would push it into the scans and prefer the
    # (kind, at) index, looking every entry up in the table, over the covering one.
    tier_filter = "WHERE tier_id IN :tier_ids" if scope.tier_ids else ""
    rows = scope.run(
        session,
        f"""WITH changes AS ({reopened}{"" if only_reopened else others}
        )
        SELECT tier_id,
            CASE WHEN at < :first_at THEN 0 WHEN at < :last_at THEN 1 ELSE 2 END,
            CASE WHEN at >= :first_at AND at < :last_at THEN {scope.utc_date("at")} END,
            CASE WHEN at >= :first_at AND at < :last_at THEN {shift} ELSE 0 END,
            SUM(change)
        FROM changes {tier_filter}
        GROUP BY 1, 2, 3, 4""",
        first_at=first_at,
        last_at=last_at,
        **transitions,
    )
    by_day: dict[date | None, dict[int, int]] = defaultdict(dict)
    for tier_id, phase, utc_day, shift_days, change in rows:
        if phase == 2:
            continue  # after the range
        day = None
        if phase == 1:
            day = _as_date(utc_day) + timedelta(days=int(shift_days))
        by_day[day][tier_id] = by_day[day].get(tier_id, 0) + int(change)
    return by_day


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _day_shift_sql(
    scope: ReportScope, column: str, first_at: datetime, last_at: datetime
) -> tuple[str, dict[str, datetime]]:
    """SQL for the days (-1, 0 or +1) between an instant's UTC date and its local date, for
    instants from ``first_at`` to ``last_at``: with the zone ``offset`` ahead of UTC, the
    local date is the next day from ``24 h - offset`` UTC on (the previous day before
    ``-offset`` when behind)."""
    spans = _offset_spans(scope, first_at, last_at)
    transitions = {f"tz_{index}": start for index, (start, _) in enumerate(spans[1:])}
    shifts = [_shift_for(scope, column, seconds) for _, seconds in spans]
    if len(shifts) == 1:
        return shifts[0], transitions
    whens = " ".join(
        f"WHEN {column} < :tz_{index} THEN {shift}" for index, shift in enumerate(shifts[:-1])
    )
    return f"(CASE {whens} ELSE {shifts[-1]} END)", transitions


def _shift_for(scope: ReportScope, column: str, offset_seconds: int) -> str:
    if offset_seconds == 0:
        return "0"
    clock = scope.utc_time(column)
    if offset_seconds > 0:
        cut = _clock_text(86_400 - offset_seconds)
        return f"(CASE WHEN {clock} >= '{cut}' THEN 1 ELSE 0 END)"
    cut = _clock_text(-offset_seconds)
    return f"(CASE WHEN {clock} < '{cut}' THEN -1 ELSE 0 END)"


def _clock_text(seconds: int) -> str:
    return (datetime.combine(date(2000, 1, 1), time(0)) + timedelta(seconds=seconds)).strftime(
        "%H:%M:%S"
    )


def _offset_spans(
    scope: ReportScope, first_at: datetime, last_at: datetime
) -> list[tuple[datetime, int]]:
    """``(from instant, UTC offset in seconds)`` for each stretch of constant offset."""

    def offset(instant: datetime) -> int:
        shift = instant.astimezone(scope.zone).utcoffset()
        return int(shift.total_seconds()) if shift is not None else 0

    spans = [(first_at, offset(first_at))]
    step = timedelta(hours=6)
    at = first_at
    while at < last_at:
        following = min(at + step, last_at)
        if offset(following) != spans[-1][1]:
            low, high = at, following  # the change lies in (low, high]: bisect to the second
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                low, high = (low, middle) if offset(middle) != spans[-1][1] else (middle, high)
            spans.append((high.replace(microsecond=0), offset(high)))
        at = following
    return spans
