"""Assembly pages: the list, one assembly with its agenda, documents and my proxy; for staff
the convening form, the session (convene, open, add resolutions, close) and the minutes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.base import utcnow
from coopkit.expenses.receipts import ReceiptFile
from coopkit.governance import assemblies as service
from coopkit.governance.convocation import convoke
from coopkit.governance.effects import EffectRefused
from coopkit.governance.errors import GovernanceError, GovernanceNotFound
from coopkit.governance.minutes import minutes_pdf, sign_minutes, signed_minutes
from coopkit.governance.resolutions import ResolutionDraft, create_resolution, list_votes
from coopkit.governance.rules import electorate_on
from coopkit.governance.voting import give_proxy, proxies_held, proxy_given
from coopkit.i18n import _
from coopkit.people.models import User
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.expenses import MAX_BODY, receipt_response
from coopkit.web.templating import act, flash, page
from coopkit.web.visibility import is_staff

Db = NamedDependency[Session]
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
REFUSED = (GovernanceError, EffectRefused, LookupError)
ASSEMBLY = "/t/{slug:str}/assemblies/{assembly_id:uuid}"


def _back(slug: str, assembly_id: uuid.UUID) -> Redirect:
    return Redirect(f"/t/{slug}/assemblies/{assembly_id}")


def names_of(db: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    return {
        row.id: row.name for row in db.execute(select(User.id, User.name).where(User.id.in_(ids)))
    }


@get("/t/{slug:str}/assemblies", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def assemblies_page(request: Request[Any, Any, Any], db: Db, slug: FromPath[str]) -> Template:
    online = [r for r in list_votes(db) if r.assembly_id is None]
    return page(
        request,
        "assemblies.html",
        assemblies=service.list_assemblies(db),
        online=online,
        is_staff=is_staff(request),
    )


@get(
    "/t/{slug:str}/assemblies/new",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=False,
)
def new_assembly_page(request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
    return page(request, "assembly_form.html", form={"kind": "ordinary"}, error=None)


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise GovernanceError(f"{name}: give a day as YYYY-MM-DD", field=name) from None


@post(
    "/t/{slug:str}/assemblies/create",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def create_assembly_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: Form
) -> Template | Redirect:
    form = {key: str(value) for key, value in data.items()}
    try:
        draft = service.AssemblyDraft(
            title=form.get("title", ""),
            kind=form.get("kind", "ordinary"),
            meeting_on=_day(form.get("meeting_on", ""), "meeting_on"),
            record_date=_day(form.get("record_date", ""), "record_date"),
            meeting_time=form.get("meeting_time", "").strip(),
            place=form.get("place", ""),
            online_url=form.get("online_url", ""),
            agenda=[line for line in form.get("agenda", "").splitlines() if line.strip()],
            first_call_id=uuid.UUID(form["first_call_id"]) if form.get("first_call_id") else None,
        )
        assembly = service.create_assembly(db, draft, visitor(request).user_id)
    except REFUSED as error:
        return page(request, "assembly_form.html", status_code=400, form=form, error=str(error))
    flash(request, _("Assembly %(title)s drafted."), "info", title=assembly.title)
    return _back(slug, assembly.id)


@get(ASSEMBLY, guards=[member_only], include_in_schema=False, sync_to_thread=True)
def assembly_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> Template:
    assembly = service.get_assembly(db, assembly_id)
    me = visitor(request).user_id
    assert me is not None
    voters = list(electorate_on(db, assembly.record_date).voters)
    names = names_of(db, voters)
    given = proxy_given(db, assembly, me)
    held = proxies_held(db, assembly, me)
    return page(
        request,
        "assembly_page.html",
        assembly=assembly,
        agenda=service.agenda_of(db, assembly),
        resolutions=service.resolutions_of(db, assembly),
        documents=service.documents_of(db, assembly),
        entitled=me in voters,
        electorate=len(voters),
        holders=sorted(((v, names.get(v, "?")) for v in voters if v != me), key=lambda p: p[1]),
        given=given,
        given_to=names.get(given.holder_id) if given else None,
        held=[names_of(db, [p.principal_id]).get(p.principal_id, "?") for p in held],
        minutes=signed_minutes(db, assembly),
        is_staff=is_staff(request),
        now=utcnow(),
    )


def _act(request: Request[Any, Any, Any], work: Any, done: str, **params: Any) -> None:
    act(request, work, done, REFUSED, **params)


@post(f"{ASSEMBLY}/convoke", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def convoke_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> Redirect:
    tenant = visitor(request).tenant
    assert tenant is not None
    base = str(request.base_url).rstrip("/")
    _act(
        request,
        lambda: convoke(db, tenant, assembly_id, visitor(request).user_id, base_url=base),
        _("Convocation queued for every member entitled to vote."),
    )
    return _back(slug, assembly_id)


@post(f"{ASSEMBLY}/open", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def open_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> Redirect:
    _act(
        request,
        lambda: service.open_session(db, service.get_assembly(db, assembly_id)),
        _("The assembly is in session."),
    )
    return _back(slug, assembly_id)


@post(f"{ASSEMBLY}/close", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def close_form(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> Redirect:
    who = visitor(request)
    assert who.tenant is not None
    tenant = who.tenant
    _act(
        request,
        lambda: service.close_assembly(
            db, service.get_assembly(db, assembly_id), tenant, who.user_id
        ),
        _("The assembly is closed and its votes counted."),
    )
    return _back(slug, assembly_id)


@post(
    f"{ASSEMBLY}/documents",
    guards=[staff_only],
    include_in_schema=False,
    sync_to_thread=True,
    request_max_body_size=MAX_BODY,
)
def documents_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Redirect:
    value = data.get("documents")
    uploads: list[Any] = [
        v for v in (value if isinstance(value, list) else [value]) if hasattr(v, "file")
    ]
    assembly = service.get_assembly(db, assembly_id)

    def attach() -> None:
        for upload in uploads:
            file = ReceiptFile(upload.filename or "", upload.file.read())
            service.attach_document(db, file, assembly=assembly)

    _act(request, attach, _("Documents attached."))
    return _back(slug, assembly_id)


@get(
    f"{ASSEMBLY}/documents/{{document_id:uuid}}",
    guards=[member_only],
    include_in_schema=False,
    sync_to_thread=True,
)
def document_page(
    db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID], document_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    document = service.document_file(db, document_id)
    if document.assembly_id != assembly_id:
        raise GovernanceNotFound(f"document {document_id} in this assembly")
    return receipt_response(document)


def _moment(value: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=utcnow().tzinfo)
    except ValueError:
        raise GovernanceError(f"{name}: give a day and time (UTC)", field=name) from None


@post(f"{ASSEMBLY}/resolutions", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def resolution_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: Form,
) -> Redirect:
    form = {key: str(value) for key, value in data.items()}

    def draft() -> None:
        item = form.get("agenda_item_id", "")
        create_resolution(
            db,
            ResolutionDraft(
                title=form.get("title", ""),
                description=form.get("description", ""),
                kind=form.get("kind", "ordinary"),
                method=form.get("method", "proposal"),
                options=form.get("options", "").splitlines(),
                secret=form.get("secret") == "on",
                hidden_results=form.get("hidden_results") == "on",
                opens_at=_moment(form.get("opens_at", ""), "opens_at"),
                closes_at=_moment(form.get("closes_at", ""), "closes_at"),
                assembly_id=assembly_id,
                agenda_item_id=uuid.UUID(item) if item else None,
            ),
            visitor(request).user_id,
        )

    _act(request, draft, _("Resolution added."))
    return _back(slug, assembly_id)


@post(f"{ASSEMBLY}/proxy", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def proxy_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: Form,
) -> Redirect:
    who = visitor(request)
    assert who.tenant is not None
    assert who.user_id is not None
    tenant, me = who.tenant, who.user_id

    def give() -> None:
        try:
            holder = uuid.UUID(str(data.get("holder_id", "")))
        except ValueError:
            raise GovernanceError("choose the member who will vote for you") from None
        give_proxy(db, tenant, assembly_id, me, holder)

    _act(request, give, _("Your proxy is given."))
    return _back(slug, assembly_id)


@get(f"{ASSEMBLY}/minutes.pdf", guards=[member_only], include_in_schema=False, sync_to_thread=True)
def minutes_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """The signed minutes, or for staff a draft to read before the chair signs."""
    tenant = visitor(request).tenant
    assert tenant is not None
    assembly = service.get_assembly(db, assembly_id)
    signed = signed_minutes(db, assembly)
    if signed is None and not is_staff(request):
        raise GovernanceNotFound("signed minutes of this assembly")
    folders = services(request).documents.folders(tenant.country, tenant.slug)
    pdf = signed.pdf if signed else minutes_pdf(db, tenant, assembly, folders)
    return Response(pdf, media_type="application/pdf")


@post(f"{ASSEMBLY}/sign", guards=[staff_only], include_in_schema=False, sync_to_thread=True)
def sign_form(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: Form,
) -> Redirect:
    who = visitor(request)
    assert who.tenant is not None
    tenant = who.tenant
    folders = services(request).documents.folders(tenant.country, tenant.slug)

    def sign() -> None:
        sign_minutes(
            db,
            tenant,
            assembly_id,
            folders,
            signed_by=str(data.get("signed_by", "")),
            signed_on=_day(str(data.get("signed_on", "")), "signed_on"),
            by=who.user_id,
        )

    _act(request, sign, _("The minutes are signed and final."))
    return _back(slug, assembly_id)


ASSEMBLY_PAGES = [
    assemblies_page,
    new_assembly_page,
    create_assembly_form,
    assembly_page,
    convoke_form,
    open_form,
    close_form,
    documents_form,
    document_page,
    resolution_form,
    proxy_form,
    minutes_page,
    sign_form,
]
