"""A cooperative with members holding voting shares, and an assembly to convene, for the
general assembly tests (tests/test_assemblies*.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.governance import rules
from coopkit.governance.assemblies import AssemblyDraft, create_assembly
from coopkit.governance.convocation import convoke
from coopkit.governance.models import Assembly, Resolution
from coopkit.governance.resolutions import ResolutionDraft, create_resolution
from coopkit.governance.rules import AssemblyRules, DecisionRule, Majority
from coopkit.membership.models import (
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
)
from coopkit.membership.register import append_entry
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user

JOINED = date(2026, 1, 10)
RECORD_DATE = date(2026, 5, 15)
MEETING = date(2026, 6, 12)
CONVENED_AT = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)  # 23 days before the meeting
OPENS = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
DURING = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
CLOSES = datetime(2026, 6, 12, 18, 0, tzinfo=UTC)
AFTER = datetime(2026, 6, 12, 19, 0, tzinfo=UTC)
SOURCE = "test statutes art. 12"


def decision(
    quorum: str = "0",
    majority: Majority = Majority.SIMPLE,
    second_quorum: str = "0",
    second_majority: Majority = Majority.SIMPLE,
) -> DecisionRule:
    return DecisionRule(Decimal(quorum), majority, Decimal(second_quorum), second_majority, SOURCE)


def rules_of_law(
    ordinary: DecisionRule | None = None,
    extraordinary: DecisionRule | None = None,
    max_proxies: int = 1,
) -> AssemblyRules:
    return AssemblyRules(
        notice_days=15,
        notice_source="test law art. 6:70 (15 days)",
        ordinary=ordinary or decision(),
        extraordinary=extraordinary or decision("0.5", Majority.THREE_QUARTERS),
        max_proxies=max_proxies,
        proxies_source="test statutes art. 14 (one proxy per member)",
        college_min=None,
        college_max=None,
        colleges_source="",
    )


def use_rules(monkeypatch: pytest.MonkeyPatch, found: AssemblyRules) -> None:
    """Make the law say ``found`` (whatever the country plugin says), statutes still apply."""
    monkeypatch.setattr(rules, "law_rules", lambda country, on, plugins=None: found)


@dataclass
class Coop:
    tenant: Tenant
    shares: ShareClass
    members: list[User]

    def member(self, index: int) -> uuid.UUID:
        return self.members[index].id


def join(session: Session, coop: Coop, person: User, day: date = JOINED) -> None:
    """``person`` becomes a member on ``day`` and subscribes one voting share."""
    session.add(MemberStatusChange(user_id=person.id, status=MemberStatus.MEMBER, effective_on=day))
    session.flush()
    append_entry(
        session,
        user_id=person.id,
        share_class=coop.shares,
        kind=RegisterEntryKind.SUBSCRIPTION,
        quantity=1,
        effective_on=day,
    )


def cooperative(
    session: Session,
    plugins: PluginHost,
    voters: int,
    country: str = "BE",
    locales: list[str] | None = None,
) -> Coop:
    """A cooperative of ``voters`` members, each holding one voting A share since JOINED;
    the session is left in its tenant."""
    tenant = create_tenant(
        session,
        plugins,
        slug=unique("ga"),
        name="Assembly coop",
        kind="branch",
        country=country,
        locales=locales,
    )
    people = [make_user(session, f"Member {n:03d}") for n in range(voters)]
    set_tenant(session, tenant.id)
    shares = ShareClass(code="A", name="A shares", nominal=Decimal("50.00"), currency="EUR")
    session.add(shares)
    session.flush()
    coop = Coop(tenant, shares, people)
    for person in people:
        join(session, coop, person)
    return coop


def convened_assembly(
    session: Session, coop: Coop, kind: str = "ordinary", first_call: Assembly | None = None
) -> Assembly:
    assembly = create_assembly(
        session,
        AssemblyDraft(
            title="Annual general assembly",
            kind=kind,
            meeting_on=MEETING,
            record_date=RECORD_DATE,
            meeting_time="18:00",
            place="Rue Coenraets 72, Brussels",
            agenda=["Accounts 2025", "Surplus"],
            first_call_id=first_call.id if first_call else None,
        ),
        None,
    )
    return assembly


def resolution(
    session: Session,
    assembly: Assembly | None,
    title: str = "Approve the accounts",
    **extra: object,
) -> Resolution:
    return create_resolution(
        session,
        ResolutionDraft(
            title=title,
            opens_at=OPENS,
            closes_at=CLOSES,
            assembly_id=assembly.id if assembly else None,
            record_date=None if assembly else RECORD_DATE,
            **extra,  # type: ignore[arg-type]
        ),
        None,
    )


def convene(session: Session, coop: Coop, assembly: Assembly) -> int:
    return convoke(session, coop.tenant, assembly.id, None, now=CONVENED_AT)
