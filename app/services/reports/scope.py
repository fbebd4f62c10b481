"""What one report run covers, resolved against the desk: the ladder, the filters as ids, the
desk's time zone, the cohort's instants, and the SQL snippets every report family shares.

Reports are plain SQL (``text``) run in the database: the snippets here hide the two
dialects' differences (durations, UTC date and time of day) and build the cohort condition, so
each report module reads as the query it runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from app.models import CalendarRecord, Category, Priority, SlaPolicy, Tier, UtcDateTime
from app.models.ticket import REPORT_KINDS as REPORT_KINDS  # re-exported for the reports
from app.services.errors import InvalidInput
from app.services.report_tables import ReportQuery

#: Statuses in which a ticket is finished (not part of any backlog).
FINISHED = ("resolved", "closed")
FINISHED_SQL = "('resolved', 'closed')"
# ``REPORT_KINDS`` (from the model): the condition of the covering index
# ``ix_ticket_events_report``; SQLite uses a partial index only for a query that repeats its
# condition, so every report query on ``ticket_events`` includes it.


@dataclass(frozen=True)
class TierInfo:
    id: int
    code: str
    position: int
    retired: bool


@dataclass(frozen=True)
class ReportScope:
    """A ``ReportQuery`` checked and resolved for one database.

    ``start_at``/``end_at`` bound the cohort: tickets created from the start of ``query.start``
    to the end of ``query.end`` (whole days in ``zone``); ``None`` leaves a side open. ``now``
    is the instant "open now" refers to.
    """

    query: ReportQuery
    dialect: str
    zone: ZoneInfo
    now: datetime
    tiers: tuple[TierInfo, ...]  # every tier, in ladder order (retired ones included)
    categories: dict[int, tuple[str, int]]  # id: (name, lowest authorised tier id)
    category_ids: tuple[int, ...]  # the filter; empty: all
    priorities: tuple[str, ...]
    tier_ids: tuple[int, ...]
    start_at: datetime | None
    end_at: datetime | None

    # ------------------------------------------------------------------------ the ladder
    def tier(self, tier_id: int) -> TierInfo:
        return next(tier for tier in self.tiers if tier.id == tier_id)

    def shown_tiers(
        self, with_data: Sequence[int] = (), *, current: bool = False
    ) -> list[TierInfo]:
        """The tiers a per-tier table lists: the active ladder plus any retired tier that has
        figures; where the rows are the tier tickets are at (``current``), only the filtered
        tiers."""
        return [
            tier
            for tier in self.tiers
            if (not current or not self.tier_ids or tier.id in self.tier_ids)
            and (not tier.retired or tier.id in with_data)
        ]

    def position(self, tier_id: int) -> int:
        return self.tier(tier_id).position

    # ------------------------------------------------------------------------------- SQL
    def epoch(self, column: str) -> str:
        """Seconds since 1970 (UTC) of a stored instant column, as a float."""
        if self.dialect == "sqlite":
            return f"((julianday({column}) - 2440587.5) * 86400.0)"
        return f"date_part('epoch', {column})"  # double precision; EXTRACT gives numeric

    def utc_date(self, column: str) -> str:
        """The UTC calendar date of a stored instant (text on SQLite, a date on PostgreSQL)."""
        if self.dialect == "sqlite":
            return f"substr({column}, 1, 10)"
        return f"CAST({column} AS DATE)"

    def utc_time(self, column: str) -> str:
        """The UTC time of day of a stored instant, comparable with ``'HH:MM:SS'``."""
        if self.dialect == "sqlite":
            return f"substr({column}, 12)"
        return f"CAST({column} AS TIME)"

    def hours_between(self, start: str, end: str) -> str:
        """Hours from ``start`` to ``end`` as a float (PostgreSQL: double precision, not the
        much slower numeric)."""
        if self.dialect == "sqlite":
            return f"(({self.epoch(end)} - {self.epoch(start)}) / 3600.0)"
        return f"(date_part('epoch', {end} - {start}) / 3600)"

    def seconds_as_hours(self, column: str) -> str:
        return f"(CAST({column} AS DOUBLE PRECISION) / 3600)"

    def ticket_filter(self, alias: str = "t", *, created: bool = True, tier: bool = True) -> str:
        """The SQL condition (``1 = 1`` when nothing is filtered) on tickets ``alias``: created
        in range (``created``), of the chosen categories and priorities, and at one of the
        chosen tiers now (``tier``). Binds: see ``params``."""
        parts = ["1 = 1"]
        if created and self.start_at is not None:
            parts.append(f"{alias}.created_at >= :start_at")
        if created and self.end_at is not None:
            parts.append(f"{alias}.created_at < :end_at")
        if self.category_ids:
            parts.append(f"{alias}.category_id IN :category_ids")
        if self.priorities:
            parts.append(f"{alias}.priority IN :priorities")
        if tier and self.tier_ids:
            parts.append(f"{alias}.tier_id IN :tier_ids")
        return " AND ".join(parts)

    def cohort_join(self, events: str = "e") -> str:
        """A ``JOIN`` restricting events ``events`` to the cohort's tickets (nothing when the
        cohort is every ticket, which spares the join)."""
        if not self.filters_tickets:
            return ""
        return f"JOIN tickets t ON t.id = {events}.ticket_id AND {self.ticket_filter('t')}"

    @property
    def filters_tickets(self) -> bool:
        """Whether the cohort is less than every ticket (so event queries must join tickets)."""
        return bool(
            self.start_at or self.end_at or self.category_ids or self.priorities or self.tier_ids
        )

    def sql(self, statement: str, **instants: datetime | None) -> TextClause:
        """``statement`` with the scope's filter binds (and any extra instants) typed."""
        clause = text(statement)
        binds = []
        for name in ("start_at", "end_at", "now", *instants):
            if f":{name}" in statement:
                binds.append(bindparam(name, type_=UtcDateTime))
        for name in ("category_ids", "priorities", "tier_ids"):
            if f":{name}" in statement:
                binds.append(bindparam(name, expanding=True))
        return clause.bindparams(*binds)

    def params(self, **extra: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "start_at": self.start_at,
            "end_at": self.end_at,
            "now": self.now,
            "category_ids": list(self.category_ids),
            "priorities": list(self.priorities),
            "tier_ids": list(self.tier_ids),
        }
        values.update(extra)
        return values

    def run(self, session: Session, statement: str, **extra: Any) -> list[Any]:
        instants = {key: value for key, value in extra.items() if isinstance(value, datetime)}
        clause = self.sql(statement, **instants)
        return list(session.execute(clause, self.params(**extra)))

    # ------------------------------------------------------------------------------ days
    def local_midnight(self, day: date) -> datetime:
        """The first instant of ``day`` in the desk's zone, in UTC."""
        return datetime.combine(day, time(0), self.zone).astimezone(UTC)

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.zone).date()


def resolve_scope(session: Session, query: ReportQuery, now: datetime) -> ReportScope:
    """Check ``query`` against the desk and resolve its names to ids; refuses unknown names,
    a start after the end and an unknown period with ``InvalidInput`` naming the field."""
    if query.period not in ("day", "week"):
        raise InvalidInput("period", f"{query.period!r} is not day or week")
    if query.start is not None and query.end is not None and query.start > query.end:
        raise InvalidInput("start", f"{query.start} is after the end {query.end}")
    tiers = tuple(
        TierInfo(row.id, row.code, row.position, row.retired)
        for row in session.execute(select(Tier).order_by(Tier.position)).scalars()
    )
    categories = {
        row.id: (row.name, row.min_tier_id)
        for row in session.execute(select(Category)).unique().scalars()
    }
    zone = desk_zone(session)
    return ReportScope(
        query=query,
        dialect=session.get_bind().dialect.name,
        zone=zone,
        now=now,
        tiers=tiers,
        categories=categories,
        category_ids=_category_ids(categories, query.categories),
        priorities=_priorities(query.priorities),
        tier_ids=_tier_ids(tiers, query.tiers),
        start_at=_midnight(query.start, zone),
        end_at=_midnight(query.end + timedelta(days=1), zone) if query.end else None,
    )


def desk_zone(session: Session) -> ZoneInfo:
    """The desk's time zone: that of the current SLA policy's business calendar (UTC on a
    desk without a policy). Day and week boundaries are read in it."""
    name = session.scalar(
        select(CalendarRecord.time_zone)
        .join(SlaPolicy, SlaPolicy.calendar_id == CalendarRecord.id)
        .where(SlaPolicy.current.is_(True))
        .order_by(SlaPolicy.id.desc())
        .limit(1)
    )
    return ZoneInfo(name or "UTC")


def _midnight(day: date | None, zone: ZoneInfo) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def _category_ids(categories: dict[int, tuple[str, int]], names: Sequence[str]) -> tuple[int, ...]:
    by_name = {name.casefold(): category_id for category_id, (name, _) in categories.items()}
    ids = []
    for name in names:
        found = by_name.get(name.strip().casefold())
        if found is None:
            known = ", ".join(sorted(name for name, _ in categories.values())) or "none"
            raise InvalidInput("category", f"no category called {name!r} (categories: {known})")
        ids.append(found)
    return tuple(ids)


def _priorities(names: Sequence[str]) -> tuple[str, ...]:
    known = {priority.value.casefold(): priority.value for priority in Priority}
    chosen = []
    for name in names:
        value = known.get(name.strip().casefold())
        if value is None:
            raise InvalidInput("priority", f"{name!r} is not a priority (P1, P2, P3, P4)")
        chosen.append(value)
    return tuple(chosen)


def _tier_ids(tiers: Sequence[TierInfo], names: Sequence[str]) -> tuple[int, ...]:
    by_code = {tier.code.casefold(): tier.id for tier in tiers}
    ids = []
    for name in names:
        found = by_code.get(name.strip().casefold())
        if found is None:
            known = ", ".join(tier.code for tier in tiers) or "none"
            raise InvalidInput("tier", f"no tier called {name!r} (tiers: {known})")
        ids.append(found)
    return tuple(ids)
