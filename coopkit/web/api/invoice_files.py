"""API: an issued invoice as files — its PDF (getInvoicePdf) and its UBL e-invoice (getInvoiceUbl).

Both are rendered from the same :class:`coopkit.invoicing.document.InvoiceDocument`
each time they are asked for: the stored invoice is final, so the files are
the same every time. The PDF is in the client's language with the
cooperative's branding, and carries the UBL as an attachment.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import ServiceUnavailableException
from litestar.params import FromPath
from sqlalchemy.orm import Session

from coopkit.documents import DocumentError
from coopkit.invoicing.document import InvoiceDocument
from coopkit.invoicing.documents import invoice_document
from coopkit.invoicing.models import Invoice
from coopkit.invoicing.pdf import invoice_pdf
from coopkit.invoicing.ubl import invoice_ubl
from coopkit.web.access import member_only, services, visitor
from coopkit.web.api.invoices import visible_invoice

Db = NamedDependency[Session]


def _document(
    request: Request[Any, Any, Any], db: Session, invoice_id: uuid.UUID
) -> tuple[Invoice, InvoiceDocument]:
    invoice = visible_invoice(request, db, invoice_id)
    return invoice, invoice_document(db, invoice)


def _file(content: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@get(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/pdf",
    operation_id="getInvoicePdf",
    guards=[member_only],
    sync_to_thread=True,
    media_type="application/pdf",
)
def get_invoice_pdf(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], invoice_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """The issued invoice or credit note as a PDF in the client's language (the UBL inside)."""
    tenant = visitor(request).tenant
    assert tenant is not None
    invoice, doc = _document(request, db, invoice_id)
    app = services(request)
    try:
        content = invoice_pdf(
            doc,
            tenant_slug=tenant.slug,
            country=app.plugins.country(tenant.country),
            tenant_templates=app.documents.tenant_templates,
        )
    except DocumentError as error:
        raise ServiceUnavailableException(str(error)) from None
    return _file(content, "application/pdf", f"{invoice.number}.pdf")


@get(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/ubl",
    operation_id="getInvoiceUbl",
    guards=[member_only],
    sync_to_thread=True,
    media_type="application/xml",
)
def get_invoice_ubl(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], invoice_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """The issued invoice or credit note as a UBL 2.1 e-invoice (EN 16931, Peppol BIS 3.0)."""
    invoice, doc = _document(request, db, invoice_id)
    return _file(invoice_ubl(doc), "application/xml", f"{invoice.number}.xml")


INVOICE_FILE_HANDLERS = [get_invoice_pdf, get_invoice_ubl]
