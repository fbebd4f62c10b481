"""``ReportService``: the distribution reports of a desk, computed in the database.

Each report family has its module and returns ``ReportTable``s (``app.services.report_tables``)
with stable keys; ``build`` runs them all in one read transaction, so the figures agree with
each other, and adds the insights. ``ticket_rows`` streams every ticket of the range for the
Excel export. Nothing here loads the history into Python: every figure is a GROUP BY or a
window function over ``ticket_events``, ``tickets`` and ``ticket_clocks``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sqlalchemy import text

from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.report_tables import Column, DeskReport, ReportQuery
from app.services.reports.distribution import backlog_ageing, distribution_now
from app.services.reports.escalations import (
    bounce_rate,
    escalation_by_category,
    escalation_rates,
    hand_backs,
)
from app.services.reports.insights import ReportThresholds, find_insights
from app.services.reports.moves import reach_counts
from app.services.reports.over_time import distribution_over_time
from app.services.reports.scope import resolve_scope
from app.services.reports.sla import clock_outcomes, sla_compliance, sla_summary
from app.services.reports.ticket_rows import TICKET_COLUMNS, stream_ticket_rows
from app.services.reports.tiers_reached import highest_tier, resolved_at_tier
from app.services.reports.time_in_tier import time_in_tier

Row = tuple[Any, ...]
RowStream = Generator[Row, None, None]  # an iterator that can be closed early

#: The report keys in the order ``build`` returns them.
REPORT_KEYS = (
    "distribution_now",
    "distribution_over_time",
    "backlog_ageing",
    "highest_tier",
    "resolved_at_tier",
    "escalation_rates",
    "escalation_by_category",
    "hand_backs",
    "bounce_rate",
    "time_in_tier",
    "sla_compliance_summary",
    "sla_compliance",
)


class ReportService:
    """Builds the desk's reports for a ``ReportQuery``.

    Which tickets a figure covers: the backlog reports (``distribution_now``,
    ``backlog_ageing``) the tickets open now; ``distribution_over_time`` the tickets open at the
    end of each period of the range; every other report the tickets created in the range, with
    all that happened to them since. Categories and priorities filter on the ticket's current
    values; tiers on the tier the ticket is at (for the backlog over time: was at then).
    Invalid filters raise ``InvalidInput`` naming ``start``, ``category``, ``priority``,
    ``tier`` or ``period``.
    """

    def __init__(
        self,
        database: Database,
        clock: Clock | None = None,
        thresholds: ReportThresholds | None = None,
    ) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()
        self.thresholds = thresholds or ReportThresholds()

    def build(self, query: ReportQuery) -> DeskReport:
        with self.database.read() as session:
            if session.get_bind().dialect.name == "postgresql":
                # One snapshot for every query, so the tables agree with each other (SQLite's
                # read transaction has one already). Sorting a million entries happens in
                # memory, not on disk; and these one-off scans end before JIT compilation
                # (a third of a second each) would pay off.
                session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
                session.execute(text("SET LOCAL work_mem = '64MB'"))
                session.execute(text("SET LOCAL jit = off"))
            now = self.clock.now(session)
            scope = resolve_scope(session, query, now)
            outcomes = clock_outcomes(session, scope)
            reach = reach_counts(session, scope)
            tables = [
                distribution_now(session, scope),
                distribution_over_time(session, scope),
                backlog_ageing(session, scope),
                highest_tier(scope, reach),
                resolved_at_tier(session, scope),
                escalation_rates(session, scope),
                escalation_by_category(scope, reach),
                hand_backs(session, scope),
                bounce_rate(session, scope),
                time_in_tier(session, scope),
                sla_summary(scope, outcomes),
                sla_compliance(scope, outcomes),
            ]
        by_key = {table.key: table for table in tables}
        entry_tier = next((tier.code for tier in scope.tiers if not tier.retired), "")
        return DeskReport(
            query=query,
            generated_at=now,
            tables=tuple(tables),
            insights=find_insights(
                by_key, self.thresholds, entry_tier, tiers_filtered=bool(query.tiers)
            ),
        )

    def ticket_rows(self, query: ReportQuery) -> tuple[tuple[Column, ...], RowStream]:
        """The ticket sheet: its columns, and an iterator over every ticket created in the
        range (no cap), read in batches of a server-side cursor. The query is checked now;
        the read transaction opens on the first row and closes when the iterator is exhausted
        or closed."""
        with self.database.read() as session:
            resolve_scope(session, query, self.clock.now(session))  # refuse bad input now
        return TICKET_COLUMNS, self._rows(query)

    def count_tickets(self, query: ReportQuery) -> int:
        """How many rows ``ticket_rows`` yields (for a progress bar's total)."""
        with self.database.read() as session:
            scope = resolve_scope(session, query, self.clock.now(session))
            [(count,)] = scope.run(
                session, f"SELECT COUNT(*) FROM tickets t WHERE {scope.ticket_filter('t')}"
            )
            return int(count)

    def _rows(self, query: ReportQuery) -> RowStream:
        with self.database.read() as session:
            scope = resolve_scope(session, query, self.clock.now(session))
            yield from stream_ticket_rows(session, scope)
