"""The incubator: a project from exploration to a launched member coop, GO and STOP,
and what a launch refuses (coopkit.incubator)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.audit.models import AuditEvent
from coopkit.branding.service import branding_on
from coopkit.db.tenancy import tenant_scope
from coopkit.incubator import launch as launching
from coopkit.incubator import service
from coopkit.incubator.errors import IncubatorConflict, IncubatorError, IncubatorForbidden
from coopkit.incubator.models import (
    DecisionOutcome,
    IncubatorProject,
    ProjectStage,
    StageChoice,
)
from coopkit.incubator.projects import pledged_capital, pledges, stage_history
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, Posting
from coopkit.membership.models import ShareClass, ShareRegisterEntry
from coopkit.membership.register import capital_on, holdings_on, members_on
from coopkit.people.models import Role
from coopkit.people.service import find_user, role_in
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant, TenantKind
from tests.conftest import Database, _sqlite_database
from tests.incubator_world import DAY, Incubated, incubator_with_project

GO, STOP, ABSTAIN = StageChoice.GO, StageChoice.STOP, StageChoice.ABSTAIN


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One migrated SQLite file for the module: each test builds its own incubator in it."""
    path: Path = tmp_path_factory.mktemp("incubator") / "coopkit.sqlite3"
    found = _sqlite_database(str(path))
    yield found
    found.engine.dispose()


@pytest.fixture
def world(database: Database, plugins: PluginHost) -> Iterator[Incubated]:
    with database.sessions() as session:
        yield incubator_with_project(session, plugins)
        session.rollback()


def stage_of(world: Incubated) -> ProjectStage:
    """The project's stage, read afresh (a call, so mypy keeps no earlier narrowing)."""
    return world.project.stage


def pledge(world: Incubated, founder: int, code: str, quantity: int) -> None:
    service.pledge_shares(
        world.session,
        world.project,
        world.founders[founder],
        class_code=code,
        quantity=quantity,
        by=world.coach.id,
        on=DAY,
    )


def pledge_all(world: Incubated) -> None:
    """Ann 5 A then 4 A (the latest counts), Bob 2 A + 4 B, Cem 1 A."""
    pledge(world, 0, "A", 5)
    pledge(world, 0, "A", 4)
    pledge(world, 1, "A", 2)
    pledge(world, 1, "B", 4)
    pledge(world, 2, "A", 1)


def test_a_project_goes_from_exploration_to_a_live_member_coop(world: Incubated) -> None:
    db = world.session
    pledge_all(world)
    # (4 + 2 + 1) A × 100.00 + 4 B × 250.00 = 700.00 + 1000.00
    assert pledged_capital(db, world.project) == Decimal("1700.00")
    world.ready_to_launch()
    assert world.project.stage is ProjectStage.REGISTRATION  # the GO waits for the launch

    coop = service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)

    assert (coop.kind, coop.parent_id, coop.country) == (
        TenantKind.MEMBER_COOP,
        world.incubator.id,
        "BE",
    )
    assert (coop.slug, coop.name, coop.currency) == (world.project.slug, "Bakery Coop", "EUR")
    assert stage_of(world) is ProjectStage.LAUNCHED
    assert world.project.launched_tenant_id == coop.id
    db.flush()
    stored = select(IncubatorProject.stage).where(IncubatorProject.id == world.project.id)
    assert db.scalar(stored) is ProjectStage.LAUNCHED  # saved, not only changed in memory
    # created + five GOs (exploration … founding assembly) + launched
    assert [c.to_stage for c in stage_history(db, world.project)] == [
        ProjectStage.EXPLORATION,
        ProjectStage.FEASIBILITY,
        ProjectStage.BUSINESS_PLAN,
        ProjectStage.STATUTES,
        ProjectStage.FOUNDING_ASSEMBLY,
        ProjectStage.REGISTRATION,
        ProjectStage.LAUNCHED,
    ]
    cem = find_user(db, world.founders[2].email or "")
    assert cem is not None  # named by e-mail only: an account now
    assert cem.name == "Cem Oven"
    founders = sorted([world.people[0].id, world.people[1].id, cem.id])
    with tenant_scope(db, coop.id):
        assert members_on(db, DAY) == founders
        assert capital_on(db, DAY) == Decimal("1700.00")
        assert holdings_on(db, DAY) == {
            world.people[0].id: {"A": 4},
            world.people[1].id: {"A": 2, "B": 4},
            cem.id: {"A": 1},
        }
        classes = {c.code: (c.nominal, c.voting) for c in db.scalars(select(ShareClass))}
        assert classes == {"A": (Decimal("100.00"), True), "B": (Decimal("250.00"), False)}
        assert db.scalar(select(func.count()).select_from(ShareRegisterEntry)) == 4
        # bank debited, share capital credited by the same 1700.00 (four balanced entries)
        assert _balance(db, AccountRole.BANK) == Decimal("1700.00")
        assert _balance(db, AccountRole.SHARE_CAPITAL) == Decimal("-1700.00")
        assert role_in(db, world.coach.id) is Role.ADMIN
        assert role_in(db, cem.id) is Role.MEMBER
        assert "incubator.launched_from" in _actions(db)
        look = branding_on(db, DAY)  # the project's name and look carried over
        assert look is not None
        assert look.display_name == world.project.name
    assert "incubator.project_launched" in _actions(db)


def _balance(db: Session, role: AccountRole) -> Decimal:
    """Debits minus credits on the account of ``role`` (the posting amounts are signed)."""
    account = db.scalar(select(Account.id).where(Account.role == role))
    total = db.scalar(select(func.sum(Posting.amount)).where(Posting.account_id == account))
    return Decimal(total or 0)


def _actions(db: Session) -> set[str]:
    return set(db.scalars(select(AuditEvent.action)))


def test_a_stop_ends_the_project(world: Incubated) -> None:
    world.decide(GO, GO, GO)
    decision = world.decide(STOP, STOP, GO)  # 2 STOP against 1 GO, 3 of 3 voted
    assert decision.outcome is DecisionOutcome.STOP
    assert world.project.stage is ProjectStage.STOPPED
    assert "quorum reached: 3 of 3 votes" in decision.explanation[0]
    with pytest.raises(IncubatorConflict, match="stopped: it is over"):
        pledge(world, 0, "A", 1)


def test_a_tie_or_a_missed_quorum_decides_nothing(world: Incubated) -> None:
    tie = world.decide(GO, STOP, ABSTAIN)  # 1 for, 1 against: no majority either way
    assert tie.outcome is None
    few = world.decide(GO)  # 1 of 3 voted: half (2) needed
    assert few.outcome is None
    assert "quorum not reached: 1 of 3 votes" in few.explanation[0]
    assert world.project.stage is ProjectStage.EXPLORATION


def test_a_ballot_is_cast_once_by_the_founder_or_a_coach(world: Incubated) -> None:
    db, project = world.session, world.project
    from tests.incubator_world import OPENS

    decision = service.open_stage_decision(
        db, project, by=world.coach.id, opens_at=OPENS, closes_at=OPENS.replace(day=9)
    )
    ann, bob = world.founders[0], world.founders[1]
    with pytest.raises(IncubatorForbidden, match="for yourself only"):
        service.cast_stage_ballot(db, project, decision, bob, GO, by=world.people[0].id, now=OPENS)
    service.cast_stage_ballot(db, project, decision, ann, GO, by=world.people[0].id, now=OPENS)
    with pytest.raises(IncubatorConflict, match="has voted already"):
        service.cast_stage_ballot(db, project, decision, ann, STOP, by=world.coach.id, now=OPENS)
    with pytest.raises(IncubatorConflict, match=r"2 founder\(s\) have not voted yet"):
        service.close_stage_decision(db, project, decision, by=world.coach.id, now=OPENS)
    with pytest.raises(IncubatorConflict, match="close it first"):
        service.open_stage_decision(
            db, project, by=world.coach.id, opens_at=OPENS, closes_at=OPENS.replace(day=9)
        )


def test_a_launch_with_two_founders_is_refused_for_a_belgian_sc(
    database: Database, plugins: PluginHost
) -> None:
    with database.sessions() as session:
        world = incubator_with_project(session, plugins, founders=2)
        pledge(world, 0, "A", 1)
        pledge(world, 1, "A", 1)
        world.ready_to_launch()
        with pytest.raises(IncubatorError, match="at least 3 founders") as refused:
            service.launch_project(session, plugins, world.project, DAY, world.coach.id)
        assert "art. 6:2" in (refused.value.rule or "")  # the law's source, as the data says
        assert session.scalar(select(Tenant).where(Tenant.slug == world.project.slug)) is None
        assert world.project.stage is ProjectStage.REGISTRATION


def test_a_launch_needs_every_pledge_and_the_registration_checklist(world: Incubated) -> None:
    db = world.session
    with pytest.raises(IncubatorConflict, match="launched from registration"):
        service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)
    world.to_registration()
    world.decide(GO, GO, GO)
    pledge(world, 0, "A", 1)
    pledge(world, 1, "A", 1)
    with pytest.raises(IncubatorError, match="Cem Oven pledged none"):
        service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)
    pledge(world, 2, "B", 1)
    with pytest.raises(IncubatorError, match="registration checklist is not complete"):
        service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)


def test_a_launch_failing_half_way_leaves_nothing(
    world: Incubated, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = world.session
    pledge_all(world)
    world.ready_to_launch()

    def broken(*args: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(launching, "_found", broken)
    with pytest.raises(RuntimeError):
        service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)
    assert db.scalar(select(Tenant).where(Tenant.slug == world.project.slug)) is None
    assert world.project.stage is ProjectStage.REGISTRATION
    monkeypatch.undo()
    coop = service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)
    with pytest.raises(IncubatorConflict, match="launched already"):
        service.launch_project(db, world.plugins, world.project, DAY, world.coach.id)
    assert coop.parent_id == world.incubator.id


def test_only_an_incubator_follows_projects(database: Database, plugins: PluginHost) -> None:
    with (
        database.sessions() as session,
        pytest.raises(IncubatorError, match="is a branch: only an incubator"),
    ):
        incubator_with_project(session, plugins, kind="branch")


def test_pledges_keep_to_the_planned_class(world: Incubated) -> None:
    with pytest.raises(IncubatorError, match="at most 10 A shares") as refused:
        pledge(world, 0, "A", 11)
    assert refused.value.rule == "planned share class A: minimum holding 1, maximum per member 10"
    with pytest.raises(IncubatorError, match="use one of A, B"):
        pledge(world, 0, "C", 1)
    pledge(world, 0, "B", 2)
    pledge(world, 0, "B", 0)  # withdrawn
    assert pledges(world.session, world.project) == {}


def test_statutes_context_carries_the_founders_and_their_pledges(world: Incubated) -> None:
    pledge_all(world)
    context = service.statutes_context(world.session, world.plugins, world.project, DAY)
    assert context.legal_form.min_founders == 3
    assert [(f.name, f.shares) for f in context.founders] == [
        ("Ann Baker", (("A", 4),)),
        ("Bob Miller", (("A", 2), ("B", 4))),
        ("Cem Oven", (("A", 1),)),
    ]
    assert [c.code for c in context.share_classes] == ["A", "B"]
    assert context.purpose == "Bread from local flour, delivered by bike"


def test_an_unknown_legal_form_lists_the_forms_offered(world: Incubated) -> None:
    request = service.ProjectRequest(name="Other", slug="other-coop-x", legal_form="SCOP")
    with pytest.raises(IncubatorError, match="forms offered: SC"):
        service.create_project(
            world.session, world.plugins, world.incubator, request, world.coach.id, DAY
        )


@pytest.mark.postgres
def test_a_launch_under_row_level_security(postgres_db: Database, plugins: PluginHost) -> None:
    """On PostgreSQL as the application role: the new tenant's rows are written under its
    own tenant setting, the incubator's under the incubator's, and both commit."""
    with postgres_db.sessions() as session:
        world = incubator_with_project(session, plugins)
        pledge_all(world)
        world.ready_to_launch()
        coop = service.launch_project(session, plugins, world.project, DAY, world.coach.id)
        session.commit()
        with tenant_scope(session, coop.id):
            assert capital_on(session, DAY) == Decimal("1700.00")  # as in the SQLite path
            assert len(members_on(session, DAY)) == 3
        stored = select(IncubatorProject.stage).where(IncubatorProject.id == world.project.id)
        assert session.scalar(stored) is ProjectStage.LAUNCHED
