"""Which invoices of an activity can back an advance, and for how much.

An invoice backs an advance when it is an issued invoice of the activity
(issued or partly paid), not overdue, in the cooperative's currency, not
backing an advance already, made out from a quote its client accepted online
(coopkit.quotes.confirmation.confirmed_order_for), to a client who is not
blocked and is in one of the policy's countries.

Its *capacity* is what the activity would receive if the client paid the rest:
the still-due amount excluding VAT, less the coop's fee and the guarantee
contribution at the rates in force on the day (coopkit.ledger.fees).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.guarantee.models import Advance
from coopkit.guarantee.policy import GuaranteePolicy
from coopkit.invoicing.models import Client, DocumentKind, Invoice, InvoiceStatus
from coopkit.invoicing.payments import share_figures
from coopkit.invoicing.standing import standing
from coopkit.ledger.fees import split_paid_amount
from coopkit.ledger.policy import Rates
from coopkit.money import Money
from coopkit.quotes.confirmation import confirmed_order_for

OPEN = (InvoiceStatus.ISSUED, InvoiceStatus.PARTIALLY_PAID)


@dataclass(frozen=True)
class Candidate:
    """An open invoice of the activity: its client, and either a capacity or why not."""

    invoice: Invoice
    client: Client
    capacity: Decimal
    refusal: str | None


def open_invoices(
    db: Session, activity_id: uuid.UUID, *, lock: bool = False
) -> list[tuple[Invoice, Client]]:
    """The activity's issued, unsettled invoices with their clients, oldest first."""
    query = (
        select(Invoice, Client)
        .join(Client, (Client.tenant_id == Invoice.tenant_id) & (Client.id == Invoice.client_id))
        .where(
            Invoice.activity_id == activity_id,
            Invoice.kind == DocumentKind.INVOICE,
            Invoice.status.in_(OPEN),
        )
        .order_by(Invoice.issue_date, Invoice.number)
    )
    if lock:
        query = query.with_for_update(of=Invoice)
    return [(invoice, client) for invoice, client in db.execute(query).all()]


def candidates(
    db: Session,
    activity_id: uuid.UUID,
    *,
    day: date,
    policy: GuaranteePolicy,
    rates: Rates,
    currency: str,
    lock: bool = False,
) -> list[Candidate]:
    """Every open invoice of the activity, oldest first, with its capacity or its refusal."""
    rows = open_invoices(db, activity_id, lock=lock)
    advanced = set(
        db.scalars(
            select(Advance.invoice_id).where(Advance.invoice_id.in_([i.id for i, _ in rows]))
        )
    )
    countries = policy.countries_on(day)
    found = []
    for invoice, client in rows:
        refusal = _refusal(db, invoice, client, day, currency, countries, advanced)
        capacity = Decimal(0) if refusal else _capacity(db, invoice, rates)
        if refusal is None and capacity <= 0:
            refusal = f"invoice {invoice.number}: nothing is left to pay on it excluding VAT"
        found.append(Candidate(invoice, client, capacity, refusal))
    return found


def _refusal(
    db: Session,
    invoice: Invoice,
    client: Client,
    day: date,
    currency: str,
    countries: frozenset[str],
    advanced: set[uuid.UUID],
) -> str | None:
    label = f"invoice {invoice.number}"
    if invoice.id in advanced:
        return f"{label} backs an advance already"
    if invoice.due_date is not None and invoice.due_date < day:
        return (
            f"{label} was due on {invoice.due_date.isoformat()}: an overdue invoice backs nothing"
        )
    if invoice.currency != currency:
        return f"{label} is in {invoice.currency}; the fund advances in {currency}"
    if invoice.quote_id is None:
        return f"{label} was not made from a quote its client confirmed online"
    if confirmed_order_for(db, invoice.quote_id) is None:
        return f"{label}: its client has not accepted the quote it was made from"
    if client.blocked:
        return f"{label}: client {client.name} is blocked"
    if client.country.upper() not in countries:
        return (
            f"{label}: client {client.name} is in {client.country.upper()}, outside the countries "
            "the fund covers"
        )
    return None


def _capacity(db: Session, invoice: Invoice, rates: Rates) -> Decimal:
    """What the activity would receive if the client paid all that is still due."""
    due = standing(db, invoice).due
    left = min(share_figures(db, invoice).left, due)
    if left <= 0:
        return Decimal(0)
    return split_paid_amount(left, rates, invoice.currency).to_activity


def money(amount: Decimal, currency: str) -> str:
    return str(Money(amount, currency))
