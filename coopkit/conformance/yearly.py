"""Checks on what every invoice and calendar needs: VAT rates and public holidays."""

from __future__ import annotations

from decimal import Decimal

from coopkit.conformance.parameters import FAILURES, change_days
from coopkit.conformance.subject import Subject
from coopkit.countries import VatRate
from coopkit.law import ProfileError


def check_vat_rates(subject: Subject) -> list[str]:
    """On each day the law changes in the claimed period: the standard rate first, each rate
    an exact fraction with its source, codes unique."""
    try:
        law = subject.host.law(subject.code)
    except ProfileError:
        return []  # reported by check_parameters_sourced_and_dated
    problems: list[str] = []
    for day in change_days(law, subject.first_day, subject.today):
        try:
            rates = list(subject.host.vat_rates(subject.code, day))
        except FAILURES as error:
            return [
                subject.says(
                    "hook coopkit_vat_rates",
                    f"no VAT rates on {day}: {error}",
                    "record the rates in force from Country.covers_from in "
                    f"country_profiles/{subject.code.lower()}/vat.yaml",
                )
            ]
        problems += [
            subject.says("hook coopkit_vat_rates", f"on {day}: {fault}", fix)
            for fault, fix in _faults(rates)
        ]
        if problems:
            return problems
    return problems


def _faults(rates: list[VatRate]) -> list[tuple[str, str]]:
    if not rates:
        return [("returned no rate", "return at least the standard rate")]
    faults = []
    if rates[0].code != "standard":
        faults.append(
            (
                f"the first rate is {rates[0].code!r}",
                "list the standard rate first, code 'standard'",
            )
        )
    codes = [rate.code for rate in rates]
    if len(set(codes)) != len(codes):
        faults.append((f"codes repeat: {codes}", "give each rate its own code"))
    for rate in rates:
        if not isinstance(rate.rate, Decimal) or not Decimal(0) <= rate.rate < 1:
            faults.append(
                (
                    f"rate {rate.code!r} is {rate.rate!r}",
                    "give an exact Decimal fraction between 0 and 1 (0.21 for 21 %)",
                )
            )
        if not rate.source.strip():
            faults.append((f"rate {rate.code!r} has no source", "give its legal reference"))
    return faults


def check_holidays(subject: Subject) -> list[str]:
    """The public holidays of the claimed first year and of this year, in every locale."""
    problems = []
    for year in sorted({subject.first_day.year, subject.today.year}):
        for locale in subject.country.locales:
            where = f"hook coopkit_public_holidays (year {year}, language {locale})"
            try:
                found = list(subject.host.public_holidays(subject.code, year, locale))
            except FAILURES as error:
                problems.append(subject.says(where, f"fails: {error}", "return the holidays"))
                continue
            if not found:
                problems.append(
                    subject.says(where, "returned no holiday", "list the national holidays")
                )
            elif [h.day for h in found] != sorted(h.day for h in found):
                problems.append(subject.says(where, "holidays are not sorted", "sort them by day"))
            elif any(h.day.year != year or not h.name.strip() for h in found):
                problems.append(
                    subject.says(
                        where,
                        "a holiday is in another year or has no name",
                        f"return only days of {year}, each named",
                    )
                )
    return problems
