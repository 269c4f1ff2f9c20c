"""governance law: the statutes' voting rules, voting colleges and members' colleges

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 03:19:43.723908
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

APPEND_ONLY = ("statutes", "voting_colleges", "college_assignments")


def upgrade() -> None:
    op.create_table(
        "college_assignments",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("college", sa.String(length=20), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_college_assignments_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_college_assignments_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_college_assignments")),
    )
    with op.batch_alter_table("college_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_college_assignments_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_college_assignments_user", ["tenant_id", "user_id", "effective_on"], unique=False
        )

    op.create_table(
        "statutes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=True),
        sa.Column("ordinary_quorum", coopkit.db.types.Rate(), nullable=True),
        sa.Column(
            "ordinary_majority",
            sa.Enum(
                "simple",
                "absolute",
                "two_thirds",
                "three_quarters",
                name="majority",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("ordinary_second_call_quorum", coopkit.db.types.Rate(), nullable=True),
        sa.Column(
            "ordinary_second_call_majority",
            sa.Enum(
                "simple",
                "absolute",
                "two_thirds",
                "three_quarters",
                name="majority",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("extraordinary_quorum", coopkit.db.types.Rate(), nullable=True),
        sa.Column(
            "extraordinary_majority",
            sa.Enum(
                "simple",
                "absolute",
                "two_thirds",
                "three_quarters",
                name="majority",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("extraordinary_second_call_quorum", coopkit.db.types.Rate(), nullable=True),
        sa.Column(
            "extraordinary_second_call_majority",
            sa.Enum(
                "simple",
                "absolute",
                "two_thirds",
                "three_quarters",
                name="majority",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("max_proxies", sa.Integer(), nullable=True),
        sa.Column("adopted_by", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "max_proxies IS NULL OR max_proxies >= 0", name=op.f("ck_statutes_proxies_not_negative")
        ),
        sa.CheckConstraint(
            "notice_days IS NULL OR notice_days >= 0", name=op.f("ck_statutes_notice_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_statutes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_statutes")),
    )
    with op.batch_alter_table("statutes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statutes_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_statutes_valid_from", ["tenant_id", "valid_from"], unique=False)

    op.create_table(
        "voting_colleges",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("weight", coopkit.db.types.Rate(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("weight > 0", name=op.f("ck_voting_colleges_weight_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_voting_colleges_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_voting_colleges")),
    )
    with op.batch_alter_table("voting_colleges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_voting_colleges_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            "ix_voting_colleges_valid_from", ["tenant_id", "valid_from"], unique=False
        )

    connection = op.get_bind()
    for table in APPEND_ONLY:
        create_append_only_triggers(connection, table)


def downgrade() -> None:
    connection = op.get_bind()
    for table in APPEND_ONLY:
        drop_append_only_triggers(connection, table)
    with op.batch_alter_table("voting_colleges", schema=None) as batch_op:
        batch_op.drop_index("ix_voting_colleges_valid_from")
        batch_op.drop_index(batch_op.f("ix_voting_colleges_tenant_id"))

    op.drop_table("voting_colleges")
    with op.batch_alter_table("statutes", schema=None) as batch_op:
        batch_op.drop_index("ix_statutes_valid_from")
        batch_op.drop_index(batch_op.f("ix_statutes_tenant_id"))

    op.drop_table("statutes")
    with op.batch_alter_table("college_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_college_assignments_user")
        batch_op.drop_index(batch_op.f("ix_college_assignments_tenant_id"))

    op.drop_table("college_assignments")
