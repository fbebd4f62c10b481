"""SLA compliance: per tier clock (the OLA of each tier, its response target, the vendor's
clock) and per customer SLA clock (first response, resolution), per priority.

A clock counts once: *breached* when its ``breached_at`` is set (the instant the escalation pass
or a late stop recorded the breach alert), *met* when it stopped, or its ticket is finished,
without one, *running* otherwise (not yet decided, left out of the share met)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.models import ClockKind
from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.reports.distribution import share
from app.services.reports.scope import FINISHED_SQL, ReportScope

CLOCK_ORDER = (
    ClockKind.TIER,
    ClockKind.TIER_RESPONSE,
    ClockKind.VENDOR,
    ClockKind.FIRST_RESPONSE,
    ClockKind.RESOLUTION,
)
#: How a clock is named in a report's cells (the stored kinds are identifiers, not words).
CLOCK_TITLES = {
    ClockKind.TIER: "Tier clock",
    ClockKind.TIER_RESPONSE: "Tier response",
    ClockKind.VENDOR: "Vendor clock",
    ClockKind.FIRST_RESPONSE: "First response",
    ClockKind.RESOLUTION: "Resolution",
}
OUTCOMES = (
    Column("met", "Met", ColumnKind.COUNT),
    Column("breached", "Breached", ColumnKind.COUNT),
    Column("running", "Running", ColumnKind.COUNT),
    Column("share_met", "Share met", ColumnKind.SHARE),
)

Counts = dict[tuple[str, int | None, str], tuple[int, int, int]]


def clock_outcomes(session: Session, scope: ReportScope) -> Counts:
    """``{(clock kind, tier id, priority): (met, breached, running)}`` over the cohort. (The
    CROSS JOIN and the ``+`` make SQLite read the clocks in table order and look their
    tickets up by key, rather than walk an index that does not hold the clock's columns.)"""
    rows = scope.run(
        session,
        f"""SELECT c.kind, c.tier_id, t.priority,
            SUM(CASE WHEN c.breached_at IS NULL
                      AND (c.stopped_at IS NOT NULL OR t.status IN {FINISHED_SQL})
                THEN 1 ELSE 0 END),
            SUM(CASE WHEN c.breached_at IS NOT NULL THEN 1 ELSE 0 END),
            SUM(CASE WHEN c.breached_at IS NULL AND c.stopped_at IS NULL
                      AND t.status NOT IN {FINISHED_SQL}
                THEN 1 ELSE 0 END)
        FROM ticket_clocks c CROSS JOIN tickets t
        WHERE t.id = +c.ticket_id AND {scope.ticket_filter("t")}
        GROUP BY c.kind, c.tier_id, t.priority""",
    )
    return {
        (kind, tier_id, priority): (int(met), int(breached), int(running))
        for kind, tier_id, priority, met, breached, running in rows
    }


def sla_compliance(scope: ReportScope, counts: Counts) -> ReportTable:
    table: list[tuple[Any, ...]] = []
    order = {kind.value: index for index, kind in enumerate(CLOCK_ORDER)}
    for kind, tier_id, priority in sorted(
        counts,
        key=lambda k: (order.get(k[0], 99), scope.position(k[1]) if k[1] else -1, k[2]),
    ):
        met, breached, running = counts[kind, tier_id, priority]
        tier = scope.tier(tier_id).code if tier_id is not None else None
        title = CLOCK_TITLES[ClockKind(kind)]
        table.append((title, tier, priority, met, breached, running, share(met, met + breached)))
    return ReportTable(
        key="sla_compliance",
        title="SLA compliance per clock and priority",
        description="Clocks of tickets created in the range: per clock (tier clocks per tier, "
        "the customer's first response and resolution) and priority, how many were met, "
        "breached or are still running, and the share met of those decided.",
        columns=(
            Column("clock", "Clock", ColumnKind.TEXT),
            Column("tier", "Tier", ColumnKind.TEXT),
            Column("priority", "Priority", ColumnKind.TEXT),
            *OUTCOMES,
        ),
        rows=tuple(table),
    )


def sla_summary(scope: ReportScope, counts: Counts) -> ReportTable:
    """One row per tier's tier clock and per customer SLA clock, all priorities together."""
    totals: dict[tuple[str, int | None], list[int]] = {}
    for (kind, tier_id, _priority), outcome in counts.items():
        total = totals.setdefault((kind, tier_id), [0, 0, 0])
        for index, value in enumerate(outcome):
            total[index] += value
    table: list[tuple[Any, ...]] = []
    wanted: list[tuple[str, tuple[str, int | None]]] = [
        (tier.code, (ClockKind.TIER.value, tier.id))
        for tier in scope.shown_tiers([t for k, t in totals if k == ClockKind.TIER and t])
    ]
    wanted += [
        (CLOCK_TITLES[kind], (kind.value, None))
        for kind in (ClockKind.FIRST_RESPONSE, ClockKind.RESOLUTION)
    ]
    for label, key in wanted:
        met, breached, running = totals.get(key, [0, 0, 0])
        table.append((label, met, breached, running, share(met, met + breached)))
    return ReportTable(
        key="sla_compliance_summary",
        title="SLA compliance per tier",
        description="Each tier's tier clock (time allowed at the tier) and the customer's "
        "first response and resolution SLA, all priorities together, for tickets created in "
        "the range.",
        columns=(Column("clock", "Clock", ColumnKind.TEXT), *OUTCOMES),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.BAR, "clock", ("share_met",), "Share met"),
    )
