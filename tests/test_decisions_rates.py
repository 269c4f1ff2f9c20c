"""Effects fee_rate and guarantee_floor: a resolution sets the rates and the fund's floor."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.governance import effects
from coopkit.governance.effects import EffectRefused
from coopkit.guarantee.policy import guarantee_policy_on, set_guarantee_policy
from coopkit.ledger.policy import rates_on
from coopkit.plugins import PluginHost
from tests.decisions_world import ASSEMBLY, adoption, make_coop

NEXT_YEAR = date(2027, 1, 1)


def test_a_fee_rate_resolution_sets_the_rates_from_its_day(
    session: Session, plugins: PluginHost
) -> None:
    make_coop(session, plugins)
    payload = {"valid_from": "2027-01-01", "fee_rate": "0.07", "guarantee_rate": "0.025"}
    checked = effects.validate(session, "fee_rate", payload, ASSEMBLY)
    assert checked == {"valid_from": "2027-01-01", "fee_rate": "0.07", "guarantee_rate": "0.025"}
    decided = adoption("resolution 4")
    effects.apply(session, "fee_rate", checked, decided)
    rates = rates_on(session, NEXT_YEAR)
    assert (rates.fee_rate, rates.guarantee_rate) == (Decimal("0.07"), Decimal("0.025"))
    assert rates.decided_by == decided.decided_by
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None
    assert event.action == "resolution.fee_rate_applied"
    assert event.subject_id == str(decided.resolution_id)


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"valid_from": "2027-01-01", "fee_rate": "1.2", "guarantee_rate": "0"}, "from 0 to 1"),
        ({"valid_from": "2027-01-01", "fee_rate": 0.07, "guarantee_rate": "0"}, "never a float"),
        ({"valid_from": "2026-01-01", "fee_rate": "0.07", "guarantee_rate": "0"}, "before"),
        # 0.7 + 0.3 = 1: the coop and the fund would take everything the client paid
        ({"valid_from": "2027-01-01", "fee_rate": "0.7", "guarantee_rate": "0.3"}, "less than 1"),
        ({"valid_from": "2027-01-01", "fee_rate": "0.0650001", "guarantee_rate": "0"}, "6 decimal"),
        ({"valid_from": "2027-01-01", "fee_rate": "0.07"}, "'guarantee_rate'"),
        ({"valid_from": "soon", "fee_rate": "0.07", "guarantee_rate": "0"}, "YYYY-MM-DD"),
    ],
)
def test_a_fee_rate_resolution_is_refused_with_its_rule(
    session: Session, plugins: PluginHost, payload: dict[str, object], words: str
) -> None:
    make_coop(session, plugins)
    with pytest.raises(EffectRefused, match=words) as refused:
        effects.validate(session, "fee_rate", payload, ASSEMBLY)
    assert refused.value.rule


def test_a_floor_resolution_keeps_the_limits_and_countries_in_force(
    session: Session, plugins: PluginHost
) -> None:
    make_coop(session, plugins)
    set_guarantee_policy(
        session,
        valid_from=date(2026, 1, 1),
        floor="5000.00",
        member_limit="3000.00",
        overall_limit="40000.00",
        eligible_countries=["BE", "FR"],
        decided_by="General assembly of 2025-12-10",
    )
    payload = {"valid_from": "2027-01-01", "floor": "8000.00"}
    checked = effects.validate(session, "guarantee_floor", payload, ASSEMBLY)
    effects.apply(session, "guarantee_floor", checked, adoption("resolution 5"))
    before, after = (
        guarantee_policy_on(session, date(2026, 12, 31)),
        guarantee_policy_on(session, NEXT_YEAR),
    )
    assert before is not None
    assert after is not None
    assert (before.floor, after.floor) == (Decimal("5000.00"), Decimal("8000.00"))
    assert (after.member_limit, after.client_limit, after.overall_limit) == (
        Decimal("3000.00"),
        None,
        Decimal("40000.00"),
    )
    assert after.eligible_countries == ["BE", "FR"]


@pytest.mark.parametrize(
    ("floor", "words"), [("-1.00", "0 or more"), ("100.005", "decimals of EUR"), ("x", "number")]
)
def test_a_floor_is_an_amount_of_the_coops_currency(
    session: Session, plugins: PluginHost, floor: str, words: str
) -> None:
    make_coop(session, plugins)
    with pytest.raises(EffectRefused, match=words):
        effects.validate(
            session, "guarantee_floor", {"valid_from": "2027-01-01", "floor": floor}, ASSEMBLY
        )


def test_a_floor_needs_a_policy_in_force(session: Session, plugins: PluginHost) -> None:
    make_coop(session, plugins)
    with pytest.raises(EffectRefused, match="no policy in force") as refused:
        effects.validate(
            session, "guarantee_floor", {"valid_from": "2027-01-01", "floor": "10"}, ASSEMBLY
        )
    assert "limits" in refused.value.rule


def test_an_unknown_effect_lists_the_known_ones(session: Session) -> None:
    with pytest.raises(EffectRefused, match="data_use_policy, fee_rate, guarantee_floor"):
        effects.effect_of("new_logo")
