"""ledger: activities, accounts, journal entries and lines, fee policies, idempotency keys

Journal entries, their lines and fee policies are append-only: triggers refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL) on them, below the ORM's own
refusal (coopkit.db.append_only). SQLite's batch mode recreates a table to
alter it, which drops its triggers: a later migration that alters one of these
tables must create the triggers again (tests/test_ledger.py checks they work).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 23:21:05.120749
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "closed", name="activitystatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(code) >= 2", name=op.f("ck_activities_code_not_too_short")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_activities_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_activities")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_activities_tenant_id_code")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "fee_policies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("fee_rate", coopkit.db.types.Rate(), nullable=False),
        sa.Column("guarantee_rate", coopkit.db.types.Rate(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("fee_rate >= 0", name=op.f("ck_fee_policies_fee_rate_not_negative")),
        sa.CheckConstraint(
            "guarantee_rate >= 0", name=op.f("ck_fee_policies_guarantee_rate_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_fee_policies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_fee_policies")),
    )
    with op.batch_alter_table("fee_policies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_policies_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index(
            "ix_fee_policies_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    op.create_table(
        "idempotency_keys",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("operation", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_idempotency_keys_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("tenant_id", "key", name=op.f("uq_idempotency_keys_tenant_id_key")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_keys_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "journal_entries",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("posted_by", sa.Uuid(), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "reverses_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_journal_entries_tenant_id_reverses_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_journal_entries_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_journal_entries")),
        sa.UniqueConstraint(
            "tenant_id", "reverses_id", name=op.f("uq_journal_entries_tenant_id_reverses_id")
        ),
    )
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.create_index("ix_journal_entries_day", ["tenant_id", "day"], unique=False)
        batch_op.create_index(
            "ix_journal_entries_reference", ["tenant_id", "reference"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_journal_entries_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "activity_members",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("member", "manager", name="activityrole", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_activity_members_tenant_id_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_activity_members_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_activity_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_activity_members")),
        sa.UniqueConstraint(
            "tenant_id",
            "activity_id",
            "user_id",
            name=op.f("uq_activity_members_tenant_id_activity_id_user_id"),
        ),
    )
    with op.batch_alter_table("activity_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_members_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_activity_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "ledger_accounts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "type",
            sa.Enum(
                "asset",
                "liability",
                "equity",
                "income",
                "expense",
                name="accounttype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "role",
            sa.Enum(
                "bank",
                "share_capital",
                "client_receivables",
                "suppliers_payable",
                "vat_deductible",
                "vat_collected",
                "salaries_payable",
                "guarantee_fund",
                "activity_funds",
                "activity_reserved",
                "activity_budgets",
                "turnover",
                "fee_income",
                name="accountrole",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("may_be_negative", sa.Boolean(), nullable=False),
        sa.Column("per_activity", sa.Boolean(), nullable=False),
        sa.Column("activity_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            name=op.f("fk_ledger_accounts_tenant_id_activity_id_activities"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_ledger_accounts_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_ledger_accounts_tenant_id_number")
        ),
        sa.UniqueConstraint(
            "tenant_id",
            "role",
            "activity_id",
            name=op.f("uq_ledger_accounts_tenant_id_role_activity_id"),
        ),
    )
    with op.batch_alter_table("ledger_accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_ledger_accounts_activity", ["tenant_id", "activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_accounts_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "journal_lines",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_journal_lines_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            name=op.f("fk_journal_lines_tenant_id_account_id_ledger_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_journal_lines_tenant_id_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_journal_lines_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_journal_lines")),
    )
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_journal_lines_balance",
            ["tenant_id", "account_id", "currency", "amount"],
            unique=False,
        )
        batch_op.create_index("ix_journal_lines_entry", ["tenant_id", "entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_lines_tenant_id"), ["tenant_id"], unique=False)

    _create_append_only_triggers()


APPEND_ONLY = ("journal_entries", "journal_lines", "fee_policies")


def _create_append_only_triggers() -> None:
    for table in APPEND_ONLY:
        create_append_only_triggers(op.get_bind(), table)


def downgrade() -> None:
    with op.batch_alter_table("journal_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_lines_tenant_id"))
        batch_op.drop_index("ix_journal_lines_entry")
        batch_op.drop_index("ix_journal_lines_balance")

    op.drop_table("journal_lines")
    with op.batch_alter_table("ledger_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_accounts_tenant_id"))
        batch_op.drop_index("ix_ledger_accounts_activity")

    op.drop_table("ledger_accounts")
    with op.batch_alter_table("activity_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_members_user_id"))
        batch_op.drop_index(batch_op.f("ix_activity_members_tenant_id"))

    op.drop_table("activity_members")
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entries_tenant_id"))
        batch_op.drop_index("ix_journal_entries_reference")
        batch_op.drop_index("ix_journal_entries_day")

    op.drop_table("journal_entries")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_keys_tenant_id"))

    op.drop_table("idempotency_keys")
    with op.batch_alter_table("fee_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_policies_valid_from")
        batch_op.drop_index(batch_op.f("ix_fee_policies_tenant_id"))

    op.drop_table("fee_policies")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_tenant_id"))

    op.drop_table("activities")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS coopkit_refuse_change()")
