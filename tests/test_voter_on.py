"""One person's right to vote (``voter_on``, ``college_on``) agrees with the whole electorate
(``voters_on``, ``electorate_on``), and checking a vote no longer reads the whole register."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.governance.colleges import assign_college, college_on, set_colleges
from coopkit.governance.errors import NotEntitled
from coopkit.governance.rules import College, RuleRefused, electorate_on
from coopkit.governance.voting import check_entitled
from coopkit.membership import register
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import append_entry, voter_on, voters_on
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user
from tests.governance_world import rules_of_law

M, RES, EXC, APP = (
    MemberStatus.MEMBER,
    MemberStatus.RESIGNED,
    MemberStatus.EXCLUDED,
    MemberStatus.APPLICANT,
)
SUB, TIN, TOUT, RED = (
    RegisterEntryKind.SUBSCRIPTION,
    RegisterEntryKind.TRANSFER_IN,
    RegisterEntryKind.TRANSFER_OUT,
    RegisterEntryKind.REDEMPTION,
)
D = date(2026, 1, 1)


def day(n: int) -> date:
    return D + timedelta(days=n)


# Each person: status changes (status, day) and register lines (class, kind, quantity, day).
# Classes: A voting (minimum 1), B not voting, C voting with a minimum of 3, Z voting with
# a minimum of 0 (which still means one share).
PEOPLE: dict[
    str, tuple[list[tuple[MemberStatus, int]], list[tuple[str, RegisterEntryKind, int, int]]]
] = {
    "one A share": ([(M, 0)], [("A", SUB, 1, 0)]),
    "only non-voting B": ([(M, 0)], [("B", SUB, 2, 0)]),
    "B and A": ([(M, 0)], [("B", SUB, 2, 0), ("A", SUB, 1, 5)]),
    "two C, below the minimum of 3": ([(M, 0)], [("C", SUB, 2, 0)]),
    "three C": ([(M, 0)], [("C", SUB, 2, 0), ("C", TIN, 1, 10)]),
    "C falls below 3 on day 20": ([(M, 0)], [("C", SUB, 4, 0), ("C", TOUT, 2, 20)]),
    "one Z (minimum 0)": ([(M, 0)], [("Z", SUB, 1, 0)]),
    "A redeemed on day 10": ([(M, 0)], [("A", SUB, 2, 0), ("A", RED, 2, 10)]),
    "shares from day 15": ([(M, 0)], [("A", SUB, 1, 15)]),
    "member from day 15": ([(M, 15)], [("A", SUB, 1, 0)]),
    "resigned on day 10": ([(M, 0), (RES, 10)], [("A", SUB, 1, 0)]),
    "excluded on day 20": ([(M, 0), (EXC, 20)], [("A", SUB, 1, 0)]),
    "rejoined on day 20": ([(M, 0), (RES, 10), (M, 20)], [("A", SUB, 1, 0)]),
    "applicant only": ([(APP, 0)], [("A", SUB, 1, 0)]),
    "no status": ([], [("A", SUB, 1, 0)]),
    "member without shares": ([(M, 0)], []),
    "transferred in": ([(M, 5)], [("A", TIN, 1, 5)]),
}
DAYS = [day(n) for n in (-1, 0, 4, 5, 9, 10, 15, 19, 20, 30)]


def _register(session: Session, plugins: PluginHost) -> tuple[Tenant, dict[str, ShareClass]]:
    tenant = create_tenant(
        session, plugins, slug=unique("voter"), name="Voter coop", kind="branch", country="BE"
    )
    with tenant_scope(session, tenant.id):
        classes = {
            "A": ShareClass(code="A", name="A", nominal=Decimal("50.00"), currency="EUR"),
            "B": ShareClass(
                code="B", name="B", nominal=Decimal("250.00"), currency="EUR", voting=False
            ),
            "C": ShareClass(
                code="C", name="C", nominal=Decimal("10.00"), currency="EUR", min_holding=3
            ),
            "Z": ShareClass(
                code="Z", name="Z", nominal=Decimal("10.00"), currency="EUR", min_holding=0
            ),
        }
        session.add_all(classes.values())
        session.flush()
    return tenant, classes


def _record(
    session: Session,
    classes: dict[str, ShareClass],
    person: uuid.UUID,
    statuses: list[tuple[MemberStatus, int]],
    lines: list[tuple[str, RegisterEntryKind, int, int]],
) -> None:
    for status, n in statuses:
        reason = "by the board" if status in (MemberStatus.EXCLUDED, MemberStatus.REFUSED) else None
        session.add(
            MemberStatusChange(user_id=person, status=status, effective_on=day(n), reason=reason)
        )
        session.flush()
    for code, kind, quantity, n in lines:
        append_entry(
            session,
            user_id=person,
            share_class=classes[code],
            kind=kind,
            quantity=quantity,
            effective_on=day(n),
        )


def _agree(session: Session, people: list[uuid.UUID]) -> int:
    """voter_on equals voters_on's entry (or its absence) for every person and day."""
    found = 0
    for on in DAYS:
        everyone = {voter.user_id: voter for voter in voters_on(session, on)}
        for person in people:
            assert voter_on(session, person, on) == everyone.get(person), (person, on)
        found += len(everyone)
    return found


def test_voter_on_agrees_with_voters_on_for_a_varied_register(
    session: Session, plugins: PluginHost
) -> None:
    tenant, classes = _register(session, plugins)
    names = {name: make_user(session, name).id for name in PEOPLE}
    with tenant_scope(session, tenant.id):
        for name, (statuses, lines) in PEOPLE.items():
            _record(session, classes, names[name], statuses, lines)
        assert _agree(session, list(names.values())) > 0
        # Spot checks, worked by hand from the table.
        assert voter_on(session, names["three C"], day(9)) is None  # 2 C < 3
        assert voter_on(session, names["three C"], day(10)) is not None  # 2 + 1 = 3
        assert voter_on(session, names["C falls below 3 on day 20"], day(20)) is None  # 4 - 2
        assert voter_on(session, names["one Z (minimum 0)"], day(0)) is not None
        assert voter_on(session, names["B and A"], day(5)) == register.Voter(
            names["B and A"], {"A": 1, "B": 2}
        )
        assert voter_on(session, names["A redeemed on day 10"], day(10)) is None
        assert voter_on(session, names["resigned on day 10"], day(9)) is not None
        assert voter_on(session, names["rejoined on day 20"], day(15)) is None
        assert voter_on(session, names["rejoined on day 20"], day(20)) is not None


def test_voter_on_agrees_with_voters_on_for_a_random_register(
    session: Session, plugins: PluginHost
) -> None:
    draw = random.Random(20261207)
    tenant, classes = _register(session, plugins)
    people = [make_user(session, f"Person {n}").id for n in range(40)]
    with tenant_scope(session, tenant.id):
        for person in people:
            statuses = [
                (draw.choice([M, M, M, RES, EXC, APP]), draw.randrange(-2, 30))
                for _ in range(draw.randrange(0, 4))
            ]
            lines: list[tuple[str, RegisterEntryKind, int, int]] = []
            held: dict[str, int] = {}
            for _ in range(draw.randrange(0, 5)):
                code = draw.choice("ABCZ")
                if held.get(code) and draw.random() < 0.4:  # give back some of what is held
                    out = draw.randrange(1, held[code] + 1)
                    held[code] -= out
                    lines.append((code, draw.choice([TOUT, RED]), out, draw.randrange(0, 30)))
                else:
                    got = draw.randrange(1, 5)
                    held[code] = held.get(code, 0) + got
                    lines.append((code, draw.choice([SUB, TIN]), got, draw.randrange(-2, 30)))
            _record(session, classes, person, sorted(statuses, key=lambda s: s[1]), lines)
        assert _agree(session, people) > 0


def test_checking_a_vote_reads_one_person_and_their_college(
    session: Session, plugins: PluginHost, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant, classes = _register(session, plugins)
    ann, bob, cid = (make_user(session, name).id for name in ("Ann", "Bob", "Cid"))
    with tenant_scope(session, tenant.id):
        for person in (ann, bob, cid):
            _record(session, classes, person, [(M, 0)], [("A", SUB, 1, 0)])
        on = day(10)
        assert check_entitled(session, on, ann) is None  # no colleges: one member, one vote
        assert college_on(session, ann, on) is None
        law = rules_of_law()
        workers, users = (
            College("workers", "W", Decimal("0.6")),
            College("users", "U", Decimal("0.4")),
        )
        set_colleges(session, law, [workers, users], day(1), "founding assembly")
        assign_college(session, ann, "workers", day(1))
        assign_college(session, bob, "users", day(1))
        assign_college(session, bob, "workers", day(12))  # after the record date
        # Cid has no college: the whole electorate is refused, and so is Cid's vote…
        with pytest.raises(RuleRefused, match=r"1 voter\(s\) on 2026-01-11 have no college"):
            electorate_on(session, on)
        with pytest.raises(RuleRefused, match=rf"1 voter\(s\) on 2026-01-11 .*: {cid}; assign"):
            check_entitled(session, on, cid)

        # …but Ann's and Bob's votes are checked without reading anybody else.
        def whole_register(*args: object) -> None:
            raise AssertionError("a single vote read the whole electorate")

        monkeypatch.setattr(register, "voters_on", whole_register)
        assert check_entitled(session, on, ann) == "workers"
        assert check_entitled(session, on, bob) == "users"
        with pytest.raises(NotEntitled, match="after the record date 2025-12-31"):
            check_entitled(session, day(-1), ann)  # a member from 2026-01-01, voting today
