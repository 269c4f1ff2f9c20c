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
    return StdnumCheck(module.__name__, _label(module), _example(module))


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
