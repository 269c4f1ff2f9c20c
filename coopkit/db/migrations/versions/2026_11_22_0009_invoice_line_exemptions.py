"""Invoice lines keep their exemption's VATEX code and wording; a VAT number once per cooperative

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_clients_tenant_id_vat_number"), ["tenant_id", "vat_number"]
        )
    # Existing lines (none are issued yet) get empty values, then the default goes.
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("vat_exemption_code", sa.String(length=30), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("vat_exemption_reason", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.alter_column("vat_exemption_code", server_default=None)
        batch_op.alter_column("vat_exemption_reason", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("invoice_lines", schema=None) as batch_op:
        batch_op.drop_column("vat_exemption_reason")
        batch_op.drop_column("vat_exemption_code")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_clients_tenant_id_vat_number"), type_="unique")
