"""Belgian payroll rules: private-sector employees, white-collar and blue-collar.

Every value comes from ``country_profiles/be/payroll_*.yaml`` for the month
paid; this module only says which parameter feeds which line. The engine
(:mod:`coopkit.payroll`) evaluates the schedule built here.

Covered: the personal contribution (13,07 %, on 108 % for blue-collar workers),
the work bonus in two parts (never above the personal contribution), the
employer basic contribution and wage moderation, the special unemployment
contribution of employers of 10 or more, the blue-collar holiday contributions,
the special social security contribution (monthly scales by family situation),
and the withholding tax by the key formula of Annex III (scales I and II,
dependent children, single parents, fiscal work bonus), residents only.

Not covered (say so rather than guess): the structural reduction (quarterly;
its 2025-2026 parameters could not be sourced) and target-group reductions of
employer contributions, the Fonds de fermeture d'entreprises and other special
employer contributions, sector (joint committee) minimum wages and
contributions, holiday pay and end-of-year bonuses (and their
own withholding rates), the quarterly regularisation of the special
contribution, non-residents, disabled beneficiaries or dependants, dependants
other than children, students, flexi-jobs and apprentices.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Any

from coopkit.i18n import _
from coopkit.law import ParameterSet
from coopkit.payroll.cents import RATE_SCALE, scaled, to_cents
from coopkit.payroll.model import PayrollInputError
from coopkit.payroll.rules import (
    AmountLine,
    Base,
    Contribution,
    InputSpec,
    MinimumWage,
    Profile,
    Rate,
    Schedule,
)
from coopkit_be.formulas import COEFFICIENT_SCALE, NO_MAXIMUM, MonthlyScale, WorkBonusPart
from coopkit_be.withholding import KeyFormula

CONTRACTS = ("cdi", "cdd")
CATEGORIES = ("white-collar", "blue-collar")
FAMILIES = ("single", "partner-with-income", "partner-without-income")
OPTIONS = {
    "family": "family situation for withholding: " + ", ".join(FAMILIES),
    "children": "number of dependent children (a disabled child counts twice)",
}
MAX_CHILDREN = 20
SS = "payroll_social_security."
WB = "payroll_work_bonus."
WT = "payroll_withholding."
# Monthly withholding of the special social security contribution by family situation
# (taxed individually; jointly with a partner who has, or has not, a professional income).
SPECIAL_SCALES = {
    "single": "payroll_special_contribution.individual",
    "partner-with-income": "payroll_special_contribution.joint_partner_with_income",
    "partner-without-income": "payroll_special_contribution.joint_partner_without_income",
}


class BelgianPayroll:
    """:class:`coopkit.payroll.PayrollRules` for Belgium, bound to the Belgian profile."""

    country = "BE"
    currency = "EUR"

    def __init__(self, law: ParameterSet) -> None:
        self.law = law
        self._schedules: dict[tuple[dt.date, Profile], Schedule] = {}

    # -- what the country accepts ------------------------------------------------------

    def inputs(self) -> Sequence[InputSpec]:
        return (
            InputSpec("contract", "contract type (indefinite or fixed term)", CONTRACTS, "cdi"),
            InputSpec(
                "category", "worker category (blue-collar: on 108 %)", CATEGORIES, "white-collar"
            ),
            InputSpec(
                "employees", "headcount on 30 June of the year before (threshold 10)", (), "1"
            ),
            InputSpec("family", OPTIONS["family"], FAMILIES, "single"),
            InputSpec("children", OPTIONS["children"], (), "0"),
        )

    def hours_for_days(self, month: dt.date, days: Decimal) -> Decimal:
        return days * Decimal(self.law.value("payroll_base.hours_per_day", month))

    def minimum_wage(self, month: dt.date, hours: Decimal) -> MinimumWage:
        entry = self.law.entry("payroll_base.minimum_wage_monthly", month)
        full = Decimal(self.law.value("payroll_base.full_time_hours", month))
        monthly = Decimal(entry.value)
        amount = (monthly * min(hours, full) / full).quantize(Decimal("0.01"), ROUND_CEILING)
        hourly = (monthly / full).quantize(Decimal("0.0001"))
        return MinimumWage(hourly, hours, amount, entry.parameter, entry.source)

    # -- the schedule ------------------------------------------------------------------

    def schedule(self, month: dt.date, profile: Profile) -> Schedule:
        key = (month.replace(day=1), profile)
        if key not in self._schedules:
            _check(profile)
            self._schedules[key] = self._build(key[0], profile)
        return self._schedules[key]

    def _rate(self, name: str, on: dt.date) -> Rate:
        entry = self.law.entry(name, on)
        return Rate(Decimal(entry.value), entry.parameter, entry.source)

    def _build(self, month: dt.date, profile: Profile) -> Schedule:
        blue = profile.category == "blue-collar"
        factor = self._rate(SS + "blue_collar_factor", month) if blue else None
        return Schedule(
            country=self.country,
            currency=self.currency,
            month=month,
            full_time_hours_c=scaled(self.law.value("payroll_base.full_time_hours", month), 100),
            ceiling_cents=0,
            ceiling_source="Belgian contributions have no ceiling",
            bases=(Base("social", factor=factor),),
            contributions=tuple(self._contributions(month, profile)),
            amounts=(*self._work_bonus(month, blue), self._special_contribution(month, profile)),
            withholding=self._withholding(month, profile),
        )

    def _contributions(self, month: dt.date, profile: Profile) -> list[Contribution]:
        lines = [
            Contribution(
                "personal",
                _("Personal social security contribution"),
                base="social",
                employee=self._rate(SS + "personal", month),
            ),
            Contribution(
                "employer_basic",
                _("Employer basic contribution"),
                base="social",
                employer=self._rate(SS + "employer_basic", month),
            ),
            Contribution(
                "wage_moderation",
                _("Wage moderation contribution"),
                base="social",
                employer=self._rate(SS + "wage_moderation", month),
            ),
        ]
        threshold = int(self.law.value(SS + "large_employer_headcount", month))
        if profile.employees >= threshold:
            lines.append(
                Contribution(
                    "unemployment_large_employer",
                    _("Special unemployment contribution (10 workers or more)"),
                    base="social",
                    employer=self._rate(SS + "unemployment_large_employer", month),
                )
            )
        if profile.category == "blue-collar":
            lines += [
                Contribution(
                    "holiday_quarterly",
                    _("Annual holidays of blue-collar workers, quarterly contribution"),
                    base="social",
                    employer=self._rate(SS + "holiday_quarterly", month),
                ),
                Contribution(
                    "holiday_annual",
                    _("Annual holidays of blue-collar workers, yearly contribution"),
                    base="social",
                    employer=self._rate(SS + "holiday_annual", month),
                ),
            ]
        return lines

    def _work_bonus(self, month: dt.date, blue: bool) -> list[AmountLine]:
        prefix = WB + ("blue_collar_" if blue else "white_collar_")
        lines = []
        # Part A first: when the two parts exceed the personal contribution, B is cut
        # first, then A (see the header of payroll_work_bonus.yaml).
        for part, label in (("a", _("Work bonus, part A")), ("b", _("Work bonus, part B"))):
            entry = self.law.entry(prefix + part, month)
            value: Mapping[str, Any] = entry.value
            formula = WorkBonusPart(
                to_cents(value["maximum"]),
                to_cents(value["low"]),
                to_cents(value["high"]),
                scaled(value["coefficient"], COEFFICIENT_SCALE, entry.parameter),
                entry.parameter,
                entry.source,
            )
            lines.append(AmountLine(f"work_bonus_{part}", label, formula, cap_line="personal"))
        return lines

    def _special_contribution(self, month: dt.date, profile: Profile) -> AmountLine:
        entry = self.law.entry(SPECIAL_SCALES[_family(profile)], month)
        brackets = tuple(
            (
                to_cents(lower),
                to_cents(fixed),
                scaled(rate, RATE_SCALE, entry.parameter),
                to_cents(minimum),
                NO_MAXIMUM if maximum is None else to_cents(maximum),
            )
            for lower, fixed, rate, minimum, maximum in entry.value["brackets"]
        )
        formula = MonthlyScale(
            brackets, to_cents(entry.value["cap"]), entry.parameter, entry.source
        )
        return AmountLine(
            "special_contribution",
            _("Special social security contribution"),
            formula,
            base="social",
            reduces=False,
            taxable=False,
        )

    def _withholding(self, month: dt.date, profile: Profile) -> KeyFormula:
        def cents(name: str) -> int:
            return to_cents(self.law.value(WT + name, month))

        def rate(name: str) -> int:
            return scaled(self.law.value(name, month), RATE_SCALE, name)

        family = _family(profile)
        children = _children(profile)
        table = self.law.value(WT + "children_reduction", month)
        reduction = to_cents(table[min(children, len(table) - 1)])
        if children >= len(table):
            reduction += (children - len(table) + 1) * cents("extra_child_reduction")
        if family == "single" and children:
            reduction += cents("single_parent_reduction")
        quotient = None
        if family == "partner-without-income":
            quotient = (rate(WT + "quotient_rate"), cents("quotient_cap"))
        scale_entry = self.law.entry(WT + "scale", month)
        scale = tuple(
            (None if upper is None else to_cents(upper), scaled(value, RATE_SCALE))
            for upper, value in scale_entry.value
        )
        bonus_a = self.law.entry(WB + "fiscal_rate_a", month)
        return KeyFormula(
            step=cents("rounding_step"),
            expense_rate=rate(WT + "expense_rate"),
            expense_cap=cents("expense_cap"),
            scale=scale,
            exempt_reduction=cents("exempt_reduction"),
            quotient=quotient,
            family_reduction=reduction,
            fiscal_bonus=(
                ("work_bonus_a", scaled(bonus_a.value, RATE_SCALE)),
                ("work_bonus_b", rate(WB + "fiscal_rate_b")),
            ),
            parameter=scale_entry.parameter,
            source=scale_entry.source,
            bonus_source=bonus_a.source,
        )


def _family(profile: Profile) -> str:
    return profile.option("family") or "single"


def _children(profile: Profile) -> int:
    text = profile.option("children") or "0"
    try:
        return int(text)
    except ValueError:
        raise PayrollInputError(
            f"children {text!r} is not a whole number: give the number of dependent children"
        ) from None


def _check(profile: Profile) -> None:
    if profile.contract not in CONTRACTS:
        raise PayrollInputError(
            f"unknown contract type {profile.contract!r} for Belgium: use one of "
            f"{', '.join(CONTRACTS)}"
        )
    if profile.category not in CATEGORIES:
        raise PayrollInputError(
            f"unknown worker category {profile.category!r} for Belgium: use one of "
            f"{', '.join(CATEGORIES)}"
        )
    if profile.employees < 1:
        raise PayrollInputError("the company headcount must be at least 1")
    known = set(OPTIONS)
    unknown = {name for name, _value in profile.options} - known
    if unknown:
        raise PayrollInputError(
            f"unknown option(s) {sorted(unknown)} for Belgium; known: {sorted(known)}"
        )
    if _family(profile) not in FAMILIES:
        raise PayrollInputError(
            f"unknown family situation {_family(profile)!r} for Belgium: use one of "
            f"{', '.join(FAMILIES)}"
        )
    if not 0 <= _children(profile) <= MAX_CHILDREN:
        raise PayrollInputError(
            f"children must be between 0 and {MAX_CHILDREN}, not {_children(profile)}"
        )
