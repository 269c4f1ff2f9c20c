"""Redeeming shares of a member who leaves or reduces their holding, by the country's rules.

The country plugin says when a member may leave and how low the capital may
go (``coopkit_share_rules``); the statutes (the tenant's share policy) add a
minimum capital and may replace the window. A redemption is refused, citing
the rule, when it falls outside the window, would take the capital under the
floor, or would leave a member who stays below the class's minimum holding.

Shares are repaid at nominal value. The coop then owes the member the amount:
the entry moves it from ``share_capital`` to the payable ``shares_to_repay``
(paying it out is a bank payment like any other); the register gets a
REDEMPTION line.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.countries import ShareRules
from coopkit.law import LawNotInForce
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.posting import credit, debit, post
from coopkit.membership.classes import check_can_give, held
from coopkit.membership.errors import MembershipError, RuleRefused
from coopkit.membership.models import (
    MemberStatus,
    RegisterEntryKind,
    ShareClass,
    ShareRedemption,
    ShareRegisterEntry,
)
from coopkit.membership.policy import Statutes, statutes_on
from coopkit.membership.register import append_entry, capital_on, status_on
from coopkit.membership.transfers import other_shares
from coopkit.money import minor_unit
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

REDEMPTION = "share_redemption"  # the ledger entry's kind


def rules_on(plugins: PluginHost, tenant: Tenant, day: date) -> ShareRules | None:
    """The country's rules on ``day``; None when its plugin has none (statutes only)."""
    try:
        return plugins.share_rules(tenant.country, day)
    except LawNotInForce as error:
        raise MembershipError(f"no rules on redeeming shares in force on {day}: {error}") from None


def highest_capital(db: Session, day: date) -> Decimal:
    """The highest capital the register shows at the end of any day up to ``day``."""
    rows = db.execute(
        select(ShareRegisterEntry.effective_on, ShareRegisterEntry.quantity, ShareClass.nominal)
        .join(ShareClass, ShareClass.id == ShareRegisterEntry.share_class_id)
        .where(ShareRegisterEntry.effective_on <= day)
        .order_by(ShareRegisterEntry.effective_on, ShareRegisterEntry.line)
    ).all()
    capital = highest = Decimal("0")
    for index, (effective_on, quantity, nominal) in enumerate(rows):
        capital += nominal * quantity
        last_of_day = index + 1 == len(rows) or rows[index + 1][0] != effective_on
        if last_of_day:  # a transfer's two lines on a day do not count in between
            highest = max(highest, capital)
    return highest


def _months_later(start: date, months: int) -> date:
    total = start.month - 1 + months
    return date(start.year + total // 12, total % 12 + 1, 1)


def check_window(rules: ShareRules | None, statutes: Statutes, day: date) -> None:
    """Refuse a day outside the redemption window of the statutes or, failing them, the law."""
    months = statutes.redemption_window_months
    rule = f"statutes ({statutes.decided_by})"
    if months is None and rules is not None:
        months, rule = rules.window_months, rules.window_source
    if months is None or months >= 12:
        return
    start_month = statutes.year_start_month
    year = day.year if day.month >= start_month else day.year - 1
    year_start = date(year, start_month, 1)
    window_end = _months_later(year_start, months)
    if day >= window_end:
        raise RuleRefused(
            f"a member may leave only in the first {months} months of the financial year, "
            f"from {year_start} until the day before {window_end}: {day} is outside, so the "
            f"redemption waits for the next financial year, from "
            f"{_months_later(year_start, 12)}",
            rule,
            "day",
        )


def check_floor(
    db: Session,
    rules: ShareRules | None,
    statutes: Statutes,
    day: date,
    amount: Decimal,
    unit: Decimal,
) -> None:
    """Refuse a redemption that takes the capital under the law's or the statutes' floor.

    The law's floor is rounded up to the ``unit`` of the currency: a redemption
    may take the capital down to it, not a cent below.
    """
    capital = capital_on(db, day).quantize(unit)
    after = capital - amount
    if rules is not None and rules.floor_of_highest > 0:
        highest = highest_capital(db, day).quantize(unit)
        floor = (highest * rules.floor_of_highest).quantize(unit, ROUND_CEILING)
        if after < floor:
            raise RuleRefused(
                f"the capital would fall from {capital} to {after}, under {floor}: "
                f"{rules.floor_of_highest} of the highest capital reached, {highest}",
                rules.floor_source,
                "quantity",
            )
    if after < statutes.statutory_minimum:
        raise RuleRefused(
            f"the capital would fall from {capital} to {after}, under the minimum of "
            f"{statutes.statutory_minimum.quantize(unit)} the statutes fix",
            f"statutes ({statutes.decided_by})",
            "quantity",
        )


def redeem_shares(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    *,
    user_id: uuid.UUID,
    share_class: ShareClass,
    quantity: int,
    day: date,
    staff_id: uuid.UUID,
    reason: str = "",
) -> ShareRedemption:
    """Take back ``quantity`` shares of the person on ``day`` and owe them their value."""
    rules = rules_on(plugins, tenant, day)
    statutes = statutes_on(db, day)
    stays = status_on(db, user_id, day) is MemberStatus.MEMBER
    holding = held(db, user_id, share_class, day)
    check_can_give(
        share_class, holding, quantity, stays, other_shares(db, user_id, share_class, day)
    )
    check_window(rules, statutes, day)
    unit = minor_unit(share_class.currency)
    amount = (share_class.nominal * quantity).quantize(unit)
    check_floor(db, rules, statutes, day, amount, unit)
    redemption_id = uuid.uuid4()
    entry = post(
        db,
        lines=[
            debit(R.SHARE_CAPITAL, amount, currency=share_class.currency),
            credit(R.SHARES_TO_REPAY, amount, currency=share_class.currency),
        ],
        kind=REDEMPTION,
        description=f"{quantity} {share_class.code} shares redeemed"[:500],
        day=day,
        reference=f"share_redemption:{redemption_id}",
    )
    applied = [] if rules is None else list(rules.sources)
    row = ShareRedemption(
        id=redemption_id,
        user_id=user_id,
        share_class_id=share_class.id,
        quantity=quantity,
        amount=amount,
        currency=share_class.currency,
        effective_on=day,
        reason=" ".join(reason.split())[:2000],
        rules="; ".join(applied)[:4000],
        entry_id=entry.id,
        recorded_by=staff_id,
    )
    db.add(row)
    db.flush()
    line = append_entry(
        db,
        user_id=user_id,
        share_class=share_class,
        kind=RegisterEntryKind.REDEMPTION,
        quantity=quantity,
        effective_on=day,
        reference=f"redemption:{row.id}",
        recorded_by=staff_id,
    )
    audit.record(
        db,
        "shares.redeemed",
        "share_redemption",
        row.id,
        {
            "user": user_id,
            "class": share_class.code,
            "quantity": quantity,
            "amount": amount,
            "currency": share_class.currency,
            "entry": entry.id,
            "line": line.line,
            "leaving": not stays,
        },
        actor_id=staff_id,
    )
    return row
