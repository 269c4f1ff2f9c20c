"""The tenant's dunning policy: after how many days past the due date each step is taken.

Dated and append-only like the fee policy (``coopkit.ledger.policy``); when the
tenant has recorded none, :data:`DEFAULT_DAYS` applies.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from coopkit.collection.models import DunningPolicy, DunningStepKind
from coopkit.db.dated import in_force
from coopkit.db.tenancy import USER_KEY


class DunningPolicyError(ValueError):
    """Step days that cannot be recorded."""


@dataclass(frozen=True)
class DunningDays:
    """Days after the due date of each step, and the decision they come from."""

    reminder: int = 7
    second_reminder: int = 21
    formal_notice: int = 35
    final: int = 60
    valid_from: date | None = None
    decided_by: str = "coopkit defaults"

    def of(self, step: DunningStepKind) -> int:
        days: int = getattr(self, step.value)
        return days


DEFAULT_DAYS = DunningDays()


def set_dunning_policy(
    db: Session,
    *,
    valid_from: date,
    reminder: int,
    second_reminder: int,
    formal_notice: int,
    final: int,
    decided_by: str,
) -> DunningPolicy:
    """Record the step days the cooperative decided, from ``valid_from`` on."""
    if not decided_by.strip():
        raise DunningPolicyError(
            "say who decided this schedule (for example 'Board of 2026-05-12')"
        )
    days = [reminder, second_reminder, formal_notice, final]
    if days[0] < 1 or days != sorted(set(days)):
        raise DunningPolicyError(
            f"step days {days}: the reminder comes at least one day after the due date and "
            "each step comes later than the one before"
        )
    user = db.info.get(USER_KEY)
    row = DunningPolicy(
        valid_from=valid_from,
        reminder_days=reminder,
        second_reminder_days=second_reminder,
        formal_notice_days=formal_notice,
        final_days=final,
        decided_by=decided_by.strip(),
        recorded_by=user if isinstance(user, uuid.UUID) else None,
    )
    db.add(row)
    db.flush()
    return row


def dunning_days_on(db: Session, day: date) -> DunningDays:
    """The session tenant's step days in force on ``day``; the defaults when none is recorded."""
    row = in_force(db, DunningPolicy, day)
    if row is None:
        return DEFAULT_DAYS
    return DunningDays(
        row.reminder_days,
        row.second_reminder_days,
        row.formal_notice_days,
        row.final_days,
        row.valid_from,
        row.decided_by,
    )
