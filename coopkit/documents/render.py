"""The renderer: templates looked up per tenant and country, HTML in a locale, PDF output."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from coopkit import i18n
from coopkit.countries import Country
from coopkit.plugins import PluginHost
from coopkit.web.templating import configure_environment

log = logging.getLogger("coopkit.documents")
DEFAULT_TEMPLATES = Path(__file__).parent / "templates"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 and a font such as fonts-dejavu-core"


class DocumentError(RuntimeError):
    """A document that cannot be produced here; the message says what to install or fix."""


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in a PDF (an invoice's XML), named and described for the reader."""

    name: str
    content: bytes
    description: str
    created: datetime
    relationship: str = "Alternative"  # ISO 32000-2 7.11.3: another form of the document


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


def template_folders(
    country: Country | None, tenant_slug: str | None = None, tenant_templates: Path | None = None
) -> list[Path]:
    """Where templates are looked up, first match wins: tenant → country plugin → default.

    A tenant's own templates are in ``tenant_templates/<slug>/`` (the setting
    ``COOPKIT_TENANT_TEMPLATES``); a folder that does not exist is skipped.
    """
    folders: list[Path] = []
    if tenant_templates is not None and tenant_slug:
        if Path(tenant_slug).name != tenant_slug or tenant_slug.startswith("."):
            raise DocumentError(f"{tenant_slug!r} is not a tenant slug")
        folders.append(tenant_templates / tenant_slug)
    if country is not None and country.documents_dir is not None:
        folders.append(country.documents_dir)
    return [*(folder for folder in folders if folder.is_dir()), DEFAULT_TEMPLATES]


@lru_cache(maxsize=128)
def _environment(folders: tuple[Path, ...]) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(folders), autoescape=True, undefined=StrictUndefined
    )
    configure_environment(environment)
    return environment


def render_html(folders: Sequence[Path], template: str, locale: str, **context: Any) -> str:
    """``template``, found in ``folders``, rendered in ``locale`` (translations, number formats)."""
    page = _environment(tuple(folders)).get_template(template)
    return page.render(locale=locale, lang=i18n.ui_language(locale), **context)


def render_pdf(
    folders: Sequence[Path],
    template: str,
    locale: str,
    *,
    attachments: Sequence[PdfAttachment] = (),
    **context: Any,
) -> bytes:
    """``template`` rendered in ``locale`` as a PDF, with ``attachments`` embedded.

    Nothing is fetched while rendering (no network, no files): styles are
    inline and only ``data:`` URLs are allowed.
    """
    markup = render_html(folders, template, locale, **context)
    try:
        from weasyprint import HTML, Attachment
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError):
        log.exception("WeasyPrint cannot be loaded")
        raise DocumentError(
            f"PDF documents need WeasyPrint and the system packages {SYSTEM_PACKAGES}"
        ) from None
    fetcher = URLFetcher(allowed_protocols=("data",))
    embedded = [
        Attachment(
            file_obj=io.BytesIO(item.content),
            url_fetcher=fetcher,
            name=item.name,
            description=item.description,
            created=item.created,
            modified=item.created,
            relationship=item.relationship,
        )
        for item in attachments
    ]
    document: bytes = HTML(string=markup, url_fetcher=fetcher).write_pdf(attachments=embedded)
    return document


class Documents:
    """Renders documents for the countries the installed plugins serve (and their tenants)."""

    def __init__(self, plugins: PluginHost, tenant_templates: Path | None = None) -> None:
        self._plugins = plugins
        self.tenant_templates = tenant_templates

    def folders(self, country: str, tenant_slug: str | None = None) -> list[Path]:
        """Where templates are looked up for ``country`` (and a tenant), first match wins."""
        served = self._plugins.country(country)
        return template_folders(served, tenant_slug, self.tenant_templates)

    def html(
        self,
        country: str,
        template: str,
        locale: str,
        tenant_slug: str | None = None,
        **context: Any,
    ) -> str:
        """``template`` rendered in ``locale`` (translations and number formats)."""
        return render_html(self.folders(country, tenant_slug), template, locale, **context)

    def pdf(
        self,
        country: str,
        template: str,
        locale: str,
        tenant_slug: str | None = None,
        **context: Any,
    ) -> bytes:
        """``template`` rendered in ``locale`` as a PDF; see :func:`render_pdf`."""
        return render_pdf(self.folders(country, tenant_slug), template, locale, **context)
