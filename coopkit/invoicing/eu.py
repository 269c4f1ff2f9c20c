"""Which countries are EU member states on a day (for reverse charge, intra-EU supplies, exports).

The list is dated law (``coopkit/invoicing/eu/eu.yaml``), read once.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from coopkit.law import ParameterSet, load_profile

FOLDER = Path(__file__).parent / "eu"
# ISO 3166-1 code → the prefix of its VAT numbers, where they differ.
VAT_PREFIX = {"GR": "EL"}


@lru_cache(maxsize=1)
def _law() -> ParameterSet:
    return load_profile("EU", FOLDER)


def member_states(on: date) -> frozenset[str]:
    """The ISO codes of the EU member states on ``on``."""
    return frozenset(str(code) for code in _law().value("eu.member_states", on))


def is_member_state(country: str, on: date) -> bool:
    return country.upper() in member_states(on)


def vat_prefix(country: str) -> str:
    """The prefix VAT numbers of ``country`` carry (``GR`` → ``EL``)."""
    return VAT_PREFIX.get(country.upper(), country.upper())
