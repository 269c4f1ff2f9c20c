"""running balances, entry sequence, company id

- ``account_balances``: each account's running total per currency, kept by the
  posting code in the same transaction as the lines; filled here from the
  lines already posted.
- ``journal_entries.sequence``: the posting order (exports number entries
  from it). Existing entries are numbered by ``posted_at`` then id, per tenant;
  on PostgreSQL new numbers come from the sequence ``journal_entry_sequence``.
  The column is added with ``NOT NULL DEFAULT 0`` because SQLite cannot add a
  NOT NULL column otherwise without copying the table (which journal_lines
  points at); PostgreSQL drops the default afterwards.
- ``tenants.company_id``: the cooperative's registration number (SIREN…).

The append-only triggers of journal_entries are dropped while its rows are
numbered and created again; on PostgreSQL row-level security is lifted from
the owner for the same time (coopkit.db.migrate forces it again afterwards).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 00:24:56.221455
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

NUMBER_EXISTING = """
UPDATE journal_entries SET sequence = (
    SELECT numbered.n FROM (
        SELECT tenant_id, id,
               row_number() OVER (PARTITION BY tenant_id ORDER BY posted_at, id) AS n
        FROM journal_entries
    ) AS numbered
    WHERE numbered.tenant_id = journal_entries.tenant_id AND numbered.id = journal_entries.id
)
"""

FILL_BALANCES = """
INSERT INTO account_balances (tenant_id, id, account_id, currency, balance, line_count)
SELECT tenant_id, {new_id}, account_id, currency, SUM(amount), COUNT(*)
FROM journal_lines GROUP BY tenant_id, account_id, currency
"""

NEW_ID = {"postgresql": "gen_random_uuid()", "sqlite": "lower(hex(randomblob(16)))"}
LIFT_RLS = ("journal_entries", "journal_lines")


def upgrade() -> None:
    connection = op.get_bind()
    postgres = connection.dialect.name == "postgresql"
    op.create_table(
        "account_balances",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", coopkit.db.types.Amount(), nullable=False),
        sa.Column("line_count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            name=op.f("fk_account_balances_tenant_id_account_id_ledger_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_account_balances_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_account_balances")),
        sa.UniqueConstraint(
            "tenant_id",
            "account_id",
            "currency",
            name=op.f("uq_account_balances_tenant_id_account_id_currency"),
        ),
    )
    op.create_index(op.f("ix_account_balances_tenant_id"), "account_balances", ["tenant_id"])
    op.add_column("tenants", sa.Column("company_id", sa.String(length=40), nullable=True))
    op.add_column(
        "journal_entries",
        sa.Column("sequence", sa.BigInteger(), nullable=False, server_default="0"),
    )
    if postgres:
        for table in LIFT_RLS:
            op.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
    drop_append_only_triggers(connection, "journal_entries")
    op.execute(NUMBER_EXISTING)
    create_append_only_triggers(connection, "journal_entries")
    op.execute(FILL_BALANCES.format(new_id=NEW_ID[connection.dialect.name]))
    op.create_index(
        "ix_journal_entries_sequence", "journal_entries", ["tenant_id", "sequence"], unique=True
    )
    if postgres:
        op.alter_column("journal_entries", "sequence", server_default=None)
        op.execute("CREATE SEQUENCE journal_entry_sequence AS bigint")
        op.execute(
            "SELECT setval('journal_entry_sequence', "
            "(SELECT COALESCE(MAX(sequence), 0) + 1 FROM journal_entries), false)"
        )


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS journal_entry_sequence")
    op.drop_index("ix_journal_entries_sequence", table_name="journal_entries")
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_column("sequence")
    create_append_only_triggers(connection, "journal_entries")
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("company_id")
    op.drop_index(op.f("ix_account_balances_tenant_id"), table_name="account_balances")
    op.drop_table("account_balances")
