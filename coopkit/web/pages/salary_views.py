"""What the salary pages show: the request form as typed, a request's row (with its
payout's state), and a priced request before it is sent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.guarantee.advances import Backing
from coopkit.i18n import _
from coopkit.money import Money
from coopkit.payouts.models import Payout, PayoutKind
from coopkit.people.models import User
from coopkit.salaries.models import SalaryRequest, SalaryStatus
from coopkit.salaries.report import days_late
from coopkit.salaries.service import Quote, SalaryAsk, due_date_of
from coopkit.web.pages.invoice_forms import number

# The service names the input at fault; the form has one field for days or hours and one
# for a gross or a budget, and no member (a member asks for themself).
FIELD_OF = {"days": "worked", "hours": "worked", "gross": "amount", "budget": "amount"}
FIELD_OF |= {"member_id": "activity_id", "activity_id": "activity_id"}
FORM_FIELDS = ("period_start", "period_end")


@dataclass
class SalaryForm:
    """The member's form, as typed: every field text, so that it can be shown back."""

    activity_id: str = ""
    period_start: str = ""
    period_end: str = ""
    worked: str = ""
    unit: str = "days"
    amount: str = ""
    asked: str = "gross"
    step: str = "price"


def form_field(field: str | None) -> str:
    """The form's field for a service error's ``field`` ("form" when it names none of them)."""
    if field in FIELD_OF:
        return FIELD_OF[field]
    return field if field in FORM_FIELDS else "form"


def _day(text: str, field: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = _("Give the day as YYYY-MM-DD, such as 2026-03-02.")
        return None


def ask_of(form: SalaryForm, member_id: uuid.UUID, errors: dict[str, str]) -> SalaryAsk | None:
    """The request the form asks for, or None with ``errors`` filled per field."""
    try:
        activity_id = uuid.UUID(form.activity_id)
    except ValueError:
        errors["activity_id"] = _("Choose the activity.")
    start = _day(form.period_start, "period_start", errors)
    end = _day(form.period_end, "period_end", errors)
    worked = number(form.worked)
    if worked is None:
        errors["worked"] = _("Give the days or the hours worked, such as 5.")
    amount = number(form.amount)
    if amount is None:
        errors["amount"] = _("Give the amount, such as 2500.00.")
    if errors or start is None or end is None or worked is None or amount is None:
        return None
    by_hours, as_budget = form.unit == "hours", form.asked == "budget"
    return SalaryAsk(
        member_id=member_id,
        activity_id=activity_id,
        period_start=start,
        period_end=end,
        days=None if by_hours else worked,
        hours=worked if by_hours else None,
        gross=None if as_budget else amount,
        budget=amount if as_budget else None,
    )


@dataclass(frozen=True)
class QuoteView:
    """A priced request: the payroll's figures and how the money would be found."""

    hours: Decimal
    gross: Money
    net_pay: Money
    income_tax_withheld: Money
    social_contributions: Money
    employer_cost: Money
    available: Money
    from_funds: Money
    from_advance: Money
    missing: Money
    backing: list[tuple[Backing, Money]]
    reasons: tuple[str, ...]


def quote_view(quote: Quote) -> QuoteView:
    price, coverage = quote.price, quote.coverage

    def money(amount: Decimal) -> Money:
        return Money(amount, price.currency)

    return QuoteView(
        hours=price.hours,
        gross=money(price.gross),
        net_pay=money(price.net_pay),
        income_tax_withheld=money(price.income_tax_withheld),
        social_contributions=money(price.social_contributions),
        employer_cost=money(price.employer_cost),
        available=money(coverage.available),
        from_funds=money(coverage.from_funds),
        from_advance=money(coverage.from_advance),
        missing=money(coverage.missing),
        backing=[(b, money(b.amount)) for b in coverage.backing],
        reasons=coverage.reasons,
    )


@dataclass(frozen=True)
class SalaryRow:
    """A request as the pages list it.

    ``due`` is its due date (the one it will get while it waits for approval);
    ``state`` is its status, or for an approved one "paid", "waiting" or "late"
    (``late_by`` days: paid late, or unpaid after its due date so far).
    """

    request: SalaryRequest
    activity: str
    member: str
    net_pay: Money
    employer_cost: Money
    from_funds: Money
    from_advance: Money
    due: date
    paid_on: date | None
    state: str
    late_by: int | None


def _state(request: SalaryRequest, paid_on: date | None, today: date) -> tuple[str, int | None]:
    if request.status is not SalaryStatus.APPROVED or request.due_date is None:
        return request.status.value, None
    late_by = days_late(request.due_date, paid_on, today)
    if late_by is None:
        return "waiting", None
    if paid_on is not None:
        return "paid", late_by
    return "late", late_by


def rows_of(db: Session, requests: list[SalaryRequest], today: date) -> list[SalaryRow]:
    ids = [r.id for r in requests]
    paid = dict(
        db.execute(
            select(Payout.source_id, Payout.paid_on).where(
                Payout.kind == PayoutKind.SALARY, Payout.source_id.in_(ids)
            )
        ).all()
    )
    codes = dict(db.execute(select(Activity.id, Activity.code)).all())
    people = {r.user_id for r in requests}
    names = dict(db.execute(select(User.id, User.name).where(User.id.in_(people))).all())
    rows = []
    for r in requests:
        state, late_by = _state(r, paid.get(r.id), today)
        rows.append(
            SalaryRow(
                request=r,
                activity=codes.get(r.activity_id, "?"),
                member=names.get(r.user_id, "?"),
                net_pay=Money(r.net_pay, r.currency),
                employer_cost=Money(r.employer_cost, r.currency),
                from_funds=Money(r.from_funds, r.currency),
                from_advance=Money(r.from_advance, r.currency),
                due=r.due_date or due_date_of(db, r.period_end),
                paid_on=paid.get(r.id),
                state=state,
                late_by=late_by,
            )
        )
    return rows
