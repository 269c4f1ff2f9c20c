"""Sharing an amount among members to the cent, and the bases it is shared on.

- :func:`share_out`: largest-remainder rounding. Each member first gets their
  exact share rounded down to the currency's smallest unit; the cents left
  over go one each to the largest remainders (ties: the larger weight, then
  the member id), so the parts always add up to the amount exactly.
- :func:`activity_turnover`: each member's activity with the coop over a
  financial year, the **ristourne** base. It is the turnover invoiced (VAT
  excluded, credit notes deducted: the ``turnover`` role of the ledger) in the
  activities they work in, dated in the year. An activity run by several
  people is split **equally** among those of them who were members on the
  year end: its roles (manager, member) say who may move its money, not who
  did the work, so they do not weigh. People who were not members share in
  no ristourne and their part is not counted; the people of an activity are
  those of today (the activity keeps no history of its people yet).
- :func:`capital_held`: each holder's shares at the year end × nominal, the
  **dividend** base.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopkit.activities.models import ActivityMember
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.membership.models import ShareClass
from coopkit.membership.register import holdings_on, members_on

Weight = Fraction


def share_out(
    total: Decimal, weights: Mapping[uuid.UUID, Weight], unit: Decimal
) -> dict[uuid.UUID, Decimal]:
    """``total`` split in proportion to ``weights`` (> 0), to ``unit``, adding up exactly.

    Example: 100.00 over weights 1, 1, 1 → 33.34, 33.33, 33.33 (the exact
    share 33.333… rounds down to 33.33 for each, the cent left goes to the
    first by id as the remainders are equal).
    """
    positive = {key: Fraction(w) for key, w in weights.items() if w > 0}
    whole = sum(positive.values(), Fraction(0))
    if total == 0 or not positive:
        return dict.fromkeys(positive, Decimal(0).quantize(unit))
    if whole == 0:
        raise ValueError("no weight to share on")
    units = int((total / unit).to_integral_value(ROUND_HALF_UP))
    if units * unit != total:
        raise ValueError(f"{total} is not a whole number of {unit}")
    exact = {key: Fraction(units) * w / whole for key, w in positive.items()}
    floors = {key: int(share) for key, share in exact.items()}  # shares are ≥ 0: int() floors
    left = units - sum(floors.values())
    order = sorted(
        positive, key=lambda key: (-(exact[key] - floors[key]), -positive[key], str(key))
    )
    for key in order[:left]:
        floors[key] += 1
    return {key: (unit * count).quantize(unit) for key, count in floors.items()}


def year_start(year_end: date) -> date:
    """The first day of the twelve-month financial year that ends on ``year_end``."""
    try:
        previous = year_end.replace(year=year_end.year - 1)
    except ValueError:  # 29 February: a year earlier is 28 February
        previous = year_end.replace(year=year_end.year - 1, day=28)
    return previous + timedelta(days=1)


def activity_turnover(db: Session, year_end: date) -> dict[uuid.UUID, Weight]:
    """Each member's share of the turnover invoiced in the financial year ending ``year_end``."""
    start = year_start(year_end)
    rows = db.execute(
        select(Account.activity_id, func.sum(Posting.amount))
        .join(
            Posting, (Posting.tenant_id == Account.tenant_id) & (Posting.account_id == Account.id)
        )
        .join(
            JournalEntry,
            (JournalEntry.tenant_id == Posting.tenant_id) & (JournalEntry.id == Posting.entry_id),
        )
        .where(
            Account.role == AccountRole.TURNOVER,
            Account.activity_id.is_not(None),
            JournalEntry.day >= start,
            JournalEntry.day <= year_end,
        )
        .group_by(Account.activity_id)
    ).all()
    members = set(members_on(db, year_end))
    people: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    working = db.execute(select(ActivityMember.activity_id, ActivityMember.user_id))
    for activity_id, user_id in working:
        if user_id in members:
            people[activity_id].append(user_id)
    bases: dict[uuid.UUID, Weight] = defaultdict(Fraction)
    for turnover_of, raw in rows:
        invoiced = -Decimal(raw)  # turnover is income: credits are negative
        sharing = people.get(turnover_of, []) if turnover_of is not None else []
        if invoiced <= 0 or not sharing:
            continue
        for user_id in sharing:
            bases[user_id] += Fraction(invoiced) / len(sharing)
    return dict(bases)


def capital_held(db: Session, year_end: date) -> dict[uuid.UUID, Weight]:
    """Each holder's shares at the end of ``year_end`` at nominal value."""
    nominal = {row.code: row.nominal for row in db.scalars(select(ShareClass))}
    return {
        user_id: Fraction(sum((nominal[code] * count for code, count in held.items()), Decimal(0)))
        for user_id, held in holdings_on(db, year_end).items()
    }


def as_amount(weight: Weight, unit: Decimal) -> Decimal:
    """A base shown to the cent (half up): for display and the record, never for sharing."""
    return (Decimal(weight.numerator) / Decimal(weight.denominator)).quantize(unit, ROUND_HALF_UP)
