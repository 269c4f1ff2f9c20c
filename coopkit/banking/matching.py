"""Which invoice a bank credit pays, or why it waits for staff.

For each credit line, in order:

1. its structured reference is the payment reference of an issued invoice
   (compared in compact form: ``+++090/9337/55493+++`` is ``090933755493``,
   ``RF18 5390 0754 7034`` is ``RF18539007547034``): that invoice, unless it is
   paid or credited already, in another currency, or the line would pay more
   than is due;
2. otherwise exactly one open invoice of the same currency is due exactly the
   line's amount and its client is the counterparty: a similar name, or an IBAN
   this client paid from before;
3. otherwise the line waits, with the reason and the invoices it might pay.

A match is recorded with coopkit.invoicing.payments.record_payment in the
importing transaction; a refusal there parks the line with its message.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from coopkit.banking.models import BankLine, LineStatus
from coopkit.banking.references import written_forms
from coopkit.invoicing.models import (
    Client,
    DocumentKind,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
)
from coopkit.invoicing.payments import record_payment
from coopkit.invoicing.standing import standing
from coopkit.money import Money

OPEN = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID)
SIMILAR = 0.85
# Legal forms say nothing about who a company is: "ACME SA" is "Acme".
LEGAL_FORMS = frozenset(
    [
        "sa",
        "nv",
        "bv",
        "bvba",
        "sprl",
        "srl",
        "sc",
        "scrl",
        "cv",
        "cvba",
        "asbl",
        "vzw",
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "sci",
        "scop",
        "gmbh",
        "ag",
        "ltd",
        "llc",
        "inc",
        "plc",
        "ab",
        "oy",
        "spa",
    ]
)


@dataclass(frozen=True)
class OpenInvoice:
    """An issued invoice that still waits for money, with what is due on it."""

    invoice: Invoice
    client: Client
    due: Decimal


@dataclass
class Decision:
    """Pay ``invoice`` with the line, or leave it waiting because of ``reason``."""

    invoice: Invoice | None = None
    reason: str = ""
    candidates: list[uuid.UUID] = field(default_factory=list)


def _money(line: BankLine) -> Money:
    return Money(line.amount, line.currency)


def name_key(name: str) -> str:
    """A name without accents, case, punctuation or legal form, for comparing."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(word for word in words if word not in LEGAL_FORMS)


def similar_names(a: str, b: str) -> bool:
    """Whether two names plausibly name the same client.

    The same words in another order ("DUPONT JEAN"), one name's words all in the
    other ("Atelier Lumière" and "Atelier Lumière Studio", when those words say
    something: one has at least four letters), or a close spelling.
    """
    left, right = name_key(a), name_key(b)
    if not left or not right:
        return False
    words, other = sorted((set(left.split()), set(right.split())), key=len)
    if words <= other and max(len(word) for word in words) >= 4:
        return True
    return SequenceMatcher(None, left, right).ratio() >= SIMILAR


def open_invoices(db: Session, currency: str) -> list[OpenInvoice]:
    """Every open invoice in ``currency`` with its due, in three queries whatever their number."""
    paid = (
        select(Payment.invoice_id, func.sum(Payment.amount).label("total"))
        .group_by(Payment.invoice_id)
        .subquery()
    )
    note = aliased(Invoice)
    credited = (
        select(note.credits_id, func.sum(note.gross_total).label("total"))
        .where(note.kind == DocumentKind.CREDIT_NOTE, note.status != InvoiceStatus.DRAFT)
        .group_by(note.credits_id)
        .subquery()
    )
    rows = db.execute(
        select(Invoice, Client, paid.c.total, credited.c.total)
        .join(Client, Client.id == Invoice.client_id)
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .outerjoin(credited, credited.c.credits_id == Invoice.id)
        .where(
            Invoice.kind == DocumentKind.INVOICE,
            Invoice.status.in_(OPEN),
            Invoice.currency == currency,
        )
        .order_by(Invoice.issue_date, Invoice.number)
    ).all()
    return [
        OpenInvoice(invoice, client, invoice.gross_total - Decimal(p or 0) - Decimal(c or 0))
        for invoice, client, p, c in rows
    ]


def known_ibans(db: Session, client_id: uuid.UUID) -> set[str]:
    """The accounts this client paid from before (lines matched to its invoices)."""
    rows = db.scalars(
        select(BankLine.counterparty_iban)
        .join(Payment, Payment.id == BankLine.payment_id)
        .join(Invoice, Invoice.id == Payment.invoice_id)
        .where(Invoice.client_id == client_id, BankLine.counterparty_iban != "")
        .distinct()
    )
    return set(rows)


class Matcher:
    """Decides line after line within one import; dues are read once and kept up to date."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self._open: dict[str, list[OpenInvoice]] = {}
        self._ibans: dict[uuid.UUID, set[str]] = {}

    def open_in(self, currency: str) -> list[OpenInvoice]:
        if currency not in self._open:
            self._open[currency] = open_invoices(self.db, currency)
        return self._open[currency]

    def paid(self, invoice: Invoice, line: BankLine) -> None:
        """Take a recorded payment into account for the following lines."""
        for currency, invoices in self._open.items():
            self._open[currency] = [
                o
                if o.invoice.id != invoice.id
                else OpenInvoice(o.invoice, o.client, o.due - line.amount)
                for o in invoices
                if o.invoice.id != invoice.id or o.due - line.amount > 0
            ]
        if line.counterparty_iban:
            self._ibans.setdefault(invoice.client_id, set()).add(line.counterparty_iban)

    def is_client(self, line: BankLine, candidate: OpenInvoice) -> bool:
        client = candidate.client
        if client.id not in self._ibans:
            self._ibans[client.id] = known_ibans(self.db, client.id)
        if line.counterparty_iban and line.counterparty_iban in self._ibans[client.id]:
            return True
        return bool(line.counterparty_name) and similar_names(line.counterparty_name, client.name)

    def decide(self, line: BankLine) -> Decision:
        if line.structured_reference:
            by_reference = self._by_reference(line, line.structured_reference)
            if by_reference is not None:
                return by_reference
        return self._by_amount_and_client(line)

    def _by_reference(self, line: BankLine, reference: str) -> Decision | None:
        found = list(
            self.db.scalars(
                select(Invoice).where(
                    Invoice.payment_reference.in_(written_forms(reference)),
                    Invoice.kind == DocumentKind.INVOICE,
                    Invoice.status != InvoiceStatus.DRAFT,
                )
            )
        )
        if not found:
            return None
        if len(found) > 1:
            numbers = ", ".join(sorted(i.number or "" for i in found))
            return Decision(
                reason=f"the reference {reference} is on several invoices ({numbers})",
                candidates=[i.id for i in found],
            )
        return self._check_payable(line, found[0], f"the reference {reference}")

    def _check_payable(self, line: BankLine, invoice: Invoice, how: str) -> Decision:
        candidates = [invoice.id]
        if invoice.status not in OPEN:
            return Decision(
                reason=f"{how} is invoice {invoice.number}, "
                f"which is {invoice.status.value} already",
                candidates=candidates,
            )
        if invoice.currency != line.currency:
            return Decision(
                reason=f"{how} is invoice {invoice.number} in {invoice.currency}, "
                f"but this line is in {line.currency}",
                candidates=candidates,
            )
        due = standing(self.db, invoice).due
        if line.amount > due:
            return Decision(
                reason=f"{how} is invoice {invoice.number}, on which "
                f"{Money(due, invoice.currency)} is due: this line of {_money(line)} would "
                f"overpay it by {Money(line.amount - due, line.currency)}",
                candidates=candidates,
            )
        return Decision(invoice=invoice)

    def _by_amount_and_client(self, line: BankLine) -> Decision:
        same_amount = [o for o in self.open_in(line.currency) if o.due == line.amount]
        of_client = [o for o in same_amount if self.is_client(line, o)]
        if len(of_client) == 1:
            return Decision(invoice=of_client[0].invoice)
        if of_client:
            numbers = ", ".join(o.invoice.number or "" for o in of_client)
            return Decision(
                reason=f"several open invoices of this client are due {_money(line)} ({numbers}): "
                "say which one this pays",
                candidates=[o.invoice.id for o in of_client],
            )
        if same_amount:
            return Decision(
                reason=f"{len(same_amount)} open invoice(s) are due {_money(line)}, "
                "but none to a client named like "
                f"{line.counterparty_name or '(no name)'!r} or paying from this account",
                candidates=[o.invoice.id for o in same_amount],
            )
        return Decision(
            reason="no invoice has this payment reference, and no open invoice of "
            f"this client is due exactly {_money(line)}",
        )


def suggestions(db: Session, line: BankLine, limit: int = 5) -> list[OpenInvoice]:
    """Open invoices staff may want to assign a waiting line to, the likeliest first."""
    if line.status is not LineStatus.UNMATCHED or not line.is_credit:
        return []
    matcher = Matcher(db)
    scored = []
    for candidate in matcher.open_in(line.currency):
        score = (
            2 * matcher.is_client(line, candidate)
            + (candidate.due == line.amount)
            + (candidate.due >= line.amount)
        )
        if score:
            scored.append((score, candidate))
    scored.sort(key=lambda item: -item[0])  # stable: oldest first among equals
    return [candidate for _, candidate in scored[:limit]]


def pay_with_line(
    db: Session, line: BankLine, invoice: Invoice, *, recorded_by: uuid.UUID | None
) -> Payment:
    """Record the line's amount as a payment of ``invoice`` and mark the line matched.

    In a savepoint: a refusal (PaymentError, LedgerError, PolicyError) leaves
    nothing of this payment behind and is raised for the caller to park the
    line or report it.
    """
    with db.begin_nested():
        payment = record_payment(
            db,
            invoice.id,
            line.amount,
            day=line.booking_date,
            method=PaymentMethod.BANK_STATEMENT,
            payer=line.counterparty_name,
            bank_line_id=line.id,
            recorded_by=recorded_by,
        )
        line.status = LineStatus.MATCHED
        line.payment_id = payment.id
        line.reason = ""
        db.flush()
    return payment
