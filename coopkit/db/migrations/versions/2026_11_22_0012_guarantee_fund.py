"""guarantee fund: policies, advances, repayments, write-offs

Policies, repayments and write-offs are append-only (database triggers, as
for fee_policies); advances are plain rows, unique per invoice.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 02:44:45.653623
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

FINAL = ("guarantee_policies", "guarantee_repayments", "invoice_write_offs")

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "guarantee_policies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("floor", coopkit.db.types.Amount(), nullable=False),
        sa.Column("member_limit", coopkit.db.types.Amount(), nullable=True),
        sa.Column("client_limit", coopkit.db.types.Amount(), nullable=True),
        sa.Column("overall_limit", coopkit.db.types.Amount(), nullable=True),
        sa.Column("eligible_countries", sa.JSON(), nullable=True),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(member_limit IS NULL OR member_limit >= 0) AND "
            "(client_limit IS NULL OR client_limit >= 0) AND "
            "(overall_limit IS NULL OR overall_limit >= 0)",
            name=op.f("ck_guarantee_policies_limits_not_negative"),
        ),
        sa.CheckConstraint("floor >= 0", name=op.f("ck_guarantee_policies_floor_not_negative")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_policies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantee_policies")),
    )
    with op.batch_alter_table("guarantee_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_guarantee_policies_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_guarantee_policies_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    op.create_table(
        "guarantee_advances",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("salary_request_id", sa.Uuid(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_guarantee_advances_amount_positive")),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["users.id"],
            name=op.f("fk_guarantee_advances_member_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_guarantee_advances_tenant_id_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "client_id"],
            ["clients.tenant_id", "clients.id"],
            name=op.f("fk_guarantee_advances_tenant_id_client_id_clients"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_guarantee_advances_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_advances_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantee_advances")),
        sa.UniqueConstraint(
            "tenant_id", "invoice_id", name=op.f("uq_guarantee_advances_tenant_id_invoice_id")
        ),
    )
    with op.batch_alter_table("guarantee_advances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_guarantee_advances_client", ["tenant_id", "client_id"], unique=False
        )
        batch_op.create_index(
            "ix_guarantee_advances_member", ["tenant_id", "member_id"], unique=False
        )
        batch_op.create_index(
            "ix_guarantee_advances_request", ["tenant_id", "salary_request_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_guarantee_advances_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "invoice_write_offs",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("due_written_off", coopkit.db.types.Amount(), nullable=False),
        sa.Column("vat_written_off", coopkit.db.types.Amount(), nullable=False),
        sa.Column("advance_absorbed", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("absorb_entry_id", sa.Uuid(), nullable=True),
        sa.Column("written_off_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "advance_absorbed >= 0", name=op.f("ck_invoice_write_offs_absorbed_not_negative")
        ),
        sa.CheckConstraint("due_written_off > 0", name=op.f("ck_invoice_write_offs_due_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_invoice_write_offs_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_invoice_write_offs_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["written_off_by"],
            ["users.id"],
            name=op.f("fk_invoice_write_offs_written_off_by_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_invoice_write_offs")),
        sa.UniqueConstraint(
            "tenant_id", "invoice_id", name=op.f("uq_invoice_write_offs_tenant_id_invoice_id")
        ),
    )
    with op.batch_alter_table("invoice_write_offs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_write_offs_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "guarantee_repayments",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("advance_id", sa.Uuid(), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.Column("absorbed", coopkit.db.types.Amount(), nullable=False),
        sa.Column("absorb_entry_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount + absorbed > 0", name=op.f("ck_guarantee_repayments_moves_something")
        ),
        sa.CheckConstraint(
            "amount >= 0 AND absorbed >= 0",
            name=op.f("ck_guarantee_repayments_amounts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "advance_id"],
            ["guarantee_advances.tenant_id", "guarantee_advances.id"],
            name=op.f("fk_guarantee_repayments_tenant_id_advance_id_guarantee_advances"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "payment_id"],
            ["payments.tenant_id", "payments.id"],
            name=op.f("fk_guarantee_repayments_tenant_id_payment_id_payments"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_guarantee_repayments_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_guarantee_repayments")),
        sa.UniqueConstraint(
            "tenant_id", "payment_id", name=op.f("uq_guarantee_repayments_tenant_id_payment_id")
        ),
    )
    with op.batch_alter_table("guarantee_repayments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_guarantee_repayments_advance", ["tenant_id", "advance_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_guarantee_repayments_tenant_id"), ["tenant_id"], unique=False
        )

    for table in FINAL:
        create_append_only_triggers(op.get_bind(), table)


def downgrade() -> None:
    for table in FINAL:
        drop_append_only_triggers(op.get_bind(), table)
    with op.batch_alter_table("guarantee_repayments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guarantee_repayments_tenant_id"))
        batch_op.drop_index("ix_guarantee_repayments_advance")

    op.drop_table("guarantee_repayments")
    with op.batch_alter_table("invoice_write_offs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_write_offs_tenant_id"))

    op.drop_table("invoice_write_offs")
    with op.batch_alter_table("guarantee_advances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_guarantee_advances_tenant_id"))
        batch_op.drop_index("ix_guarantee_advances_request")
        batch_op.drop_index("ix_guarantee_advances_member")
        batch_op.drop_index("ix_guarantee_advances_client")

    op.drop_table("guarantee_advances")
    with op.batch_alter_table("guarantee_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_guarantee_policies_valid_from")
        batch_op.drop_index(batch_op.f("ix_guarantee_policies_tenant_id"))

    op.drop_table("guarantee_policies")
