"""Drafting a resolution: on an agenda item of an assembly, or on its own (an online vote
between assemblies), with its method, options, voting window and optional effect.

The effect's payload is validated now (coopkit.governance.effects.validate) so that
a resolution the law would refuse to apply is refused before anyone votes on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.governance import effects
from coopkit.governance.assemblies import get_assembly
from coopkit.governance.errors import GovernanceConflict, GovernanceError, GovernanceNotFound
from coopkit.governance.models import (
    KINDS,
    METHODS,
    AgendaItem,
    AssemblyStatus,
    Resolution,
    SecretBallotFinal,
    VoteReceipt,
)

WITH_OPTIONS = ("poll", "ranked", "score")
MAX_OPTIONS = 20


@dataclass(frozen=True)
class ResolutionDraft:
    """A resolution as staff draft it. ``record_date`` is for a vote outside an assembly
    (default: the day it opens); an assembly's resolutions take the assembly's."""

    title: str
    opens_at: datetime
    closes_at: datetime
    kind: str = "ordinary"
    method: str = "proposal"
    description: str = ""
    options: Sequence[str] = ()
    secret: bool = False
    hidden_results: bool = False
    assembly_id: uuid.UUID | None = None
    agenda_item_id: uuid.UUID | None = None
    record_date: date | None = None
    effect_kind: str | None = None
    effect_payload: Mapping[str, Any] | None = field(default=None)


def get_resolution(db: Session, resolution_id: uuid.UUID) -> Resolution:
    found = db.scalar(select(Resolution).where(Resolution.id == resolution_id))
    if found is None:
        raise GovernanceNotFound(f"resolution {resolution_id}")
    return found


def list_votes(db: Session) -> list[Resolution]:
    """Every resolution, the latest closing first."""
    return list(db.scalars(select(Resolution).order_by(Resolution.closes_at.desc())))


def _options(method: str, options: Sequence[str]) -> list[str]:
    cleaned = [option.strip() for option in options if option.strip()]
    if method not in WITH_OPTIONS:
        if cleaned:
            raise GovernanceError(f"options: a {method} vote has no options", field="options")
        return []
    if len(cleaned) < 2 or len(set(cleaned)) != len(cleaned):
        raise GovernanceError(
            f"options: a {method} vote needs at least two different options", field="options"
        )
    if len(cleaned) > MAX_OPTIONS or any(len(option) > 100 for option in cleaned):
        raise GovernanceError(
            f"options: at most {MAX_OPTIONS} options of at most 100 characters", field="options"
        )
    return cleaned


def create_resolution(db: Session, draft: ResolutionDraft, by: uuid.UUID | None) -> Resolution:
    """Record a resolution; GovernanceError names the field to fix, an EffectRefused the rule."""
    if draft.kind not in KINDS:
        raise GovernanceError(
            f"kind: {draft.kind!r} is not one of {', '.join(KINDS)}", field="kind"
        )
    if draft.method not in METHODS:
        raise GovernanceError(
            f"method: {draft.method!r} is not one of {', '.join(METHODS)}", field="method"
        )
    if draft.closes_at <= draft.opens_at:
        raise GovernanceError("closes_at: the vote must close after it opens", field="closes_at")
    title = draft.title.strip()
    if not title or len(title) > 300:
        raise GovernanceError("title: give one of at most 300 characters", field="title")
    record_date = draft.record_date or draft.opens_at.date()
    second_call = False
    if draft.assembly_id is not None:
        assembly = get_assembly(db, draft.assembly_id)
        if assembly.status is AssemblyStatus.CLOSED:
            raise GovernanceConflict(f"assembly {assembly.title!r} is closed")
        record_date, second_call = assembly.record_date, assembly.second_call
        if draft.agenda_item_id is not None:
            item = db.scalar(select(AgendaItem).where(AgendaItem.id == draft.agenda_item_id))
            if item is None or item.assembly_id != assembly.id:
                raise GovernanceError(
                    "agenda_item_id: not an item of this assembly", field="agenda_item_id"
                )
    elif draft.agenda_item_id is not None:
        raise GovernanceError("agenda_item_id: give the assembly too", field="assembly_id")
    payload = None
    if draft.effect_kind:
        on = draft.closes_at.date()
        payload = effects.validate(db, draft.effect_kind, dict(draft.effect_payload or {}), on)
    resolution = Resolution(
        assembly_id=draft.assembly_id,
        agenda_item_id=draft.agenda_item_id,
        title=title,
        description=draft.description.strip(),
        kind=draft.kind,
        method=draft.method,
        options=_options(draft.method, draft.options),
        secret=draft.secret,
        hidden_results=draft.hidden_results,
        record_date=record_date,
        second_call=second_call,
        opens_at=draft.opens_at,
        closes_at=draft.closes_at,
        effect_kind=draft.effect_kind or None,
        effect_payload=payload,
        created_by=by,
    )
    db.add(resolution)
    db.flush()
    audit.record(
        db,
        "resolution.drafted",
        "resolution",
        resolution.id,
        {
            "title": title,
            "kind": draft.kind,
            "method": draft.method,
            "secret": draft.secret,
            "effect": draft.effect_kind,
        },
    )
    return resolution


def set_secret(db: Session, resolution: Resolution, secret: bool) -> Resolution:
    """Make a vote secret before anyone votes; a secret vote never becomes open again."""
    if resolution.secret == secret:
        return resolution
    if resolution.secret and not secret:
        raise SecretBallotFinal(
            f"resolution {resolution.title!r} is a secret ballot: a secret ballot cannot be made "
            "open again, its ballots already hide their voters"
        )
    voted = db.scalar(select(VoteReceipt.id).where(VoteReceipt.resolution_id == resolution.id))
    if voted is not None:
        raise GovernanceConflict(
            f"votes were cast on {resolution.title!r} openly: it can no longer become secret"
        )
    resolution.secret = True
    audit.record(db, "resolution.made_secret", "resolution", resolution.id, {})
    return resolution
