"""The incubator in API v1: projects from idea to launch.

Coaches (the incubator's staff) create projects, name founders, plan share
classes, open and close the founders' GO/STOP decisions and launch a project
(launchIncubatorProject, with Idempotency-Key: it creates a tenant and moves
money). Founders (members of the incubator named on a project) see their own
project only, pledge shares, tick tasks off, add documents and vote; any other
project answers 404, as one that does not exist.

Refusals are problem+json: 422 naming the field in ``errors[].key`` and the
rule that forbids it in ``rule`` (the law's minimum of founders), 409 for
something done or decided already, 403 for a founder acting for another.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import keeping_loaded_rows, tenant_scope
from coopkit.incubator import decisions as stage_decisions
from coopkit.incubator import projects, service
from coopkit.incubator.errors import IncubatorError
from coopkit.incubator.models import (
    IncubatorProject,
    PlannedShareClass,
    ProjectFounder,
    ProjectStage,
    StageBallot,
    StageDecision,
)
from coopkit.membership.register import capital_on, members_on
from coopkit.money import minor_unit
from coopkit.tenants.models import Tenant
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.incubator_schemas import (
    BallotIn,
    BallotOut,
    ChecklistItemOut,
    DecisionIn,
    DecisionOut,
    DocumentForm,
    DocumentOut,
    FounderIn,
    FounderOut,
    LaunchIn,
    LaunchOut,
    PledgeIn,
    PledgeOut,
    ProjectIn,
    ProjectOut,
    ProjectSummary,
    ShareClassIn,
    ShareClassOut,
    StageChangeOut,
)

Db = NamedDependency[Session]
PROJECTS = "/t/{slug:str}/incubator/projects"
PROJECT = PROJECTS + "/{project_id:uuid}"


def _who(request: Request[Any, Any, Any]) -> tuple[Tenant, uuid.UUID]:
    found = visitor(request)
    assert found.tenant is not None
    assert found.user_id is not None
    return found.tenant, found.user_id


def _project(
    request: Request[Any, Any, Any], db: Session, project_id: uuid.UUID
) -> IncubatorProject:
    return projects.get_project(db, project_id, _who(request)[1])


def _launched_slug(db: Session, project: IncubatorProject) -> str | None:
    if project.launched_tenant_id is None:
        return None
    return db.get_one(Tenant, project.launched_tenant_id).slug


def summary(db: Session, project: IncubatorProject) -> ProjectSummary:
    return ProjectSummary(
        id=project.id,
        name=project.name,
        slug=project.slug,
        stage=project.stage.value,
        legal_form=project.legal_form,
        country=project.country,
        purpose=project.purpose,
        launched_tenant=_launched_slug(db, project),
    )


def founder_out(founder: ProjectFounder, pledged: dict[uuid.UUID, dict[str, int]]) -> FounderOut:
    return FounderOut(
        id=founder.id,
        person_id=founder.person_id,
        name=founder.name,
        email=founder.email,
        category=founder.category,
        joined_on=founder.joined_on,
        pledged=pledged.get(founder.id, {}),
    )


def share_class_out(row: PlannedShareClass, cent: Decimal) -> ShareClassOut:
    return ShareClassOut(
        row.code,
        row.name,
        row.nominal.quantize(cent),
        row.min_holding,
        row.max_per_member,
        row.voting,
    )


def decision_out(db: Session, decision: StageDecision) -> DecisionOut:
    cast = db.scalar(
        select(func.count()).select_from(StageBallot).where(StageBallot.decision_id == decision.id)
    )
    return DecisionOut(
        id=decision.id,
        stage=decision.stage.value,
        opens_at=decision.opens_at,
        closes_at=decision.closes_at,
        closed_at=decision.closed_at,
        outcome=decision.outcome.value if decision.outcome else None,
        explanation=list(decision.explanation),
        ballots=int(cast or 0),
    )


def document_out(document: Any) -> DocumentOut:
    return DocumentOut(
        document.id,
        document.stage.value,
        document.filename,
        document.media_type,
        document.size,
        document.sha256,
    )


def project_out(db: Session, project: IncubatorProject) -> ProjectOut:
    pledged = projects.pledges(db, project)
    cent = minor_unit(project.currency)
    return ProjectOut(
        id=project.id,
        name=project.name,
        slug=project.slug,
        stage=project.stage.value,
        legal_form=project.legal_form,
        country=project.country,
        currency=project.currency,
        locales=list(project.locales),
        purpose=project.purpose,
        seat=project.seat,
        coach_id=project.coach_id,
        financial_year_start=project.financial_year_start,
        primary_colour=project.primary_colour,
        accent_colour=project.accent_colour,
        pledged_capital=projects.pledged_capital(db, project).quantize(cent),
        founders=[founder_out(f, pledged) for f in projects.founders(db, project)],
        share_classes=[share_class_out(c, cent) for c in projects.planned_classes(db, project)],
        checklist=[
            ChecklistItemOut(i.id, i.stage.value, i.position, i.label, i.done_on)
            for i in projects.checklist(db, project)
        ],
        documents=[document_out(d) for d in projects.documents(db, project)],
        decisions=[decision_out(db, d) for d in stage_decisions.decisions(db, project)],
        history=[
            StageChangeOut(
                c.from_stage.value if c.from_stage else None, c.to_stage.value, c.changed_at
            )
            for c in projects.stage_history(db, project)
        ],
        launched_tenant=_launched_slug(db, project),
    )


def _founder(
    db: Session, project: IncubatorProject, founder_id: uuid.UUID | None, user_id: uuid.UUID
) -> ProjectFounder:
    """The founder named, or the one the person is."""
    if founder_id is not None:
        return projects.get_founder(db, project, founder_id)
    mine = projects.founder_of(db, project, user_id)
    if mine is None:
        raise IncubatorError(
            "you are not a founder of this project: name the founder_id", "founder_id"
        )
    return mine


@post(PROJECTS, operation_id="createIncubatorProject", guards=[staff_only], sync_to_thread=True)
def create_project(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[ProjectIn]
) -> ProjectOut:
    """Start a project of a new cooperative (coaches): it starts at the exploration stage,
    with the default checklist of every stage. Refused outside an incubator."""
    tenant, user_id = _who(request)
    wanted = service.ProjectRequest(**msgspec.structs.asdict(data))
    project = service.create_project(
        db, services(request).plugins, tenant, wanted, user_id, date.today()
    )
    return project_out(db, project)


@get(PROJECTS, operation_id="listIncubatorProjects", guards=[member_only], sync_to_thread=True)
def list_projects(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str]
) -> list[ProjectSummary]:
    """Every project for a coach; your own projects for a founder."""
    return [summary(db, p) for p in projects.visible_projects(db, _who(request)[1])]


@get(PROJECT, operation_id="getIncubatorProject", guards=[member_only], sync_to_thread=True)
def get_project(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> ProjectOut:
    """A project with its founders, pledges, planned shares, checklist, documents and
    decisions (coaches, and the project's own founders)."""
    return project_out(db, _project(request, db, project_id))


@post(
    PROJECT + "/founders",
    operation_id="addProjectFounder",
    guards=[staff_only],
    sync_to_thread=True,
)
def add_founder(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: JSONBody[FounderIn],
) -> FounderOut:
    """Name a founder (coaches): a person with an account, who becomes a member of the
    incubator to follow the project, or a name and e-mail (an account is made at launch)."""
    project = _project(request, db, project_id)
    row = service.add_founder(
        db, project, by=_who(request)[1], on=date.today(), **msgspec.structs.asdict(data)
    )
    return founder_out(row, {})


@post(
    PROJECT + "/share-classes",
    operation_id="planProjectShareClass",
    guards=[staff_only],
    sync_to_thread=True,
)
def plan_share_class(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: JSONBody[ShareClassIn],
) -> ShareClassOut:
    """Plan a share class of the future coop (coaches); it is created at launch."""
    project = _project(request, db, project_id)
    row = service.plan_share_class(db, project, by=_who(request)[1], **msgspec.structs.asdict(data))
    return share_class_out(row, minor_unit(project.currency))


@post(
    PROJECT + "/pledges",
    operation_id="pledgeProjectShares",
    guards=[member_only],
    sync_to_thread=True,
)
def pledge_shares(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: JSONBody[PledgeIn],
) -> PledgeOut:
    """Pledge shares to subscribe at launch (your latest pledge per class counts; 0
    withdraws it), within the planned class's minimum and maximum."""
    project = _project(request, db, project_id)
    user_id = _who(request)[1]
    founder = _founder(db, project, data.founder_id, user_id)
    row = service.pledge_shares(
        db,
        project,
        founder,
        class_code=data.share_class,
        quantity=data.quantity,
        by=user_id,
        on=date.today(),
    )
    return PledgeOut(row.founder_id, row.class_code, row.quantity, row.pledged_on)


@post(
    PROJECT + "/checklist/{item_id:uuid}/completion",
    operation_id="completeChecklistItem",
    guards=[member_only],
    sync_to_thread=True,
    status_code=200,
)
def complete_item(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    item_id: FromPath[uuid.UUID],
) -> ChecklistItemOut:
    """Tick a task of the checklist off (the project's founders and coaches)."""
    project = _project(request, db, project_id)
    item = service.complete_checklist_item(
        db, project, item_id, by=_who(request)[1], on=date.today()
    )
    return ChecklistItemOut(item.id, item.stage.value, item.position, item.label, item.done_on)


@post(
    PROJECT + "/documents",
    operation_id="addProjectDocument",
    guards=[member_only],
    sync_to_thread=True,
    request_max_body_size=projects.MAX_DOCUMENT + 1024 * 1024,
)
def add_document(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: Annotated[DocumentForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> DocumentOut:
    """Keep a file with a stage of the project (multipart/form-data: ``document`` and an
    optional ``stage``, the current one by default)."""
    project = _project(request, db, project_id)
    try:
        stage = ProjectStage(data.stage) if data.stage else None
    except ValueError:
        known = ", ".join(s.value for s in ProjectStage)
        raise IncubatorError(f"stage {data.stage!r}: one of {known}", "stage") from None
    row = service.add_document(
        db,
        project,
        filename=data.document.filename or "",
        media_type=data.document.content_type or "",
        content=data.document.file.read(projects.MAX_DOCUMENT + 1),
        by=_who(request)[1],
        stage=stage,
    )
    return document_out(row)


@post(
    PROJECT + "/decisions",
    operation_id="openStageDecision",
    guards=[staff_only],
    sync_to_thread=True,
)
def open_decision(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: JSONBody[DecisionIn],
) -> DecisionOut:
    """Ask the founders whether the project goes past its current stage (coaches): GO moves
    it on, STOP ends it (a quorum of half the founders, a simple majority)."""
    project = _project(request, db, project_id)
    row = service.open_stage_decision(
        db, project, by=_who(request)[1], opens_at=data.opens_at, closes_at=data.closes_at
    )
    return decision_out(db, row)


@post(
    PROJECT + "/decisions/{decision_id:uuid}/ballots",
    operation_id="castStageBallot",
    guards=[member_only],
    sync_to_thread=True,
)
def cast_ballot(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    decision_id: FromPath[uuid.UUID],
    data: JSONBody[BallotIn],
) -> BallotOut:
    """Vote go, stop or abstain on a stage (founders, once; a coach may record a founder's
    vote with ``founder_id``)."""
    project = _project(request, db, project_id)
    user_id = _who(request)[1]
    decision = stage_decisions.get_decision(db, project, decision_id)
    founder = _founder(db, project, data.founder_id, user_id)
    row = service.cast_stage_ballot(db, project, decision, founder, data.choice, by=user_id)
    return BallotOut(row.decision_id, row.founder_id, row.choice.value, row.cast_at)


@post(
    PROJECT + "/decisions/{decision_id:uuid}/closing",
    operation_id="closeStageDecision",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def close_decision(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    decision_id: FromPath[uuid.UUID],
) -> DecisionOut:
    """Count the votes and apply the outcome (coaches), once the vote is over or every
    founder has voted."""
    project = _project(request, db, project_id)
    decision = stage_decisions.get_decision(db, project, decision_id)
    row = service.close_stage_decision(db, project, decision, by=_who(request)[1])
    return decision_out(db, row)


@post(
    PROJECT + "/launch",
    operation_id="launchIncubatorProject",
    guards=[staff_only],
    sync_to_thread=True,
)
def launch(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: JSONBody[LaunchIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Launch the project as a live member coop of this incubator (coaches): its founders
    become its members with their pledged shares paid. Refused before the founders' GO at
    registration, with fewer founders than the law's minimum for the legal form, a founder
    who pledged nothing or an open task of registration. Send an Idempotency-Key: a retry
    creates no second coop."""
    project = _project(request, db, project_id)
    user_id = _who(request)[1]
    day = data.day or date.today()

    def work() -> Any:
        coop = service.launch_project(db, services(request).plugins, project, day, user_id)
        with keeping_loaded_rows(db), tenant_scope(db, coop.id):  # keeps the key's claim
            members, capital = len(members_on(db, day)), capital_on(db, day)
        out = LaunchOut(
            project.id,
            coop.id,
            coop.slug,
            coop.name,
            members,
            capital.quantize(minor_unit(coop.currency)),
            coop.currency,
        )
        return msgspec.to_builtins(out)

    payload = {"project": str(project_id), **msgspec.to_builtins(data)}
    return once(db, idempotency_key, "launchIncubatorProject", payload, work)


INCUBATOR_HANDLERS = [
    create_project,
    list_projects,
    get_project,
    add_founder,
    plan_share_class,
    pledge_shares,
    complete_item,
    add_document,
    open_decision,
    cast_ballot,
    close_decision,
    launch,
]
