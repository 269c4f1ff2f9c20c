"""Clients: VAT numbers checked by the plugin or python-stdnum, languages, duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from coopkit.invoicing.clients import create_client, list_clients
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError
from coopkit.plugins import PluginHost
from tests.conftest import Database
from tests.invoicing_world import CLIENTS, World, invoicing_world


@pytest.fixture
def world(sqlite_db: Database, plugins: PluginHost) -> World:
    return invoicing_world(sqlite_db, plugins, "BE", clients=())


@pytest.fixture
def session(sqlite_db: Database, world: World) -> Iterator[Session]:
    with world.session(sqlite_db) as session:
        yield session


def company(**changes: Any) -> dict[str, Any]:
    return {**CLIENTS["be_company"], **changes}


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("BE", "be 0477.472.701", "BE0477472701"),  # coopkit-be (stdnum.be.vat)
        ("FR", "23 334 175 221", "FR23334175221"),  # coopkit-fr, without its prefix
        ("DE", "DE 136 695 976", "DE136695976"),  # no plugin: stdnum.eu.vat
        ("DE", "136695976", "DE136695976"),
        ("GR", "EL094259216", "EL094259216"),  # Greece's VAT prefix is EL
        ("CH", "CHE-107.787.577 IVA", "CHE107787577IVA"),  # outside the EU: stdnum.ch.vat
    ],
)
def test_vat_numbers_are_checked_and_stored_compact(
    session: Session, plugins: PluginHost, country: str, typed: str, stored: str
) -> None:
    client = create_client(
        session, plugins=plugins, **company(country=country, vat_number=typed, locale=None)
    )
    assert client.vat_number == stored


@pytest.mark.parametrize(
    ("country", "typed", "message"),
    [
        ("BE", "BE0477472702", "check digits do not match"),
        ("FR", "FR23334175222", "check digits do not match"),
        ("DE", "DE136695977", "check digits do not match"),
        ("DE", "FR23334175221", "starts with FR"),
        ("US", "12-3456789", "cannot check VAT numbers of US"),
    ],
)
def test_a_wrong_vat_number_is_refused_with_the_validators_words(
    session: Session, plugins: PluginHost, country: str, typed: str, message: str
) -> None:
    with pytest.raises(InvoicingError, match=message) as refused:
        create_client(session, plugins=plugins, **company(country=country, vat_number=typed))
    assert refused.value.field == "vat_number"


def test_a_vat_number_belongs_to_one_client(session: Session, plugins: PluginHost) -> None:
    create_client(session, plugins=plugins, **company())
    with pytest.raises(InvoicingConflict, match="already the client 'Brasserie"):
        create_client(
            session, plugins=plugins, **company(name="Other", vat_number="BE 0477 472 701")
        )


def test_the_language_defaults_to_the_clients_country_and_must_be_offered(
    session: Session, plugins: PluginHost
) -> None:
    french = create_client(
        session, plugins=plugins, **company(country="FR", vat_number=None, locale=None)
    )
    assert french.locale == "fr_FR"
    german = create_client(
        session, plugins=plugins, **company(country="DE", vat_number=None, locale=None)
    )
    assert german.locale == "de_DE"  # the language coopkit-de writes first
    austrian = create_client(
        session, plugins=plugins, **company(country="AT", vat_number=None, locale=None)
    )
    assert austrian.locale == "en"  # no plugin for AT: English, which the plugins write
    with pytest.raises(InvoicingError, match="documents can be written in") as refused:
        create_client(session, plugins=plugins, **company(vat_number=None, locale="ja"))
    assert refused.value.field == "locale"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "robot"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"name": "  "}, "name"),
        ({"street": ""}, "street"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_bad_client_fields_are_named(
    session: Session, plugins: PluginHost, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvoicingError) as refused:
        create_client(session, plugins=plugins, **company(vat_number=None, **changes))
    assert refused.value.field == field


def test_clients_are_listed_by_name(session: Session, plugins: PluginHost) -> None:
    for name in ("Zeta", "alpha", "Mid"):
        create_client(session, plugins=plugins, **company(name=name, vat_number=None))
    assert [c.name for c in list_clients(session)] == ["alpha", "Mid", "Zeta"]
    assert [c.name for c in list_clients(session, "et")] == ["Zeta"]
