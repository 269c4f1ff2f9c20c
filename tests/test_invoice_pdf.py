"""The PDF invoice: what it prints in the client's language, its templates, its e-invoice."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdf
import pytest

from coopkit.countries import Country
from coopkit.documents import DocumentError, template_folders
from coopkit.documents.render import DEFAULT_TEMPLATES
from coopkit.invoicing.document import InvoiceDocument
from coopkit.invoicing.pdf import invoice_html, invoice_pdf
from coopkit.invoicing.ubl import invoice_ubl
from coopkit.settings import Settings
from tests import einvoice_docs as docs


def pdf_text(pdf: bytes) -> str:
    """The text of every page, with Babel's (narrow) no-break spaces as plain spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\u202f", " ").replace("\xa0", " ")


def plugin_country(documents: Path | None) -> Country:
    return Country("BE", "Belgium", "EUR", ("fr_BE", "nl_BE"), Path("."), documents_dir=documents)


@pytest.mark.usefixtures("weasyprint")
@pytest.mark.parametrize(
    ("locale", "gross", "vat_21", "day"),
    [
        ("fr_BE", "1 347,53 €", "133,42 €", "16 mars 2026"),
        ("nl_BE", "€ 1.347,53", "€ 133,42", "16 maart 2026"),
        ("de_DE", "1.347,53 €", "133,42 €", "16. März 2026"),
        ("en", "€1,347.53", "€133.42", "March 16, 2026"),
    ],
)
def test_the_invoice_is_written_in_the_clients_language(
    locale: str, gross: str, vat_21: str, day: str
) -> None:
    doc = docs.be_mixed_rates(locale)
    text = pdf_text(invoice_pdf(doc))
    assert "INV-2026-0001" in text
    assert gross in text
    assert vat_21 in text
    assert day in text
    assert "+++090/9337/55493+++" in text
    assert "BE71 0961 2345 6769" in text
    assert "KB nr. 20, tabel A, rubriek XXXI" in text  # the legal mention
    assert "Studio Lumière — photographie" in text  # the activity
    assert "BE0765432146" in text
    assert "Brasserie Zenne BV" in text


@pytest.mark.usefixtures("weasyprint")
def test_a_partly_paid_invoice_shows_what_was_paid_and_what_is_due() -> None:
    text = pdf_text(invoice_pdf(docs.partly_paid()))
    assert "907,50 €" in text
    assert "300,00 €" in text
    assert "607,50 €" in text


@pytest.mark.usefixtures("weasyprint")
def test_exemptions_print_their_legal_wording() -> None:
    text = pdf_text(invoice_pdf(docs.exempt_training()))
    assert "article 261-4-4° a du CGI" in text
    assert "1 300,00 €" in text
    assert "Capital minimum 18 500 €" in text  # the French seller's capital
    text = pdf_text(invoice_pdf(docs.swiss_francs()))
    # Swiss grouping: CLDR 47 (Babel 2.19) writes an ASCII apostrophe, earlier ones ’.
    assert "CHF 3'750.00" in text or "CHF 3’750.00" in text
    assert "Art. 21 § 2 MwStGB" in text


@pytest.mark.usefixtures("weasyprint")
def test_a_credit_note_names_the_invoice_it_credits_and_asks_for_no_payment() -> None:
    doc = docs.credit_note()
    text = pdf_text(invoice_pdf(doc))
    assert "CN-2026-0001" in text
    assert "INV-2026-0001" in text
    assert "€ 42,77" in text
    assert "+++090/9337/55493+++" not in text  # nothing to transfer


@pytest.mark.usefixtures("weasyprint")
def test_the_e_invoice_is_attached_to_the_pdf() -> None:
    doc = docs.fr_mixed_rates()
    reader = pypdf.PdfReader(io.BytesIO(invoice_pdf(doc)))
    assert reader.attachments == {"invoice-F-2026-0042.xml": [invoice_ubl(doc)]}


@pytest.mark.usefixtures("weasyprint")
def test_the_logo_is_embedded_from_the_document() -> None:
    with_logo = invoice_pdf(docs.be_mixed_rates())
    without = invoice_pdf(dataclasses.replace(docs.be_mixed_rates(), logo_png=None))
    assert b"/Image" in with_logo
    assert b"/Image" not in without


def test_the_brand_colour_is_used_and_only_a_colour_gets_into_the_styles() -> None:
    doc = docs.be_mixed_rates()
    assert "#7a2e8f" in invoice_html(doc)
    hostile = dataclasses.replace(doc, brand_colour="red;}body{display:none")
    html = invoice_html(hostile)
    assert "display:none" not in html
    assert "#1f5f8b" in html


def test_names_are_escaped() -> None:
    buyer = dataclasses.replace(docs.BE_CLIENT, name="<script>alert(1)</script> & Co")
    html = invoice_html(dataclasses.replace(docs.be_mixed_rates(), buyer=buyer))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html


# -- templates: tenant → country plugin → default --------------------------------------


def _template(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "invoice.html").write_text(text, encoding="utf-8")
    return folder


def test_the_tenant_template_wins_over_the_plugins_and_the_plugins_over_the_default(
    tmp_path: Path,
) -> None:
    doc: InvoiceDocument = docs.be_mixed_rates("fr_BE")
    plugin = _template(tmp_path / "plugin", "plugin {{ amount(doc.gross_total) | money }}")
    tenants = tmp_path / "tenants"
    _template(tenants / "coop-a", "coop-a {{ doc.number }} {% trans %}Net pay{% endtrans %}")
    country = plugin_country(plugin)

    assert invoice_html(doc, tenant_slug="coop-a", country=country, tenant_templates=tenants) == (
        "coop-a INV-2026-0001 Net à payer"
    )
    # another tenant of the same country has no template of its own: the plugin's
    assert invoice_html(doc, tenant_slug="coop-b", country=country, tenant_templates=tenants) == (
        "plugin 1\u202f347,53\xa0€"
    )
    # a country without templates: the engine's default
    default = invoice_html(doc, tenant_slug="coop-b", country=plugin_country(None))
    assert "INV-2026-0001" in default
    assert default.startswith("<!doctype html>")
    assert template_folders(country, "coop-a", tenants) == [
        tenants / "coop-a",
        plugin,
        DEFAULT_TEMPLATES,
    ]


@pytest.mark.usefixtures("weasyprint")
def test_the_tenant_template_is_what_the_pdf_prints(tmp_path: Path) -> None:
    tenants = tmp_path / "tenants"
    _template(tenants / "coop-a", "<p>Coop A prints {{ doc.number }} its own way</p>")
    pdf = invoice_pdf(docs.be_mixed_rates(), tenant_slug="coop-a", tenant_templates=tenants)
    assert "Coop A prints INV-2026-0001 its own way" in pdf_text(pdf)


@pytest.mark.parametrize("slug", ["../etc", ".hidden", "a/b"])
def test_a_slug_cannot_reach_outside_the_tenant_templates(tmp_path: Path, slug: str) -> None:
    with pytest.raises(DocumentError, match="not a tenant slug"):
        template_folders(None, slug, tmp_path)


def test_the_tenant_templates_folder_is_a_setting(tmp_path: Path) -> None:
    settings = Settings.from_env({"COOPKIT_TENANT_TEMPLATES": str(tmp_path)})
    assert settings.tenant_templates_dir == tmp_path
    assert Settings.from_env({}).tenant_templates_dir is None
