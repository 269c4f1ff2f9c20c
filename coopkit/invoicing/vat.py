"""VAT on invoice lines: the treatments a country offers on a day, line nets, the breakdown.

A line names a *VAT code* of the coop's country plugin: a rate
(``coopkit_vat_rates``: ``standard``, ``reduced``…, category ``S``, or ``Z``
at 0 %) or an exemption (``coopkit_vat_exemptions``: reverse charge ``AE``,
intra-EU supply ``K``, export ``G``, exempt ``E``, outside the scope ``O``),
looked up on the line's supply date.

Amounts follow EN 16931, so that the e-invoice and the ledger say the same:
a line's net is quantity × unit price rounded half-up to the currency's minor
unit; the VAT of each (category, rate) is the sum of its line nets × rate,
rounded half-up (BR-CO-17); the totals are sums.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from coopkit.invoicing.errors import InvoicingError
from coopkit.invoicing.eu import is_member_state, vat_prefix
from coopkit.invoicing.models import Client, ClientKind
from coopkit.money import minor_unit
from coopkit.plugins import PluginHost


@dataclass(frozen=True)
class Treatment:
    """One VAT code a line may use: its category, rate and, for an exemption, its wording."""

    code: str
    category: str
    rate: Decimal
    label: str
    source: str
    vatex: str = ""
    wording: str = ""
    buyer: str = "any"


def treatments(plugins: PluginHost, country: str, on: date) -> dict[str, Treatment]:
    """Every VAT code of ``country`` in force on ``on``: the rates first, then the exemptions."""
    found = {
        rate.code: Treatment(
            rate.code, "S" if rate.rate else "Z", rate.rate, rate.label or rate.code, rate.source
        )
        for rate in plugins.vat_rates(country, on)
    }
    for exemption in plugins.vat_exemptions(country, on):
        found[exemption.code] = Treatment(
            exemption.code,
            exemption.category,
            Decimal(0),
            exemption.label or exemption.code,
            exemption.source,
            exemption.vatex,
            exemption.wording,
            exemption.buyer,
        )
    return found


def treatment(
    plugins: PluginHost, country: str, code: str, on: date, field: str = "vat_code"
) -> Treatment:
    """The treatment ``code`` on ``on``, or a refusal listing the codes that exist that day."""
    known = treatments(plugins, country, on)
    if code not in known:
        raise InvoicingError(
            f"VAT code {code!r} does not exist in {country} on {on.isoformat()}; "
            f"use one of: {', '.join(known)}",
            field,
        )
    return known[code]


def buyer_refusal(
    treatment: Treatment, client: Client, seller_country: str, on: date
) -> str | None:
    """Why ``client`` may not be invoiced under ``treatment`` on ``on`` (None: it may)."""
    if treatment.buyer == "eu_business":
        if client.kind is not ClientKind.COMPANY:
            return (
                f"{treatment.label}: only for a business client; {client.name} is a person, "
                "so charge VAT"
            )
        if not client.vat_number:
            return (
                f"{treatment.label}: the client needs a VAT number of another EU member state; "
                f"{client.name} has none: add it to the client"
            )
        if not is_member_state(client.country, on) or not client.vat_number.startswith(
            vat_prefix(client.country)
        ):
            return (
                f"{treatment.label}: the client's VAT number must be of an EU member state; "
                f"{client.country} is not one on {on.isoformat()}"
            )
        if client.country.upper() == seller_country.upper():
            return (
                f"{treatment.label}: the client is in {client.country}, the cooperative's own "
                "country; it is only for a client in another EU member state, so charge VAT"
            )
    if treatment.buyer == "outside_eu" and is_member_state(client.country, on):
        return (
            f"{treatment.label}: only for a client outside the EU; {client.country} is an EU "
            "member state"
        )
    return None


def line_net(quantity: Decimal, unit_price: Decimal, currency: str) -> Decimal:
    """Quantity × unit price, rounded half-up to the currency's minor unit (EN 16931 BT-131)."""
    return (quantity * unit_price).quantize(minor_unit(currency), ROUND_HALF_UP)


class TaxedLine(Protocol):
    @property
    def net(self) -> Decimal: ...
    @property
    def vat_category(self) -> str: ...
    @property
    def vat_rate(self) -> Decimal: ...


@dataclass(frozen=True)
class VatGroup:
    """The taxable amount and VAT of one category and rate (EN 16931 BG-23)."""

    category: str
    rate: Decimal
    taxable: Decimal
    vat: Decimal


def vat_groups(lines: Iterable[TaxedLine], currency: str) -> list[VatGroup]:
    """Lines grouped by (category, rate), the VAT of each rounded once (BR-CO-17)."""
    unit = minor_unit(currency)
    taxable: dict[tuple[str, Decimal], Decimal] = defaultdict(Decimal)
    for line in lines:
        taxable[line.vat_category, Decimal(line.vat_rate).normalize()] += line.net
    return [
        VatGroup(
            category, rate, amount.quantize(unit), (amount * rate).quantize(unit, ROUND_HALF_UP)
        )
        for (category, rate), amount in sorted(
            taxable.items(), key=lambda item: (item[0][0], -item[0][1])
        )
    ]


@dataclass(frozen=True)
class Totals:
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def totals(groups: Iterable[VatGroup], currency: str) -> Totals:
    unit = minor_unit(currency)
    rows = list(groups)
    net = sum((g.taxable for g in rows), Decimal(0)).quantize(unit)
    vat = sum((g.vat for g in rows), Decimal(0)).quantize(unit)
    return Totals(net, vat)
