"""The law tightened by the statutes, voting colleges and the electorate of a record date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.db.append_only import FinalRecordError
from coopkit.db.tenancy import tenant_scope
from coopkit.governance.colleges import assign_college, set_colleges
from coopkit.governance.rules import (
    College,
    ItemKind,
    Majority,
    RuleRefused,
    assembly_rules,
    colleges_on,
    electorate_on,
    law_rules,
)
from coopkit.governance.statutes import Statutes, set_statutes
from coopkit.governance.tally import Ballot, Method, Stance, count
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import append_entry
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user

DAY = date(2026, 6, 12)


def coop(session: Session, plugins: PluginHost, country: str) -> Tenant:
    return create_tenant(
        session, plugins, slug=unique("law"), name="Law coop", kind="branch", country=country
    )


def test_without_statutes_the_law_holds(session: Session, plugins: PluginHost) -> None:
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        rules = assembly_rules(session, tenant, DAY, plugins)
    assert rules == law_rules("FR", DAY, plugins)
    assert rules.rule(ItemKind.ORDINARY).quorum == Decimal("0.25")


def test_statutes_tighten_the_law(session: Session, plugins: PluginHost) -> None:
    # FR law: 15 days, AGE quorum a third; the statutes ask 21 days and half, and a
    # 3/4 majority on a second call (the law: 2/3).
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        law = law_rules("FR", date(2026, 1, 1), plugins)
        set_statutes(
            session,
            law,
            Statutes(
                valid_from=date(2026, 1, 1),
                notice_days=21,
                extraordinary_quorum=Decimal("0.5"),
                extraordinary_second_call_majority=Majority.THREE_QUARTERS,
                adopted_by="EGM of 2025-12-01, art. 25",
            ),
        )
        rules = assembly_rules(session, tenant, DAY, plugins)
        before = assembly_rules(session, tenant, date(2025, 12, 31), plugins)
    assert (rules.notice_days, rules.notice_source) == (21, "statutes: EGM of 2025-12-01, art. 25")
    assert rules.extraordinary.quorum == Decimal("0.5")
    assert rules.extraordinary.second_call_majority is Majority.THREE_QUARTERS
    assert rules.extraordinary.majority is Majority.TWO_THIRDS  # the law's, not loosened
    assert rules.extraordinary.source.endswith("statutes: EGM of 2025-12-01, art. 25")
    assert rules.ordinary == law.ordinary
    assert before.notice_days == 15  # statutes not yet in force


def test_statutes_looser_than_the_law_are_refused_citing_it(
    session: Session, plugins: PluginHost
) -> None:
    # BE: a statutes change needs 3/4 (CSA 6:85); statutes asking 2/3 are refused.
    tenant = coop(session, plugins, "BE")
    with tenant_scope(session, tenant.id):
        law = law_rules("BE", DAY, plugins)
        loose = Statutes(
            valid_from=DAY,
            notice_days=10,
            extraordinary_majority=Majority.TWO_THIRDS,
            adopted_by="EGM",
        )
        with pytest.raises(RuleRefused) as refused:
            set_statutes(session, law, loose)
    message = str(refused.value)
    assert "a notice of 10 days is shorter than the law's 15 (CSA art. 6:70" in message
    assert (
        "the extraordinary majority two_thirds is looser than the law's three_quarters" in message
    )
    assert "6:85" in message
    assert refused.value.rule == "law above statutes"


def test_belgian_statutes_set_the_proxies_the_law_leaves_open(
    session: Session, plugins: PluginHost
) -> None:
    tenant = coop(session, plugins, "BE")
    with tenant_scope(session, tenant.id):
        law = law_rules("BE", DAY, plugins)
        set_statutes(session, law, Statutes(valid_from=DAY, max_proxies=3, adopted_by="art. 30"))
        assert assembly_rules(session, tenant, DAY, plugins).max_proxies == 3


def test_french_statutes_may_not_allow_more_proxies(session: Session, plugins: PluginHost) -> None:
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        law = law_rules("FR", DAY, plugins)
        with pytest.raises(RuleRefused, match="3 proxies per member is more than the law's 1"):
            set_statutes(session, law, Statutes(valid_from=DAY, max_proxies=3, adopted_by="x"))


def test_statutes_are_append_only(session: Session, plugins: PluginHost) -> None:
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        row = set_statutes(
            session,
            law_rules("FR", DAY, plugins),
            Statutes(valid_from=DAY, notice_days=20, adopted_by="AGM"),
        )
        row.notice_days = 30
        with pytest.raises(FinalRecordError):
            session.flush()
        session.rollback()


def _member(session: Session, shares: ShareClass, name: str) -> object:
    person = make_user(session, name)
    session.add(
        MemberStatusChange(
            user_id=person.id, status=MemberStatus.MEMBER, effective_on=date(2026, 1, 5)
        )
    )
    session.flush()
    append_entry(
        session,
        user_id=person.id,
        share_class=shares,
        kind=RegisterEntryKind.SUBSCRIPTION,
        quantity=1,
        effective_on=date(2026, 1, 5),
    )
    return person


SCIC = [
    College("workers", "Workers", Decimal("0.5")),
    College("users", "Users", Decimal("0.3")),
    College("supporters", "Supporters", Decimal("0.2")),
]


def test_scic_colleges_within_the_law(session: Session, plugins: PluginHost) -> None:
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        law = law_rules("FR", DAY, plugins)
        with pytest.raises(RuleRefused, match=r"workers weighs 0\.6, above the law's maximum 0\.5"):
            set_colleges(
                session,
                law,
                [
                    College("workers", "Workers", Decimal("0.6")),
                    College("users", "Users", Decimal("0.35")),
                    College("supporters", "Supporters", Decimal("0.05")),
                ],
                date(2026, 1, 1),
                "EGM",
            )
        with pytest.raises(RuleRefused, match=r"the weights add up to 0\.9, not to 1"):
            set_colleges(session, law, [*SCIC[:2], College("x", "X", Decimal("0.1"))], DAY, "x")
        set_colleges(session, law, SCIC, date(2026, 1, 1), "EGM of 2025-12-01")
        assert colleges_on(session, DAY) == sorted(SCIC, key=lambda c: c.code)
        assert colleges_on(session, date(2025, 12, 31)) == []


def test_the_electorate_carries_each_voters_college(session: Session, plugins: PluginHost) -> None:
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        shares = ShareClass(code="A", name="A", nominal=Decimal("50.00"), currency="EUR")
        session.add(shares)
        session.flush()
        ann, bob, cid = (_member(session, shares, n) for n in ("Ann", "Bob", "Cid"))
        # No colleges: one member, one vote.
        plain = electorate_on(session, DAY)
        assert set(plain.voters.values()) == {None}
        assert plain.size == 3
        set_colleges(session, law_rules("FR", DAY, plugins), SCIC, date(2026, 1, 1), "EGM")
        assign_college(session, ann.id, "workers", date(2026, 1, 5))  # type: ignore[attr-defined]
        assign_college(session, bob.id, "users", date(2026, 1, 5))  # type: ignore[attr-defined]
        with pytest.raises(RuleRefused, match="1 voter\\(s\\) on 2026-06-12 have no college"):
            electorate_on(session, DAY)
        assign_college(session, cid.id, "supporters", date(2026, 1, 5))  # type: ignore[attr-defined]
        with pytest.raises(RuleRefused, match="no college 'board'"):
            assign_college(session, cid.id, "board", date(2026, 1, 5))  # type: ignore[attr-defined]
        voters = electorate_on(session, DAY)
    assert voters.voters[ann.id] == "workers"  # type: ignore[attr-defined]
    # Ann (workers, 0.5) agrees; Bob (users, 0.3) and Cid (supporters, 0.2) disagree:
    # 0.5 for, 0.5 against: a simple majority is not reached.
    ballots = [
        Ballot(ann.id, "workers", Stance.AGREE),  # type: ignore[attr-defined]
        Ballot(bob.id, "users", Stance.DISAGREE),  # type: ignore[attr-defined]
        Ballot(cid.id, "supporters", Stance.DISAGREE),  # type: ignore[attr-defined]
    ]
    outcome = count(Method.PROPOSAL, ballots, voters, law_rules("FR", DAY, plugins).ordinary)
    assert outcome.totals["agree"] == outcome.totals["disagree"] == Decimal("0.5")
    assert outcome.adopted is False


def test_a_third_stored_to_six_decimals_is_a_third(session: Session, plugins: PluginHost) -> None:
    # The FR law's extraordinary quorum is 1/3; statutes repeating it are stored as
    # 0.333333 (6 decimals) and are neither looser nor stricter than the law.
    tenant = coop(session, plugins, "FR")
    with tenant_scope(session, tenant.id):
        law = law_rules("FR", DAY, plugins)
        set_statutes(
            session,
            law,
            Statutes(valid_from=DAY, extraordinary_quorum=Decimal("0.333333"), adopted_by="x"),
        )
        assert assembly_rules(session, tenant, DAY, plugins).extraordinary == law.extraordinary
