"""The German plugin, loaded through its real entry point ``de``: identifiers, holidays, VAT,
shares and the payroll command line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopkit.cli import cli
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
