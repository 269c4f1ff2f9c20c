"""The renderer: template lookup per country, HTML in a locale, PDF through WeasyPrint."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from coopkit import i18n
from coopkit.plugins import PluginHost
from coopkit.web.templating import configure_environment

log = logging.getLogger("coopkit.documents")
DEFAULT_TEMPLATES = Path(__file__).parent / "templates"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 and a font such as fonts-dejavu-core"


class DocumentError(RuntimeError):
    """A document that cannot be produced here; the message says what to install or fix."""


def document_locale(person_locale: str | None, offered: Sequence[str]) -> str:
    """The locale to write to a person in: theirs, else the cooperative's first.

    A language the cooperative offers in a regional form is written in that
    form (``fr`` in a French coop → ``fr_FR``), so numbers follow the country.
    """
    if person_locale and i18n.valid_locale(person_locale):
        language = person_locale.split("_")[0].lower()
        exact = [loc for loc in offered if loc.lower() == person_locale.lower()]
        regional = [loc for loc in offered if loc.split("_")[0].lower() == language]
        return (exact or regional or [person_locale])[0]
    return offered[0] if offered else i18n.FALLBACK


class Documents:
    """Renders documents for the countries the installed plugins serve."""

    def __init__(self, plugins: PluginHost) -> None:
        self._plugins = plugins
        self._environments: dict[str, Environment] = {}

    def folders(self, country: str) -> list[Path]:
        """Where templates are looked up for ``country``, first match wins."""
        served = self._plugins.country(country)
        own = served.documents_dir
        return [*([own] if own is not None and own.is_dir() else []), DEFAULT_TEMPLATES]

    def _environment(self, country: str) -> Environment:
        code = country.upper()
        if code not in self._environments:
            environment = Environment(
                loader=FileSystemLoader(self.folders(code)),
                autoescape=True,
                undefined=StrictUndefined,
            )
            configure_environment(environment)
            self._environments[code] = environment
        return self._environments[code]

    def html(self, country: str, template: str, locale: str, **context: Any) -> str:
        """``template`` rendered in ``locale`` (translations and number formats)."""
        page = self._environment(country).get_template(template)
        return page.render(locale=locale, lang=i18n.ui_language(locale), **context)

    def pdf(self, country: str, template: str, locale: str, **context: Any) -> bytes:
        """``template`` rendered in ``locale`` as a PDF.

        Nothing is fetched while rendering (no network, no files): styles are
        inline and only ``data:`` URLs are allowed.
        """
        markup = self.html(country, template, locale, **context)
        try:
            from weasyprint import HTML
            from weasyprint.urls import URLFetcher
        except (ImportError, OSError):
            log.exception("WeasyPrint cannot be loaded")
            raise DocumentError(
                f"PDF documents need WeasyPrint and the system packages {SYSTEM_PACKAGES}"
            ) from None
        fetcher = URLFetcher(allowed_protocols=("data",))
        document: bytes = HTML(string=markup, url_fetcher=fetcher).write_pdf()
        return document
