"""Effect surplus_distribution: validation, the members' parts to the cent, the ledger entry.

The cooperative is tests/decisions_world.py's: year 2025, assembly 2026-05-12,
Ann 1000.00 of turnover, Bob and Cid sharing DUO's 500.00, Dan resigned
(his 700.00 counts for nobody); Ann 4 A shares and Bob 2 (50.00 each).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.decisions.allocation import share_out
from coopkit.decisions.models import SurplusAllocation, SurplusDistribution
from coopkit.decisions.surplus import ENTRY_KIND
from coopkit.governance import effects
from coopkit.governance.effects import EffectRefused
from coopkit.ledger.balances import ledger_problems
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.plugins import PluginHost
from tests.decisions_world import ASSEMBLY, adoption, make_coop

CENT = Decimal("0.01")
# 1000.00 = 50.00 + 500.00 + 100.00 + 200.00 + 9.00 + 141.00
SPLIT = {
    "financial_year_end": "2025-12-31",
    "surplus": "1000.00",
    "legal_reserve": "50.00",
    "other_reserves": "500.00",
    "ristourne": "100.00",
    "workers_share": "200.00",
    "dividends": "9.00",  # 3 % of the 300.00 of capital
    "carried_forward": "141.00",
}


def test_share_out_adds_up_to_the_cent_by_largest_remainder() -> None:
    a, b, c = (__import__("uuid").UUID(int=n) for n in (1, 2, 3))
    # 100.00 in thirds: 33.333… each; floors 33.33 × 3 = 99.99, the cent left goes to
    # the first by id (equal remainders, equal weights).
    parts = share_out(Decimal("100.00"), {a: 1, b: 1, c: 1}, CENT)
    assert parts == {a: Decimal("33.34"), b: Decimal("33.33"), c: Decimal("33.33")}
    # 0.05 over 1:1:1 → 1.666 cents each: floors 1+1+1 = 3, two cents left to a and b.
    assert share_out(Decimal("0.05"), {a: 1, b: 1, c: 1}, CENT) == {
        a: Decimal("0.02"),
        b: Decimal("0.02"),
        c: Decimal("0.01"),
    }
    # Remainders decide before weights: 10.00 over 7:2 → 7.777… and 2.222…;
    # floors 7.77 + 2.22 = 9.99; the cent goes to the larger remainder (0.7 of a cent: a).
    assert share_out(Decimal("10.00"), {a: 7, b: 2}, CENT) == {
        a: Decimal("7.78"),
        b: Decimal("2.22"),
    }


def test_the_ristourne_follows_activity_and_the_dividends_capital(
    session: Session, plugins: PluginHost
) -> None:
    coop = make_coop(session, plugins)
    ann, bob, cid, dan = (coop.people[n] for n in ("Ann", "Bob", "Cid", "Dan"))
    checked = effects.validate(session, "surplus_distribution", SPLIT, ASSEMBLY)
    assert checked == SPLIT
    decided = adoption("resolution 2")
    effects.apply(session, "surplus_distribution", checked, decided)

    distribution = session.scalars(select(SurplusDistribution)).one()
    assert distribution.resolution_id == decided.resolution_id
    rows = {
        row.user_id: row
        for row in session.scalars(
            select(SurplusAllocation).where(SurplusAllocation.distribution_id == distribution.id)
        )
    }
    assert dan not in rows  # resigned before the year end: his 700.00 counts for nobody
    # Bases: Ann 1000.00; DUO's 500.00 split equally, Bob 250.00 and Cid 250.00 (1500.00).
    assert {u: r.turnover for u, r in rows.items()} == {
        ann: Decimal("1000.00"),
        bob: Decimal("250.00"),
        cid: Decimal("250.00"),
    }
    # Ristourne 100.00 × 1000/1500 = 66.666…, × 250/1500 = 16.666… twice: floors 66.66 +
    # 16.66 + 16.66 = 99.98; the two cents left go to the equal remainders (2/3 of a
    # cent each) by weight, Ann first, then the first of Bob and Cid by id.
    ristourne = {u: r.ristourne for u, r in rows.items()}
    assert ristourne[ann] == Decimal("66.67")
    assert sorted([ristourne[bob], ristourne[cid]]) == [Decimal("16.66"), Decimal("16.67")]
    assert sum(ristourne.values()) == Decimal("100.00")
    # Dividends 9.00 on capital 300.00: Ann 200.00 → 6.00, Bob 100.00 → 3.00, Cid none.
    assert {u: r.dividend for u, r in rows.items()} == {
        ann: Decimal("6.00"),
        bob: Decimal("3.00"),
        cid: Decimal("0.00"),
    }
    assert rows[ann].capital == Decimal("200.00")


def test_one_balanced_entry_appropriates_the_result(session: Session, plugins: PluginHost) -> None:
    make_coop(session, plugins)
    decided = adoption("resolution 2")
    effects.apply(session, "surplus_distribution", SPLIT, decided)
    entry = session.scalars(select(JournalEntry).where(JournalEntry.kind == ENTRY_KIND)).one()
    assert entry.day == ASSEMBLY
    assert entry.reference == f"resolution:{decided.resolution_id}"
    lines = session.execute(
        select(Account.number, Posting.amount)
        .join(Account, Account.id == Posting.account_id)
        .where(Posting.entry_id == entry.id)
    ).all()
    # Belgian PCMN: Dr 69 the surplus; Cr 130 legal reserve, 133 available reserves,
    # 4730 ristournes, 4731 workers, 471 dividends, 140 profit carried forward.
    assert dict(lines) == {
        "69": Decimal("1000.00"),
        "130": Decimal("-50.00"),
        "133": Decimal("-500.00"),
        "4730": Decimal("-100.00"),
        "4731": Decimal("-200.00"),
        "471": Decimal("-9.00"),
        "140": Decimal("-141.00"),
    }
    assert sum(amount for _, amount in lines) == 0
    assert ledger_problems(session) == []


def test_french_books_use_the_pcg_accounts(session: Session, plugins: PluginHost) -> None:
    make_coop(session, plugins, country="FR")
    # A SCOP split: legal reserve 15 % (150.00), workers at least 25 % (250.00), dividends
    # (9.00) below both; 150 + 0 + 100 + 250 + 9 + 491 = 1000.00.
    split = {**SPLIT, "legal_reserve": "150.00", "other_reserves": "0.00",
             "workers_share": "250.00", "carried_forward": "491.00"}  # fmt: skip
    effects.apply(session, "surplus_distribution", split, adoption())
    numbers = set(
        session.scalars(
            select(Account.number)
            .join(Posting, Posting.account_id == Account.id)
            .join(JournalEntry, JournalEntry.id == Posting.entry_id)
            .where(JournalEntry.kind == ENTRY_KIND)
        )
    )
    # No line for the zero other reserves (1068).
    assert numbers == {"120", "1061", "4675", "424", "457", "110"}


def test_belgian_law_refuses_a_dividend_of_7_percent(session: Session, plugins: PluginHost) -> None:
    make_coop(session, plugins)
    # Capital 300.00 on 2025-12-31; 7 % is 21.00, above the cap of 6 % (18.00).
    split = {**SPLIT, "dividends": "21.00", "carried_forward": "129.00"}
    with pytest.raises(EffectRefused, match=r"exceed 6 % of the paid-up capital of 300") as refused:
        effects.validate(session, "surplus_distribution", split, ASSEMBLY)
    assert "6" in str(refused.value)
    assert refused.value.rule  # the agreement conditions of accredited coops, cited
    # 6 % exactly (18.00) is allowed.
    effects.validate(
        session,
        "surplus_distribution",
        {**SPLIT, "dividends": "18.00", "carried_forward": "132.00"},
        ASSEMBLY,
    )


def test_french_law_refuses_a_scop_split_without_the_workers_share(
    session: Session, plugins: PluginHost
) -> None:
    make_coop(session, plugins, country="FR")
    with pytest.raises(EffectRefused, match=r"workers' share is 200\.00") as refused:
        effects.validate(session, "surplus_distribution", SPLIT, ASSEMBLY)
    assert "78-763" in refused.value.rule


@pytest.mark.parametrize(
    ("change", "words", "rule"),
    [
        ({"carried_forward": "140.00"}, "difference 1.00", "add up to the surplus"),
        ({"carried_forward": "-141.00", "other_reserves": "782.00"}, "0 or more", "negative"),
        ({"financial_year_end": "2026-12-31"}, "has not ended", "after the financial year"),
        ({"dividends": "9.001", "carried_forward": "140.999"}, "decimals of EUR", "exact"),
        ({"surplus": 1000.0}, "never a float", "exact"),
    ],
)
def test_a_split_is_refused_with_the_rule(
    session: Session, plugins: PluginHost, change: dict[str, Any], words: str, rule: str
) -> None:
    make_coop(session, plugins)
    with pytest.raises(EffectRefused, match=words) as refused:
        effects.validate(session, "surplus_distribution", {**SPLIT, **change}, ASSEMBLY)
    assert rule in refused.value.rule


def test_a_year_is_appropriated_once(session: Session, plugins: PluginHost) -> None:
    make_coop(session, plugins)
    effects.apply(session, "surplus_distribution", SPLIT, adoption("resolution 2"))
    with pytest.raises(EffectRefused, match="already appropriated") as refused:
        effects.validate(session, "surplus_distribution", SPLIT, ASSEMBLY)
    assert refused.value.rule == "a financial year's result is appropriated once"


def test_a_ristourne_needs_someone_who_worked_in_the_year(
    session: Session, plugins: PluginHost
) -> None:
    make_coop(session, plugins)
    # The year 2023: nobody invoiced anything, nobody held shares.
    split = {**SPLIT, "financial_year_end": "2023-12-31", "dividends": "0.00",
             "carried_forward": "150.00"}  # fmt: skip
    with pytest.raises(EffectRefused, match="no member has any turnover invoiced"):
        effects.validate(session, "surplus_distribution", split, ASSEMBLY)


def test_books_opened_before_the_appropriation_roles_get_their_accounts(
    session: Session, plugins: PluginHost
) -> None:
    make_coop(session, plugins)
    # As in a cooperative whose books were opened before these roles existed.
    for role in (AccountRole.RESULT_OF_THE_YEAR, AccountRole.RISTOURNE_PAYABLE):
        session.delete(session.scalars(select(Account).where(Account.role == role)).one())
    session.flush()
    effects.apply(session, "surplus_distribution", SPLIT, adoption())
    assert (
        session.scalars(
            select(Account.number).where(Account.role == AccountRole.RESULT_OF_THE_YEAR)
        ).one()
        == "69"
    )
