"""The document renderer: templates looked up per country, the reader's locale, PDF output."""

from __future__ import annotations

import base64
import io
import sys
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest

from coopkit import hookimpl
from coopkit.countries import Country
from coopkit.documents import DocumentError, Documents, document_locale
from coopkit.documents.render import DEFAULT_TEMPLATES
from coopkit.plugins import PluginHost

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)


class Somewhere:
    """A country plugin that ships its own document templates."""

    def __init__(self, code: str, documents: Path | None) -> None:
        self.code, self.documents = code, documents

    @hookimpl
    def coopkit_country(self) -> Country:
        return Country(
            self.code, "Somewhere", "EUR", ("fr_FR", "en"), Path("."), documents_dir=self.documents
        )


def host_with(tmp_path: Path, template: str) -> PluginHost:
    own = tmp_path / "documents"
    own.mkdir()
    (own / "note.html").write_text(template, encoding="utf-8")
    return PluginHost.from_plugins([("xx", Somewhere("XX", own)), ("yy", Somewhere("YY", None))])


@pytest.mark.parametrize(
    ("chosen", "offered", "expected"),
    [
        ("fr", ("fr_FR", "en"), "fr_FR"),  # the coop's regional form of the member's language
        ("en", ("fr_FR", "en"), "en"),
        ("fr_BE", ("fr_BE", "nl_BE"), "fr_BE"),
        ("nl", ("fr_FR", "en"), "nl"),  # the member's language even if the coop does not offer it
        (None, ("nl_BE", "fr_BE"), "nl_BE"),  # no choice: the coop's first language
        ("not-a-locale!", ("fr_FR", "en"), "fr_FR"),
        (None, (), "en"),
    ],
)
def test_documents_are_in_the_members_language(
    chosen: str | None, offered: tuple[str, ...], expected: str
) -> None:
    assert document_locale(chosen, offered) == expected


def test_a_plugin_template_replaces_the_default_for_its_country(tmp_path: Path) -> None:
    host = host_with(tmp_path, "<p>{{ amount | number }} {% trans %}Net pay{% endtrans %}</p>")
    documents = Documents(host)
    assert documents.folders("XX") == [tmp_path / "documents", DEFAULT_TEMPLATES]
    assert documents.folders("YY") == [DEFAULT_TEMPLATES]
    assert (
        documents.html("XX", "note.html", "fr_FR", amount=Decimal("1234.5"))
        == "<p>1\u202f234,5 Net à payer</p>"
    )
    assert (
        documents.html("XX", "note.html", "en", amount=Decimal("1234.5"))
        == "<p>1,234.5 Net pay</p>"
    )


def test_a_tenant_template_replaces_its_countrys_and_the_default(tmp_path: Path) -> None:
    tenants = tmp_path / "tenants"
    (tenants / "coop-a").mkdir(parents=True)
    (tenants / "coop-a" / "note.html").write_text("<p>coop-a {{ name }}</p>", encoding="utf-8")
    documents = Documents(
        host_with(tmp_path, "<p>country {{ name }}</p>"), tenant_templates=tenants
    )
    assert documents.folders("XX", "coop-a") == [
        tenants / "coop-a",
        tmp_path / "documents",
        DEFAULT_TEMPLATES,
    ]
    assert (
        documents.html("XX", "note.html", "en", tenant_slug="coop-a", name="A") == "<p>coop-a A</p>"
    )
    assert documents.html("XX", "note.html", "en", tenant_slug="coop-b", name="B") == (
        "<p>country B</p>"
    )
    assert documents.folders("YY", "coop-a") == [tenants / "coop-a", DEFAULT_TEMPLATES]


def test_names_in_documents_are_escaped(tmp_path: Path) -> None:
    documents = Documents(host_with(tmp_path, "<p>{{ name }}</p>"))
    assert (
        documents.html("XX", "note.html", "en", name="<b>Eve</b>")
        == "<p>&lt;b&gt;Eve&lt;/b&gt;</p>"
    )


@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_fetches_nothing_from_outside(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    inline = "data:image/png;base64," + base64.b64encode(PNG).decode()
    template = '<p>{{ text }}</p><img src="{{ src }}">'
    documents = Documents(host_with(tmp_path, template))
    embedded = documents.pdf("XX", "note.html", "en", text="inline", src=inline)
    fetched = documents.pdf("XX", "note.html", "en", text="file", src=secret.as_uri())
    assert embedded.startswith(b"%PDF-")
    assert b"/Image" in embedded  # a data: URL is part of the document
    assert b"/Image" not in fetched  # a file on the server is never read
    text = pypdf.PdfReader(io.BytesIO(fetched)).pages[0].extract_text()
    assert "file" in text


def test_without_weasyprint_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as without pango
    documents = Documents(host_with(tmp_path, "<p>x</p>"))
    with pytest.raises(DocumentError, match=r"libpango-1\.0-0"):
        documents.pdf("XX", "note.html", "en")
