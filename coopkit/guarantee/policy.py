"""The guarantee fund's rules, decided by the cooperative: dated, append-only, per tenant.

A policy holds from its ``valid_from`` until the next one (like the fee rates
of coopkit.ledger.policy; a later row for the same day corrects a mistake):

- ``floor``: what the fund keeps whatever happens. Its balance less the
  advances outstanding may not go below it;
- ``member_limit``, ``client_limit``, ``overall_limit``: the most that may be
  outstanding in advances for one member, on the invoices of one client, and
  in total (None: no limit);
- ``eligible_countries``: the countries whose clients' invoices may back an
  advance (ISO 3166 codes), or None for the EU member states on the day.

Amounts are in the cooperative's currency. With no policy in force, the fund
advances nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from sqlalchemy import JSON, CheckConstraint, Date, Index, String, Uuid
from sqlalchemy.orm import Mapped, Session, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY
from coopkit.db.types import Amount
from coopkit.invoicing.eu import member_states
from coopkit.ledger.posting import tenant_currency
from coopkit.money import Money, MoneyError, minor_unit, to_decimal


class GuaranteePolicyError(ValueError):
    """A policy that cannot be recorded as given; the message says what to fix."""


class GuaranteePolicy(AppendOnly, TenantOwned, Base):
    """The guarantee fund's floor, limits and eligible countries from a day on."""

    final_reason = "record a later policy instead"

    __tablename__ = "guarantee_policies"
    __table_args__ = (
        CheckConstraint("floor >= 0", name="floor_not_negative"),
        CheckConstraint(
            "(member_limit IS NULL OR member_limit >= 0) AND "
            "(client_limit IS NULL OR client_limit >= 0) AND "
            "(overall_limit IS NULL OR overall_limit >= 0)",
            name="limits_not_negative",
        ),
        Index("ix_guarantee_policies_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    floor: Mapped[Decimal] = mapped_column(Amount())
    member_limit: Mapped[Decimal | None] = mapped_column(Amount(), default=None)
    client_limit: Mapped[Decimal | None] = mapped_column(Amount(), default=None)
    overall_limit: Mapped[Decimal | None] = mapped_column(Amount(), default=None)
    eligible_countries: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    def countries_on(self, day: date) -> frozenset[str]:
        """The countries whose clients' invoices may back an advance on ``day``."""
        if self.eligible_countries is None:
            return member_states(day)
        return frozenset(self.eligible_countries)


def _amount(value: object, what: str, currency: str) -> Decimal:
    try:
        amount = to_decimal(value)
    except MoneyError as error:
        raise GuaranteePolicyError(f"{what}: {error}") from None
    if amount < 0:
        raise GuaranteePolicyError(f"{what} {amount}: give an amount of 0 or more")
    unit = minor_unit(currency)
    if amount != amount.quantize(unit):
        raise GuaranteePolicyError(
            f"{what} {amount}: at most the decimals of {currency} (its smallest unit is {unit})"
        )
    return amount.quantize(unit)


def _limit(value: object, what: str, currency: str) -> Decimal | None:
    return None if value is None else _amount(value, what, currency)


def _countries(codes: list[str] | tuple[str, ...] | None) -> list[str] | None:
    if codes is None:
        return None
    known = Locale("en").territories
    cleaned = sorted({code.strip().upper() for code in codes})
    unknown = [
        code for code in cleaned if len(code) != 2 or not code.isalpha() or code not in known
    ]
    if unknown:
        raise GuaranteePolicyError(
            f"eligible countries {', '.join(unknown)}: give ISO 3166 two-letter codes (BE, FR…)"
        )
    if not cleaned:
        raise GuaranteePolicyError(
            "eligible countries: give at least one ISO code, or none at all for the EU member "
            "states"
        )
    return cleaned


def set_guarantee_policy(
    db: Session,
    *,
    valid_from: date,
    floor: object,
    member_limit: object = None,
    client_limit: object = None,
    overall_limit: object = None,
    eligible_countries: list[str] | tuple[str, ...] | None = None,
    decided_by: str,
) -> GuaranteePolicy:
    """Record the fund's policy decided (by the general assembly) from ``valid_from`` on."""
    if not decided_by.strip():
        raise GuaranteePolicyError(
            "say who decided this policy (for example 'General assembly of 2026-05-12')"
        )
    currency = tenant_currency(db)
    user = db.info.get(USER_KEY)
    row = GuaranteePolicy(
        valid_from=valid_from,
        floor=_amount(floor, "floor", currency),
        member_limit=_limit(member_limit, "member limit", currency),
        client_limit=_limit(client_limit, "client limit", currency),
        overall_limit=_limit(overall_limit, "overall limit", currency),
        eligible_countries=_countries(eligible_countries),
        decided_by=decided_by.strip()[:300],
        recorded_by=user if isinstance(user, uuid.UUID) else None,
    )
    db.add(row)
    db.flush()
    return row


def guarantee_policy_on(db: Session, day: date) -> GuaranteePolicy | None:
    """The policy of the session's tenant in force on ``day``, or None."""
    return in_force(db, GuaranteePolicy, day)


def describe(policy: GuaranteePolicy, currency: str) -> str:
    """The policy in one line, for the command line and the audit."""

    def show(limit: Decimal | None) -> str:
        return "no limit" if limit is None else str(Money(limit, currency))

    countries = (
        "EU member states" if policy.eligible_countries is None
        else ", ".join(policy.eligible_countries)
    )  # fmt: skip
    return (
        f"from {policy.valid_from}: floor {Money(policy.floor, currency)}, per member "
        f"{show(policy.member_limit)}, per client {show(policy.client_limit)}, overall "
        f"{show(policy.overall_limit)}; clients in {countries} (decided by {policy.decided_by})"
    )
