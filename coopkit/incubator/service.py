"""The incubator's operations in one place, as pages, the API and the demo call them.

Each lives in the module of its part (projects, decisions, launch); this
module gathers them with :func:`statutes_context`, which fills the statutes
template of the project's legal form.
"""

from __future__ import annotations

from coopkit.incubator.decisions import (
    cast_stage_ballot,
    close_stage_decision,
    open_stage_decision,
)
from coopkit.incubator.launch import launch_project
from coopkit.incubator.projects import (
    ProjectRequest,
    add_document,
    add_founder,
    complete_checklist_item,
    create_project,
    plan_share_class,
    pledge_shares,
)

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
]
