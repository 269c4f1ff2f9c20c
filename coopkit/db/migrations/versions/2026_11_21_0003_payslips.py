"""payslips: stored, final payslips (triggers refuse UPDATE and DELETE)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 22:52:41.577251
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# A payslip is final once issued: the database refuses to change or delete one,
# whatever the client (coopkit's ORM refuses it first, with a clearer message).
REFUSAL = "payslips are final once issued: issue a correction instead"


def upgrade() -> None:
    op.create_table(
        "payslips",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross_pay", sa.JSON(), nullable=False),
        sa.Column("hours", coopkit.db.types.Rate(), nullable=True),
        sa.Column("contract", sa.String(length=40), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("accident_rate", coopkit.db.types.Rate(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("tax_rate", coopkit.db.types.Rate(), nullable=True),
        sa.Column("ceiling", coopkit.db.types.Amount(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("gross", coopkit.db.types.Amount(), nullable=False),
        sa.Column("employee_contributions", coopkit.db.types.Amount(), nullable=False),
        sa.Column("net_before_income_tax", coopkit.db.types.Amount(), nullable=False),
        sa.Column("taxable", coopkit.db.types.Amount(), nullable=False),
        sa.Column("income_tax_withheld", coopkit.db.types.Amount(), nullable=False),
        sa.Column("net_pay", coopkit.db.types.Amount(), nullable=False),
        sa.Column("employer_contributions", coopkit.db.types.Amount(), nullable=False),
        sa.Column("employer_cost", coopkit.db.types.Amount(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Uuid(), nullable=False),
        sa.Column("corrects_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["users.id"],
            name=op.f("fk_payslips_issued_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "corrects_id"],
            ["payslips.tenant_id", "payslips.id"],
            name=op.f("fk_payslips_tenant_id_corrects_id_payslips"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_payslips_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_payslips_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_payslips")),
        sa.UniqueConstraint(
            "tenant_id", "corrects_id", name=op.f("uq_payslips_tenant_id_corrects_id")
        ),
    )
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.create_index(
            "ix_payslips_one_original_per_member_and_month",
            ["tenant_id", "user_id", "month"],
            unique=True,
            sqlite_where=sa.text("corrects_id IS NULL"),
            postgresql_where=sa.text("corrects_id IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_payslips_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payslips_user_id"), ["user_id"], unique=False)

    create_append_only_triggers(op.get_bind(), "payslips", REFUSAL)


def downgrade() -> None:
    drop_append_only_triggers(op.get_bind(), "payslips")
    with op.batch_alter_table("payslips", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payslips_user_id"))
        batch_op.drop_index(batch_op.f("ix_payslips_tenant_id"))
        batch_op.drop_index(
            "ix_payslips_one_original_per_member_and_month",
            sqlite_where=sa.text("corrects_id IS NULL"),
            postgresql_where=sa.text("corrects_id IS NULL"),
        )

    op.drop_table("payslips")
