"""Checks on what a person types into ``coopkit new-country`` / ``new-branch``.

Each returns the value in its canonical form (``pt`` → ``PT``, ``pt-pt`` →
``pt_PT``) or raises :class:`ScaffoldError` with a sentence naming the standard
that refuses it, so the command can stop before writing anything.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from babel import Locale, UnknownLocaleError

from coopkit import money
from coopkit.scaffold.errors import ScaffoldError

# CLDR's territory list also holds codes that are not ISO 3166-1 alpha-2 countries:
# groupings (EU, EZ, UN, QO), user-assigned codes (XA, XB, XK, ZZ) and codes ISO
# only reserves (AC, CP, CQ, DG, EA, IC, TA).
NOT_ISO_3166 = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
NAME_LIMIT = 80
# Control, format, surrogate, unassigned characters and line or paragraph separators.
CONTROL = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@cache
def iso_countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 codes with their English names, from Babel's CLDR data."""
    names = Locale("en").territories
    return {
        code: str(name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166
    }


def check_country_code(code: str) -> str:
    """The ISO 3166-1 alpha-2 code, upper case; refuse anything else."""
    typed = code.strip().upper()
    if typed not in iso_countries():
        raise ScaffoldError(
            f"{code!r} is not an ISO 3166-1 alpha-2 country code: use the two letters of "
            "the country (pt for Portugal, de for Germany, ch for Switzerland)."
        )
    return typed


def check_currency(code: str) -> str:
    """The ISO 4217 currency code, upper case; refuse anything else."""
    try:
        return money.check_currency(code.strip().upper())
    except money.MoneyError:
        raise ScaffoldError(
            f"{code!r} is not an ISO 4217 currency code: use the three letters of the "
            "currency (EUR, CHF, JPY)."
        ) from None


def check_locales(text: str) -> tuple[str, ...]:
    """Comma-separated locales (``pt_PT,en``), each known to Babel; the first is the default."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise ScaffoldError("Give at least one locale, such as pt_PT or en (comma-separated).")
    locales: list[str] = []
    for part in parts:
        try:
            locale = str(Locale.parse(part.replace("-", "_")))
        except (UnknownLocaleError, ValueError):
            raise ScaffoldError(
                f"{part!r} is not a locale Babel knows: write a language code, optionally "
                "with a country (pt_PT, de_CH, en)."
            ) from None
        if locale in locales:
            raise ScaffoldError(f"The locale {locale} is given twice: list each locale once.")
        locales.append(locale)
    return tuple(locales)


def check_name(name: str, what: str = "name") -> str:
    """A display name: any letters, quotes and signs, but one line of at most 80 characters."""
    typed = name.strip()
    if not typed:
        raise ScaffoldError(f"The {what} is empty: type it as it should be printed.")
    if len(typed) > NAME_LIMIT:
        raise ScaffoldError(f"The {what} has {len(typed)} characters; keep it to {NAME_LIMIT}.")
    if any(unicodedata.category(char) in CONTROL for char in typed):
        raise ScaffoldError(
            f"The {what} contains a line break or another control character: type it on one line."
        )
    return typed
