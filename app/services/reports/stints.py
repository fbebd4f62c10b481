"""Stints: the spans a ticket spends open at one tier, computed from the history in SQL.

A stint starts when the ticket is created at a tier, moved to one, or reopened there; it ends
at the ticket's next tier move or when it is resolved or closed (``end_at`` stays empty while
it lasts). These are the spans the tier clock measures (``app.services.sla_clocks``), but taken
from the history, which every desk has (imported and demo histories have no stopped clocks).
The time in tier is built on them. (One change never both moves a ticket and finishes it,
so a ticket's version orders its stints.)
"""

from __future__ import annotations

from app.services.reports.scope import FINISHED_SQL, REPORT_KINDS, ReportScope


def stints_cte(scope: ReportScope, *, created: bool, tier: bool) -> str:
    """``stream AS (...), stints AS (ticket_id, tier_id, start_at, end_at)`` for a ``WITH``;
    ``created``/``tier``: whether the cohort's date range and current-tier filter apply."""
    cohort = ""
    if scope.filters_tickets:
        condition = scope.ticket_filter("t", created=created, tier=tier)
        cohort = f"JOIN tickets t ON t.id = e.ticket_id AND {condition}"
    # A reopened ticket starts again at the tier it was resolved at: its last tier event.
    return f"""
    stream AS (
        SELECT e.ticket_id, e.at, e.kind,
            CASE WHEN e.kind = 'reopened' THEN (
                SELECT p.to_tier_id FROM ticket_events p
                WHERE p.ticket_id = e.ticket_id AND p.ticket_version < e.ticket_version
                  AND p.to_tier_id IS NOT NULL
                ORDER BY p.ticket_version DESC, p.id DESC LIMIT 1
            ) ELSE e.to_tier_id END AS tier_id,
            LEAD(e.at) OVER (PARTITION BY e.ticket_id ORDER BY e.ticket_version, e.id) AS end_at
        FROM ticket_events e {cohort}
        WHERE e.{REPORT_KINDS} AND (
            e.kind IN ('created', 'tier_changed', 'reopened')
            OR (e.kind = 'status_changed' AND e.new_value IN {FINISHED_SQL}))
    ),
    stints AS (
        SELECT ticket_id, tier_id, at AS start_at, end_at FROM stream
        WHERE kind IN ('created', 'tier_changed', 'reopened')
    )"""
