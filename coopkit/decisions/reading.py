"""Reading surplus distributions back for the pages: the split, its entry, who got what."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.decisions.models import SurplusAllocation, SurplusDistribution
from coopkit.ledger.models import Account, Posting
from coopkit.people.models import User


@dataclass(frozen=True)
class EntryLine:
    number: str
    name: str
    amount: Decimal  # debit > 0, credit < 0


@dataclass(frozen=True)
class Allocated:
    name: str
    row: SurplusAllocation


@dataclass(frozen=True)
class DistributionView:
    distribution: SurplusDistribution
    lines: list[EntryLine]
    allocations: list[Allocated]


def distributions(db: Session) -> list[SurplusDistribution]:
    """The session tenant's distributions, the latest year first."""
    return list(
        db.scalars(
            select(SurplusDistribution).order_by(SurplusDistribution.financial_year_end.desc())
        )
    )


def distribution_view(db: Session, distribution_id: uuid.UUID) -> DistributionView | None:
    """One distribution with its ledger lines and its members' parts (by name), or None."""
    found = db.scalar(select(SurplusDistribution).where(SurplusDistribution.id == distribution_id))
    if found is None:
        return None
    lines = [
        EntryLine(number, name, amount)
        for number, name, amount in db.execute(
            select(Account.number, Account.name, Posting.amount)
            .join(Account, Account.id == Posting.account_id)
            .where(Posting.entry_id == found.journal_entry_id)
            .order_by(Posting.amount.desc(), Account.number)
        )
    ]
    allocations = [
        Allocated(name, row)
        for row, name in db.execute(
            select(SurplusAllocation, User.name)
            .join(User, User.id == SurplusAllocation.user_id)
            .where(SurplusAllocation.distribution_id == found.id)
            .order_by(User.name)
        )
    ]
    return DistributionView(found, lines, allocations)


def member_parts_of(
    db: Session, user_id: uuid.UUID
) -> list[tuple[SurplusDistribution, SurplusAllocation]]:
    """The member's part of every distribution they had one in, the latest year first."""
    return [
        (distribution, allocation)
        for distribution, allocation in db.execute(
            select(SurplusDistribution, SurplusAllocation)
            .join(SurplusAllocation, SurplusAllocation.distribution_id == SurplusDistribution.id)
            .where(SurplusAllocation.user_id == user_id)
            .order_by(SurplusDistribution.financial_year_end.desc())
        )
    ]
