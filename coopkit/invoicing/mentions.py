"""Mandatory invoice mentions, checked before an invoice is issued.

The engine checks what the EU VAT directive (Directive 2006/112/EC, art. 226)
requires of every invoice; the country plugin adds its own
(``coopkit_invoice_mentions``): fields of the coop's seller identity and
sentences to print. :func:`missing_mentions` lists, in words a member
understands, everything that is missing, so that one refusal says it all.
The number and the date of issue (art. 226 (1), (2)) are given at issue; the
amounts per rate (8) to (10) are computed from the lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from coopkit.countries import InvoiceMentions
from coopkit.i18n import gettext
from coopkit.invoicing.models import Client, ClientKind, InvoiceLine, SellerIdentity

ART = "Directive 2006/112/EC art. 226"
SELLER_BASICS = (
    ("legal_name", "name", "(5)"),
    ("street", "street and number", "(5)"),
    ("postcode", "postcode", "(5)"),
    ("city", "city", "(5)"),
    ("country", "country", "(5)"),
    ("vat_number", "VAT number", "(3)"),
)
BUYER_BASICS = (
    ("name", "name", "(5)"),
    ("street", "street and number", "(5)"),
    ("postcode", "postcode", "(5)"),
    ("city", "city", "(5)"),
    ("country", "country", "(5)"),
)
NEEDS_BUYER_VAT = {"AE", "K"}


def missing_mentions(
    seller: SellerIdentity | None,
    client: Client,
    lines: Sequence[InvoiceLine],
    national: InvoiceMentions,
) -> list[str]:
    """Every mandatory mention this invoice would lack, empty when it may be issued."""
    missing: list[str] = []
    if seller is None:
        missing.append(
            "the cooperative's identity as a seller (name, address, VAT number) is not set "
            f"for this date ({ART} (3), (5)): staff set it with `coopkit invoices seller`"
        )
    else:
        for attribute, what, item in SELLER_BASICS:
            if not str(getattr(seller, attribute) or "").strip():
                missing.append(f"the cooperative's {what} ({ART} {item})")
        for required in national.seller_fields:
            if not str(getattr(seller, required.field, "") or "").strip():
                missing.append(
                    f"the cooperative's seller identity lacks: {required.label} ({required.source})"
                )
    for attribute, what, item in BUYER_BASICS:
        if not str(getattr(client, attribute) or "").strip():
            missing.append(f"the client's {what} ({ART} {item})")
    if not lines:
        missing.append(f"at least one line saying what is sold ({ART} (6))")
    for line in lines:
        if not line.description.strip():
            missing.append(f"line {line.position}: what is sold ({ART} (6))")
        if line.quantity <= 0:
            missing.append(f"line {line.position}: the quantity ({ART} (6))")
        if line.vat_category not in ("S", "Z") and not line.vat_exemption_reason.strip():
            missing.append(f"line {line.position}: the legal reason of the exemption ({ART} (11))")
    categories = {line.vat_category for line in lines}
    if categories & NEEDS_BUYER_VAT and not client.vat_number:
        missing.append(
            "the client's VAT number, required for reverse charge and intra-Community "
            f"supplies ({ART} (4))"
        )
    return missing


def printed_mentions(national: InvoiceMentions, client: Client, locale: str) -> list[str]:
    """The country's sentences this invoice prints, in its language (frozen at issue)."""
    business = client.kind is ClientKind.COMPANY
    return [
        gettext(locale, mention.text)
        for mention in national.texts
        if business or not mention.business_only
    ]
