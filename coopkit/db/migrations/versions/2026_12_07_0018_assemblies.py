"""governance: assemblies, agenda, documents, resolutions, ballots, proxies, minutes

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 03:11:50.333878
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assemblies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("meeting_on", sa.Date(), nullable=False),
        sa.Column("meeting_time", sa.String(length=5), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("record_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "convened",
                "open",
                "closed",
                name="assemblystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("second_call", sa.Boolean(), nullable=False),
        sa.Column("first_call_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("convened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chain_head", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "kind IN ('ordinary', 'extraordinary')", name=op.f("ck_assemblies_kind_known")
        ),
        sa.CheckConstraint(
            "record_date <= meeting_on", name=op.f("ck_assemblies_record_date_before_meeting")
        ),
        sa.CheckConstraint(
            "second_call = (first_call_id IS NOT NULL)",
            name=op.f("ck_assemblies_second_call_has_first"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "first_call_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            name=op.f("fk_assemblies_tenant_id_first_call_id_assemblies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_assemblies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_assemblies")),
    )
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.create_index("ix_assemblies_meeting", ["tenant_id", "meeting_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_assemblies_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assembly_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            name=op.f("fk_agenda_items_tenant_id_assembly_id_assemblies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_agenda_items_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_agenda_items")),
        sa.UniqueConstraint(
            "tenant_id",
            "assembly_id",
            "position",
            name=op.f("uq_agenda_items_tenant_id_assembly_id_position"),
        ),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "assembly_minutes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assembly_id", sa.Uuid(), nullable=False),
        sa.Column("signed_by_name", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("chain_head", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            name=op.f("fk_assembly_minutes_tenant_id_assembly_id_assemblies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_assembly_minutes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_assembly_minutes")),
        sa.UniqueConstraint(
            "tenant_id", "assembly_id", name=op.f("uq_assembly_minutes_tenant_id_assembly_id")
        ),
    )
    with op.batch_alter_table("assembly_minutes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assembly_minutes_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "proxies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assembly_id", sa.Uuid(), nullable=False),
        sa.Column("principal_id", sa.Uuid(), nullable=False),
        sa.Column("holder_id", sa.Uuid(), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("principal_id <> holder_id", name=op.f("ck_proxies_not_to_oneself")),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["users.id"],
            name=op.f("fk_proxies_holder_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["users.id"],
            name=op.f("fk_proxies_principal_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            name=op.f("fk_proxies_tenant_id_assembly_id_assemblies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_proxies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_proxies")),
        sa.UniqueConstraint(
            "tenant_id",
            "assembly_id",
            "principal_id",
            name=op.f("uq_proxies_tenant_id_assembly_id_principal_id"),
        ),
    )
    with op.batch_alter_table("proxies", schema=None) as batch_op:
        batch_op.create_index(
            "ix_proxies_holder", ["tenant_id", "assembly_id", "holder_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_proxies_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "resolutions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assembly_id", sa.Uuid(), nullable=True),
        sa.Column("agenda_item_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("hidden_results", sa.Boolean(), nullable=False),
        sa.Column("record_date", sa.Date(), nullable=False),
        sa.Column("second_call", sa.Boolean(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("effect_kind", sa.String(length=50), nullable=True),
        sa.Column("effect_payload", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.JSON(), nullable=True),
        sa.Column("adopted", sa.Boolean(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('ordinary', 'extraordinary')", name=op.f("ck_resolutions_kind_known")
        ),
        sa.CheckConstraint(
            "method IN ('proposal', 'poll', 'ranked', 'score', 'consent')",
            name=op.f("ck_resolutions_method_known"),
        ),
        sa.CheckConstraint(
            "(closed_at IS NULL) = (outcome IS NULL)",
            name=op.f("ck_resolutions_outcome_when_closed"),
        ),
        sa.CheckConstraint(
            "(effect_kind IS NULL) = (effect_payload IS NULL)",
            name=op.f("ck_resolutions_effect_has_payload"),
        ),
        sa.CheckConstraint("closes_at > opens_at", name=op.f("ck_resolutions_window_not_empty")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agenda_item_id"],
            ["agenda_items.tenant_id", "agenda_items.id"],
            name=op.f("fk_resolutions_tenant_id_agenda_item_id_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            name=op.f("fk_resolutions_tenant_id_assembly_id_assemblies"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_resolutions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_resolutions")),
    )
    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.create_index("ix_resolutions_assembly", ["tenant_id", "assembly_id"], unique=False)
        batch_op.create_index(
            "ix_resolutions_closing", ["tenant_id", "closed_at", "closes_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_resolutions_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "assembly_documents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assembly_id", sa.Uuid(), nullable=True),
        sa.Column("resolution_id", sa.Uuid(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "assembly_id IS NOT NULL OR resolution_id IS NOT NULL",
            name=op.f("ck_assembly_documents_attached_somewhere"),
        ),
        sa.CheckConstraint("size > 0", name=op.f("ck_assembly_documents_size_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            name=op.f("fk_assembly_documents_tenant_id_assembly_id_assemblies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "resolution_id"],
            ["resolutions.tenant_id", "resolutions.id"],
            name=op.f("fk_assembly_documents_tenant_id_resolution_id_resolutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_assembly_documents_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_assembly_documents")),
    )
    with op.batch_alter_table("assembly_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assembly_documents_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "ballots",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resolution_id", sa.Uuid(), nullable=False),
        sa.Column("voter_id", sa.Uuid(), nullable=True),
        sa.Column("college", sa.String(length=20), nullable=True),
        sa.Column("choice", sa.JSON(), nullable=False),
        sa.Column("proxy_holder_id", sa.Uuid(), nullable=True),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "resolution_id"],
            ["resolutions.tenant_id", "resolutions.id"],
            name=op.f("fk_ballots_tenant_id_resolution_id_resolutions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_ballots_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_ballots")),
        sa.UniqueConstraint(
            "tenant_id",
            "resolution_id",
            "voter_id",
            name=op.f("uq_ballots_tenant_id_resolution_id_voter_id"),
        ),
    )
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.create_index("ix_ballots_resolution", ["tenant_id", "resolution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ballots_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "session_tallies",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resolution_id", sa.Uuid(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("present", sa.Integer(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("present >= 0", name=op.f("ck_session_tallies_present_not_negative")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "resolution_id"],
            ["resolutions.tenant_id", "resolutions.id"],
            name=op.f("fk_session_tallies_tenant_id_resolution_id_resolutions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_session_tallies_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_session_tallies")),
        sa.UniqueConstraint(
            "tenant_id", "resolution_id", name=op.f("uq_session_tallies_tenant_id_resolution_id")
        ),
    )
    with op.batch_alter_table("session_tallies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_tallies_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "vote_receipts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resolution_id", sa.Uuid(), nullable=False),
        sa.Column("voter_id", sa.Uuid(), nullable=False),
        sa.Column("cast_by", sa.Uuid(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "resolution_id"],
            ["resolutions.tenant_id", "resolutions.id"],
            name=op.f("fk_vote_receipts_tenant_id_resolution_id_resolutions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_vote_receipts_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["voter_id"],
            ["users.id"],
            name=op.f("fk_vote_receipts_voter_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_vote_receipts")),
        sa.UniqueConstraint(
            "tenant_id",
            "resolution_id",
            "voter_id",
            name=op.f("uq_vote_receipts_tenant_id_resolution_id_voter_id"),
        ),
    )
    with op.batch_alter_table("vote_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vote_receipts_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "vote_reminders",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resolution_id", sa.Uuid(), nullable=False),
        sa.Column("voter_id", sa.Uuid(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "resolution_id"],
            ["resolutions.tenant_id", "resolutions.id"],
            name=op.f("fk_vote_reminders_tenant_id_resolution_id_resolutions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_vote_reminders_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_vote_reminders")),
        sa.UniqueConstraint(
            "tenant_id",
            "resolution_id",
            "voter_id",
            name=op.f("uq_vote_reminders_tenant_id_resolution_id_voter_id"),
        ),
    )
    with op.batch_alter_table("vote_reminders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vote_reminders_tenant_id"), ["tenant_id"], unique=False
        )

    connection = op.get_bind()
    create_append_only_triggers(connection, "assembly_minutes")
    create_append_only_triggers(connection, "ballots")
    create_append_only_triggers(connection, "session_tallies")
    create_append_only_triggers(connection, "vote_receipts")
    create_append_only_triggers(connection, "vote_reminders")


def downgrade() -> None:
    connection = op.get_bind()
    drop_append_only_triggers(connection, "assembly_minutes")
    drop_append_only_triggers(connection, "ballots")
    drop_append_only_triggers(connection, "session_tallies")
    drop_append_only_triggers(connection, "vote_receipts")
    drop_append_only_triggers(connection, "vote_reminders")
    with op.batch_alter_table("vote_reminders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_reminders_tenant_id"))

    op.drop_table("vote_reminders")
    with op.batch_alter_table("vote_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vote_receipts_tenant_id"))

    op.drop_table("vote_receipts")
    with op.batch_alter_table("session_tallies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_tallies_tenant_id"))

    op.drop_table("session_tallies")
    with op.batch_alter_table("ballots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballots_tenant_id"))
        batch_op.drop_index("ix_ballots_resolution")

    op.drop_table("ballots")
    with op.batch_alter_table("assembly_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assembly_documents_tenant_id"))

    op.drop_table("assembly_documents")
    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resolutions_tenant_id"))
        batch_op.drop_index("ix_resolutions_closing")
        batch_op.drop_index("ix_resolutions_assembly")

    op.drop_table("resolutions")
    with op.batch_alter_table("proxies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proxies_tenant_id"))
        batch_op.drop_index("ix_proxies_holder")

    op.drop_table("proxies")
    with op.batch_alter_table("assembly_minutes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assembly_minutes_tenant_id"))

    op.drop_table("assembly_minutes")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_tenant_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("assemblies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assemblies_tenant_id"))
        batch_op.drop_index("ix_assemblies_meeting")

    op.drop_table("assemblies")
