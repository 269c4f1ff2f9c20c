"""Effect ``surplus_distribution``: the assembly shares a financial year's surplus.

Validation refuses a split whose parts do not add up to the surplus, a
negative part, a year already appropriated or not yet ended, a ristourne or a
dividend nobody can receive, and whatever the country's cooperative law
refuses (the plugin's ``SurplusRules``: e.g. Belgian accredited coops pay at
most 6 % of the nominal value in dividends), citing the rule.

Applying it, in the caller's transaction:

1. records the :class:`SurplusDistribution`;
2. shares the ristourne by activity and the dividends by capital held
   (coopkit.decisions.allocation) into :class:`SurplusAllocation` rows;
3. posts ONE entry appropriating the result (kind ``surplus_distribution``):
   Dr result_of_the_year the surplus; Cr legal_reserve, other_reserves,
   ristourne_payable, workers_share_payable, dividends_payable,
   retained_earnings each non-zero part.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.countries import SurplusSplit
from coopkit.db.tenancy import USER_KEY, current_tenant
from coopkit.decisions.allocation import (
    Weight,
    activity_turnover,
    as_amount,
    capital_held,
    share_out,
)
from coopkit.decisions.models import SurplusAllocation, SurplusDistribution
from coopkit.decisions.payload import amount, audit_applied, day
from coopkit.governance.effects import Adoption, EffectRefused, register
from coopkit.ledger.books import open_books
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import Line, credit, debit, post, tenant_currency
from coopkit.membership.register import capital_on
from coopkit.money import minor_unit
from coopkit.plugins import PluginHost, default_host
from coopkit.tenants.models import Tenant

# The parts of a split, in the order of the payload and of the entry's credit lines.
PARTS = {
    "legal_reserve": AccountRole.LEGAL_RESERVE,
    "other_reserves": AccountRole.OTHER_RESERVES,
    "ristourne": AccountRole.RISTOURNE_PAYABLE,
    "workers_share": AccountRole.WORKERS_SHARE_PAYABLE,
    "dividends": AccountRole.DIVIDENDS_PAYABLE,
    "carried_forward": AccountRole.RETAINED_EARNINGS,
}
RULE_ADD_UP = "the parts of a surplus distribution add up to the surplus"
RULE_ONCE = "a financial year's result is appropriated once"
ENTRY_KIND = "surplus_distribution"


@dataclass(frozen=True)
class Split:
    """A surplus distribution as decided: the year, the surplus and its parts (exact)."""

    financial_year_end: date
    surplus: Decimal
    parts: dict[str, Decimal]

    def payload(self) -> dict[str, str]:
        return {
            "financial_year_end": self.financial_year_end.isoformat(),
            "surplus": str(self.surplus),
            **{name: str(value) for name, value in self.parts.items()},
        }


@dataclass(frozen=True)
class MemberPart:
    """What one member receives, and the bases it was computed from."""

    user_id: uuid.UUID
    turnover: Decimal
    capital: Decimal
    ristourne: Decimal
    dividend: Decimal


def read_split(db: Session, payload: Mapping[str, Any], on: date) -> Split:
    """The split in ``payload``, checked for the arithmetic and the calendar."""
    currency = tenant_currency(db)
    year_end = day(payload, "financial_year_end")
    if year_end >= on:
        raise EffectRefused(
            f"the financial year ending {year_end.isoformat()} has not ended on "
            f"{on.isoformat()}: its surplus is shared after its accounts are closed",
            "a surplus is distributed after the financial year",
        )
    surplus = amount(payload, "surplus", currency)
    if surplus <= 0:
        raise EffectRefused(
            f"surplus {surplus}: there is nothing to distribute (a loss is carried forward, "
            "not distributed)",
            "a surplus distribution shares a positive result",
        )
    parts = {name: amount(payload, name, currency) for name in PARTS}
    total = sum(parts.values(), Decimal(0))
    if total != surplus:
        shown = " + ".join(f"{name} {value}" for name, value in parts.items())
        raise EffectRefused(
            f"{shown} = {total}, not the surplus {surplus} (difference {surplus - total})",
            RULE_ADD_UP,
        )
    done = db.scalar(
        select(SurplusDistribution.decided_by).where(
            SurplusDistribution.financial_year_end == year_end
        )
    )
    if done is not None:
        raise EffectRefused(
            f"the result of the year ending {year_end.isoformat()} was already appropriated "
            f"({done})",
            RULE_ONCE,
        )
    return Split(year_end, surplus, parts)


def _law_refusals(db: Session, plugins: PluginHost, split: Split) -> None:
    """Refuse what the country's cooperative law refuses (its plugin's SurplusRules),
    naming every problem and the rules that forbid them."""
    tenant = db.get(Tenant, current_tenant(db))
    assert tenant is not None
    rules = plugins.surplus_rules(tenant.country, split.financial_year_end)
    capital = capital_on(db, split.financial_year_end)
    refusals = rules.refusals(SurplusSplit(surplus=split.surplus, **split.parts), capital)
    if refusals:
        raise EffectRefused(
            "; ".join(refusal.message for refusal in refusals),
            "; ".join(dict.fromkeys(refusal.rule for refusal in refusals if refusal.rule)),
        )


def member_parts(db: Session, split: Split) -> list[MemberPart]:
    """Each member's ristourne (by activity) and dividend (by capital), adding up to the cent."""
    unit = minor_unit(tenant_currency(db))
    turnover = activity_turnover(db, split.financial_year_end)
    capital = capital_held(db, split.financial_year_end)
    _check_base("ristourne", split.parts["ristourne"], turnover, "turnover invoiced in the year")
    _check_base("dividends", split.parts["dividends"], capital, "shares held at the year end")
    ristourne = share_out(split.parts["ristourne"], turnover, unit)
    dividend = share_out(split.parts["dividends"], capital, unit)
    zero = Decimal(0).quantize(unit)
    return [
        MemberPart(
            user_id=user_id,
            turnover=as_amount(turnover.get(user_id, Weight(0)), unit),
            capital=as_amount(capital.get(user_id, Weight(0)), unit),
            ristourne=ristourne.get(user_id, zero),
            dividend=dividend.get(user_id, zero),
        )
        for user_id in sorted(set(turnover) | set(capital), key=str)
    ]


def _check_base(part: str, value: Decimal, base: Mapping[uuid.UUID, Weight], what: str) -> None:
    if value > 0 and not any(weight > 0 for weight in base.values()):
        raise EffectRefused(
            f"{part} {value}: no member has any {what}, so nobody can receive it",
            f"the {part} is shared in proportion to the {what}",
        )


def appropriation_lines(split: Split) -> list[Line]:
    """The entry: Dr the result of the year, Cr each non-zero part's account."""
    lines = [debit(AccountRole.RESULT_OF_THE_YEAR, split.surplus)]
    lines += [credit(PARTS[name], value) for name, value in split.parts.items() if value > 0]
    return lines


class SurplusDistributionEffect:
    """Share a year's surplus: reserves, ristourne, workers' share, dividends, carried forward."""

    kind = "surplus_distribution"
    label = "Distribute the surplus of a financial year"

    def __init__(self, plugins: PluginHost | None = None) -> None:
        self.plugins = plugins

    def validate(self, db: Session, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
        split = read_split(db, payload, on)
        _law_refusals(db, self.plugins or default_host(), split)
        member_parts(db, split)  # refuses a ristourne or dividend nobody can receive
        return split.payload()

    def apply(self, db: Session, payload: Mapping[str, Any], adoption: Adoption) -> None:
        plugins = self.plugins or default_host()
        split = read_split(db, payload, adoption.adopted_on)
        _law_refusals(db, plugins, split)
        parts = member_parts(db, split)
        # Books opened before the appropriation roles existed get their accounts now
        # (idempotent: only the missing roles are added).
        tenant = db.get_one(Tenant, current_tenant(db))
        open_books(db, plugins, tenant, adoption.adopted_on)
        entry = post(
            db,
            lines=appropriation_lines(split),
            kind=ENTRY_KIND,
            description=f"Appropriation of the result of the year ending "
            f"{split.financial_year_end.isoformat()} ({adoption.decided_by})"[:500],
            day=adoption.adopted_on,
            reference=f"resolution:{adoption.resolution_id}",
        )
        actor = db.info.get(USER_KEY)
        distribution = SurplusDistribution(
            resolution_id=adoption.resolution_id,
            financial_year_end=split.financial_year_end,
            surplus=split.surplus,
            currency=tenant_currency(db),
            adopted_on=adoption.adopted_on,
            decided_by=adoption.decided_by[:300],
            journal_entry_id=entry.id,
            recorded_by=actor if isinstance(actor, uuid.UUID) else None,
            **split.parts,
        )
        db.add(distribution)
        db.flush()
        db.add_all(
            SurplusAllocation(
                distribution_id=distribution.id,
                user_id=part.user_id,
                turnover=part.turnover,
                capital=part.capital,
                ristourne=part.ristourne,
                dividend=part.dividend,
            )
            for part in parts
        )
        db.flush()
        audit_applied(
            db,
            self.kind,
            adoption,
            split.payload(),
            distribution_id=distribution.id,
            journal_entry_id=entry.id,
            members=len(parts),
        )


SURPLUS_DISTRIBUTION = register(SurplusDistributionEffect())
