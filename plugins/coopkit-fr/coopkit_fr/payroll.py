"""French payroll rules: private-sector employees (non-executive and executive, CDI/CDD).

Every rate comes from ``country_profiles/fr/payroll_*.yaml`` for the month paid;
this module only says which parameter feeds which line. The engine
(:mod:`coopkit.payroll`) evaluates the schedule built here.

Not covered (say so rather than guess): Alsace-Moselle, overseas departments,
apprentices and interns, multiple employers, the forfait social on employer
health/provident cover, overtime exemptions, the PEEC (50+), the contribution
supplémentaire à l'apprentissage (250+), and regularisation of the reduction
over the year (each month is computed on its own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal

from coopkit.i18n import _
from coopkit.law import ParameterSet
from coopkit.payroll.cents import scaled, to_cents
from coopkit.payroll.model import PayrollInputError
from coopkit.payroll.rules import (
    Base,
    Contribution,
    Formula,
    InputSpec,
    MinimumWage,
    Profile,
    Rate,
    ReducedRate,
    Reduction,
    Schedule,
    WithholdingGrid,
)
from coopkit_fr.reduction import Fillon, Rgdu

CONTRACTS = ("cdi", "cdd")
CATEGORIES = ("non-executive", "executive")
OPTIONS = {
    "health_cover_employer": "employer share of the health cover (mutuelle), EUR per month",
    "health_cover_employee": "employee share of the health cover, EUR per month",
    "provident_employer_rate": "employer provident (prévoyance) rate on gross pay, e.g. 0.005",
    "mobility_rate": "mobility levy (versement mobilité) rate of the workplace, e.g. 0.0295",
}
MAX_ACCIDENT_RATE = Decimal("0.3")
# Employer-paid health and provident cover: part of the CSG base, and of the forfait social.
WELFARE_LINES = ("executive_death_cover", "health_cover", "provident")
WELFARE_BASE = Base("welfare", plus_employer_of=WELFARE_LINES, include_gross=False)


class FrenchPayroll:
    """:class:`coopkit.payroll.PayrollRules` for France, bound to the French profile."""

    country = "FR"
    currency = "EUR"

    def __init__(self, law: ParameterSet) -> None:
        self.law = law
        self._schedules: dict[tuple[dt.date, Profile], Schedule] = {}

    # -- what the country accepts ------------------------------------------------------

    def inputs(self) -> Sequence[InputSpec]:
        return (
            InputSpec("contract", "contract type", CONTRACTS, "cdi"),
            InputSpec("category", "employee category", CATEGORIES, "non-executive"),
            InputSpec("employees", "company headcount (thresholds 11 and 50)", (), "1"),
            InputSpec("accident_rate", "accident-at-work rate notified by the CARSAT", (), "0.009"),
            *(InputSpec(name, text) for name, text in OPTIONS.items()),
        )

    def hours_for_days(self, month: dt.date, days: Decimal) -> Decimal:
        return days * Decimal(self.law.value("payroll_base.hours_per_day", month))

    def minimum_wage(self, month: dt.date, hours: Decimal) -> MinimumWage:
        entry = self.law.entry("payroll_base.minimum_wage_hourly", month)
        hourly = Decimal(entry.value)
        amount = (hourly * hours).quantize(Decimal("0.01"), ROUND_CEILING)
        return MinimumWage(hourly, hours, amount, entry.parameter, entry.source)

    # -- the schedule ------------------------------------------------------------------

    def schedule(self, month: dt.date, profile: Profile) -> Schedule:
        key = (month.replace(day=1), profile)
        if key not in self._schedules:
            self._check(profile)
            self._schedules[key] = self._build(key[0], profile)
        return self._schedules[key]

    def _check(self, profile: Profile) -> None:
        if profile.contract not in CONTRACTS:
            raise PayrollInputError(
                f"unknown contract type {profile.contract!r} for France: use one of "
                f"{', '.join(CONTRACTS)}"
            )
        if profile.category not in CATEGORIES:
            raise PayrollInputError(
                f"unknown employee category {profile.category!r} for France: use one of "
                f"{', '.join(CATEGORIES)}"
            )
        if profile.employees < 1:
            raise PayrollInputError("the company headcount must be at least 1")
        if not Decimal(0) <= profile.accident_rate <= MAX_ACCIDENT_RATE:
            raise PayrollInputError(
                f"accident-at-work rate {profile.accident_rate} is not plausible: give the "
                "rate notified by the CARSAT as a fraction (0.009 for 0.90 %)"
            )
        unknown = {name for name, _value in profile.options} - set(OPTIONS)
        if unknown:
            raise PayrollInputError(
                f"unknown option(s) {sorted(unknown)} for France; known: {sorted(OPTIONS)}"
            )

    def _rate(self, name: str, on: dt.date) -> Rate:
        entry = self.law.entry(name, on)
        return Rate(Decimal(entry.value), entry.parameter, entry.source)

    def _int(self, name: str, on: dt.date) -> int:
        return int(self.law.value(name, on))

    def _build(self, month: dt.date, profile: Profile) -> Schedule:
        ceiling = self.law.entry("payroll_base.ceiling_monthly", month)
        lines = [
            *self._social_security(month, profile),
            *self._unemployment_and_pension(month, profile),
            *self._training(month, profile),
            *self._options(month, profile),
            *self._csg(month),
        ]
        return Schedule(
            country=self.country,
            currency=self.currency,
            month=month,
            full_time_hours_c=scaled(self.law.value("payroll_base.full_time_hours", month), 100),
            ceiling_cents=to_cents(ceiling.value),
            ceiling_source=ceiling.source,
            bases=(self._csg_base(month), WELFARE_BASE),
            contributions=tuple(lines),
            reductions=(self._reduction(month, profile),),
            withholding=self._withholding(month),
        )

    def _reduced(self, month: dt.date, rate: str, threshold: str) -> ReducedRate | None:
        name = f"payroll_social_security.{rate}"
        if not any(value.holds_on(month) for value in self.law[name].values):
            return None
        hourly = self.law.value("payroll_social_security.threshold_minimum_wage_hourly", month)
        return ReducedRate(
            self._rate(name, month),
            self._rate(f"payroll_social_security.{threshold}", month),
            to_cents(hourly),
        )

    def _social_security(self, month: dt.date, profile: Profile) -> list[Contribution]:
        ss = "payroll_social_security."
        large = profile.employees >= self._int(ss + "housing_headcount_threshold", month)
        accident = Rate(
            profile.accident_rate,
            "accident_rate",
            "company input: rate notified by the CARSAT (CSS art. L242-5, D242-6-1)",
        )
        housing = Contribution(
            "housing",
            _("Housing aid fund (FNAL)"),
            employer=self._rate(
                ss + ("housing_large_employer" if large else "housing_small_employer"), month
            ),
            upper=None if large else 1,
        )
        return [
            Contribution(
                "old_age_capped",
                _("Old-age insurance, capped"),
                employee=self._rate(ss + "old_age_capped_employee", month),
                employer=self._rate(ss + "old_age_capped_employer", month),
                upper=1,
            ),
            Contribution(
                "old_age_uncapped",
                _("Old-age insurance, uncapped"),
                employee=self._rate(ss + "old_age_uncapped_employee", month),
                employer=self._rate(ss + "old_age_uncapped_employer", month),
            ),
            Contribution(
                "health",
                _("Health, maternity, disability, death"),
                employer=self._rate(ss + "health_employer", month),
                reduced=self._reduced(month, "health_employer_reduced", "health_reduced_threshold"),
            ),
            Contribution(
                "family",
                _("Family allowances"),
                employer=self._rate(ss + "family_employer", month),
                reduced=self._reduced(month, "family_employer_reduced", "family_reduced_threshold"),
            ),
            Contribution("accident", _("Accidents at work"), employer=accident),
            Contribution(
                "autonomy",
                _("Solidarity contribution for autonomy (CSA)"),
                employer=self._rate(ss + "solidarity_autonomy_employer", month),
            ),
            housing,
            Contribution(
                "social_dialogue",
                _("Social dialogue contribution"),
                employer=self._rate(ss + "social_dialogue_employer", month),
            ),
        ]

    def _unemployment_and_pension(self, month: dt.date, profile: Profile) -> list[Contribution]:
        un, pe = "payroll_unemployment.", "payroll_pension."
        cap = self._int(un + "unemployment_cap", month)
        lines = [
            Contribution(
                "unemployment",
                _("Unemployment insurance"),
                employer=self._rate(un + "unemployment_employer", month),
                upper=cap,
            ),
            Contribution(
                "wage_guarantee",
                _("Wage guarantee (AGS)"),
                employer=self._rate(un + "wage_guarantee_employer", month),
                upper=cap,
            ),
            Contribution(
                "pension_t1",
                _("Supplementary pension AGIRC-ARRCO, bracket 1"),
                employee=self._rate(pe + "t1_employee", month),
                employer=self._rate(pe + "t1_employer", month),
                upper=1,
            ),
            Contribution(
                "pension_t2",
                _("Supplementary pension AGIRC-ARRCO, bracket 2"),
                employee=self._rate(pe + "t2_employee", month),
                employer=self._rate(pe + "t2_employer", month),
                lower=1,
                upper=8,
            ),
            Contribution(
                "ceg_t1",
                _("General balancing contribution (CEG), bracket 1"),
                employee=self._rate(pe + "ceg_t1_employee", month),
                employer=self._rate(pe + "ceg_t1_employer", month),
                upper=1,
            ),
            Contribution(
                "ceg_t2",
                _("General balancing contribution (CEG), bracket 2"),
                employee=self._rate(pe + "ceg_t2_employee", month),
                employer=self._rate(pe + "ceg_t2_employer", month),
                lower=1,
                upper=8,
            ),
            Contribution(
                "cet",
                _("Technical balancing contribution (CET)"),
                employee=self._rate(pe + "cet_employee", month),
                employer=self._rate(pe + "cet_employer", month),
                lower=1,
                upper=8,
                only_above_lower=True,
            ),
        ]
        if profile.category == "executive":
            lines += [
                Contribution(
                    "apec",
                    _("Executive employment association (APEC)"),
                    employee=self._rate(pe + "apec_employee", month),
                    employer=self._rate(pe + "apec_employer", month),
                    upper=4,
                ),
                Contribution(
                    "executive_death_cover",
                    _("Executives' death cover (1.5 %)"),
                    employer=self._rate(pe + "executive_death_cover_employer", month),
                    upper=1,
                ),
            ]
        return lines

    def _training(self, month: dt.date, profile: Profile) -> list[Contribution]:
        tr = "payroll_training."
        large = profile.employees >= self._int(tr + "training_headcount_threshold", month)
        lines = [
            Contribution(
                "training",
                _("Vocational training contribution"),
                employer=self._rate(
                    tr + ("training_large_employer" if large else "training_small_employer"), month
                ),
            ),
            Contribution(
                "apprenticeship",
                _("Apprenticeship tax"),
                employer=self._rate(tr + "apprenticeship_tax", month),
            ),
        ]
        if profile.employees >= self._int(tr + "construction_headcount_threshold", month):
            lines.append(
                Contribution(
                    "construction",
                    _("Employers' contribution to housing construction (PEEC)"),
                    employer=self._rate(tr + "construction_employer", month),
                )
            )
        if profile.contract == "cdd":
            lines.append(
                Contribution(
                    "fixed_term_training",
                    _("Training contribution for fixed-term contracts (1 %)"),
                    employer=self._rate("payroll_unemployment.fixed_term_training_employer", month),
                )
            )
        return lines

    def _options(self, month: dt.date, profile: Profile) -> list[Contribution]:
        given = "company input"
        lines = []
        employer_cover = _amount(profile.option("health_cover_employer"))
        employee_cover = _amount(profile.option("health_cover_employee"))
        if employer_cover or employee_cover:
            lines.append(
                Contribution(
                    "health_cover",
                    _("Complementary health cover"),
                    fixed_employer_cents=to_cents(employer_cover),
                    fixed_employee_cents=to_cents(employee_cover),
                    employer_taxable=True,
                )
            )
        for code, label, option in (
            ("provident", _("Provident cover (prévoyance)"), "provident_employer_rate"),
            ("mobility", _("Mobility levy"), "mobility_rate"),
        ):
            value = profile.option(option)
            if value:
                lines.append(
                    Contribution(code, label, employer=Rate(Decimal(value), option, given))
                )
        ss = "payroll_social_security."
        if profile.employees >= self._int(ss + "welfare_levy_headcount_threshold", month):
            lines.append(
                Contribution(
                    "welfare_levy",
                    _("Forfait social on health and provident cover"),
                    base="welfare",
                    employer=self._rate(ss + "welfare_levy_employer", month),
                )
            )
        return lines

    def _csg_base(self, month: dt.date) -> Base:
        return Base(
            "csg",
            factor=self._rate("payroll_csg.abatement_factor", month),
            factor_cap=self._int("payroll_csg.abatement_cap", month),
            plus_employer_of=WELFARE_LINES,
        )

    def _csg(self, month: dt.date) -> list[Contribution]:
        return [
            Contribution(
                "csg_deductible",
                _("CSG, deductible from income tax"),
                base="csg",
                employee=self._rate("payroll_csg.deductible", month),
            ),
            Contribution(
                "csg_non_deductible",
                _("CSG, not deductible"),
                base="csg",
                employee=self._rate("payroll_csg.non_deductible", month),
                taxable=False,
            ),
            Contribution(
                "crds",
                _("CRDS"),
                base="csg",
                employee=self._rate("payroll_csg.crds", month),
                taxable=False,
            ),
        ]

    def _reduction(self, month: dt.date, profile: Profile) -> Reduction:
        rd = "payroll_reduction."
        large = profile.employees >= self._int(rd + "headcount_threshold", month)
        kind = self.law.entry(rd + "formula", month)
        exit_c = scaled(self.law.value(rd + "exit_multiple", month), 100)
        formula: Formula
        if kind.value == "fillon":
            maximum = self.law.entry(rd + ("max_large" if large else "max_small"), month)
            formula = Fillon(
                scaled(maximum.value, 10**4),
                exit_c,
                maximum.parameter,
                f"{kind.source}; T: {maximum.source}",
            )
        elif kind.value == "rgdu":
            delta = self.law.entry(rd + ("delta_large" if large else "delta_small"), month)
            formula = Rgdu(
                scaled(self.law.value(rd + "min_rate", month), 10**4),
                Decimal(delta.value),
                Decimal(self.law.value(rd + "power", month)),
                exit_c,
                delta.parameter,
                f"{kind.source}; Tdelta: {delta.source}",
            )
        else:
            raise PayrollInputError(
                f"{self.law.origin}: payroll_reduction.formula {kind.value!r} is unknown; "
                "use fillon or rgdu"
            )
        hourly = to_cents(self.law.value(rd + "minimum_wage_hourly", month))
        return Reduction(
            "general_reduction", _("General reduction of employer contributions"), formula, hourly
        )

    def _withholding(self, month: dt.date) -> WithholdingGrid:
        entry = self.law.entry("payroll_withholding.default_grid", month)
        brackets = tuple(
            (
                None if upper is None else to_cents(upper),
                Rate(Decimal(rate), entry.parameter, entry.source),
            )
            for upper, rate in entry.value
        )
        return WithholdingGrid(brackets, entry.parameter, entry.source)


def _amount(text: str | None) -> Decimal:
    if not text:
        return Decimal(0)
    value = Decimal(text)
    if value < 0:
        raise PayrollInputError(f"a health cover amount cannot be negative ({text})")
    return value
