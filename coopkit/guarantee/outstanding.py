"""What is still outstanding on the fund's advances: granted, less repaid, less absorbed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from coopkit.guarantee.models import Advance, AdvanceRepayment, InvoiceWriteOff
from coopkit.money import minor_unit

ZERO = Decimal(0)


def outstanding_by_advance(
    db: Session, *criteria: ColumnElement[bool]
) -> list[tuple[Advance, Decimal]]:
    """Each advance matching ``criteria`` with what is still outstanding on it."""
    advances = list(db.scalars(select(Advance).where(*criteria)))
    if not advances:
        return []
    ids = [a.id for a in advances]
    back: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for advance_id, repaid, absorbed in db.execute(
        select(
            AdvanceRepayment.advance_id,
            func.sum(AdvanceRepayment.amount),
            func.sum(AdvanceRepayment.absorbed),
        )
        .where(AdvanceRepayment.advance_id.in_(ids))
        .group_by(AdvanceRepayment.advance_id)
    ):
        back[advance_id] += Decimal(repaid or 0) + Decimal(absorbed or 0)
    by_invoice = {a.invoice_id: a.id for a in advances}
    for invoice_id, absorbed in db.execute(
        select(InvoiceWriteOff.invoice_id, InvoiceWriteOff.advance_absorbed).where(
            InvoiceWriteOff.invoice_id.in_(list(by_invoice))
        )
    ):
        back[by_invoice[invoice_id]] += absorbed
    return [(a, (a.amount - back[a.id]).quantize(minor_unit(a.currency))) for a in advances]


def outstanding_total(db: Session, *criteria: ColumnElement[bool]) -> Decimal:
    """What is outstanding on all the advances matching ``criteria``."""
    return sum((left for _, left in outstanding_by_advance(db, *criteria)), ZERO)


def outstanding_advance(db: Session, invoice_id: uuid.UUID) -> Decimal:
    """What is still outstanding on the advance an invoice backs (0 when it backs none)."""
    return outstanding_total(db, Advance.invoice_id == invoice_id)
