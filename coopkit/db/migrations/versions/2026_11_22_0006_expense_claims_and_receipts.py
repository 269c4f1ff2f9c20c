"""expense claims and receipts

A member's expense claims (status submitted, approved or rejected, the journal
entry an approval posted) and their receipt files, kept in the database. The
ledger role expense_claims_payable needs no schema change: `coopkit ledger
open-books --tenant SLUG` gives an existing cooperative its account.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 00:26:34.224772
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "expense_claims",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_by_id", sa.Uuid(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("vat_source", sa.String(length=1000), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("net", coopkit.db.types.Amount(), nullable=False),
        sa.Column("vat_rate_code", sa.String(length=40), nullable=True),
        sa.Column("vat_rate", coopkit.db.types.Rate(), nullable=True),
        sa.Column("vat", coopkit.db.types.Amount(), nullable=False),
        sa.Column("recoverable_vat", coopkit.db.types.Amount(), nullable=False),
        sa.Column("gross", coopkit.db.types.Amount(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "approved",
                "rejected",
                name="expensestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("held_reason", sa.String(length=1000), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.String(length=1000), nullable=True),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "status <> 'approved' OR entry_id IS NOT NULL",
            name=op.f("ck_expense_claims_approval_has_entry"),
        ),
        sa.CheckConstraint(
            "status <> 'rejected' OR rejection_reason IS NOT NULL",
            name=op.f("ck_expense_claims_rejection_has_reason"),
        ),
        sa.CheckConstraint(
            "gross = net + vat", name=op.f("ck_expense_claims_gross_is_net_plus_vat")
        ),
        sa.CheckConstraint("net > 0", name=op.f("ck_expense_claims_net_positive")),
        sa.CheckConstraint(
            "recoverable_vat >= 0 AND recoverable_vat <= vat",
            name=op.f("ck_expense_claims_recoverable_within_vat"),
        ),
        sa.CheckConstraint("vat >= 0", name=op.f("ck_expense_claims_vat_not_negative")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_expense_claims_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_expense_claims_submitted_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_expense_claims_tenant_id_activity_id_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_expense_claims_tenant_id_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_expense_claims_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_expense_claims")),
    )
    with op.batch_alter_table("expense_claims", schema=None) as batch_op:
        batch_op.create_index(
            "ix_expense_claims_activity", ["tenant_id", "activity_id"], unique=False
        )
        batch_op.create_index(
            "ix_expense_claims_queue", ["tenant_id", "status", "submitted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_expense_claims_submitted_by_id"), ["submitted_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_expense_claims_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "expense_receipts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("claim_id", sa.Uuid(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size > 0", name=op.f("ck_expense_receipts_size_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "claim_id"],
            ["expense_claims.tenant_id", "expense_claims.id"],
            name=op.f("fk_expense_receipts_tenant_id_claim_id_expense_claims"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_expense_receipts_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_expense_receipts")),
    )
    with op.batch_alter_table("expense_receipts", schema=None) as batch_op:
        batch_op.create_index("ix_expense_receipts_claim", ["tenant_id", "claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_expense_receipts_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("expense_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expense_receipts_tenant_id"))
        batch_op.drop_index("ix_expense_receipts_claim")

    op.drop_table("expense_receipts")
    with op.batch_alter_table("expense_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expense_claims_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_expense_claims_submitted_by_id"))
        batch_op.drop_index("ix_expense_claims_queue")
        batch_op.drop_index("ix_expense_claims_activity")

    op.drop_table("expense_claims")
