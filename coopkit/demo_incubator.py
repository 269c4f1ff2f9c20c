"""The demo incubator's projects: one deciding at the feasibility stage, one launched.

"Fournil Partagé" (a shared bakery) passed exploration with its founders' GO
and now has an open GO/STOP decision on its feasibility. "Vélo Solidaire" (a
bicycle repair coop, a Belgian SC) went through every stage and was launched
through :func:`coopkit.incubator.service.launch_project` into the live member
coop ``demo-velo``, whose three founders are its first members with their
shares registered. (``demo-atelier`` stays a member coop created directly:
older demo tests and the README rely on its people.) Loaded once: a second
run finds the projects and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.incubator import service
from coopkit.incubator.models import IncubatorProject, ProjectFounder, ProjectStage, StageChoice
from coopkit.incubator.projects import open_items
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

LAUNCHED = ("demo-velo", "Vélo Solidaire", "Repairing, renting and selling bicycles in Brussels")
DECIDING = ("demo-fournil", "Fournil Partagé", "A shared bakery for neighbourhood bakers")
WEEK = dt.timedelta(days=7)


@dataclass
class Walk:
    """A project walked through its stages by its coach, a week a stage from ``start``."""

    db: Session
    project: IncubatorProject
    coach: User
    founders: list[ProjectFounder]
    start: dt.datetime

    def decide(self, choice: StageChoice = StageChoice.GO, close: bool = True) -> None:
        decision = service.open_stage_decision(
            self.db,
            self.project,
            by=self.coach.id,
            opens_at=self.start,
            closes_at=self.start + WEEK,
        )
        if not close:
            return
        for founder in self.founders:
            service.cast_stage_ballot(
                self.db,
                self.project,
                decision,
                founder,
                choice,
                by=founder.person_id or self.coach.id,
                now=self.start + dt.timedelta(hours=1),
            )
        service.close_stage_decision(
            self.db, self.project, decision, by=self.coach.id, now=self.start + WEEK
        )
        self.start += WEEK


def _project(
    db: Session,
    plugins: PluginHost,
    incubator: Tenant,
    coach: User,
    people: list[User],
    what: tuple[str, str, str],
    on: dt.date,
) -> Walk:
    slug, name, purpose = what
    project = service.create_project(
        db,
        plugins,
        incubator,
        service.ProjectRequest(
            name=name, slug=slug, legal_form="SC", purpose=purpose, seat="Brussels"
        ),
        by=coach.id,
        on=on,
    )
    categories = ["employee", "beneficiary", "volunteer"]
    founders = [
        service.add_founder(db, project, by=coach.id, on=on, person_id=person.id, category=category)
        for person, category in zip(people, categories, strict=False)
    ]
    service.plan_share_class(
        db, project, by=coach.id, code="A", name="Founders", nominal=Decimal("50.00")
    )
    for founder, quantity in zip(founders, (4, 2, 1), strict=False):
        service.pledge_shares(
            db, project, founder, class_code="A", quantity=quantity, by=coach.id, on=on
        )
    start = dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC)
    return Walk(db, project, coach, founders, start)


def load_demo_incubator(
    db: Session, plugins: PluginHost, incubator: Tenant, coach: User, people: list[User]
) -> int:
    """Add the two projects to ``incubator`` unless they exist; the number of projects added.

    ``people`` are the founders (members of the incubator): three for each project.
    """
    with tenant_scope(db, incubator.id):
        if db.scalar(select(IncubatorProject.id).limit(1)) is not None:
            return 0
        today = dt.date.today()
        begun = today - dt.timedelta(days=70)
        velo = _project(db, plugins, incubator, coach, people, LAUNCHED, begun)
        while velo.project.stage is not ProjectStage.REGISTRATION:
            velo.decide()
        for item in open_items(db, velo.project, ProjectStage.REGISTRATION):
            service.complete_checklist_item(db, velo.project, item.id, by=coach.id, on=today)
        velo.decide()
        service.launch_project(db, plugins, velo.project, today, coach.id)
        fournil = _project(db, plugins, incubator, coach, people, DECIDING, today - WEEK * 2)
        fournil.decide()  # exploration → feasibility
        fournil.start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
        fournil.decide(close=False)  # the founders are deciding on feasibility now
    return 2
