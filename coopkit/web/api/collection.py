"""API version 1: debt collection (listDunning), for staff: the overdue invoices with their
dunning steps and figures, those ready for collection or write-off, the write-offs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from sqlalchemy.orm import Session

from coopkit.collection.overview import ChasedInvoice, collection_overview
from coopkit.money import minor_unit
from coopkit.web.access import services, staff_only, visitor
from coopkit.web.api.collection_schemas import (
    DunningOut,
    DunningRowOut,
    DunningStepOut,
    WrittenOffOut,
)

Db = NamedDependency[Session]


@get(
    "/t/{slug:str}/collection",
    operation_id="listDunning",
    guards=[staff_only],
    sync_to_thread=True,
)
def list_dunning(
    request: Request[Any, Any, Any], db: Db, slug: FromPath[str], on: FromQuery[date | None] = None
) -> DunningOut:
    """The open invoices past their due date on ``on`` (today by default), each with the
    dunning steps taken, the next one and its day, and the interest and compensation
    counted to ``on``; the invoices ready for collection or write-off; the write-offs."""
    tenant = visitor(request).tenant
    assert tenant is not None
    overview = collection_overview(db, on or date.today(), services(request).plugins,
                                   tenant.country)  # fmt: skip
    return DunningOut(
        overview.day,
        [row_out(row) for row in overview.chased],
        [row_out(row) for row in overview.ready],
        [WrittenOffOut(w.invoice_id, w.number, w.day, _cents(w.amount, w.currency),
                       _cents(w.advance_absorbed, w.currency), w.currency)
         for w in overview.written_off],
    )  # fmt: skip


def _cents(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(minor_unit(currency))


def row_out(row: ChasedInvoice) -> DunningRowOut:
    invoice, last = row.invoice, row.last_step
    assert invoice.due_date is not None
    currency = invoice.currency

    def cents(amount: Decimal | None) -> Decimal | None:
        return None if amount is None else _cents(amount, currency)

    steps = [
        DunningStepOut(s.id, s.step.value, s.day, s.days_late, _cents(s.amount_due, currency),
                       _cents(s.interest, currency), _cents(s.compensation, currency),
                       s.id in row.letters)
        for s in row.steps
    ]  # fmt: skip
    return DunningRowOut(
        invoice_id=invoice.id,
        number=invoice.number or "",
        client_id=invoice.client_id,
        client=row.client,
        due_date=invoice.due_date,
        days_late=row.days_late,
        amount_due=_cents(row.amount_due, currency),
        currency=invoice.currency,
        steps=steps,
        last_step=None if last is None else last.step.value,
        last_step_day=None if last is None else last.day,
        next_step=None if row.next_step is None else row.next_step.value,
        next_step_day=row.next_day,
        interest=cents(row.interest),
        compensation=cents(row.compensation),
        figures_error=row.figures_error or None,
    )


COLLECTION_HANDLERS = [list_dunning]
