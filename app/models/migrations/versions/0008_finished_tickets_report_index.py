"""finished tickets only in the tickets' report index: the reports read it for resolved and
closed tickets alone, and keeping open tickets out of it spares every move of an open ticket
(the escalation pass makes a thousand at a time) two index writes

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Written exactly as the reports' queries write it (``app.services.reports.scope``): SQLite
#: uses a partial index only for a query that repeats its condition.
FINISHED = "status IN ('resolved', 'closed')"
COLUMNS = ["tier_id", "resolved_at", "reopen_count", "status"]


def upgrade() -> None:
    op.drop_index("ix_tickets_report_resolved", table_name="tickets")
    op.create_index(
        "ix_tickets_report_resolved",
        "tickets",
        COLUMNS,
        sqlite_where=sa.text(FINISHED),
        postgresql_where=sa.text(FINISHED),
    )


def downgrade() -> None:
    op.drop_index("ix_tickets_report_resolved", table_name="tickets")
    op.create_index("ix_tickets_report_resolved", "tickets", COLUMNS)
