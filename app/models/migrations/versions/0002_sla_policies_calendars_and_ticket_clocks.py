"""sla policies, calendars and ticket clocks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Service levels: calendars, versioned policies, and each ticket's clocks with their due instants
indexed over running clocks only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "business_calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendars")),
        sa.UniqueConstraint("name", name=op.f("uq_business_calendars_name")),
    )
    op.create_table(
        "sla_policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("warning_percent", sa.Integer(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendars.id"],
            name=op.f("fk_sla_policies_calendar_id_business_calendars"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_policies")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_sla_policies_name")),
    )
    op.create_table(
        "ticket_clocks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "ticket_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "tier",
                "first_response",
                "resolution",
                name="clockkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("tier_id", sa.Integer(), nullable=True),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("target_seconds", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("used_seconds", sa.Integer(), nullable=False),
        sa.Column("running_since", sa.DateTime(), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("warn_at", sa.DateTime(), nullable=True),
        sa.Column("warned_at", sa.DateTime(), nullable=True),
        sa.Column("breached_at", sa.DateTime(), nullable=True),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind = 'tier' OR kind = 'first_response' OR kind = 'resolution'",
            name=op.f("ck_ticket_clocks_kind_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["sla_policies.id"], name=op.f("fk_ticket_clocks_policy_id_sla_policies")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_clocks_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["tier_id"], ["tiers.id"], name=op.f("fk_ticket_clocks_tier_id_tiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_clocks")),
    )
    with op.batch_alter_table("ticket_clocks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ticket_clocks_running_due",
            ["due_at"],
            unique=False,
            postgresql_where=sa.text("stopped_at IS NULL AND breached_at IS NULL"),
            sqlite_where=sa.text("stopped_at IS NULL AND breached_at IS NULL"),
        )
        batch_op.create_index("ix_ticket_clocks_ticket_kind", ["ticket_id", "kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_clocks", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_clocks_ticket_kind")
        batch_op.drop_index(
            "ix_ticket_clocks_running_due",
            postgresql_where=sa.text("stopped_at IS NULL AND breached_at IS NULL"),
            sqlite_where=sa.text("stopped_at IS NULL AND breached_at IS NULL"),
        )

    op.drop_table("ticket_clocks")
    op.drop_table("sla_policies")
    op.drop_table("business_calendars")
