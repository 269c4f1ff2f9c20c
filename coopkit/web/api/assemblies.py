"""General assemblies in API v1: createAssembly, convokeAssembly, createResolution, castVote,
giveProxy, recordShowOfHands, closeResolution, getResolutionResult, the minutes.

Members read assemblies and votes, vote and give proxies; staff draft, convene, run
the session and sign the minutes. Refusals are problem+json naming the ``rule``:
422 (a vote outside its window, a proxy beyond the cap, an invalid choice, a notice
period too short), 403 (not in the electorate of the record date), 409 (a second
vote, a closed assembly, results hidden until the vote closes).
``Idempotency-Key`` makes a retried castVote safe: the vote is counted once.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, JSONBody
from sqlalchemy.orm import Session

from coopkit.db.base import utcnow
from coopkit.governance import assemblies as assembly_service
from coopkit.governance.closing import Result, close_resolution, result_of
from coopkit.governance.convocation import convoke
from coopkit.governance.errors import GovernanceError, GovernanceNotFound
from coopkit.governance.minutes import minutes_pdf, sign_minutes, signed_minutes
from coopkit.governance.models import Assembly, Resolution
from coopkit.governance.resolutions import (
    ResolutionDraft,
    create_resolution,
    get_resolution,
    list_votes,
    set_secret,
)
from coopkit.governance.voting import (
    cast_vote,
    give_proxy,
    has_voted,
    record_show_of_hands,
)
from coopkit.tenants.models import Tenant
from coopkit.web.access import member_only, services, staff_only, visitor
from coopkit.web.api.assembly_schemas import (
    AgendaItemOut,
    AssemblyIn,
    AssemblyOut,
    ConvocationOut,
    DocumentForm,
    DocumentOut,
    MinutesOut,
    ProxyIn,
    ProxyOut,
    ResolutionIn,
    ResolutionOut,
    ResolutionPatch,
    ResultOut,
    ShowOfHandsIn,
    SignatureIn,
    VoteIn,
    VoteOut,
)
from coopkit.web.api.expenses import MAX_BODY, read_receipts, receipt_response
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.visibility import is_staff

Db = NamedDependency[Session]
ASSEMBLY = "/t/{slug:str}/assemblies/{assembly_id:uuid}"
RESOLUTION = "/t/{slug:str}/resolutions/{resolution_id:uuid}"


def _who(request: Request[Any, Any, Any]) -> tuple[Tenant, uuid.UUID]:
    found = visitor(request)
    assert found.tenant is not None
    assert found.user_id is not None
    return found.tenant, found.user_id


def base_url(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/")


def resolution_out(db: Session, resolution: Resolution, user_id: uuid.UUID) -> ResolutionOut:
    return ResolutionOut(
        id=resolution.id,
        assembly_id=resolution.assembly_id,
        agenda_item_id=resolution.agenda_item_id,
        title=resolution.title,
        description=resolution.description,
        kind=resolution.kind,
        method=resolution.method,
        options=list(resolution.options),
        secret=resolution.secret,
        hidden_results=resolution.hidden_results,
        record_date=resolution.record_date,
        second_call=resolution.second_call,
        opens_at=resolution.opens_at,
        closes_at=resolution.closes_at,
        closed_at=resolution.closed_at,
        adopted=resolution.adopted,
        effect_kind=resolution.effect_kind,
        effect_payload=resolution.effect_payload,
        voted=has_voted(db, resolution, user_id),
    )


def assembly_out(db: Session, slug: str, assembly: Assembly, user_id: uuid.UUID) -> AssemblyOut:
    base = f"/api/v1/t/{slug}/assemblies/{assembly.id}/documents"
    return AssemblyOut(
        id=assembly.id,
        title=assembly.title,
        kind=assembly.kind,
        status=assembly.status.value,
        meeting_on=assembly.meeting_on,
        meeting_time=assembly.meeting_time,
        place=assembly.place,
        online_url=assembly.online_url,
        record_date=assembly.record_date,
        second_call=assembly.second_call,
        first_call_id=assembly.first_call_id,
        convened_at=assembly.convened_at,
        closed_at=assembly.closed_at,
        chain_head=assembly.chain_head,
        agenda=[
            AgendaItemOut(i.id, i.position, i.title)
            for i in assembly_service.agenda_of(db, assembly)
        ],
        documents=[
            DocumentOut(d.id, d.file_name, d.content_type, d.size, d.sha256, f"{base}/{d.id}")
            for d in assembly_service.documents_of(db, assembly)
        ],
        resolutions=[
            resolution_out(db, r, user_id) for r in assembly_service.resolutions_of(db, assembly)
        ],
        minutes_signed=signed_minutes(db, assembly) is not None,
    )


def result_out(result: Result) -> ResultOut:
    outcome = result.outcome
    return ResultOut(
        resolution_id=result.resolution.id,
        final=result.final,
        method=outcome["method"],
        adopted=outcome["adopted"],
        quorum_reached=outcome["quorum_reached"],
        present=outcome["present"],
        electorate=outcome["electorate"],
        totals=outcome["totals"],
        winner=outcome["winner"],
        rounds=outcome["rounds"],
        explanation=outcome["explanation"],
    )


@get(
    "/t/{slug:str}/assemblies",
    operation_id="listAssemblies",
    guards=[member_only],
    sync_to_thread=True,
)
def list_assemblies(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str]
) -> list[AssemblyOut]:
    """The cooperative's general assemblies, the latest meeting first."""
    _tenant, user_id = _who(request)
    return [assembly_out(db, slug, a, user_id) for a in assembly_service.list_assemblies(db)]


@post(
    "/t/{slug:str}/assemblies",
    operation_id="createAssembly",
    guards=[staff_only],
    sync_to_thread=True,
)
def create_assembly(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[AssemblyIn]
) -> AssemblyOut:
    """Draft an assembly (ordinary or extraordinary) with its agenda; convene it next."""
    _tenant, user_id = _who(request)
    draft = assembly_service.AssemblyDraft(**msgspec.structs.asdict(data))
    return assembly_out(db, slug, assembly_service.create_assembly(db, draft, user_id), user_id)


@get(ASSEMBLY, operation_id="getAssembly", guards=[member_only], sync_to_thread=True)
def get_assembly(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> AssemblyOut:
    """One assembly: its agenda, documents, resolutions and where it stands."""
    _tenant, user_id = _who(request)
    return assembly_out(db, slug, assembly_service.get_assembly(db, assembly_id), user_id)


@post(
    f"{ASSEMBLY}/convocation",
    operation_id="convokeAssembly",
    guards=[staff_only],
    sync_to_thread=True,
)
def convoke_assembly(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> ConvocationOut:
    """E-mail the convocation to every member entitled to vote on the record date. Refused
    when the meeting is closer than the notice period of the law and statutes."""
    tenant, user_id = _who(request)
    sent = convoke(db, tenant, assembly_id, user_id, base_url=base_url(request))
    return ConvocationOut(assembly_id, sent)


@post(
    f"{ASSEMBLY}/documents",
    operation_id="addAssemblyDocuments",
    guards=[staff_only],
    sync_to_thread=True,
    request_max_body_size=MAX_BODY,
)
def add_documents(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: Annotated[DocumentForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> list[DocumentOut]:
    """Attach documents (PDF, JPEG or PNG) to an assembly, or to one of its resolutions."""
    assembly = assembly_service.get_assembly(db, assembly_id)
    resolution = None
    if data.resolution_id:
        try:
            resolution = get_resolution(db, uuid.UUID(data.resolution_id))
        except ValueError:
            raise GovernanceError(
                "resolution_id: give a resolution's id", field="resolution_id"
            ) from None
    added = [
        assembly_service.attach_document(
            db, file, assembly=None if resolution else assembly, resolution=resolution
        )
        for file in read_receipts(data.documents)
    ]
    base = f"/api/v1/t/{slug}/assemblies/{assembly.id}/documents"
    return [
        DocumentOut(d.id, d.file_name, d.content_type, d.size, d.sha256, f"{base}/{d.id}")
        for d in added
    ]


@get(
    f"{ASSEMBLY}/documents/{{document_id:uuid}}",
    operation_id="getAssemblyDocument",
    guards=[member_only],
    sync_to_thread=True,
)
def get_document(
    db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID], document_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """A document of an assembly, as it was uploaded."""
    document = assembly_service.document_file(db, document_id)
    if document.assembly_id != assembly_id:
        raise GovernanceNotFound(f"document {document_id}")
    return receipt_response(document)


@post(f"{ASSEMBLY}/proxies", operation_id="giveProxy", guards=[member_only], sync_to_thread=True)
def give_proxy_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: JSONBody[ProxyIn],
) -> ProxyOut:
    """Give your proxy for this assembly to another member (refused beyond the number of
    proxies one member may hold, with the rule)."""
    tenant, user_id = _who(request)
    proxy = give_proxy(db, tenant, assembly_id, user_id, data.holder_id)
    return ProxyOut(
        proxy.id, proxy.assembly_id, proxy.principal_id, proxy.holder_id, proxy.given_at
    )


@post(
    f"{ASSEMBLY}/session",
    operation_id="openAssembly",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def open_assembly(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> AssemblyOut:
    """The meeting starts: a convened assembly is in session."""
    _tenant, user_id = _who(request)
    assembly = assembly_service.open_session(db, assembly_service.get_assembly(db, assembly_id))
    return assembly_out(db, slug, assembly, user_id)


@post(
    f"{ASSEMBLY}/closing",
    operation_id="closeAssembly",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def close_assembly(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> AssemblyOut:
    """Close every vote still open and the assembly; keeps the audit chain's head."""
    tenant, user_id = _who(request)
    assembly = assembly_service.get_assembly(db, assembly_id)
    assembly_service.close_assembly(db, assembly, tenant, user_id)
    return assembly_out(db, slug, assembly, user_id)


@get(f"{ASSEMBLY}/minutes", operation_id="getMinutes", guards=[member_only], sync_to_thread=True)
def get_minutes(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], assembly_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """The minutes as a PDF: the signed ones, or (staff) a draft before signature."""
    tenant, _user = _who(request)
    assembly = assembly_service.get_assembly(db, assembly_id)
    signed = signed_minutes(db, assembly)
    if signed is not None:
        pdf = signed.pdf
    elif is_staff(request):
        folders = services(request).documents.folders(tenant.country, tenant.slug)
        pdf = minutes_pdf(db, tenant, assembly, folders)
    else:
        raise GovernanceNotFound(f"signed minutes of {assembly.title!r}")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="minutes-{assembly.meeting_on}.pdf"'},
    )


@post(f"{ASSEMBLY}/minutes", operation_id="signMinutes", guards=[staff_only], sync_to_thread=True)
def sign_minutes_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    assembly_id: FromPath[uuid.UUID],
    data: JSONBody[SignatureIn],
) -> MinutesOut:
    """Record the chair's signature: the minutes become final (PDF kept as signed)."""
    tenant, user_id = _who(request)
    folders = services(request).documents.folders(tenant.country, tenant.slug)
    minutes = sign_minutes(
        db,
        tenant,
        assembly_id,
        folders,
        signed_by=data.signed_by,
        signed_on=data.signed_on,
        by=user_id,
    )
    return MinutesOut(
        assembly_id,
        minutes.signed_by_name,
        minutes.signed_on,
        minutes.chain_head,
        minutes.sha256,
        f"/api/v1/t/{slug}/assemblies/{assembly_id}/minutes",
    )


@get(
    "/t/{slug:str}/resolutions",
    operation_id="listResolutions",
    guards=[member_only],
    sync_to_thread=True,
)
def list_resolutions(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str]
) -> list[ResolutionOut]:
    """Every resolution (in assemblies and online votes), the latest closing first."""
    _tenant, user_id = _who(request)
    return [resolution_out(db, r, user_id) for r in list_votes(db)]


@post(
    "/t/{slug:str}/resolutions",
    operation_id="createResolution",
    guards=[staff_only],
    sync_to_thread=True,
)
def create_resolution_handler(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], data: JSONBody[ResolutionIn]
) -> ResolutionOut:
    """Draft a resolution on an assembly's agenda item, or an online vote on its own. An
    effect's payload is checked now against the law (422 with the rule)."""
    _tenant, user_id = _who(request)
    draft = ResolutionDraft(**msgspec.structs.asdict(data))
    return resolution_out(db, create_resolution(db, draft, user_id), user_id)


@get(RESOLUTION, operation_id="getResolution", guards=[member_only], sync_to_thread=True)
def get_resolution_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
) -> ResolutionOut:
    """One resolution and whether you have voted on it."""
    _tenant, user_id = _who(request)
    return resolution_out(db, get_resolution(db, resolution_id), user_id)


@patch(RESOLUTION, operation_id="updateResolution", guards=[staff_only], sync_to_thread=True)
def update_resolution(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
    data: JSONBody[ResolutionPatch],
) -> ResolutionOut:
    """Make a vote secret before anyone votes; a secret vote cannot be made open again (409)."""
    _tenant, user_id = _who(request)
    resolution = set_secret(db, get_resolution(db, resolution_id), data.secret)
    return resolution_out(db, resolution, user_id)


@post(f"{RESOLUTION}/votes", operation_id="castVote", guards=[member_only], sync_to_thread=True)
def cast_vote_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
    data: JSONBody[VoteIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Vote during the window, for yourself or (``on_behalf_of``) for a member whose proxy
    you hold. One vote per voter: a second one is refused (409); a retry with the same
    Idempotency-Key answers the first result and counts nothing again."""
    _tenant, user_id = _who(request)

    def work() -> Any:
        receipt = cast_vote(db, resolution_id, user_id, data.choice, principal_id=data.on_behalf_of)
        out = VoteOut(resolution_id, receipt.voter_id, receipt.cast_by, receipt.cast_at)
        return msgspec.to_builtins(out)

    payload = {
        "resolution": str(resolution_id),
        "choice": msgspec.to_builtins(data.choice),
        "on_behalf_of": str(data.on_behalf_of) if data.on_behalf_of else None,
    }
    return once(db, idempotency_key, "castVote", payload, work)


@post(
    f"{RESOLUTION}/show-of-hands",
    operation_id="recordShowOfHands",
    guards=[staff_only],
    sync_to_thread=True,
)
def show_of_hands(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
    data: JSONBody[ShowOfHandsIn],
) -> ResolutionOut:
    """Record a show of hands in the session (counts per stance or option, members present)."""
    _tenant, user_id = _who(request)
    record_show_of_hands(db, resolution_id, data.counts, data.present, user_id)
    return resolution_out(db, get_resolution(db, resolution_id), user_id)


@post(
    f"{RESOLUTION}/closing",
    operation_id="closeResolution",
    guards=[staff_only],
    sync_to_thread=True,
    status_code=200,
)
def close_resolution_handler(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
) -> ResultOut:
    """Close the vote: count it with the electorate of the record date and the rule of its
    kind, store the outcome and apply an adopted resolution's effect. Closing twice answers
    the same result."""
    tenant, user_id = _who(request)
    return result_out(close_resolution(db, tenant, resolution_id, user_id, utcnow()))


@get(
    f"{RESOLUTION}/result",
    operation_id="getResolutionResult",
    guards=[member_only],
    sync_to_thread=True,
)
def get_result(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    resolution_id: FromPath[uuid.UUID],
) -> ResultOut:
    """The outcome with its explanation (a provisional count while the vote runs); 409 while
    the results are hidden until the vote closes."""
    tenant, _user = _who(request)
    return result_out(result_of(db, tenant, resolution_id))


ASSEMBLY_HANDLERS = [
    list_assemblies,
    create_assembly,
    get_assembly,
    convoke_assembly,
    add_documents,
    get_document,
    give_proxy_handler,
    open_assembly,
    close_assembly,
    get_minutes,
    sign_minutes_handler,
    list_resolutions,
    create_resolution_handler,
    get_resolution_handler,
    update_resolution,
    cast_vote_handler,
    show_of_hands,
    close_resolution_handler,
    get_result,
]
