"""The data-use policy (effect data_use_policy), members' consents, and the code that asks.

may_use(member, purpose, day) — policy rule × the member's latest answer:

    rule           no answer   granted   withdrawn
    (no policy)    no          yes       no          ← the default is with_consent
    never          no          no        no
    with_consent   no          yes       no
    always         yes         yes       yes
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.decisions.data_use import may_use, record_consent, rules_on
from coopkit.decisions.member_data import directory, member_statistics, partner_export
from coopkit.decisions.models import DataUsePolicy, Purpose, Rule
from coopkit.governance import effects
from coopkit.governance.effects import EffectRefused
from coopkit.membership.models import MemberStatus, MemberStatusChange
from coopkit.people.models import Role, User
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from tests.decisions_world import Coop, adoption, make_coop
from tests.factories import make_user

TODAY = date.today()
LONG_AGO = date(2020, 1, 1)


def decide(session: Session, purposes: dict[str, str], on: date = LONG_AGO) -> None:
    payload = {"valid_from": on.isoformat(), "purposes": purposes}
    checked = effects.validate(session, "data_use_policy", payload, on)
    effects.apply(session, "data_use_policy", checked, adoption("data use", on))


def answer(session: Session, coop: Coop) -> dict[str, str]:
    """Ann grants the directory, Bob says nothing, Cid grants then withdraws."""
    record_consent(session, coop.people["Ann"], Purpose.DIRECTORY, granted=True)
    record_consent(session, coop.people["Cid"], Purpose.DIRECTORY, granted=True)
    record_consent(session, coop.people["Cid"], Purpose.DIRECTORY, granted=False)
    return {"Ann": "granted", "Bob": "none", "Cid": "withdrawn"}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (None, {"Ann": True, "Bob": False, "Cid": False}),
        ("never", {"Ann": False, "Bob": False, "Cid": False}),
        ("with_consent", {"Ann": True, "Bob": False, "Cid": False}),
        ("always", {"Ann": True, "Bob": True, "Cid": True}),
    ],
)
def test_may_use_combines_the_policy_and_the_consent(
    session: Session, plugins: PluginHost, rule: str | None, expected: dict[str, bool]
) -> None:
    coop = make_coop(session, plugins)
    if rule is not None:
        decide(session, {"directory": rule})
    answer(session, coop)
    assert {
        name: may_use(session, coop.people[name], Purpose.DIRECTORY, TODAY) for name in expected
    } == expected
    # A consent counts from the day it was given: yesterday, nobody had answered.
    if rule in (None, "with_consent"):
        assert not may_use(session, coop.people["Ann"], Purpose.DIRECTORY, TODAY - timedelta(1))


def test_a_policy_sets_some_purposes_and_keeps_the_others(
    session: Session, plugins: PluginHost
) -> None:
    make_coop(session, plugins)
    decide(session, {"statistics": "always"})
    decide(session, {"partner_sharing": "never"}, on=date(2021, 1, 1))
    assert rules_on(session, date(2020, 6, 1)) == {
        Purpose.DIRECTORY: Rule.WITH_CONSENT,
        Purpose.STATISTICS: Rule.ALWAYS,
        Purpose.PARTNER_SHARING: Rule.WITH_CONSENT,
    }
    assert rules_on(session, TODAY)[Purpose.PARTNER_SHARING] is Rule.NEVER
    assert rules_on(session, TODAY)[Purpose.STATISTICS] is Rule.ALWAYS
    latest = session.scalars(select(DataUsePolicy).order_by(DataUsePolicy.valid_from)).all()[-1]
    assert latest.decided_by.startswith("General assembly of 2021-01-01")
    actions = set(session.scalars(select(AuditEvent.action)))
    assert "resolution.data_use_policy_applied" in actions


@pytest.mark.parametrize(
    ("purposes", "words"),
    [
        ({"newsletter": "always"}, "'newsletter'"),
        ({"directory": "sometimes"}, "'sometimes'"),
        ({}, "at least one purpose"),
    ],
)
def test_a_policy_names_known_purposes_and_rules(
    session: Session, plugins: PluginHost, purposes: dict[str, str], words: str
) -> None:
    make_coop(session, plugins)
    with pytest.raises(EffectRefused, match=words) as refused:
        effects.validate(
            session,
            "data_use_policy",
            {"valid_from": TODAY.isoformat(), "purposes": purposes},
            TODAY,
        )
    assert "never, with_consent, always" in refused.value.rule


def test_every_consent_change_is_audited(session: Session, plugins: PluginHost) -> None:
    coop = make_coop(session, plugins)
    answer(session, coop)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("consent.%")).order_by(AuditEvent.seq)
    ).all()
    assert [e.action for e in events] == ["consent.granted", "consent.granted", "consent.withdrawn"]
    assert events[-1].subject_id == str(coop.people["Cid"])
    assert events[-1].data["purpose"] == "directory"


def test_the_directory_lists_only_the_members_who_may_be_listed(
    session: Session, plugins: PluginHost
) -> None:
    coop = make_coop(session, plugins)
    answer(session, coop)
    # Dan agreed too, but he resigned in 2025: the directory lists members only.
    record_consent(session, coop.people["Dan"], Purpose.DIRECTORY, granted=True)
    assert [user.name for user in directory(session, TODAY)] == ["Ann"]
    decide(session, {"directory": "never"}, on=TODAY)
    assert directory(session, TODAY) == []


def _more_members(session: Session, coop: Coop, count: int) -> None:
    for n in range(count):
        person = make_user(session, f"Extra {n}")
        add_membership(session, coop.tenant, person, Role.MEMBER)
        session.add(
            MemberStatusChange(user_id=person.id, status=MemberStatus.MEMBER, effective_on=LONG_AGO)
        )
    session.flush()


def test_statistics_count_only_the_members_allowed_and_hide_small_counts(
    session: Session, plugins: PluginHost
) -> None:
    coop = make_coop(session, plugins)
    decide(session, {"statistics": "always"})
    # Ann, Bob, Cid: 3 members, fewer than 5: not shown.
    assert member_statistics(session, TODAY).members is None
    _more_members(session, coop, 3)
    stats = member_statistics(session, TODAY)
    assert stats.members == 6  # Ann, Bob, Cid and the 3 extra members
    # Ann, Bob, Cid work in activities (3 < 5); Ann and Bob hold A shares (2 < 5).
    assert stats.in_an_activity is None
    assert stats.by_share_class == {"A": None}
    decide(session, {"statistics": "with_consent"}, on=TODAY)
    assert member_statistics(session, TODAY).members is None  # nobody agreed


def test_the_partner_export_holds_only_the_members_who_may_be_shared(
    session: Session, plugins: PluginHost
) -> None:
    coop = make_coop(session, plugins)
    record_consent(session, coop.people["Bob"], Purpose.PARTNER_SHARING, granted=True)
    rows = list(csv.reader(io.StringIO(partner_export(session, TODAY))))
    bob = session.get_one(User, coop.people["Bob"])
    assert rows == [["name", "email", "language", "shares"], ["Bob", bob.email, "", "A:2"]]
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event is not None
    assert event.action == "member_data.shared_with_partners"
    assert event.data["members"] == 1
