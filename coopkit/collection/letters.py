"""The dunning letters: one template per step, rendered to PDF in the client's language.

Templates are looked up tenant → country plugin → default like the invoice's
(``dunning_reminder.html``, ``dunning_second_reminder.html``,
``dunning_formal_notice.html``, all extending ``dunning_letter.html``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from coopkit.collection.interest import InterestStretch
from coopkit.collection.models import DunningStepKind
from coopkit.countries import Country
from coopkit.documents import render_html, render_pdf, template_folders
from coopkit.invoicing.document import InvoiceDocument
from coopkit.invoicing.pdf import COLOUR, DEFAULT_COLOUR
from coopkit.money import Money

TEMPLATES = {
    DunningStepKind.REMINDER: "dunning_reminder.html",
    DunningStepKind.SECOND_REMINDER: "dunning_second_reminder.html",
    DunningStepKind.FORMAL_NOTICE: "dunning_formal_notice.html",
}


@dataclass(frozen=True)
class DunningLetter:
    """What a letter says besides its invoice: the day, the lateness and the figures."""

    step: DunningStepKind
    day: date
    days_late: int
    amount_due: Decimal
    interest: Decimal
    compensation: Decimal
    commercial: bool  # a business client: interest and compensation are due
    stretches: tuple[InterestStretch, ...] = ()
    compensation_source: str = ""

    @property
    def rate_source(self) -> str:
        return "; ".join(dict.fromkeys(s.source for s in self.stretches))

    @property
    def total(self) -> Decimal:
        return self.amount_due + self.interest + self.compensation


def _context(letter: DunningLetter, doc: InvoiceDocument) -> dict[str, Any]:
    def amount(value: Decimal) -> Money:
        return Money(value, doc.currency)

    logo = None
    if doc.logo_png:
        logo = "data:image/png;base64," + base64.b64encode(doc.logo_png).decode("ascii")
    return {
        "letter": letter,
        "doc": doc,
        "amount": amount,
        "logo": logo,
        "colour": doc.brand_colour if COLOUR.fullmatch(doc.brand_colour) else DEFAULT_COLOUR,
    }


def letter_html(
    letter: DunningLetter,
    doc: InvoiceDocument,
    *,
    country: Country | None = None,
    tenant_slug: str | None = None,
    tenant_templates: Path | None = None,
) -> str:
    folders = template_folders(country, tenant_slug, tenant_templates)
    return render_html(folders, TEMPLATES[letter.step], doc.locale, **_context(letter, doc))


def letter_pdf(
    letter: DunningLetter,
    doc: InvoiceDocument,
    *,
    country: Country | None = None,
    tenant_slug: str | None = None,
    tenant_templates: Path | None = None,
) -> bytes:
    """The letter of ``letter.step`` for the invoice ``doc``, as a PDF in the invoice's language."""
    folders = template_folders(country, tenant_slug, tenant_templates)
    return render_pdf(folders, TEMPLATES[letter.step], doc.locale, **_context(letter, doc))
