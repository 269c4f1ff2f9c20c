"""Incubator pages: coaches follow projects from idea to launch, founders pledge and vote.

Coaches are the incubator's staff: they see every project, open and close the
founders' GO/STOP decisions and launch a project into a live member coop.
Founders are members of the incubator named on a project: they see theirs,
pledge shares, vote, tick the checklist and read the draft statutes. Anyone
else gets 404, as for a project that does not exist (coopkit.incubator.projects).
The public directory lists the launched member coops, without signing in.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, ServiceUnavailableException
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from coopkit.db.base import utcnow
from coopkit.documents import DocumentError, document_locale
from coopkit.i18n import _
from coopkit.incubator import service
from coopkit.incubator.decisions import decisions, get_decision, open_decision, tally
from coopkit.incubator.directory import launched_coops
from coopkit.incubator.errors import IncubatorError, IncubatorForbidden, IncubatorNotFound
from coopkit.incubator.models import STAGE_ORDER, IncubatorProject, ProjectStage, StageChoice
from coopkit.incubator.projects import (
    MAX_DOCUMENT,
    checklist,
    documents,
    founder_of,
    founders,
    get_project,
    is_coach,
    planned_classes,
    pledged_capital,
    pledges,
    stage_history,
    visible_projects,
)
from coopkit.incubator.statutes import StatutesError, render_statutes_html, render_statutes_pdf
from coopkit.money import Money
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.pages.shares import pdf_response
from coopkit.web.templating import act, flash, page, request_locale
from coopkit.web.uploads import uploaded_files

Db = NamedDependency[Session]
PROJECT = "/t/{slug:str}/incubator/{project_id:uuid}"
REFUSED = (IncubatorError, IncubatorForbidden, StatutesError)
DECISION_DAYS = 7  # a GO/STOP decision stays open a week unless a coach closes it earlier


def _me(request: Request[Any, Any, Any]) -> uuid.UUID:
    me = visitor(request).user_id
    assert me is not None
    return me


def _project(
    request: Request[Any, Any, Any], db: Session, project_id: uuid.UUID
) -> IncubatorProject:
    try:
        return get_project(db, project_id, _me(request))
    except IncubatorNotFound as error:
        raise NotFoundException(str(error)) from None


def _back(slug: str, project_id: uuid.UUID) -> Redirect:
    return Redirect(f"/t/{slug}/incubator/{project_id}")


def _act(request: Request[Any, Any, Any], work: Any, done: str, **params: Any) -> None:
    act(request, work, done, REFUSED, **params)


@get("/t/{slug:str}/incubator", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def projects_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    """The projects I may see (every one for a coach), by stage."""
    projects = visible_projects(db, _me(request))
    by_stage = {stage: [p for p in projects if p.stage is stage] for stage in ProjectStage}
    return page(
        request,
        "incubator_projects.html",
        by_stage={stage: found for stage, found in by_stage.items() if found},
        coach=is_coach(db, _me(request)),
    )


@get(PROJECT, guards=[member_only], include_in_schema=False, sync_to_thread=True)
def project_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> Template:
    """Stages, checklist, documents, founders and pledges, the decision, statutes, launch."""
    project = _project(request, db, project_id)
    me = _me(request)
    current = open_decision(db, project)
    people = founders(db, project)
    classes = planned_classes(db, project)
    nominal = {c.code: c.nominal for c in classes}
    return page(
        request,
        "incubator_project.html",
        project=project,
        stages=STAGE_ORDER,
        history=stage_history(db, project),
        items=checklist(db, project, project.stage) if not project.stage.final else [],
        files=documents(db, project),
        founders=people,
        classes=classes,
        promised=pledges(db, project),
        capital=Money(pledged_capital(db, project), project.currency),
        nominal=nominal,
        decision=current,
        outcome=tally(db, project, current) if current is not None else None,
        past=[d for d in decisions(db, project) if d.closed_at is not None],
        coach=is_coach(db, me),
        me=founder_of(db, project, me),
        choices=[c.value for c in StageChoice],
    )


@post(
    f"{PROJECT}/checklist/{{item_id:uuid}}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def tick_item(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    item_id: FromPath[uuid.UUID],
) -> Redirect:
    project = _project(request, db, project_id)
    _act(
        request,
        lambda: service.complete_checklist_item(
            db, project, item_id, by=_me(request), on=date.today()
        ),
        _("Done."),
    )
    return _back(slug, project_id)


@post(f"{PROJECT}/pledge", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def pledge_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: URLEncodedBody[dict[str, str]],
) -> Redirect:
    """A founder pledges shares of a planned class (the latest pledge per class counts)."""
    project = _project(request, db, project_id)
    founder = founder_of(db, project, _me(request))
    if founder is None:
        flash(request, _("Only the project's founders pledge shares."), "error")
        return _back(slug, project_id)
    try:
        quantity = int(data.get("quantity", "").strip())
    except ValueError:
        flash(request, _("Give a whole number of shares."), "error")
        return _back(slug, project_id)
    _act(
        request,
        lambda: service.pledge_shares(
            db,
            project,
            founder,
            class_code=data.get("share_class", ""),
            quantity=quantity,
            by=_me(request),
            on=date.today(),
        ),
        _("Your pledge is recorded."),
    )
    return _back(slug, project_id)


@post(f"{PROJECT}/decision/open", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def open_decision_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> Redirect:
    project = _project(request, db, project_id)
    now = utcnow()
    _act(
        request,
        lambda: service.open_stage_decision(
            db, project, by=_me(request), opens_at=now, closes_at=now + timedelta(DECISION_DAYS)
        ),
        _("The founders may now vote GO or STOP."),
    )
    return _back(slug, project_id)


@post(
    f"{PROJECT}/decision/close", guards=[staff_only], include_in_schema=False, sync_to_thread=True
)
def close_decision_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> Redirect:
    project = _project(request, db, project_id)
    current = open_decision(db, project)
    if current is None:
        flash(request, _("No decision is open."), "error")
        return _back(slug, project_id)
    _act(
        request,
        lambda: service.close_stage_decision(db, project, current, by=_me(request), now=utcnow()),
        _("The decision is closed."),
    )
    return _back(slug, project_id)


@post(
    f"{PROJECT}/decision/vote", guards=[member_only], include_in_schema=False, sync_to_thread=True
)
def vote_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: URLEncodedBody[dict[str, str]],
) -> Redirect:
    """A founder votes GO, STOP or abstains on the open decision."""
    project = _project(request, db, project_id)
    founder = founder_of(db, project, _me(request))
    current = open_decision(db, project)
    if founder is None or current is None:
        flash(request, _("There is no decision for you to vote on."), "error")
        return _back(slug, project_id)
    try:
        decision = get_decision(db, project, current.id)
    except IncubatorNotFound as error:
        raise NotFoundException(str(error)) from None
    _act(
        request,
        lambda: service.cast_stage_ballot(
            db, project, decision, founder, data.get("choice", ""), by=_me(request), now=utcnow()
        ),
        _("Your vote is recorded."),
    )
    return _back(slug, project_id)


@post(f"{PROJECT}/launch", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def launch_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> Redirect:
    """Launch the project into a live member coop, or say what stands in the way."""
    project = _project(request, db, project_id)
    plugins = services(request).plugins
    _act(
        request,
        lambda: service.launch_project(db, plugins, project, date.today(), _me(request)),
        _("%(name)s is launched: its founders are its first members."),
        name=project.name,
    )
    return _back(slug, project_id)


def _statutes(request: Request[Any, Any, Any], db: Session, project: IncubatorProject) -> Any:
    plugins = services(request).plugins
    try:
        return service.statutes_context(db, plugins, project, date.today())
    except REFUSED as error:
        raise NotFoundException(str(error)) from None


@get(f"{PROJECT}/statutes", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def statutes_preview(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> Response[str]:
    """The draft statutes as a page, in the visitor's language."""
    project = _project(request, db, project_id)
    context = _statutes(request, db, project)
    locale = document_locale(request_locale(request), project.locales)
    try:
        html = render_statutes_html(services(request).plugins, context, locale)
    except StatutesError as error:
        raise ServiceUnavailableException(str(error)) from None
    return Response(html, media_type="text/html; charset=utf-8")


@get(f"{PROJECT}/statutes.pdf", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def statutes_pdf(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], project_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    project = _project(request, db, project_id)
    context = _statutes(request, db, project)
    locale = document_locale(request_locale(request), project.locales)
    try:
        content = render_statutes_pdf(services(request).plugins, context, locale)
    except (DocumentError, StatutesError) as error:
        raise ServiceUnavailableException(str(error)) from None
    return pdf_response(content, f"statutes-{project.slug}-draft.pdf")


@post(
    f"{PROJECT}/documents",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
    request_max_body_size=MAX_DOCUMENT + 1024 * 1024,
)
def documents_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    """A coach or a founder keeps a file with the project's current stage."""
    project = _project(request, db, project_id)
    value = data.get("document")
    uploads = uploaded_files(value)
    if not uploads:
        flash(request, _("Choose a file to upload."), "error")
        return _back(slug, project_id)

    def keep() -> None:
        for upload in uploads:
            service.add_document(
                db,
                project,
                filename=upload.filename or "",
                media_type=upload.content_type or "",
                content=upload.file.read(),
                by=_me(request),
            )

    _act(request, keep, _("Document kept with the stage."))
    return _back(slug, project_id)


@get(
    f"{PROJECT}/documents/{{document_id:uuid}}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def document_download(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    project_id: FromPath[uuid.UUID],
    document_id: FromPath[uuid.UUID],
) -> Response[bytes]:
    project = _project(request, db, project_id)
    for found in documents(db, project):
        if found.id == document_id:
            return Response(
                found.content,
                media_type=found.media_type,
                headers={
                    "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
                    # an uploaded file is only ever downloaded, never run as a page
                    "X-Content-Type-Options": "nosniff",
                    "Content-Security-Policy": "sandbox",
                },
            )
    raise NotFoundException("no such document")


@get("/directory/coops", include_in_schema=False, sync_to_thread=True)
def coops_directory(request: Request[Any, Any, Any], db: Db) -> Template:
    """The member coops launched here and what they offer; open to anyone."""
    return page(request, "incubator_coops.html", coops=launched_coops(db))


INCUBATOR_PAGES = [
    projects_page,
    project_page,
    tick_item,
    pledge_form,
    open_decision_form,
    close_decision_form,
    vote_form,
    launch_form,
    statutes_preview,
    statutes_pdf,
    documents_form,
    document_download,
    coops_directory,
]
