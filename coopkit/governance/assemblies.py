"""Drafting an assembly (its agenda and documents), the session, and closing it.

A second call is an assembly of its own pointing at the first one: it may be
drafted only when the first call closed with a resolution that missed its quorum,
and its resolutions are counted with the second-call quorum and majority.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.expenses.errors import ExpenseError
from coopkit.expenses.receipts import ReceiptFile, check_receipt
from coopkit.governance.errors import GovernanceConflict, GovernanceError, GovernanceNotFound
from coopkit.governance.models import (
    KINDS,
    AgendaItem,
    Assembly,
    AssemblyDocument,
    AssemblyStatus,
    Resolution,
)
from coopkit.tenants.models import Tenant

MAX_DOCUMENTS = 20


@dataclass(frozen=True)
class AssemblyDraft:
    """An assembly as staff draft it; ``agenda`` lists the items' titles in order."""

    title: str
    kind: str
    meeting_on: date
    record_date: date
    meeting_time: str = ""
    place: str = ""
    online_url: str = ""
    agenda: Sequence[str] = field(default_factory=tuple)
    first_call_id: uuid.UUID | None = None


def _text(value: str, name: str, limit: int, required: bool = True) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise GovernanceError(f"{name}: give one", field=name)
    if len(cleaned) > limit:
        raise GovernanceError(f"{name}: at most {limit} characters", field=name)
    return cleaned


def get_assembly(db: Session, assembly_id: uuid.UUID) -> Assembly:
    found = db.scalar(select(Assembly).where(Assembly.id == assembly_id))
    if found is None:
        raise GovernanceNotFound(f"assembly {assembly_id}")
    return found


def list_assemblies(db: Session) -> list[Assembly]:
    """Every assembly of the cooperative, the latest meeting first."""
    return list(
        db.scalars(select(Assembly).order_by(Assembly.meeting_on.desc(), Assembly.created_at))
    )


def agenda_of(db: Session, assembly: Assembly) -> list[AgendaItem]:
    return list(
        db.scalars(
            select(AgendaItem)
            .where(AgendaItem.assembly_id == assembly.id)
            .order_by(AgendaItem.position)
        )
    )


def resolutions_of(db: Session, assembly: Assembly) -> list[Resolution]:
    """The assembly's resolutions in agenda order (then in the order they were drafted)."""
    positions = {item.id: item.position for item in agenda_of(db, assembly)}
    found = db.scalars(select(Resolution).where(Resolution.assembly_id == assembly.id))
    return sorted(
        found,
        key=lambda r: (
            positions.get(r.agenda_item_id, 10**6) if r.agenda_item_id else 10**6,
            r.created_at,
        ),
    )


def documents_of(
    db: Session, assembly: Assembly | None = None, resolution: Resolution | None = None
) -> list[AssemblyDocument]:
    query = select(AssemblyDocument).order_by(AssemblyDocument.uploaded_at)
    if assembly is not None:
        query = query.where(AssemblyDocument.assembly_id == assembly.id)
    if resolution is not None:
        query = query.where(AssemblyDocument.resolution_id == resolution.id)
    return list(db.scalars(query))


def _check_first_call(db: Session, first_call_id: uuid.UUID) -> Assembly:
    first = get_assembly(db, first_call_id)
    rule = "second call: only an assembly that closed without its quorum is called again"
    if first.status is not AssemblyStatus.CLOSED:
        raise GovernanceError(f"assembly {first.title!r} is not closed yet", rule, "first_call_id")
    missed = [
        r for r in resolutions_of(db, first) if r.outcome and not r.outcome.get("quorum_reached")
    ]
    if not missed:
        raise GovernanceError(
            f"assembly {first.title!r} reached its quorum on every resolution",
            rule,
            "first_call_id",
        )
    return first


def create_assembly(db: Session, draft: AssemblyDraft, by: uuid.UUID | None) -> Assembly:
    """Record a draft assembly and its agenda; GovernanceError names the field to fix."""
    if draft.kind not in KINDS:
        raise GovernanceError(
            f"kind: {draft.kind!r} is not one of {', '.join(KINDS)}", field="kind"
        )
    if draft.record_date > draft.meeting_on:
        raise GovernanceError(
            f"record_date {draft.record_date} is after the meeting ({draft.meeting_on}): the "
            "electorate is fixed on or before the meeting day",
            field="record_date",
        )
    place = _text(draft.place, "place", 300, required=False)
    online_url = _text(draft.online_url, "online_url", 500, required=False)
    if not place and not online_url:
        raise GovernanceError(
            "place: give the place of the meeting or its online link", field="place"
        )
    if draft.meeting_time and not _is_time(draft.meeting_time):
        raise GovernanceError("meeting_time: give it as HH:MM", field="meeting_time")
    first = _check_first_call(db, draft.first_call_id) if draft.first_call_id else None
    assembly = Assembly(
        title=_text(draft.title, "title", 200),
        kind=draft.kind,
        meeting_on=draft.meeting_on,
        meeting_time=draft.meeting_time,
        place=place,
        online_url=online_url,
        record_date=draft.record_date,
        second_call=first is not None,
        first_call_id=first.id if first else None,
        created_by=by,
    )
    db.add(assembly)
    db.flush()
    for position, title in enumerate(draft.agenda, start=1):
        add_agenda_item(db, assembly, title, position)
    audit.record(
        db,
        "assembly.drafted",
        "assembly",
        assembly.id,
        {
            "title": assembly.title,
            "meeting_on": assembly.meeting_on,
            "second_call": first is not None,
        },
    )
    return assembly


def _is_time(value: str) -> bool:
    try:
        datetime.strptime(value, "%H:%M")
    except ValueError:
        return False
    return True


def add_agenda_item(
    db: Session, assembly: Assembly, title: str, position: int | None = None, notes: str = ""
) -> AgendaItem:
    """Add an item at the end of the agenda (or at ``position``) of an assembly not yet closed."""
    _not_closed(assembly)
    if position is None:
        position = len(agenda_of(db, assembly)) + 1
    item = AgendaItem(
        assembly_id=assembly.id,
        position=position,
        title=_text(title, "agenda", 300),
        notes=notes.strip(),
    )
    db.add(item)
    db.flush()
    return item


def _not_closed(assembly: Assembly) -> None:
    if assembly.status is AssemblyStatus.CLOSED:
        raise GovernanceConflict(f"assembly {assembly.title!r} is closed: its record is final")


def attach_document(
    db: Session,
    file: ReceiptFile,
    *,
    assembly: Assembly | None = None,
    resolution: Resolution | None = None,
) -> AssemblyDocument:
    """Keep a PDF, JPEG or PNG file (at most 10 MB) with an assembly or a resolution."""
    if assembly is not None:
        _not_closed(assembly)
    if len(documents_of(db, assembly, resolution)) >= MAX_DOCUMENTS:
        raise GovernanceError(f"at most {MAX_DOCUMENTS} documents", field="documents")
    try:
        checked = check_receipt(file)
    except ExpenseError as error:
        message = str(error).replace("a receipt", "a document").replace("the receipt", "the file")
        raise GovernanceError(message, field="documents") from None
    document = AssemblyDocument(
        assembly_id=assembly.id if assembly else (resolution.assembly_id if resolution else None),
        resolution_id=resolution.id if resolution else None,
        file_name=checked.file_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        content=checked.content,
    )
    db.add(document)
    db.flush()
    return document


def document_file(db: Session, document_id: uuid.UUID) -> AssemblyDocument:
    found = db.scalar(select(AssemblyDocument).where(AssemblyDocument.id == document_id))
    if found is None:
        raise GovernanceNotFound(f"document {document_id}")
    return found


def open_session(db: Session, assembly: Assembly) -> Assembly:
    """The meeting starts: a convened assembly becomes open."""
    if assembly.status is not AssemblyStatus.CONVENED:
        raise GovernanceConflict(
            f"assembly {assembly.title!r} is {assembly.status.value}: "
            "only a convened assembly opens",
            "convene the assembly with its notice period first",
        )
    assembly.status = AssemblyStatus.OPEN
    audit.record(db, "assembly.opened", "assembly", assembly.id, {"title": assembly.title})
    return assembly


def close_assembly(
    db: Session,
    assembly: Assembly,
    tenant: Tenant,
    by: uuid.UUID | None,
    now: datetime | None = None,
) -> Assembly:
    """Close every resolution still open, then the assembly; keep the audit chain's head."""
    from coopkit.governance.closing import close_resolution

    if assembly.status is AssemblyStatus.CLOSED:
        return assembly
    if assembly.status is AssemblyStatus.DRAFT:
        raise GovernanceConflict(f"assembly {assembly.title!r} was never convened")
    moment = now or utcnow()
    for resolution in resolutions_of(db, assembly):
        close_resolution(db, tenant, resolution.id, by, moment)
    assembly.status = AssemblyStatus.CLOSED
    assembly.closed_at = moment
    audit.record(db, "assembly.closed", "assembly", assembly.id, {"title": assembly.title})
    assembly.chain_head = audit.verify(db).head
    return assembly
