"""The bank lines that wait for staff, and what staff do with them.

A waiting (``unmatched``) credit is either assigned to an invoice — its
whole amount is recorded as a payment, partial if less than is due, refused if
more — or ignored with a reason (a refund to make, a transfer between the
coop's own accounts…). Both are recorded in the audit log.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.banking.matching import pay_with_line
from coopkit.banking.models import BankLine, BankStatement, LineStatus
from coopkit.db.base import utcnow
from coopkit.invoicing.models import Payment
from coopkit.invoicing.payments import payable_invoice


class QueueError(ValueError):
    """A bank line that cannot be resolved as asked."""


class UnknownBankLine(QueueError):
    """No such line in the cooperative."""


class UnknownStatement(QueueError):
    """No such statement in the cooperative."""


def get_line(db: Session, line_id: uuid.UUID) -> BankLine:
    line = db.scalar(select(BankLine).where(BankLine.id == line_id))
    if line is None:
        raise UnknownBankLine(f"no bank line {line_id} in this cooperative")
    return line


def get_statement(db: Session, statement_id: uuid.UUID) -> BankStatement:
    statement = db.scalar(select(BankStatement).where(BankStatement.id == statement_id))
    if statement is None:
        raise UnknownStatement(f"no bank statement {statement_id} in this cooperative")
    return statement


def list_lines(
    db: Session,
    *,
    status: LineStatus | None = None,
    statement_id: uuid.UUID | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[BankLine]:
    """Lines, oldest booking first (the order staff work through the queue)."""
    query = select(BankLine).order_by(
        BankLine.booking_date, BankLine.statement_id, BankLine.position
    )
    if status is not None:
        query = query.where(BankLine.status == status)
    if statement_id is not None:
        query = query.where(BankLine.statement_id == statement_id)
    return list(db.scalars(query.limit(limit).offset(offset)))


def list_statements(db: Session, limit: int = 100) -> list[BankStatement]:
    return list(
        db.scalars(select(BankStatement).order_by(BankStatement.imported_at.desc()).limit(limit))
    )


def _waiting(db: Session, line_id: uuid.UUID) -> BankLine:
    line = get_line(db, line_id)
    if line.status is not LineStatus.UNMATCHED:
        raise QueueError(
            f"bank line {line.id} is {line.status.value} already: only waiting lines are resolved"
        )
    return line


def assign_line(
    db: Session, line_id: uuid.UUID, invoice_id: uuid.UUID, *, by: uuid.UUID | None
) -> Payment:
    """Record a waiting credit as a payment of ``invoice_id`` (PaymentError if it cannot be)."""
    line = _waiting(db, line_id)
    if not line.is_credit:
        raise QueueError(f"bank line {line.id} is money out: it cannot pay an invoice")
    invoice = payable_invoice(db, invoice_id)
    payment = pay_with_line(db, line, invoice, recorded_by=by)
    line.resolved_by, line.resolved_at = by, utcnow()
    db.flush()
    return payment


def ignore_line(db: Session, line_id: uuid.UUID, reason: str, *, by: uuid.UUID | None) -> BankLine:
    """Set a waiting line aside for good, saying why."""
    line = _waiting(db, line_id)
    why = reason.strip()
    if not why:
        raise QueueError("say why this line is ignored (for example: refunded to the client)")
    line.status, line.reason = LineStatus.IGNORED, why[:1000]
    line.resolved_by, line.resolved_at = by, utcnow()
    db.flush()
    record(
        db,
        "bank_line.ignored",
        "bank_line",
        line.id,
        {"amount": line.amount, "currency": line.currency, "reason": line.reason},
        actor_id=by,
    )
    return line
