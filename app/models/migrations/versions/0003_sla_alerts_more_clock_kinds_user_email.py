"""SLA alerts (warnings, breaches, escalations), tier-response and vendor clocks, the index of
pending warnings, and an optional e-mail address per user.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 13:33:05.369332
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_CLOCK_KINDS = "kind = 'tier' OR kind = 'first_response' OR kind = 'resolution'"
ALL_CLOCK_KINDS = (
    "kind = 'tier' OR kind = 'tier_response' OR kind = 'vendor' OR kind = 'first_response' "
    "OR kind = 'resolution'"
)


def upgrade() -> None:
    op.create_table(
        "sla_alerts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "ticket_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("clock_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "warning", "breach", "escalation", name="alertkind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "clock_kind",
            sa.Enum(
                "tier",
                "tier_response",
                "vendor",
                "first_response",
                "resolution",
                name="clockkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("tier_id", sa.Integer(), nullable=True),
        sa.Column("to_tier_id", sa.Integer(), nullable=True),
        sa.Column("policy_id", sa.Integer(), nullable=False),
        sa.Column("threshold_at", sa.DateTime(), nullable=False),
        sa.Column("fired_at", sa.DateTime(), nullable=False),
        sa.Column("mailed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "clock_kind = 'tier' OR clock_kind = 'tier_response' OR clock_kind = 'vendor' OR clock_kind = 'first_response' OR clock_kind = 'resolution'",
            name=op.f("ck_sla_alerts_clock_kind_allowed"),
        ),
        sa.CheckConstraint(
            "kind = 'warning' OR kind = 'breach' OR kind = 'escalation'",
            name=op.f("ck_sla_alerts_kind_allowed"),
        ),
        sa.ForeignKeyConstraint(
            ["clock_id"], ["ticket_clocks.id"], name=op.f("fk_sla_alerts_clock_id_ticket_clocks")
        ),
        sa.ForeignKeyConstraint(
            ["policy_id"], ["sla_policies.id"], name=op.f("fk_sla_alerts_policy_id_sla_policies")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_sla_alerts_ticket_id_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["tier_id"], ["tiers.id"], name=op.f("fk_sla_alerts_tier_id_tiers")
        ),
        sa.ForeignKeyConstraint(
            ["to_tier_id"], ["tiers.id"], name=op.f("fk_sla_alerts_to_tier_id_tiers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_alerts")),
    )
    with op.batch_alter_table("sla_alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sla_alerts_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index(
            "ix_sla_alerts_unmailed",
            ["id"],
            unique=False,
            postgresql_where=sa.text("mailed_at IS NULL"),
            sqlite_where=sa.text("mailed_at IS NULL"),
        )

    with op.batch_alter_table("ticket_clocks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_ticket_clocks_kind_allowed"), type_="check")
        batch_op.create_check_constraint(op.f("ck_ticket_clocks_kind_allowed"), ALL_CLOCK_KINDS)
        batch_op.create_index(
            "ix_ticket_clocks_pending_warning",
            ["warn_at"],
            unique=False,
            postgresql_where=sa.text("warn_at IS NOT NULL AND stopped_at IS NULL"),
            sqlite_where=sa.text("warn_at IS NOT NULL AND stopped_at IS NULL"),
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("email")

    with op.batch_alter_table("ticket_clocks", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_ticket_clocks_kind_allowed"), type_="check")
        batch_op.create_check_constraint(op.f("ck_ticket_clocks_kind_allowed"), FIRST_CLOCK_KINDS)
        batch_op.drop_index(
            "ix_ticket_clocks_pending_warning",
            postgresql_where=sa.text("warn_at IS NOT NULL AND stopped_at IS NULL"),
            sqlite_where=sa.text("warn_at IS NOT NULL AND stopped_at IS NULL"),
        )

    with op.batch_alter_table("sla_alerts", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_sla_alerts_unmailed",
            postgresql_where=sa.text("mailed_at IS NULL"),
            sqlite_where=sa.text("mailed_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_sla_alerts_ticket_id"))

    op.drop_table("sla_alerts")
