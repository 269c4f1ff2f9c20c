"""Voting colleges: groups of members whose votes weigh a fixed share of the assembly."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from coopkit.governance.rules import College
    from coopkit.governance.tally import Electorate


class CollegeError(ValueError):
    """Colleges that the law or the data refuse; ``rule`` cites what forbids them."""

    def __init__(self, message: str, rule: str = "") -> None:
        self.rule = rule
        super().__init__(f"{message} ({rule})" if rule else message)


def colleges_on(db: Session, on: date) -> list[College]:
    """The session tenant's voting colleges in force on ``on``; ``[]`` = no colleges."""
    return []


def electorate_on(db: Session, day: date) -> Electorate:
    """The voters on ``day`` with their college."""
    from coopkit.governance.tally import Electorate
    from coopkit.membership.register import voters_on

    return Electorate({voter.user_id: None for voter in voters_on(db, day)})
