"""Structured payment references, as clients type them and as banks pass them on.

Two kinds, both with check digits (python-stdnum checks them):

- the Belgian structured communication (OGM-VCS): 12 digits, the last two the
  first ten modulo 97, written ``+++090/9337/55493+++`` (or ``***…***``);
- the ISO 11649 creditor reference: ``RF``, two check digits, up to 21 letters
  or digits, written in groups of four (``RF18 5390 0754 7034``).

:func:`normalise` gives one compact form to compare on (``090933755493``,
``RF18539007547034``); :func:`find_reference` looks for one in free text, where
clients and banks often put it.
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.be import ogm_vcs

# +++123/4567/89012+++ or ***…***, with or without the slashes and the spaces around them.
OGM_IN_TEXT = re.compile(r"([+*]{3})\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*\1")
# RF, two digits, then letters or digits possibly in groups of four.
RF_IN_TEXT = re.compile(r"\bRF\d{2}(?:\s?[0-9A-Z]{1,4}){1,6}\b", re.IGNORECASE)


def normalise(text: str | None) -> str | None:
    """The compact form of a structured reference, or None if ``text`` is not a valid one."""
    if not text:
        return None
    cleaned = text.strip().strip("+*").strip()
    if cleaned.upper().startswith("RF"):
        return iso11649.compact(cleaned) if iso11649.is_valid(cleaned) else None
    digits = re.sub(r"[\s/.-]", "", cleaned)
    if len(digits) == 12 and ogm_vcs.is_valid(digits):
        return digits
    return None


def find_reference(text: str) -> str | None:
    """The first valid structured reference found in free text, compact; None if none is."""
    for found in OGM_IN_TEXT.finditer(text):
        reference = normalise("".join(found.groups()[1:]))
        if reference:
            return reference
    for found in RF_IN_TEXT.finditer(text):
        reference = normalise(found.group(0))
        if reference:
            return reference
    return None


def written_forms(reference: str) -> list[str]:
    """The ways an invoice may store ``reference`` (compact): to look it up by any of them."""
    if reference.startswith("RF"):
        return [reference, iso11649.format(reference)]
    formatted = ogm_vcs.format(reference)
    return [reference, formatted, f"+++{formatted}+++", f"***{formatted}***"]
