"""German payroll rules: employees in statutory health insurance, regular jobs and minijobs.

Every value comes from ``country_profiles/de/payroll_*.yaml`` for the month paid;
this module only says which parameter feeds which line. The engine
(:mod:`coopkit.payroll`) evaluates the schedule built here.

Covered: health (general rate and the insurer's additional rate, the average by
default), long-term care (with the childless surcharge from 23 and the
reductions for the 2nd to 5th child under 25), pension and unemployment
insurance, each half employee, half employer, under their two ceilings; the
transition zone (midijobs, SGB IV § 20 (2a)) with its reduced bases; the
employer's insolvency levy (U3); minijobs with the employer's flat rates and the
employee's pension share (unless exempted); the wage tax, solidarity surcharge
and church tax by the BMF's PAP (:mod:`coopkit_de.lohnsteuer`).

Not covered (say so rather than guess): Saxony's long-term care split, the
employer levies U1 and U2 (each insurer's rates), accident insurance (by
sector), privately insured employees, the miners' scheme, trainees (no
transition zone for them), pay for short months (ceilings by calendar days),
one-off payments (Einmalzahlungen), the minijob's minimum pension base and
household minijobs, the factor method of class IV and registered allowances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

from coopkit.i18n import _
from coopkit.law import ParameterSet
from coopkit.payroll.cents import RATE_SCALE, scaled, to_cents
from coopkit.payroll.model import PayrollInputError
from coopkit.payroll.rules import (
    Base,
    Contribution,
    InputSpec,
    MinimumWage,
    Profile,
    Rate,
    Schedule,
    Transition,
)
from coopkit_de.lohnsteuer import Employee, Tariff, WageTax, WageTaxLaw

CONTRACTS = ("regular", "minijob")
CATEGORIES = ("employee",)
TAX_CLASSES = ("1", "2", "3", "4", "5", "6")
YES_NO = ("yes", "no")
STATES = (
    "BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH",
)  # fmt: skip
DEFAULT_CHURCH_RATE = Decimal("0.09")  # the rate of 14 of the 16 states
DEFAULT_AGE = "30"
SS = "payroll_social_security."
BASE = "payroll_base."
MJ = "payroll_minijob."
WT = "payroll_wage_tax."
OPTIONS = {
    "tax_class": "wage tax class (Steuerklasse) I to VI: 1 to 6",
    "children": "children under 25 (long-term care; child allowances by default)",
    "child_allowances": (
        "child allowances on the tax card (Kinderfreibeträge, e.g. 0.5, 1, 1.5); default: "
        "0.5 a child in classes I and II, 1 in III and IV, none in V and VI"
    ),
    "church_tax": "church member paying church tax: yes or no",
    "state": "federal state (BW, BY… ; church tax 8 % in BW and BY, 9 % elsewhere)",
    "church_tax_rate": "church tax rate, e.g. 0.09 (overrides the state's)",
    "health_extra_rate": "the health insurer's additional rate, e.g. 0.029 (default: the average)",
    "age": "age in years (the childless long-term care surcharge applies from 23)",
    "pension_exempt": "minijob: the employee is exempted from pension insurance: yes or no",
}


class GermanPayroll:
    """:class:`coopkit.payroll.PayrollRules` for Germany, bound to the German profile."""

    country = "DE"
    currency = "EUR"

    def __init__(self, law: ParameterSet) -> None:
        self.law = law
        self._schedules: dict[tuple[dt.date, Profile], Schedule] = {}

    # -- what the country accepts ------------------------------------------------------

    def inputs(self) -> Sequence[InputSpec]:
        return (
            InputSpec("contract", "contract type (regular job or minijob)", CONTRACTS, "regular"),
            InputSpec("category", "employee category", CATEGORIES, "employee"),
            InputSpec("tax_class", OPTIONS["tax_class"], TAX_CLASSES, "1"),
            InputSpec("children", OPTIONS["children"], (), "0"),
            InputSpec("child_allowances", OPTIONS["child_allowances"]),
            InputSpec("church_tax", OPTIONS["church_tax"], YES_NO, "no"),
            InputSpec("state", OPTIONS["state"], STATES),
            InputSpec("church_tax_rate", OPTIONS["church_tax_rate"]),
            InputSpec("health_extra_rate", OPTIONS["health_extra_rate"]),
            InputSpec("age", OPTIONS["age"], (), DEFAULT_AGE),
            InputSpec("pension_exempt", OPTIONS["pension_exempt"], YES_NO, "no"),
        )

    def hours_for_days(self, month: dt.date, days: Decimal) -> Decimal:
        return days * Decimal(self.law.value(BASE + "hours_per_day", month))

    def minimum_wage(self, month: dt.date, hours: Decimal) -> MinimumWage:
        entry = self.law.entry(BASE + "minimum_wage_hourly", month)
        hourly = Decimal(entry.value)
        amount = (hourly * hours).quantize(Decimal("0.01"), ROUND_CEILING)
        return MinimumWage(hourly, hours, amount, entry.parameter, entry.source)

    # -- the schedule ------------------------------------------------------------------

    def schedule(self, month: dt.date, profile: Profile) -> Schedule:
        key = (month.replace(day=1), profile)
        if key not in self._schedules:
            _check(profile)
            self._schedules[key] = self._build(key[0], profile)
        return self._schedules[key]

    def _rate(self, name: str, on: dt.date, value: Decimal | None = None) -> Rate:
        entry = self.law.entry(name, on)
        return Rate(Decimal(entry.value) if value is None else value, entry.parameter, entry.source)

    def _cents(self, name: str, on: dt.date) -> int:
        return to_cents(Decimal(self.law.value(name, on)))

    def _build(self, month: dt.date, profile: Profile) -> Schedule:
        minijob = profile.contract == "minijob"
        return Schedule(
            country=self.country,
            currency=self.currency,
            month=month,
            full_time_hours_c=scaled(self.law.value(BASE + "full_time_hours", month), 100),
            ceiling_cents=0,
            ceiling_source=(
                "two monthly ceilings, not prorated by hours: pension and unemployment, "
                "health and long-term care (payroll_social_security.*_ceiling)"
            ),
            bases=self._bases(month),
            contributions=tuple(
                self._minijob(month, profile) if minijob else self._regular(month, profile)
            ),
            withholding=None if minijob else self.wage_tax(month, profile),
        )

    def _bases(self, month: dt.date) -> tuple[Base, ...]:
        low = self._cents(BASE + "minijob_limit", month)
        high = self._cents(BASE + "transition_zone_upper", month)
        factor = self._rate(BASE + "transition_factor", month)
        return (
            Base("employee_share", transition=Transition(low, high)),
            Base("whole", transition=Transition(low, high, factor)),
        )

    def _half(self, name: str, month: dt.date) -> Rate:
        return self._rate(name, month, Decimal(self.law.value(name, month)) / 2)

    def _regular(self, month: dt.date, profile: Profile) -> list[Contribution]:
        pension_cap = self._cents(SS + "pension_ceiling", month)
        health_cap = self._cents(SS + "health_ceiling", month)
        extra = self._health_extra(month, profile)
        care = self._half(SS + "care_rate", month)

        def shared(
            code: str, label: str, rate: Rate, cap: int, employee: Rate | None = None
        ) -> Contribution:
            return Contribution(
                code,
                label,
                base="employee_share",
                total_base="whole",
                employee=employee or rate,
                employer=rate,
                cap_cents=cap,
                taxable=False,
            )

        return [
            shared(
                "health", _("Health insurance"), self._half(SS + "health_rate", month), health_cap
            ),
            shared("health_extra", _("Health insurance, additional rate"), extra, health_cap),
            shared(
                "care",
                _("Long-term care insurance"),
                care,
                health_cap,
                self._care_employee(month, profile, care),
            ),
            shared(
                "pension",
                _("Pension insurance"),
                self._half(SS + "pension_rate", month),
                pension_cap,
            ),
            shared(
                "unemployment",
                _("Unemployment insurance"),
                self._half(SS + "unemployment_rate", month),
                pension_cap,
            ),
            Contribution(
                "insolvency_levy",
                _("Insolvency benefit levy (U3)"),
                employer=self._rate(SS + "insolvency_levy_rate", month),
                cap_cents=pension_cap,
                taxable=False,
            ),
        ]

    def _minijob(self, month: dt.date, profile: Profile) -> list[Contribution]:
        full = Decimal(self.law.value(SS + "pension_rate", month))
        employer_pension = self._rate(MJ + "employer_pension", month)
        employee_pension = None
        if profile.option("pension_exempt") != "yes":
            employee_pension = Rate(
                full - employer_pension.value,
                SS + "pension_rate",
                "SGB VI § 168 (1) Nr. 1b: the full rate less the employer's 15 % "
                "(SGB VI § 172 (3)); exemption on request, SGB VI § 6 (1b)",
            )
        return [
            Contribution(
                "minijob_health",
                _("Health insurance, minijob flat rate"),
                employer=self._rate(MJ + "employer_health", month),
                taxable=False,
            ),
            Contribution(
                "minijob_pension",
                _("Pension insurance, minijob"),
                employee=employee_pension,
                employer=employer_pension,
                taxable=False,
            ),
            Contribution(
                "minijob_flat_tax",
                _("Flat-rate tax on a minijob (Pauschsteuer)"),
                employer=self._rate(MJ + "flat_tax", month),
                taxable=False,
            ),
            Contribution(
                "insolvency_levy",
                _("Insolvency benefit levy (U3)"),
                employer=self._rate(SS + "insolvency_levy_rate", month),
                taxable=False,
            ),
        ]

    def _health_extra(self, month: dt.date, profile: Profile) -> Rate:
        given = profile.option("health_extra_rate")
        if given is None:
            return self._half(SS + "health_average_extra_rate", month)
        rate = _fraction(given, "health_extra_rate")
        return Rate(
            rate / 2, "health_extra_rate", "the insurer's additional rate given in the inputs"
        )

    def _care_employee(self, month: dt.date, profile: Profile, care: Rate) -> Rate:
        """The employee's care rate: half the rate, + the childless surcharge or − reductions."""
        children = _whole(profile.option("children") or "0", "children")
        age = _whole(profile.option("age") or DEFAULT_AGE, "age")
        rate = care.value
        if children == 0 and age >= int(self.law.value(SS + "care_childless_age", month)):
            rate += Decimal(self.law.value(SS + "care_childless_surcharge", month))
        elif children >= 2:
            most = int(self.law.value(SS + "care_child_reduction_max_children", month))
            counted = min(children, most)
            rate -= (counted - 1) * Decimal(self.law.value(SS + "care_child_reduction", month))
        return Rate(rate, SS + "care_rate", care.source)

    # -- the wage tax ------------------------------------------------------------------

    def wage_tax(self, month: dt.date, profile: Profile) -> WageTax:
        """The PAP of ``month``'s year for the employee of ``profile``."""
        tariff = self.law.entry(WT + "tariff", month)
        care = self._half(SS + "care_rate", month)
        employee = Employee(
            tax_class=int(profile.option("tax_class") or "1"),
            child_allowances_tenths=self._child_allowances(profile),
            health_extra_rate=2 * self._health_extra(month, profile).scaled,
            care_rate=self._care_employee(month, profile, care).scaled,
            church_rate=self._church_rate(month, profile),
        )
        church = self.law.entry(WT + "church_tax_rate", month)
        return WageTax(
            law=self._wage_tax_law(month, tariff.value),
            employee=employee,
            parameter=tariff.parameter,
            source=tariff.source,
            solidarity_source=self.law.entry(WT + "solidarity_exemption", month).source,
            church_source=church.source,
        )

    def _wage_tax_law(self, month: dt.date, tariff: Mapping[str, Any]) -> WageTaxLaw:
        def value(name: str) -> Any:
            return self.law.value(WT + name, month)

        def rate(name: str) -> int:
            return scaled(Decimal(self.law.value(name, month)), RATE_SCALE, name)

        method = value("vorsorge_method")
        thresholds = value("class_five_thresholds")
        cap = value("vorsorge_cap")
        minimum = rate(WT + "vorsorge_minimum_rate") if method == "minimum_lump_sum" else 0
        return WageTaxLaw(
            tariff=_tariff(tariff),
            w1=int(thresholds["w1"]),
            w2=int(thresholds["w2"]),
            w3=int(thresholds["w3"]),
            class_five_decimals=int(thresholds["x_decimals"]),
            employee_allowance=int(value("employee_allowance")),
            special_expenses_allowance=int(value("special_expenses_allowance")),
            single_parent_relief=int(value("single_parent_relief")),
            child_allowance=int(value("child_allowance")),
            vorsorge_method=method,
            vorsorge_minimum_rate=minimum,
            vorsorge_cap=int(cap["general"]),
            vorsorge_cap_class_three=int(cap["class_three"]),
            pension_ceiling_cents=12 * self._cents(SS + "pension_ceiling", month),
            health_ceiling_cents=12 * self._cents(SS + "health_ceiling", month),
            pension_rate=rate(SS + "pension_rate") // 2,
            unemployment_rate=rate(SS + "unemployment_rate") // 2,
            health_rate=rate(WT + "vorsorge_health_rate") // 2,
            solidarity_rate=rate(WT + "solidarity_rate"),
            solidarity_taper_rate=rate(WT + "solidarity_taper_rate"),
            solidarity_exemption=int(value("solidarity_exemption")),
        )

    def _child_allowances(self, profile: Profile) -> int:
        tax_class = int(profile.option("tax_class") or "1")
        given = profile.option("child_allowances")
        if given is not None:
            tenths = 10 * _number(
                given, "child_allowances", Decimal(21), "give a number from 0 to 20"
            )
            if tenths != tenths.to_integral_value():
                raise PayrollInputError(
                    f"child_allowances {given!r}: give tenths at most, e.g. 0.5 or 1.5"
                )
            return int(tenths)
        children = _whole(profile.option("children") or "0", "children")
        per_child = {1: 5, 2: 5, 3: 10, 4: 10}.get(tax_class, 0)
        return children * per_child

    def _church_rate(self, month: dt.date, profile: Profile) -> int:
        if profile.option("church_tax") != "yes":
            return 0
        given = profile.option("church_tax_rate")
        if given is not None:
            return scaled(_fraction(given, "church_tax_rate"), RATE_SCALE, "church_tax_rate")
        state = profile.option("state")
        rates = self.law.value(WT + "church_tax_rate", month)
        rate = DEFAULT_CHURCH_RATE if state is None else Decimal(rates[state])
        return scaled(rate, RATE_SCALE, "church tax rate")


def _tariff(value: Mapping[str, Any]) -> Tariff:
    def hundredths(name: str) -> int:
        return scaled(Decimal(value[name]), 100, name)

    return Tariff(
        basic_allowance=int(value["basic_allowance"]),
        zone2_upper=int(value["zone2_upper"]),
        zone2_a=hundredths("zone2_a"),
        zone2_b=int(value["zone2_b"]),
        zone3_upper=int(value["zone3_upper"]),
        zone3_a=hundredths("zone3_a"),
        zone3_b=int(value["zone3_b"]),
        zone3_c=hundredths("zone3_c"),
        zone4_upper=int(value["zone4_upper"]),
        zone4_rate=hundredths("zone4_rate"),
        zone4_deduction=hundredths("zone4_deduction"),
        zone5_rate=hundredths("zone5_rate"),
        zone5_deduction=hundredths("zone5_deduction"),
    )


def _number(text: str, name: str, upper: Decimal, hint: str) -> Decimal:
    """``text`` as an exact decimal from 0 up to (not including) ``upper``, or a clear refusal."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or not Decimal(0) <= value < upper:
        raise PayrollInputError(f"{name} {text!r}: {hint}")
    return value


def _fraction(text: str, name: str) -> Decimal:
    return _number(text, name, Decimal(1), "not a rate: give a fraction such as 0.029")


def _whole(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise PayrollInputError(f"{name} {text!r} is not a whole number") from None


def _check(profile: Profile) -> None:
    if profile.contract not in CONTRACTS:
        raise PayrollInputError(
            f"unknown contract type {profile.contract!r} for Germany: use one of "
            f"{', '.join(CONTRACTS)}"
        )
    if profile.category not in CATEGORIES:
        raise PayrollInputError(
            f"unknown employee category {profile.category!r} for Germany: use one of "
            f"{', '.join(CATEGORIES)}"
        )
    unknown = {name for name, _value in profile.options} - set(OPTIONS)
    if unknown:
        raise PayrollInputError(
            f"unknown option(s) {sorted(unknown)} for Germany; known: {sorted(OPTIONS)}"
        )
    if (profile.option("tax_class") or "1") not in TAX_CLASSES:
        raise PayrollInputError(
            f"tax_class {profile.option('tax_class')!r}: use 1 to 6 (Steuerklasse I to VI)"
        )
    state = profile.option("state")
    if state is not None and state not in STATES:
        raise PayrollInputError(f"state {state!r}: use one of {', '.join(STATES)}")
    for name in ("children", "age"):
        if not 0 <= _whole(profile.option(name) or "0", name) <= 150:
            raise PayrollInputError(f"{name} must be between 0 and 150")
