"""The cooperative's legal identity as a seller, set by staff, dated by ``valid_from``.

Its VAT number is checked by the plugin of the coop's country, its IBAN by
``coopkit_validate_iban``; both are stored compact. A second identity from the
same day replaces the first (a correction); a later day starts a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.invoicing.cooperative import current_cooperative
from coopkit.invoicing.errors import InvoicingError
from coopkit.invoicing.models import SellerIdentity
from coopkit.plugins import PluginHost, default_host

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")
REQUIRED = ("legal_name", "street", "postcode", "city")


@dataclass(frozen=True)
class SellerFields:
    valid_from: date
    legal_name: str
    street: str
    postcode: str
    city: str
    vat_number: str
    iban: str
    legal_form: str = ""
    company_number: str = ""
    register: str = ""
    share_capital: str = ""
    bic: str = ""
    email: str = ""
    website: str = ""
    brand_colour: str = "#1f5f8b"
    logo_png: bytes | None = None


def set_seller_identity(
    db: Session, data: SellerFields, *, plugins: PluginHost | None = None
) -> SellerIdentity:
    """Record the coop's identity from ``data.valid_from`` on (InvoicingError names the field)."""
    host = plugins or default_host()
    tenant = current_cooperative(db)
    for name in REQUIRED:
        if not str(getattr(data, name)).strip():
            raise InvoicingError(f"give the cooperative's {name.replace('_', ' ')}", name)
    vat = host.validate_vat_number(tenant.country, data.vat_number)
    if not vat.valid:
        raise InvoicingError(vat.error, "vat_number")
    iban = host.validate_iban(tenant.country, data.iban)
    if not iban.valid:
        raise InvoicingError(iban.error, "iban")
    bic = data.bic.strip().upper()
    if bic and not BIC.match(bic):
        raise InvoicingError(f"{bic!r} is not a BIC (8 or 11 letters and digits)", "bic")
    if not COLOUR.match(data.brand_colour):
        raise InvoicingError("the brand colour is written #rrggbb (e.g. #1f5f8b)", "brand_colour")
    row = db.scalar(select(SellerIdentity).where(SellerIdentity.valid_from == data.valid_from))
    if row is None:
        row = SellerIdentity(valid_from=data.valid_from)
        db.add(row)
    row.legal_name = " ".join(data.legal_name.split())
    row.street, row.postcode, row.city = (
        data.street.strip(),
        data.postcode.strip(),
        data.city.strip(),
    )
    row.country = tenant.country
    row.vat_number, row.iban, row.bic = vat.compact, iban.compact, bic
    for name in ("legal_form", "company_number", "register", "share_capital", "email", "website"):
        setattr(row, name, str(getattr(data, name)).strip())
    row.brand_colour = data.brand_colour.lower()
    row.logo_png = data.logo_png
    db.flush()
    record(
        db,
        "seller_identity.set",
        "seller_identity",
        row.id,
        {"valid_from": row.valid_from, "legal_name": row.legal_name, "vat_number": row.vat_number},
    )
    return row
