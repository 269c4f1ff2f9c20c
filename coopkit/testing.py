"""The coopkit pytest plugin: the conformance kit for country-plugin authors.

Installed with coopkit (entry point ``pytest11``). A plugin's test suite
subclasses :class:`CountryConformance` and names its country::

    # plugins/coopkit-pt/tests/test_conformance.py
    from coopkit.testing import CountryConformance

    class TestConformance(CountryConformance):
        country = "PT"

which runs one test per check (``test_required_hooks``,
``test_parameters_sourced_and_dated``, ``test_law_in_force``,
``test_vat_rates``, ``test_identifiers``, ``test_holidays``,
``test_payroll_behaves``, ``test_documents_render``), so a failure names its
check, and each problem names the plugin, the hook or parameter at fault and
how to fix it. A check that does not apply (no payroll yet) is skipped with a
reason that says how to add it. :func:`conformance_problems` runs every check
at once and returns the problems as a list.

The checks live in :mod:`coopkit.conformance`; they are imported when a test
runs, so that loading this plugin costs every pytest session nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from functools import cache
from typing import TYPE_CHECKING, ClassVar

import pytest

from coopkit.conformance.hooks import OPTIONAL_HOOKS
from coopkit.hookspecs import PROJECT
from coopkit.plugins import NoPluginForCountry, PluginError, PluginHost

if TYPE_CHECKING:
    from coopkit.conformance.subject import Subject

__all__ = ["OPTIONAL_HOOKS", "CountryConformance", "conformance_problems", "placeholders"]


def conformance_problems(host: PluginHost, country: str, on: dt.date | None = None) -> list[str]:
    """Every check on the plugin serving ``country``, ``on`` taken as today (default: today).

    Returns the problems found, empty when the plugin conforms; checks that do not apply
    (an optional hook left out) are passed over.
    """
    from coopkit.conformance.checks import CHECKS, NotApplicable, Subject

    try:
        subject = Subject.of(host, country, on)
    except (NoPluginForCountry, PluginError) as error:
        return [str(error)]
    problems: list[str] = []
    for check in CHECKS.values():
        try:
            problems += check(subject)
        except NotApplicable:
            continue
    return problems


def placeholders(host: PluginHost, country: str) -> list[str]:
    """The placeholder values (``placeholder: true``) left in ``country``'s profile.

    Warnings, not problems: a plugin fresh from ``coopkit new-country`` has them.
    """
    from coopkit.conformance.placeholders import placeholder_notes
    from coopkit.conformance.subject import Subject

    return placeholder_notes(Subject.of(host, country))


@cache
def _environment_host(plugins: str | None) -> PluginHost:
    environ = dict(os.environ)
    if plugins is not None:
        environ["COOPKIT_LOAD_PLUGINS"] = plugins
    return PluginHost.from_environment(environ)


class CountryConformance:
    """The conformance kit as a test class: subclass it and set :attr:`country`.

    :attr:`plugins` restricts the entry points loaded (``"pt"``, as
    ``COOPKIT_LOAD_PLUGINS``; ``None`` loads every installed plugin) and
    :attr:`today` fixes the day taken as today (``None``: the real today). A
    test suite that builds its host another way overrides :meth:`make_host`.
    """

    pytestmark: ClassVar[list[pytest.MarkDecorator]] = [
        getattr(pytest.mark, f"{PROJECT}_conformance")
    ]
    country: ClassVar[str] = ""
    plugins: ClassVar[str | None] = None
    today: ClassVar[dt.date | None] = None

    @classmethod
    def make_host(cls) -> PluginHost:
        """The plugins to check, loaded once per set of entry points."""
        return _environment_host(cls.plugins)

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_subject(cls) -> Subject:
        from coopkit.conformance.subject import Subject

        if not cls.country:
            pytest.fail(
                f'{cls.__name__}: set `country = "PT"` (the ISO code the plugin serves)',
                pytrace=False,
            )
        try:
            return Subject.of(cls.make_host(), cls.country, cls.today)
        except (NoPluginForCountry, PluginError) as error:
            pytest.fail(str(error), pytrace=False)

    def _check(self, name: str, subject: Subject) -> None:
        from coopkit.conformance.checks import CHECKS, NotApplicable

        try:
            problems = CHECKS[name](subject)
        except NotApplicable as reason:
            pytest.skip(str(reason))
        if problems:
            listed = "\n".join(f"- {problem}" for problem in problems)
            pytest.fail(
                f"conformance check {name}: {len(problems)} problem(s)\n{listed}", pytrace=False
            )

    def test_required_hooks(self, conformance_subject: Subject) -> None:
        self._check("required_hooks", conformance_subject)

    def test_parameters_sourced_and_dated(self, conformance_subject: Subject) -> None:
        self._check("parameters_sourced_and_dated", conformance_subject)

    def test_law_in_force(self, conformance_subject: Subject) -> None:
        self._check("law_in_force", conformance_subject)

    def test_vat_rates(self, conformance_subject: Subject) -> None:
        self._check("vat_rates", conformance_subject)

    def test_identifiers(self, conformance_subject: Subject) -> None:
        self._check("identifiers", conformance_subject)

    def test_holidays(self, conformance_subject: Subject) -> None:
        self._check("holidays", conformance_subject)

    def test_payroll_behaves(self, conformance_subject: Subject) -> None:
        self._check("payroll_behaves", conformance_subject)

    def test_documents_render(self, conformance_subject: Subject) -> None:
        self._check("documents_render", conformance_subject)

    def test_placeholders(self, conformance_subject: Subject) -> None:
        """Warns (never fails) for each placeholder value left in the profile."""
        from coopkit.conformance.placeholders import PlaceholderWarning, placeholder_notes

        for note in placeholder_notes(conformance_subject):
            warnings.warn(PlaceholderWarning(note), stacklevel=1)


@pytest.fixture(scope="session")
def coopkit_host() -> PluginHost:
    """The plugins installed in the environment, as coopkit would load them."""
    return PluginHost.from_environment(os.environ)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{PROJECT}_conformance: a country-plugin conformance check")
