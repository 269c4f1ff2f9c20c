"""A draft invoice from a quote its client confirmed online: same activity, client and lines.

The invoice keeps the link (``Invoice.quote_id``) to the order and so to the
client's recorded confirmation (coopkit.quotes.confirmation.confirmed_order_for),
which the guarantee fund relies on. The quote's number becomes the buyer
reference the invoice prints (EN 16931 BT-10). The draft can still be changed
before it is issued, like any other.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.invoicing.drafts import DraftIn, LineIn, create_draft
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError
from coopkit.invoicing.models import Invoice
from coopkit.plugins import PluginHost
from coopkit.quotes.confirmation import confirmed_order_for
from coopkit.quotes.models import QuoteLine
from coopkit.quotes.service import get_quote


def draft_from_quote(
    db: Session,
    quote_id: uuid.UUID,
    *,
    plugins: PluginHost | None = None,
    created_by: uuid.UUID | None = None,
    supply_date: date | None = None,
    today: date | None = None,
) -> Invoice:
    """A draft invoice with the confirmed quote's lines; refused for an unconfirmed quote
    or one already invoiced."""
    quote = get_quote(db, quote_id, lock=True)
    if confirmed_order_for(db, quote.id) is None:
        raise InvoicingError(
            f"quote {quote.number or quote.id} is {quote.status.value}: only a quote its client "
            "accepted through the link can be invoiced from",
            "quote_id",
        )
    taken = db.scalar(select(Invoice.id).where(Invoice.quote_id == quote.id).limit(1))
    if taken is not None:
        raise InvoicingConflict(f"quote {quote.number} is invoiced already ({taken})", "quote_id")
    lines = db.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(QuoteLine.position)
    )
    data = DraftIn(
        quote.activity_id,
        quote.client_id,
        tuple(LineIn(q.description, q.quantity, q.unit_price, q.vat_code, q.unit) for q in lines),
        supply_date=supply_date,
        buyer_reference=quote.number or "",
    )
    invoice = create_draft(db, data, created_by=created_by, plugins=plugins, today=today)
    invoice.quote_id = quote.id
    db.flush()
    return invoice
