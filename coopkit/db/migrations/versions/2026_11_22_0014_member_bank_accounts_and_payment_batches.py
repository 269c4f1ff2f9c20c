"""member bank accounts and payment batches

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22 02:44:23.230905
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_bank_accounts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=False),
        sa.Column("holder", sa.String(length=70), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_member_bank_accounts_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_bank_accounts_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_member_bank_accounts")),
    )
    with op.batch_alter_table("member_bank_accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_member_bank_accounts_latest", ["tenant_id", "user_id", "valid_from"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_bank_accounts_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_bank_accounts_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "payment_batches",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("execution_date", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_by", sa.Uuid(), nullable=True),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=35), nullable=True),
        sa.Column("file_xml", sa.LargeBinary(), nullable=True),
        sa.Column("file_sha256", sa.String(length=64), nullable=True),
        sa.Column("entry_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payment_batches_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_payment_batches")),
    )
    with op.batch_alter_table("payment_batches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_batches_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "uq_payment_batches_open_date",
            ["tenant_id", "execution_date"],
            unique=True,
            sqlite_where=sa.text("exported_at IS NULL"),
            postgresql_where=sa.text("exported_at IS NULL"),
        )

    op.create_table(
        "payment_batch_items",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("batch_id", sa.Uuid(), nullable=False),
        sa.Column("payout_id", sa.Uuid(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("end_to_end_id", sa.String(length=35), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("holder", sa.String(length=70), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payment_batch_items_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "batch_id"],
            ["payment_batches.tenant_id", "payment_batches.id"],
            name=op.f("fk_payment_batch_items_tenant_id_batch_id_payment_batches"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "payout_id"],
            ["payouts.tenant_id", "payouts.id"],
            name=op.f("fk_payment_batch_items_tenant_id_payout_id_payouts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_payment_batch_items")),
        sa.UniqueConstraint(
            "tenant_id", "payout_id", name=op.f("uq_payment_batch_items_tenant_id_payout_id")
        ),
    )
    with op.batch_alter_table("payment_batch_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_payment_batch_items_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_payment_batch_items_tenant_id"), ["tenant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("payment_batches", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_payment_batches_open_date",
            sqlite_where=sa.text("exported_at IS NULL"),
            postgresql_where=sa.text("exported_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_payment_batches_tenant_id"))

    op.drop_table("payment_batches")
    with op.batch_alter_table("payment_batch_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_batch_items_tenant_id"))
        batch_op.drop_index(batch_op.f("ix_payment_batch_items_batch_id"))

    op.drop_table("payment_batch_items")
    with op.batch_alter_table("member_bank_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_member_bank_accounts_user_id"))
        batch_op.drop_index(batch_op.f("ix_member_bank_accounts_tenant_id"))
        batch_op.drop_index("ix_member_bank_accounts_latest")

    op.drop_table("member_bank_accounts")
