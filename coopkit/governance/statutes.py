"""The cooperative's statutes: voting rules stricter than the law (never looser)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coopkit.governance.rules import AssemblyRules


def tightened(db: Session, law: AssemblyRules, on: date) -> AssemblyRules:
    """``law`` tightened by the session tenant's statutes in force on ``on``."""
    return law
