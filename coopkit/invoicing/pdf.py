"""The PDF invoice: an :class:`InvoiceDocument` through the ``invoice.html`` template.

The template is looked up for the tenant, then its country plugin, then the
engine's default (:func:`coopkit.documents.template_folders`), and written in
the document's language (the client's) with Babel's formats. The e-invoice
(UBL 2.1, :func:`coopkit.invoicing.ubl.invoice_ubl`) is embedded in the PDF as
an attachment for software that reads it; the PDF is not a Factur-X/ZUGFeRD
document (no PDF/A-3, no CII XML).
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

from coopkit import i18n
from coopkit.countries import Country
from coopkit.documents import PdfAttachment, render_html, render_pdf, template_folders
from coopkit.i18n import _
from coopkit.invoicing.document import InvoiceDocument
from coopkit.invoicing.ubl import invoice_ubl
from coopkit.money import Money

TEMPLATE = "invoice.html"
DEFAULT_COLOUR = "#1f5f8b"
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

# UN/ECE Recommendation 20 units as printed after a quantity (C62, "one", prints nothing).
UNITS = {"HUR": _("hours"), "DAY": _("days"), "MON": _("months"), "KMT": _("km")}

# UNCL 5305 categories printed instead of a rate.
VAT_CATEGORIES = {
    "AE": _("Reverse charge"),
    "K": _("Intra-EU supply"),
    "G": _("Export outside the EU"),
    "E": _("Exempt"),
    "O": _("Not subject to VAT"),
    "Z": _("Zero rate"),
}


def invoice_pdf(
    doc: InvoiceDocument,
    *,
    tenant_slug: str | None = None,
    country: Country | None = None,
    tenant_templates: Path | None = None,
) -> bytes:
    """``doc`` as a PDF, with its UBL e-invoice attached.

    ``country`` is the seller's country plugin (its ``documents_dir``),
    ``tenant_templates`` the ``COOPKIT_TENANT_TEMPLATES`` setting
    (``Settings.tenant_templates_dir``) under which ``<tenant_slug>/`` holds
    the tenant's own ``invoice.html``. Raises :class:`DocumentError` when
    WeasyPrint cannot run here, :class:`EInvoiceError` when the document
    cannot be an e-invoice.
    """
    folders = template_folders(country, tenant_slug, tenant_templates)
    kind = "credit-note" if doc.is_credit_note else "invoice"
    ubl = PdfAttachment(
        name=f"{kind}-{doc.number}.xml",
        content=invoice_ubl(doc),
        description="UBL 2.1 e-invoice (EN 16931, Peppol BIS Billing 3.0); "
        "not a Factur-X/ZUGFeRD document",
        created=datetime.combine(doc.issue_date, time()),
    )
    return render_pdf(folders, TEMPLATE, doc.locale, attachments=[ubl], **context(doc))


def invoice_html(
    doc: InvoiceDocument,
    *,
    tenant_slug: str | None = None,
    country: Country | None = None,
    tenant_templates: Path | None = None,
) -> str:
    """The HTML the PDF is drawn from (for previews and tests)."""
    folders = template_folders(country, tenant_slug, tenant_templates)
    return render_html(folders, TEMPLATE, doc.locale, **context(doc))


def context(doc: InvoiceDocument) -> dict[str, object]:
    """What ``invoice.html`` reads besides ``locale``: the document and its formatters."""

    def amount(value: Decimal) -> Money:
        return Money(value, doc.currency)

    def price(value: Decimal) -> str:
        return i18n.format_price(value.normalize(), doc.currency, doc.locale)

    logo = None
    if doc.logo_png:
        logo = "data:image/png;base64," + base64.b64encode(doc.logo_png).decode("ascii")
    return {
        "doc": doc,
        "amount": amount,
        "price": price,
        "logo": logo,
        # Written into the stylesheet: only a plain #rrggbb colour gets there.
        "colour": doc.brand_colour if COLOUR.fullmatch(doc.brand_colour) else DEFAULT_COLOUR,
        "units": UNITS,
        "vat_categories": VAT_CATEGORIES,
    }
