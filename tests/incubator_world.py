"""A Belgian incubator with a coach and a project of a cooperative company (SC), for the
incubator's tests: its founders, two planned share classes, and helpers to walk it
through its stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.incubator import service
from coopkit.incubator.decisions import open_decision
from coopkit.incubator.models import (
    IncubatorProject,
    ProjectFounder,
    ProjectStage,
    StageChoice,
    StageDecision,
)
from coopkit.incubator.projects import open_items
from coopkit.people.models import Role, User
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import create_tenant
from tests.conftest import unique
from tests.factories import make_user

DAY = date(2026, 3, 2)
OPENS = datetime(2026, 3, 2, 9, tzinfo=dt.UTC)


@dataclass
class Incubated:
    """An incubator scoped in ``session`` as its coach, and one project in it."""

    session: Session
    plugins: PluginHost
    incubator: Tenant
    coach: User
    project: IncubatorProject
    founders: list[ProjectFounder]
    people: list[User]  # the founders with an account, in the order of ``founders``

    def decide(self, *choices: StageChoice) -> StageDecision:
        """Open a decision on the current stage, cast ``choices`` (one per founder, in
        order) and close it at the end of its week."""
        decision = service.open_stage_decision(
            self.session,
            self.project,
            by=self.coach.id,
            opens_at=OPENS,
            closes_at=OPENS + timedelta(days=7),
        )
        for founder, choice in zip(self.founders, choices, strict=False):
            service.cast_stage_ballot(
                self.session,
                self.project,
                decision,
                founder,
                choice,
                by=self.coach.id,
                now=OPENS + timedelta(hours=1),
            )
        return service.close_stage_decision(
            self.session,
            self.project,
            decision,
            by=self.coach.id,
            now=OPENS + timedelta(days=8),
        )

    def tick_off(self, stage: ProjectStage) -> None:
        for item in open_items(self.session, self.project, stage):
            service.complete_checklist_item(
                self.session, self.project, item.id, by=self.coach.id, on=DAY
            )

    def to_registration(self) -> None:
        """GO at every stage up to registration (every founder votes GO)."""
        go = [StageChoice.GO] * len(self.founders)
        while self.project.stage is not ProjectStage.REGISTRATION:
            self.decide(*go)
        assert open_decision(self.session, self.project) is None

    def ready_to_launch(self) -> None:
        self.to_registration()
        self.tick_off(ProjectStage.REGISTRATION)
        self.decide(*[StageChoice.GO] * len(self.founders))


def incubator_with_project(
    session: Session, plugins: PluginHost, founders: int = 3, kind: str = "incubator"
) -> Incubated:
    """A BE incubator, its coach, and a project with ``founders`` founders (the last one
    named by e-mail only) and the classes A (100.00, voting, 1 to 10 per founder) and B
    (250.00, no vote, no minimum)."""
    incubator = create_tenant(
        session, plugins, slug=unique("incub"), name="Incubator", kind=kind, country="BE"
    )
    coach = make_user(session, "Coach Clara")
    add_membership(session, incubator, coach, Role.STAFF)
    set_tenant(session, incubator.id, coach.id)
    project = service.create_project(
        session,
        plugins,
        incubator,
        service.ProjectRequest(
            name="Bakery Coop",
            slug=unique("bakery"),
            legal_form="SC",
            purpose="Bread from local flour, delivered by bike",
            seat="Rue du Pain 1, 1000 Bruxelles",
            primary_colour="#8B4513",
        ),
        by=coach.id,
        on=DAY,
    )
    names = ["Ann Baker", "Bob Miller", "Cem Oven", "Dee Flour"][:founders]
    people = [make_user(session, name) for name in names[:-1]]
    rows = [
        service.add_founder(session, project, by=coach.id, on=DAY, person_id=person.id)
        for person in people
    ]
    rows.append(
        service.add_founder(
            session,
            project,
            by=coach.id,
            on=DAY,
            name=names[-1],
            email=f"{unique('founder')}@example.org",
            address="Rue du Four 3, 1000 Bruxelles",
        )
    )
    service.plan_share_class(
        session,
        project,
        by=coach.id,
        code="A",
        name="Founders",
        nominal=Decimal("100.00"),
        max_per_member=10,
    )
    service.plan_share_class(
        session,
        project,
        by=coach.id,
        code="B",
        name="Supporters",
        nominal="250.00",
        min_holding=0,
        voting=False,
    )
    return Incubated(session, plugins, incubator, coach, project, rows, people)
