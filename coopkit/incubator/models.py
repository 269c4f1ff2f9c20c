"""The incubator's tables: projects, founders, planned shares, pledges, stages, decisions.

A project belongs to an incubator tenant until its launch creates the member
coop (``launched_tenant_id``). Every child row names its project through
``(tenant_id, project_id)``, so it can never point into another incubator.
Pledges, ballots and stage changes are append-only: a founder changes a
pledge by pledging again (the latest counts), a ballot is final, and the
stages a project went through are its history.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column


class ProjectStage(enum.StrEnum):
    """Where a project stands, in the order it moves through; ``stopped`` ends it."""

    EXPLORATION = "exploration"
    FEASIBILITY = "feasibility"
    BUSINESS_PLAN = "business_plan"
    STATUTES = "statutes"
    FOUNDING_ASSEMBLY = "founding_assembly"
    REGISTRATION = "registration"
    LAUNCHED = "launched"
    STOPPED = "stopped"

    @property
    def next(self) -> ProjectStage | None:
        """The stage a GO leads to; None from registration (launch instead) and the ends."""
        order = STAGE_ORDER
        if self not in order or self is ProjectStage.REGISTRATION:
            return None
        return order[order.index(self) + 1]

    @property
    def final(self) -> bool:
        return self in (ProjectStage.LAUNCHED, ProjectStage.STOPPED)


#: The stages a project passes through, each decided by a GO of its founders.
STAGE_ORDER = (
    ProjectStage.EXPLORATION,
    ProjectStage.FEASIBILITY,
    ProjectStage.BUSINESS_PLAN,
    ProjectStage.STATUTES,
    ProjectStage.FOUNDING_ASSEMBLY,
    ProjectStage.REGISTRATION,
    ProjectStage.LAUNCHED,
)


class StageChoice(enum.StrEnum):
    """A founder's ballot on a stage: go on, stop the project, or abstain."""

    GO = "go"
    STOP = "stop"
    ABSTAIN = "abstain"


class DecisionOutcome(enum.StrEnum):
    GO = "go"
    STOP = "stop"


def _project_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["tenant_id", "project_id"],
        ["incubator_projects.tenant_id", "incubator_projects.id"],
        ondelete="RESTRICT",
    )


class IncubatorProject(TenantOwned, Base):
    """A cooperative in the making, followed by a coach of the incubator.

    ``slug``, ``name``, ``country``, ``currency`` and ``locales`` become the
    member coop's at launch; ``purpose`` (what it will offer) is shown in the
    public directory once it is launched. Colours stay here until a branding
    model exists for tenants.
    """

    __tablename__ = "incubator_projects"
    __table_args__ = (
        UniqueConstraint("tenant_id", "slug"),
        CheckConstraint(
            "(stage = 'launched') = (launched_tenant_id IS NOT NULL)",
            name="launched_has_its_tenant",
        ),
        Index("ix_incubator_projects_stage", "tenant_id", "stage"),
    )

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(63))
    purpose: Mapped[str] = mapped_column(Text, default="")
    seat: Mapped[str] = mapped_column(String(300), default="")
    legal_form: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    locales: Mapped[list[str]] = mapped_column(JSON)
    coach_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    financial_year_start: Mapped[str] = mapped_column(String(5), default="01-01")
    primary_colour: Mapped[str | None] = mapped_column(String(7), default=None)
    accent_colour: Mapped[str | None] = mapped_column(String(7), default=None)
    stage: Mapped[ProjectStage] = mapped_column(
        enum_column(ProjectStage), default=ProjectStage.EXPLORATION
    )
    launched_tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tenants.id", ondelete="RESTRICT"), default=None
    )
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectFounder(TenantOwned, Base):
    """A founder: a person with an account (``person_id``) or a name and e-mail.

    ``category`` is what the legal form may require of founders (SCIC:
    employee, beneficiary…); empty when it requires nothing.
    """

    __tablename__ = "project_founders"
    __table_args__ = (
        _project_key(),
        UniqueConstraint("tenant_id", "project_id", "person_id"),
        CheckConstraint("person_id IS NOT NULL OR email IS NOT NULL", name="person_or_email"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    address: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40), default="")
    joined_on: Mapped[date] = mapped_column(Date)


class PlannedShareClass(TenantOwned, Base):
    """A share class the member coop will have, as the founders plan it."""

    __tablename__ = "planned_share_classes"
    __table_args__ = (
        _project_key(),
        UniqueConstraint("tenant_id", "project_id", "code"),
        CheckConstraint("nominal > 0", name="nominal_positive"),
        CheckConstraint("min_holding >= 0", name="min_holding_not_negative"),
        CheckConstraint(
            "max_per_member IS NULL OR max_per_member >= min_holding", name="max_not_below_min"
        ),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    nominal: Mapped[Decimal] = mapped_column(Amount)
    min_holding: Mapped[int] = mapped_column(Integer, default=1)
    max_per_member: Mapped[int | None] = mapped_column(Integer, default=None)
    voting: Mapped[bool] = mapped_column(Boolean, default=True)


class SharePledge(AppendOnly, TenantOwned, Base):
    """A founder's promise to subscribe ``quantity`` shares of a class at launch.

    The latest pledge of a founder for a class counts (0 withdraws it).
    """

    __tablename__ = "share_pledges"
    final_reason = "pledge again: the latest pledge counts"
    __table_args__ = (
        _project_key(),
        ForeignKeyConstraint(
            ["tenant_id", "founder_id"], ["project_founders.tenant_id", "project_founders.id"]
        ),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
        Index("ix_share_pledges_founder", "tenant_id", "project_id", "founder_id"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    founder_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    class_code: Mapped[str] = mapped_column(String(10))
    quantity: Mapped[int] = mapped_column(Integer)
    pledged_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChecklistItem(TenantOwned, Base):
    """A task of a stage (the business plan written, the bank account opened…)."""

    __tablename__ = "project_checklist_items"
    __table_args__ = (
        _project_key(),
        UniqueConstraint("tenant_id", "project_id", "stage", "position"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stage: Mapped[ProjectStage] = mapped_column(enum_column(ProjectStage))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)


class ProjectDocument(TenantOwned, Base):
    """A file kept with a stage of the project (a market study, the draft statutes)."""

    __tablename__ = "project_documents"
    __table_args__ = (
        _project_key(),
        Index("ix_project_documents_project", "tenant_id", "project_id", "stage"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stage: Mapped[ProjectStage] = mapped_column(enum_column(ProjectStage))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class StageDecision(TenantOwned, Base):
    """The founders' vote on going past ``stage`` (GO) or stopping the project (STOP).

    ``outcome`` stays None until it is closed, and also after a close without
    quorum (no decision: the project stays where it is). ``explanation`` keeps
    the tally's plain-words lines.
    """

    __tablename__ = "stage_decisions"
    __table_args__ = (
        _project_key(),
        Index("ix_stage_decisions_project", "tenant_id", "project_id", "opens_at"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stage: Mapped[ProjectStage] = mapped_column(enum_column(ProjectStage))
    method: Mapped[str] = mapped_column(String(20), default="proposal")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    outcome: Mapped[DecisionOutcome | None] = mapped_column(
        enum_column(DecisionOutcome), default=None
    )
    explanation: Mapped[list[Any]] = mapped_column(JSON, default=list)
    opened_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)


class StageBallot(AppendOnly, TenantOwned, Base):
    """A founder's vote on a stage decision: one per founder, final once cast."""

    __tablename__ = "stage_ballots"
    final_reason = "a vote cast is final"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "decision_id"], ["stage_decisions.tenant_id", "stage_decisions.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "founder_id"], ["project_founders.tenant_id", "project_founders.id"]
        ),
        UniqueConstraint("tenant_id", "decision_id", "founder_id"),
    )

    decision_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    founder_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    choice: Mapped[StageChoice] = mapped_column(enum_column(StageChoice))
    cast_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectStageChange(AppendOnly, TenantOwned, Base):
    """A move of the project from one stage to another, and what decided it."""

    __tablename__ = "project_stage_changes"
    final_reason = "the stages a project went through are its history"
    __table_args__ = (
        _project_key(),
        Index("ix_project_stage_changes_project", "tenant_id", "project_id", "changed_at"),
    )

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    from_stage: Mapped[ProjectStage | None] = mapped_column(enum_column(ProjectStage), default=None)
    to_stage: Mapped[ProjectStage] = mapped_column(enum_column(ProjectStage))
    decision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    changed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
