"""What a country plugin tells the engine: plain data, shared by hooks and callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


@dataclass(frozen=True)
class Country:
    """A country a plugin serves.

    :param code: ISO 3166-1 alpha-2 code, upper case (``"BE"``).
    :param name: the country's English name; pages translate it through Babel.
    :param currency: ISO 4217 code of the money salaries and invoices are in.
    :param locales: the languages documents can be produced in, first is the default.
    :param profile_dir: the folder of dated legal parameters (``country_profiles/<cc>``).
    :param documents_dir: optional folder of Jinja2 document templates (``payslip.html``…)
        that replace the engine's defaults for this country; ``None`` keeps the defaults.
    """

    code: str
    name: str
    currency: str
    locales: tuple[str, ...]
    profile_dir: Path
    plugin: str = ""
    documents_dir: Path | None = None

    @property
    def default_locale(self) -> str:
        return self.locales[0]


@dataclass(frozen=True)
class IdentifierCheck:
    """The verdict on an identifier (national id, VAT number, IBAN).

    ``compact`` is the canonical form to store, ``formatted`` the form to print,
    ``error`` a sentence for the person who typed it when ``valid`` is false.
    """

    valid: bool
    compact: str = ""
    formatted: str = ""
    error: str = ""
    kind: str = ""


@dataclass(frozen=True)
class VatRate:
    """One VAT rate in force on a day, with the legal text it comes from."""

    code: str
    rate: Decimal
    source: str
    valid_from: date
    label: str = ""


@dataclass(frozen=True)
class ExpenseCategory:
    """A kind of expense and how much of the VAT on it the cooperative may deduct, on a day.

    :param code: the category's code (``general``, ``passenger_car``…), stored on a claim.
    :param label: its English name; pages translate it.
    :param recoverable: the fraction of the VAT the coop may deduct (0 to 1).
    :param source: the legal text that sets the fraction (and the limit, if any).
    :param valid_from: the first day this rule applies.
    :param max_gross: when set, the VAT is deductible only if the expense costs at most
        this much VAT included (France: gifts of very small value); above it, none is.
    :param below_net: when set, the VAT is deductible only if the expense costs less
        than this much VAT excluded; at or above it, none is.
    """

    code: str
    label: str
    recoverable: Decimal
    source: str
    valid_from: date
    max_gross: Decimal | None = None
    below_net: Decimal | None = None

    def recoverable_vat(self, net: Decimal, vat: Decimal, unit: Decimal) -> Decimal:
        """The part of ``vat`` the coop deducts, rounded half-up to ``unit`` (the cent)."""
        if self.max_gross is not None and net + vat > self.max_gross:
            return Decimal(0).quantize(unit)
        if self.below_net is not None and net >= self.below_net:
            return Decimal(0).quantize(unit)
        return (vat * self.recoverable).quantize(unit, ROUND_HALF_UP)


@dataclass(frozen=True)
class PublicHoliday:
    day: date
    name: str


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin, as ``coopkit plugins`` lists it."""

    name: str
    version: str
    hooks: tuple[str, ...] = field(default_factory=tuple)
