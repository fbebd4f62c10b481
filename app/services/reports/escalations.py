"""Movement between tiers: escalation rate per step of the ladder and per category, hand-backs
(down moves), and the bounce rate (tickets that went up and came back down)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.reports.distribution import share
from app.services.reports.moves import Reach, moves_cte
from app.services.reports.scope import REPORT_KINDS, ReportScope

TRANSITION = Column("transition", "Transition", ColumnKind.TEXT)
FROM_TIER = Column("from_tier", "From", ColumnKind.TEXT)
TO_TIER = Column("to_tier", "To", ColumnKind.TEXT)


def escalation_rates(session: Session, scope: ReportScope) -> ReportTable:
    rows = scope.run(
        session,
        f"""WITH {moves_cte(scope)}
        SELECT 'reached', e.to_tier_id, COUNT(DISTINCT e.ticket_id)
        FROM ticket_events e {scope.cohort_join("e")}
        WHERE e.{REPORT_KINDS} AND e.kind IN ('created', 'tier_changed')
        GROUP BY e.to_tier_id
        UNION ALL
        SELECT 'escalated', from_tier_id, COUNT(DISTINCT ticket_id)
        FROM moves WHERE to_pos > from_pos GROUP BY from_tier_id""",
    )
    counts = {(what, tier_id): count for what, tier_id, count in rows}
    ladder = [tier for tier in scope.tiers if not tier.retired]
    table = []
    for lower, upper in zip(ladder, ladder[1:], strict=False):
        reached = counts.get(("reached", lower.id), 0)
        escalated = counts.get(("escalated", lower.id), 0)
        label = f"{lower.code} → {upper.code}"
        table.append((label, lower.code, upper.code, reached, escalated, share(escalated, reached)))
    return ReportTable(
        key="escalation_rates",
        title="Escalation rate per step",
        description="Of the tickets created in the range that reached a tier, the share moved "
        "up from it (to the next tier, or further by a supervisor's jump).",
        columns=(
            TRANSITION,
            FROM_TIER,
            TO_TIER,
            Column("reached", "Reached the lower tier", ColumnKind.COUNT),
            Column("escalated", "Escalated from it", ColumnKind.COUNT),
            Column("rate", "Escalation rate", ColumnKind.SHARE),
        ),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.BAR, "transition", ("rate",), "Escalation rate"),
    )


def escalation_by_category(scope: ReportScope, reach: Reach) -> ReportTable:
    totals: dict[int, list[int]] = {}
    for (category_id, top_position, went_up), count in reach.items():
        lowest_position = scope.position(scope.categories[category_id][1])
        total = totals.setdefault(category_id, [0, 0, 0])
        total[0] += count
        total[1] += count if went_up else 0
        total[2] += count if went_up and top_position > lowest_position else 0
    table = []
    for category_id, (tickets, escalated, beyond) in totals.items():
        name, lowest_id = scope.categories[category_id]
        table.append(
            (name, scope.tier(lowest_id).code, tickets, escalated, share(escalated, tickets),
             beyond, share(beyond, tickets))
        )  # fmt: skip
    table.sort(key=lambda row: row[0].casefold())
    return ReportTable(
        key="escalation_by_category",
        title="Escalation by category",
        description="Tickets created in the range per category: how many were escalated at "
        "all, and how many went above the lowest tier authorised to resolve the category.",
        columns=(
            Column("category", "Category", ColumnKind.TEXT),
            Column("lowest_tier", "Lowest authorised tier", ColumnKind.TEXT),
            Column("tickets", "Tickets", ColumnKind.COUNT),
            Column("escalated", "Escalated", ColumnKind.COUNT),
            Column("escalation_rate", "Escalation rate", ColumnKind.SHARE),
            Column("beyond_lowest", "Escalated past the lowest tier", ColumnKind.COUNT),
            Column("beyond_lowest_share", "Share past the lowest tier", ColumnKind.SHARE),
        ),
        rows=tuple(table),
        chart=ChartSpec(
            ChartKind.BAR, "category", ("escalation_rate", "beyond_lowest_share"), "Share"
        ),
    )


def hand_backs(session: Session, scope: ReportScope) -> ReportTable:
    rows = scope.run(
        session,
        f"""WITH {moves_cte(scope)}
        SELECT from_tier_id, to_tier_id, COUNT(*), COUNT(DISTINCT ticket_id)
        FROM moves WHERE to_pos < from_pos GROUP BY from_tier_id, to_tier_id""",
    )
    counts = {(upper, lower): (moves, tickets) for upper, lower, moves, tickets in rows}
    ladder = [tier for tier in scope.tiers if not tier.retired]
    pairs = [(upper.id, lower.id) for lower, upper in zip(ladder, ladder[1:], strict=False)]
    pairs += [pair for pair in counts if pair not in pairs]  # jumps down, and retired tiers
    pairs.sort(key=lambda pair: (scope.position(pair[0]), -scope.position(pair[1])))
    table = []
    for upper_id, lower_id in pairs:
        upper, lower = scope.tier(upper_id).code, scope.tier(lower_id).code
        moves, tickets = counts.get((upper_id, lower_id), (0, 0))
        table.append((f"{upper} → {lower}", upper, lower, moves, tickets))
    return ReportTable(
        key="hand_backs",
        title="Hand-backs (down moves)",
        description="Moves down the ladder of tickets created in the range, per pair of "
        "tiers: how many moves, and how many tickets they concern.",
        columns=(
            TRANSITION,
            FROM_TIER,
            TO_TIER,
            Column("hand_backs", "Hand-backs", ColumnKind.COUNT),
            Column("tickets", "Tickets", ColumnKind.COUNT),
        ),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.BAR, "transition", ("hand_backs",), "Hand-backs"),
    )


def bounce_rate(session: Session, scope: ReportScope) -> ReportTable:
    """Ping-pong: per tier, of the tickets escalated into it, those it later handed back
    down; overall, of the tickets escalated at least once, those later moved down."""
    rows = scope.run(
        session,
        f"""WITH {moves_cte(scope)},
        ups AS (
            SELECT ticket_id, to_tier_id AS tier_id, MIN(version) AS first_up
            FROM moves WHERE to_pos > from_pos GROUP BY ticket_id, to_tier_id
        ),
        downs AS (
            SELECT ticket_id, from_tier_id AS tier_id, MAX(version) AS last_down
            FROM moves WHERE to_pos < from_pos GROUP BY ticket_id, from_tier_id
        ),
        per_ticket AS (
            SELECT ticket_id,
                MIN(CASE WHEN to_pos > from_pos THEN version END) AS first_up,
                MAX(CASE WHEN to_pos < from_pos THEN version END) AS last_down
            FROM moves GROUP BY ticket_id
        )
        SELECT u.tier_id, COUNT(*),
            SUM(CASE WHEN d.last_down > u.first_up THEN 1 ELSE 0 END)
        FROM ups u LEFT JOIN downs d ON d.ticket_id = u.ticket_id AND d.tier_id = u.tier_id
        GROUP BY u.tier_id
        UNION ALL
        SELECT NULL, COUNT(*), SUM(CASE WHEN last_down > first_up THEN 1 ELSE 0 END)
        FROM per_ticket WHERE first_up IS NOT NULL""",
    )
    counts = {tier_id: (escalated, bounced or 0) for tier_id, escalated, bounced in rows}
    table = []
    lowest = min((tier.position for tier in scope.tiers if not tier.retired), default=0)
    for tier in scope.shown_tiers([tier_id for tier_id in counts if tier_id is not None]):
        if tier.position <= lowest:
            continue  # nothing is escalated into the entry tier
        escalated, bounced = counts.get(tier.id, (0, 0))
        table.append((tier.code, escalated, bounced, share(bounced, escalated)))
    escalated, bounced = counts.get(None, (0, 0))
    table.append(("All tiers", escalated, bounced, share(bounced, escalated)))
    return ReportTable(
        key="bounce_rate",
        title="Bounce rate",
        description="Tickets created in the range that were escalated and later came back "
        "down: per tier, of those escalated into it, the share it handed back down; on the "
        "last row, of those escalated at least once, the share moved down after.",
        columns=(
            Column("tier", "Tier", ColumnKind.TEXT),
            Column("escalated_in", "Escalated in", ColumnKind.COUNT),
            Column("bounced", "Came back down", ColumnKind.COUNT),
            Column("bounce_rate", "Bounce rate", ColumnKind.SHARE),
        ),
        rows=tuple(table),
        chart=ChartSpec(ChartKind.BAR, "tier", ("bounce_rate",), "Bounce rate"),
    )
