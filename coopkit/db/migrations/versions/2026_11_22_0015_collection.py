"""collection: dunning policies and steps (append-only), the e-mail outbox

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-22 02:44:39.543749
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dunning_policies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("reminder_days", sa.Integer(), nullable=False),
        sa.Column("second_reminder_days", sa.Integer(), nullable=False),
        sa.Column("formal_notice_days", sa.Integer(), nullable=False),
        sa.Column("final_days", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reminder_days < second_reminder_days AND second_reminder_days < formal_notice_days "
            "AND formal_notice_days < final_days",
            name=op.f("ck_dunning_policies_steps_in_order"),
        ),
        sa.CheckConstraint(
            "reminder_days >= 1", name=op.f("ck_dunning_policies_reminder_after_due_date")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_dunning_policies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_dunning_policies")),
    )
    with op.batch_alter_table("dunning_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dunning_policies_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_dunning_policies_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    op.create_table(
        "outbox_messages",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("reply_to", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("queued", "sent", "failed", name="outboxstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)",
            name=op.f("ck_outbox_messages_sent_exactly_when_sent"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_outbox_messages_attempts_not_negative")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_outbox_messages_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_messages_waiting", ["tenant_id", "status", "created_at"], unique=False
        )

    op.create_table(
        "outbox_attachments",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "message_id"],
            ["outbox_messages.tenant_id", "outbox_messages.id"],
            name=op.f("fk_outbox_attachments_tenant_id_message_id_outbox_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_outbox_attachments_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_outbox_attachments")),
        sa.UniqueConstraint(
            "tenant_id",
            "message_id",
            "position",
            name=op.f("uq_outbox_attachments_tenant_id_message_id_position"),
        ),
    )
    with op.batch_alter_table("outbox_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attachments_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "dunning_steps",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("invoice_id", sa.Uuid(), nullable=False),
        sa.Column(
            "step",
            sa.Enum(
                "reminder",
                "second_reminder",
                "formal_notice",
                "final",
                name="dunningstepkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("days_late", sa.Integer(), nullable=False),
        sa.Column("amount_due", coopkit.db.types.Amount(), nullable=False),
        sa.Column("interest", coopkit.db.types.Amount(), nullable=False),
        sa.Column("compensation", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("letter_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("outbox_message_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "invoice_id"],
            ["invoices.tenant_id", "invoices.id"],
            name=op.f("fk_dunning_steps_tenant_id_invoice_id_invoices"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_dunning_steps_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_dunning_steps")),
        sa.UniqueConstraint(
            "tenant_id",
            "invoice_id",
            "step",
            name=op.f("uq_dunning_steps_tenant_id_invoice_id_step"),
        ),
    )
    with op.batch_alter_table("dunning_steps", schema=None) as batch_op:
        batch_op.create_index("ix_dunning_steps_day", ["tenant_id", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_dunning_steps_tenant_id"), ["tenant_id"], unique=False)

    connection = op.get_bind()
    create_append_only_triggers(connection, "dunning_policies")
    create_append_only_triggers(connection, "dunning_steps")


def downgrade() -> None:
    connection = op.get_bind()
    drop_append_only_triggers(connection, "dunning_steps")
    drop_append_only_triggers(connection, "dunning_policies")
    with op.batch_alter_table("dunning_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dunning_steps_tenant_id"))
        batch_op.drop_index("ix_dunning_steps_day")

    op.drop_table("dunning_steps")
    with op.batch_alter_table("outbox_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attachments_tenant_id"))

    op.drop_table("outbox_attachments")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_waiting")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_tenant_id"))

    op.drop_table("outbox_messages")
    with op.batch_alter_table("dunning_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_dunning_policies_valid_from")
        batch_op.drop_index(batch_op.f("ix_dunning_policies_tenant_id"))

    op.drop_table("dunning_policies")
