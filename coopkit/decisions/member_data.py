"""The code that uses members' data, each use asking coopkit.decisions.data_use first.

- :func:`directory`: the members other members see (purpose ``directory``);
- :func:`member_statistics`: aggregate counts over the members whose data may
  serve statistics; a count below :data:`SMALLEST_COUNT` is never shown (None),
  because a group that small could identify someone;
- :func:`partner_export`: the CSV of members shared with partner coops
  (purpose ``partner_sharing``), audited each time.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import ActivityMember
from coopkit.audit.service import record
from coopkit.decisions.data_use import allowed
from coopkit.decisions.models import Purpose
from coopkit.membership.register import holdings_on, members_on
from coopkit.people.models import User

SMALLEST_COUNT = 5
PARTNER_COLUMNS = ("name", "email", "language", "shares")


def _users(db: Session, user_ids: set[uuid.UUID]) -> list[User]:
    if not user_ids:
        return []
    return list(db.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.name)))


def _allowed_members(db: Session, purpose: Purpose, on: date) -> set[uuid.UUID]:
    return allowed(db, members_on(db, on), purpose, on)


def directory(db: Session, on: date) -> list[User]:
    """The members on ``on`` who may be listed to other members, by name."""
    return _users(db, _allowed_members(db, Purpose.DIRECTORY, on))


def shown(count: int) -> int | None:
    """A count as it may be shown: None below :data:`SMALLEST_COUNT`."""
    return count if count >= SMALLEST_COUNT else None


@dataclass(frozen=True)
class MemberStatistics:
    """Counts over the members whose data may serve statistics (None: fewer than 5)."""

    day: date
    members: int | None
    in_an_activity: int | None
    by_language: dict[str, int | None] = field(default_factory=dict)
    by_share_class: dict[str, int | None] = field(default_factory=dict)


def member_statistics(db: Session, on: date) -> MemberStatistics:
    """Aggregate counts on ``on``; nobody whose data may not be used is counted."""
    counted = _allowed_members(db, Purpose.STATISTICS, on)
    working = set(
        db.scalars(select(ActivityMember.user_id).where(ActivityMember.user_id.in_(counted)))
    )
    languages = Counter((user.locale or "?") for user in _users(db, counted))
    holdings = holdings_on(db, on)
    classes = Counter(code for user_id in counted for code in holdings.get(user_id, {}))
    return MemberStatistics(
        day=on,
        members=shown(len(counted)),
        in_an_activity=shown(len(working)),
        by_language={code: shown(n) for code, n in sorted(languages.items())},
        by_share_class={code: shown(n) for code, n in sorted(classes.items())},
    )


def partner_export(db: Session, on: date) -> str:
    """The CSV shared with partner coops: the members who may be shared, and nobody else."""
    people = _users(db, _allowed_members(db, Purpose.PARTNER_SHARING, on))
    holdings = holdings_on(db, on)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PARTNER_COLUMNS)
    for user in people:
        held = holdings.get(user.id, {})
        shares = " ".join(f"{code}:{count}" for code, count in sorted(held.items()))
        writer.writerow([user.name, user.email, user.locale or "", shares])
    record(
        db,
        "member_data.shared_with_partners",
        "member_data",
        "partner_sharing",
        {"day": on, "members": len(people)},
    )
    return out.getvalue()
