"""decisions: surplus distributions, data use

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 03:13:17.859994
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_use_policies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_data_use_policies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_data_use_policies")),
    )
    with op.batch_alter_table("data_use_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_use_policies_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_data_use_policies_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    op.create_table(
        "member_consents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "directory",
                "statistics",
                "partner_sharing",
                name="purpose",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_member_consents_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_consents_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_member_consents")),
    )
    with op.batch_alter_table("member_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_consents_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_member_consents_user", ["tenant_id", "user_id", "purpose"], unique=False
        )

    op.create_table(
        "surplus_distributions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resolution_id", sa.Uuid(), nullable=False),
        sa.Column("financial_year_end", sa.Date(), nullable=False),
        sa.Column("surplus", coopkit.db.types.Amount(), nullable=False),
        sa.Column("legal_reserve", coopkit.db.types.Amount(), nullable=False),
        sa.Column("other_reserves", coopkit.db.types.Amount(), nullable=False),
        sa.Column("ristourne", coopkit.db.types.Amount(), nullable=False),
        sa.Column("workers_share", coopkit.db.types.Amount(), nullable=False),
        sa.Column("dividends", coopkit.db.types.Amount(), nullable=False),
        sa.Column("carried_forward", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("adopted_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("journal_entry_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "legal_reserve + other_reserves + ristourne + workers_share + dividends "
            "+ carried_forward = surplus",
            name=op.f("ck_surplus_distributions_parts_add_up"),
        ),
        sa.CheckConstraint(
            "legal_reserve >= 0 AND other_reserves >= 0 AND ristourne >= 0 "
            "AND workers_share >= 0 AND dividends >= 0 AND carried_forward >= 0",
            name=op.f("ck_surplus_distributions_parts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "journal_entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_surplus_distributions_tenant_id_journal_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_surplus_distributions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_surplus_distributions")),
        sa.UniqueConstraint(
            "tenant_id",
            "financial_year_end",
            name=op.f("uq_surplus_distributions_tenant_id_financial_year_end"),
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "resolution_id",
            name=op.f("uq_surplus_distributions_tenant_id_resolution_id"),
        ),
    )
    with op.batch_alter_table("surplus_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_surplus_distributions_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "surplus_allocations",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("distribution_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("turnover", coopkit.db.types.Amount(), nullable=False),
        sa.Column("capital", coopkit.db.types.Amount(), nullable=False),
        sa.Column("ristourne", coopkit.db.types.Amount(), nullable=False),
        sa.Column("dividend", coopkit.db.types.Amount(), nullable=False),
        sa.CheckConstraint(
            "ristourne >= 0 AND dividend >= 0",
            name=op.f("ck_surplus_allocations_parts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "distribution_id"],
            ["surplus_distributions.tenant_id", "surplus_distributions.id"],
            name=op.f("fk_surplus_allocations_tenant_id_distribution_id_surplus_distributions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_surplus_allocations_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_surplus_allocations_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_surplus_allocations")),
        sa.UniqueConstraint(
            "tenant_id",
            "distribution_id",
            "user_id",
            name=op.f("uq_surplus_allocations_tenant_id_distribution_id_user_id"),
        ),
    )
    with op.batch_alter_table("surplus_allocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_surplus_allocations_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index("ix_surplus_allocations_user", ["tenant_id", "user_id"], unique=False)

    connection = op.get_bind()
    create_append_only_triggers(connection, "data_use_policies")
    create_append_only_triggers(connection, "member_consents")
    create_append_only_triggers(connection, "surplus_distributions")
    create_append_only_triggers(connection, "surplus_allocations")


def downgrade() -> None:
    connection = op.get_bind()
    drop_append_only_triggers(connection, "surplus_allocations")
    drop_append_only_triggers(connection, "surplus_distributions")
    drop_append_only_triggers(connection, "member_consents")
    drop_append_only_triggers(connection, "data_use_policies")
    with op.batch_alter_table("surplus_allocations", schema=None) as batch_op:
        batch_op.drop_index("ix_surplus_allocations_user")
        batch_op.drop_index(batch_op.f("ix_surplus_allocations_tenant_id"))

    op.drop_table("surplus_allocations")
    with op.batch_alter_table("surplus_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_surplus_distributions_tenant_id"))

    op.drop_table("surplus_distributions")
    with op.batch_alter_table("member_consents", schema=None) as batch_op:
        batch_op.drop_index("ix_member_consents_user")
        batch_op.drop_index(batch_op.f("ix_member_consents_tenant_id"))

    op.drop_table("member_consents")
    with op.batch_alter_table("data_use_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_data_use_policies_valid_from")
        batch_op.drop_index(batch_op.f("ix_data_use_policies_tenant_id"))

    op.drop_table("data_use_policies")
