"""Dated decisions of a cooperative: the one in force on a day.

A policy table (fee rates, guarantee fund, salary delay, dunning steps) holds
append-only rows with ``valid_from`` and ``recorded_at``: a row holds from its
``valid_from`` until the next one, and of two rows for the same day the one
recorded later wins (that is how a mistake is corrected).
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.base import Base

Decision = TypeVar("Decision", bound=Base)


def in_force(db: Session, model: type[Decision], day: date) -> Decision | None:
    """The session tenant's row of ``model`` in force on ``day``, or None before the first."""
    columns = model.__table__.c
    return db.scalar(
        select(model)
        .where(columns.valid_from <= day)
        .order_by(columns.valid_from.desc(), columns.recorded_at.desc())
        .limit(1)
    )
