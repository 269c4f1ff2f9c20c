"""A project's life before its launch: created by a coach, its founders, planned shares,
pledges, checklist and documents.

Every function works in the session's tenant, which must be the incubator of
the project, and records what it changes in that tenant's audit log. Coaches
are the incubator's staff; founders are its members named as founders of one
project, and they see and change only their own project.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.countries import LegalForm
from coopkit.incubator.checklists import DEFAULT_CHECKLIST
from coopkit.incubator.errors import (
    IncubatorConflict,
    IncubatorError,
    IncubatorForbidden,
    IncubatorNotFound,
)
from coopkit.incubator.models import (
    ChecklistItem,
    IncubatorProject,
    PlannedShareClass,
    ProjectDocument,
    ProjectFounder,
    ProjectStage,
    ProjectStageChange,
    SharePledge,
)
from coopkit.money import MoneyError, minor_unit, to_decimal
from coopkit.people.models import Role, User
from coopkit.people.service import PeopleError, add_membership, normalise_email, role_in
from coopkit.plugins import PluginError, PluginHost
from coopkit.tenants.models import Tenant, TenantKind
from coopkit.tenants.service import SLUG, TenantError, country_settings

COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
YEAR_START = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
CLASS_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,9}$")
MAX_DOCUMENT = 10 * 1024 * 1024


@dataclass(frozen=True)
class ProjectRequest:
    """What a coach gives to start a project (the member coop's future identity)."""

    name: str
    slug: str
    legal_form: str
    purpose: str = ""
    seat: str = ""
    country: str | None = None  # the incubator's by default
    currency: str | None = None
    locales: list[str] | None = None
    coach_id: uuid.UUID | None = None  # the coach creating it by default
    financial_year_start: str = "01-01"
    primary_colour: str | None = None
    accent_colour: str | None = None


# -- who may do what ------------------------------------------------------------------


def is_coach(db: Session, user_id: uuid.UUID) -> bool:
    """Coaches are the incubator's staff (and admins)."""
    role = role_in(db, user_id)
    return role is not None and role.includes(Role.STAFF)


def require_coach(db: Session, user_id: uuid.UUID, what: str) -> None:
    if not is_coach(db, user_id):
        raise IncubatorForbidden(f"only the incubator's coaches (staff) {what}")


def founder_of(db: Session, project: IncubatorProject, user_id: uuid.UUID) -> ProjectFounder | None:
    return db.scalar(
        select(ProjectFounder).where(
            ProjectFounder.project_id == project.id, ProjectFounder.person_id == user_id
        )
    )


def get_project(db: Session, project_id: uuid.UUID, user_id: uuid.UUID) -> IncubatorProject:
    """The project if ``user_id`` may see it: a coach sees every project, a founder theirs.

    Anything else is IncubatorNotFound, as for a project that does not exist.
    """
    project = db.scalar(select(IncubatorProject).where(IncubatorProject.id == project_id))
    if project is None or not (is_coach(db, user_id) or founder_of(db, project, user_id)):
        raise IncubatorNotFound(f"project {project_id}")
    return project


def visible_projects(db: Session, user_id: uuid.UUID) -> list[IncubatorProject]:
    """Every project for a coach; a founder's own projects for anyone else."""
    query = select(IncubatorProject).order_by(IncubatorProject.created_at, IncubatorProject.name)
    if not is_coach(db, user_id):
        mine = select(ProjectFounder.project_id).where(ProjectFounder.person_id == user_id)
        query = query.where(IncubatorProject.id.in_(mine))
    return list(db.scalars(query))


def _open(project: IncubatorProject) -> None:
    if project.stage.final:
        raise IncubatorConflict(f"the project {project.name} is {project.stage.value}: it is over")


# -- creating a project ---------------------------------------------------------------


def _slug(db: Session, slug: str) -> str:
    cleaned = slug.strip()
    if not SLUG.match(cleaned):
        raise IncubatorError(
            f"slug {slug!r}: lower-case letters, digits and hyphens (at most 63), "
            "starting and ending with a letter or digit",
            "slug",
        )
    taken = db.scalar(select(IncubatorProject.id).where(IncubatorProject.slug == cleaned))
    if taken is not None or db.scalar(select(Tenant.id).where(Tenant.slug == cleaned)):
        raise IncubatorConflict(f"the slug {cleaned!r} is taken: choose another", "slug")
    return cleaned


def _colour(value: str | None, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not COLOUR.match(value):
        raise IncubatorError(f"{field} {value!r}: a colour as #RRGGBB, such as #1f6f5c", field)
    return value.lower()


def legal_form_of(plugins: PluginHost, country: str, code: str, on: date) -> LegalForm:
    """The country's legal form ``code`` on ``on``; IncubatorError listing the forms
    offered when the law offers no such form."""
    try:
        return plugins.legal_form(country, code, on)
    except PluginError as error:
        raise IncubatorError(str(error), "legal_form") from None


def create_project(
    db: Session,
    plugins: PluginHost,
    incubator: Tenant,
    request: ProjectRequest,
    by: uuid.UUID,
    on: date,
) -> IncubatorProject:
    """Start a project in ``incubator`` at the exploration stage, with the default checklist.

    Only an incubator follows projects; the legal form must be one the
    country's plugin offers; the slug must be free (it becomes the member
    coop's at launch).
    """
    if incubator.kind is not TenantKind.INCUBATOR:
        raise IncubatorError(
            f"{incubator.name} is a {incubator.kind.value}: only an incubator follows projects "
            "of new cooperatives"
        )
    require_coach(db, by, "start projects")
    if not request.name.strip() or len(request.name.strip()) > 200:
        raise IncubatorError("name: give it, in at most 200 characters", "name")
    slug = _slug(db, request.slug)
    try:
        country, currency, locales = country_settings(
            plugins, request.country or incubator.country, request.currency, request.locales
        )
    except TenantError as error:
        raise IncubatorError(str(error), "country") from None
    legal_form_of(plugins, country, request.legal_form, on)
    coach_id = request.coach_id or by
    if not is_coach(db, coach_id):
        raise IncubatorError("the coach must be one of the incubator's staff", "coach_id")
    if not YEAR_START.match(request.financial_year_start):
        raise IncubatorError(
            f"financial year start {request.financial_year_start!r}: MM-DD, such as 01-01",
            "financial_year_start",
        )
    project = IncubatorProject(
        name=request.name.strip(),
        slug=slug,
        purpose=request.purpose.strip(),
        seat=request.seat.strip(),
        legal_form=request.legal_form,
        country=country,
        currency=currency,
        locales=locales,
        coach_id=coach_id,
        financial_year_start=request.financial_year_start,
        primary_colour=_colour(request.primary_colour, "primary_colour"),
        accent_colour=_colour(request.accent_colour, "accent_colour"),
        stage=ProjectStage.EXPLORATION,
        created_by=by,
    )
    db.add(project)
    db.flush()
    for stage, labels in DEFAULT_CHECKLIST.items():
        for position, label in enumerate(labels, start=1):
            db.add(
                ChecklistItem(project_id=project.id, stage=stage, position=position, label=label)
            )
    db.add(ProjectStageChange(project_id=project.id, to_stage=project.stage, changed_by=by))
    db.flush()
    audit.record(
        db,
        "incubator.project_created",
        "incubator_project",
        project.id,
        {"name": project.name, "slug": slug, "legal_form": project.legal_form, "country": country},
        actor_id=by,
    )
    return project


# -- founders -------------------------------------------------------------------------


def add_founder(
    db: Session,
    project: IncubatorProject,
    *,
    by: uuid.UUID,
    on: date,
    person_id: uuid.UUID | None = None,
    name: str = "",
    email: str | None = None,
    address: str = "",
    category: str = "",
) -> ProjectFounder:
    """Name a founder: a person with an account (``person_id``) or a name and an e-mail.

    A person with an account who is not yet a member of the incubator becomes
    one (a founder signs in to follow and vote on their project).
    """
    require_coach(db, by, "add founders")
    _open(project)
    person = db.get(User, person_id) if person_id else None
    if person_id and person is None:
        raise IncubatorError(f"no person {person_id} on this installation", "person_id")
    address_email = normalise(email) if email else (person.email if person else None)
    if person is None and address_email is None:
        raise IncubatorError("a founder needs an account or an e-mail address", "email")
    shown = (name or (person.name if person else "")).strip()
    if not shown or len(shown) > 200:
        raise IncubatorError("name: give the founder's name, in at most 200 characters", "name")
    others = founders(db, project)
    if any(
        (person and f.person_id == person.id) or (address_email and f.email == address_email)
        for f in others
    ):
        raise IncubatorConflict(f"{shown} is a founder of {project.name} already", "person_id")
    row = ProjectFounder(
        project_id=project.id,
        person_id=person.id if person else None,
        name=shown,
        email=address_email,
        address=address.strip(),
        category=category.strip(),
        joined_on=on,
    )
    db.add(row)
    db.flush()
    if person is not None and role_in(db, person.id) is None:
        add_membership(db, db.get_one(Tenant, project.tenant_id), person, Role.MEMBER)
    audit.record(
        db,
        "incubator.founder_added",
        "incubator_project",
        project.id,
        {"founder": row.id, "name": shown, "person": row.person_id, "category": row.category},
        actor_id=by,
    )
    return row


def normalise(email: str) -> str:
    try:
        return normalise_email(email)
    except PeopleError as error:
        raise IncubatorError(str(error), "email") from None


def founders(db: Session, project: IncubatorProject) -> list[ProjectFounder]:
    return list(
        db.scalars(
            select(ProjectFounder)
            .where(ProjectFounder.project_id == project.id)
            .order_by(ProjectFounder.joined_on, ProjectFounder.name)
        )
    )


def get_founder(db: Session, project: IncubatorProject, founder_id: uuid.UUID) -> ProjectFounder:
    found = db.scalar(
        select(ProjectFounder).where(
            ProjectFounder.project_id == project.id, ProjectFounder.id == founder_id
        )
    )
    if found is None:
        raise IncubatorNotFound(f"founder {founder_id} of {project.name}")
    return found


def acting_for(db: Session, founder: ProjectFounder, by: uuid.UUID, what: str) -> None:
    """A founder acts for themselves; a coach for any founder."""
    if founder.person_id != by and not is_coach(db, by):
        raise IncubatorForbidden(f"you {what} for yourself only; a coach does it for others")


# -- planned shares and pledges -------------------------------------------------------


def plan_share_class(
    db: Session,
    project: IncubatorProject,
    *,
    by: uuid.UUID,
    code: str,
    name: str,
    nominal: object,
    min_holding: int = 1,
    max_per_member: int | None = None,
    voting: bool = True,
) -> PlannedShareClass:
    """Plan a share class of the future coop (created as a real class at launch)."""
    require_coach(db, by, "plan share classes")
    _open(project)
    code = code.strip()
    if not CLASS_CODE.match(code):
        raise IncubatorError(f"code {code!r}: 1 to 10 letters or digits, such as A", "code")
    if planned_class(db, project, code) is not None:
        raise IncubatorConflict(f"{project.name} plans a share class {code} already", "code")
    if not name.strip() or len(name.strip()) > 200:
        raise IncubatorError("name: give it, in at most 200 characters", "name")
    try:
        value = to_decimal(nominal)
    except MoneyError as error:
        raise IncubatorError(f"nominal: {error}", "nominal") from None
    if value <= 0 or value != value.quantize(minor_unit(project.currency)):
        raise IncubatorError(
            f"nominal {value}: above 0, to the cent ({project.currency})", "nominal"
        )
    if min_holding < 0:
        raise IncubatorError("minimum holding: 0 or more shares", "min_holding")
    if max_per_member is not None and max_per_member < max(min_holding, 1):
        raise IncubatorError(
            f"maximum per member {max_per_member}: at least the minimum holding ({min_holding})",
            "max_per_member",
        )
    row = PlannedShareClass(
        project_id=project.id,
        code=code,
        name=name.strip(),
        nominal=value,
        min_holding=min_holding,
        max_per_member=max_per_member,
        voting=voting,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "incubator.share_class_planned",
        "incubator_project",
        project.id,
        {"code": code, "nominal": value, "min_holding": min_holding, "voting": voting},
        actor_id=by,
    )
    return row


def planned_class(db: Session, project: IncubatorProject, code: str) -> PlannedShareClass | None:
    return db.scalar(
        select(PlannedShareClass).where(
            PlannedShareClass.project_id == project.id, PlannedShareClass.code == code
        )
    )


def planned_classes(db: Session, project: IncubatorProject) -> list[PlannedShareClass]:
    return list(
        db.scalars(
            select(PlannedShareClass)
            .where(PlannedShareClass.project_id == project.id)
            .order_by(PlannedShareClass.code)
        )
    )


def _check_pledge(share_class: PlannedShareClass, quantity: int) -> None:
    rule = (
        f"planned share class {share_class.code}: minimum holding {share_class.min_holding}, "
        f"maximum per member {share_class.max_per_member or 'none'}"
    )
    if quantity < 0:
        raise IncubatorError(f"{quantity} shares: 0 (to withdraw) or more", "quantity")
    if quantity and quantity < share_class.min_holding:
        raise IncubatorError(
            f"a founder pledges at least {share_class.min_holding} {share_class.code} shares",
            "quantity",
            rule,
        )
    if share_class.max_per_member is not None and quantity > share_class.max_per_member:
        raise IncubatorError(
            f"a founder holds at most {share_class.max_per_member} {share_class.code} shares",
            "quantity",
            rule,
        )


def pledge_shares(
    db: Session,
    project: IncubatorProject,
    founder: ProjectFounder,
    *,
    class_code: str,
    quantity: int,
    by: uuid.UUID,
    on: date,
) -> SharePledge:
    """Record a founder's pledge of ``quantity`` shares (it replaces their earlier one;
    0 withdraws it). The planned class's minimum and maximum apply."""
    acting_for(db, founder, by, "pledge shares")
    _open(project)
    share_class = planned_class(db, project, class_code.strip())
    if share_class is None:
        known = ", ".join(c.code for c in planned_classes(db, project)) or "none planned yet"
        raise IncubatorError(f"share class {class_code!r}: use one of {known}", "share_class")
    _check_pledge(share_class, quantity)
    row = SharePledge(
        project_id=project.id,
        founder_id=founder.id,
        class_code=share_class.code,
        quantity=quantity,
        pledged_on=on,
        recorded_by=by,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "incubator.shares_pledged",
        "incubator_project",
        project.id,
        {"founder": founder.id, "class": share_class.code, "quantity": quantity},
        actor_id=by,
    )
    return row


def pledges(db: Session, project: IncubatorProject) -> dict[uuid.UUID, dict[str, int]]:
    """The pledges that count: founder id → class code → quantity (the latest, above 0)."""
    rows = db.scalars(
        select(SharePledge)
        .where(SharePledge.project_id == project.id)
        .order_by(SharePledge.pledged_on, SharePledge.recorded_at)
    )
    latest: dict[uuid.UUID, dict[str, int]] = {}
    for row in rows:
        latest.setdefault(row.founder_id, {})[row.class_code] = row.quantity
    counted = {f: {c: q for c, q in held.items() if q} for f, held in latest.items()}
    return {f: held for f, held in counted.items() if held}


def pledged_capital(db: Session, project: IncubatorProject) -> Decimal:
    """The capital the founders pledged, at nominal value."""
    nominal = {c.code: c.nominal for c in planned_classes(db, project)}
    return sum(
        (
            nominal[code] * quantity
            for held in pledges(db, project).values()
            for code, quantity in held.items()
        ),
        Decimal("0.00"),
    )


# -- checklist and documents ----------------------------------------------------------


def checklist(
    db: Session, project: IncubatorProject, stage: ProjectStage | None = None
) -> list[ChecklistItem]:
    query = select(ChecklistItem).where(ChecklistItem.project_id == project.id)
    if stage is not None:
        query = query.where(ChecklistItem.stage == stage)
    return list(db.scalars(query.order_by(ChecklistItem.stage, ChecklistItem.position)))


def open_items(db: Session, project: IncubatorProject, stage: ProjectStage) -> list[ChecklistItem]:
    return [item for item in checklist(db, project, stage) if item.done_on is None]


def _may_work_on(db: Session, project: IncubatorProject, by: uuid.UUID, what: str) -> None:
    if not (is_coach(db, by) or founder_of(db, project, by)):
        raise IncubatorForbidden(f"only the project's founders and the coaches {what}")


def complete_checklist_item(
    db: Session, project: IncubatorProject, item_id: uuid.UUID, *, by: uuid.UUID, on: date
) -> ChecklistItem:
    """Tick a task off, by a founder of the project or a coach."""
    _may_work_on(db, project, by, "tick tasks off")
    _open(project)
    item = db.scalar(
        select(ChecklistItem).where(
            ChecklistItem.project_id == project.id, ChecklistItem.id == item_id
        )
    )
    if item is None:
        raise IncubatorNotFound(f"checklist item {item_id} of {project.name}")
    if item.done_on is not None:
        raise IncubatorConflict(f"{item.label!r} was done on {item.done_on} already")
    item.done_on, item.done_by = on, by
    db.flush()
    audit.record(
        db,
        "incubator.task_done",
        "incubator_project",
        project.id,
        {"item": item.id, "stage": item.stage, "label": item.label, "on": on},
        actor_id=by,
    )
    return item


def add_document(
    db: Session,
    project: IncubatorProject,
    *,
    filename: str,
    media_type: str,
    content: bytes,
    by: uuid.UUID,
    stage: ProjectStage | None = None,
) -> ProjectDocument:
    """Keep a file with a stage of the project (the current stage by default)."""
    _may_work_on(db, project, by, "add documents")
    _open(project)
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or len(name) > 255:
        raise IncubatorError("filename: give the file's name, at most 255 characters", "filename")
    if not content:
        raise IncubatorError(f"{name} is empty: attach the file itself", "content")
    if len(content) > MAX_DOCUMENT:
        raise IncubatorError(f"{name}: at most {MAX_DOCUMENT // (1024 * 1024)} MB", "content")
    row = ProjectDocument(
        project_id=project.id,
        stage=stage or project.stage,
        filename=name,
        media_type=(media_type or "application/octet-stream")[:100],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by,
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "incubator.document_added",
        "incubator_project",
        project.id,
        {"document": row.id, "filename": name, "stage": row.stage, "sha256": row.sha256},
        actor_id=by,
    )
    return row


def documents(db: Session, project: IncubatorProject) -> Sequence[ProjectDocument]:
    return list(
        db.scalars(
            select(ProjectDocument)
            .where(ProjectDocument.project_id == project.id)
            .order_by(ProjectDocument.uploaded_at)
        )
    )


# -- stages ---------------------------------------------------------------------------


def change_stage(
    db: Session,
    project: IncubatorProject,
    to: ProjectStage,
    *,
    by: uuid.UUID | None,
    decision_id: uuid.UUID | None = None,
) -> ProjectStageChange:
    """Move the project to ``to`` and keep the move in its history and audit log."""
    row = ProjectStageChange(
        project_id=project.id,
        from_stage=project.stage,
        to_stage=to,
        decision_id=decision_id,
        changed_by=by,
    )
    project.stage = to
    db.add(row)
    db.flush()
    audit.record(
        db,
        "incubator.stage_changed",
        "incubator_project",
        project.id,
        {"from": row.from_stage, "to": to, "decision": decision_id},
        actor_id=by,
    )
    return row


def stage_history(db: Session, project: IncubatorProject) -> list[ProjectStageChange]:
    return list(
        db.scalars(
            select(ProjectStageChange)
            .where(ProjectStageChange.project_id == project.id)
            .order_by(ProjectStageChange.changed_at)
        )
    )
