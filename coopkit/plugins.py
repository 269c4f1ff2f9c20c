"""Loading country plugins and calling them through a typed facade.

Plugins are found through the entry-point group ``coopkit``; the first-party
plugins (``plugins/coopkit-be``, ``plugins/coopkit-fr``) are installed and
found exactly like a third-party one. Three environment variables steer it:

``COOPKIT_LOAD_PLUGINS``
    comma-separated entry-point names to load, and no others (empty: none);
``COOPKIT_DISABLED_PLUGINS``
    comma-separated entry-point names to skip;
``COOPKIT_TRACE_PLUGINS``
    ``1`` prints every hook call and its result to standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pluggy

from coopkit import hookspecs
from coopkit.countries import (
    Country,
    ExpenseCategory,
    IdentifierCheck,
    IdentifierExamples,
    InvoiceMentions,
    LatePaymentTerms,
    PluginInfo,
    PublicHoliday,
    ShareRules,
    SurplusRules,
    VatExemption,
    VatRate,
)
from coopkit.i18n import add_catalog_dir
from coopkit.law import ParameterSet, load_profile

if TYPE_CHECKING:
    from coopkit.governance.rules import AssemblyRules
    from coopkit.ledger.chart import AccountDefinition
    from coopkit.payroll.rules import PayrollRules

ENTRY_POINT_GROUP = "coopkit"


class PluginError(RuntimeError):
    """A plugin that cannot be loaded or that breaks the contract."""


class NoPluginForCountry(LookupError):
    """No installed plugin serves a country."""

    def __init__(self, country: str, known: Iterable[str]) -> None:
        self.country = country
        served = ", ".join(sorted(known)) or "none"
        super().__init__(
            f"no plugin serves country {country!r} (served: {served}); install its plugin "
            f"(pip install coopkit-{country.lower()}) or create one with "
            f"`coopkit new-country --code {country.lower()}`"
        )


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _make_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    return manager


class PluginHost:
    """The engine's view of its plugins: one typed method per hook.

    Build it with :meth:`from_environment` (entry points, steered by the
    ``COOPKIT_*_PLUGINS`` variables) or :meth:`from_plugins` (explicit objects,
    for tests).
    """

    def __init__(
        self,
        manager: pluggy.PluginManager,
        profiles_dir: Path | None = None,
        versions: Mapping[str, str] | None = None,
    ) -> None:
        try:
            manager.check_pending()
        except pluggy.PluginValidationError as error:
            raise PluginError(f"{error}: rename it to a hook of coopkit/hookspecs.py") from None
        self.manager = manager
        self.profiles_dir = profiles_dir
        self.versions = dict(versions or {})
        self._laws: dict[str, ParameterSet] = {}
        self._payroll: dict[str, PayrollRules] = {}
        for _name, plugin in manager.list_name_plugin():
            module_file = getattr(plugin, "__file__", None)
            if module_file:
                add_catalog_dir(Path(module_file).parent / "locale")

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] | None = None, profiles_dir: Path | None = None
    ) -> PluginHost:
        import os

        env = os.environ if environ is None else environ
        allowed = _names(env.get("COOPKIT_LOAD_PLUGINS"))
        disabled = _names(env.get("COOPKIT_DISABLED_PLUGINS")) or set()
        manager = _make_manager()
        versions: dict[str, str] = {}
        for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if (allowed is not None and entry_point.name not in allowed) or (
                entry_point.name in disabled
            ):
                continue
            try:
                plugin = entry_point.load()
            except Exception as error:
                raise PluginError(
                    f"plugin {entry_point.name!r} ({entry_point.value}) failed to load: {error}"
                ) from error
            _register(manager, plugin, entry_point.name)
            if entry_point.dist is not None:
                versions[entry_point.name] = entry_point.dist.version
        if env.get("COOPKIT_TRACE_PLUGINS", "") not in ("", "0"):
            manager.trace.root.setwriter(lambda text: sys.stderr.write(text))
            manager.enable_tracing()
        return cls(manager, profiles_dir, versions)

    @classmethod
    def from_plugins(
        cls, plugins: Iterable[tuple[str, object]], profiles_dir: Path | None = None
    ) -> PluginHost:
        manager = _make_manager()
        for name, plugin in plugins:
            _register(manager, plugin, name)
        return cls(manager, profiles_dir)

    @property
    def hook(self) -> Any:
        return self.manager.hook

    # -- what plugins serve -------------------------------------------------------

    @cached_property
    def countries(self) -> dict[str, Country]:
        """Every served country by code; two plugins serving one country is an error."""
        served: dict[str, Country] = {}
        for impl in self.manager.hook.coopkit_country.get_hookimpls():
            found = impl.function()
            if found is None:
                continue
            country = _with_plugin(cast(Country, found), impl.plugin_name)
            if country.code in served:
                raise PluginError(
                    f"country {country.code} is served by both {served[country.code].plugin!r} "
                    f"and {impl.plugin_name!r}: disable one with COOPKIT_DISABLED_PLUGINS"
                )
            served[country.code] = country
        return served

    def country(self, code: str) -> Country:
        """The country served for ``code``; raises NoPluginForCountry."""
        try:
            return self.countries[code.upper()]
        except KeyError:
            raise NoPluginForCountry(code.upper(), self.countries) from None

    def law(self, code: str) -> ParameterSet:
        """The country's dated legal parameters, loaded and checked once."""
        country = self.country(code)
        if country.code not in self._laws:
            folder = country.profile_dir
            if (
                self.profiles_dir is not None
                and (self.profiles_dir / country.code.lower()).is_dir()
            ):
                folder = self.profiles_dir / country.code.lower()
            self._laws[country.code] = load_profile(country.code, folder)
        return self._laws[country.code]

    def check(self) -> None:
        """Load every served country's profile now, so a bad plugin or parameter file
        stops start-up with its message instead of failing a request later."""
        for code in self.countries:
            self.law(code)

    def plugins(self) -> list[PluginInfo]:
        """The loaded plugins with their distribution version and the hooks they implement."""
        infos = []
        for name, plugin in sorted(self.manager.list_name_plugin()):
            hooks = tuple(sorted(c.name for c in self.manager.get_hookcallers(plugin) or []))
            infos.append(PluginInfo(name=name, version=self.versions.get(name, "-"), hooks=hooks))
        return infos

    # -- one method per firstresult hook ---------------------------------------------

    def _first(self, hook_name: str, country: str, **kwargs: Any) -> Any:
        code = self.country(country).code
        result = getattr(self.manager.hook, hook_name)(country=code, **kwargs)
        if result is None:
            raise PluginError(
                f"the plugin {self.country(code).plugin!r} serving {code} does not implement "
                f"{hook_name}; see docs/plugins.md"
            )
        return result

    def validate_national_id(self, country: str, number: str) -> IdentifierCheck:
        return self._first("coopkit_validate_national_id", country, number=number)  # type: ignore[no-any-return]

    def validate_vat_number(self, country: str, number: str) -> IdentifierCheck:
        return self._first("coopkit_validate_vat_number", country, number=number)  # type: ignore[no-any-return]

    def validate_company_id(self, country: str, number: str) -> IdentifierCheck:
        return self._first("coopkit_validate_company_id", country, number=number)  # type: ignore[no-any-return]

    def validate_iban(self, country: str, iban: str) -> IdentifierCheck:
        return self._first("coopkit_validate_iban", country, iban=iban)  # type: ignore[no-any-return]

    def identifier_examples(self, country: str) -> IdentifierExamples:
        """Official valid examples of the country's identifiers (for the conformance kit)."""
        return self._first("coopkit_identifier_examples", country)  # type: ignore[no-any-return]

    def public_holidays(
        self, country: str, year: int, language: str = "en"
    ) -> Sequence[PublicHoliday]:
        return self._first("coopkit_public_holidays", country, year=year, language=language)  # type: ignore[no-any-return]

    def vat_rates(self, country: str, on: date) -> Sequence[VatRate]:
        return self._first("coopkit_vat_rates", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def vat_exemptions(self, country: str, on: date) -> Sequence[VatExemption]:
        """The exemptions and special schemes in force; none when the plugin has no such hook."""
        if not self.implements(country, "coopkit_vat_exemptions"):
            return []
        return self._first("coopkit_vat_exemptions", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def invoice_mentions(self, country: str, on: date) -> InvoiceMentions:
        """The country's own invoice mentions; none when the plugin has no such hook."""
        if not self.implements(country, "coopkit_invoice_mentions"):
            return InvoiceMentions()
        return self._first("coopkit_invoice_mentions", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def late_payment_terms(self, country: str, on: date) -> LatePaymentTerms | None:
        """The country's late-payment interest and compensation on ``on``; ``None`` when the
        plugin has no such hook. Raises LawNotInForce when no rate is recorded for ``on``."""
        if not self.implements(country, "coopkit_late_payment_terms"):
            return None
        return self._first("coopkit_late_payment_terms", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def assembly_rules(self, country: str, on: date) -> AssemblyRules | None:
        """The general-assembly rules of the country's law on ``on``; ``None`` when the
        plugin has no such hook (the engine's defaults apply then)."""
        if not self.implements(country, "coopkit_assembly_rules"):
            return None
        return self._first("coopkit_assembly_rules", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def surplus_rules(self, country: str, on: date) -> SurplusRules:
        """The surplus rules of the country's law on ``on``; no bound when the plugin has
        no such hook (only the arithmetic of a split is checked then)."""
        if not self.implements(country, "coopkit_surplus_rules"):
            return SurplusRules()
        return self._first("coopkit_surplus_rules", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def share_rules(self, country: str, on: date) -> ShareRules | None:
        """The country's rules on redeeming members' shares on ``on``; ``None`` when the
        plugin has no such hook. Raises LawNotInForce when no rule is recorded for ``on``."""
        if not self.implements(country, "coopkit_share_rules"):
            return None
        return self._first("coopkit_share_rules", country, on=on, law=self.law(country))  # type: ignore[no-any-return]

    def payroll_rules(self, country: str) -> PayrollRules:
        """The country's payroll rules, built once per host (they cache their schedules)."""
        code = self.country(country).code
        if code not in self._payroll:
            self._payroll[code] = self._first("coopkit_payroll_rules", code, law=self.law(code))
        return self._payroll[code]

    def chart_of_accounts(self, country: str, on: date) -> list[AccountDefinition]:
        """The accounts of the country's chart, one per role, checked for completeness."""
        from coopkit.ledger.chart import chart_problems

        code = self.country(country).code
        chart = list(self._first("coopkit_chart_of_accounts", code, on=on, law=self.law(code)))
        problems = chart_problems(chart)
        if problems:
            raise PluginError(
                f"the plugin {self.country(code).plugin!r} gives {code} a chart of accounts "
                f"coopkit cannot use: {'; '.join(problems)}"
            )
        return chart

    def has_chart_of_accounts(self, country: str) -> bool:
        """Whether the plugin serving ``country`` implements the chart of accounts."""
        return self.implements(country, "coopkit_chart_of_accounts")

    def implements(self, country: str, hook_name: str) -> bool:
        """Whether the plugin serving ``country`` implements the hook ``hook_name``."""
        plugin = self.manager.get_plugin(self.country(country).plugin)
        callers = self.manager.get_hookcallers(plugin) or []
        return any(caller.name == hook_name for caller in callers)

    def expense_categories(self, country: str, on: date) -> list[ExpenseCategory]:
        """The expense categories in force on ``on``, each with its recoverable VAT fraction."""
        code = self.country(country).code
        found = self._first("coopkit_expense_categories", code, on=on, law=self.law(code))
        categories = list(cast("Sequence[ExpenseCategory]", found))
        codes = [c.code for c in categories]
        bad = [c.code for c in categories if not 0 <= c.recoverable <= 1]
        if not categories or len(set(codes)) != len(codes) or bad:
            raise PluginError(
                f"the plugin {self.country(code).plugin!r} gives {code} expense categories "
                "coopkit cannot use: at least one, codes unique, each fraction between 0 and 1"
            )
        return categories


def _register(manager: pluggy.PluginManager, plugin: object, name: str) -> None:
    try:
        manager.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as error:
        raise PluginError(f"plugin {name!r} breaks the coopkit contract: {error}") from None


def _with_plugin(country: Country, plugin_name: str) -> Country:
    from dataclasses import replace

    return replace(country, code=country.code.upper(), plugin=plugin_name)


@lru_cache(maxsize=1)
def default_host() -> PluginHost:
    """The plugins installed in the environment, loaded once per process (for services
    called without a host, such as ``issue_invoice``)."""
    return PluginHost.from_environment()


def hook_names() -> list[str]:
    """Names of every hook in the contract, in definition order."""
    return [name for name in vars(hookspecs) if name.startswith("coopkit_")]
