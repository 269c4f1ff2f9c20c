"""Payroll rules as data: what a country plugin gives the engine for one month.

A country's :class:`PayrollRules` turns its dated legal parameters into a
:class:`Schedule` for a month and a *profile* (contract, category, company
facts). The schedule is plain data — bases, contributions with rates, brackets
in multiples of the ceiling, reduced rates, reductions, amounts by formula, a
withholding (grid or formula) — and
the engine evaluates it twice: one payslip at a time with Python integers
(:mod:`coopkit.payroll.compute`) and many at once with numpy
(:mod:`coopkit.payroll.vector`). Both give the same cents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, runtime_checkable

from coopkit.i18n import _
from coopkit.payroll.cents import RATE_SCALE, apply_rate, div_half_up, div_half_up_array, scaled

# Labels are stored in English and translated where a payslip is shown.
INCOME_TAX_LABEL = _("Income tax withheld at source")
SALARY_LABEL = _("Salary")


@dataclass(frozen=True)
class Rate:
    """A rate in force, with where it comes from. ``scaled`` is the rate × 10^6."""

    value: Decimal
    parameter: str
    source: str
    scaled: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scaled", scaled(self.value, RATE_SCALE, self.parameter))


@dataclass(frozen=True)
class Transition:
    """A reduced base for pay between ``low`` and ``high`` cents (Germany's transition zone).

    For ``low < gross <= high`` the base is ``F × low + (high − F × low) × (gross − low) /
    (high − low)``, computed exactly and rounded half-up once to the cent: ``F × low`` at the
    bottom of the zone, the gross itself at the top (SGB IV § 20 (2a)). ``factor`` None is
    F = 0, the employee's own base, which starts at nothing. Outside the zone the base is the
    gross.
    """

    low: int
    high: int
    factor: Rate | None = None

    def _terms(self) -> tuple[int, int, int]:
        factor = 0 if self.factor is None else self.factor.scaled
        span = self.high - self.low
        return factor * self.low * span, self.high * RATE_SCALE - factor * self.low, span

    def apply(self, gross: int) -> int:
        if not self.low < gross <= self.high:
            return gross
        start, slope, span = self._terms()
        return div_half_up(start + slope * (gross - self.low), RATE_SCALE * span)

    def apply_many(self, gross: Any) -> Any:
        import numpy as np

        start, slope, span = self._terms()
        inside = (gross > self.low) & (gross <= self.high)
        reduced = div_half_up_array(start + slope * (gross - self.low), RATE_SCALE * span)
        return np.where(inside, reduced, gross)


@dataclass(frozen=True)
class Base:
    """How a contribution base is derived from the gross pay (in cents).

    ``factor`` applies up to ``factor_cap`` × ceiling (all of the gross when
    ``factor_cap`` is None); the rest of the gross counts in full. The employer
    amounts of the lines in ``plus_employer_of`` are added (employer-paid health
    cover is part of the CSG base in France). Belgium's blue-collar 108 % is a
    base with factor 1.08. With ``include_gross=False`` the base is only the
    listed employer amounts (the French forfait social on provident cover).
    With a ``transition`` the gross is first reduced in that pay zone (Germany's
    midijobs).
    """

    name: str
    factor: Rate | None = None
    factor_cap: int | None = None
    plus_employer_of: tuple[str, ...] = ()
    include_gross: bool = True
    transition: Transition | None = None


@dataclass(frozen=True)
class ReducedRate:
    """A lower employer rate when the gross is at most ``max_multiple`` × a minimum wage.

    The minimum wage is ``hourly_cents`` × the person's paid hours (prorated for
    part time), so the threshold moves with working time.
    """

    rate: Rate
    max_multiple: Rate
    hourly_cents: int


@dataclass(frozen=True)
class Contribution:
    """One payslip line computed as base × rate, optionally within a bracket.

    ``lower`` and ``upper`` are multiples of the person's ceiling (tranches):
    ``lower=1, upper=8`` is "from 1 to 8 ceilings". With ``only_above_lower``
    the line applies to the whole bracket from 0 to ``upper`` but only when the
    gross exceeds ``lower`` ceilings (the French CET). ``taxable`` says whether
    the employee part lowers the income taxed at source.

    ``cap_cents`` caps the base at an absolute monthly amount, not prorated by
    hours (Germany's two contribution ceilings). With ``total_base`` the whole
    contribution is computed on that other base as two halves at the employer
    rate, each rounded; the employer pays it minus the employee's standard half
    (the employer rate on this line's base), so the employee's own surcharges
    stay theirs (SGB IV § 20 (2a): the transition zone's three steps).
    """

    code: str
    label: str
    base: str = "gross"
    employee: Rate | None = None
    employer: Rate | None = None
    lower: int = 0
    upper: int | None = None
    reduced: ReducedRate | None = None
    only_above_lower: bool = False
    taxable: bool = True
    employer_taxable: bool = False
    fixed_employee_cents: int = 0
    fixed_employer_cents: int = 0
    cap_cents: int | None = None
    total_base: str | None = None


@runtime_checkable
class Formula(Protocol):
    """A coefficient computed by formula (the French general reduction, a work bonus).

    ``coefficient`` and ``coefficients`` must agree exactly: the first on ints,
    the second on numpy int64 arrays. The coefficient is scaled by
    ``10**digits``; the line amount is ``round_half_up(gross × coefficient)``.
    """

    @property
    def digits(self) -> int: ...

    @property
    def parameter(self) -> str: ...

    @property
    def source(self) -> str: ...

    def coefficient(self, gross_cents: int, minimum_x: int) -> int: ...

    def coefficients(self, gross_cents: Any, minimum_x: Any) -> Any: ...


@dataclass(frozen=True)
class Reduction:
    """An employer (or employee) reduction: gross × a coefficient from a formula.

    ``minimum_x`` passed to the formula is the prorated minimum wage in 10^-4
    currency units (hourly cents × hundredths of hours), exact.
    """

    code: str
    label: str
    formula: Formula
    hourly_cents: int
    side: str = "employer"


@runtime_checkable
class AmountFormula(Protocol):
    """An amount computed by formula (a work bonus, a scale of fixed amounts), in cents.

    ``amount`` works on ints, ``amounts`` on numpy int64 arrays; they must agree
    exactly. ``base`` is the line's base (the gross or a derived base, cents),
    ``hours_c`` the paid hours × 100 and ``full_c`` the full-time hours × 100.
    """

    @property
    def parameter(self) -> str: ...

    @property
    def source(self) -> str: ...

    def amount(self, base: int, gross: int, hours_c: int, full_c: int) -> int: ...

    def amounts(self, base: Any, gross: Any, hours_c: Any, full_c: int) -> Any: ...


@dataclass(frozen=True)
class AmountLine:
    """A payslip line whose amount is a formula rather than base × rate.

    ``side`` is who pays or saves it (``"employee"`` or ``"employer"``); with
    ``reduces`` the amount lowers that side's contributions (a work bonus, a
    structural reduction), otherwise it adds to them (the Belgian special social
    security contribution). ``cap_line`` names a contribution the reduction may
    never exceed (what is left of its amount for that side after the reductions
    capped on it before). ``taxable`` says whether an employee amount changes the
    income taxed at source.
    """

    code: str
    label: str
    formula: AmountFormula
    base: str = "gross"
    side: str = "employee"
    reduces: bool = True
    cap_line: str | None = None
    taxable: bool = True


@dataclass(frozen=True)
class TaxPart:
    """One line of income tax withheld: the tax, or a reduction of it (negative cents)."""

    code: str
    label: str
    base_cents: int
    rate: Decimal | None
    cents: int
    parameter: str
    source: str


@runtime_checkable
class Withholding(Protocol):
    """How income tax is withheld from the taxable pay (a grid, a key formula).

    ``parts`` gives the lines of one payslip (their cents add up to the tax
    withheld); ``totals`` the tax withheld for arrays of taxable pay, identical to
    the sum of ``parts``. ``amounts`` are the amount lines of the payslip by code
    (cents, or arrays of cents), for taxes that depend on them (the Belgian fiscal
    work bonus). Both are called only for a positive taxable pay.
    """

    @property
    def parameter(self) -> str: ...

    @property
    def source(self) -> str: ...

    def parts(self, taxable: int, amounts: Mapping[str, int]) -> list[TaxPart]: ...

    def totals(self, taxable: Any, amounts: Mapping[str, Any]) -> Any: ...


@dataclass(frozen=True)
class WithholdingGrid:
    """Income tax withheld: the rate of the bracket the taxable net falls in, on all of it.

    ``brackets`` are (upper bound in cents, exclusive; None for the last, rate).
    A personal rate given in the inputs replaces the grid.
    """

    brackets: tuple[tuple[int | None, Rate], ...]
    parameter: str
    source: str

    def rate_for(self, taxable_cents: int) -> Rate:
        for upper, rate in self.brackets:
            if upper is None or taxable_cents < upper:
                return rate
        return self.brackets[-1][1]

    def parts(self, taxable: int, amounts: Mapping[str, int]) -> list[TaxPart]:
        rate = self.rate_for(taxable)
        return [
            TaxPart(
                "income_tax",
                INCOME_TAX_LABEL,
                taxable,
                rate.value,
                apply_rate(taxable, rate.scaled),
                rate.parameter,
                rate.source,
            )
        ]

    def totals(self, taxable: Any, amounts: Mapping[str, Any]) -> Any:
        import numpy as np

        rate = np.zeros_like(taxable)
        lower = None
        for upper, bracket_rate in self.brackets:
            inside = np.ones_like(taxable, dtype=bool) if upper is None else taxable < upper
            if lower is not None:
                inside &= taxable >= lower
            rate = np.where(inside, bracket_rate.scaled, rate)
            lower = upper
        return div_half_up_array(taxable * rate, RATE_SCALE)


@dataclass(frozen=True)
class Schedule:
    """Everything needed to compute payslips of one month for one profile.

    ``ceiling_cents`` is the full-time monthly ceiling (prorated per person by
    paid hours / ``full_time_hours_c``); hours are in hundredths (151.67 h →
    15167). Lines are evaluated in order: ``bases`` first (they may use the
    employer amounts of ``contributions`` listed before), then contributions,
    reductions, ``amounts`` (lines computed by formula), withholding.
    """

    country: str
    currency: str
    month: dt.date
    full_time_hours_c: int
    ceiling_cents: int
    ceiling_source: str
    bases: tuple[Base, ...]
    contributions: tuple[Contribution, ...]
    reductions: tuple[Reduction, ...] = ()
    withholding: Withholding | None = None
    amounts: tuple[AmountLine, ...] = ()

    def base(self, name: str) -> Base:
        for base in self.bases:
            if base.name == name:
                return base
        raise KeyError(f"{self.country}: no base {name!r} in the schedule of {self.month}")


@dataclass(frozen=True)
class InputSpec:
    """An input a country accepts (CLI option, CSV column, form field)."""

    name: str
    help: str
    choices: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True)
class MinimumWage:
    """The legal minimum for a number of paid hours in a month, with its source."""

    hourly: Decimal
    hours: Decimal
    amount: Decimal
    parameter: str
    source: str


@dataclass(frozen=True)
class Profile:
    """The facts a schedule depends on: contract, category and company facts.

    ``options`` hold the country's optional inputs (health cover, mobility levy
    rate…), as exact decimals or strings; unknown names are refused by the rules.
    """

    contract: str = "cdi"
    category: str = "non-executive"
    employees: int = 1
    accident_rate: Decimal = Decimal("0.009")
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def option(self, name: str) -> str | None:
        return dict(self.options).get(name)


@runtime_checkable
class PayrollRules(Protocol):
    """What a country plugin implements; the engine owns the pipeline around it."""

    country: str
    currency: str

    def inputs(self) -> Sequence[InputSpec]:
        """The profile facts and options the country accepts, with help texts."""
        ...

    def schedule(self, month: dt.date, profile: Profile) -> Schedule:
        """The rules in force in ``month`` for ``profile``; raise LawNotInForce/ValueError."""
        ...

    def minimum_wage(self, month: dt.date, hours: Decimal) -> MinimumWage:
        """The minimum gross for ``hours`` paid hours in ``month``."""
        ...

    def hours_for_days(self, month: dt.date, days: Decimal) -> Decimal:
        """Paid hours for ``days`` days worked in ``month`` (the simulator's days → hours)."""
        ...


def options_of(mapping: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """Options as a hashable, sorted tuple of (name, text) without empty values."""
    return tuple(sorted((k, str(v)) for k, v in mapping.items() if v not in (None, "")))


def input_defaults(rules: PayrollRules) -> dict[str, str]:
    """The country's default value of each input that has one (contract, category…)."""
    return {spec.name: spec.default for spec in rules.inputs() if spec.default is not None}
