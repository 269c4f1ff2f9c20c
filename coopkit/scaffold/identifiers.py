"""Which python-stdnum module checks a country's identifiers, and its documented example.

A new country plugin starts with real validators where python-stdnum has them:
the ``vat``, ``personalid`` and ``businessid`` aliases stdnum's country packages
define, else a short list of well-known modules. The example numbers come from
the module's own documentation (its doctests), checked again here.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from types import ModuleType

# Identifiers stdnum offers without an alias in the country package.
NATIONAL_IDS = {
    "CH": "stdnum.ch.ssn",
    "CZ": "stdnum.cz.rc",
    "DE": "stdnum.de.idnr",
    "ES": "stdnum.es.dni",
    "FR": "stdnum.fr.nir",
    "GR": "stdnum.gr.amka",
    "IE": "stdnum.ie.pps",
    "IT": "stdnum.it.codicefiscale",
    "JP": "stdnum.jp.in_",
    "NL": "stdnum.nl.bsn",
    "PL": "stdnum.pl.pesel",
    "PT": "stdnum.pt.cc",
}
COMPANY_IDS = {
    "CH": "stdnum.ch.uid",
    "ES": "stdnum.es.cif",
    "FR": "stdnum.fr.siren",
    "IT": "stdnum.it.iva",
    "JP": "stdnum.jp.cn",
    "PL": "stdnum.pl.regon",
    "PT": "stdnum.pt.nif",
}
# The example IBAN ("IBAN electronic format example") the SWIFT IBAN Registry gives for
# each country of the SEPA zone; coopkit pays by SEPA transfer, so only those are needed.
# fmt: off
IBAN_REGISTRY_EXAMPLES = {
    "AD": "AD1200012030200359100100", "AT": "AT611904300234573201",
    "BE": "BE68539007547034", "BG": "BG80BNBG96611020345678",
    "CH": "CH9300762011623852957", "CY": "CY17002001280000001200527600",
    "CZ": "CZ6508000000192000145399", "DE": "DE89370400440532013000",
    "DK": "DK5000400440116243", "EE": "EE382200221020145685",
    "ES": "ES9121000418450200051332", "FI": "FI2112345600000785",
    "FR": "FR1420041010050500013M02606", "GB": "GB29NWBK60161331926819",
    "GI": "GI75NWBK000000007099453", "GR": "GR1601101250000000012300695",
    "HR": "HR1210010051863000160", "HU": "HU42117730161111101800000000",
    "IE": "IE29AIBK93115212345678", "IS": "IS140159260076545510730339",
    "IT": "IT60X0542811101000000123456", "LI": "LI21088100002324013AA",
    "LT": "LT121000011101001000", "LU": "LU280019400644750000",
    "LV": "LV80BANK0000435195001", "MC": "MC5811222000010123456789030",
    "MT": "MT84MALT011000012345MTLCAST001S", "NL": "NL91ABNA0417164300",
    "NO": "NO9386011117947", "PL": "PL61109010140000071219812874",
    "PT": "PT50000201231234567890154", "RO": "RO49AAAA1B31007593840000",
    "SE": "SE4550000000058398257466", "SI": "SI56263300012039086",
    "SK": "SK3112000000198742637541", "SM": "SM86U0322509800000000270100",
    "VA": "VA59001123000012345678",
}
# fmt: on
ALIASES = {"national_id": "personalid", "vat": "vat", "company_id": "businessid"}
CURATED = {"national_id": NATIONAL_IDS, "company_id": COMPANY_IDS}

_EXAMPLE = re.compile(r">>> validate\('([^']+)'\)\n(?!Traceback)")


@dataclass(frozen=True)
class StdnumCheck:
    """A stdnum module for one kind of identifier of a country.

    :param module: its dotted name (``stdnum.pt.nif``).
    :param label: what the number is called in error sentences (``Portuguese VAT number``).
    :param example: a valid number from the module's documentation, or ``""``.
    """

    module: str
    label: str
    example: str


def stdnum_check(country: str, kind: str) -> StdnumCheck | None:
    """The stdnum check of ``kind`` (``national_id``, ``vat``, ``company_id``) for ``country``."""
    module = _module(country, kind)
    if module is None:
        return None
    example = _example(module)
    if example and not _detects_typos(module, example):
        # A number without check digits (the German Handelsregisternummer): a validator
        # could not tell a typo from a real number, and the conformance kit requires it.
        return None
    return StdnumCheck(module.__name__, _label(module), example)


def iban_example(country: str) -> str:
    """The IBAN Registry's example IBAN of a SEPA country, if coopkit's check accepts it."""
    from coopkit.plugin_helpers import check_iban

    example = IBAN_REGISTRY_EXAMPLES.get(country, "")
    return example if example and check_iban(example).valid else ""


def _module(country: str, kind: str) -> ModuleType | None:
    package_name = f"stdnum.{country.lower()}"
    try:
        package = importlib.import_module(package_name)
    except ImportError:
        try:
            package = importlib.import_module(package_name + "_")  # stdnum.is_, stdnum.in_
        except ImportError:
            return None
    alias = getattr(package, ALIASES[kind], None)
    if isinstance(alias, ModuleType):
        return alias
    if name := CURATED.get(kind, {}).get(country):
        return importlib.import_module(name)
    if kind == "vat":  # some packages (stdnum.ch, stdnum.de) have a vat module but no alias
        try:
            return importlib.import_module(f"{package.__name__}.vat")
        except ImportError:
            return None
    return None


def _label(module: ModuleType) -> str:
    """``NIF (Número de identificação fiscal, Portuguese VAT number).`` → the last part."""
    first = ((module.__doc__ or "").strip().splitlines() or [""])[0].rstrip(".")
    before = first.split("(")[0]
    inside = re.search(r"\(([^()]*)\)$", first)
    # "NIF (Número de identificação fiscal, Portuguese VAT number)": the English name is
    # last in the brackets; "Swiss social security number ("Sozialversicherungsnummer")": before.
    bracketed = inside.group(1) if inside else ""
    label = bracketed.split(",")[-1] if bracketed[:1] not in ("", '"', "'") else before
    label = re.sub(r"^(a|an|the) ", "", label.strip().strip("\"'"))
    return label or module.__name__


def _example(module: ModuleType) -> str:
    for match in _EXAMPLE.finditer(module.__doc__ or ""):
        try:
            module.validate(match.group(1))
        except Exception:  # noqa: S112 — a doctest we misread: try the next one
            continue
        return match.group(1)
    return ""


def _detects_typos(module: ModuleType, example: str) -> bool:
    """Whether the module refuses the example with one digit changed, as the kit checks."""
    from coopkit.conformance.identifiers import corrupted

    for wrong in corrupted(example):
        try:
            module.validate(wrong)
        except Exception:  # noqa: S112 — refused: what we want
            continue
        return False
    return True
