"""membership: status changes, share classes, share register

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 03:02:20.887108
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member_status_changes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applicant",
                "member",
                "refused",
                "resigned",
                "excluded",
                name="memberstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status NOT IN ('refused', 'excluded') OR reason IS NOT NULL",
            name=op.f("ck_member_status_changes_refusal_and_exclusion_have_a_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_member_status_changes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_member_status_changes_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_member_status_changes")),
    )
    with op.batch_alter_table("member_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_status_changes_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_member_status_changes_user", ["tenant_id", "user_id", "effective_on"], unique=False
        )

    op.create_table(
        "share_classes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nominal", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_holding", sa.Integer(), nullable=False),
        sa.Column("max_per_member", sa.Integer(), nullable=True),
        sa.Column("voting", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_per_member IS NULL OR max_per_member >= min_holding",
            name=op.f("ck_share_classes_max_not_below_min"),
        ),
        sa.CheckConstraint(
            "min_holding >= 0", name=op.f("ck_share_classes_min_holding_not_negative")
        ),
        sa.CheckConstraint("nominal > 0", name=op.f("ck_share_classes_nominal_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_classes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_classes")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_share_classes_tenant_id_code")),
    )
    with op.batch_alter_table("share_classes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_classes_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "share_register",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("share_class_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "subscription",
                "transfer_in",
                "transfer_out",
                "redemption",
                name="registerentrykind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", coopkit.db.types.Amount(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind IN ('subscription', 'transfer_in')) = (quantity > 0)",
            name=op.f("ck_share_register_sign_follows_kind"),
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_share_register_amount_not_negative")),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_share_register_quantity_not_zero")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "share_class_id"],
            ["share_classes.tenant_id", "share_classes.id"],
            name=op.f("fk_share_register_tenant_id_share_class_id_share_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_register_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_share_register_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_register")),
        sa.UniqueConstraint("tenant_id", "line", name=op.f("uq_share_register_tenant_id_line")),
    )
    with op.batch_alter_table("share_register", schema=None) as batch_op:
        batch_op.create_index(
            "ix_share_register_holder", ["tenant_id", "user_id", "effective_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_register_tenant_id"), ["tenant_id"], unique=False
        )

    connection = op.get_bind()
    create_append_only_triggers(connection, "member_status_changes")
    create_append_only_triggers(connection, "share_register")


def downgrade() -> None:
    connection = op.get_bind()
    drop_append_only_triggers(connection, "share_register")
    drop_append_only_triggers(connection, "member_status_changes")
    with op.batch_alter_table("share_register", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_register_tenant_id"))
        batch_op.drop_index("ix_share_register_holder")

    op.drop_table("share_register")
    with op.batch_alter_table("share_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_classes_tenant_id"))

    op.drop_table("share_classes")
    with op.batch_alter_table("member_status_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_member_status_changes_user")
        batch_op.drop_index(batch_op.f("ix_member_status_changes_tenant_id"))

    op.drop_table("member_status_changes")
