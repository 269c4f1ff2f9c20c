"""Clients: the customers of the cooperative, shared by all its activities.

A client is a company or a person, with a postal address (the invoice must
carry it), a language its documents are written in, and for a business its
VAT number, checked by the country plugin of the client's country, or by
python-stdnum (``stdnum.eu.vat``, or the country's own ``vat`` module) for a
country no plugin serves. A VAT number appears once per cooperative.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

import stdnum
from babel import Locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from stdnum.eu import vat as eu_vat

from coopkit.countries import IdentifierCheck
from coopkit.invoicing.cooperative import current_cooperative
from coopkit.invoicing.errors import InvoicingConflict, InvoicingError, UnknownClient
from coopkit.invoicing.eu import is_member_state, vat_prefix
from coopkit.invoicing.models import Client, ClientKind
from coopkit.plugin_helpers import check_with_stdnum
from coopkit.plugins import NoPluginForCountry, PluginHost, default_host

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRIES = frozenset(
    str(code) for code in Locale("en").territories if re.fullmatch("[A-Z]{2}", str(code))
)


@dataclass(frozen=True)
class ClientFields:
    """A client as typed (every field checked by :func:`create_client`)."""

    kind: str
    name: str
    country: str
    street: str
    postcode: str
    city: str
    email: str = ""
    locale: str | None = None
    vat_number: str | None = None
    company_number: str = ""


def check_vat_number(plugins: PluginHost, country: str, number: str, on: date) -> IdentifierCheck:
    """Check a VAT number of ``country``: its plugin, else python-stdnum."""
    code = country.upper()
    if code in plugins.countries:
        return plugins.validate_vat_number(code, number)
    label = f"VAT number of {code}"
    if is_member_state(code, on):
        typed = "".join(number.split()).upper()
        prefix = vat_prefix(code)
        if typed[:2] != prefix and typed[:2].isalpha():
            return IdentifierCheck(
                valid=False,
                error=f"This {label} starts with {typed[:2]}: a VAT number of {code} starts "
                f"with {prefix} or with its digits.",
                kind="vat",
            )
        checked = check_with_stdnum(
            eu_vat, typed if typed[:2] == prefix else prefix + typed, "vat", label=label
        )
        return checked
    module = stdnum.get_cc_module(code.lower(), "vat")
    if module is None:
        return IdentifierCheck(
            valid=False,
            error=f"coopkit cannot check VAT numbers of {code}; leave the VAT number empty.",
            kind="vat",
        )
    return check_with_stdnum(module, number, "vat", label=label)  # type: ignore[arg-type]


def document_locales(plugins: PluginHost) -> list[str]:
    """The languages the installed country plugins can write documents in."""
    return list(dict.fromkeys(loc for c in plugins.countries.values() for loc in c.locales))


def _default_locale(plugins: PluginHost, country: str, fallback: str) -> str:
    try:
        return plugins.country(country).default_locale
    except NoPluginForCountry:
        return "en" if "en" in document_locales(plugins) else fallback


def _text(value: str, field: str, what: str, limit: int) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvoicingError(f"give the client's {what}", field)
    if len(cleaned) > limit:
        raise InvoicingError(f"the client's {what} has at most {limit} characters", field)
    return cleaned


def create_client(db: Session, *, plugins: PluginHost | None = None, **fields: object) -> Client:
    """Add a client to the session's cooperative, every field checked (InvoicingError says
    which and why; InvoicingConflict for a VAT number another client has)."""
    host = plugins or default_host()
    data = ClientFields(**fields)  # type: ignore[arg-type]
    tenant = current_cooperative(db)
    try:
        kind = ClientKind(data.kind)
    except ValueError:
        raise InvoicingError("a client is a company or a person", "kind") from None
    country = data.country.strip().upper()
    if country not in COUNTRIES:
        raise InvoicingError(
            f"country {data.country!r}: give the ISO code of the client's country (BE, FR, DE…)",
            "country",
        )
    email = data.email.strip()
    if email and not EMAIL.match(email):
        raise InvoicingError(f"{email!r} is not an email address", "email")
    offered = document_locales(host)
    locale = data.locale or _default_locale(host, country, tenant.default_locale)
    if locale not in offered:
        raise InvoicingError(
            f"language {locale!r}: documents can be written in {', '.join(offered)}", "locale"
        )
    vat_number = None
    if data.vat_number and data.vat_number.strip():
        check = check_vat_number(host, country, data.vat_number, date.today())
        if not check.valid:
            raise InvoicingError(check.error, "vat_number")
        vat_number = check.compact
        holder = db.scalar(select(Client).where(Client.vat_number == vat_number))
        if holder is not None:
            raise InvoicingConflict(
                f"the VAT number {vat_number} is already the client {holder.name!r}'s: "
                "use that client",
                "vat_number",
            )
    client = Client(
        kind=kind,
        name=_text(data.name, "name", "name", 200),
        country=country,
        vat_number=vat_number,
        company_number=data.company_number.strip()[:30],
        street=_text(data.street, "street", "street and number", 200),
        postcode=_text(data.postcode, "postcode", "postcode", 20),
        city=_text(data.city, "city", "city", 100),
        email=email,
        locale=locale,
    )
    db.add(client)
    db.flush()
    return client


def get_client(db: Session, client_id: uuid.UUID) -> Client:
    client = db.scalar(select(Client).where(Client.id == client_id))
    if client is None:
        raise UnknownClient(client_id)
    return client


def list_clients(db: Session, search: str = "") -> list[Client]:
    """The cooperative's clients by name, those whose name contains ``search``."""
    query = select(Client).order_by(func.lower(Client.name), Client.name)
    if search.strip():
        query = query.where(Client.name.ilike(f"%{search.strip()}%"))
    return list(db.scalars(query))
