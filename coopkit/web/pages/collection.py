"""Debt collection for staff: the overdue invoices and their dunning steps, the invoices
ready for collection or write-off, the write-offs, and each letter's PDF."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.collection.models import DunningStep
from coopkit.collection.overview import STEP_LABELS, collection_overview
from coopkit.collection.schedule import letter_filename
from coopkit.invoicing.models import Invoice
from coopkit.money import Money
from coopkit.web.access import services, staff_only, visitor
from coopkit.web.templating import page

Db = NamedDependency[Session]


@get("/t/{slug:str}/collection", guards=[staff_only], include_in_schema=False,
     sync_to_thread=True)  # fmt: skip
def collection_page(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], on: FromQuery[date | None] = None
) -> Template:
    """The overdue invoices with their figures to ``on`` (today by default)."""
    tenant = visitor(request).tenant
    assert tenant is not None
    overview = collection_overview(db, on or date.today(), services(request).plugins,
                                   tenant.country)  # fmt: skip
    return page(
        request,
        "collection.html",
        overview=overview,
        steps=STEP_LABELS,
        cash=Money,
    )


@get("/t/{slug:str}/collection/letters/{name:str}", guards=[staff_only],
     include_in_schema=False, sync_to_thread=True)  # fmt: skip
def letter_download(db: Db, slug: FromPath[str], name: FromPath[str]) -> Response[bytes]:
    """The letter a dunning step sent (``<step id>.pdf``), as stored when it was sent."""
    try:
        step_id = uuid.UUID(name.removesuffix(".pdf")) if name.endswith(".pdf") else None
    except ValueError:
        step_id = None
    found = None
    if step_id is not None:
        found = db.execute(
            select(DunningStep.step, DunningStep.letter_pdf, Invoice.number)
            .join(Invoice, Invoice.id == DunningStep.invoice_id)
            .where(DunningStep.id == step_id)
        ).first()
    if found is None or found.letter_pdf is None:
        raise NotFoundException(f"no letter {name!r} here")
    filename = letter_filename(found.step, found.number or "")
    return Response(
        found.letter_pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


COLLECTION_PAGES = [collection_page, letter_download]
