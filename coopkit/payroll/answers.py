"""The engine's answer to a :class:`~coopkit.payroll.questions.SalaryQuestion`.

One function computes it (a payslip forwards from a gross, or the largest gross
a budget pays) and one shape carries it: the JSON of ``coopkit payroll simulate
--json``, which the API's ``simulateSalary`` returns too. Amounts are strings
of exact decimals.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coopkit.i18n import _
from coopkit.law import LawNotInForce, UnknownParameter
from coopkit.payroll import (
    DEFAULT_FEE_RATE,
    GrossLine,
    PayrollInputError,
    PayrollRules,
    Payslip,
    Simulation,
    compute_payslip,
    simulate_budget,
)
from coopkit.payroll.cents import ScaleError
from coopkit.payroll.questions import FieldError, SalaryQuestion, parse_month, read_question


@dataclass(frozen=True)
class SalaryAnswer:
    """The payslip (None when the budget cannot pay the minimum wage) and its JSON shape."""

    data: dict[str, Any]
    payslip: Payslip | None
    simulation: Simulation | None = None

    @property
    def is_shortfall(self) -> bool:
        return self.payslip is None


def shortfall_message(simulation: Simulation) -> str:
    return (
        f"the budget {simulation.budget} cannot pay the minimum wage for these hours: "
        f"a gross of {simulation.minimum_gross} costs {simulation.minimum_total} with the fees; "
        f"{simulation.shortfall} is missing"
    )


def budget_fields(
    simulation: Simulation, days: str | None, hours: Decimal | None
) -> dict[str, Any]:
    """What a budget adds to the answer, as exact decimal strings."""
    return {
        "budget": str(simulation.budget),
        "fee_rate": str(simulation.fee_rate),
        "fees": str(simulation.fees),
        "minimum_gross": str(simulation.minimum_gross),
        "minimum_total": str(simulation.minimum_total),
        "shortfall": str(simulation.shortfall),
        "days": days,
        "hours": None if hours is None else str(hours),
    }


def answer(
    rules: PayrollRules, question: SalaryQuestion, fee_rate: Decimal = DEFAULT_FEE_RATE
) -> SalaryAnswer:
    """Compute the answer; raises FieldError (the field at fault) or PayrollInputError.

    A month whose law the country's profile does not hold is a FieldError on
    ``month``. ``fee_rate`` is the coop's fees as a fraction of the employer cost.
    """
    try:
        read = read_question(rules, question)
        inputs = read.inputs
        if read.gross is not None:
            line = GrossLine("salary", "Salary", read.gross)
            payslip = compute_payslip(rules, dataclasses.replace(inputs, gross_lines=(line,)))
            return SalaryAnswer(payslip.as_dict(), payslip)
        assert read.budget is not None
        if read.budget <= 0:
            raise FieldError("budget", _("the budget must be more than 0"))
        simulation = simulate_budget(rules, inputs, read.budget, fee_rate)
    except ScaleError as error:  # an option with more decimals than the rule can use
        raise PayrollInputError(str(error)) from None
    except (LawNotInForce, UnknownParameter) as error:
        raise FieldError(
            "month",
            _("no %(country)s payroll law for %(month)s in the country profile: %(reason)s"),
            country=rules.country.upper(),
            month=f"{parse_month(question.month):%Y-%m}",
            reason=str(error),
        ) from None
    extra = budget_fields(simulation, question.days, inputs.hours)
    if simulation.payslip is None:
        return SalaryAnswer({"error": shortfall_message(simulation), **extra}, None, simulation)
    return SalaryAnswer({**simulation.payslip.as_dict(), **extra}, simulation.payslip, simulation)
