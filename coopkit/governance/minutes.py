"""The minutes of an assembly: a PDF from a Jinja2 template, signed off by the chair.

The minutes show the attendance, each agenda item with its resolution, outcome and
explanation lines, and the audit chain's head when the assembly closed: written in
a signed document, it proves later that no event was removed from the log. Once the
chair's signature is recorded the PDF is stored, final (append-only).

Attendance is read from the votes: ``present`` counts the members who voted
themselves (online or in the room) — the largest show of hands counts as those in
the room — and ``represented`` the proxies given for the assembly.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.documents import render_pdf
from coopkit.governance.assemblies import agenda_of, get_assembly, resolutions_of
from coopkit.governance.errors import GovernanceConflict, GovernanceError
from coopkit.governance.models import (
    Assembly,
    AssemblyStatus,
    Minutes,
    Proxy,
    Resolution,
    SessionTally,
    VoteReceipt,
)
from coopkit.governance.rules import electorate_on
from coopkit.tenants.models import Tenant

TEMPLATE = "assembly_minutes.html"


@dataclass(frozen=True)
class Attendance:
    electorate: int
    present: int
    represented: int


@dataclass(frozen=True)
class MinutesItem:
    """An agenda item and the resolutions voted on it (none for an item only discussed)."""

    position: int
    title: str
    resolutions: list[Resolution]


def attendance(db: Session, assembly: Assembly) -> Attendance:
    ids = [r.id for r in resolutions_of(db, assembly)]
    own = db.scalar(
        select(func.count(func.distinct(VoteReceipt.voter_id))).where(
            VoteReceipt.resolution_id.in_(ids), VoteReceipt.cast_by == VoteReceipt.voter_id
        )
    )
    hands = db.scalar(
        select(func.max(SessionTally.present)).where(SessionTally.resolution_id.in_(ids))
    )
    represented = db.scalar(select(func.count(Proxy.id)).where(Proxy.assembly_id == assembly.id))
    return Attendance(
        electorate=electorate_on(db, assembly.record_date).size,
        present=int(own or 0) + int(hands or 0),
        represented=int(represented or 0),
    )


def minutes_items(db: Session, assembly: Assembly) -> list[MinutesItem]:
    resolutions = resolutions_of(db, assembly)
    items = [
        MinutesItem(
            item.position, item.title, [r for r in resolutions if r.agenda_item_id == item.id]
        )
        for item in agenda_of(db, assembly)
    ]
    loose = [r for r in resolutions if r.agenda_item_id is None]
    if loose:
        items.append(MinutesItem(len(items) + 1, "", loose))
    return items


def minutes_context(db: Session, tenant: Tenant, assembly: Assembly) -> dict[str, Any]:
    return {
        "tenant": tenant,
        "assembly": assembly,
        "first_call": get_assembly(db, assembly.first_call_id) if assembly.first_call_id else None,
        "attendance": attendance(db, assembly),
        "items": minutes_items(db, assembly),
        "chain_head": assembly.chain_head or audit.verify(db).head,
        "signed_by": None,
        "signed_on": None,
    }


def minutes_pdf(
    db: Session,
    tenant: Tenant,
    assembly: Assembly,
    folders: list[Path],
    *,
    signed_by: str | None = None,
    signed_on: date | None = None,
) -> bytes:
    """The minutes as a PDF in the cooperative's first language (a draft until signed)."""
    context = minutes_context(db, tenant, assembly)
    context |= {"signed_by": signed_by, "signed_on": signed_on}
    return render_pdf(folders, TEMPLATE, tenant.locales[0], **context)


def signed_minutes(db: Session, assembly: Assembly) -> Minutes | None:
    return db.scalar(select(Minutes).where(Minutes.assembly_id == assembly.id))


def sign_minutes(
    db: Session,
    tenant: Tenant,
    assembly_id: uuid.UUID,
    folders: list[Path],
    *,
    signed_by: str,
    signed_on: date,
    by: uuid.UUID | None,
) -> Minutes:
    """Record the chair's signature: the PDF is rendered with it and kept, final."""
    assembly = get_assembly(db, assembly_id)
    if assembly.status is not AssemblyStatus.CLOSED:
        raise GovernanceConflict(
            f"assembly {assembly.title!r} is not closed: its minutes are signed after it closes"
        )
    if signed_minutes(db, assembly) is not None:
        raise GovernanceConflict(f"the minutes of {assembly.title!r} are signed already")
    name = signed_by.strip()
    if not name or len(name) > 200:
        raise GovernanceError("signed_by: give the chair's name", field="signed_by")
    pdf = minutes_pdf(db, tenant, assembly, folders, signed_by=name, signed_on=signed_on)
    minutes = Minutes(
        assembly_id=assembly.id,
        signed_by_name=name,
        signed_on=signed_on,
        recorded_by=by,
        chain_head=assembly.chain_head or audit.verify(db).head,
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    db.add(minutes)
    db.flush()
    audit.record(
        db,
        "minutes.signed",
        "assembly",
        assembly.id,
        {"signed_by": name, "signed_on": signed_on, "sha256": minutes.sha256},
        actor_id=by,
    )
    return minutes
