"""The German plugin, loaded through its real entry point ``de``: identifiers, holidays, VAT,
shares, the chart of accounts, invoice mentions, late payment and the payroll command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopkit.cli import cli
from coopkit.collection.interest import RatePeriod, interest_due, interest_stretches
from coopkit.ledger.chart import AccountRole
from coopkit.plugins import PluginHost

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "de"})


def test_hook_coopkit_country(host: PluginHost) -> None:
    germany = host.country("de")
    assert (germany.code, germany.name, germany.currency) == ("DE", "Germany", "EUR")
    assert germany.locales == ("de_DE", "en")
    assert germany.profile_dir == REPO / "country_profiles" / "de"


# Valid examples: python-stdnum's documentation of stdnum.de.idnr (36 574 261 809),
# and stdnum.de.vat (DE 136,695 976);
# the IBAN is the example of the German IBAN format (DE89 3704 0044 0532 0130 00).
@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        ("validate_national_id", "36 574 261 809", "36574261890"),  # last two swapped
        ("validate_vat_number", "DE 136,695 976", "DE136695978"),
        ("validate_iban", "DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 01"),
    ],
)
def test_identifiers(host: PluginHost, check: str, good: str, bad: str) -> None:
    verdict = getattr(host, check)("DE", good)
    assert verdict.valid, verdict.error
    refused = getattr(host, check)("DE", bad)
    assert not refused.valid
    assert refused.error


def test_hook_coopkit_public_holidays(host: PluginHost) -> None:
    days = {holiday.day for holiday in host.public_holidays("DE", 2026)}
    assert date(2026, 10, 3) in days  # Tag der Deutschen Einheit
    assert date(2026, 12, 25) in days


def test_hook_coopkit_vat_rates(host: PluginHost) -> None:
    rates = host.vat_rates("DE", date(2026, 1, 1))
    assert [(rate.code, rate.rate) for rate in rates] == [
        ("standard", Decimal("0.19")),
        ("reduced", Decimal("0.07")),
    ]


def test_hook_coopkit_share_rules(host: PluginHost) -> None:
    rules = host.share_rules("DE", date(2026, 1, 1))
    assert rules is not None
    assert rules.window_months == 12


@pytest.mark.parametrize("day", [date(2025, 1, 1), date.today()])
def test_hook_coopkit_chart_of_accounts(host: PluginHost, day: date) -> None:
    chart = {account.role: account for account in host.chart_of_accounts("DE", day)}
    assert set(chart) == set(AccountRole)  # every role, once (chart_from_law checks the rest)
    # DATEV SKR 04's own accounts for the roles that have one.
    assert chart[AccountRole.BANK].number == "1800"
    assert chart[AccountRole.CLIENT_RECEIVABLES].number == "1200"
    assert chart[AccountRole.SUPPLIERS_PAYABLE].number == "3300"
    assert (chart[AccountRole.VAT_COLLECTED].number, chart[AccountRole.VAT_DEDUCTIBLE].number) == (
        "3806",
        "1406",
    )
    assert chart[AccountRole.SHARE_CAPITAL].name == "Geschäftsguthaben der verbleibenden Mitglieder"
    assert all(account.source for account in chart.values())


def test_hook_coopkit_invoice_mentions(host: PluginHost) -> None:
    mentions = host.invoice_mentions("DE", date(2026, 1, 1))
    # GenG § 25a: the register court and number, and the legal form, on every invoice.
    assert {field.field for field in mentions.seller_fields} == {"legal_form", "register"}
    assert all("§ 25a" in field.source for field in mentions.seller_fields)


def test_hook_coopkit_vat_exemptions(host: PluginHost) -> None:
    exemptions = {e.code: e for e in host.vat_exemptions("DE", date(2026, 1, 1))}
    reverse = exemptions["reverse_charge_services"]
    assert reverse.category == "AE"
    assert "Steuerschuldnerschaft des Leistungsempfängers" in reverse.wording  # UStG § 14a (5)
    assert exemptions["intra_eu_goods"].category == "K"


def test_hook_coopkit_late_payment_terms(host: PluginHost) -> None:
    terms = host.late_payment_terms("DE", date(2026, 3, 1))
    assert terms is not None
    # Basiszinssatz 1.27 % + 9 points (BGB § 288 Abs. 2), for the first semester of 2026.
    assert terms.rate == Decimal("0.1027")
    assert (terms.rate_valid_from, terms.rate_valid_until) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (terms.compensation, terms.currency) == (Decimal(40), "EUR")  # BGB § 288 Abs. 5


def test_default_interest_across_a_change_of_the_base_rate(host: PluginHost) -> None:
    """A 1 190.00 € invoice to a business, due 2025-06-15, still unpaid on 2025-07-15.

    2025-06-16 to 06-30, 15 days at 2.27 % + 9 = 11.27 %: 1190 × 0.1127 × 15 / 365 = 5.51149…
    2025-07-01 to 07-15, 15 days at 1.27 % + 9 = 10.27 %: 1190 × 0.1027 × 15 / 365 = 5.02245…
    Together 10.53394… → 10.53 €, plus the flat 40 € of BGB § 288 Abs. 5.
    """

    def rate_on(day: date) -> RatePeriod:
        terms = host.late_payment_terms("DE", day)
        assert terms is not None
        return RatePeriod(terms.rate, terms.rate_valid_from, terms.rate_valid_until, "")

    owed = [(date(2025, 5, 16), Decimal("1190.00"))]
    stretches = interest_stretches(owed, date(2025, 6, 15), date(2025, 7, 15), rate_on)
    assert [(s.days, s.rate) for s in stretches] == [
        (15, Decimal("0.1127")),
        (15, Decimal("0.1027")),
    ]
    assert interest_due(stretches, "EUR") == Decimal("10.53")


def test_the_payroll_command_takes_the_german_inputs() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "payroll", "simulate", "--country", "de", "--month", "2026-01", "--gross", "3500",
            "--tax-class", "1", "--children", "0", "--church-tax",
            "--health-extra-rate", "0.029", "--json",
        ],
        env={"COOPKIT_LOAD_PLUGINS": "de"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # 405,50 wage tax (see test_de_payroll) + 9 % church tax 36,49 (36,495 rounded down).
    assert data["income_tax_withheld"] == "441.99"
    assert data["net_pay"] == "2296.76"


def test_a_country_without_the_input_refuses_the_option() -> None:
    result = CliRunner().invoke(
        cli,
        ["payroll", "simulate", "--country", "be", "--month", "2026-01", "--gross", "3500",
         "--tax-class", "1"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--tax-class" in result.output
    assert "BE payroll has no input 'tax_class'" in result.output
