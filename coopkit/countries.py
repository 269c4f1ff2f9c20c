"""What a country plugin tells the engine: plain data, shared by hooks and callers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
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
class PublicHoliday:
    day: date
    name: str


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin, as ``coopkit plugins`` lists it."""

    name: str
    version: str
    hooks: tuple[str, ...] = field(default_factory=tuple)
