"""Check: payroll behaves, over a range of pays, in the first claimed month and today's.

For the country's default profile (``inputs()`` defaults), full time and half
time, at gross pays from the minimum wage to ten times it:

- the net pay never exceeds the gross, the employer cost is never below it;
- net pay and employer cost never decrease when the gross grows;
- the simulator's inversion round-trips to the cent: for the budget a gross
  costs (employer cost and the coop's default fees), the simulator finds the
  largest gross that fits — at least that gross, and one cent more would not fit;
- a gross below the minimum wage is refused (the salary request's pricing, as
  the engine enforces it), and a budget below the minimum's cost is a shortfall.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal

from coopkit.conformance.parameters import FAILURES
from coopkit.conformance.subject import NotApplicable, Subject
from coopkit.payroll import (
    DEFAULT_FEE_RATE,
    GrossLine,
    PayInputs,
    PayrollRules,
    compute_payslip,
    simulate_budget,
)
from coopkit.payroll.cents import RATE_SCALE, from_cents, scaled, to_cents
from coopkit.payroll.questions import parse_profile
from coopkit.payroll.simulate import fees_cents

HOOK = "coopkit_payroll_rules"
MULTIPLES = (Decimal(1), Decimal("1.3"), Decimal(2), Decimal(3), Decimal(5), Decimal(10))
CENT = Decimal("0.01")


def check_payroll_behaves(subject: Subject) -> list[str]:
    if HOOK not in subject.implemented:
        raise NotApplicable(
            f"plugin {subject.plugin!r} ({subject.code}) has no payroll: implement {HOOK} "
            "returning a PayrollRules (docs/plugins.md, 'Payroll rules') to have it checked"
        )
    try:
        rules = subject.host.payroll_rules(subject.code)
    except FAILURES as error:
        return [subject.says(f"hook {HOOK}", f"fails: {error}", "fix the hook")]
    problems: list[str] = []
    for month in sorted({subject.first_day.replace(day=1), subject.today.replace(day=1)}):
        try:
            problems += _month(subject, rules, month)
        except FAILURES as error:
            problems.append(
                subject.says(
                    f"hook {HOOK} ({month:%Y-%m})",
                    f"cannot compute payslips: {error}",
                    "record the payroll parameters in force that month with their source",
                )
            )
    return problems


def _month(subject: Subject, rules: PayrollRules, month: dt.date) -> list[str]:
    profile = parse_profile(rules, {})
    full_c = rules.schedule(month, profile).full_time_hours_c
    full = Decimal(full_c).scaleb(-2)
    problems = []
    for hours in (full, (full / 2).quantize(CENT)):
        where = f"hook {HOOK} ({month:%Y-%m}, {hours} h)"
        minimum = rules.minimum_wage(month, hours)
        if minimum.amount <= 0 or not minimum.source.strip():
            problems.append(
                subject.says(
                    where,
                    f"minimum wage {minimum.amount} (source {minimum.source!r})",
                    "give the legal minimum for the hours, positive, with its source",
                )
            )
            continue
        base = PayInputs(month, (), hours=hours, profile=profile)
        grosses = [(minimum.amount * m).quantize(CENT) for m in MULTIPLES]
        problems += [
            subject.says(where, fault, fix) for fault, fix in _monotone(rules, base, grosses)
        ]
        problems += [
            subject.says(where, fault, fix) for fault, fix in _round_trips(rules, base, grosses)
        ]
        problems += [
            subject.says(where, fault, fix)
            for fault, fix in _minimum_enforced(rules, base, minimum.amount)
        ]
    return problems


def _with_gross(base: PayInputs, gross: Decimal) -> PayInputs:
    return dataclasses.replace(base, gross_lines=(GrossLine("salary", "Salary", gross),))


def _monotone(
    rules: PayrollRules, base: PayInputs, grosses: list[Decimal]
) -> list[tuple[str, str]]:
    faults = []
    before = None
    for gross in grosses:
        totals = compute_payslip(rules, _with_gross(base, gross)).totals
        net, cost = from_cents(totals.net_pay), from_cents(totals.employer_cost)
        if net > gross:
            faults.append((f"net pay {net} exceeds the gross {gross}", _LINES))
        if cost < gross:
            faults.append((f"employer cost {cost} is below the gross {gross}", _LINES))
        if before is not None:
            last_gross, last_net, last_cost = before
            if net < last_net or cost < last_cost:
                faults.append(
                    (
                        f"a gross of {gross} gives net {net} and cost {cost}, less than a gross "
                        f"of {last_gross} (net {last_net}, cost {last_cost})",
                        "net and cost must not decrease as the gross grows: check reductions "
                        "and thresholds that fall faster than the gross rises",
                    )
                )
        before = (gross, net, cost)
    return faults


_LINES = "check the signs and rates of the schedule's contributions, reductions and amounts"


def _total_cents(rules: PayrollRules, base: PayInputs, gross: Decimal, fee: int) -> int:
    cost = compute_payslip(rules, _with_gross(base, gross)).totals.employer_cost
    return cost + fees_cents(cost, fee)


def _round_trips(
    rules: PayrollRules, base: PayInputs, grosses: list[Decimal]
) -> list[tuple[str, str]]:
    fee = scaled(DEFAULT_FEE_RATE, RATE_SCALE, "fee rate")
    faults = []
    for gross in grosses[:: max(len(grosses) // 3, 1)]:
        budget = from_cents(_total_cents(rules, base, gross, fee))
        found = simulate_budget(rules, base, budget).payslip
        if found is None:
            faults.append((f"the simulator finds no gross for the budget {budget}", _INVERSE))
            continue
        back = found.amount("gross")
        over = _total_cents(rules, base, back + CENT, fee)
        if (
            back < gross
            or _total_cents(rules, base, back, fee) > to_cents(budget)
            or over <= to_cents(budget)
        ):
            faults.append(
                (
                    f"the budget {budget} (what a gross of {gross} costs with fees) gives back "
                    f"a gross of {back}",
                    _INVERSE,
                )
            )
    return faults


_INVERSE = (
    "the employer cost must grow with the gross, cent by cent (coopkit/payroll/simulate.py "
    "inverts it by bisection)"
)


def _minimum_enforced(
    rules: PayrollRules, base: PayInputs, minimum: Decimal
) -> list[tuple[str, str]]:
    from coopkit.salaries.errors import SalaryRequestRefused
    from coopkit.salaries.models import Asked
    from coopkit.salaries.pricing import WorkAsked, price

    below = minimum - CENT
    faults = []
    try:
        price(rules, uuid.uuid4(), WorkAsked(base.month, Asked.GROSS, below, hours=base.hours))
    except SalaryRequestRefused:
        pass
    else:
        faults.append(
            (
                f"a gross of {below}, below the minimum wage {minimum}, is accepted",
                "minimum_wage(month, hours) must give the legal minimum for the hours",
            )
        )
    fee = scaled(DEFAULT_FEE_RATE, RATE_SCALE, "fee rate")
    short = from_cents(_total_cents(rules, base, minimum, fee) - 1)
    if simulate_budget(rules, base, short).payslip is not None:
        faults.append(
            (
                f"a budget of {short}, one cent short of the minimum wage's cost, still pays",
                "minimum_wage(month, hours) must give the legal minimum for the hours",
            )
        )
    return faults
