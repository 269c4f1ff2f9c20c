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
    :param payment_reference: the structured payment reference the coop's invoices carry:
        ``"rf"`` (ISO 11649 creditor reference, the default) or ``"be-ogm"`` (the Belgian
        structured communication ``+++123/4567/89012+++``).
    :param covers_from: the first day the plugin's law is complete: every parameter the
        engine asks for (VAT rates, payroll, chart of accounts…) is in force from that day to
        today. The conformance kit checks the claim; ``None`` claims nothing (today only).
    """

    code: str
    name: str
    currency: str
    locales: tuple[str, ...]
    profile_dir: Path
    plugin: str = ""
    documents_dir: Path | None = None
    payment_reference: str = "rf"
    covers_from: date | None = None

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
class IdentifierExamples:
    """Official valid examples of a country's identifiers, for the conformance kit.

    Each tuple holds numbers an authority (or a well-known reference) publishes as
    valid: the kit checks the plugin's validators accept them and reject each one
    with a digit changed. ``source`` says where they come from, so a reviewer can
    check them. ``company_id`` may stay empty when the plugin does not implement
    ``coopkit_validate_company_id``.
    """

    national_id: tuple[str, ...]
    vat_number: tuple[str, ...]
    iban: tuple[str, ...]
    source: str
    company_id: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class VatExemption:
    """A VAT treatment without the standard charge: an exemption, reverse charge, an export.

    :param code: the plugin's code, chosen on an invoice line (``reverse_charge_services``).
    :param category: UNCL 5305 category EN 16931 uses: ``AE`` reverse charge, ``K`` intra-EU
        supply of goods, ``G`` export, ``E`` exempt, ``O`` outside the scope of VAT.
    :param vatex: the CEF VATEX code (``VATEX-EU-AE``, ``VATEX-EU-IC``, ``VATEX-FR-FRANCHISE``…).
    :param wording: the mandatory wording to print, an English message translated through
        the plugin's catalog into the invoice's language.
    :param source: the legal text that grants the treatment and requires the wording.
    :param valid_from: the first day it applies.
    :param label: what a member chooses from (English, translated when shown).
    :param buyer: who may be invoiced so: ``"any"``; ``"eu_business"`` (a business with a
        valid VAT number of another EU member state: reverse charge, intra-EU supplies);
        ``"outside_eu"`` (a client established outside the EU: exports).
    """

    code: str
    category: str
    vatex: str
    wording: str
    source: str
    valid_from: date
    label: str = ""
    buyer: str = "any"


@dataclass(frozen=True)
class LegalMention:
    """A sentence a country's law requires on invoices, with its source.

    ``text`` is an English message translated through the plugin's catalog;
    ``business_only`` mentions are printed only for clients that are companies
    (France's fixed recovery indemnity, for instance).
    """

    code: str
    text: str
    source: str
    valid_from: date
    business_only: bool = False


@dataclass(frozen=True)
class RequiredSellerField:
    """A field of the coop's seller identity a country requires on invoices.

    ``field`` names an attribute of the seller identity (``company_number``,
    ``register``, ``legal_form``, ``share_capital``, ``email``…); ``label`` says
    what it is in a member's words (English, translated when shown).
    """

    field: str
    label: str
    source: str
    valid_from: date


@dataclass(frozen=True)
class InvoiceMentions:
    """What a country adds to the EU VAT directive's mentions (art. 226) on invoices."""

    texts: tuple[LegalMention, ...] = ()
    seller_fields: tuple[RequiredSellerField, ...] = ()


@dataclass(frozen=True)
class ShareRules:
    """What a country's cooperative law says about taking back members' shares.

    ``window_months``: a member may leave, and have shares redeemed, only in the
    first ``window_months`` months of the financial year (Belgium: six, CSA art.
    6:120 §1); ``None`` when the law sets no window. ``value``: what a redeemed
    share is repaid at; coopkit repays at ``"nominal"`` value. ``floor_of_highest``:
    redemptions may not take the capital below this fraction of the highest
    capital reached since the cooperative was formed (France: one quarter);
    ``0`` when the law sets no such floor. ``statutory_floor_source``: the law
    that lets the statutes fix a minimum of their own (the tenant's setting,
    applied on top). The statutes may also replace the window where the law
    allows it (``window_source`` says so).
    """

    valid_from: date
    window_months: int | None
    window_source: str
    value: str
    value_source: str
    floor_of_highest: Decimal
    floor_source: str
    statutory_floor_source: str

    @property
    def sources(self) -> tuple[str, ...]:
        """Every legal source of these rules, once each, in the order above."""
        found = (self.window_source, self.value_source, self.floor_source)
        return tuple(dict.fromkeys(s for s in (*found, self.statutory_floor_source) if s))


@dataclass(frozen=True)
class LatePaymentTerms:
    """What a country's law adds when a business client pays late (directive 2011/7/EU).

    ``rate`` is the yearly interest rate for commercial transactions in force on
    the day asked for (a fraction: ``0.105`` for 10.5 %), from ``rate_valid_from``
    until ``rate_valid_until`` (the day before the next value; ``None`` when no
    later value is recorded). ``compensation`` is the fixed compensation for
    recovery costs (at least 40 euros, art. 6), due once per invoice, in
    ``currency``. Consumers are outside this law.
    """

    rate: Decimal
    rate_source: str
    rate_valid_from: date
    rate_valid_until: date | None
    compensation: Decimal
    currency: str
    compensation_source: str


@dataclass(frozen=True)
class SurplusSplit:
    """How a general assembly shares one year's surplus, in the coop's currency.

    ``legal_reserve`` and ``other_reserves`` stay in the coop; ``ristourne``
    goes back to members in proportion to their activity with the coop;
    ``workers_share`` to the workers (the French SCOP's "part travail");
    ``dividends`` pay the members' capital; ``carried_forward`` waits for the
    next year. The parts add up to ``surplus``.
    """

    surplus: Decimal
    legal_reserve: Decimal = Decimal(0)
    other_reserves: Decimal = Decimal(0)
    ristourne: Decimal = Decimal(0)
    workers_share: Decimal = Decimal(0)
    dividends: Decimal = Decimal(0)
    carried_forward: Decimal = Decimal(0)

    PARTS = (
        "legal_reserve",
        "other_reserves",
        "ristourne",
        "workers_share",
        "dividends",
        "carried_forward",
    )

    def parts(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in self.PARTS}


@dataclass(frozen=True)
class Refusal:
    """Why the law refuses a surplus split, and the rule that says so."""

    message: str
    rule: str


@dataclass(frozen=True)
class SurplusRules:
    """What a country's cooperative law says about sharing a surplus, on one day.

    Every bound is optional (``None``: the law sets none). Fractions are of the
    surplus, except ``dividend_cap``, a fraction of the paid-up capital at
    nominal value (Belgian accredited coops: 6 %).
    """

    dividend_cap: Decimal | None = None
    dividend_cap_source: str = ""
    legal_reserve_min: Decimal | None = None
    legal_reserve_source: str = ""
    workers_share_min: Decimal | None = None
    workers_share_source: str = ""
    dividends_at_most_workers_share: bool = False
    dividends_at_most_reserves: bool = False
    dividends_bounds_source: str = ""

    def refusals(
        self, split: SurplusSplit, paid_up_capital: Decimal, *, legal_reserve_full: bool = False
    ) -> list[Refusal]:
        """Everything the law refuses in ``split`` (empty: the split is legal).

        ``paid_up_capital`` is the capital paid up at nominal value (the base of
        the dividend cap); ``legal_reserve_full`` says the legal reserve already
        reached the level where its allocation stops being compulsory.
        """
        found = [
            Refusal(f"the {name.replace('_', ' ')} cannot be negative ({amount})", "arithmetic")
            for name, amount in split.parts().items()
            if amount < 0
        ]
        total = sum(split.parts().values(), Decimal(0))
        if total != split.surplus:
            found.append(
                Refusal(
                    f"the parts add up to {total}, not to the surplus of {split.surplus}: "
                    "share all of it (carry the rest forward)",
                    "arithmetic",
                )
            )
        return found + self._legal_refusals(split, paid_up_capital, legal_reserve_full)

    def _legal_refusals(
        self, split: SurplusSplit, paid_up_capital: Decimal, legal_reserve_full: bool
    ) -> list[Refusal]:
        found = []
        if self.dividend_cap is not None:
            cap = paid_up_capital * self.dividend_cap
            if split.dividends > cap:
                found.append(
                    Refusal(
                        f"dividends of {split.dividends} exceed {_percent(self.dividend_cap)} of "
                        f"the paid-up capital of {paid_up_capital} ({cap.normalize():f} at most)",
                        self.dividend_cap_source,
                    )
                )
        if self.legal_reserve_min is not None and not legal_reserve_full:
            needed = split.surplus * self.legal_reserve_min
            if split.legal_reserve < needed:
                found.append(
                    Refusal(
                        f"the legal reserve gets {split.legal_reserve}, at least "
                        f"{_percent(self.legal_reserve_min)} of the surplus "
                        f"({needed.normalize():f}) is required",
                        self.legal_reserve_source,
                    )
                )
        if self.workers_share_min is not None:
            needed = split.surplus * self.workers_share_min
            if split.workers_share < needed:
                found.append(
                    Refusal(
                        f"the workers' share is {split.workers_share}, at least "
                        f"{_percent(self.workers_share_min)} of the surplus "
                        f"({needed.normalize():f}) is required",
                        self.workers_share_source,
                    )
                )
        return found + self._dividend_bounds(split)

    def _dividend_bounds(self, split: SurplusSplit) -> list[Refusal]:
        found = []
        if self.dividends_at_most_workers_share and split.dividends > split.workers_share:
            found.append(
                Refusal(
                    f"dividends of {split.dividends} exceed the workers' share of "
                    f"{split.workers_share}",
                    self.dividends_bounds_source,
                )
            )
        reserves = split.legal_reserve + split.other_reserves
        if self.dividends_at_most_reserves and split.dividends > reserves:
            found.append(
                Refusal(
                    f"dividends of {split.dividends} exceed the {reserves} allocated to reserves",
                    self.dividends_bounds_source,
                )
            )
        return found


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f} %"
