"""What the payment and bank statement operations send and receive (amounts as exact decimals)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from coopkit.banking.importing import ImportResult
from coopkit.banking.models import BankLine, BankStatement
from coopkit.invoicing.models import Invoice, Payment
from coopkit.money import Money

# Money comes as a string: a JSON number may be read as a binary float on the way.
DecimalText = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^[+-]?\d{1,15}(\.\d{1,6})?$", description="an exact decimal, e.g. 1210.00"
    ),
]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
Payer = Annotated[str, msgspec.Meta(max_length=200)]


def _exact(amount: Decimal | None, currency: str) -> Decimal | None:
    """An amount to its currency's minor unit (the database keeps four decimals)."""
    return None if amount is None else Money(amount, currency).amount


class PaymentIn(msgspec.Struct, forbid_unknown_fields=True):
    """A payment received: ``amount`` as a string of an exact decimal; ``day`` defaults to
    today; ``method`` is transfer, bank_statement, cash, card or other."""

    amount: DecimalText
    day: date | None = None
    method: str = "transfer"
    payer: Payer = ""


class PaymentOut(msgspec.Struct):
    id: uuid.UUID
    invoice_id: uuid.UUID
    amount: Decimal
    currency: str
    day: date
    method: str
    payer: str
    bank_line_id: uuid.UUID | None
    entry_id: uuid.UUID
    share_entry_id: uuid.UUID | None
    invoice_status: str
    invoice_due: Decimal


def payment_out(payment: Payment, invoice: Invoice, due: Decimal) -> PaymentOut:
    code = payment.currency
    return PaymentOut(
        id=payment.id,
        invoice_id=payment.invoice_id,
        amount=Money(payment.amount, code).amount,
        currency=code,
        day=payment.day,
        method=payment.method.value,
        payer=payment.payer,
        bank_line_id=payment.bank_line_id,
        entry_id=payment.entry_id,
        share_entry_id=payment.share_entry_id,
        invoice_status=invoice.status.value,
        invoice_due=Money(due, code).amount,
    )


class BankLineOut(msgspec.Struct):
    """A statement line: ``amount`` is positive for money in, negative for money out."""

    id: uuid.UUID
    statement_id: uuid.UUID
    position: int
    booking_date: date
    value_date: date | None
    amount: Decimal
    currency: str
    counterparty_name: str
    counterparty_iban: str
    remittance: str
    structured_reference: str | None
    bank_reference: str
    status: str
    reason: str
    payment_id: uuid.UUID | None
    resolved_by: uuid.UUID | None
    resolved_at: datetime | None


def bank_line_out(line: BankLine) -> BankLineOut:
    return BankLineOut(
        id=line.id,
        statement_id=line.statement_id,
        position=line.position,
        booking_date=line.booking_date,
        value_date=line.value_date,
        amount=Money(line.amount, line.currency).amount,
        currency=line.currency,
        counterparty_name=line.counterparty_name,
        counterparty_iban=line.counterparty_iban,
        remittance=line.remittance,
        structured_reference=line.structured_reference,
        bank_reference=line.bank_reference,
        status=line.status.value,
        reason=line.reason,
        payment_id=line.payment_id,
        resolved_by=line.resolved_by,
        resolved_at=line.resolved_at,
    )


class BankStatementOut(msgspec.Struct):
    id: uuid.UUID
    format: str
    account_iban: str
    statement_ref: str | None
    sequence: str
    currency: str
    period_from: date | None
    period_to: date | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    file_name: str
    file_sha256: str
    imported_at: datetime


def bank_statement_out(statement: BankStatement) -> BankStatementOut:
    code = statement.currency
    return BankStatementOut(
        id=statement.id,
        format=statement.source_format.value,
        account_iban=statement.account_iban,
        statement_ref=statement.statement_ref,
        sequence=statement.sequence,
        currency=code,
        period_from=statement.period_from,
        period_to=statement.period_to,
        opening_balance=_exact(statement.opening_balance, code),
        closing_balance=_exact(statement.closing_balance, code),
        file_name=statement.file_name,
        file_sha256=statement.file_sha256,
        imported_at=statement.imported_at,
    )


class ImportOut(msgspec.Struct):
    """The imported statement and what became of its lines."""

    statement_id: uuid.UUID
    statement: BankStatementOut
    matched: int
    unmatched: int
    ignored: int


def import_out(result: ImportResult) -> ImportOut:
    return ImportOut(
        statement_id=result.statement.id,
        statement=bank_statement_out(result.statement),
        matched=result.matched,
        unmatched=result.unmatched,
        ignored=result.ignored,
    )


class AssignIn(msgspec.Struct, forbid_unknown_fields=True):
    """The invoice a waiting line pays (its whole amount, at most what is due)."""

    invoice_id: uuid.UUID


class AssignOut(msgspec.Struct):
    line: BankLineOut
    payment: PaymentOut


class IgnoreIn(msgspec.Struct, forbid_unknown_fields=True):
    """Why the line pays no invoice (a refund to make, a transfer between own accounts…)."""

    reason: Reason
