"""The incubator's operations in one place, as pages, the API and the demo call them.

Each lives in the module of its part (projects, decisions, launch); this
module gathers them with :func:`statutes_context`, which fills the statutes
template of the project's legal form.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from coopkit.governance.rules import law_rules
from coopkit.incubator.decisions import (
    cast_stage_ballot,
    close_stage_decision,
    open_stage_decision,
)
from coopkit.incubator.launch import launch_project
from coopkit.incubator.models import IncubatorProject
from coopkit.incubator.projects import (
    ProjectRequest,
    add_document,
    add_founder,
    complete_checklist_item,
    create_project,
    founders,
    legal_form_of,
    plan_share_class,
    planned_classes,
    pledge_shares,
    pledges,
)
from coopkit.incubator.statutes import StatutesContext, StatutesFounder, StatutesShareClass
from coopkit.plugins import PluginHost

__all__ = [
    "ProjectRequest",
    "add_document",
    "add_founder",
    "cast_stage_ballot",
    "close_stage_decision",
    "complete_checklist_item",
    "create_project",
    "launch_project",
    "open_stage_decision",
    "plan_share_class",
    "pledge_shares",
    "statutes_context",
]


def statutes_context(
    db: Session, host: PluginHost, project: IncubatorProject, on: date
) -> StatutesContext:
    """What the draft statutes say on ``on``: the project's founders with the shares they
    pledged, its planned share classes, and the assembly rules of its country's law."""
    form = legal_form_of(host, project.country, project.legal_form, on)
    promised = pledges(db, project)
    people = tuple(
        StatutesFounder(
            name=f.name,
            address=f.address,
            category=f.category,
            shares=tuple(sorted(promised.get(f.id, {}).items())),
        )
        for f in founders(db, project)
    )
    classes = tuple(
        StatutesShareClass(c.code, c.nominal, c.voting, c.min_holding, c.max_per_member)
        for c in planned_classes(db, project)
    )
    return StatutesContext(
        coop_name=project.name,
        country=project.country,
        currency=project.currency,
        legal_form=form,
        seat=project.seat,
        purpose=project.purpose,
        founders=people,
        share_classes=classes,
        assembly_rules=law_rules(project.country, on, host),
        financial_year_start=project.financial_year_start,
        drafted_on=on,
    )
