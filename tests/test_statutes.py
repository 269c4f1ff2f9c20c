"""coopkit/incubator/statutes.py: draft statutes from the country plugin's template.

The worked example: three founders of "Vélo Solidaire" subscribe class A shares of
50.00 (voting) and class B shares of 12.50 (no vote):
    Ana    2 A            = 100.00
    Bram   1 A + 4 B      =  50.00 + 50.00 = 100.00
    Chloé  1 A            =  50.00
    capital at formation  = 250.00
"""

from __future__ import annotations

import importlib
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from coopkit.incubator.statutes import (
    StatutesContext,
    StatutesError,
    StatutesFounder,
    StatutesShareClass,
    fraction,
    render_statutes_html,
    render_statutes_pdf,
    subscriptions,
)
from coopkit.money import Money
from coopkit.plugins import PluginHost

DRAFTED = date(2026, 3, 1)
FOUNDERS = (
    StatutesFounder("Ana Peeters", "Rue Haute 1, 1000 Bruxelles", "employee", (("A", 2),)),
    StatutesFounder(
        "Bram Janssens", "Kerkstraat 2, 2000 Antwerpen", "beneficiary", (("A", 1), ("B", 4))
    ),
    StatutesFounder("Chloé Dubois", "Rue Basse 3, 4000 Liège", "volunteer", (("A", 1),)),
)
CLASSES = (
    StatutesShareClass("A", Decimal("50"), True, 1, None),
    StatutesShareClass("B", Decimal("12.50"), False, 0, 100),
)


def statutes(plugins: PluginHost, country: str, form: str, start: str = "01-01") -> StatutesContext:
    rules = plugins.assembly_rules(country, DRAFTED)
    assert rules is not None
    return StatutesContext(
        coop_name="Vélo Solidaire",
        country=country,
        currency="EUR",
        legal_form=plugins.legal_form(country, form, DRAFTED),
        seat="Rue Haute 1, 1000 Bruxelles",
        purpose="repairing, renting and selling bicycles",
        founders=FOUNDERS,
        share_classes=CLASSES,
        assembly_rules=rules,
        financial_year_start=start,
        drafted_on=DRAFTED,
    )


def test_subscriptions_are_at_nominal_value(plugins: PluginHost) -> None:
    rows = subscriptions(statutes(plugins, "BE", "SC"))
    assert [row.total for row in rows] == [Money.of("100.00", "EUR")] * 2 + [
        Money.of("50.00", "EUR")
    ]
    assert [line.amount for line in rows[1].lines] == [Money.of("50", "EUR")] * 2


@pytest.mark.parametrize(
    ("locale", "lang", "capital"), [("fr_BE", "fr", "250,00"), ("nl_BE", "nl", "250,00")]
)
def test_belgian_sc_in_french_and_dutch(
    plugins: PluginHost, locale: str, lang: str, capital: str
) -> None:
    html = render_statutes_html(plugins, statutes(plugins, "BE", "SC"), locale)
    assert f'<html lang="{lang}">' in html
    assert '<p class="draft">' in html  # the warning: a draft for a lawyer or a notary
    for founder in FOUNDERS:
        assert founder.name in html
    assert capital in html  # the capital of the worked example, in the locale's numbers
    # CSA art. 6:85: a change of the statutes needs three quarters of the votes cast,
    # half of the members on the first call, no quorum on the second; 15 days' notice.
    assert "3/4" in html
    assert "1/2" in html
    assert "15" in html
    assert "6:126" in html  # the legal form's source: three shareholders
    assert "Category" not in html  # Belgian founders have no required categories


def test_french_scop_and_scic(plugins: PluginHost) -> None:
    scop = render_statutes_html(plugins, statutes(plugins, "FR", "SCOP"), "fr_FR")
    scic = render_statutes_html(plugins, statutes(plugins, "FR", "SCIC"), "fr_FR")
    for html in (scop, scic):
        # loi 78-763 art. 12 / C. com. L225-96: two thirds, a third then a quarter.
        assert "2/3" in html
        assert "1/3" in html
        assert "1/4" in html
        assert all(founder.name in html for founder in FOUNDERS)
        assert '<html lang="fr">' in html
    # SCOP: the law's share of the surplus for the workers (loi 78-763 art. 33), from data.
    assert "25" in scop
    assert "78-763 art. 33" in scop
    # SCIC: categories of partners, colleges between 1/10 and 1/2 (art. 19 octies).
    assert "19 septies" in scic
    assert "1/10" in scic
    assert "1/2" in scic
    assert "78-763 art. 33" not in scic


@pytest.mark.usefixtures("weasyprint")
def test_the_pdf_is_a_real_pdf(plugins: PluginHost) -> None:
    pdf = render_statutes_pdf(plugins, statutes(plugins, "BE", "SC"), "fr_BE")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert pdf.startswith(b"%PDF-")
    assert "Ana Peeters" in text
    assert "Vélo Solidaire" in text


def test_fractions_read_as_in_statutes() -> None:
    assert [fraction(Decimal(v)) for v in ("0.5", "0.25", "0.1", "0.75")] == [
        "1/2",
        "1/4",
        "1/10",
        "3/4",
    ]
    assert fraction(Decimal(1) / 3) == "1/3"
    assert fraction(Decimal("0.37")) == "37 %"


def test_a_share_class_the_statutes_do_not_create_is_refused(plugins: PluginHost) -> None:
    context = statutes(plugins, "BE", "SC")
    stray = replace(FOUNDERS[0], shares=(("C", 1),))
    with pytest.raises(StatutesError, match="class 'C', which the statutes do not create"):
        render_statutes_html(plugins, replace(context, founders=(stray,)), "fr_BE")


def test_a_financial_year_that_is_not_a_day_is_refused(plugins: PluginHost) -> None:
    with pytest.raises(StatutesError, match="'13-01' is not a day of the year"):
        render_statutes_html(plugins, statutes(plugins, "BE", "SC", start="13-01"), "fr_BE")


def test_a_missing_template_names_the_plugin_and_the_form(plugins: PluginHost) -> None:
    context = statutes(plugins, "BE", "SC")
    lost = replace(context.legal_form, statutes_template="statutes_lost.html")
    with pytest.raises(StatutesError, match=r"'be' has no statutes template 'statutes_lost\.html'"):
        render_statutes_html(plugins, replace(context, legal_form=lost), "fr_BE")
    with pytest.raises(StatutesError, match="'xx_YY' is not a language"):
        render_statutes_html(plugins, context, "xx_YY")


@pytest.mark.parametrize("code", ["be", "fr"])
def test_legal_form_names_are_messages_of_the_plugin(plugins: PluginHost, code: str) -> None:
    listed = set(importlib.import_module(f"coopkit_{code}.wordings").WORDINGS)
    names = {form.name for form in plugins.legal_forms(code.upper(), DRAFTED)}
    assert names - listed == set(), f"add them with _() to coopkit_{code}/wordings.py"
