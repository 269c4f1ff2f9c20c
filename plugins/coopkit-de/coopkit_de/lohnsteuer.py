"""The German wage tax withheld from a monthly pay, by the BMF's Programmablaufplan (PAP).

The PAP ("Programmablaufplan für die maschinelle Berechnung der vom Arbeitslohn
einzubehaltenden Lohnsteuer, des Solidaritätszuschlags und der Maßstabsteuer für
die Kirchenlohnsteuer") is the official flow every German payroll program
follows. This module follows the parts of it a monthly salary goes through —
MRE4JL, MZTABFB, UPEVP (with MVSP in 2025, MVSPKVPV and MVSPHB from 2026),
MLSTJAHR, UPMLST, UPTAB, MST5_6, UP5_6, MSOLZ and UPANTEIL — with the same
roundings, on integers: amounts in cents, rates scaled by 10^6, whole euros where
the PAP rounds to euros. Not followed: pensions (Versorgungsbezüge), the relief
for the elderly (Altersentlastungsbetrag), allowances and additions registered
for the employee (Freibetrag, Hinzurechnungsbetrag), the factor method (class IV
with factor), privately insured employees, other pay (sonstige Bezüge) and pay
periods other than the month.

:class:`WageTax` is a :class:`coopkit.payroll.Withholding`: ``parts`` gives the
lines Lohnsteuer, Solidaritätszuschlag and Kirchensteuer of one payslip and
``totals`` the same for a numpy array of pay. The PAP is too branchy to vectorise
usefully, so ``totals`` loops with ``np.frompyfunc`` over the distinct amounts;
both call the same function, so they agree to the cent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from coopkit.i18n import _
from coopkit.payroll.cents import RATE_SCALE
from coopkit.payroll.rules import TaxPart

MONTHS = 12
CENTS = 100
MINIMUM_LUMP_SUM = "minimum_lump_sum"  # PAP until 2025 (UPEVP with MVSP)
UNEMPLOYMENT_CAP = "unemployment_cap"  # PAP from 2026 (UPEVP with MVSPKVPV and MVSPHB)


def _euros_up(cents: int) -> int:
    """Cents rounded up to whole euros (the PAP's setScale(0, ROUND_UP)), still in cents."""
    return -(-cents // CENTS) * CENTS


def _times(cents: int, rate: int) -> int:
    """cents × rate (scaled by 10^6) rounded down to the cent (setScale(2, ROUND_DOWN))."""
    return cents * rate // RATE_SCALE


@dataclass(frozen=True)
class Tariff:
    """The income tax tariff of § 32a (1) EStG (UPTAB25 / UPTAB26 of the PAP).

    Bounds and allowances in euros; ``*_a``, ``*_rate`` in hundredths (932.30 →
    93230, 0.42 → 42); ``zone3_c`` and the deductions in cents.
    """

    basic_allowance: int
    zone2_upper: int
    zone2_a: int
    zone2_b: int
    zone3_upper: int
    zone3_a: int
    zone3_b: int
    zone3_c: int
    zone4_upper: int
    zone4_rate: int
    zone4_deduction: int
    zone5_rate: int
    zone5_deduction: int

    def tax(self, x: int) -> int:
        """The tax in whole euros (rounded down) on ``x`` cents of taxable income.

        The PAP's Y = (X − bound) / 10 000 with six decimals is exactly
        (x − bound in cents) / 10^6, so the zone formulas are integer divisions.
        """
        if x < (self.basic_allowance + 1) * CENTS:
            return 0
        if x < (self.zone2_upper + 1) * CENTS:
            y = x - self.basic_allowance * CENTS
            return (self.zone2_a * y + self.zone2_b * 10**8) * y // 10**14
        if x < (self.zone3_upper + 1) * CENTS:
            z = x - self.zone2_upper * CENTS
            return ((self.zone3_a * z + self.zone3_b * 10**8) * z + self.zone3_c * 10**12) // 10**14
        if x < (self.zone4_upper + 1) * CENTS:
            return (self.zone4_rate * x - self.zone4_deduction * CENTS) // 10**4
        return (self.zone5_rate * x - self.zone5_deduction * CENTS) // 10**4


@dataclass(frozen=True)
class WageTaxLaw:
    """The legal values of one year the PAP uses; euros unless the name says cents.

    Rates are scaled by 10^6. ``class_five_decimals`` is how many decimals the PAP
    keeps of 1.25 × and 0.75 × the income in UP5_6 (2 in 2025, 0 from 2026).
    """

    tariff: Tariff
    w1: int
    w2: int
    w3: int
    class_five_decimals: int
    employee_allowance: int
    special_expenses_allowance: int
    single_parent_relief: int
    child_allowance: int
    vorsorge_method: str
    vorsorge_minimum_rate: int
    vorsorge_cap: int
    vorsorge_cap_class_three: int
    pension_ceiling_cents: int  # a year
    health_ceiling_cents: int  # a year
    pension_rate: int  # the employee's half
    unemployment_rate: int  # the employee's half
    health_rate: int  # the employee's half of the reduced rate
    solidarity_rate: int
    solidarity_taper_rate: int
    solidarity_exemption: int


@dataclass(frozen=True)
class Employee:
    """The wage-tax facts of one employee (their ELStAM) and their insurance rates.

    ``child_allowances_tenths`` is the PAP's ZKF × 10 (1.5 → 15).
    ``health_extra_rate`` is the insurer's additional rate (KVZ / 100), ``care_rate``
    the employee's long-term care rate with surcharge or reductions (PVSATZAN),
    ``church_rate`` 0 when no church tax is due; all scaled by 10^6.
    """

    tax_class: int
    child_allowances_tenths: int
    health_extra_rate: int
    care_rate: int
    church_rate: int


@dataclass(frozen=True)
class Withheld:
    """The month's wage tax, solidarity surcharge and church tax, in cents."""

    wage_tax: int
    solidarity: int
    church: int

    @property
    def total(self) -> int:
        return self.wage_tax + self.solidarity + self.church


class _Year:
    """One run of the PAP for a year's pay (ZRE4 in cents) and an employee."""

    def __init__(self, law: WageTaxLaw, employee: Employee) -> None:
        self.law = law
        self.employee = employee
        self.tax_class = employee.tax_class
        self.splitting = 2 if employee.tax_class == 3 else 1  # KZTAB

    def fixed_allowances(self, pay: int) -> int:
        """MZTABFB: the lump sums in cents (ZTABFB), without the child allowances."""
        law = self.law
        allowance = 0
        if self.tax_class < 6 and pay > 0:
            lump = law.employee_allowance * CENTS
            allowance = _euros_up(pay) if pay < lump else lump
        if self.tax_class < 6:
            allowance += law.special_expenses_allowance * CENTS
        if self.tax_class == 2:
            allowance += law.single_parent_relief * CENTS
        return allowance

    def child_allowances(self) -> int:
        """MZTABFB: KFB in cents (whole euros); class IV counts half of each allowance."""
        if self.tax_class > 4:
            return 0
        per_child = self.law.child_allowance // (2 if self.tax_class == 4 else 1)
        return self.employee.child_allowances_tenths * per_child // 10 * CENTS

    def vorsorge(self, pay: int) -> int:
        """UPEVP: the lump sum for insurance contributions (VSP), whole euros in cents."""
        law, employee = self.law, self.employee
        pension_base = min(pay, law.pension_ceiling_cents)
        health_base = min(pay, law.health_ceiling_cents)
        pension = _times(pension_base, law.pension_rate)  # VSP1 / VSPR
        health_care = _times(
            health_base, law.health_rate + employee.health_extra_rate // 2 + employee.care_rate
        )  # VSP3 / VSPKVPV
        lump = _euros_up(health_care + pension)
        if law.vorsorge_method == MINIMUM_LUMP_SUM:
            cap = law.vorsorge_cap_class_three if self.tax_class == 3 else law.vorsorge_cap
            minimum = min(_times(pension_base, law.vorsorge_minimum_rate), cap * CENTS)  # VSP2
            return max(lump, _euros_up(pension + minimum))  # VSPN
        if self.tax_class == 6:
            return lump
        unemployment = _times(pension_base, law.unemployment_rate)  # VSPALV
        capped = min(unemployment + health_care, law.vorsorge_cap * CENTS)  # VSPHB
        return max(lump, _euros_up(pension + capped))  # VSPN

    def tax(self, pay: int, allowances: int) -> int:
        """MLSTJAHR and UPMLST: the year's tax in whole euros on ``pay`` less ``allowances``."""
        income = pay - allowances - self.vorsorge(pay)  # ZVE
        x = 0 if income < CENTS else income // (CENTS * self.splitting) * CENTS
        if self.tax_class < 5:
            return self.law.tariff.tax(x) * self.splitting
        return self._class_five(x // CENTS)

    def _up5_6(self, zx: int) -> int:
        """UP5_6: twice the tax difference of 1.25 × and 0.75 × ZX, at least 14 % of ZX."""
        step = 10 ** (2 - self.law.class_five_decimals)  # cents kept of 1.25 × ZX
        high = zx * 125 // step * step  # ZX × 1.25 in cents, rounded down
        low = zx * 75 // step * step
        difference = (self.law.tariff.tax(high) - self.law.tariff.tax(low)) * 2
        return max(zx * 14 // 100, difference)

    def _class_five(self, zzx: int) -> int:
        """MST5_6: the tax of classes V and VI on ``zzx`` whole euros."""
        law = self.law
        if zzx > law.w2:
            tax = self._up5_6(law.w2)
            if zzx > law.w3:
                tax = (tax * 100 + (law.w3 - law.w2) * 42) // 100
                return (tax * 100 + (zzx - law.w3) * 45) // 100
            return (tax * 100 + (zzx - law.w2) * 42) // 100
        tax = self._up5_6(zzx)
        if zzx > law.w1:
            high = (self._up5_6(law.w1) * 100 + (zzx - law.w1) * 42) // 100
            tax = min(tax, high)
        return tax


@lru_cache(maxsize=4096)
def withheld(law: WageTaxLaw, employee: Employee, monthly_pay: int) -> Withheld:
    """The PAP for a monthly pay of ``monthly_pay`` cents (LZZ = 2): MBERECH and MSOLZ."""
    if monthly_pay <= 0:
        return Withheld(0, 0, 0)
    year = _Year(law, employee)
    pay = monthly_pay * MONTHS  # ZRE4J
    fixed = year.fixed_allowances(pay)
    wage_tax_year = year.tax(pay, fixed)  # LSTJAHR (f = 1)
    wage_tax = wage_tax_year * CENTS // MONTHS  # UPANTEIL
    if employee.child_allowances_tenths > 0:
        base = year.tax(pay, fixed + year.child_allowances())  # JBMG
    else:
        base = wage_tax_year
    exemption = law.solidarity_exemption * year.splitting
    solidarity = 0
    if base > exemption:
        full = _times(base * CENTS, law.solidarity_rate)
        tapered = _times((base - exemption) * CENTS, law.solidarity_taper_rate)
        solidarity = min(full, tapered) // MONTHS
    church = 0
    if employee.church_rate:
        church = _times(base * CENTS // MONTHS, employee.church_rate)  # BK × rate
    return Withheld(wage_tax, solidarity, church)


@dataclass(frozen=True)
class WageTax:
    """:class:`coopkit.payroll.Withholding` for Germany: one employee's PAP for one month."""

    law: WageTaxLaw
    employee: Employee
    parameter: str
    source: str
    solidarity_source: str
    church_source: str

    def parts(self, taxable: int, amounts: Mapping[str, int]) -> list[TaxPart]:
        result = withheld(self.law, self.employee, taxable)
        parts = [
            TaxPart(
                "wage_tax",
                _("Wage tax (Lohnsteuer)"),
                taxable,
                None,
                result.wage_tax,
                self.parameter,
                self.source,
            )
        ]
        if result.solidarity:
            parts.append(
                TaxPart(
                    "solidarity_surcharge",
                    _("Solidarity surcharge (Solidaritätszuschlag)"),
                    taxable,
                    None,
                    result.solidarity,
                    "payroll_wage_tax.solidarity_rate",
                    self.solidarity_source,
                )
            )
        if result.church:
            parts.append(
                TaxPart(
                    "church_tax",
                    _("Church tax (Kirchensteuer)"),
                    taxable,
                    None,
                    result.church,
                    "payroll_wage_tax.church_tax_rate",
                    self.church_source,
                )
            )
        return parts

    def totals(self, taxable: Any, amounts: Mapping[str, Any]) -> Any:
        import numpy as np

        one = np.frompyfunc(lambda pay: withheld(self.law, self.employee, int(pay)).total, 1, 1)
        return np.asarray(one(np.asarray(taxable)), dtype=np.int64)
