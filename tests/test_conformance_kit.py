"""The conformance kit can fail: each check, on a deliberately broken plugin, names the fault.

Tinyland (``XX``) is a made-up country whose plugin conforms; each test breaks
one thing — a missing hook, a parameter without source, overlapping values, a
payroll paying more net than gross, a validator accepting a corrupted number, a
template failing in one language — and reads the problem the kit reports.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum import luhn

from coopkit import hookimpl
from coopkit.conformance.checks import CHECKS, NotApplicable, Subject
from coopkit.conformance.identifiers import corrupted
from coopkit.countries import (
    Country,
    IdentifierCheck,
    IdentifierExamples,
    PublicHoliday,
    ShareRules,
    VatRate,
)
from coopkit.law import ParameterSet
from coopkit.payroll import Contribution, InputSpec, MinimumWage, Profile, Rate, Schedule
from coopkit.plugin_helpers import check_iban, check_with_stdnum, vat_rates_from_law
from coopkit.plugins import PluginHost
from coopkit.testing import CountryConformance, conformance_problems

PROFILE = Path(__file__).parent / "data" / "conformance" / "xx"
TODAY = dt.date(2026, 6, 15)
COVERS_FROM = dt.date(2025, 1, 1)
LUHN_EXAMPLE = "79927398713"  # the worked example of the Luhn algorithm (ISO/IEC 7812-1)


class TinyPayroll:
    """One contribution on the gross and a minimum wage by the hour, all from the profile."""

    country = "XX"
    currency = "EUR"

    def __init__(self, law: ParameterSet) -> None:
        self.law = law

    def _rate(self, name: str, month: dt.date) -> Rate:
        entry = self.law.entry(f"payroll.{name}", month)
        return Rate(entry.value, f"payroll.{name}", entry.source)

    def inputs(self) -> Sequence[InputSpec]:
        return (InputSpec("contract", "contract type", ("cdi",), "cdi"),)

    def schedule(self, month: dt.date, profile: Profile) -> Schedule:
        social = Contribution(
            "social",
            "Social security",
            employee=self._rate("employee_rate", month),
            employer=self._rate("employer_rate", month),
        )
        return Schedule(
            "XX", "EUR", month, 15000, 500000, "Tinyland Social Act s. 2", (), (social,)
        )

    def minimum_wage(self, month: dt.date, hours: Decimal) -> MinimumWage:
        entry = self.law.entry("payroll.minimum_hourly", month)
        amount = (entry.value * hours).quantize(Decimal("0.01"))
        return MinimumWage(entry.value, hours, amount, "payroll.minimum_hourly", entry.source)

    def hours_for_days(self, month: dt.date, days: Decimal) -> Decimal:
        return days * Decimal("7.5")


class Tinyland:
    """A conformant plugin for a made-up country; tests break it one hook at a time."""

    def __init__(self, profile: Path = PROFILE, documents: Path | None = None) -> None:
        self.profile = profile
        self.documents = documents

    @hookimpl
    def coopkit_country(self) -> Country:
        return Country(
            "XX",
            "Tinyland",
            "EUR",
            ("en", "fr_FR"),
            self.profile,
            documents_dir=self.documents,
            covers_from=COVERS_FROM,
        )

    @hookimpl
    def coopkit_validate_national_id(self, country: str, number: str) -> IdentifierCheck | None:
        return (
            check_with_stdnum(luhn, number, "national_id", label="ID") if country == "XX" else None
        )

    @hookimpl
    def coopkit_validate_vat_number(self, country: str, number: str) -> IdentifierCheck | None:
        return (
            check_with_stdnum(luhn, number, "vat", label="VAT number") if country == "XX" else None
        )

    @hookimpl
    def coopkit_validate_iban(self, country: str, iban: str) -> IdentifierCheck | None:
        return check_iban(iban) if country == "XX" else None

    @hookimpl
    def coopkit_identifier_examples(self, country: str) -> IdentifierExamples | None:
        if country != "XX":
            return None
        return IdentifierExamples(
            (LUHN_EXAMPLE,), (LUHN_EXAMPLE,), ("BE68539007547034",), "Luhn; IBAN Registry"
        )

    @hookimpl
    def coopkit_public_holidays(self, country: str, year: int) -> list[PublicHoliday] | None:
        return [PublicHoliday(dt.date(year, 1, 1), "New Year")] if country == "XX" else None

    @hookimpl
    def coopkit_vat_rates(
        self, country: str, on: dt.date, law: ParameterSet
    ) -> list[VatRate] | None:
        return list(vat_rates_from_law(law, on)) if country == "XX" else None

    @hookimpl
    def coopkit_share_rules(self, country: str, on: dt.date) -> ShareRules | None:
        if country != "XX":
            return None
        return ShareRules(COVERS_FROM, None, "", "nominal", "Coop Act s. 8", Decimal(0), "", "")

    @hookimpl
    def coopkit_payroll_rules(self, country: str, law: ParameterSet) -> TinyPayroll | None:
        return TinyPayroll(law) if country == "XX" else None


def problems(plugin: object, check: str | None = None) -> list[str]:
    host = PluginHost.from_plugins([("tinyland", plugin)])
    if check is None:
        return conformance_problems(host, "XX", TODAY)
    return CHECKS[check](Subject.of(host, "XX", TODAY))


def broken_profile(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "xx"
    shutil.copytree(PROFILE, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


class TestTinylandConforms(CountryConformance):
    """The kit's own test class, run on the conformant made-up plugin: every check passes."""

    country = "XX"
    today = TODAY

    @classmethod
    def make_host(cls) -> PluginHost:
        return PluginHost.from_plugins([("tinyland", Tinyland())])


def test_every_check_has_a_test_method() -> None:
    assert {f"test_{name}" for name in CHECKS} <= set(dir(CountryConformance))


# -- hooks ------------------------------------------------------------------------------


def test_a_missing_required_hook_is_named() -> None:
    class NoExamples(Tinyland):
        coopkit_identifier_examples = None  # type: ignore[assignment]  # not a hook any more

    (found,) = problems(NoExamples(), "required_hooks")
    assert found.startswith("plugin 'tinyland' (XX): hook coopkit_identifier_examples: is not")
    assert "docs/plugins.md" in found
    (found,) = problems(NoExamples(), "identifiers")
    assert "IdentifierExamples(" in found


def test_no_payroll_skips_with_how_to_add_it() -> None:
    class NoPayroll(Tinyland):
        coopkit_payroll_rules = None  # type: ignore[assignment]  # not a hook any more

    host = PluginHost.from_plugins([("tinyland", NoPayroll())])
    with pytest.raises(NotApplicable, match="implement coopkit_payroll_rules returning"):
        CHECKS["payroll_behaves"](Subject.of(host, "XX", TODAY))
    assert problems(NoPayroll()) == []  # optional: the plugin still conforms


# -- parameters -------------------------------------------------------------------------


def test_a_parameter_without_source_is_named(tmp_path: Path) -> None:
    folder = broken_profile(tmp_path, "vat.yaml", ", source: Tinyland VAT Act s. 2", "")
    (found,) = problems(Tinyland(folder), "parameters_sourced_and_dated")
    assert f"{folder / 'vat.yaml'}: vat.reduced value #1: missing source" in found
    assert "legal reference" in found


def test_overlapping_values_are_named(tmp_path: Path) -> None:
    folder = broken_profile(
        tmp_path,
        "payroll.yaml",
        "value: 0.25, source:",
        "valid_until: 2026-03-31, value: 0.25, source:",
    )
    (found,) = problems(Tinyland(folder), "parameters_sourced_and_dated")
    assert "payroll.employer_rate: the value from 2024-01-01 runs until 2026-03-31" in found
    assert "overlaps the value from 2026-01-01" in found


def test_a_repeated_valid_from_is_named(tmp_path: Path) -> None:
    folder = broken_profile(
        tmp_path, "payroll.yaml", "{valid_from: 2026-01-01", "{valid_from: 2024-01-01"
    )
    (found,) = problems(Tinyland(folder), "parameters_sourced_and_dated")
    assert "payroll.employer_rate: values must be in increasing date order without repeats" in found


def test_a_parameter_written_twice_is_named(tmp_path: Path) -> None:
    folder = broken_profile(tmp_path, "vat.yaml", "reduced:", "standard:")
    (found,) = problems(Tinyland(folder), "parameters_sourced_and_dated")
    assert "'standard' is written twice" in found


def test_a_gap_in_the_claimed_period_is_named(tmp_path: Path) -> None:
    # 0.25 ends on 2025-06-30, 0.26 starts on 2026-01-01: nothing from 2025-07-01 to 2025-12-31.
    folder = broken_profile(
        tmp_path,
        "payroll.yaml",
        "value: 0.25, source:",
        "valid_until: 2025-06-30, value: 0.25, source:",
    )
    (gap,) = problems(Tinyland(folder), "parameters_sourced_and_dated")
    assert "parameter payroll.employer_rate" in gap
    assert "no value from 2025-07-01 to 2025-12-31" in gap
    (fails,) = problems(Tinyland(folder), "law_in_force")
    assert "hook coopkit_payroll_rules: fails on 2025-07-01" in fails


def test_law_missing_from_covers_from_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "xx"
    shutil.copytree(PROFILE, folder)
    text = (folder / "vat.yaml").read_text(encoding="utf-8")
    (folder / "vat.yaml").write_text(text.replace("2024-01-01", "2025-03-01"), encoding="utf-8")
    found = problems(Tinyland(folder), "law_in_force")
    assert len(found) == 1
    assert "hook coopkit_vat_rates: fails on 2025-01-01" in found[0]
    assert "vat.standard: no value in force on 2025-01-01" in found[0]
    assert "Country.covers_from" in found[0]


def test_vat_rates_without_the_standard_rate_first() -> None:
    class Reversed(Tinyland):
        @hookimpl
        def coopkit_vat_rates(
            self, country: str, on: dt.date, law: ParameterSet
        ) -> list[VatRate] | None:
            return list(reversed(vat_rates_from_law(law, on))) if country == "XX" else None

    found = problems(Reversed(), "vat_rates")
    assert "hook coopkit_vat_rates: on 2025-01-01: the first rate is 'reduced'" in found[0]


def test_holidays_missing_in_a_year() -> None:
    class NoHolidays(Tinyland):
        @hookimpl
        def coopkit_public_holidays(self, country: str, year: int) -> list[PublicHoliday] | None:
            return [] if country == "XX" else None

    found = problems(NoHolidays(), "holidays")
    assert "hook coopkit_public_holidays (year 2025, language en): returned no holiday" in found[0]
    assert len(found) == 4  # two years × two languages


# -- payroll ----------------------------------------------------------------------------


def test_net_above_gross_is_named(tmp_path: Path) -> None:
    folder = broken_profile(tmp_path, "payroll.yaml", "value: 0.10,", "value: -0.10,")
    found = problems(Tinyland(folder), "payroll_behaves")
    # The minimum wage 12.00 × 150 h = 1800.00: net 1800 + 10 % = 1980.00.
    assert (
        "hook coopkit_payroll_rules (2025-01, 150.00 h): net pay 1980.00 exceeds the gross 1800.00"
        in found[0]
    )


def test_employer_cost_below_gross_is_named(tmp_path: Path) -> None:
    folder = broken_profile(tmp_path, "payroll.yaml", "value: 0.25,", "value: -0.25,")
    found = problems(Tinyland(folder), "payroll_behaves")
    # 1800.00 − 25 % = 1350.00
    assert "employer cost 1350.00 is below the gross 1800.00" in found[0]


def test_a_minimum_wage_of_nothing_is_named(tmp_path: Path) -> None:
    folder = broken_profile(tmp_path, "payroll.yaml", "value: 12.00,", "value: 0,")
    found = problems(Tinyland(folder), "payroll_behaves")
    assert "minimum wage 0.00 (source 'Tinyland Wage Act s. 1')" in found[0]


def test_a_minimum_wage_that_ignores_the_hours_is_named() -> None:
    class Flat(TinyPayroll):
        def minimum_wage(self, month: dt.date, hours: Decimal) -> MinimumWage:
            return super().minimum_wage(month, Decimal(150))

    class FlatMinimum(Tinyland):
        @hookimpl
        def coopkit_payroll_rules(self, country: str, law: ParameterSet) -> TinyPayroll | None:
            return Flat(law) if country == "XX" else None

    found = problems(FlatMinimum(), "payroll_behaves")
    # 12.00 × 150 h = 1800.00 whatever the hours: half time pays the full-time minimum.
    assert "the minimum wage for 75.00 h (1800.00) is not below the one for full time" in found[0]
    assert "prorate" in found[0]


# -- identifiers ------------------------------------------------------------------------


def test_corrupting_changes_the_check_digit_and_a_middle_digit() -> None:
    # The last digit +1, and the digit in the middle of the digits (6th of 11) +1.
    assert corrupted("79927398713") == ["79927398714", "79927498713"]
    # Letters and spaces stay: digits 6 8 5 3 9 0, the last and the 4th change.
    assert corrupted("BE68 5390") == ["BE68 5391", "BE68 5490"]
    assert corrupted("ABC") == []


def test_a_validator_accepting_a_corrupted_example_is_named() -> None:
    class Lenient(Tinyland):
        @hookimpl
        def coopkit_validate_national_id(self, country: str, number: str) -> IdentifierCheck | None:
            return IdentifierCheck(valid=True, compact=number) if country == "XX" else None

    found = problems(Lenient(), "identifiers")
    assert len(found) == 2
    assert "hook coopkit_validate_national_id: accepts '79927398714', the example " in found[0]
    assert "check digits" in found[0]


def test_a_validator_refusing_an_official_example_or_silent_is_named() -> None:
    class Strict(Tinyland):
        @hookimpl
        def coopkit_validate_vat_number(self, country: str, number: str) -> IdentifierCheck | None:
            return IdentifierCheck(valid=False) if country == "XX" else None

    found = problems(Strict(), "identifiers")
    assert (
        "hook coopkit_validate_vat_number: refuses the official example '79927398713'" in found[0]
    )
    assert "refuses '79927398714' without a message" in found[1]


def test_examples_for_a_validator_the_plugin_lacks() -> None:
    class CompanyExamples(Tinyland):
        @hookimpl
        def coopkit_identifier_examples(self, country: str) -> IdentifierExamples | None:
            return (
                IdentifierExamples(("1",), ("1",), ("1",), "", ("7",)) if country == "XX" else None
            )

    found = " | ".join(problems(CompanyExamples(), "identifiers"))
    assert "gives no source" in found
    assert "gives examples but the plugin does not implement coopkit_validate_company_id" in found


# -- documents --------------------------------------------------------------------------


def test_a_template_failing_in_one_locale_is_named(tmp_path: Path) -> None:
    (tmp_path / "payslip.html").write_text(
        '{% if locale == "fr_FR" %}{{ view.payslip.no_such_field }}{% endif %}{{ tenant.name }}',
        encoding="utf-8",
    )
    (found,) = problems(Tinyland(documents=tmp_path), "documents_render")
    assert f"document payslip.html (Country.documents_dir {tmp_path})" in found
    assert "does not render in fr_FR: UndefinedError" in found
    assert "no_such_field" in found


def test_a_broken_extra_template_is_named(tmp_path: Path) -> None:
    (tmp_path / "statutes_sc.html").write_text("{% if %}", encoding="utf-8")
    (found,) = problems(Tinyland(documents=tmp_path), "documents_render")
    assert "document statutes_sc.html" in found
    assert "is not a valid template" in found


# -- the test class ---------------------------------------------------------------------


def test_the_test_class_fails_with_every_problem_listed() -> None:
    class Lenient(Tinyland):
        @hookimpl
        def coopkit_validate_iban(self, country: str, iban: str) -> IdentifierCheck | None:
            return IdentifierCheck(valid=True) if country == "XX" else None

    class Checked(CountryConformance):
        country = "XX"
        today = TODAY

        @classmethod
        def make_host(cls) -> PluginHost:
            return PluginHost.from_plugins([("tinyland", Lenient())])

    subject = Subject.of(Checked.make_host(), "XX", TODAY)
    with pytest.raises(pytest.fail.Exception) as failed:
        Checked().test_identifiers(subject)
    message = str(failed.value)
    assert message.startswith("conformance check identifiers: 2 problem(s)\n- plugin 'tinyland'")
    assert "coopkit_validate_iban: accepts 'BE68539007547035'" in message


def test_a_country_no_plugin_serves() -> None:
    host = PluginHost.from_plugins([("tinyland", Tinyland())])
    (found,) = conformance_problems(host, "PT")
    assert "no plugin serves country 'PT'" in found
