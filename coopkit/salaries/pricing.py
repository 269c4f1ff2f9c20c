"""Pricing a salary request with the cooperative's country payroll.

A request gives the work period's paid hours — hours, or days turned into
hours by the country's dated hours per day (``rules.hours_for_days``, the
simulator's rule) — and either the gross salary or a budget, the employer cost
to spend. A gross is priced forwards (:func:`coopkit.payroll.compute_payslip`
through :mod:`coopkit.payslips.inputs`, exactly as the payslip will be
issued); a budget backwards (:func:`coopkit.payroll.simulate.simulate_budget`,
the largest gross whose employer cost fits, with no fee on top: the coop's fee
was already taken on each payment the activity received). Either is refused
below the minimum wage for the hours, with what is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from coopkit.law import LawNotInForce, UnknownParameter
from coopkit.payroll import PayrollInputError, PayrollRules, compute_payslip
from coopkit.payroll import Payslip as Computed
from coopkit.payroll.simulate import simulate_budget
from coopkit.payslips.inputs import GrossPayIn, PayslipError, PayslipRequest, pay_inputs
from coopkit.salaries.errors import SalaryRequestError, SalaryRequestRefused
from coopkit.salaries.models import Asked

MAX_DAYS = Decimal(31)
MAX_HOURS = Decimal(400)


@dataclass(frozen=True)
class WorkAsked:
    """What is priced: the period's month, days or hours worked, and a gross or a budget."""

    month: dt.date
    asked: Asked
    amount: Decimal
    days: Decimal | None = None
    hours: Decimal | None = None


@dataclass(frozen=True)
class Price:
    """The payroll's figures for a request (``payslip`` is the computed payslip)."""

    month: dt.date
    currency: str
    hours: Decimal
    gross: Decimal
    net_pay: Decimal
    income_tax_withheld: Decimal
    employer_cost: Decimal
    payslip: Computed

    @property
    def social_contributions(self) -> Decimal:
        """Employee and employer contributions together: the cost not paid to the member
        nor withheld as tax."""
        return self.employer_cost - self.net_pay - self.income_tax_withheld


def payslip_request(
    member_id: uuid.UUID,
    month: dt.date,
    gross: Decimal,
    hours: Decimal,
    salary_request: uuid.UUID | None = None,
) -> PayslipRequest:
    """The payslip a request is priced as and issued as (the country's default profile)."""
    return PayslipRequest(
        member_id=member_id,
        month=month.replace(day=1),
        gross_pay=(GrossPayIn(amount=gross),),
        hours=hours,
        salary_request=salary_request,
    )


def paid_hours(rules: PayrollRules, work: WorkAsked) -> Decimal:
    """The paid hours of the period: given, or days × the country's hours per day."""
    if (work.days is None) == (work.hours is None):
        raise SalaryRequestError("give the days or the hours worked (one of them)", "days")
    if work.days is not None:
        if not Decimal(0) < work.days <= MAX_DAYS:
            raise SalaryRequestError("days worked must be more than 0 and at most 31", "days")
        try:
            return rules.hours_for_days(work.month, work.days)
        except (LawNotInForce, UnknownParameter) as error:
            raise SalaryRequestError(f"no hours per day in force: {error}", "days") from None
    assert work.hours is not None
    if not Decimal(0) < work.hours <= MAX_HOURS:
        raise SalaryRequestError("paid hours must be more than 0 and at most 400", "hours")
    return work.hours


def _price(computed: Computed, hours: Decimal) -> Price:
    return Price(
        month=computed.month,
        currency=computed.currency,
        hours=hours,
        gross=computed.amount("gross"),
        net_pay=computed.amount("net_pay"),
        income_tax_withheld=computed.amount("income_tax_withheld"),
        employer_cost=computed.amount("employer_cost"),
        payslip=computed,
    )


def _check_minimum(rules: PayrollRules, month: dt.date, hours: Decimal, gross: Decimal) -> None:
    minimum = rules.minimum_wage(month, hours)
    if gross < minimum.amount:
        raise SalaryRequestRefused(
            f"a gross of {gross} is below the minimum wage for {hours} hours "
            f"({minimum.amount}, {minimum.source}): ask for at least that",
            missing=minimum.amount - gross,
            currency=rules.currency,
            field="gross",
        )


def price(rules: PayrollRules, member_id: uuid.UUID, work: WorkAsked) -> Price:
    """The request's payroll figures; SalaryRequestError names the field to fix."""
    hours = paid_hours(rules, work)
    month = work.month.replace(day=1)
    if work.amount <= 0 or work.amount != work.amount.quantize(Decimal("0.01")):
        raise SalaryRequestError(
            f"{work.amount}: give a positive amount in cents (3000.00)", work.asked.value
        )
    try:
        if work.asked is Asked.GROSS:
            _check_minimum(rules, month, hours, work.amount)
            inputs = pay_inputs(rules, payslip_request(member_id, month, work.amount, hours))
            return _price(compute_payslip(rules, inputs), hours)
        inputs = pay_inputs(rules, payslip_request(member_id, month, Decimal(0), hours))
        simulation = simulate_budget(rules, inputs, work.amount, fee_rate=Decimal(0))
    except PayslipError as error:
        raise SalaryRequestError(str(error), error.field) from None
    except (LawNotInForce, UnknownParameter) as error:
        raise SalaryRequestError(
            f"no {rules.country} payroll law for {month:%Y-%m}: {error}", "period_start"
        ) from None
    except PayrollInputError as error:
        raise SalaryRequestError(str(error), work.asked.value) from None
    if simulation.payslip is None:
        raise SalaryRequestRefused(
            f"a budget of {work.amount} cannot pay the minimum wage for {hours} hours: a gross "
            f"of {simulation.minimum_gross} costs {simulation.minimum_total}; "
            f"{simulation.shortfall} is missing",
            missing=simulation.shortfall,
            currency=rules.currency,
            field="budget",
        )
    return _price(simulation.payslip, hours)
