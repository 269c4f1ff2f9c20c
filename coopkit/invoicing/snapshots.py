"""The parties as they stood on the day of issue, frozen in the invoice (``seller``, ``buyer``)."""

from __future__ import annotations

from typing import Any

from coopkit.invoicing.models import Client, SellerIdentity

SELLER_FIELDS = (
    "legal_name",
    "legal_form",
    "street",
    "postcode",
    "city",
    "country",
    "vat_number",
    "company_number",
    "register",
    "share_capital",
    "iban",
    "bic",
    "email",
    "website",
    "brand_colour",
)
BUYER_FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "country",
    "vat_number",
    "company_number",
    "email",
)


def seller_snapshot(seller: SellerIdentity) -> dict[str, Any]:
    return {
        "id": str(seller.id),
        "valid_from": seller.valid_from.isoformat(),
        **{name: getattr(seller, name) for name in SELLER_FIELDS},
    }


def buyer_snapshot(client: Client) -> dict[str, Any]:
    return {
        "id": str(client.id),
        "kind": client.kind.value,
        **{name: getattr(client, name) for name in BUYER_FIELDS},
    }
