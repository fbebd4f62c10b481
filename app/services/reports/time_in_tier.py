"""Time in tier: how long a ticket stays at a tier before it moves on or is resolved, as the
median and 90th percentile per tier, in wall-clock hours and in business hours.

Business hours are not recomputed from calendars: every tier clock banks the business time it
ran (``ticket_clocks.used_seconds``, pauses excluded) when it stops on leaving the tier or on
resolution, so they are read from the stopped tier clocks. A stopped tier clock also spans
exactly one finished stay (``started_at`` to ``stopped_at``), so where every finished stay has
one (a desk that ran an SLA policy all along) the wall hours come from the clocks too; where
some do not (imported or demo histories, a policy installed later, a priority without a
target) they come from the history's stints instead (``stints``), which costs a window over
the history."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.reports.distribution import TIER
from app.services.reports.percentiles import Spread, spreads
from app.services.reports.scope import FINISHED_SQL, REPORT_KINDS, ReportScope
from app.services.reports.stints import stints_cte

STOPPED_TIER_CLOCKS = "c.kind = 'tier' AND c.stopped_at IS NOT NULL"


def time_in_tier(session: Session, scope: ReportScope) -> ReportTable:
    clocks_join = (
        f"JOIN tickets t ON t.id = c.ticket_id AND {scope.ticket_filter('t')}"
        if scope.filters_tickets
        else ""
    )
    business = spreads(
        session,
        scope,
        "",
        f"""SELECT c.tier_id AS grp, {scope.seconds_as_hours("c.used_seconds")} AS value
        FROM ticket_clocks c {clocks_join} WHERE {STOPPED_TIER_CLOCKS}""",
    )
    clocked = sum(spread.count for spread in business.values())
    if clocked and clocked == _finished_stays(session, scope):
        wall = spreads(
            session,
            scope,
            "",
            f"""SELECT c.tier_id AS grp, {scope.hours_between("c.started_at", "c.stopped_at")}
                AS value
            FROM ticket_clocks c {clocks_join} WHERE {STOPPED_TIER_CLOCKS}""",
        )
    else:
        wall = spreads(
            session,
            scope,
            stints_cte(scope, created=True, tier=True),
            f"""SELECT tier_id AS grp, {scope.hours_between("start_at", "end_at")} AS value
            FROM stints WHERE end_at IS NOT NULL""",
        )
    return _table(scope, wall, business)


def _finished_stays(session: Session, scope: ReportScope) -> int:
    """Stays that ended: every creation, move or reopening starts one, and only each open
    ticket's current stay has not ended."""
    [(starts, still_open)] = scope.run(
        session,
        f"""SELECT
            (SELECT COUNT(*) FROM ticket_events e {scope.cohort_join("e")}
             WHERE e.{REPORT_KINDS} AND e.kind IN ('created', 'tier_changed', 'reopened')),
            (SELECT COUNT(*) FROM tickets t
             WHERE t.status NOT IN {FINISHED_SQL} AND {scope.ticket_filter("t")})""",
    )
    return int(starts) - int(still_open)


def _table(scope: ReportScope, wall: dict[int, Spread], business: dict[int, Spread]) -> ReportTable:
    rows = []
    for tier in scope.shown_tiers([*wall, *business]):
        measured, clocked = wall.get(tier.id), business.get(tier.id)
        rows.append(
            (
                tier.code,
                measured.count if measured else 0,
                measured.median if measured else None,
                measured.p90 if measured else None,
                clocked.count if clocked else 0,
                clocked.median if clocked else None,
                clocked.p90 if clocked else None,
            )
        )
    return ReportTable(
        key="time_in_tier",
        title="Time in tier",
        description="Finished stays at each tier (until moved on, resolved or closed) of tickets "
        "created in the range: median and 90th percentile in wall-clock hours, and in business "
        "hours as the tier clock counted them (pauses excluded).",
        columns=(
            TIER,
            Column("stays", "Stays", ColumnKind.COUNT),
            Column("median_hours", "Median (h)", ColumnKind.HOURS),
            Column("p90_hours", "90th percentile (h)", ColumnKind.HOURS),
            Column("clocked_stays", "Stays with a tier clock", ColumnKind.COUNT),
            Column("median_business_hours", "Median (business h)", ColumnKind.HOURS),
            Column("p90_business_hours", "90th percentile (business h)", ColumnKind.HOURS),
        ),
        rows=tuple(rows),
        chart=ChartSpec(
            ChartKind.BAR,
            "tier",
            ("median_hours", "p90_hours", "median_business_hours", "p90_business_hours"),
            "Hours",
        ),
    )
