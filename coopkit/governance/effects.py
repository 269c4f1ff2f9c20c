"""What an adopted resolution changes: a registry of effects.

An effect is registered under a ``kind`` (``"fee_rate"``, ``"surplus_distribution"``…).
When a resolution that carries an effect is created, :func:`validate` checks
its payload against the law and the statutes in force (a surplus split above
the legal dividend cap is refused there, with the rule cited); when the
resolution is adopted, :func:`apply` changes the configuration in the same
transaction as the result. A resolution without an effect only records a
decision.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy.orm import Session


class EffectRefused(ValueError):
    """A payload that the law, the statutes or the data refuse; ``rule`` cites what forbids it."""

    def __init__(self, message: str, rule: str = "") -> None:
        self.rule = rule
        super().__init__(f"{message} ({rule})" if rule else message)


@dataclass(frozen=True)
class Adoption:
    """The adopted resolution an effect applies: its id, title and the day it was adopted."""

    resolution_id: uuid.UUID
    title: str
    adopted_on: date
    decided_by: str  # "General assembly of 2026-06-12, resolution 3"


class Effect(Protocol):
    """One kind of configuration change a resolution can carry."""

    kind: str
    label: str  # shown to whoever drafts the resolution ("Change the fee rate")

    def validate(self, db: Session, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
        """Check ``payload`` for a decision taking effect ``on``; return it normalised
        (exact values as strings) or raise :class:`EffectRefused`."""
        ...

    def apply(self, db: Session, payload: Mapping[str, Any], adoption: Adoption) -> None:
        """Change the session tenant's configuration; runs in the caller's transaction."""
        ...


EFFECTS: dict[str, Effect] = {}


def register(effect: Effect) -> Effect:
    """Add ``effect`` to the registry (once per kind)."""
    if effect.kind in EFFECTS:
        raise ValueError(f"two effects of kind {effect.kind!r}")
    EFFECTS[effect.kind] = effect
    return effect


def effect_of(kind: str) -> Effect:
    """The registered effect of ``kind``; a clear error for an unknown one.

    The effects live in ``coopkit.decisions``, imported here on first use so that
    whether they are registered never depends on what was imported before.
    """
    import coopkit.decisions  # noqa: F401  (registers the effects; cached after the first call)

    try:
        return EFFECTS[kind]
    except KeyError:
        known = ", ".join(sorted(EFFECTS)) or "none"
        raise EffectRefused(f"no resolution effect {kind!r} (known: {known})") from None


def validate(db: Session, kind: str, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
    """Validate a resolution's effect payload; see :meth:`Effect.validate`."""
    return effect_of(kind).validate(db, payload, on)


def apply(db: Session, kind: str, payload: Mapping[str, Any], adoption: Adoption) -> None:
    """Apply an adopted resolution's effect; see :meth:`Effect.apply`."""
    effect_of(kind).apply(db, payload, adoption)
