"""Voting colleges: groups of members whose votes weigh a fixed share of the assembly.

A French SCIC may group its members in colleges (workers, users, supporters…);
the vote is counted within each college and each college's result weighs its
weight (loi n° 47-1775 art. 19 octies: no college above 50 % or below 10 %).
A set of colleges holds from its ``valid_from`` (every :class:`VotingCollege`
row of a set carries the same ``valid_from`` and ``recorded_at``; a later set
replaces it whole). A member's college comes from :class:`CollegeAssignment`
rows, the latest ``effective_on`` on or before the day holding. Both tables are
append-only: a change is a new set or a new assignment.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Uuid, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Rate
from coopkit.governance.rules import AssemblyRules, College, RuleRefused
from coopkit.governance.tally import Electorate


class VotingCollege(AppendOnly, TenantOwned, Base):
    """One college of the set in force from ``valid_from``, and its weight (a fraction)."""

    __tablename__ = "voting_colleges"
    final_reason = "record a new set of colleges from a later day"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        Index("ix_voting_colleges_valid_from", "tenant_id", "valid_from"),
    )

    valid_from: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(Rate())
    decided_by: Mapped[str] = mapped_column(String(300))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CollegeAssignment(AppendOnly, TenantOwned, Base):
    """A member's college from ``effective_on`` (the latest on or before a day holds)."""

    __tablename__ = "college_assignments"
    final_reason = "record a new assignment from a later day"
    __table_args__ = (Index("ix_college_assignments_user", "tenant_id", "user_id", "effective_on"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    college: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


def _set_in_force(db: Session, on: date) -> list[VotingCollege]:
    latest = db.execute(
        select(VotingCollege.valid_from, VotingCollege.recorded_at)
        .where(VotingCollege.valid_from <= on)
        .order_by(VotingCollege.valid_from.desc(), VotingCollege.recorded_at.desc())
        .limit(1)
    ).first()
    if latest is None:
        return []
    return list(
        db.scalars(
            select(VotingCollege)
            .where(
                VotingCollege.valid_from == latest.valid_from,
                VotingCollege.recorded_at == latest.recorded_at,
            )
            .order_by(VotingCollege.code)
        )
    )


def colleges_on(db: Session, on: date) -> list[College]:
    """The session tenant's voting colleges in force on ``on``; ``[]`` = no colleges."""
    return [College(c.code, c.name, c.weight) for c in _set_in_force(db, on)]


def college_problems(colleges: Sequence[College], law: AssemblyRules) -> list[str]:
    """What the law or arithmetic refuses in a set of colleges (empty: none)."""
    problems = []
    codes = [c.code for c in colleges]
    if len(set(codes)) != len(codes):
        problems.append("each college needs its own code")
    total = sum((c.weight for c in colleges), Decimal(0))
    if colleges and total != 1:
        problems.append(f"the weights add up to {total}, not to 1")
    for college in colleges:
        if law.college_min is not None and college.weight < law.college_min:
            problems.append(
                f"college {college.code} weighs {college.weight}, below the law's minimum "
                f"{law.college_min}"
            )
        if law.college_max is not None and college.weight > law.college_max:
            problems.append(
                f"college {college.code} weighs {college.weight}, above the law's maximum "
                f"{law.college_max}"
            )
    return problems


def set_colleges(
    db: Session,
    law: AssemblyRules,
    colleges: Sequence[College],
    valid_from: date,
    decided_by: str,
    recorded_by: uuid.UUID | None = None,
) -> list[VotingCollege]:
    """Record a new set of colleges from ``valid_from``, checked against ``law`` (the law in
    force that day); raise :class:`RuleRefused` citing the rule. In the caller's transaction."""
    from coopkit.audit.service import record

    if not colleges:
        raise RuleRefused("a set of colleges has at least one college")
    problems = college_problems(colleges, law)
    if problems:
        raise RuleRefused("; ".join(problems), law.colleges_source)
    now = utcnow()
    rows = [
        VotingCollege(
            valid_from=valid_from,
            code=c.code,
            name=c.name,
            weight=c.weight,
            decided_by=decided_by,
            recorded_by=recorded_by,
            recorded_at=now,
        )
        for c in colleges
    ]
    db.add_all(rows)
    db.flush()
    record(
        db,
        "governance.colleges_set",
        "voting_colleges",
        rows[0].id,
        {
            "valid_from": valid_from.isoformat(),
            "decided_by": decided_by,
            "weights": {c.code: str(c.weight) for c in colleges},
        },
        actor_id=recorded_by,
    )
    return rows


def assign_college(
    db: Session,
    user_id: uuid.UUID,
    college: str,
    effective_on: date,
    recorded_by: uuid.UUID | None = None,
) -> CollegeAssignment:
    """Put a member in ``college`` from ``effective_on``; the college must be in force then."""
    from coopkit.audit.service import record

    known = [c.code for c in colleges_on(db, effective_on)]
    if college not in known:
        raise RuleRefused(
            f"no college {college!r} on {effective_on.isoformat()} "
            f"(colleges then: {', '.join(known) or 'none'})"
        )
    row = CollegeAssignment(
        user_id=user_id, college=college, effective_on=effective_on, recorded_by=recorded_by
    )
    db.add(row)
    db.flush()
    record(
        db,
        "governance.college_assigned",
        "user",
        user_id,
        {"college": college, "effective_on": effective_on.isoformat()},
        actor_id=recorded_by,
    )
    return row


def assignments_on(db: Session, day: date) -> dict[uuid.UUID, str]:
    """Each member's college on ``day`` (members never assigned are absent)."""
    rows = db.execute(
        select(CollegeAssignment.user_id, CollegeAssignment.college)
        .where(CollegeAssignment.effective_on <= day)
        .order_by(CollegeAssignment.effective_on, CollegeAssignment.recorded_at)
    )
    return {row.user_id: row.college for row in rows}


def electorate_on(db: Session, day: date) -> Electorate:
    """The voters on ``day`` (:func:`coopkit.membership.register.voters_on`) with their
    college; raise :class:`RuleRefused` for a voter without a college of the set in force."""
    from coopkit.membership.register import voters_on

    voters = voters_on(db, day)
    colleges = colleges_on(db, day)
    if not colleges:
        return Electorate({voter.user_id: None for voter in voters})
    codes = {c.code for c in colleges}
    assigned = assignments_on(db, day)
    missing = [v.user_id for v in voters if assigned.get(v.user_id) not in codes]
    if missing:
        raise _without_college(missing, day, codes)
    return Electorate({v.user_id: assigned[v.user_id] for v in voters}, tuple(colleges))


def college_on(db: Session, user_id: uuid.UUID, day: date) -> str | None:
    """A voter's college on ``day``, None when the tenant has no colleges then; raise
    :class:`RuleRefused` (as :func:`electorate_on`) when they have none of the set in force.

    One voter's lookup (the ``tenant_id, user_id, effective_on`` index) for checking a
    single vote, where :func:`electorate_on` reads every member's assignment.
    """
    colleges = colleges_on(db, day)
    if not colleges:
        return None
    codes = {c.code for c in colleges}
    college = db.scalar(
        select(CollegeAssignment.college)
        .where(CollegeAssignment.user_id == user_id, CollegeAssignment.effective_on <= day)
        .order_by(CollegeAssignment.effective_on.desc(), CollegeAssignment.recorded_at.desc())
        .limit(1)
    )
    if college not in codes:
        raise _without_college([user_id], day, codes)
    return college


def _without_college(missing: Sequence[uuid.UUID], day: date, codes: set[str]) -> RuleRefused:
    listed = ", ".join(str(m) for m in missing[:5]) + (" …" if len(missing) > 5 else "")
    return RuleRefused(
        f"{len(missing)} voter(s) on {day.isoformat()} have no college of the set in force "
        f"({', '.join(sorted(codes))}): {listed}; assign them with "
        "`coopkit governance colleges assign`",
        "every voter votes in one college",
    )
