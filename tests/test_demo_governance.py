"""The demo's membership and governance story (coopkit.demo_governance), read back from the
database the demo fixture loaded today (T), and a second load that changes nothing.

Who plays, in each branch (BE_MEMBERS / FR_MEMBERS order): member i subscribes 1 + i % 4
A shares; member 0 (Amélie Claes / Alice Moreau) holds member 1's proxy at the past assembly
and has not voted on the open vote; members 17 and 18 did not vote at the assembly; member
19 (Tom Hermans / Théo Lemaire, 4 shares) resigned at T-30.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.db.base import utcnow
from coopkit.db.tenancy import set_tenant
from coopkit.decisions.data_use import policy_on, rules_on
from coopkit.decisions.models import Purpose, Rule
from coopkit.demo import BE_MEMBERS, FR_MEMBERS, _email, _slugify, load_demo
from coopkit.demo_governance import VENUES
from coopkit.demo_ledger import CAPITAL as FOUNDING_CAPITAL
from coopkit.governance.assemblies import list_assemblies, resolutions_of
from coopkit.governance.minutes import signed_minutes
from coopkit.governance.models import AssemblyStatus, Ballot, Resolution
from coopkit.governance.voting import check_entitled, has_voted
from coopkit.ledger.balances import role_balance
from coopkit.ledger.chart import AccountRole as R
from coopkit.membership.applications import pending_applications
from coopkit.membership.models import (
    MemberStatus,
    RegisterEntryKind,
    ShareRedemption,
    ShareRegisterEntry,
)
from coopkit.membership.register import capital_on, status_on
from coopkit.people.service import NO_PASSWORD, find_user
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.conftest import Client, Database
from tests.test_web import BOTH, MEMBER_BE, main_of, signed_in_as

EN = {"Accept-Language": "en"}
VOTE_LINK = re.compile(r'href="(/t/demo-be/votes/[0-9a-f-]{36})"')  # the online vote (T-2, T+12)

# Member i subscribes 1 + i % 4 shares: 20 members make 5 rounds of 1 + 2 + 3 + 4 = 50 A shares.
A_SHARES = 50
B_SHARES = 2  # the staff partner's


def _tenant(db: Session, slug: str) -> Tenant:
    tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
    assert tenant is not None
    set_tenant(db, tenant.id)
    return tenant


def _user_id(db: Session, name: str) -> uuid.UUID:
    found = find_user(db, _email(_slugify(name)))
    assert found is not None
    return found.id


def _be_redeems(today: date) -> bool:
    """Belgium (CSA art. 6:120 §1): a member leaves only in the first six months of the
    financial year (January to June in the demo): the redemption at T-30 depends on T."""
    return (today - timedelta(days=30)).month <= 6


@pytest.mark.parametrize(
    ("slug", "names", "nominal", "always_redeemed"),
    [
        # BE: 50 × 50.00 + 2 × 250.00 = 2500.00 + 500.00 = 3000.00
        ("demo-be", BE_MEMBERS, Decimal("50.00"), False),
        # FR: 50 × 25.00 + 2 × 250.00 = 1250.00 + 500.00 = 1750.00; the law sets no window,
        # only a floor of a quarter of the highest capital (437.50): the 4 shares go.
        ("demo-fr", FR_MEMBERS, Decimal("25.00"), True),
    ],
)
def test_register_and_capital(
    demo_db: Database, slug: str, names: list[str], nominal: Decimal, always_redeemed: bool
) -> None:
    today = utcnow().date()
    with demo_db.sessions() as db:
        _tenant(db, slug)
        lines = db.scalars(select(ShareRegisterEntry).order_by(ShareRegisterEntry.line)).all()
        subscriptions = [e for e in lines if e.kind is RegisterEntryKind.SUBSCRIPTION]
        assert len(subscriptions) == 21  # 20 members and the staff partner
        assert [e.line for e in lines] == list(range(1, len(lines) + 1))
        paid = sum((e.amount for e in subscriptions), Decimal("0"))
        assert paid == A_SHARES * nominal + B_SHARES * Decimal("250.00")
        redeemed = always_redeemed or _be_redeems(today)
        redemptions = db.scalars(select(ShareRedemption)).all()
        assert len(redemptions) == (1 if redeemed else 0)
        leaving = _user_id(db, names[19])
        assert status_on(db, leaving, today) is MemberStatus.RESIGNED
        back = sum((r.amount for r in redemptions), Decimal("0"))
        assert back == (4 * nominal if redeemed else 0)  # member 19: 1 + 19 % 4 = 4 shares
        # The capital is the paid subscriptions less the redemption, in the register and ledger.
        assert capital_on(db, today) == paid - back
        # The ledger adds the founders' 20000.00 that coopkit.demo_ledger posts as capital (a
        # founding entry without register lines): BE 20000.00 + 3000.00 = 23000.00.
        assert role_balance(db, R.SHARE_CAPITAL, "EUR") == FOUNDING_CAPITAL + paid - back


@pytest.mark.parametrize(("slug", "country"), [("demo-be", "BE"), ("demo-fr", "FR")])
def test_past_assembly_closed_with_results_and_signed_minutes(
    demo_db: Database, slug: str, country: str, request: pytest.FixtureRequest
) -> None:
    today = utcnow().date()
    with demo_db.sessions() as db:
        _tenant(db, slug)
        (assembly,) = list_assemblies(db)
        assert assembly.status is AssemblyStatus.CLOSED
        assert assembly.meeting_on == today - timedelta(days=45)
        accounts, data_use, venue = resolutions_of(db, assembly)
        # 16 members voted themselves (members 0 and 2–16) and member 0 for member 1 by proxy:
        # 17 of the 20 members on the record date.
        for resolution in (accounts, data_use, venue):
            assert resolution.closed
            assert resolution.outcome is not None
            assert (resolution.outcome["present"], resolution.outcome["electorate"]) == ("17", "20")
        # Voter k (0..15) abstains when k % 6 == 5 (2 of them); the proxy votes like member 0.
        assert accounts.adopted
        assert accounts.outcome["totals"]["agree"] == "15"  # type: ignore[index]
        # Disagree when k % 5 == 4 (3), abstain when k % 7 == 3 (2): 16 − 5 + 1 = 12 agree.
        assert data_use.adopted
        assert data_use.effect_kind == "data_use_policy"
        assert data_use.outcome["totals"] == {  # type: ignore[index]
            "agree": "12",
            "abstain": "2",
            "disagree": "3",
            "block": "0",
        }
        # Venue k % 3: 6 + the proxy = 7, 5, 5.
        assert venue.outcome["winner"] == VENUES[country][0]  # type: ignore[index]
        minutes = signed_minutes(db, assembly)
        signed = None if minutes is None else (minutes.signed_by_name, minutes.pdf[:4])
    try:
        request.getfixturevalue("weasyprint")
    except pytest.skip.Exception:
        assert signed is None  # no PDF without WeasyPrint: left unsigned, never faked
        return
    assert signed == ("Anne Admin" if country == "BE" else "Agnès Admin", b"%PDF")


@pytest.mark.parametrize("slug", ["demo-be", "demo-fr"])
def test_data_use_policy_in_force(demo_db: Database, slug: str) -> None:
    today = utcnow().date()
    with demo_db.sessions() as db:
        _tenant(db, slug)
        assert rules_on(db, today) == {
            Purpose.DIRECTORY: Rule.WITH_CONSENT,
            Purpose.STATISTICS: Rule.ALWAYS,
            Purpose.PARTNER_SHARING: Rule.NEVER,
        }
        policy = policy_on(db, today)
        assert policy is not None
        assert policy.valid_from == today - timedelta(days=45)
        assert policy.decided_by.startswith("General assembly of")


@pytest.mark.parametrize(("slug", "names"), [("demo-be", BE_MEMBERS), ("demo-fr", FR_MEMBERS)])
def test_open_vote_waits_for_the_first_member(
    demo_db: Database, slug: str, names: list[str]
) -> None:
    now = utcnow()
    with demo_db.sessions() as db:
        _tenant(db, slug)
        (vote,) = db.scalars(select(Resolution).where(Resolution.assembly_id.is_(None))).all()
        assert not vote.closed
        assert vote.opens_at <= now < vote.closes_at
        assert vote.effect_kind == "guarantee_floor"  # validated now, applied if adopted
        assert vote.effect_payload is not None
        assert vote.effect_payload["valid_from"] == f"{vote.closes_at.year + 1}-01-01"
        # Members 1 to 18, every third (1, 4, 7, 10, 13, 16): 6 ballots.
        ballots = db.scalar(select(func.count(Ballot.id)).where(Ballot.resolution_id == vote.id))
        assert ballots == 6
        first = _user_id(db, names[0])
        assert not has_voted(db, vote, first)
        check_entitled(db, vote.record_date, first)  # may vote: raises otherwise


@pytest.mark.parametrize(
    ("slug", "email"), [("demo-be", "yasmine.haddou"), ("demo-fr", "yanis.roche")]
)
def test_an_applicant_waits(demo_db: Database, slug: str, email: str) -> None:
    with demo_db.sessions() as db:
        _tenant(db, slug)
        (waiting,) = pending_applications(db)
        applicant = find_user(db, _email(email))
        assert applicant is not None
        assert waiting.user_id == applicant.id
        assert applicant.password_hash == NO_PASSWORD  # applied through the public form


def test_loading_twice_changes_nothing(demo_db: Database, plugins: PluginHost) -> None:
    def counts(db: Session) -> list[int]:
        found = []
        for slug in ("demo-be", "demo-fr"):
            _tenant(db, slug)
            for table in (ShareRegisterEntry, Resolution, Ballot, AuditEvent):
                found.append(db.scalar(select(func.count()).select_from(table)) or 0)
        return found

    with demo_db.sessions() as db:
        before = counts(db)
        report = load_demo(db, plugins)
        db.commit()
        assert report.admitted_members == 0
        assert counts(db) == before


def test_the_first_member_sees_a_vote_to_cast(
    client: Client, new_client: Callable[[], Client]
) -> None:
    """Amélie (the member the README names) finds the open vote under Assemblies, with the
    stance buttons; Bram voted already."""
    amelie = signed_in_as(BOTH, client)
    listed = amelie.get("/t/demo-be/assemblies", headers=EN)
    link = VOTE_LINK.search(main_of(listed.text))
    assert link, main_of(listed.text)
    vote = amelie.get(link.group(1), headers=EN)
    assert vote.status_code == 200
    assert 'value="agree"' in vote.text
    assert "You have voted." not in vote.text
    bram = signed_in_as(MEMBER_BE, new_client())
    assert "You have voted." in bram.get(link.group(1), headers=EN).text
