"""share operations: applications, subscriptions, transfers, redemptions, policies

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 03:13:45.357369
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_policies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("statutory_minimum", coopkit.db.types.Amount(), nullable=False),
        sa.Column("year_start_month", sa.Integer(), nullable=False),
        sa.Column("redemption_window_months", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "redemption_window_months IS NULL OR redemption_window_months BETWEEN 1 AND 12",
            name=op.f("ck_share_policies_window_within_a_year"),
        ),
        sa.CheckConstraint(
            "statutory_minimum >= 0", name=op.f("ck_share_policies_minimum_not_negative")
        ),
        sa.CheckConstraint(
            "year_start_month BETWEEN 1 AND 12", name=op.f("ck_share_policies_month_of_the_year")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_policies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_policies")),
    )
    with op.batch_alter_table("share_policies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_policies_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_share_policies_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    op.create_table(
        "membership_applications",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("share_class_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "admitted",
                "refused",
                name="applicationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("subscription_id", sa.Uuid(), nullable=True),
        sa.CheckConstraint(
            "status <> 'refused' OR refusal_reason IS NOT NULL",
            name=op.f("ck_membership_applications_refusal_has_reason"),
        ),
        sa.CheckConstraint(
            "quantity > 0", name=op.f("ck_membership_applications_quantity_positive")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "share_class_id"],
            ["share_classes.tenant_id", "share_classes.id"],
            name=op.f("fk_membership_applications_tenant_id_share_class_id_share_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_membership_applications_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_membership_applications_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_membership_applications")),
    )
    with op.batch_alter_table("membership_applications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_membership_applications_queue",
            ["tenant_id", "status", "submitted_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_membership_applications_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "share_redemptions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("share_class_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_share_redemptions_amount_positive")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_share_redemptions_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_share_redemptions_tenant_id_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "share_class_id"],
            ["share_classes.tenant_id", "share_classes.id"],
            name=op.f("fk_share_redemptions_tenant_id_share_class_id_share_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_redemptions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_share_redemptions_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_redemptions")),
    )
    with op.batch_alter_table("share_redemptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_redemptions_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "share_subscriptions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("share_class_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "paid",
                "cancelled",
                name="subscriptionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("payment_reference", sa.String(length=200), nullable=False),
        sa.Column("entry_id", sa.Uuid(), nullable=True),
        sa.Column("register_line", sa.Integer(), nullable=True),
        sa.Column("cancelled_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status <> 'paid' OR (paid_on IS NOT NULL AND entry_id IS NOT NULL)",
            name=op.f("ck_share_subscriptions_payment_has_entry"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_share_subscriptions_amount_positive")),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_share_subscriptions_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            name=op.f("fk_share_subscriptions_tenant_id_entry_id_journal_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "share_class_id"],
            ["share_classes.tenant_id", "share_classes.id"],
            name=op.f("fk_share_subscriptions_tenant_id_share_class_id_share_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_subscriptions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_share_subscriptions_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_subscriptions")),
    )
    with op.batch_alter_table("share_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_share_subscriptions_member", ["tenant_id", "user_id", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_subscriptions_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "share_transfers",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("seller_id", sa.Uuid(), nullable=False),
        sa.Column("buyer_id", sa.Uuid(), nullable=False),
        sa.Column("share_class_id", sa.Uuid(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_share_transfers_quantity_positive")),
        sa.CheckConstraint(
            "seller_id <> buyer_id", name=op.f("ck_share_transfers_between_two_people")
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"],
            ["users.id"],
            name=op.f("fk_share_transfers_buyer_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["users.id"],
            name=op.f("fk_share_transfers_seller_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "share_class_id"],
            ["share_classes.tenant_id", "share_classes.id"],
            name=op.f("fk_share_transfers_tenant_id_share_class_id_share_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_transfers_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_transfers")),
    )
    with op.batch_alter_table("share_transfers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_transfers_tenant_id"), ["tenant_id"], unique=False
        )

    connection = op.get_bind()
    create_append_only_triggers(connection, "share_transfers")
    create_append_only_triggers(connection, "share_redemptions")
    create_append_only_triggers(connection, "share_policies")


def downgrade() -> None:
    connection = op.get_bind()
    drop_append_only_triggers(connection, "share_transfers")
    drop_append_only_triggers(connection, "share_redemptions")
    drop_append_only_triggers(connection, "share_policies")
    with op.batch_alter_table("share_transfers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_transfers_tenant_id"))

    op.drop_table("share_transfers")
    with op.batch_alter_table("share_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_subscriptions_tenant_id"))
        batch_op.drop_index("ix_share_subscriptions_member")

    op.drop_table("share_subscriptions")
    with op.batch_alter_table("share_redemptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_redemptions_tenant_id"))

    op.drop_table("share_redemptions")
    with op.batch_alter_table("membership_applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_applications_tenant_id"))
        batch_op.drop_index("ix_membership_applications_queue")

    op.drop_table("membership_applications")
    with op.batch_alter_table("share_policies", schema=None) as batch_op:
        batch_op.drop_index("ix_share_policies_valid_from")
        batch_op.drop_index(batch_op.f("ix_share_policies_tenant_id"))

    op.drop_table("share_policies")
