"""The API of writing off a lost invoice (staff): coopkit.guarantee.write_off."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.orm import Session

from coopkit.guarantee.write_off import write_off_invoice as write_off
from coopkit.money import minor_unit
from coopkit.web.access import staff_only, visitor
from coopkit.web.api.idempotent import IdempotencyKeyHeader, once
from coopkit.web.api.invoices import visible_invoice

Db = NamedDependency[Session]


class WriteOffIn(msgspec.Struct):
    reason: str
    day: date | None = None


class WriteOffOut(msgspec.Struct):
    invoice_id: uuid.UUID
    day: date
    reason: str
    due_written_off: str
    vat_written_off: str
    advance_absorbed: str
    currency: str


@post(
    "/t/{slug:str}/invoices/{invoice_id:uuid}/write-off",
    operation_id="writeOffInvoice",
    guards=[staff_only],
    sync_to_thread=True,
)
def write_off_invoice(
    request: Request[Any, Any, Any],
    db: Db,
    slug: FromPath[str],
    invoice_id: FromPath[uuid.UUID],
    data: JSONBody[WriteOffIn],
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response[Any]:
    """Write off what is still due on an issued invoice, once (409 the second time; 422 for a
    draft, a credit note, a paid or credited invoice): the loss is booked against bad debts
    with its VAT, and the guarantee fund absorbs the advance still outstanding on it."""
    visible_invoice(request, db, invoice_id)
    day = data.day or date.today()

    def work() -> Any:
        row = write_off(
            db, invoice_id, day=day, reason=data.reason, written_off_by=visitor(request).user_id
        )
        unit = minor_unit(row.currency)

        def cash(amount: Decimal) -> str:
            return str(amount.quantize(unit))

        return msgspec.to_builtins(
            WriteOffOut(
                invoice_id=row.invoice_id,
                day=row.day,
                reason=row.reason,
                due_written_off=cash(row.due_written_off),
                vat_written_off=cash(row.vat_written_off),
                advance_absorbed=cash(row.advance_absorbed),
                currency=row.currency,
            )
        )

    payload = {"invoice": str(invoice_id), "day": day.isoformat(), "reason": data.reason}
    return once(db, idempotency_key, "writeOffInvoice", payload, work)


WRITE_OFF_HANDLERS = [write_off_invoice]
