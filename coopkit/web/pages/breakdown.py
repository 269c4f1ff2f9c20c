"""Where a budget goes: the simulator's answer as the page shows it, in Money."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from coopkit.i18n import _
from coopkit.money import Money
from coopkit.payroll import PayLine, Simulation
from coopkit.payroll.cents import from_cents
from coopkit.web.charts import Segment, stacked_bar

# The budget, left to right: what the member gets, then what others take, then what is left.
SPLIT = (
    ("net_pay", _("Net pay")),
    ("income_tax_withheld", _("Income tax withheld")),
    ("employee_contributions", _("Employee contributions")),
    ("employer_contributions", _("Employer contributions")),
    ("fees", _("Coop fees")),
    ("unused", _("Left unused")),
)


@dataclass(frozen=True)
class LineView:
    """A payslip line with its amounts as Money and its legal source."""

    code: str
    label: str
    base: Money
    employee_rate: Decimal | None
    employer_rate: Decimal | None
    employee: Money
    employer: Money
    parameter: str
    source: str


@dataclass(frozen=True)
class Breakdown:
    """A budget that pays: the totals (``amounts``, by the names of :data:`SPLIT`, plus
    ``budget``, ``gross`` and ``employer_cost``), the split of the budget, the lines."""

    amounts: dict[str, Money]
    fee_rate: Decimal
    hours: Decimal | None
    segments: list[Segment]
    lines: list[LineView]


@dataclass(frozen=True)
class Shortfall:
    """A budget that cannot pay the minimum wage for the hours: what it would take."""

    budget: Money
    minimum_gross: Money
    minimum_total: Money
    missing: Money


def _line(line: PayLine, currency: str) -> LineView:
    def money(cents: int) -> Money:
        return Money(from_cents(cents), currency)

    return LineView(
        line.code,
        line.label,
        money(line.base_cents),
        line.employee_rate,
        line.employer_rate,
        money(line.employee_cents),
        money(line.employer_cents),
        line.parameter,
        line.source,
    )


def breakdown(simulation: Simulation, currency: str) -> Breakdown | Shortfall:
    """The page's view of a simulation, in ``currency``."""
    payslip = simulation.payslip
    if payslip is None:
        return Shortfall(
            Money(simulation.budget, currency),
            Money(simulation.minimum_gross, currency),
            Money(simulation.minimum_total, currency),
            Money(simulation.shortfall, currency),
        )
    amounts = {
        name: Money(payslip.amount(name), currency)
        for name in (
            "gross",
            "employee_contributions",
            "income_tax_withheld",
            "net_pay",
            "employer_contributions",
            "employer_cost",
        )
    }
    amounts["budget"] = Money(simulation.budget, currency)
    amounts["fees"] = Money(simulation.fees, currency)
    amounts["unused"] = amounts["budget"] - amounts["employer_cost"] - amounts["fees"]
    parts = [(key, label, amounts[key]) for key, label in SPLIT]
    return Breakdown(
        amounts=amounts,
        fee_rate=simulation.fee_rate,
        hours=payslip.inputs.hours,
        segments=stacked_bar(parts, amounts["budget"]),
        lines=[_line(line, currency) for line in payslip.lines],
    )
