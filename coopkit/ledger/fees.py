"""When a client pays: the activity's share, the coop's fee and the guarantee-fund contribution.

The invoicing code calls :func:`post_paid_share` once per payment received
(after posting the payment itself: bank against client receivables). The
paid amount excluding VAT is made available to the activity, less the fee and
the guarantee-fund contribution at the rates in force on the payment day
(coopkit.ledger.policy), each rounded half-up to the currency's minor unit::

    Dr activity_budgets[activity]   paid excl. VAT
    Cr activity_funds[activity]     paid − fee − contribution
    Cr fee_income[activity]         fee
    Cr guarantee_fund               contribution
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from coopkit.ledger.chart import AccountRole
from coopkit.ledger.errors import LedgerError
from coopkit.ledger.models import JournalEntry
from coopkit.ledger.policy import Rates, rates_on
from coopkit.ledger.posting import ActivityRef, Line, credit, debit, post, tenant_currency
from coopkit.money import minor_unit, to_decimal

PAID_SHARE = "paid_share"


@dataclass(frozen=True)
class PaidShare:
    """How a paid amount excluding VAT is split."""

    paid: Decimal
    fee: Decimal
    guarantee: Decimal

    @property
    def to_activity(self) -> Decimal:
        return self.paid - self.fee - self.guarantee


def split_paid_amount(paid: Decimal, rates: Rates, currency: str) -> PaidShare:
    """The fee and the contribution on ``paid``, each rounded half-up to the minor unit."""
    unit = minor_unit(currency)
    fee = (paid * rates.fee_rate).quantize(unit, ROUND_HALF_UP)
    guarantee = (paid * rates.guarantee_rate).quantize(unit, ROUND_HALF_UP)
    return PaidShare(paid, fee, guarantee)


def post_paid_share(
    db: Session,
    *,
    activity: ActivityRef,
    paid_excluding_vat: object,
    day: date,
    description: str,
    reference: str | None = None,
    currency: str | None = None,
    idempotency_key: str | None = None,
) -> JournalEntry:
    """Post the activity's share of a payment, with the fee and the guarantee contribution."""
    paid = to_decimal(paid_excluding_vat)
    if paid <= 0:
        raise LedgerError(f"{paid}: the amount paid excluding VAT must be positive")
    code = currency or tenant_currency(db)
    share = split_paid_amount(paid, rates_on(db, day), code)
    lines: list[Line] = [
        debit(AccountRole.ACTIVITY_BUDGETS, share.paid, activity, code),
        credit(AccountRole.ACTIVITY_FUNDS, share.to_activity, activity, code),
    ]
    if share.fee:
        lines.append(credit(AccountRole.FEE_INCOME, share.fee, activity, code))
    if share.guarantee:
        lines.append(credit(AccountRole.GUARANTEE_FUND, share.guarantee, None, code))
    return post(
        db,
        lines=lines,
        kind=PAID_SHARE,
        description=description,
        day=day,
        reference=reference,
        idempotency_key=idempotency_key,
    )
