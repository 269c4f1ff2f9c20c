"""The statutes' say on the capital, dated: minimum, financial year, redemption window.

The law of the country (``coopkit_share_rules``) gives the defaults; the
cooperative's statutes add a minimum capital of their own and may replace
the redemption window where the law lets them. Rows are append-only and the
one in force on a day holds (coopkit.db.dated); with none, the statutes add
nothing: no minimum, a financial year from January, the law's window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY
from coopkit.ledger.posting import tenant_currency
from coopkit.membership.errors import MembershipError
from coopkit.membership.models import SharePolicy
from coopkit.money import MoneyError, minor_unit, to_decimal


@dataclass(frozen=True)
class Statutes:
    """What the statutes in force say about the capital (or the defaults when silent)."""

    statutory_minimum: Decimal = Decimal("0")
    year_start_month: int = 1
    redemption_window_months: int | None = None
    decided_by: str = ""


def statutes_on(db: Session, day: date) -> Statutes:
    """The share policy in force on ``day`` in the session's tenant, or the defaults."""
    row = in_force(db, SharePolicy, day)
    if row is None:
        return Statutes()
    return Statutes(
        row.statutory_minimum, row.year_start_month, row.redemption_window_months, row.decided_by
    )


def set_share_policy(
    db: Session,
    *,
    valid_from: date,
    statutory_minimum: object,
    decided_by: str,
    year_start_month: int = 1,
    redemption_window_months: int | None = None,
) -> SharePolicy:
    """Record the statutes' capital rules from ``valid_from`` on (a later row replaces them)."""
    currency = tenant_currency(db)
    try:
        minimum = to_decimal(statutory_minimum)
    except MoneyError as error:
        raise MembershipError(f"statutory minimum: {error}", "statutory_minimum") from None
    if minimum < 0 or minimum != minimum.quantize(minor_unit(currency)):
        raise MembershipError(
            f"statutory minimum {minimum}: give an amount of 0 or more, to the cent",
            "statutory_minimum",
        )
    if not 1 <= year_start_month <= 12:
        raise MembershipError("the financial year starts in a month from 1 to 12", "year_start")
    if redemption_window_months is not None and not 1 <= redemption_window_months <= 12:
        raise MembershipError(
            "the redemption window is 1 to 12 months (12: any time of the year)", "window"
        )
    if not decided_by.strip():
        raise MembershipError("say who decided it (the statutes of …, the general assembly of …)")
    row = SharePolicy(
        valid_from=valid_from,
        statutory_minimum=minimum,
        year_start_month=year_start_month,
        redemption_window_months=redemption_window_months,
        decided_by=decided_by.strip()[:300],
        recorded_by=db.info.get(USER_KEY),
    )
    db.add(row)
    db.flush()
    audit.record(
        db,
        "shares.policy_set",
        "share_policy",
        row.id,
        {
            "valid_from": valid_from,
            "statutory_minimum": minimum,
            "currency": currency,
            "year_start_month": year_start_month,
            "redemption_window_months": redemption_window_months,
            "decided_by": row.decided_by,
        },
    )
    return row
