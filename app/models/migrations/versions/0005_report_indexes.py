"""report indexes: a covering index over the history entries the reports read (creations,
tier moves, status changes, reopenings) by kind and time, so that reports scan it instead of
looking every entry up in the table and count a day's tier entries and exits off it; and an
index of tickets by tier and resolution time, to count a day's resolutions per tier

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Written exactly as the reports' queries write it: SQLite uses a partial index only for a
#: query that repeats its condition (``app.services.reports.scope.REPORT_KINDS``).
REPORT_KINDS = "kind IN ('created', 'tier_changed', 'status_changed', 'reopened')"
COLUMNS = (
    "kind",
    "at",
    "to_tier_id",
    "from_tier_id",
    "ticket_id",
    "ticket_version",
    "old_value",
    "new_value",
)
RESOLVED_COLUMNS = ("tier_id", "resolved_at", "reopen_count", "status")


def upgrade() -> None:
    op.create_index(
        "ix_ticket_events_report",
        "ticket_events",
        list(COLUMNS),
        sqlite_where=sa.text(REPORT_KINDS),
        postgresql_where=sa.text(REPORT_KINDS),
    )
    op.create_index("ix_tickets_report_resolved", "tickets", list(RESOLVED_COLUMNS))


def downgrade() -> None:
    op.drop_index("ix_tickets_report_resolved", table_name="tickets")
    op.drop_index("ix_ticket_events_report", table_name="ticket_events")
