"""VAT on invoice lines: treatments from the plugins by date, line nets, the breakdown,
reverse charge only for those who qualify, exemption wording in the client's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit import i18n
from coopkit.invoicing.drafts import lines_of
from coopkit.invoicing.errors import InvoicingError
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.vat import Treatment, line_net, totals, treatments, vat_groups
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import DAY, World, draft, invoicing_world, line


@pytest.fixture
def world(sqlite_db: Database, plugins: PluginHost) -> World:
    return invoicing_world(sqlite_db, plugins, "BE")


@pytest.fixture
def session(sqlite_db: Database, world: World) -> Iterator[Session]:
    with world.session(sqlite_db) as session:
        yield session


def test_the_treatments_of_a_day_are_the_rates_then_the_exemptions(plugins: PluginHost) -> None:
    found = treatments(plugins, "BE", DAY)
    assert [t.code for t in found.values()][:4] == ["standard", "intermediate", "reduced", "zero"]
    assert found["standard"] == Treatment(
        "standard", "S", Decimal("0.21"), "Standard rate", found["standard"].source
    )
    assert found["zero"].category == "Z"
    reverse = found["reverse_charge_services"]
    assert (reverse.category, reverse.vatex, reverse.rate) == ("AE", "VATEX-EU-AE", 0)
    assert "art. 21, § 2" in reverse.wording
    assert found["export"].buyer == "outside_eu"
    french = treatments(plugins, "FR", DAY)
    assert french["small_business_franchise"].vatex == "VATEX-FR-FRANCHISE"
    assert french["small_business_franchise"].wording == (
        "VAT not applicable, art. 293 B of the French General Tax Code."
    )


def test_a_rate_is_the_one_of_the_supply_date(plugins: PluginHost) -> None:
    assert treatments(plugins, "FR", date(2013, 12, 31))["standard"].rate == Decimal("0.196")
    assert treatments(plugins, "FR", date(2014, 1, 1))["standard"].rate == Decimal("0.20")
    # Exemption wordings are law too: none before the day they are required.
    assert "reverse_charge_services" not in treatments(plugins, "BE", date(2012, 12, 31))


def test_line_nets_round_half_up_to_the_cent() -> None:
    assert line_net(Decimal(3), Decimal("3.335"), "EUR") == Decimal("10.01")
    assert line_net(Decimal("1.5"), Decimal("0.01"), "EUR") == Decimal("0.02")
    assert line_net(Decimal(2), Decimal(100), "JPY") == Decimal(200)


def test_vat_is_rounded_once_per_category_and_rate_not_per_line(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = draft(
        session,
        world,
        plugins,
        line("10.01"),
        line("10.01"),
        line("10.01"),
        line("99.99", "reduced"),
        line("0.50", "zero"),
    )
    groups = vat_groups(lines_of(session, invoice), "EUR")
    assert [(g.category, g.rate, g.taxable, g.vat) for g in groups] == [
        ("S", Decimal("0.21"), Decimal("30.03"), Decimal("6.31")),  # per line: 3 × 2.10 = 6.30
        ("S", Decimal("0.06"), Decimal("99.99"), Decimal("6.00")),
        ("Z", Decimal("0"), Decimal("0.50"), Decimal("0.00")),
    ]
    assert (invoice.net_total, invoice.vat_total, invoice.gross_total) == (
        Decimal("130.52"),
        Decimal("12.31"),
        Decimal("142.83"),
    )
    assert totals(groups, "EUR").gross == invoice.gross_total


def test_reverse_charge_for_a_business_of_another_member_state(
    session: Session, world: World, plugins: PluginHost
) -> None:
    invoice = draft(
        session,
        world,
        plugins,
        line("1200.00", "reverse_charge_services"),
        line("100.00"),
        client="de_company",
    )
    groups = vat_groups(lines_of(session, invoice), "EUR")
    assert [(g.category, g.taxable, g.vat) for g in groups] == [
        ("AE", Decimal("1200.00"), Decimal("0.00")),
        ("S", Decimal("100.00"), Decimal("21.00")),
    ]
    ae = lines_of(session, invoice)[0]
    assert ae.vat_exemption_code == "VATEX-EU-AE"
    assert ae.vat_exemption_reason.startswith("Reverse charge")


@pytest.mark.parametrize(
    ("client", "code", "reason"),
    [
        ("be_company", "reverse_charge_services", "the cooperative's own country"),
        ("be_person", "reverse_charge_services", "only for a business client"),
        ("us_company", "reverse_charge_services", "needs a VAT number of another EU"),
        ("fr_company", "export", "only for a client outside the EU"),
        ("de_company", "intra_eu_goods", None),
        ("us_company", "export", None),
    ],
)
def test_special_treatments_only_for_clients_who_qualify(
    session: Session,
    world: World,
    plugins: PluginHost,
    client: str,
    code: str,
    reason: str | None,
) -> None:
    if reason is None:
        assert draft(session, world, plugins, line("50.00", code), client=client).vat_total == 0
        return
    with pytest.raises(InvoicingError, match=reason) as refused:
        draft(session, world, plugins, line("50.00", code), client=client)
    assert refused.value.field == "lines[0].vat_code"


def test_an_unknown_vat_code_lists_those_that_exist(
    session: Session, world: World, plugins: PluginHost
) -> None:
    with pytest.raises(InvoicingError, match="use one of: standard, intermediate") as refused:
        draft(session, world, plugins, line("50.00", "super_reduced"))
    assert refused.value.field == "lines[0].vat_code"


@pytest.fixture
def french_wording(plugins: PluginHost) -> str:
    """The Belgian reverse-charge wording as the Belgian plugin's French catalog gives it."""
    wording = treatments(plugins, "BE", DAY)["reverse_charge_services"].wording
    french = i18n.gettext("fr", wording)
    assert french != wording
    assert french.startswith("Autoliquidation")
    return french


def test_the_exemption_wording_is_printed_in_the_clients_language(
    session: Session, world: World, plugins: PluginHost, french_wording: str
) -> None:
    de_client = draft(
        session, world, plugins, line("900.00", "reverse_charge_services"), client="de_company"
    )
    issue_invoice(session, de_client.id, day=DAY, plugins=plugins)
    assert lines_of(session, de_client)[0].vat_exemption_reason.startswith(
        "Umkehrung der Steuerschuldnerschaft"  # a German client reads German (coopkit-de)
    )
    from coopkit.invoicing.clients import get_client

    client = get_client(session, world.clients["de_company"])
    client.locale = "fr_BE"
    session.flush()
    in_french = draft(
        session, world, plugins, line("900.00", "reverse_charge_services"), client="de_company"
    )
    issue_invoice(session, in_french.id, day=DAY, plugins=plugins)
    assert in_french.locale == "fr_BE"
    assert lines_of(session, in_french)[0].vat_exemption_reason == french_wording
