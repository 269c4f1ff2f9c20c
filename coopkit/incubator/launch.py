"""Launching a project: the member coop becomes a live tenant under its incubator.

In one transaction (a savepoint: a refusal half-way leaves nothing behind):
the ``member_coop`` tenant is created with its books (coopkit.tenants.service),
its share classes as planned, each founder becomes a person with the member
role, a member status from the launch day and the shares they pledged,
subscribed and paid (coopkit.membership.subscriptions: a register line and a
balanced entry bank / share capital each); the coach becomes the new coop's
admin until it appoints its own staff. The project is marked launched, and
both tenants' audit logs say so.

The member coop keeps its parent's country: it is served by the same country
plugin (invoicing, payroll), like any tenant of that country.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.branding.service import DEFAULT_ACCENT, DEFAULT_PRIMARY, set_branding
from coopkit.db.tenancy import keeping_loaded_rows, tenant_scope
from coopkit.incubator.decisions import go_to_launch
from coopkit.incubator.errors import IncubatorConflict, IncubatorError
from coopkit.incubator.models import IncubatorProject, ProjectFounder, ProjectStage
from coopkit.incubator.projects import (
    change_stage,
    founders,
    legal_form_of,
    open_items,
    planned_classes,
    pledges,
    require_coach,
)
from coopkit.membership.classes import add_share_class
from coopkit.membership.models import MemberStatus, ShareClass
from coopkit.membership.statuses import record_status
from coopkit.membership.subscriptions import record_payment, subscribe
from coopkit.people.models import Role, User
from coopkit.people.service import add_membership, create_user, find_user
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant, TenantKind
from coopkit.tenants.service import create_tenant


def check_launch(db: Session, plugins: PluginHost, project: IncubatorProject, on: date) -> None:
    """IncubatorError (or IncubatorConflict) saying what stands in the way of the launch."""
    if project.stage is ProjectStage.LAUNCHED:
        raise IncubatorConflict(f"{project.name} was launched already")
    if on > date.today():
        raise IncubatorError(f"{on} is in the future: launch on the day it happens", "day")
    if project.stage is not ProjectStage.REGISTRATION:
        raise IncubatorConflict(
            f"{project.name} is at the {project.stage.value} stage: a project is launched from "
            "registration, after the founders' GO"
        )
    if go_to_launch(db, project) is None:
        raise IncubatorConflict("the founders have not said GO to the launch: open their decision")
    form = legal_form_of(plugins, project.country, project.legal_form, on)
    people = founders(db, project)
    if len(people) < form.min_founders:
        raise IncubatorError(
            f"a {form.name} ({form.code}) is founded by at least {form.min_founders} founders; "
            f"{project.name} has {len(people)}: add founders before the launch",
            "founders",
            form.source,
        )
    categories = {f.category for f in people}
    missing = [c for c in form.founder_rules if c not in categories]
    if missing:
        raise IncubatorError(
            f"a {form.code} needs founders of the categories {', '.join(missing)} too",
            "founders",
            form.source,
        )
    promised = pledges(db, project)
    empty = [f.name for f in people if not promised.get(f.id)]
    if empty:
        raise IncubatorError(
            f"every founder subscribes shares: {', '.join(empty)} pledged none", "pledges"
        )
    todo = open_items(db, project, ProjectStage.REGISTRATION)
    if todo:
        raise IncubatorError(
            "the registration checklist is not complete: " + "; ".join(item.label for item in todo),
            "checklist",
        )


def _person(db: Session, founder: ProjectFounder, locale: str) -> User:
    """The founder's account: theirs, the one with their e-mail, or a new one (no password
    until they set one)."""
    if founder.person_id is not None:
        return db.get_one(User, founder.person_id)
    assert founder.email is not None  # a founder has an account or an e-mail (constraint)
    return find_user(db, founder.email) or create_user(
        db, founder.email, founder.name, None, locale
    )


def launch_project(
    db: Session, plugins: PluginHost, project: IncubatorProject, on: date, by: uuid.UUID
) -> Tenant:
    """Create the member coop from the project (see the module's docstring); the session's
    tenant is the project's incubator, and stays so."""
    require_coach(db, by, "launch projects")
    check_launch(db, plugins, project, on)
    incubator = db.get_one(Tenant, project.tenant_id)
    with db.begin_nested():
        with keeping_loaded_rows(db):  # the coop's work must not drop the project
            coop = _create_coop(db, plugins, project, incubator, on, by)
        project.launched_tenant_id = coop.id
        change_stage(db, project, ProjectStage.LAUNCHED, by=by)
        audit.record(
            db,
            "incubator.project_launched",
            "incubator_project",
            project.id,
            {"tenant": coop.id, "slug": coop.slug},
            actor_id=by,
        )
    return coop


def _create_coop(
    db: Session,
    plugins: PluginHost,
    project: IncubatorProject,
    incubator: Tenant,
    on: date,
    by: uuid.UUID,
) -> Tenant:
    """The member coop with its share classes and first members, audited in its own log."""
    people = founders(db, project)
    promised = pledges(db, project)
    planned = planned_classes(db, project)
    coop = create_tenant(
        db,
        plugins,
        slug=project.slug,
        name=project.name,
        kind=TenantKind.MEMBER_COOP,
        country=project.country,
        currency=project.currency,
        locales=list(project.locales),
        parent_slug=incubator.slug,
    )
    accounts = {f.id: _person(db, f, coop.default_locale) for f in people}
    for user in accounts.values():
        add_membership(db, coop, user, Role.MEMBER)
    add_membership(db, coop, db.get_one(User, project.coach_id or by), Role.ADMIN)
    with tenant_scope(db, coop.id):
        classes = {
            c.code: add_share_class(
                db,
                code=c.code,
                name=c.name,
                nominal=c.nominal,
                min_holding=c.min_holding,
                max_per_member=c.max_per_member,
                voting=c.voting,
            )
            for c in planned
        }
        for founder in people:
            _found(db, accounts[founder.id], promised[founder.id], classes, on, by)
        # The project's look carries over: its pages show the coop's name and colours.
        set_branding(
            db,
            valid_from=on,
            display_name=project.name,
            primary_colour=project.primary_colour or DEFAULT_PRIMARY,
            accent_colour=project.accent_colour or DEFAULT_ACCENT,
            decided_by=f"launch of incubator project {project.slug}",
        )
        audit.record(
            db,
            "incubator.launched_from",
            "tenant",
            coop.id,
            {"incubator": incubator.id, "project": project.id, "founders": len(people)},
            actor_id=by,
        )
    return coop


def _found(
    db: Session,
    user: User,
    shares: dict[str, int],
    classes: dict[str, ShareClass],
    on: date,
    by: uuid.UUID,
) -> None:
    """A founder as a first member: member from ``on``, their pledged shares paid on ``on``."""
    record_status(db, user.id, MemberStatus.MEMBER, on, recorded_by=by)
    for code, quantity in sorted(shares.items()):
        subscription = subscribe(
            db,
            user_id=user.id,
            share_class=classes[code],
            quantity=quantity,
            day=on,
            requested_by=user.id,
        )
        record_payment(db, subscription.id, by, on, "paid at the launch", today=on)
