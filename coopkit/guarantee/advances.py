"""What the guarantee fund can advance for a member's salary, and granting it.

The activity's own money pays what it can; the salary-request code asks the
fund for the rest. :func:`offer_advance` says how much the fund would give and
why not more; :func:`grant_advance` gives it, all or nothing, once per salary
request. Each backing invoice gets one advance and one ``advance`` journal
entry (docs/ledger.md)::

    Dr guarantee_advances; Cr activity_funds[activity]   reference invoice:<id>

An invoice backs at most one advance: one used for 100.00 of its 900.00 of
capacity is used up (a second salary cannot lean on the rest). The limits and
the floor are in docs/guarantee.md.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.service import get_activity, role_in_activity
from coopkit.audit.service import record
from coopkit.guarantee.eligibility import Candidate, candidates, money
from coopkit.guarantee.models import Advance
from coopkit.guarantee.outstanding import outstanding_advance, outstanding_total
from coopkit.guarantee.policy import GuaranteePolicy, guarantee_policy_on
from coopkit.ledger.balances import Delta, add_to_balances, role_balance
from coopkit.ledger.books import accounts_for
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.policy import PolicyError, rates_on
from coopkit.ledger.posting import credit, debit, post, tenant_currency
from coopkit.money import MoneyError, minor_unit, to_decimal

ADVANCE = "advance"
ZERO = Decimal(0)

__all__ = [
    "AdvanceOffer",
    "AdvanceRefused",
    "Backing",
    "GuaranteeError",
    "grant_advance",
    "offer_advance",
    "outstanding_advance",
]


@dataclass(frozen=True)
class Backing:
    """One invoice backing (part of) an advance."""

    invoice_id: uuid.UUID
    number: str
    client_id: uuid.UUID
    client_name: str
    amount: Decimal


@dataclass(frozen=True)
class AdvanceOffer:
    """The most the fund can advance (≤ what was asked), on which invoices, and why not more."""

    asked: Decimal
    amount: Decimal
    backing: tuple[Backing, ...]
    reasons: tuple[str, ...]

    @property
    def missing(self) -> Decimal:
        return self.asked - self.amount


class GuaranteeError(ValueError):
    """A request the guarantee fund cannot take as given; the message says why."""


class AdvanceRefused(GuaranteeError):
    """The fund cannot advance all that was asked: ``missing`` is what it lacks, with reasons."""

    def __init__(self, message: str, *, missing: Decimal, reasons: Sequence[str]) -> None:
        super().__init__(message)
        self.missing = missing
        self.reasons = tuple(reasons)


def _asked(amount: object, currency: str) -> Decimal:
    try:
        value = to_decimal(amount)
    except MoneyError as error:
        raise GuaranteeError(str(error)) from None
    if value <= 0:
        raise GuaranteeError(f"{value} {currency}: ask the fund for a positive amount")
    if value != value.quantize(minor_unit(currency)):
        raise GuaranteeError(f"{value} {currency} has more decimals than {currency} has")
    return value


def offer_advance(
    db: Session, *, activity_id: uuid.UUID, member_id: uuid.UUID, amount: object, day: date
) -> AdvanceOffer:
    """What the fund would advance the activity for ``member_id``'s salary on ``day``."""
    return _offer(db, activity_id, member_id, amount, day, lock=False)


def _offer(
    db: Session,
    activity_id: uuid.UUID,
    member_id: uuid.UUID,
    amount: object,
    day: date,
    *,
    lock: bool,
) -> AdvanceOffer:
    currency = tenant_currency(db)
    asked = _asked(amount, currency)
    activity = get_activity(db, activity_id)
    if role_in_activity(db, activity_id, member_id) is None:
        raise GuaranteeError(f"this member does not work in activity {activity.code}")
    policy = guarantee_policy_on(db, day)
    if policy is None:
        reason = (
            f"the cooperative has no guarantee-fund policy in force on {day.isoformat()}: "
            "the fund advances nothing without one"
        )
        return AdvanceOffer(asked, ZERO, (), (reason,))
    try:
        rates = rates_on(db, day)
    except PolicyError as error:
        return AdvanceOffer(asked, ZERO, (), (str(error),))
    reasons: list[str] = []
    room = _room(db, policy, member_id, asked, currency, reasons)
    found = candidates(
        db, activity_id, day=day, policy=policy, rates=rates, currency=currency, lock=lock
    )
    backing = _backing(db, found, policy, room, currency, reasons)
    total = sum((b.amount for b in backing), ZERO)
    if total < room:
        reasons.append(
            f"the invoices of activity {activity.code} that can back an advance cover "
            f"{money(total, currency)} of {money(asked, currency)}"
            if found
            else f"activity {activity.code} has no issued invoice waiting for payment"
        )
    return AdvanceOffer(asked, total, tuple(backing), tuple(reasons))


def _room(
    db: Session,
    policy: GuaranteePolicy,
    member_id: uuid.UUID,
    asked: Decimal,
    currency: str,
    reasons: list[str],
) -> Decimal:
    """The most the fund's floor, the overall limit and the member's limit allow."""
    room = asked
    fund = role_balance(db, AccountRole.GUARANTEE_FUND, currency)
    lent = role_balance(db, AccountRole.GUARANTEE_ADVANCES, currency)
    free = fund - lent - policy.floor
    if free < room:
        reasons.append(
            f"the fund holds {money(fund, currency)} with {money(lent, currency)} advanced and "
            f"must keep {money(policy.floor, currency)}: {money(max(free, ZERO), currency)} "
            "can be advanced"
        )
        room = free
    if policy.overall_limit is not None and policy.overall_limit - lent < room:
        room = policy.overall_limit - lent
        reasons.append(
            f"overall: {money(lent, currency)} of {money(policy.overall_limit, currency)} "
            "already advanced"
        )
    if policy.member_limit is not None:
        mine = outstanding_total(db, Advance.member_id == member_id)
        if policy.member_limit - mine < room:
            room = policy.member_limit - mine
            reasons.append(
                f"member: {money(mine, currency)} of {money(policy.member_limit, currency)} "
                "already advanced"
            )
    return max(room, ZERO)


def _backing(
    db: Session,
    found: list[Candidate],
    policy: GuaranteePolicy,
    room: Decimal,
    currency: str,
    reasons: list[str],
) -> list[Backing]:
    """The invoices, oldest first, that back ``room`` at most, within each client's limit."""
    used: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    backing: list[Backing] = []
    left = room
    for candidate in found:
        if candidate.refusal:
            reasons.append(candidate.refusal)
            continue
        if left <= 0:
            break
        take = min(candidate.capacity, left)
        client = candidate.client
        if policy.client_limit is not None:
            if client.id not in used:
                used[client.id] = outstanding_total(db, Advance.client_id == client.id)
            client_room = policy.client_limit - used[client.id]
            if client_room < take:
                reasons.append(
                    f"client {client.name}: {money(used[client.id], currency)} of "
                    f"{money(policy.client_limit, currency)} already advanced"
                )
                take = max(client_room, ZERO)
        if take <= 0:
            continue
        used[client.id] += take
        left -= take
        number = candidate.invoice.number or str(candidate.invoice.id)
        backing.append(Backing(candidate.invoice.id, number, client.id, client.name, take))
    return backing


def grant_advance(
    db: Session,
    *,
    activity_id: uuid.UUID,
    member_id: uuid.UUID,
    amount: object,
    day: date,
    salary_request_id: uuid.UUID,
) -> list[Advance]:
    """Advance ``amount`` for the salary request, all or nothing (AdvanceRefused otherwise).

    Called again for the same salary request, returns the advances granted
    for it and posts nothing. Flushed, not committed.
    """
    _lock_the_fund(db)
    granted = _granted_for(db, salary_request_id)
    if granted:
        return granted
    offer = _offer(db, activity_id, member_id, amount, day, lock=True)
    if offer.missing > 0:
        currency = tenant_currency(db)
        raise AdvanceRefused(
            f"the guarantee fund can advance {money(offer.amount, currency)} of "
            f"{money(offer.asked, currency)}: {'; '.join(offer.reasons)}",
            missing=offer.missing,
            reasons=offer.reasons,
        )
    advances = [
        _grant_one(db, backing, activity_id, member_id, day, salary_request_id)
        for backing in offer.backing
    ]
    record(
        db,
        "guarantee.advance_granted",
        "activity",
        activity_id,
        {
            "member": member_id,
            "salary_request": salary_request_id,
            "amount": offer.amount,
            "currency": tenant_currency(db),
            "day": day,
            "invoices": [{"invoice": b.invoice_id, "amount": b.amount} for b in offer.backing],
        },
    )
    return advances


def _lock_the_fund(db: Session) -> None:
    """Hold the advances' running balance row until the transaction ends.

    Adding nothing to it locks it (PostgreSQL), so two grants in one
    cooperative read the fund, the advances outstanding and the limits one
    after the other: both cannot take the same room.
    """
    currency = tenant_currency(db)
    account = accounts_for(db, {(AccountRole.GUARANTEE_ADVANCES, None)})
    key = (account[AccountRole.GUARANTEE_ADVANCES, None].id, currency)
    add_to_balances(db, {key: Delta(ZERO, 0)})


def _granted_for(db: Session, salary_request_id: uuid.UUID) -> list[Advance]:
    return list(
        db.scalars(
            select(Advance)
            .where(Advance.salary_request_id == salary_request_id)
            .order_by(Advance.granted_at, Advance.id)
        )
    )


def _grant_one(
    db: Session,
    backing: Backing,
    activity_id: uuid.UUID,
    member_id: uuid.UUID,
    day: date,
    salary_request_id: uuid.UUID,
) -> Advance:
    currency = tenant_currency(db)
    entry = post(
        db,
        kind=ADVANCE,
        description=(
            f"Guarantee-fund advance on invoice {backing.number} "
            f"for salary request {salary_request_id}"
        ),
        day=day,
        reference=f"invoice:{backing.invoice_id}",
        lines=[
            debit(AccountRole.GUARANTEE_ADVANCES, backing.amount, None, currency),
            credit(AccountRole.ACTIVITY_FUNDS, backing.amount, activity_id, currency),
        ],
    )
    advance = Advance(
        invoice_id=backing.invoice_id,
        activity_id=activity_id,
        member_id=member_id,
        client_id=backing.client_id,
        salary_request_id=salary_request_id,
        amount=backing.amount,
        currency=currency,
        granted_on=day,
        entry_id=entry.id,
    )
    db.add(advance)
    db.flush()
    return advance
