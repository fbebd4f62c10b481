"""How far tickets went: the highest tier each ticket of the range reached, and the tier the
resolved ones were resolved at (the share resolved at L1 is the first-level resolution rate)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.reports.distribution import TIER, share
from app.services.reports.moves import Reach
from app.services.reports.scope import FINISHED_SQL, ReportScope


def highest_tier(scope: ReportScope, reach: Reach) -> ReportTable:
    by_position: dict[int, int] = {}
    for (_category, top_position, _escalated), count in reach.items():
        by_position[top_position] = by_position.get(top_position, 0) + count
    total = sum(by_position.values())
    with_data = [tier.id for tier in scope.tiers if tier.position in by_position]
    table = []
    for tier in scope.shown_tiers(with_data):
        count = by_position.get(tier.position, 0)
        table.append((tier.code, count, share(count, total)))
    return ReportTable(
        key="highest_tier",
        title="Highest tier reached",
        description="Tickets created in the range, by the highest tier each one reached "
        "(its entry tier if it never went up), and the share of those tickets.",
        columns=(
            TIER,
            Column("tickets", "Tickets", ColumnKind.COUNT),
            Column("share", "Share", ColumnKind.SHARE),
        ),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.BAR, "tier", ("tickets",), "Tickets"),
    )


def resolved_at_tier(session: Session, scope: ReportScope) -> ReportTable:
    rows = scope.run(
        session,
        f"""SELECT CASE WHEN t.status IN {FINISHED_SQL} THEN t.tier_id END, COUNT(*)
        FROM tickets t WHERE {scope.ticket_filter("t")} GROUP BY 1""",
    )
    resolved = {tier_id: count for tier_id, count in rows if tier_id is not None}
    tickets = sum(count for _, count in rows)
    all_resolved = sum(resolved.values())
    table = []
    for tier in scope.shown_tiers(list(resolved), current=True):
        count = resolved.get(tier.id, 0)
        table.append((tier.code, count, share(count, all_resolved), share(count, tickets)))
    return ReportTable(
        key="resolved_at_tier",
        title="Resolved at each tier",
        description="Tickets created in the range and now resolved or closed, by the tier that "
        "resolved them: their share of the resolved tickets and of all tickets in the range.",
        columns=(
            TIER,
            Column("resolved", "Resolved", ColumnKind.COUNT),
            Column("share_of_resolved", "Share of resolved", ColumnKind.SHARE),
            Column("share_of_tickets", "Share of all tickets", ColumnKind.SHARE),
        ),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.BAR, "tier", ("share_of_resolved",), "Share of resolved"),
    )
