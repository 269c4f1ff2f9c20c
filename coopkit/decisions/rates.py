"""Effects ``fee_rate`` and ``guarantee_floor``: the assembly sets the rates and the fund's floor.

Both write a new dated row of an existing policy (coopkit.ledger.policy,
coopkit.guarantee.policy) from ``valid_from`` on, with the resolution as
``decided_by``; the policy in force before that day is untouched, so
payslips and advances of the past keep their rates.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from coopkit.decisions.payload import amount, audit_applied, day, not_before, rate
from coopkit.governance.effects import Adoption, EffectRefused, register
from coopkit.guarantee.policy import (
    GuaranteePolicyError,
    guarantee_policy_on,
    set_guarantee_policy,
)
from coopkit.ledger.policy import PolicyError, set_rates
from coopkit.ledger.posting import tenant_currency

RATE_PLACES = Decimal("0.000001")  # the fee_policies columns keep 6 decimal places
RULE_RATES = "the fee and the guarantee contribution together take less than the whole paid amount"


class FeeRateEffect:
    """Change the fee rate and the guarantee-fund contribution rate from a day on."""

    kind = "fee_rate"
    label = "Change the fee rate and the guarantee-fund contribution"

    def validate(self, db: Session, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
        valid_from = day(payload, "valid_from")
        not_before(valid_from, on)
        fee, guarantee = rate(payload, "fee_rate"), rate(payload, "guarantee_rate")
        for name, value in (("fee_rate", fee), ("guarantee_rate", guarantee)):
            if value != value.quantize(RATE_PLACES):
                raise EffectRefused(
                    f"{name} {value}: at most 6 decimal places", "rates are kept to 6 decimals"
                )
        if fee + guarantee >= 1:
            raise EffectRefused(
                f"fee {fee} and guarantee contribution {guarantee} add up to "
                f"{fee + guarantee}: they must add up to less than 1",
                RULE_RATES,
            )
        return {
            "valid_from": valid_from.isoformat(),
            "fee_rate": str(fee),
            "guarantee_rate": str(guarantee),
        }

    def apply(self, db: Session, payload: Mapping[str, Any], adoption: Adoption) -> None:
        checked = self.validate(db, payload, adoption.adopted_on)
        try:
            row = set_rates(
                db,
                valid_from=date.fromisoformat(checked["valid_from"]),
                fee_rate=checked["fee_rate"],
                guarantee_rate=checked["guarantee_rate"],
                decided_by=adoption.decided_by,
            )
        except PolicyError as error:
            raise EffectRefused(str(error), RULE_RATES) from None
        audit_applied(db, self.kind, adoption, checked, fee_policy_id=row.id)


class GuaranteeFloorEffect:
    """Change the guarantee fund's floor from a day on, keeping its limits and countries."""

    kind = "guarantee_floor"
    label = "Change the guarantee fund's floor"

    def validate(self, db: Session, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
        valid_from = day(payload, "valid_from")
        not_before(valid_from, on)
        floor = amount(payload, "floor", tenant_currency(db))
        if guarantee_policy_on(db, valid_from) is None:
            raise EffectRefused(
                f"the guarantee fund has no policy in force on {valid_from.isoformat()}: "
                "record its limits first (coopkit guarantee policy); a resolution changes "
                "its floor only",
                "a floor decision keeps the limits and countries of the policy in force",
            )
        return {"valid_from": valid_from.isoformat(), "floor": str(floor)}

    def apply(self, db: Session, payload: Mapping[str, Any], adoption: Adoption) -> None:
        checked = self.validate(db, payload, adoption.adopted_on)
        valid_from = date.fromisoformat(checked["valid_from"])
        current = guarantee_policy_on(db, valid_from)
        assert current is not None  # validate refused a day without a policy
        try:
            row = set_guarantee_policy(
                db,
                valid_from=valid_from,
                floor=checked["floor"],
                member_limit=current.member_limit,
                client_limit=current.client_limit,
                overall_limit=current.overall_limit,
                eligible_countries=current.eligible_countries,
                decided_by=adoption.decided_by,
            )
        except GuaranteePolicyError as error:
            raise EffectRefused(str(error), "the guarantee fund's policy") from None
        audit_applied(
            db, self.kind, adoption, checked, previous_floor=current.floor, policy_id=row.id
        )


FEE_RATE = register(FeeRateEffect())
GUARANTEE_FLOOR = register(GuaranteeFloorEffect())
