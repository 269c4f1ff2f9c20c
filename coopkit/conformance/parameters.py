"""Checks on the country profile: every value sourced and dated, and the law in force.

``coopkit/law.py`` already refuses, when it loads a profile, a value without a
source, dates out of order or repeated, overlapping values and a parameter named
twice in a file; :func:`check_parameters_sourced_and_dated` turns those into
problems and adds what loading cannot know: a gap between two values inside the
period the plugin claims. :func:`check_law_in_force` then asks every dated hook
the plugin implements for each day the law changes between ``covers_from`` and
today, so a parameter that starts too late or stops early is found.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

from coopkit.conformance.subject import Subject
from coopkit.law import LawNotInForce, ParameterSet, ProfileError, UnknownParameter
from coopkit.payroll.questions import parse_profile
from coopkit.plugins import PluginError

FAILURES = (LawNotInForce, PluginError, ProfileError, UnknownParameter, ValueError, KeyError)
ONE_DAY = dt.timedelta(days=1)


def check_parameters_sourced_and_dated(subject: Subject) -> list[str]:
    try:
        law = subject.host.law(subject.code)
    except ProfileError as error:
        return [
            subject.says(
                f"country profile {subject.country.profile_dir}",
                str(error),
                "fix the file and parameter named (docs/plugins.md, 'Law is data with a date')",
            )
        ]
    return _gaps(subject, law)


def _gaps(subject: Subject, law: ParameterSet) -> list[str]:
    problems = []
    for name in law:
        values = law[name].values
        for before, after in itertools.pairwise(values):
            if before.valid_until is None or before.valid_until + ONE_DAY >= after.valid_from:
                continue
            start, end = before.valid_until + ONE_DAY, after.valid_from - ONE_DAY
            if start <= subject.today and end >= subject.first_day:
                problems.append(
                    subject.says(
                        f"parameter {name} ({_file_of(law, name)})",
                        f"no value from {start} to {end} (the value from {before.valid_from} "
                        f"ends on {before.valid_until}, the next starts on {after.valid_from})",
                        "add the value in force in between with its source, or move valid_until",
                    )
                )
    return problems


def _file_of(law: ParameterSet, name: str) -> str:
    return str(law.origin / f"{name.split('.', 1)[0]}.yaml")


def change_days(law: ParameterSet, first: dt.date, last: dt.date) -> list[dt.date]:
    """``first``, ``last`` and every day between them on which a value starts or ends."""
    days = {first, last}
    for name in law:
        for value in law[name].values:
            days.add(value.valid_from)
            if value.valid_until is not None:
                days.add(value.valid_until + ONE_DAY)
    return sorted(day for day in days if first <= day <= last)


def dated_hooks(subject: Subject) -> dict[str, Callable[[dt.date], Any]]:
    """The hooks that take a day and the law, that the plugin implements, by name."""
    host, code = subject.host, subject.code
    calls: dict[str, Callable[[dt.date], Any]] = {
        "coopkit_vat_rates": lambda day: host.vat_rates(code, day),
        "coopkit_vat_exemptions": lambda day: host.vat_exemptions(code, day),
        "coopkit_invoice_mentions": lambda day: host.invoice_mentions(code, day),
        "coopkit_late_payment_terms": lambda day: host.late_payment_terms(code, day),
        "coopkit_chart_of_accounts": lambda day: host.chart_of_accounts(code, day),
        "coopkit_expense_categories": lambda day: host.expense_categories(code, day),
        "coopkit_assembly_rules": lambda day: host.assembly_rules(code, day),
        "coopkit_surplus_rules": lambda day: host.surplus_rules(code, day),
        "coopkit_share_rules": lambda day: host.share_rules(code, day),
        "coopkit_payroll_rules": lambda day: _payroll_schedule(subject, day),
    }
    return {hook: call for hook, call in calls.items() if hook in subject.implemented}


def _payroll_schedule(subject: Subject, day: dt.date) -> object:
    rules = subject.host.payroll_rules(subject.code)
    return rules.schedule(day.replace(day=1), parse_profile(rules, {}))


# Published after the fact (a late-payment rate each semester): the newest may be missing.
PUBLISHED_LATER = frozenset({"coopkit_late_payment_terms"})


def check_law_in_force(subject: Subject) -> list[str]:
    try:
        law = subject.host.law(subject.code)
    except ProfileError:
        return []  # reported by check_parameters_sourced_and_dated
    days = change_days(law, subject.first_day, subject.today)
    problems = []
    for hook, call in dated_hooks(subject).items():
        failed: list[tuple[dt.date, Exception]] = []
        answered: list[dt.date] = []
        for day in days:
            try:
                call(day)
            except FAILURES as error:
                failed.append((day, error))
            else:
                answered.append(day)
        if hook in PUBLISHED_LATER and answered:
            failed = [(day, error) for day, error in failed if day < answered[-1]]
        if failed:
            day, fault = failed[0]
            problems.append(
                subject.says(
                    f"hook {hook}",
                    f"fails on {day} ({len(failed)} of {len(days)} days checked from "
                    f"{subject.first_day} to {subject.today}): {fault}",
                    "add the values in force then to country_profiles/"
                    f"{subject.code.lower()}/ with their source, or move Country.covers_from "
                    "to the first day the plugin's law is complete",
                )
            )
    return problems
