"""Tier moves per ticket as SQL, shared by the reports on escalation, hand-backs and the
highest tier reached: an up move is one to a tier higher on the ladder, a down move (a
hand-back) one to a lower tier."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.reports.scope import REPORT_KINDS, ReportScope

#: ``{(category id, highest ladder position reached, escalated at all): tickets}``
Reach = dict[tuple[int, int, bool], int]


def moves_cte(scope: ReportScope) -> str:
    """``moves AS (ticket_id, version, from_tier_id, to_tier_id, from_pos, to_pos)``: the
    cohort's tier changes with the ladder positions they went between."""
    return f"""
    moves AS (
        SELECT e.ticket_id, e.ticket_version AS version, e.from_tier_id, e.to_tier_id,
            f.position AS from_pos, d.position AS to_pos
        FROM ticket_events e
        JOIN tiers f ON f.id = e.from_tier_id
        JOIN tiers d ON d.id = e.to_tier_id
        {scope.cohort_join("e")}
        WHERE e.{REPORT_KINDS} AND e.kind = 'tier_changed'
    )"""


def per_ticket_sql(scope: ReportScope) -> str:
    """A subquery ``(ticket_id, ups, downs, top_pos)``: each cohort ticket's number of up and
    down moves and the highest ladder position it reached (its entry tier included)."""
    # ``+ 0``: grouping by the bare column, SQLite would walk the (ticket_id, ticket_version)
    # index to save a sort and look every history entry up in the table on the way.
    return f"""(
        SELECT e.ticket_id + 0 AS ticket_id,
            SUM(CASE WHEN e.kind = 'tier_changed' AND d.position > f.position THEN 1 ELSE 0 END)
                AS ups,
            SUM(CASE WHEN e.kind = 'tier_changed' AND d.position < f.position THEN 1 ELSE 0 END)
                AS downs,
            MAX(d.position) AS top_pos
        FROM ticket_events e
        JOIN tiers d ON d.id = e.to_tier_id
        LEFT JOIN tiers f ON f.id = e.from_tier_id
        {scope.cohort_join("e")}
        WHERE e.{REPORT_KINDS} AND e.kind IN ('created', 'tier_changed')
        GROUP BY e.ticket_id + 0
    )"""


def reach_counts(session: Session, scope: ReportScope) -> Reach:
    """How far the cohort's tickets went, per category: one pass over the tier entries that
    serves both the highest tier reached and the escalation by category."""
    rows = scope.run(
        session,
        f"""SELECT t.category_id, s.top_pos, CASE WHEN s.ups > 0 THEN 1 ELSE 0 END, COUNT(*)
        FROM tickets t JOIN {per_ticket_sql(scope)} s ON s.ticket_id = t.id
        WHERE {scope.ticket_filter("t")}
        GROUP BY 1, 2, 3""",
    )
    return {(category, top, bool(escalated)): count for category, top, escalated, count in rows}
