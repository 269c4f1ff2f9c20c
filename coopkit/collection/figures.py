"""What an overdue invoice owes on a day: the amount unpaid, interest and compensation.

Reads the invoice's payments and credit notes by date (a payment stops the
interest on what it pays from its own day) and asks the country plugin for the
rate of each day (``coopkit_late_payment_terms``). Only business clients owe
interest and compensation (directive 2011/7/EU); the compensation is counted
only when the invoice is in the currency the law states it in (euros).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.collection.interest import (
    InterestStretch,
    RatePeriod,
    interest_due,
    interest_stretches,
    is_commercial,
)
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus, Payment
from coopkit.plugins import PluginHost


@dataclass(frozen=True)
class LateFigures:
    days_late: int
    amount_due: Decimal
    commercial: bool
    stretches: tuple[InterestStretch, ...]
    interest: Decimal
    compensation: Decimal
    compensation_source: str = ""


def owed_by_day(db: Session, invoice: Invoice) -> list[tuple[date, Decimal]]:
    """``(day, amount still owed from that day on)``: the total, then after each payment or
    credit note, in date order."""
    changes: dict[date, Decimal] = {}
    for payment in db.scalars(select(Payment).where(Payment.invoice_id == invoice.id)):
        changes[payment.day] = changes.get(payment.day, Decimal(0)) + payment.amount
    credit_notes = select(Invoice).where(
        Invoice.credits_id == invoice.id,
        Invoice.kind == DocumentKind.CREDIT_NOTE,
        Invoice.status != InvoiceStatus.DRAFT,
    )
    for note in db.scalars(credit_notes):
        if note.issue_date is not None:
            changes[note.issue_date] = changes.get(note.issue_date, Decimal(0)) + note.gross_total
    assert invoice.issue_date is not None
    owed = invoice.gross_total
    timeline = [(invoice.issue_date, owed)]
    for day in sorted(changes):
        owed -= changes[day]
        timeline.append((day, max(owed, Decimal(0))))
    return timeline


def owed_on(timeline: list[tuple[date, Decimal]], day: date) -> Decimal:
    """What is still owed at the end of ``day`` (the issue day or later) on ``timeline``
    (:func:`owed_by_day`)."""
    return [owed for start, owed in timeline if start <= day][-1]


def late_figures(
    db: Session, invoice: Invoice, day: date, plugins: PluginHost, country: str
) -> LateFigures:
    """The invoice's figures on ``day`` under the law of the coop's ``country``.

    Raises LawNotInForce when the plugin records no rate for one of the late days.
    """
    assert invoice.due_date is not None
    timeline = owed_by_day(db, invoice)
    amount_due = owed_on(timeline, day)
    days_late = max((day - invoice.due_date).days, 0)
    buyer = invoice.buyer or {}
    commercial = is_commercial(str(buyer.get("kind", "")))
    terms = plugins.late_payment_terms(country, day) if commercial else None
    if terms is None:
        return LateFigures(days_late, amount_due, commercial, (), Decimal(0), Decimal(0))

    def rate_on(when: date) -> RatePeriod:
        found = plugins.late_payment_terms(country, when)
        assert found is not None
        return RatePeriod(
            found.rate, found.rate_valid_from, found.rate_valid_until, found.rate_source
        )

    stretches = tuple(interest_stretches(timeline, invoice.due_date, day, rate_on))
    same_currency = terms.currency == invoice.currency
    return LateFigures(
        days_late,
        amount_due,
        commercial,
        stretches,
        interest_due(stretches, invoice.currency),
        terms.compensation if same_currency else Decimal(0),
        terms.compensation_source if same_currency else "",
    )
