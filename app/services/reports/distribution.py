"""Where the open tickets are now: per tier (count and share), and per tier by age."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy.orm import Session

from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.reports.scope import FINISHED_SQL, ReportScope

TIER = Column("tier", "Tier", ColumnKind.TEXT)
#: Backlog age buckets: column key, title, upper bound in days (``None``: no bound).
AGE_BUCKETS: tuple[tuple[str, str, int | None], ...] = (
    ("under_1d", "Under 1 day", 1),
    ("1_to_3d", "1-3 days", 3),
    ("3_to_7d", "3-7 days", 7),
    ("7_to_30d", "7-30 days", 30),
    ("over_30d", "Over 30 days", None),
)


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def distribution_now(session: Session, scope: ReportScope) -> ReportTable:
    rows = scope.run(
        session,
        f"""SELECT t.tier_id, COUNT(*) FROM tickets t
        WHERE t.status NOT IN {FINISHED_SQL} AND {scope.ticket_filter(created=False)}
        GROUP BY t.tier_id""",
    )
    counts = {tier_id: count for tier_id, count in rows}
    total = sum(counts.values())
    table = [
        (tier.code, counts.get(tier.id, 0), share(counts.get(tier.id, 0), total))
        for tier in scope.shown_tiers(list(counts), current=True)
    ]
    return ReportTable(
        key="distribution_now",
        title="Open tickets per tier now",
        description="Tickets not resolved or closed, by the tier they are at now, and each "
        "tier's share of them (the date range does not apply).",
        columns=(
            TIER,
            Column("open_tickets", "Open tickets", ColumnKind.COUNT),
            Column("share", "Share", ColumnKind.SHARE),
        ),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.PIE, "tier", ("open_tickets",)),
    )


def backlog_ageing(session: Session, scope: ReportScope) -> ReportTable:
    bounds = [days for _, _, days in AGE_BUCKETS if days is not None]
    cases = " ".join(
        f"WHEN t.created_at > :age_{index} THEN {index}" for index in range(len(bounds))
    )
    ages = {f"age_{index}": scope.now - timedelta(days=days) for index, days in enumerate(bounds)}
    rows = scope.run(
        session,
        f"""SELECT t.tier_id, CASE {cases} ELSE {len(bounds)} END AS bucket, COUNT(*)
        FROM tickets t
        WHERE t.status NOT IN {FINISHED_SQL} AND {scope.ticket_filter(created=False)}
        GROUP BY 1, 2""",
        **ages,
    )
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(AGE_BUCKETS))
    for tier_id, bucket, count in rows:
        counts[tier_id][bucket] = count
    table = []
    for tier in scope.shown_tiers(list(counts), current=True):
        by_age = counts.get(tier.id, [0] * len(AGE_BUCKETS))
        table.append((tier.code, *by_age, sum(by_age)))
    bucket_columns = tuple(Column(key, title, ColumnKind.COUNT) for key, title, _ in AGE_BUCKETS)
    return ReportTable(
        key="backlog_ageing",
        title="Backlog ageing per tier",
        description="Open tickets now at each tier, by time since they were created "
        "(the date range does not apply).",
        columns=(TIER, *bucket_columns, Column("total", "Total", ColumnKind.COUNT)),
        rows=tuple(table),
        chart=ChartSpec(
            ChartKind.STACKED_BAR, "tier", tuple(key for key, _, _ in AGE_BUCKETS), "Tickets"
        ),
    )
