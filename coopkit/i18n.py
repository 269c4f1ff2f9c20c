"""Languages: Babel catalogs, locale choice and locale-aware formatting.

Pages and documents read money, numbers and dates only through the filters
here, so that "1 234,50 €" in French and "€1,234.50" in English come from one
place. Messages are marked with ``_()`` (Python) and ``{% trans %}`` (Jinja2),
extracted by ``make messages`` and compiled by ``make install``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import NullTranslations, Translations

from coopkit.money import Money

LOCALE_DIR = Path(__file__).parent / "locale"
UI_LANGUAGES = ("en", "fr", "nl", "de")
FALLBACK = "en"


def _(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


# Catalogs of country plugins (their own messages: payslip line labels, VAT wording…),
# added by coopkit.plugins when a plugin package ships a ``locale/`` folder.
_plugin_catalogs: list[Path] = []


def add_catalog_dir(folder: Path) -> None:
    """Let the messages of a plugin's catalog in ``folder`` be translated too."""
    if folder.is_dir() and folder not in _plugin_catalogs:
        _plugin_catalogs.append(folder)
        translations.cache_clear()


@lru_cache(maxsize=64)
def translations(locale: str) -> NullTranslations:
    """The compiled catalog for ``locale`` (``fr_BE`` falls back to ``fr``).

    coopkit's own catalog comes first; the plugins' catalogs add their messages.
    """
    wanted = [locale, locale.split("_")[0]]
    merged = Translations.load(str(LOCALE_DIR), wanted, "messages")
    for folder in _plugin_catalogs:
        found = Translations.load(str(folder), wanted, "messages")
        if not isinstance(found, Translations):
            continue
        if isinstance(merged, Translations):
            found.merge(merged)  # coopkit's own wording wins on a shared message
        merged = found
    return merged


def gettext(locale: str, message: str, **params: Any) -> str:
    text = translations(locale).ugettext(message)
    return text % params if params else text


def ui_language(locale: str) -> str:
    """The interface language for a document locale: ``nl_BE`` → ``nl``, unknown → ``en``."""
    language = locale.split("_")[0]
    return language if language in UI_LANGUAGES else FALLBACK


def parse_accept_language(header: str | None) -> list[str]:
    """Languages of an Accept-Language header, best first (``fr-BE;q=0.8`` → ``fr_BE``)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, *params = piece.split(";")
        quality = 1.0
        for param in params:
            key, _eq, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)  # a preference weight, never money
                except ValueError:
                    quality = 0.0
        if tag.strip() != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip().replace("-", "_")))
    return [tag for _q, _i, tag in sorted(weighted)]


def negotiate(offered: Sequence[str], user_choice: str | None, accept_language: str | None) -> str:
    """The locale to use: the user's choice, then the browser's, then the tenant's first.

    ``offered`` are the tenant's locales (``["fr_BE", "nl_BE", "en"]``); a browser
    asking for ``nl`` gets ``nl_BE``.
    """
    candidates: list[str] = [user_choice] if user_choice else []
    candidates += parse_accept_language(accept_language)
    for wanted in candidates:
        match = _match(offered, wanted)
        if match:
            return match
    return offered[0] if offered else FALLBACK


def _match(offered: Iterable[str], wanted: str) -> str | None:
    offered = list(offered)
    lowered = {loc.lower(): loc for loc in offered}
    if wanted.lower() in lowered:
        return lowered[wanted.lower()]
    language = wanted.split("_")[0].lower()
    for loc in offered:
        if loc.split("_")[0].lower() == language:
            return loc
    return None


def valid_locale(locale: str) -> bool:
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return False
    return True


# -- formatting: the only way money, numbers and dates reach a person -------------------


def format_money(value: Money, locale: str) -> str:
    return format_currency(value.amount, value.currency, locale=locale)


def format_price(value: Decimal, currency: str, locale: str) -> str:
    """A unit price with its own decimals when it has more than the currency's (0.125 €)."""
    return format_currency(value, currency, locale=locale, decimal_quantization=False)


def format_number(value: Decimal | int, locale: str) -> str:
    return format_decimal(value, locale=locale)


def format_rate(value: Decimal, locale: str) -> str:
    """A rate as a percentage with as many decimals as it has: 0.1307 → 13.07 %."""
    return format_percent(value, locale=locale, decimal_quantization=False)


def format_day(value: date, locale: str, style: str = "medium") -> str:
    return babel_format_date(value, format=style, locale=locale)


def format_moment(value: datetime, locale: str, style: str = "medium") -> str:
    return babel_format_datetime(value, format=style, locale=locale)


def country_name(code: str, locale: str) -> str:
    """A country's name in ``locale`` (``BE`` in ``nl`` → ``België``)."""
    return str(Locale.parse(locale).territories.get(code.upper(), code))


def language_name(locale: str, in_locale: str) -> str:
    return Locale.parse(locale).get_display_name(in_locale) or locale
