"""coopkit/plugins.py: loading plugins and calling them through PluginHost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coopkit import hookimpl
from coopkit.countries import (
    Country,
    IdentifierCheck,
    IdentifierExamples,
    InvoiceMentions,
    LatePaymentTerms,
    LegalMention,
    PublicHoliday,
    RequiredSellerField,
    ShareRules,
    VatExemption,
    VatRate,
)
from coopkit.governance.rules import ENGINE_DEFAULTS, AssemblyRules, ItemKind, Majority
from coopkit.law import ParameterSet
from coopkit.plugins import NoPluginForCountry, PluginError, PluginHost, hook_names

PROFILE = """\
standard:
  description: Standard rate
  values:
    - {valid_from: 2020-01-01, value: 0.25, source: Testland VAT Act s. 1}
"""


def make_testland(profile_dir: Path, code: str = "XX") -> object:
    """A complete plugin for a made-up country, implementing every hook."""

    class Testland:
        @hookimpl
        def coopkit_country(self) -> Country:
            return Country(
                code=code,
                name="Testland",
                currency="EUR",
                locales=("en",),
                profile_dir=profile_dir,
            )

        @hookimpl
        def coopkit_validate_national_id(self, country: str, number: str) -> IdentifierCheck | None:
            if country != code:
                return None
            return IdentifierCheck(valid=number == "42", compact=number, kind="national_id")

        @hookimpl
        def coopkit_validate_vat_number(self, country: str, number: str) -> IdentifierCheck | None:
            if country != code:
                return None
            return IdentifierCheck(valid=True, compact=f"{code}{number}", kind="vat")

        @hookimpl
        def coopkit_validate_company_id(self, country: str, number: str) -> IdentifierCheck | None:
            if country != code:
                return None
            ok = number.isdigit()
            return IdentifierCheck(valid=ok, compact=f"{code}-{number}", error="" if ok else "no")

        @hookimpl
        def coopkit_validate_iban(self, country: str, iban: str) -> IdentifierCheck | None:
            if country != code:
                return None
            return IdentifierCheck(valid=iban.startswith(code), compact=iban, kind="iban")

        @hookimpl
        def coopkit_identifier_examples(self, country: str) -> IdentifierExamples | None:
            if country != code:
                return None
            return IdentifierExamples(("42",), ("123",), (f"{code}00",), "made up", ("7",))

        @hookimpl
        def coopkit_public_holidays(
            self, country: str, year: int
        ) -> Sequence[PublicHoliday] | None:
            if country != code:
                return None
            return [PublicHoliday(date(year, 1, 1), "New Year")]

        @hookimpl
        def coopkit_vat_rates(
            self, country: str, on: date, law: ParameterSet
        ) -> Sequence[VatRate] | None:
            if country != code:
                return None
            entry = law.entry("vat.standard", on)
            return [VatRate("standard", entry.value, entry.source, entry.valid_from)]

        @hookimpl
        def coopkit_vat_exemptions(
            self, country: str, on: date, law: ParameterSet
        ) -> Sequence[VatExemption] | None:
            if country != code:
                return None
            return [
                VatExemption(
                    "reverse",
                    "AE",
                    "VATEX-EU-AE",
                    "Reverse charge",
                    "VAT Act s. 9",
                    date(2020, 1, 1),
                )
            ]

        @hookimpl
        def coopkit_invoice_mentions(
            self, country: str, on: date, law: ParameterSet
        ) -> InvoiceMentions | None:
            if country != code:
                return None
            return InvoiceMentions(
                (LegalMention("late", "Late fees apply.", "Trade Act s. 1", date(2020, 1, 1)),),
                (
                    RequiredSellerField(
                        "company_number", "Company", "Trade Act s. 2", date(2020, 1, 1)
                    ),
                ),
            )

        @hookimpl
        def coopkit_late_payment_terms(
            self, country: str, on: date, law: ParameterSet
        ) -> LatePaymentTerms | None:
            if country != code:
                return None
            return LatePaymentTerms(
                Decimal("0.1"), "Late Act s. 5", date(2020, 1, 1), None, Decimal(40), "EUR", "s. 6"
            )

        @hookimpl
        def coopkit_assembly_rules(
            self, country: str, on: date, law: ParameterSet
        ) -> AssemblyRules | None:
            if country != code:
                return None
            return replace(ENGINE_DEFAULTS, notice_days=21, notice_source="Coop Act s. 3")

        @hookimpl
        def coopkit_share_rules(
            self, country: str, on: date, law: ParameterSet
        ) -> ShareRules | None:
            if country != code:
                return None
            return ShareRules(
                date(2020, 1, 1), 3, "Coop Act s. 7", "nominal", "s. 8", Decimal("0.5"), "s. 9", ""
            )

    return Testland()


class CountryOnly:
    """Serves a country but implements none of the firstresult hooks."""

    def __init__(self, code: str, profile_dir: Path) -> None:
        self.code = code
        self.profile_dir = profile_dir

    @hookimpl
    def coopkit_country(self) -> Country:
        return Country(self.code, "Somewhere", "EUR", ("en",), self.profile_dir)


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "vat.yaml").write_text(PROFILE, encoding="utf-8")
    return folder


@pytest.fixture
def host(profile: Path) -> PluginHost:
    return PluginHost.from_plugins([("testland", make_testland(profile))])


def test_hook_names_are_the_contract() -> None:
    assert hook_names() == [
        "coopkit_country",
        "coopkit_validate_national_id",
        "coopkit_validate_vat_number",
        "coopkit_validate_iban",
        "coopkit_validate_company_id",
        "coopkit_identifier_examples",
        "coopkit_public_holidays",
        "coopkit_vat_rates",
        "coopkit_vat_exemptions",
        "coopkit_invoice_mentions",
        "coopkit_late_payment_terms",
        "coopkit_payroll_rules",
        "coopkit_chart_of_accounts",
        "coopkit_expense_categories",
        "coopkit_assembly_rules",
        "coopkit_surplus_rules",
        "coopkit_share_rules",
    ]


# -- one test per hook, through the facade --------------------------------------------


def test_hook_coopkit_country(host: PluginHost, profile: Path) -> None:
    country = host.country("xx")
    assert country.code == "XX"
    assert country.plugin == "testland"
    assert country.profile_dir == profile
    assert list(host.countries) == ["XX"]


def test_hook_coopkit_validate_national_id(host: PluginHost) -> None:
    assert host.validate_national_id("XX", "42").valid
    assert not host.validate_national_id("xx", "41").valid


def test_hook_coopkit_validate_vat_number(host: PluginHost) -> None:
    assert host.validate_vat_number("XX", "123").compact == "XX123"


def test_hook_coopkit_validate_company_id(host: PluginHost) -> None:
    assert host.validate_company_id("XX", "7").compact == "XX-7"
    assert not host.validate_company_id("XX", "x").valid


def test_first_party_plugins_check_company_ids(plugins: PluginHost) -> None:
    assert plugins.validate_company_id("FR", "732 829 320").compact == "732829320"
    assert "SIREN" in plugins.validate_company_id("FR", "123456789").error
    assert plugins.validate_company_id("BE", "0403.019.261").compact == "0403019261"
    assert not plugins.validate_company_id("BE", "0403.019.262").valid


def test_hook_coopkit_validate_iban(host: PluginHost) -> None:
    assert host.validate_iban("XX", "XX00").valid
    assert not host.validate_iban("XX", "YY00").valid


def test_hook_coopkit_identifier_examples(host: PluginHost, plugins: PluginHost) -> None:
    assert host.identifier_examples("xx").national_id == ("42",)
    # The first-party plugins cite official examples their own validators accept.
    for country in ("BE", "FR"):
        examples = plugins.identifier_examples(country)
        assert "IBAN Registry" in examples.source
        assert all(plugins.validate_iban(country, iban).valid for iban in examples.iban)
    assert "BE68539007547034" in plugins.identifier_examples("BE").iban
    assert "FR1420041010050500013M02606" in plugins.identifier_examples("FR").iban


def test_hook_coopkit_public_holidays(host: PluginHost) -> None:
    assert host.public_holidays("XX", 2030) == [PublicHoliday(date(2030, 1, 1), "New Year")]


def test_hook_coopkit_vat_rates(host: PluginHost) -> None:
    (rate,) = host.vat_rates("XX", date(2024, 5, 1))
    assert rate.rate == Decimal("0.25")
    assert rate.source == "Testland VAT Act s. 1"
    assert host.law("XX") is host.law("xx")  # loaded once


def test_hook_coopkit_vat_exemptions(host: PluginHost, plugins: PluginHost) -> None:
    (exemption,) = host.vat_exemptions("XX", date(2024, 5, 1))
    assert (exemption.code, exemption.category, exemption.vatex) == ("reverse", "AE", "VATEX-EU-AE")
    belgian = {e.code: e for e in plugins.vat_exemptions("BE", date(2026, 1, 1))}
    assert set(belgian) == {
        "reverse_charge_services",
        "intra_eu_goods",
        "export",
        "exempt_article_44",
    }
    assert belgian["intra_eu_goods"].category == "K"
    assert "39bis" in belgian["intra_eu_goods"].source
    assert belgian["reverse_charge_services"].buyer == "eu_business"


def test_hook_coopkit_invoice_mentions(host: PluginHost, plugins: PluginHost) -> None:
    mentions = host.invoice_mentions("XX", date(2024, 5, 1))
    assert [m.text for m in mentions.texts] == ["Late fees apply."]
    assert [f.field for f in mentions.seller_fields] == ["company_number"]
    french = plugins.invoice_mentions("FR", date(2026, 1, 1))
    assert {f.field for f in french.seller_fields} == {
        "company_number",
        "register",
        "legal_form",
        "share_capital",
    }
    assert all(m.business_only for m in french.texts)
    assert any("L441-10" in m.source for m in french.texts)
    assert plugins.invoice_mentions("BE", date(2026, 1, 1)).texts == ()


def test_hook_coopkit_late_payment_terms(host: PluginHost, plugins: PluginHost) -> None:
    terms = host.late_payment_terms("XX", date(2024, 5, 1))
    assert terms is not None
    assert (terms.rate, terms.compensation, terms.currency) == (Decimal("0.1"), 40, "EUR")
    belgian = plugins.late_payment_terms("BE", date(2025, 8, 1))
    assert belgian is not None
    assert belgian.rate == Decimal("0.105")
    assert (belgian.rate_valid_from, belgian.rate_valid_until) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert "2 août 2002" in belgian.rate_source
    assert belgian.compensation == 40
    assert "art. 6" in belgian.compensation_source
    french = plugins.late_payment_terms("FR", date(2024, 3, 1))
    assert french is not None
    assert french.rate == Decimal("0.145")
    assert "L441-10" in french.rate_source
    assert "D441-5" in french.compensation_source


def test_hook_coopkit_assembly_rules(host: PluginHost) -> None:
    rules = host.assembly_rules("XX", date(2024, 5, 1))
    assert rules is not None
    assert (rules.notice_days, rules.notice_source) == (21, "Coop Act s. 3")
    assert rules.ordinary == ENGINE_DEFAULTS.ordinary


def test_first_party_assembly_rules(plugins: PluginHost) -> None:
    belgian = plugins.assembly_rules("BE", date(2026, 6, 1))
    assert belgian is not None
    assert belgian.notice_days == 15
    assert belgian.rule(ItemKind.EXTRAORDINARY).quorum == Decimal("0.5")
    assert belgian.extraordinary.majority is Majority.THREE_QUARTERS
    assert belgian.extraordinary.second_call_quorum == 0
    assert "6:85" in belgian.extraordinary.source
    assert belgian.max_vote_share == Decimal("0.1")
    assert belgian.proxies_set_by_statutes
    french = plugins.assembly_rules("FR", date(2026, 6, 1))
    assert french is not None
    assert (french.college_min, french.college_max) == (Decimal("0.1"), Decimal("0.5"))
    assert french.ordinary.quorum == Decimal("0.25")
    # The third of the extraordinary quorum is written 1/3 and kept to 28 digits.
    assert str(french.extraordinary.quorum).startswith("0.3333333333")
    # SCOP proxies: one below twenty members, a twentieth of the members from twenty on.
    assert [french.proxy_cap(n) for n in (5, 19, 20, 59, 60)] == [1, 1, 1, 2, 3]


def test_hook_coopkit_share_rules(host: PluginHost, plugins: PluginHost) -> None:
    made_up = host.share_rules("XX", date(2024, 5, 1))
    assert made_up is not None
    assert (made_up.window_months, made_up.floor_of_highest) == (3, Decimal("0.5"))
    assert made_up.sources == ("Coop Act s. 7", "s. 8", "s. 9")
    # Belgium: six months from the start of the financial year, no floor but the statutes'.
    belgian = plugins.share_rules("BE", date(2026, 3, 1))
    assert belgian is not None
    assert belgian.window_months == 6
    assert "6:120 §1" in belgian.window_source
    assert belgian.floor_of_highest == 0
    assert belgian.value == "nominal"
    assert belgian.statutory_floor_source
    # France: no window in the law, a quarter of the highest capital ever reached.
    french = plugins.share_rules("FR", date(2026, 3, 1))
    assert french is not None
    assert french.window_months is None
    assert french.floor_of_highest == Decimal("0.25")
    assert "L231-5" in french.floor_source
    assert "47-1775" in french.floor_source


def test_late_payment_rates_are_not_invented_past_their_sources(plugins: PluginHost) -> None:
    from coopkit.law import LawNotInForce

    for country in ("BE", "FR"):
        last = plugins.late_payment_terms(country, date(2026, 6, 30))
        assert last is not None
        assert last.rate_valid_until == date(2026, 6, 30)
        with pytest.raises(LawNotInForce):
            plugins.late_payment_terms(country, date(2026, 7, 1))


def test_optional_invoicing_hooks_default_to_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "yy"
    folder.mkdir()
    (folder / "vat.yaml").write_text(PROFILE, encoding="utf-8")
    host = PluginHost.from_plugins([("only", CountryOnly("YY", folder))])
    assert host.vat_exemptions("YY", date(2024, 1, 1)) == []
    assert host.invoice_mentions("YY", date(2024, 1, 1)) == InvoiceMentions()
    assert host.late_payment_terms("YY", date(2024, 1, 1)) is None
    assert host.assembly_rules("YY", date(2024, 1, 1)) is None
    assert host.share_rules("YY", date(2024, 1, 1)) is None


def test_profiles_dir_overrides_the_plugin_folder(tmp_path: Path, profile: Path) -> None:
    override = tmp_path / "override" / "xx"
    override.mkdir(parents=True)
    (override / "vat.yaml").write_text(PROFILE.replace("0.25", "0.3"), encoding="utf-8")
    host = PluginHost.from_plugins([("testland", make_testland(profile))], tmp_path / "override")
    assert host.vat_rates("XX", date(2024, 1, 1))[0].rate == Decimal("0.3")


# -- contract errors --------------------------------------------------------------------


def test_misspelled_hook_is_an_error_at_start_up() -> None:
    class Typo:
        @hookimpl
        def coopkit_contry(self) -> None:
            return None

    with pytest.raises(PluginError, match="coopkit_contry"):
        PluginHost.from_plugins([("typo", Typo())])


def test_hook_with_unknown_argument_is_refused() -> None:
    class WrongArgument:
        @hookimpl
        def coopkit_validate_iban(self, country: str, account: str) -> None:
            return None

    with pytest.raises(PluginError, match="'wrong'"):
        PluginHost.from_plugins([("wrong", WrongArgument())])


def test_two_plugins_for_one_country(tmp_path: Path) -> None:
    host = PluginHost.from_plugins(
        [("first", CountryOnly("XX", tmp_path)), ("second", CountryOnly("XX", tmp_path))]
    )
    with pytest.raises(PluginError) as caught:
        host.countries  # noqa: B018
    message = str(caught.value)
    assert "XX" in message
    assert "'first'" in message
    assert "'second'" in message


def test_lower_case_country_code_is_normalised(tmp_path: Path) -> None:
    host = PluginHost.from_plugins([("lower", CountryOnly("xx", tmp_path))])
    assert host.country("XX").code == "XX"


def test_country_without_plugin(host: PluginHost) -> None:
    with pytest.raises(NoPluginForCountry) as caught:
        host.validate_iban("pt", "PT50000201231234567890154")
    assert caught.value.country == "PT"
    message = str(caught.value)
    assert "'PT'" in message
    assert "served: XX" in message
    assert "coopkit-pt" in message


def test_no_plugins_at_all() -> None:
    empty = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": ""})
    assert empty.countries == {}
    with pytest.raises(NoPluginForCountry, match="served: none"):
        empty.country("BE")


def test_firstresult_hook_not_implemented(tmp_path: Path) -> None:
    host = PluginHost.from_plugins([("lazy", CountryOnly("ZZ", tmp_path))])
    with pytest.raises(PluginError) as caught:
        host.validate_national_id("ZZ", "1")
    message = str(caught.value)
    assert "coopkit_validate_national_id" in message
    assert "'lazy'" in message
    assert "ZZ" in message


def test_trace_writes_hook_calls_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    traced = PluginHost.from_environment(
        {"COOPKIT_LOAD_PLUGINS": "be", "COOPKIT_TRACE_PLUGINS": "1"}
    )
    traced.validate_iban("BE", "BE68539007547034")
    err = capsys.readouterr().err
    assert "coopkit_validate_iban" in err
    assert "BE68539007547034" in err


def test_no_trace_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    quiet = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    quiet.validate_iban("BE", "BE68539007547034")
    assert "coopkit_validate_iban" not in capsys.readouterr().err


def test_plugins_lists_names_and_hooks() -> None:
    host = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    (info,) = host.plugins()
    assert info.name == "be"
    from coopkit.testing import OPTIONAL_HOOKS

    # coopkit-be has no payroll yet; optional hooks may be missing.
    assert set(hook_names()) - OPTIONAL_HOOKS <= set(info.hooks) <= set(hook_names())


def test_plugins_lists_distribution_versions() -> None:
    host = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    (info,) = host.plugins()
    assert info.version == "0.1.0"
