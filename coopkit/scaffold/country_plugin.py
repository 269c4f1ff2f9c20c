"""``coopkit new-country``: a country plugin and its profile from templates/country-plugin.

The template writes two trees into a coopkit checkout (or any ``--output``
folder laid out like one): ``plugins/coopkit-<cc>/`` and
``country_profiles/<cc>/``. This module turns what a person typed into the
template's context — after checking it against ISO 3166, ISO 4217 and Babel —
and finds what python-stdnum and the holidays package already know about the
country, so the plugin starts with real validators where they exist and honest
placeholders where they do not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import holidays
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from babel.messages.pofile import read_po, write_po
from babel.numbers import get_territory_currencies

from coopkit.plugin_helpers import VAT_PREFIXES
from coopkit.scaffold.checks import (
    check_country_code,
    check_currency,
    check_locales,
    check_name,
    iso_countries,
)
from coopkit.scaffold.identifiers import StdnumCheck, iban_example, stdnum_check
from coopkit.scaffold.render import render_parts

TEMPLATE = "country-plugin"


@dataclass(frozen=True)
class NewCountry:
    """A country plugin to generate, checked: build it with :meth:`checked`."""

    code: str
    name: str
    currency: str
    locales: tuple[str, ...]

    @classmethod
    def checked(cls, code: str, name: str, currency: str, locales: str) -> NewCountry:
        """Check each input; raise ScaffoldError naming the first rule broken."""
        return cls(
            code=check_country_code(code),
            name=check_name(name, "country name"),
            currency=check_currency(currency),
            locales=check_locales(locales),
        )

    @property
    def slug(self) -> str:
        return self.code.lower()

    def parts(self) -> list[str]:
        """The folders the plugin adds, relative to the output folder."""
        return [f"plugins/coopkit-{self.slug}", f"country_profiles/{self.slug}"]

    def context(self, today: dt.date) -> dict[str, str]:
        """The template's variables (templates/country-plugin/cookiecutter.json)."""
        checks = {
            kind: stdnum_check(self.code, kind) for kind in ("national_id", "vat", "company_id")
        }
        found = [check for check in checks.values() if check is not None]
        modules = sorted({check.module for check in found})
        iban = iban_example(self.code)
        sources = [f"python-stdnum's documentation of {', '.join(modules)}"] if modules else []
        sources += ["the SWIFT IBAN Registry's example IBAN"] if iban else []
        context = {
            "country_name": self.name,
            "code": self.code,
            "slug": self.slug,
            "currency": self.currency,
            "locales": ",".join(self.locales),
            "covers_from": dt.date(today.year, 1, 1).isoformat(),
            "stdnum_import": _stdnum_import(modules),
            "examples_source": (
                f"the examples of {' and '.join(sources)}" if sources else "none yet"
            ),
            "iban_example": iban,
            "vat_prefix": _vat_prefix(self.code) if checks["vat"] else "",
            "holidays": "yes" if self.code in holidays.list_supported_countries() else "no",
        }
        for kind, check in checks.items():
            context |= _identifier_context(kind, check)
        return context | self._gaps(context)

    def _gaps(self, context: dict[str, str]) -> dict[str, str]:
        """The conformance checks the plugin cannot pass yet, and why (strict xfails)."""
        missing = [
            label
            for label, present in (
                ("national identity number", context["national_id_example"]),
                ("VAT number", context["vat_example"]),
                ("IBAN (outside the SEPA zone)", context["iban_example"]),
            )
            if not present
        ]
        return {
            "identifiers_gap": (
                f"PLACEHOLDER: no validator or official example yet for the "
                f"{', '.join(missing)} of {self.code}: write the validators, add official "
                "examples to EXAMPLES, then delete this override"
                if missing
                else ""
            ),
            "holidays_gap": (
                f"PLACEHOLDER: the holidays package does not know {self.code}: return its "
                "public holidays from coopkit_public_holidays, then delete this override"
                if context["holidays"] == "no"
                else ""
            ),
        }

    def generate(self, output: Path, today: dt.date | None = None) -> list[Path]:
        """Render the plugin into ``output``; all or nothing (see coopkit.scaffold.render)."""
        context = self.context(today or dt.date.today())
        return render_parts(TEMPLATE, context, output, self.parts(), finish=self._add_catalogs)

    def _add_catalogs(self, tree: Path) -> None:
        """One ``.po`` per locale from the template's ``messages.pot`` (``pybabel init``)."""
        locale_dir = tree / "plugins" / f"coopkit-{self.slug}" / f"coopkit_{self.slug}" / "locale"
        with (locale_dir / "messages.pot").open("rb") as handle:
            template = read_po(handle)
        template.fuzzy = False
        for name in self.locales:
            template.locale = Locale.parse(name)
            target = locale_dir / name / "LC_MESSAGES" / "messages.po"
            target.parent.mkdir(parents=True)
            with target.open("wb") as handle:
                write_po(handle, template, width=0)


def suggestions(code: str) -> dict[str, str]:
    """What to offer at the prompts for a checked ``code``, from Babel's CLDR data.

    The English name, the currency in use today and the official languages in the
    country's own variant (``pt_PT``), then English: ``{"name": "Portugal",
    "currency": "EUR", "locales": "pt_PT,en"}``. Only offered, never assumed.
    """
    currencies = get_territory_currencies(code)
    locales: list[str] = []
    for language in get_official_languages(code):
        if "_" in language:  # a script variant (bs_Cyrl): the plain language is listed too
            continue
        try:
            locales.append(str(Locale.parse(f"{language}_{code}")))
        except (UnknownLocaleError, ValueError):
            locales.append(language)
    if "en" not in locales:
        locales.append("en")
    return {
        "name": iso_countries()[code],
        "currency": currencies[0] if currencies else "",
        "locales": ",".join(locales),
    }


def _stdnum_import(modules: list[str]) -> str:
    """``stdnum.pt.cc``, ``stdnum.pt.nif`` → ``from stdnum.pt import cc, nif``."""
    if not modules:
        return ""
    package = modules[0].rsplit(".", 1)[0]
    return f"from {package} import {', '.join(module.rsplit('.', 1)[1] for module in modules)}"


def _vat_prefix(code: str) -> str:
    """The VIES prefix of an EU VAT number (Greece: EL); none outside the EU."""
    prefix = "EL" if code == "GR" else code
    return prefix if prefix in VAT_PREFIXES else ""


def _identifier_context(kind: str, check: StdnumCheck | None) -> dict[str, str]:
    return {
        f"{kind}_module": check.module.rsplit(".", 1)[1] if check else "",
        f"{kind}_label": check.label if check else "",
        f"{kind}_example": check.example if check else "",
    }
