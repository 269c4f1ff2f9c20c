"""incubator: projects, founders, pledges, stages and decisions

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 06:18:21.826330
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import coopkit.db.types
from coopkit.db.append_only import create_append_only_triggers, drop_append_only_triggers

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

APPEND_ONLY = ("share_pledges", "stage_ballots", "project_stage_changes")


def upgrade() -> None:
    op.create_table(
        "incubator_projects",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=63), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("seat", sa.String(length=300), nullable=False),
        sa.Column("legal_form", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("locales", sa.JSON(), nullable=False),
        sa.Column("coach_id", sa.Uuid(), nullable=True),
        sa.Column("financial_year_start", sa.String(length=5), nullable=False),
        sa.Column("primary_colour", sa.String(length=7), nullable=True),
        sa.Column("accent_colour", sa.String(length=7), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "exploration",
                "feasibility",
                "business_plan",
                "statutes",
                "founding_assembly",
                "registration",
                "launched",
                "stopped",
                name="projectstage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("launched_tenant_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(stage = 'launched') = (launched_tenant_id IS NOT NULL)",
            name=op.f("ck_incubator_projects_launched_has_its_tenant"),
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["users.id"],
            name=op.f("fk_incubator_projects_coach_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["launched_tenant_id"],
            ["tenants.id"],
            name=op.f("fk_incubator_projects_launched_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_incubator_projects_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_incubator_projects")),
        sa.UniqueConstraint("tenant_id", "slug", name=op.f("uq_incubator_projects_tenant_id_slug")),
    )
    with op.batch_alter_table("incubator_projects", schema=None) as batch_op:
        batch_op.create_index("ix_incubator_projects_stage", ["tenant_id", "stage"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_incubator_projects_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "planned_share_classes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nominal", coopkit.db.types.Amount(), nullable=False),
        sa.Column("min_holding", sa.Integer(), nullable=False),
        sa.Column("max_per_member", sa.Integer(), nullable=True),
        sa.Column("voting", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "max_per_member IS NULL OR max_per_member >= min_holding",
            name=op.f("ck_planned_share_classes_max_not_below_min"),
        ),
        sa.CheckConstraint(
            "min_holding >= 0", name=op.f("ck_planned_share_classes_min_holding_not_negative")
        ),
        sa.CheckConstraint("nominal > 0", name=op.f("ck_planned_share_classes_nominal_positive")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_planned_share_classes_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_planned_share_classes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_planned_share_classes")),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "code",
            name=op.f("uq_planned_share_classes_tenant_id_project_id_code"),
        ),
    )
    with op.batch_alter_table("planned_share_classes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_planned_share_classes_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "project_checklist_items",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "exploration",
                "feasibility",
                "business_plan",
                "statutes",
                "founding_assembly",
                "registration",
                "launched",
                "stopped",
                name="projectstage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("done_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_project_checklist_items_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_project_checklist_items_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_project_checklist_items")),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "stage",
            "position",
            name=op.f("uq_project_checklist_items_tenant_id_project_id_stage_position"),
        ),
    )
    with op.batch_alter_table("project_checklist_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_checklist_items_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "project_documents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "exploration",
                "feasibility",
                "business_plan",
                "statutes",
                "founding_assembly",
                "registration",
                "launched",
                "stopped",
                name="projectstage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_project_documents_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_project_documents_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_project_documents")),
    )
    with op.batch_alter_table("project_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_project_documents_project", ["tenant_id", "project_id", "stage"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_project_documents_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "project_founders",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "person_id IS NOT NULL OR email IS NOT NULL",
            name=op.f("ck_project_founders_person_or_email"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["users.id"],
            name=op.f("fk_project_founders_person_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_project_founders_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_project_founders_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_project_founders")),
        sa.UniqueConstraint(
            "tenant_id",
            "project_id",
            "person_id",
            name=op.f("uq_project_founders_tenant_id_project_id_person_id"),
        ),
    )
    with op.batch_alter_table("project_founders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_project_founders_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "project_stage_changes",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "exploration",
                "feasibility",
                "business_plan",
                "statutes",
                "founding_assembly",
                "registration",
                "launched",
                "stopped",
                name="projectstage",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "exploration",
                "feasibility",
                "business_plan",
                "statutes",
                "founding_assembly",
                "registration",
                "launched",
                "stopped",
                name="projectstage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("decision_id", sa.Uuid(), nullable=True),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_project_stage_changes_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_project_stage_changes_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_project_stage_changes")),
    )
    with op.batch_alter_table("project_stage_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_project_stage_changes_project",
            ["tenant_id", "project_id", "changed_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_project_stage_changes_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "stage_decisions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "exploration",
                "feasibility",
                "business_plan",
                "statutes",
                "founding_assembly",
                "registration",
                "launched",
                "stopped",
                name="projectstage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum("go", "stop", name="decisionoutcome", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("opened_by", sa.Uuid(), nullable=True),
        sa.Column("closed_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_stage_decisions_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_stage_decisions_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_stage_decisions")),
    )
    with op.batch_alter_table("stage_decisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stage_decisions_project", ["tenant_id", "project_id", "opens_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stage_decisions_tenant_id"), ["tenant_id"], unique=False
        )

    op.create_table(
        "share_pledges",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("founder_id", sa.Uuid(), nullable=False),
        sa.Column("class_code", sa.String(length=10), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("pledged_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_share_pledges_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "founder_id"],
            ["project_founders.tenant_id", "project_founders.id"],
            name=op.f("fk_share_pledges_tenant_id_founder_id_project_founders"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "project_id"],
            ["incubator_projects.tenant_id", "incubator_projects.id"],
            name=op.f("fk_share_pledges_tenant_id_project_id_incubator_projects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_share_pledges_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_share_pledges")),
    )
    with op.batch_alter_table("share_pledges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_share_pledges_founder", ["tenant_id", "project_id", "founder_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_share_pledges_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "stage_ballots",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("decision_id", sa.Uuid(), nullable=False),
        sa.Column("founder_id", sa.Uuid(), nullable=False),
        sa.Column(
            "choice",
            sa.Enum("go", "stop", "abstain", name="stagechoice", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("cast_by", sa.Uuid(), nullable=True),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "decision_id"],
            ["stage_decisions.tenant_id", "stage_decisions.id"],
            name=op.f("fk_stage_ballots_tenant_id_decision_id_stage_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "founder_id"],
            ["project_founders.tenant_id", "project_founders.id"],
            name=op.f("fk_stage_ballots_tenant_id_founder_id_project_founders"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_stage_ballots_tenant_id_tenants"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_stage_ballots")),
        sa.UniqueConstraint(
            "tenant_id",
            "decision_id",
            "founder_id",
            name=op.f("uq_stage_ballots_tenant_id_decision_id_founder_id"),
        ),
    )
    with op.batch_alter_table("stage_ballots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stage_ballots_tenant_id"), ["tenant_id"], unique=False)

    connection = op.get_bind()
    for table in APPEND_ONLY:
        create_append_only_triggers(connection, table)


def downgrade() -> None:
    connection = op.get_bind()
    for table in APPEND_ONLY:
        drop_append_only_triggers(connection, table)
    with op.batch_alter_table("stage_ballots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_ballots_tenant_id"))

    op.drop_table("stage_ballots")
    with op.batch_alter_table("share_pledges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_pledges_tenant_id"))
        batch_op.drop_index("ix_share_pledges_founder")

    op.drop_table("share_pledges")
    with op.batch_alter_table("stage_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stage_decisions_tenant_id"))
        batch_op.drop_index("ix_stage_decisions_project")

    op.drop_table("stage_decisions")
    with op.batch_alter_table("project_stage_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_stage_changes_tenant_id"))
        batch_op.drop_index("ix_project_stage_changes_project")

    op.drop_table("project_stage_changes")
    with op.batch_alter_table("project_founders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_founders_tenant_id"))

    op.drop_table("project_founders")
    with op.batch_alter_table("project_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_documents_tenant_id"))
        batch_op.drop_index("ix_project_documents_project")

    op.drop_table("project_documents")
    with op.batch_alter_table("project_checklist_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_checklist_items_tenant_id"))

    op.drop_table("project_checklist_items")
    with op.batch_alter_table("planned_share_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_share_classes_tenant_id"))

    op.drop_table("planned_share_classes")
    with op.batch_alter_table("incubator_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incubator_projects_tenant_id"))
        batch_op.drop_index("ix_incubator_projects_stage")

    op.drop_table("incubator_projects")
