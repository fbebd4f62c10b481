"""Every ticket of the range as one row (the Excel export's ticket sheet), streamed from the
database in batches so that 100,000 or more rows never sit in memory at once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import UtcDateTime
from app.services.report_tables import Column, ColumnKind
from app.services.reports.moves import per_ticket_sql
from app.services.reports.scope import ReportScope

BATCH = 2_000

TICKET_COLUMNS = (
    Column("key", "Key", ColumnKind.TEXT),
    Column("title", "Title", ColumnKind.TEXT),
    Column("category", "Category", ColumnKind.TEXT),
    Column("priority", "Priority", ColumnKind.TEXT),
    Column("status", "Status", ColumnKind.TEXT),
    Column("tier", "Current tier", ColumnKind.TEXT),
    Column("highest_tier", "Highest tier reached", ColumnKind.TEXT),
    Column("created", "Created", ColumnKind.DATE),
    Column("resolved", "Resolved", ColumnKind.DATE),
    Column("escalations", "Escalations", ColumnKind.COUNT),
    Column("hand_backs", "Hand-backs", ColumnKind.COUNT),
    Column("reopened", "Reopened", ColumnKind.COUNT),
    Column("assignee", "Assignee", ColumnKind.TEXT),
)


def stream_ticket_rows(session: Session, scope: ReportScope) -> Iterator[tuple[Any, ...]]:
    """The rows of ``TICKET_COLUMNS``, oldest ticket first. ``created`` and ``resolved`` are
    naive ``datetime``s on the desk's wall clock (what a spreadsheet cell holds). Every ticket
    has its ``created`` entry, so the per-ticket counts drive the query and each looks its
    ticket up by key (driven the other way, SQLite rescanned the counts for every ticket)."""
    positions = {tier.position: tier.code for tier in scope.tiers}
    codes = {tier.id: tier.code for tier in scope.tiers}
    names = {category_id: name for category_id, (name, _) in scope.categories.items()}
    clause = scope.sql(
        f"""SELECT t.key, t.title, t.category_id, t.priority, t.status, t.tier_id, s.top_pos,
            t.created_at, t.resolved_at, COALESCE(s.ups, 0), COALESCE(s.downs, 0),
            t.reopen_count, u.display_name
        FROM {per_ticket_sql(scope)} s
        CROSS JOIN tickets t
        LEFT JOIN users u ON u.id = t.assignee_id
        WHERE t.id = s.ticket_id AND {scope.ticket_filter("t")}
        ORDER BY t.created_at, t.id"""
    )
    result = session.execute(
        clause, scope.params(), execution_options={"stream_results": True, "yield_per": BATCH}
    )
    instant = UtcDateTime()
    dialect = session.get_bind().dialect
    for row in result:
        created = instant.process_result_value(row[7], dialect)
        resolved = instant.process_result_value(row[8], dialect)
        yield (
            row[0],
            row[1],
            names.get(row[2]),
            row[3],
            row[4],
            codes.get(row[5]),
            positions.get(row[6]),
            _wall(scope, created),
            _wall(scope, resolved),
            int(row[9]),
            int(row[10]),
            int(row[11]),
            row[12],
        )


def _wall(scope: ReportScope, instant: datetime | None) -> datetime | None:
    if instant is None:
        return None
    return instant.astimezone(scope.zone).replace(tzinfo=None)
