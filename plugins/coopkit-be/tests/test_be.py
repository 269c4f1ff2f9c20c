"""The Belgian plugin, loaded through its real entry point ``be``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coopkit.law import LawNotInForce
from coopkit.plugins import PluginHost

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def host() -> PluginHost:
    return PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})


def test_hook_coopkit_country(host: PluginHost) -> None:
    belgium = host.country("be")
    assert belgium.code == "BE"
    assert belgium.name == "Belgium"
    assert belgium.currency == "EUR"
    assert belgium.locales == ("fr_BE", "nl_BE", "de_BE", "en")
    assert belgium.default_locale == "fr_BE"
    assert belgium.profile_dir == REPO / "country_profiles" / "be"
    assert belgium.plugin == "be"
    assert list(host.countries) == ["BE"]


# -- national register number (stdnum.be.nn) ------------------------------------------
# Valid examples are those of the python-stdnum documentation of stdnum.be.nn
# (a man born on 30 July 1985, and one born on 30 July 2017, whose check digits
# are computed with a leading 2).


@pytest.mark.parametrize(
    ("typed", "compact", "formatted"),
    [
        ("85.07.30-033 28", "85073003328", "85.07.30-033.28"),
        ("85 07 30 033 28", "85073003328", "85.07.30-033.28"),
        ("17 07 30 033 84", "17073003384", "17.07.30-033.84"),
    ],
)
def test_hook_coopkit_validate_national_id(
    host: PluginHost, typed: str, compact: str, formatted: str
) -> None:
    check = host.validate_national_id("BE", typed)
    assert check.valid, check.error
    assert check.compact == compact
    assert check.formatted == formatted
    assert check.kind == "national_id"
    assert check.error == ""


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("85073003329", "check digits"),  # last digit of 85073003328 changed
        ("85073003428", "check digits"),  # a counter digit changed
        ("8507300332", "wrong length"),  # one digit missing
        ("850730033288", "wrong length"),  # one digit too many
        ("85O73003328", "expected format"),  # letter O typed for a zero
        ("85133003370", "cannot exist"),  # month 13, check digits recomputed to match
        ("", "Type the"),
    ],
)
def test_national_id_errors(host: PluginHost, typed: str, words: str) -> None:
    check = host.validate_national_id("BE", typed)
    assert not check.valid
    assert words in check.error
    assert "Belgian national register number" in check.error
    assert check.compact == ""


# -- VAT / enterprise number (stdnum.be.vat) -------------------------------------------
# 0403.019.261 and 0428.759.497 are the valid examples of the python-stdnum
# documentation of stdnum.be.vat; BE431150351 is its example of a bad checksum.


@pytest.mark.parametrize(
    ("typed", "compact", "formatted"),
    [
        ("BE0403019261", "BE0403019261", "BE 0403.019.261"),
        ("0403.019.261", "BE0403019261", "BE 0403.019.261"),
        ("BE 403019261", "BE0403019261", "BE 0403.019.261"),
        ("be 0428 759 497", "BE0428759497", "BE 0428.759.497"),
    ],
)
def test_hook_coopkit_validate_vat_number(
    host: PluginHost, typed: str, compact: str, formatted: str
) -> None:
    check = host.validate_vat_number("BE", typed)
    assert check.valid, check.error
    assert check.compact == compact
    assert check.formatted == formatted
    assert check.kind == "vat"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("BE0403019262", "check digits"),  # last digit changed
        ("BE0403019361", "check digits"),  # a middle digit changed
        ("BE431150351", "check digits"),  # stdnum's documented bad example
        ("BE04030192611", "wrong length"),
        ("BE04030192", "wrong length"),
        ("BE04030I9261", "expected format"),  # letter I for a one
        ("FR40303265045", "starts with FR"),  # a French number is not Belgian
    ],
)
def test_vat_number_errors(host: PluginHost, typed: str, words: str) -> None:
    check = host.validate_vat_number("BE", typed)
    assert not check.valid
    assert words in check.error
    assert "Belgian VAT number" in check.error


# -- IBAN (schwifty) -------------------------------------------------------------------
# BE68 5390 0754 7034 and FR14 2004 1010 0505 0001 3M02 606 are the example IBANs of
# Belgium and France in the SWIFT IBAN registry; DE89 3704 0044 0532 0130 00 is
# Germany's. BR18 0036 0305 0000 1000 9795 493C 1 is Brazil's (outside SEPA).


@pytest.mark.parametrize(
    ("typed", "compact", "formatted"),
    [
        ("BE68 5390 0754 7034", "BE68539007547034", "BE68 5390 0754 7034"),
        ("be68539007547034", "BE68539007547034", "BE68 5390 0754 7034"),
        (
            "FR14 2004 1010 0505 0001 3M02 606",
            "FR1420041010050500013M02606",
            "FR14 2004 1010 0505 0001 3M02 606",
        ),
        ("DE89370400440532013000", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"),
    ],
)
def test_hook_coopkit_validate_iban(
    host: PluginHost, typed: str, compact: str, formatted: str
) -> None:
    check = host.validate_iban("BE", typed)
    assert check.valid, check.error
    assert check.compact == compact
    assert check.formatted == formatted
    assert check.kind == "iban"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("BE68539007547035", "check digits (the two digits"),  # last digit changed
        ("BE69539007547034", "check digits (the two digits"),  # IBAN check digits changed
        # IBAN check digits recomputed for a BBAN whose Belgian mod-97 key is wrong
        ("BE41539007547035", "national account number"),
        ("BE6853900754703", "has 16 characters; this one has 15"),
        ("BE685390075470344", "has 16 characters; this one has 17"),
        ("XX68539007547034", "not a country"),
        ("BE68539007547O34", "layout"),  # letter O in the account number
        ("BR1800360305000010009795493C1", "outside the SEPA zone"),
        ("   ", "Type the IBAN"),
        ("1234", "This is not an IBAN"),
        ("BE", "This is not an IBAN"),
    ],
)
def test_iban_errors(host: PluginHost, typed: str, words: str) -> None:
    check = host.validate_iban("BE", typed)
    assert not check.valid
    assert words in check.error
    assert check.compact == ""


# -- public holidays -------------------------------------------------------------------


def test_hook_coopkit_public_holidays(host: PluginHost) -> None:
    holidays = host.public_holidays("BE", 2025)
    days = [holiday.day for holiday in holidays]
    assert days == sorted(days)
    by_day = {holiday.day: holiday.name for holiday in holidays}
    assert by_day[date(2025, 7, 21)] == "National Day"
    assert by_day[date(2025, 11, 11)] == "Armistice Day"
    assert by_day[date(2025, 4, 21)] == "Easter Monday"
    # The ten legal holidays, plus Easter Sunday and Whit Sunday (Sundays anyway)
    # which the holidays package lists too.
    assert len(holidays) == 12
    assert date(2025, 7, 14) not in by_day


# -- VAT rates from country_profiles/be/vat.yaml --------------------------------------


def test_hook_coopkit_vat_rates(host: PluginHost) -> None:
    rates = host.vat_rates("BE", date(2025, 3, 1))
    assert [(rate.code, rate.rate) for rate in rates] == [
        ("standard", Decimal("0.21")),
        ("intermediate", Decimal("0.12")),
        ("reduced", Decimal("0.06")),
        ("zero", Decimal("0")),
    ]
    standard = rates[0]
    assert standard.valid_from == date(1996, 1, 1)
    assert "Arrêté royal n° 20 du 20 juillet 1970" in standard.source
    assert "art. 37" in standard.source
    assert standard.label == "Standard rate"
    assert all(isinstance(rate.rate, Decimal) for rate in rates)


def test_vat_rates_before_later_rates_start(host: PluginHost) -> None:
    # In 1980 only the 6 % rate of this profile was in force; the standard rate of
    # 21 % starts in 1996 and is required.
    with pytest.raises(LawNotInForce, match="first value starts on 1996-01-01"):
        host.vat_rates("BE", date(1980, 1, 1))


def test_vat_rates_on_the_first_day_of_the_standard_rate(host: PluginHost) -> None:
    rates = host.vat_rates("BE", date(1996, 1, 1))
    assert rates[0].rate == Decimal("0.21")
    with pytest.raises(LawNotInForce):
        host.vat_rates("BE", date(1995, 12, 31))


def test_other_country_is_not_served(host: PluginHost) -> None:
    assert host.hook.coopkit_validate_iban(country="FR", iban="BE68539007547034") is None


def test_hook_coopkit_public_holidays_in_the_members_language() -> None:
    host = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    national_day = date(2026, 7, 21)
    names = {
        language: {h.day: h.name for h in host.public_holidays("BE", 2026, language)}[national_day]
        for language in ("nl_BE", "fr", "de_BE", "en", "pt_PT")
    }
    assert names == {
        "nl_BE": "Nationale feestdag",
        "fr": "Fête nationale",
        "de_BE": "Nationalfeiertag",
        "en": "National Day",
        "pt_PT": "National Day",  # no Portuguese names in the package: English
    }
