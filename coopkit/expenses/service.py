"""Submitting an expense claim, and staff approving or rejecting it (four eyes).

A member of an activity claims what they paid for it, with receipts. The VAT
is computed with the country's rate of the expense's day, and the part the
coop may deduct with the category's fraction (country plugin, dated law). A
claim above what the activity has available is refused at once. Staff other
than the submitter approve it — which posts the ledger entry and may still be
refused by the ledger if the money went meanwhile: the claim then stays
submitted with the reason — or reject it with a reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from coopkit.activities.models import ActivityStatus
from coopkit.activities.service import activity_balance, get_activity, role_in_activity
from coopkit.audit import service as audit
from coopkit.countries import ExpenseCategory
from coopkit.db.base import utcnow
from coopkit.expenses.errors import (
    ExpenseConflict,
    ExpenseError,
    ExpenseForbidden,
    ExpenseHeld,
    NotEnoughMoney,
)
from coopkit.expenses.models import ExpenseClaim, ExpenseReceipt, ExpenseStatus
from coopkit.expenses.queries import get_expense
from coopkit.expenses.receipts import ReceiptFile, check_receipts
from coopkit.law import LawNotInForce
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.errors import InsufficientFunds
from coopkit.ledger.posting import Line, credit, debit, post
from coopkit.money import minor_unit
from coopkit.payouts.models import PayoutKind
from coopkit.payouts.queue import queue_payout
from coopkit.people.models import Role
from coopkit.people.service import role_in
from coopkit.plugins import PluginError, PluginHost
from coopkit.tenants.models import Tenant

EXPENSE = "expense"
MAX_NET = Decimal("1000000")


@dataclass(frozen=True)
class ExpenseRequest:
    """A claim as the member gives it. ``vat_rate`` is a rate code of the country
    (``standard``…), or None when the receipt charges no VAT."""

    activity_id: uuid.UUID
    day: date
    supplier: str
    description: str
    category: str
    net: Decimal
    vat_rate: str | None = None
    currency: str | None = None


def submit_expense(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    request: ExpenseRequest,
    receipts: list[ReceiptFile],
    submitted_by: uuid.UUID,
    today: date | None = None,
) -> ExpenseClaim:
    """Record a claim with its receipts, in the session's tenant; ExpenseError says what to fix."""
    activity = get_activity(db, request.activity_id)
    if role_in_activity(db, activity.id, submitted_by) is None:
        raise ExpenseForbidden(
            f"you do not work in activity {activity.code}: only its members and managers "
            "claim expenses on it"
        )
    if activity.status is not ActivityStatus.ACTIVE:
        raise ExpenseError(f"activity {activity.code} is closed: it takes no more expenses")
    supplier, description = (
        _text(request.supplier, "supplier", 200),
        _text(request.description, "description", 500),
    )
    currency = _currency(tenant, request.currency)
    unit = minor_unit(currency)
    net = _net(request.net, unit)
    if request.day > (today or date.today()):
        raise ExpenseError(f"{request.day} is in the future: give the day you paid", "day")
    category = _category(plugins, tenant, request)
    rate, rate_code = _rate(plugins, tenant, request)
    vat = (net * rate).quantize(unit, ROUND_HALF_UP)
    available = activity_balance(db, activity.id, currency).available
    if net + vat > available:
        raise NotEnoughMoney(
            f"activity {activity.code} has {available} {currency} available and this claim "
            f"is {net + vat} {currency} (VAT included): it can be claimed once the activity "
            "has the money",
            available,
            net + vat,
            currency,
        )
    checked = check_receipts(receipts)
    claim = ExpenseClaim(
        activity_id=activity.id,
        submitted_by_id=submitted_by,
        day=request.day,
        supplier=supplier,
        description=description,
        category=category.code,
        vat_source=category.source[:1000],
        currency=currency,
        net=net,
        vat_rate_code=rate_code,
        vat_rate=rate if rate_code else None,
        vat=vat,
        recoverable_vat=category.recoverable_vat(net, vat, unit),
        gross=net + vat,
        status=ExpenseStatus.SUBMITTED,
    )
    db.add(claim)
    db.flush()
    db.add_all(
        ExpenseReceipt(
            claim_id=claim.id,
            file_name=r.file_name,
            content_type=r.content_type,
            size=r.size,
            sha256=r.sha256,
            content=r.content,
        )
        for r in checked
    )
    db.flush()
    audit.record(
        db,
        "expense.submitted",
        "expense_claim",
        claim.id,
        {
            "activity": activity.code,
            "category": claim.category,
            "net": claim.net,
            "vat": claim.vat,
            "recoverable_vat": claim.recoverable_vat,
            "gross": claim.gross,
            "currency": currency,
            "receipts": [r.sha256 for r in checked],
        },
        actor_id=submitted_by,
    )
    return claim


def _text(value: str, field: str, limit: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned or len(cleaned) > limit:
        raise ExpenseError(f"{field}: give it, in at most {limit} characters", field)
    return cleaned


def _currency(tenant: Tenant, asked: str | None) -> str:
    if asked is not None and asked.upper() != tenant.currency:
        raise ExpenseError(
            f"{asked}: expenses are claimed in the cooperative's currency, {tenant.currency}; "
            "convert the amount at the rate your bank applied",
            "currency",
        )
    return tenant.currency


def _net(amount: Decimal, unit: Decimal) -> Decimal:
    if not amount.is_finite() or amount <= 0 or amount > MAX_NET:
        raise ExpenseError(
            f"{amount}: the amount excluding VAT must be above 0 and at most {MAX_NET}", "net"
        )
    if amount != amount.quantize(unit):
        raise ExpenseError(f"{amount}: give the amount to the cent ({unit})", "net")
    return amount.quantize(unit)


def categories_for(plugins: PluginHost, tenant: Tenant, day: date) -> list[ExpenseCategory]:
    """The expense categories of the cooperative's country on ``day``; ExpenseError if none."""
    try:
        return plugins.expense_categories(tenant.country, day)
    except PluginError:
        raise ExpenseError(
            f"the country plugin of {tenant.country} does not say how VAT is recovered on "
            "expenses (hook coopkit_expense_categories): this cooperative cannot take claims yet"
        ) from None
    except LawNotInForce as error:
        raise ExpenseError(f"no expense rules in force on {day}: {error}", "day") from None


def _category(plugins: PluginHost, tenant: Tenant, request: ExpenseRequest) -> ExpenseCategory:
    categories = categories_for(plugins, tenant, request.day)
    for category in categories:
        if category.code == request.category:
            return category
    known = ", ".join(c.code for c in categories)
    raise ExpenseError(f"category {request.category!r}: use one of {known}", "category")


def _rate(
    plugins: PluginHost, tenant: Tenant, request: ExpenseRequest
) -> tuple[Decimal, str | None]:
    if request.vat_rate is None:
        return Decimal(0), None
    try:
        rates = plugins.vat_rates(tenant.country, request.day)
    except LawNotInForce as error:
        raise ExpenseError(f"no VAT rates in force on {request.day}: {error}", "day") from None
    for rate in rates:
        if rate.code == request.vat_rate:
            return rate.rate, rate.code
    known = ", ".join(r.code for r in rates)
    raise ExpenseError(
        f"VAT rate {request.vat_rate!r} was not in force on {request.day}: use one of {known}, "
        "or none when the receipt charges no VAT",
        "vat_rate",
    )


def _decidable(db: Session, claim_id: uuid.UUID, staff_id: uuid.UUID) -> ExpenseClaim:
    claim = get_expense(db, claim_id)
    role = role_in(db, staff_id)
    if role is None or not role.includes(Role.STAFF):
        raise ExpenseForbidden("only the cooperative's staff approve or reject expense claims")
    if claim.submitted_by_id == staff_id:
        raise ExpenseForbidden(
            "you submitted this claim: another member of staff approves or rejects it (four eyes)"
        )
    if claim.status is not ExpenseStatus.SUBMITTED:
        raise ExpenseConflict(f"this claim was {claim.status.value} already")
    return claim


def approve_expense(
    db: Session, claim_id: uuid.UUID, staff_id: uuid.UUID, day: date | None = None
) -> ExpenseClaim:
    """Approve a submitted claim and post it: the activity bears the amount excluding VAT
    and the VAT the coop cannot deduct, ``vat_deductible`` takes the rest of the VAT, and
    the coop owes the member the gross amount, queued as a payout due on the approval day
    (coopkit.payouts). ExpenseHeld when the activity lacks the money.
    """
    claim = _decidable(db, claim_id, staff_id)
    charged = claim.gross - claim.recoverable_vat
    lines: list[Line] = [
        debit(R.ACTIVITY_FUNDS, charged, claim.activity_id, claim.currency),
        credit(R.EXPENSE_CLAIMS_PAYABLE, claim.gross, currency=claim.currency),
    ]
    if claim.recoverable_vat > 0:
        lines.append(debit(R.VAT_DEDUCTIBLE, claim.recoverable_vat, currency=claim.currency))
    try:
        entry = post(
            db,
            lines=lines,
            kind=EXPENSE,
            description=f"Expense claim {claim.reference}: {claim.supplier} — {claim.description}"[
                :500
            ],
            day=day or date.today(),
            reference=f"expense:{claim.id}",
        )
    except InsufficientFunds as error:
        activity = get_activity(db, claim.activity_id)
        raise ExpenseHeld(
            claim.id,
            f"activity {activity.code} cannot bear {charged} {claim.currency} now ({error}); "
            "the claim stays submitted: approve it again once the activity has the money",
        ) from None
    claim.status = ExpenseStatus.APPROVED
    claim.entry_id = entry.id
    claim.held_reason = None
    _decided(claim, staff_id)
    db.flush()
    queue_payout(
        db,
        kind=PayoutKind.EXPENSE,
        source_id=claim.id,
        user_id=claim.submitted_by_id,
        activity_id=claim.activity_id,
        amount=claim.gross,
        currency=claim.currency,
        due_date=entry.day,
        description=f"Expense claim {claim.reference}: {claim.supplier}",
    )
    audit.record(
        db,
        "expense.approved",
        "expense_claim",
        claim.id,
        {"entry": entry.id, "gross": claim.gross, "charged_to_activity": charged},
        actor_id=staff_id,
    )
    return claim


def hold_expense(db: Session, claim_id: uuid.UUID, reason: str) -> ExpenseClaim:
    """Keep a submitted claim waiting, with why (an approval the ledger refused)."""
    claim = get_expense(db, claim_id)
    claim.held_reason = reason[:1000]
    db.flush()
    return claim


def reject_expense(
    db: Session, claim_id: uuid.UUID, staff_id: uuid.UUID, reason: str
) -> ExpenseClaim:
    """Reject a submitted claim; the reason, shown to the member, is required."""
    text = " ".join(reason.split())
    if not text or len(text) > 1000:
        raise ExpenseError(
            "say why the claim is rejected (at most 1000 characters): the member reads it",
            "reason",
        )
    claim = _decidable(db, claim_id, staff_id)
    claim.status = ExpenseStatus.REJECTED
    claim.rejection_reason = text
    _decided(claim, staff_id)
    db.flush()
    audit.record(
        db, "expense.rejected", "expense_claim", claim.id, {"reason": text}, actor_id=staff_id
    )
    return claim


def _decided(claim: ExpenseClaim, staff_id: uuid.UUID, when: datetime | None = None) -> None:
    claim.decided_by_id = staff_id
    claim.decided_at = when or utcnow()
