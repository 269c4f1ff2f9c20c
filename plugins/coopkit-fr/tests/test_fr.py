"""The French plugin, loaded through its real entry point ``fr``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coopkit.law import LawNotInForce
from coopkit.plugins import NoPluginForCountry, PluginHost

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "fr"})


def test_hook_coopkit_country(host: PluginHost) -> None:
    france = host.country("FR")
    assert france.code == "FR"
    assert france.name == "France"
    assert france.currency == "EUR"
    assert france.locales == ("fr_FR", "en")
    assert france.profile_dir == REPO / "country_profiles" / "fr"
    assert france.plugin == "fr"


# -- NIR (stdnum.fr.nir) ----------------------------------------------------------------
# Valid examples are those of the python-stdnum documentation of stdnum.fr.nir,
# including two people born in Corsica (department 2A / 2B).


@pytest.mark.parametrize(
    ("typed", "compact", "formatted"),
    [
        ("2 95 10 99 126 111 93", "295109912611193", "2 95 10 99 126 111 93"),
        ("295109912611193", "295109912611193", "2 95 10 99 126 111 93"),
        ("253072B07300470", "253072B07300470", "2 53 07 2B 073 004 70"),
        ("253072A07300443", "253072A07300443", "2 53 07 2A 073 004 43"),
    ],
)
def test_hook_coopkit_validate_national_id(
    host: PluginHost, typed: str, compact: str, formatted: str
) -> None:
    check = host.validate_national_id("FR", typed)
    assert check.valid, check.error
    assert check.compact == compact
    assert check.formatted == formatted
    assert check.kind == "national_id"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("295109912611199", "check digits"),  # stdnum's documented bad key
        ("295109912611293", "check digits"),  # one digit of the serial changed
        ("29510991261119", "wrong length"),  # one digit missing
        ("6546546546546703", "wrong length"),  # stdnum's documented 16-digit example
        ("253072C07300443", "expected format"),  # no department 2C
        ("2951099126111X3", "expected format"),  # a letter in the serial
    ],
)
def test_national_id_errors(host: PluginHost, typed: str, words: str) -> None:
    check = host.validate_national_id("FR", typed)
    assert not check.valid
    assert words in check.error
    assert "French social security number (NIR)" in check.error


# -- VAT number (stdnum.fr.tva) --------------------------------------------------------
# FR 40 303 265 045, 23 334 175 221 and the new-style K7 399 859 412 are the valid
# examples of the python-stdnum documentation of stdnum.fr.tva; 84 323 140 391
# and IO334175221 are its invalid ones.


@pytest.mark.parametrize(
    ("typed", "compact", "formatted"),
    [
        ("FR40303265045", "FR40303265045", "FR 40 303 265 045"),
        ("Fr 40 303 265 045", "FR40303265045", "FR 40 303 265 045"),
        ("40303265045", "FR40303265045", "FR 40 303 265 045"),
        ("23334175221", "FR23334175221", "FR 23 334 175 221"),
        ("K7399859412", "FRK7399859412", "FR K7 399 859 412"),
    ],
)
def test_hook_coopkit_validate_vat_number(
    host: PluginHost, typed: str, compact: str, formatted: str
) -> None:
    check = host.validate_vat_number("FR", typed)
    assert check.valid, check.error
    assert check.compact == compact
    assert check.formatted == formatted
    assert check.kind == "vat"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("FR40303265046", "check digits"),  # last digit changed
        ("FR41303265045", "check digits"),  # key changed
        ("84 323 140 391", "check digits"),
        ("FR4030326504", "wrong length"),
        ("FR403032650455", "wrong length"),
        ("IO334175221", "expected format"),  # the letters I and O are never used
        ("BE0403019261", "starts with BE"),  # a Belgian number is not French
    ],
)
def test_vat_number_errors(host: PluginHost, typed: str, words: str) -> None:
    check = host.validate_vat_number("FR", typed)
    assert not check.valid
    assert words in check.error
    assert "French VAT number" in check.error


# -- IBAN ------------------------------------------------------------------------------
# FR14 2004 1010 0505 0001 3M02 606 is the French example IBAN of the SWIFT IBAN
# registry; BE68 5390 0754 7034 the Belgian one.


def test_hook_coopkit_validate_iban(host: PluginHost) -> None:
    check = host.validate_iban("FR", "FR14 2004 1010 0505 0001 3M02 606")
    assert check.valid, check.error
    assert check.compact == "FR1420041010050500013M02606"
    assert check.formatted == "FR14 2004 1010 0505 0001 3M02 606"
    assert host.validate_iban("FR", "BE68539007547034").valid


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("FR1420041010050500013M02607", "check digits (the two digits"),  # last char changed
        # IBAN check digits recomputed for a BBAN whose RIB key (last two digits) is wrong
        ("FR8420041010050500013M02607", "national account number"),
        ("FR1420041010050500013M0260", "has 27 characters; this one has 26"),
        ("QQ1420041010050500013M02606", "not a country"),
    ],
)
def test_iban_errors(host: PluginHost, typed: str, words: str) -> None:
    check = host.validate_iban("FR", typed)
    assert not check.valid
    assert words in check.error


# -- public holidays -------------------------------------------------------------------


def test_hook_coopkit_public_holidays(host: PluginHost) -> None:
    holidays = host.public_holidays("FR", 2025)
    by_day = {holiday.day: holiday.name for holiday in holidays}
    assert by_day[date(2025, 7, 14)] == "National Day"
    assert by_day[date(2025, 5, 8)] == "Victory Day"
    assert by_day[date(2025, 11, 11)] == "Armistice Day"
    assert len(holidays) == 11  # the eleven jours fériés of Code du travail art. L3133-1
    assert [h.day for h in holidays] == sorted(by_day)
    assert date(2025, 7, 21) not in by_day


# -- VAT rates from country_profiles/fr/vat.yaml --------------------------------------


def test_hook_coopkit_vat_rates(host: PluginHost) -> None:
    rates = host.vat_rates("FR", date(2025, 3, 1))
    assert [(rate.code, rate.rate) for rate in rates] == [
        ("standard", Decimal("0.20")),
        ("intermediate", Decimal("0.10")),
        ("reduced", Decimal("0.055")),
        ("super_reduced", Decimal("0.021")),
    ]
    assert rates[0].valid_from == date(2014, 1, 1)
    assert "loi n° 2012-1510 du 29 décembre 2012" in rates[0].source
    assert "art. 68" in rates[0].source


@pytest.mark.parametrize(
    ("day", "standard", "intermediate"),
    [
        (date(2000, 4, 1), Decimal("0.196"), None),  # first day of 19.6 %, no 7 % yet
        (date(2011, 12, 31), Decimal("0.196"), None),
        (date(2012, 1, 1), Decimal("0.196"), Decimal("0.07")),
        (date(2013, 6, 1), Decimal("0.196"), Decimal("0.07")),
        (date(2013, 12, 31), Decimal("0.196"), Decimal("0.07")),
        (date(2014, 1, 1), Decimal("0.20"), Decimal("0.10")),
    ],
)
def test_vat_rates_on_dates(
    host: PluginHost, day: date, standard: Decimal, intermediate: Decimal | None
) -> None:
    rates = {rate.code: rate for rate in host.vat_rates("FR", day)}
    assert next(iter(rates)) == "standard"
    assert rates["standard"].rate == standard
    if intermediate is None:
        assert "intermediate" not in rates
    else:
        assert rates["intermediate"].rate == intermediate
    assert rates["reduced"].rate == Decimal("0.055")


def test_vat_rates_before_the_first_value(host: PluginHost) -> None:
    with pytest.raises(LawNotInForce) as caught:
        host.vat_rates("FR", date(2000, 3, 31))
    message = str(caught.value)
    assert "vat.standard" in message
    assert "2000-03-31" in message
    assert "first value starts on 2000-04-01" in message


def test_belgium_not_served_when_only_france_is_loaded(host: PluginHost) -> None:
    with pytest.raises(NoPluginForCountry, match="'BE'"):
        host.validate_iban("BE", "BE68539007547034")


# -- both first-party plugins together -------------------------------------------------


def test_both_plugins_through_entry_points() -> None:
    both = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be,fr"})
    assert sorted(both.countries) == ["BE", "FR"]
    assert both.vat_rates("BE", date(2025, 1, 1))[0].rate == Decimal("0.21")
    assert both.vat_rates("FR", date(2025, 1, 1))[0].rate == Decimal("0.20")
    assert both.validate_vat_number("BE", "BE0403019261").valid
    assert both.validate_vat_number("FR", "FR40303265045").valid
    assert {info.name for info in both.plugins()} == {"be", "fr"}


def test_disabled_plugin_is_hidden() -> None:
    only_be = PluginHost.from_environment(
        {"COOPKIT_LOAD_PLUGINS": "be,fr", "COOPKIT_DISABLED_PLUGINS": "fr"}
    )
    assert list(only_be.countries) == ["BE"]
    with pytest.raises(NoPluginForCountry, match="'FR'"):
        only_be.country("FR")


def test_hook_coopkit_public_holidays_in_french() -> None:
    host = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "fr"})
    names = {h.day: h.name for h in host.public_holidays("FR", 2026, "fr_FR")}
    assert names[date(2026, 7, 14)] == "Fête nationale"
