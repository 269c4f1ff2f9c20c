"""salary requests and policies; payslips per salary request

A member may have several contracts (salary requests) in a month, each with its
payslip: the unique index of one original payslip per member and month now
applies only to payslips without a salary request. ``payslips`` is append-only
(triggers refuse UPDATE and DELETE): it is changed with ``op.add_column`` and
plain index statements, never in batch mode, which would copy the table into a
new one without its triggers.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 02:45:09.030085
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "salary_policies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("payment_days", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "payment_days >= 0", name=op.f("ck_salary_policies_payment_days_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_salary_policies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_salary_policies")),
    )
    with op.batch_alter_table("salary_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_salary_policies_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_salary_policies_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    create_append_only_triggers(op.get_bind(), "salary_policies")

    op.create_table(
        "salary_requests",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("days", coopkit.db.types.Rate(), nullable=True),
        sa.Column("hours", coopkit.db.types.Rate(), nullable=False),
        sa.Column(
            "asked",
            sa.Enum("gross", "budget", name="asked", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("asked_amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross", coopkit.db.types.Amount(), nullable=False),
        sa.Column("net_pay", coopkit.db.types.Amount(), nullable=False),
        sa.Column("income_tax_withheld", coopkit.db.types.Amount(), nullable=False),
        sa.Column("social_contributions", coopkit.db.types.Amount(), nullable=False),
        sa.Column("employer_cost", coopkit.db.types.Amount(), nullable=False),
        sa.Column("from_funds", coopkit.db.types.Amount(), nullable=False),
        sa.Column("from_advance", coopkit.db.types.Amount(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "approved",
                "rejected",
                "cancelled",
                name="salarystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=1000), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("payslip_id", sa.Uuid(), nullable=True),
        sa.Column("reservation_entry_id", sa.Uuid(), nullable=True),
        sa.Column("salary_entry_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status <> 'approved' OR (salary_entry_id IS NOT NULL AND payslip_id IS NOT NULL "
            "AND due_date IS NOT NULL)",
            name=op.f("ck_salary_requests_approval_is_booked"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('rejected', 'cancelled') OR reason IS NOT NULL",
            name=op.f("ck_salary_requests_closing_has_reason"),
        ),
        sa.CheckConstraint("asked_amount > 0", name=op.f("ck_salary_requests_asked_positive")),
        sa.CheckConstraint(
            "employer_cost = net_pay + income_tax_withheld + social_contributions",
            name=op.f("ck_salary_requests_cost_adds_up"),
        ),
        sa.CheckConstraint(
            "from_funds + from_advance = employer_cost",
            name=op.f("ck_salary_requests_coverage_is_cost"),
        ),
        sa.CheckConstraint(
            "from_funds >= 0 AND from_advance >= 0",
            name=op.f("ck_salary_requests_coverage_not_negative"),
        ),
        sa.CheckConstraint("hours > 0", name=op.f("ck_salary_requests_hours_positive")),
        sa.CheckConstraint(
            "period_start <= period_end", name=op.f("ck_salary_requests_period_in_order")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_salary_requests_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_salary_requests_decided_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_salary_requests_tenant_id_activity_id_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "payslip_id"],
            ["payslips.tenant_id", "payslips.id"],
            name=op.f("fk_salary_requests_tenant_id_payslip_id_payslips"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "reservation_entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_salary_requests_tenant_id_reservation_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "salary_entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_salary_requests_tenant_id_salary_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_salary_requests_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_salary_requests_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_salary_requests")),
    )
    with op.batch_alter_table("salary_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_salary_requests_member", ["tenant_id", "user_id", "period_start"], unique=False
        )
        batch_op.create_index(
            "ix_salary_requests_queue", ["tenant_id", "status", "due_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_salary_requests_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_salary_requests_user_id"), ["user_id"], unique=False)

    op.add_column("payslips", sa.Column("salary_request_id", sa.Uuid(), nullable=True))
    op.drop_index("ix_payslips_one_original_per_member_and_month", table_name="payslips")
    _one_original_per_month("corrects_id IS NULL AND salary_request_id IS NULL")
    op.create_index(
        "ix_payslips_one_per_salary_request",
        "payslips",
        ["tenant_id", "salary_request_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ix_payslips_one_per_salary_request", table_name="payslips")
    op.drop_index("ix_payslips_one_original_per_member_and_month", table_name="payslips")
    _one_original_per_month("corrects_id IS NULL")
    op.drop_column("payslips", "salary_request_id")

    with op.batch_alter_table("salary_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_salary_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_salary_requests_tenant_id"))
        batch_op.drop_index("ix_salary_requests_queue")
        batch_op.drop_index("ix_salary_requests_member")

    op.drop_table("salary_requests")
    with op.batch_alter_table("salary_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_salary_policies_valid_from")
        batch_op.drop_index(batch_op.f("ix_salary_policies_tenant_id"))

    drop_append_only_triggers(op.get_bind(), "salary_policies")
    op.drop_table("salary_policies")


def _one_original_per_month(where: str) -> None:
    op.create_index(
        "ix_payslips_one_original_per_member_and_month",
        "payslips",
        ["tenant_id", "user_id", "month"],
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )
