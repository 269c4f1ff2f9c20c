"""branding: the name, logo and colours of a cooperative's pages, dated and append-only

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-07 06:17:57.065234
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "brandings",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_media_type", sa.String(length=40), nullable=True),
        sa.Column("primary_colour", sa.String(length=7), nullable=False),
        sa.Column("accent_colour", sa.String(length=7), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(logo IS NULL) = (logo_media_type IS NULL)",
            name=op.f("ck_brandings_logo_has_media_type"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_brandings_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_brandings")),
    )
    with op.batch_alter_table("brandings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_brandings_tenant_id"), ["tenant_id"], unique=False)
        batch_op.create_index("ix_brandings_valid_from", ["tenant_id", "valid_from"], unique=False)

    create_append_only_triggers(op.get_bind(), "brandings")


def downgrade() -> None:
    drop_append_only_triggers(op.get_bind(), "brandings")
    with op.batch_alter_table("brandings", schema=None) as batch_op:
        batch_op.drop_index("ix_brandings_valid_from")
        batch_op.drop_index(batch_op.f("ix_brandings_tenant_id"))

    op.drop_table("brandings")
