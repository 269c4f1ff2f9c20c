"""Helpers for country plugin authors: checks most countries need, written once.

A plugin calls these from its hook implementations so that every country
answers with the same kind of :class:`~coopkit.countries.IdentifierCheck` and
the same plain sentences::

    from stdnum.be import nn

    from coopkit import hookimpl
    from coopkit.plugin_helpers import check_with_stdnum

    @hookimpl
    def coopkit_validate_national_id(country, number):
        if country != "BE":
            return None
        return check_with_stdnum(nn, number, "national_id", label="national register number")

Identifiers are checked with python-stdnum, IBANs with schwifty, holidays come
from the ``holidays`` package and VAT rates from the country's dated profile.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import holidays
from schwifty import IBAN
from schwifty import exceptions as iban_errors
from stdnum import exceptions as stdnum_errors

from coopkit.countries import (
    ExpenseCategory,
    IdentifierCheck,
    InvoiceMentions,
    LatePaymentTerms,
    LegalMention,
    PublicHoliday,
    RequiredSellerField,
    ShareRules,
    SurplusRules,
    VatExemption,
    VatRate,
)
from coopkit.law import ParameterSet, ProfileError
from coopkit.ledger.chart import AccountDefinition, AccountRole, AccountType, chart_problems

if TYPE_CHECKING:
    from coopkit.governance.rules import AssemblyRules, DecisionRule

__all__ = [
    "assembly_rules_from_law",
    "chart_from_law",
    "check_iban",
    "check_with_stdnum",
    "checked_profile_dir",
    "holidays_of",
    "invoice_mentions_from_law",
    "late_payment_terms_from_law",
    "repository_profile_dir",
    "share_rules_from_law",
    "surplus_rules_from_law",
    "vat_exemptions_from_law",
    "vat_rates_from_law",
]


# The prefixes of VAT numbers in the EU VIES system (Greece uses EL, Northern Ireland XI).
# fmt: off
VAT_PREFIXES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
})
# fmt: on


def _stdnum_error(error: stdnum_errors.ValidationError, label: str) -> str:
    """A sentence for the person who typed the number, by kind of stdnum failure."""
    if isinstance(error, stdnum_errors.InvalidChecksum):
        return (
            f"This {label} is not valid: its check digits do not match the other digits, "
            "so a digit was probably mistyped."
        )
    if isinstance(error, stdnum_errors.InvalidLength):
        return f"This {label} has the wrong length: check that no digit is missing or doubled."
    if isinstance(error, stdnum_errors.InvalidFormat):
        return (
            f"This {label} is not in the expected format: it contains letters or signs "
            "where digits are expected."
        )
    if isinstance(error, stdnum_errors.InvalidComponent):
        return (
            f"This {label} contains a part that cannot exist (for example a month 13 "
            "or an unknown code)."
        )
    return f"This {label} is not valid."


def check_with_stdnum(
    module: ModuleType,
    number: str,
    kind: str,
    *,
    label: str,
    country_prefix: str | None = None,
    formatter: Callable[[str], str] | None = None,
) -> IdentifierCheck:
    """Check ``number`` with a python-stdnum module (``stdnum.be.nn``, ``stdnum.fr.tva``, ...).

    :param module: the stdnum module; its ``validate`` returns the compact form.
    :param number: the number as typed.
    :param kind: ``IdentifierCheck.kind`` (``"national_id"``, ``"vat"``).
    :param label: what the number is called in error sentences
        (``"Belgian national register number"``).
    :param country_prefix: for VAT numbers: the prefix (``"BE"``) that the stdnum
        module strips and that the compact form must carry; accepted as typed or not.
    :param formatter: turns the validated number (without prefix) into the printed
        form; by default the module's own ``format`` if it has one.
    """
    if not number.strip():
        return IdentifierCheck(valid=False, error=f"Type the {label}.", kind=kind)
    try:
        valid = str(module.validate(number))
    except stdnum_errors.ValidationError as error:
        head = "".join(number.split()).upper()[:2]
        if country_prefix and head != country_prefix and head in VAT_PREFIXES:
            message = (
                f"This number starts with {head}, the prefix of another country's VAT "
                f"numbers: a {label} starts with {country_prefix} or with its digits."
            )
        else:
            message = _stdnum_error(error, label)
        return IdentifierCheck(valid=False, error=message, kind=kind)
    if formatter is not None:
        printed = formatter(valid)
    elif hasattr(module, "format"):
        printed = str(module.format(valid))
    else:
        printed = valid
    if country_prefix:
        return IdentifierCheck(
            valid=True,
            compact=f"{country_prefix}{valid}",
            formatted=f"{country_prefix} {printed}",
            kind=kind,
        )
    return IdentifierCheck(valid=True, compact=valid, formatted=printed, kind=kind)


def _iban_error(error: iban_errors.SchwiftyException, typed: str) -> str:
    code = typed[:2]
    if isinstance(error, iban_errors.InvalidCountryCode):
        return (
            f"This IBAN starts with {code!r}, which is not a country that issues IBANs: "
            "an IBAN starts with the two letters of its country (BE, FR, ...)."
        )
    if isinstance(error, iban_errors.InvalidLength):
        expected = IBAN(typed, allow_invalid=True).spec.iban_length
        return (
            f"An IBAN from {code} has {expected} characters; this one has {len(typed)}: "
            "check that no character is missing or doubled."
        )
    if isinstance(error, iban_errors.InvalidChecksumDigits):
        return (
            "This IBAN is not valid: its check digits (the two digits after the country "
            "code) do not match the rest, so a character was probably mistyped."
        )
    if isinstance(error, iban_errors.InvalidBBANChecksum):
        return (
            "This IBAN is not valid: the national account number inside it fails its own "
            "check digits, so a digit was probably mistyped."
        )
    shape_ok = len(typed) > 4 and typed[:2].isascii() and typed[:2].isalpha()
    if isinstance(error, iban_errors.InvalidStructure) and not (shape_ok and typed[2:4].isdigit()):
        return (
            "This is not an IBAN: an IBAN starts with the two letters of its country, "
            "then two check digits, then the account number (BE68 5390 0754 7034)."
        )
    if isinstance(error, iban_errors.InvalidStructure):
        return (
            f"This IBAN does not have the layout of an IBAN from {code}: it has letters "
            "where digits are expected, or other signs."
        )
    return f"This IBAN is not valid: {error}."


def check_iban(iban: str) -> IdentifierCheck:
    """Check an IBAN from any SEPA country, national check digits included where known.

    ``compact`` is the electronic form (``BE68539007547034``), ``formatted`` the
    printed form in groups of four (``BE68 5390 0754 7034``). An IBAN from
    outside the SEPA zone is refused: salaries and invoices are paid by SEPA
    credit transfer.
    """
    typed = "".join(iban.split()).upper()
    if not typed:
        return IdentifierCheck(valid=False, error="Type the IBAN.", kind="iban")
    try:
        with warnings.catch_warnings():
            # schwifty warns when it has no algorithm for a country's national check
            # digits; such an IBAN is still valid, only less thoroughly checked.
            warnings.simplefilter("ignore", iban_errors.NationalChecksumNotVerified)
            checked = IBAN(typed, validate_bban=True)
    except iban_errors.SchwiftyException as error:
        return IdentifierCheck(valid=False, error=_iban_error(error, typed), kind="iban")
    if not checked.in_sepa_zone:
        return IdentifierCheck(
            valid=False,
            error=(
                f"This IBAN is from {checked.country_code}, outside the SEPA zone: payments "
                "are made by SEPA transfer, so give an account held in a SEPA country."
            ),
            kind="iban",
        )
    return IdentifierCheck(
        valid=True, compact=checked.compact, formatted=checked.formatted, kind="iban"
    )


def holidays_of(code: str, year: int, language: str = "en") -> list[PublicHoliday]:
    """The national public holidays of ``code`` in ``year``, sorted by day.

    Names are in ``language`` (``nl_BE`` or ``nl``) where the holidays package
    has it, else in English.
    """
    supported = holidays.country_holidays(code).supported_languages
    base = language.split("_")[0]
    chosen = next(
        (c for c in (language, base, "en_US" if base == "en" else "") if c in supported), "en_US"
    )
    calendar = holidays.country_holidays(code, years=year, language=chosen)
    return [PublicHoliday(day=day, name=str(name)) for day, name in sorted(calendar.items())]


def vat_rates_from_law(law: ParameterSet, on: dt.date) -> list[VatRate]:
    """The VAT rates of the ``vat`` namespace in force on ``on``, the standard rate first.

    A rate with no value in force on that day is left out, except ``vat.standard``:
    a country always has a standard rate, so its absence raises
    :class:`~coopkit.law.LawNotInForce` (or ``UnknownParameter``).
    """
    standard = _vat_rate(law, "vat.standard", on)
    others: list[VatRate] = []
    for name in law.namespace("vat"):
        if name == "vat.standard":
            continue
        parameter = law[name]
        if not any(value.holds_on(on) for value in parameter.values):
            continue
        others.append(_vat_rate(law, name, on))
    others.sort(key=lambda rate: (-rate.rate, rate.code))
    return [standard, *others]


def _vat_rate(law: ParameterSet, name: str, on: dt.date) -> VatRate:
    entry = law.entry(name, on)
    value = entry.value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ProfileError(
            f"{law.origin}: {name}: the value from {entry.valid_from} is {value!r}; "
            "a VAT rate is a number such as 0.21"
        )
    return VatRate(
        code=name.removeprefix("vat."),
        rate=Decimal(value),
        source=entry.source,
        valid_from=entry.valid_from,
        label=law[name].description,
    )


EXEMPTION_KEYS = {"category", "vatex", "wording", "buyer"}
EXEMPTION_CATEGORIES = {"AE", "K", "G", "E", "O"}
BUYERS = {"any", "eu_business", "outside_eu"}


def _in_force(law: ParameterSet, namespace: str, on: dt.date) -> list[str]:
    return [
        name
        for name in law.namespace(namespace)
        if any(value.holds_on(on) for value in law[name].values)
    ]


def _mapping(law: ParameterSet, name: str, on: dt.date, keys: set[str], optional: set[str]) -> Any:
    entry = law.entry(name, on)
    value = entry.value
    if not isinstance(value, dict) or not (set(value) - optional) <= keys <= set(value) | optional:
        raise ProfileError(
            f"{law.origin}: {name}: the value from {entry.valid_from} must be a mapping with "
            f"{', '.join(sorted(keys - optional))}"
            + (f" (optional: {', '.join(sorted(optional))})" if optional else "")
        )
    if unknown := set(value) - keys:
        raise ProfileError(f"{law.origin}: {name}: unknown keys {sorted(unknown)}")
    return entry


def vat_exemptions_from_law(law: ParameterSet, on: dt.date) -> list[VatExemption]:
    """The VAT exemptions of the ``vat_exemptions`` namespace in force on ``on``.

    Each parameter is an exemption named by its code; its value is a mapping
    with ``category`` (UNCL 5305: AE, K, G, E, O), ``vatex`` (the VATEX code),
    ``wording`` (the English text to print) and optionally ``buyer`` (``any``,
    ``eu_business``, ``outside_eu``); the description is its label.
    """
    found: list[VatExemption] = []
    for name in _in_force(law, "vat_exemptions", on):
        entry = _mapping(law, name, on, EXEMPTION_KEYS, {"buyer"})
        value = entry.value
        where = f"{law.origin}: {name}"
        if value["category"] not in EXEMPTION_CATEGORIES:
            raise ProfileError(
                f"{where}: category {value['category']!r}: use one of "
                f"{', '.join(sorted(EXEMPTION_CATEGORIES))} (UNCL 5305)"
            )
        if not str(value["vatex"]).startswith("VATEX-"):
            raise ProfileError(f"{where}: vatex {value['vatex']!r} is not a VATEX code")
        buyer = str(value.get("buyer", "any"))
        if buyer not in BUYERS:
            raise ProfileError(f"{where}: buyer {buyer!r}: use one of {', '.join(sorted(BUYERS))}")
        if not str(value["wording"]).strip():
            raise ProfileError(f"{where}: wording is empty; give the text the invoice prints")
        found.append(
            VatExemption(
                code=name.removeprefix("vat_exemptions."),
                category=str(value["category"]),
                vatex=str(value["vatex"]),
                wording=" ".join(str(value["wording"]).split()),
                source=entry.source,
                valid_from=entry.valid_from,
                label=law[name].description,
                buyer=buyer,
            )
        )
    return found


def invoice_mentions_from_law(law: ParameterSet, on: dt.date) -> InvoiceMentions:
    """The national invoice mentions of the ``invoice_mentions`` namespace in force on ``on``.

    A parameter's value is either ``{text: ..., business_only: true|false}``, a
    sentence to print, or ``{seller_field: ..., label: ...}``, a field of the
    seller identity that must be filled.
    """
    texts: list[LegalMention] = []
    fields: list[RequiredSellerField] = []
    for name in _in_force(law, "invoice_mentions", on):
        raw = law.entry(name, on).value
        code = name.removeprefix("invoice_mentions.")
        if isinstance(raw, dict) and "seller_field" in raw:
            entry = _mapping(law, name, on, {"seller_field", "label"}, set())
            fields.append(
                RequiredSellerField(
                    str(entry.value["seller_field"]),
                    str(entry.value["label"]),
                    entry.source,
                    entry.valid_from,
                )
            )
            continue
        entry = _mapping(law, name, on, {"text", "business_only"}, {"business_only"})
        business_only = entry.value.get("business_only", False)
        if not isinstance(business_only, bool):
            raise ProfileError(f"{law.origin}: {name}: business_only is true or false")
        text = " ".join(str(entry.value["text"]).split())
        texts.append(LegalMention(code, text, entry.source, entry.valid_from, business_only))
    return InvoiceMentions(tuple(texts), tuple(fields))


def late_payment_terms_from_law(law: ParameterSet, on: dt.date) -> LatePaymentTerms:
    """The late-payment terms of the ``late_payment`` namespace in force on ``on``.

    ``late_payment.commercial_rate`` is the yearly rate (a fraction, one value
    per semester or per change); ``late_payment.fixed_compensation`` the fixed
    compensation for recovery costs, its unit the currency (``EUR``). Raises
    LawNotInForce when no rate is recorded for ``on``.
    """
    rate_parameter = law["late_payment.commercial_rate"]
    rate = rate_parameter.at(on)
    later = [v.valid_from for v in rate_parameter.values if v.valid_from > rate.valid_from]
    until = rate.valid_until
    if later and (until is None or later[0] - dt.timedelta(days=1) < until):
        until = later[0] - dt.timedelta(days=1)
    compensation_parameter = law["late_payment.fixed_compensation"]
    compensation = compensation_parameter.at(on)
    where = f"{law.origin}: late_payment"
    if not isinstance(rate.value, Decimal) or not Decimal(0) <= rate.value < 1:
        raise ProfileError(f"{where}.commercial_rate: {rate.value!r} is not a fraction (0.105)")
    if not isinstance(compensation.value, Decimal | int) or compensation.value < 0:
        raise ProfileError(f"{where}.fixed_compensation: {compensation.value!r} is not an amount")
    if len(compensation_parameter.unit) != 3:
        raise ProfileError(f"{where}.fixed_compensation: its unit must be a currency code (EUR)")
    return LatePaymentTerms(
        rate=rate.value,
        rate_source=rate.source,
        rate_valid_from=rate.valid_from,
        rate_valid_until=until,
        compensation=Decimal(compensation.value),
        currency=compensation_parameter.unit,
        compensation_source=compensation.source,
    )


def share_rules_from_law(law: ParameterSet, on: dt.date) -> ShareRules:
    """The rules on redeeming shares of the ``shares`` namespace in force on ``on``.

    ``shares.redemption_window_months``: months from the start of the financial
    year in which a member may leave (``null``: any time);
    ``shares.redemption_value``: ``nominal``; ``shares.capital_floor_of_highest``:
    a fraction of the highest capital reached (``0``: none);
    ``shares.statutory_minimum``: ``true`` where the statutes may fix a minimum
    capital, with the source that lets them. Raises LawNotInForce before the
    first value.
    """
    where = f"{law.origin}: shares"
    window = law.entry("shares.redemption_window_months", on)
    value = law.entry("shares.redemption_value", on)
    floor = law.entry("shares.capital_floor_of_highest", on)
    statutory = law.entry("shares.statutory_minimum", on)
    if window.value is not None and (
        not isinstance(window.value, int) or not 1 <= window.value <= 12
    ):
        raise ProfileError(f"{where}.redemption_window_months: {window.value!r} is not 1 to 12")
    if value.value != "nominal":
        raise ProfileError(f"{where}.redemption_value: coopkit repays shares at nominal only")
    fraction = Decimal(floor.value) if isinstance(floor.value, Decimal | int) else None
    if fraction is None or not Decimal(0) <= fraction < 1:
        raise ProfileError(f"{where}.capital_floor_of_highest: {floor.value!r} is not a fraction")
    return ShareRules(
        valid_from=max(window.valid_from, value.valid_from, floor.valid_from),
        window_months=window.value,
        window_source=window.source,
        value="nominal",
        value_source=value.source,
        floor_of_highest=fraction,
        floor_source=floor.source,
        statutory_floor_source=statutory.source if statutory.value else "",
    )


def checked_profile_dir(folder: Path, country: str) -> Path:
    """Return ``folder`` if it exists; otherwise raise ProfileError saying how to fix it."""
    if not folder.is_dir():
        code = country.lower()
        raise ProfileError(
            f"{country}: the country profile folder {folder} does not exist. The "
            f"first-party plugin coopkit-{code} reads country_profiles/{code}/ from the "
            f"coopkit repository: install it editable from a checkout "
            f"(pip install -e plugins/coopkit-{code})."
        )
    return folder


def repository_profile_dir(package_file: str, country: str) -> Path:
    """The country profile of a plugin kept in a coopkit checkout, or of ``COOPKIT_PROFILES_DIR``.

    A plugin in ``<repo>/plugins/coopkit-<cc>/coopkit_<cc>/__init__.py`` reads
    ``<repo>/country_profiles/<cc>``; installed elsewhere (a wheel, a test's
    target folder), ``COOPKIT_PROFILES_DIR/<cc>`` wins when it exists. Raises
    ProfileError saying how to fix it when neither does.
    """
    code = country.lower()
    if override := os.environ.get("COOPKIT_PROFILES_DIR"):
        folder = Path(override) / code
        if folder.is_dir():
            return folder
    return checked_profile_dir(
        Path(package_file).resolve().parents[3] / "country_profiles" / code, country
    )


ACCOUNT_KEYS = {"number", "name", "type", "may_be_negative"}


def chart_from_law(law: ParameterSet, on: dt.date) -> list[AccountDefinition]:
    """The chart of accounts in force on ``on``, from the ``accounts`` namespace of the profile.

    Each parameter is named after the role its account plays
    (``accounts.bank``); its value is a mapping with ``number`` (a string),
    ``name``, ``type`` and ``may_be_negative``. A chart that misses a role, has
    a key too many or an account of the wrong type raises ProfileError.
    """
    chart: list[AccountDefinition] = []
    for name in law.namespace("accounts"):
        role_name = name.removeprefix("accounts.")
        where = f"{law.origin}: {name}"
        try:
            role = AccountRole(role_name)
        except ValueError:
            roles = ", ".join(r.value for r in AccountRole)
            raise ProfileError(f"{where}: {role_name!r} is not a role; roles: {roles}") from None
        entry = law.entry(name, on)
        value = entry.value
        if not isinstance(value, dict) or set(value) != ACCOUNT_KEYS:
            raise ProfileError(
                f"{where}: the value from {entry.valid_from} must be a mapping with exactly "
                f"{', '.join(sorted(ACCOUNT_KEYS))}"
            )
        if not isinstance(value["number"], str) or not value["number"].isdigit():
            raise ProfileError(f"{where}: number {value['number']!r}: write it as a quoted string")
        try:
            kind = AccountType(value["type"])
        except ValueError:
            kinds = ", ".join(t.value for t in AccountType)
            raise ProfileError(f"{where}: type {value['type']!r}: use one of {kinds}") from None
        if not isinstance(value["may_be_negative"], bool):
            raise ProfileError(f"{where}: may_be_negative is true or false")
        chart.append(
            AccountDefinition(
                role=role,
                number=value["number"],
                name=str(value["name"]),
                type=kind,
                may_be_negative=value["may_be_negative"],
                source=entry.source,
            )
        )
    problems = chart_problems(chart)
    if problems:
        raise ProfileError(f"{law.origin}: chart of accounts on {on}: {'; '.join(problems)}")
    return chart


EXPENSE_KEYS = {"recoverable", "max_gross", "below_net"}


def expense_categories_from_law(law: ParameterSet, on: dt.date) -> list[ExpenseCategory]:
    """The expense categories in force on ``on``, from the ``expense_vat`` namespace.

    Each parameter is named after a category (``expense_vat.general``); its
    value is a mapping with ``recoverable`` (the deductible fraction of the VAT,
    0 to 1) and optionally ``max_gross`` or ``below_net`` (the limits of
    :class:`~coopkit.countries.ExpenseCategory`). A category with no value in
    force on that day is left out; ``expense_vat.general`` comes first and must
    be in force. A malformed value raises ProfileError.
    """
    names = ["expense_vat.general"] + [
        n for n in law.namespace("expense_vat") if n != "expense_vat.general"
    ]
    categories: list[ExpenseCategory] = []
    for name in names:
        parameter = law[name]
        if name != "expense_vat.general" and not any(v.holds_on(on) for v in parameter.values):
            continue
        entry = law.entry(name, on)
        categories.append(_expense_category(law, name, entry.value, entry.valid_from, entry.source))
    return categories


def _expense_category(
    law: ParameterSet, name: str, value: object, valid_from: dt.date, source: str
) -> ExpenseCategory:
    where = f"{law.origin}: {name}: the value from {valid_from}"
    if not isinstance(value, dict) or "recoverable" not in value or set(value) - EXPENSE_KEYS:
        raise ProfileError(
            f"{where} must be a mapping with recoverable (0 to 1) and optionally "
            "max_gross or below_net"
        )
    numbers: dict[str, Decimal | None] = {}
    for key in EXPENSE_KEYS:
        raw = value.get(key)
        if raw is not None and (isinstance(raw, bool) or not isinstance(raw, int | Decimal)):
            raise ProfileError(f"{where}: {key} {raw!r} is not a number")
        numbers[key] = None if raw is None else Decimal(raw)
    recoverable = numbers["recoverable"]
    assert recoverable is not None
    if not 0 <= recoverable <= 1:
        raise ProfileError(f"{where}: recoverable {recoverable} must be between 0 and 1")
    return ExpenseCategory(
        code=name.removeprefix("expense_vat."),
        label=law[name].description,
        recoverable=recoverable,
        source=source,
        valid_from=valid_from,
        max_gross=numbers["max_gross"],
        below_net=numbers["below_net"],
    )


def _decision_rule(law: ParameterSet, name: str, on: dt.date) -> DecisionRule:
    from coopkit.governance.rules import DecisionRule, Majority

    keys = {"quorum", "majority", "second_call_quorum", "second_call_majority"}
    entry = _mapping(law, name, on, keys, set())
    value = entry.value
    try:
        majorities = Majority(value["majority"]), Majority(value["second_call_majority"])
    except ValueError as error:
        raise ProfileError(
            f"{law.origin}: {name}: {error}; majorities are {', '.join(m.value for m in Majority)}"
        ) from None
    quorums = (
        _fraction(law, name, value["quorum"]),
        _fraction(law, name, value["second_call_quorum"]),
    )
    return DecisionRule(quorums[0], majorities[0], quorums[1], majorities[1], entry.source)


def _fraction(law: ParameterSet, name: str, raw: object) -> Decimal:
    """A fraction written 0.25 or, for thirds, "1/3" (kept to 28 digits: the tally
    reads it back as the exact third)."""
    if isinstance(raw, str) and raw.count("/") == 1:
        top, bottom = raw.split("/")
        if top.strip().isdigit() and bottom.strip().isdigit() and int(bottom) > 0:
            raw = Decimal(int(top)) / Decimal(int(bottom))
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal) or not 0 <= raw <= 1:
        raise ProfileError(f"{law.origin}: {name}: {raw!r} is not a fraction from 0 to 1")
    return Decimal(raw)


def _optional_fraction(law: ParameterSet, name: str, raw: object) -> Decimal | None:
    return None if raw is None else _fraction(law, name, raw)


def assembly_rules_from_law(law: ParameterSet, on: dt.date) -> AssemblyRules:
    """The general-assembly rules of the ``governance`` namespace in force on ``on``.

    ``governance.notice_days`` (an integer), ``governance.ordinary`` and
    ``governance.extraordinary`` (mappings with ``quorum``, ``majority``,
    ``second_call_quorum``, ``second_call_majority``), ``governance.proxies``
    (``max`` and optionally ``per_members``), ``governance.colleges`` (``min`` and
    ``max``, null for none) and optionally ``governance.vote_share`` (``max``).
    """
    from coopkit.governance.rules import AssemblyRules

    notice = law.entry("governance.notice_days", on)
    if isinstance(notice.value, bool) or not isinstance(notice.value, int) or notice.value < 0:
        raise ProfileError(f"{law.origin}: governance.notice_days: {notice.value!r} is not days")
    proxies = _mapping(law, "governance.proxies", on, {"max", "per_members"}, {"per_members"})
    colleges = _mapping(law, "governance.colleges", on, {"min", "max"}, set())
    share, share_source = None, ""
    if "governance.vote_share" in law.namespace("governance"):
        found = _mapping(law, "governance.vote_share", on, {"max"}, set())
        share, share_source = _fraction(law, "vote_share", found.value["max"]), found.source
    return AssemblyRules(
        notice_days=notice.value,
        notice_source=notice.source,
        ordinary=_decision_rule(law, "governance.ordinary", on),
        extraordinary=_decision_rule(law, "governance.extraordinary", on),
        max_proxies=1 if proxies.value["max"] is None else int(proxies.value["max"]),
        proxies_source=proxies.source,
        college_min=_optional_fraction(law, "colleges", colleges.value["min"]),
        college_max=_optional_fraction(law, "colleges", colleges.value["max"]),
        colleges_source=colleges.source,
        proxies_per_members=proxies.value.get("per_members"),
        max_vote_share=share,
        vote_share_source=share_source,
        proxies_set_by_statutes=proxies.value["max"] is None,
    )


def surplus_rules_from_law(law: ParameterSet, on: dt.date) -> SurplusRules:
    """The surplus rules of the ``surplus`` namespace in force on ``on``; each is optional.

    ``surplus.dividend_cap`` (a fraction of the paid-up capital),
    ``surplus.legal_reserve_min`` and ``surplus.workers_share_min`` (fractions of
    the surplus), ``surplus.dividend_bounds`` (``at_most_workers_share``,
    ``at_most_reserves``: booleans).
    """
    found: dict[str, object] = {}
    given = law.namespace("surplus")
    for name in ("dividend_cap", "legal_reserve_min", "workers_share_min"):
        if f"surplus.{name}" in given:
            entry = law.entry(f"surplus.{name}", on)
            found[name] = _optional_fraction(law, name, entry.value)
            found[name.removesuffix("_min") + "_source"] = entry.source
    if "surplus.dividend_bounds" in given:
        keys = {"at_most_workers_share", "at_most_reserves"}
        bounds = _mapping(law, "surplus.dividend_bounds", on, keys, set())
        found["dividends_at_most_workers_share"] = bool(bounds.value["at_most_workers_share"])
        found["dividends_at_most_reserves"] = bool(bounds.value["at_most_reserves"])
        found["dividends_bounds_source"] = bounds.source
    return SurplusRules(**found)  # type: ignore[arg-type]
