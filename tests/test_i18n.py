"""coopkit/i18n.py and the catalogs: fresh, complete, valid; locale choice; formatting; pages.

The rendering tests compile the .po catalogs into a temporary folder rather than
trusting the git-ignored .mo files, so they test what is committed.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment, FileSystemLoader

from coopkit import i18n
from coopkit.i18n import format_day, format_money, format_rate, negotiate, parse_accept_language
from coopkit.money import Money
from coopkit.plugins import PluginHost
from coopkit.web.templating import TEMPLATES, configure_environment

ROOT = Path(__file__).resolve().parent.parent
STALE = "the message catalog is stale: run `make messages` and translate the new strings"


@dataclass(frozen=True)
class Catalogs:
    """One extraction domain: coopkit itself, or a country plugin's own messages."""

    name: str
    package: Path
    locale_dir: Path
    languages: tuple[str, ...]

    @property
    def pot(self) -> Path:
        return self.locale_dir / "messages.pot"

    @property
    def translated(self) -> tuple[str, ...]:
        # `en` is the source language: its msgstr stay empty.
        return tuple(language for language in self.languages if language != "en")

    def po(self, language: str) -> Path:
        return self.locale_dir / language / "LC_MESSAGES" / "messages.po"


def _plugin_catalogs() -> list[Catalogs]:
    found = []
    for locale_dir in sorted(ROOT.glob("plugins/*/coopkit_*/locale")):
        languages = tuple(sorted(d.parent.name for d in locale_dir.glob("*/LC_MESSAGES")))
        found.append(Catalogs(locale_dir.parent.name, locale_dir.parent, locale_dir, languages))
    return found


CATALOGS = [
    Catalogs("coopkit", ROOT / "coopkit", i18n.LOCALE_DIR, i18n.UI_LANGUAGES),
    *_plugin_catalogs(),
]
EACH_LANGUAGE = [
    pytest.param(catalogs, language, id=f"{catalogs.name}-{language}")
    for catalogs in CATALOGS
    for language in catalogs.languages
]
EACH_TRANSLATION = [
    pytest.param(catalogs, language, id=f"{catalogs.name}-{language}")
    for catalogs in CATALOGS
    for language in catalogs.translated
]


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    """Every msgid of ``catalog``; a plural message counts as (singular, plural)."""
    return {message.id for message in catalog if message.id}


def _show(message_id: str | tuple[str, ...]) -> str:
    return " / ".join(message_id) if isinstance(message_id, tuple) else message_id


# -- the catalogs are fresh and complete ---------------------------------------------------


def _extract(package: Path, pot: Path) -> Catalog:
    """What `make messages` would extract now from ``package``, written to ``pot``."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = Catalog(project="coopkit")
    for filename, lineno, message, comments, context in extract_from_dir(
        package, method_map, options_map
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    with pot.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, no_location=True)
    return _read(pot)


def test_every_country_plugin_with_messages_has_a_catalog() -> None:
    names = {catalogs.name for catalogs in CATALOGS}
    assert {"coopkit_be", "coopkit_fr"} <= names


@pytest.mark.parametrize("catalogs", [pytest.param(c, id=c.name) for c in CATALOGS])
def test_the_template_matches_the_marked_messages(catalogs: Catalogs, tmp_path: Path) -> None:
    current = _ids(_extract(catalogs.package, tmp_path / "messages.pot"))
    committed = _ids(_read(catalogs.pot))
    differences = [f"new: {_show(m)!r}" for m in sorted(current - committed, key=str)]
    differences += [f"no longer used: {_show(m)!r}" for m in sorted(committed - current, key=str)]
    assert not differences, f"{catalogs.name}: {STALE}\n  " + "\n  ".join(differences)


@pytest.mark.parametrize(("catalogs", "language"), EACH_LANGUAGE)
def test_each_catalog_holds_every_message_of_the_template(
    catalogs: Catalogs, language: str
) -> None:
    template = _ids(_read(catalogs.pot))
    catalog = _ids(_read(catalogs.po(language), language))
    missing = sorted(_show(m) for m in template - catalog)
    assert not missing, f"{catalogs.name} {language}: {STALE}\n  missing: {missing}"


@pytest.mark.parametrize(("catalogs", "language"), EACH_TRANSLATION)
def test_every_message_is_translated_and_none_is_fuzzy(catalogs: Catalogs, language: str) -> None:
    catalog = _read(catalogs.po(language), language)
    assert catalog.num_plurals == 2, f"{language}: expected 2 plural forms"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {_show(message.id)!r}")
        if not all(s.strip() for s in strings) or len(strings) != (
            catalog.num_plurals if message.pluralizable else 1
        ):
            problems.append(f"untranslated: {_show(message.id)!r}")
    assert not catalog.fuzzy, f"{catalogs.name} {language}: the catalog header is marked fuzzy"
    assert not problems, f"{catalogs.name} {language}: " + "; ".join(problems)


# -- the catalogs are valid ------------------------------------------------------------


@pytest.mark.parametrize(("catalogs", "language"), EACH_LANGUAGE)
def test_catalog_has_no_errors_and_compiles(
    catalogs: Catalogs, language: str, tmp_path: Path
) -> None:
    catalog = _read(catalogs.po(language), language)
    errors = [
        f"{_show(message.id)!r}: {error}" for message, found in catalog.check() for error in found
    ]
    assert not errors, f"{catalogs.name} {language}: " + "; ".join(errors)
    target = tmp_path / "messages.mo"
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    assert target.stat().st_size > 0


def _compile(catalogs: Catalogs, target: Path) -> Path:
    """The committed .po files of ``catalogs`` compiled into ``target``/<lang>/LC_MESSAGES."""
    for language in catalogs.languages:
        folder = target / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        with (folder / "messages.mo").open("wb") as handle:
            write_mo(handle, _read(catalogs.po(language), language))
    return target


@pytest.mark.usefixtures("compiled_catalogs")
def test_a_plugin_catalog_is_added_when_its_plugin_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plugin package with a ``locale/`` folder gets its messages translated by coopkit."""
    french = next(c for c in CATALOGS if c.name == "coopkit_fr")
    package = tmp_path / "coopkit_xx"
    _compile(french, package / "locale")
    plugin = types.ModuleType("coopkit_xx")
    plugin.__file__ = str(package / "__init__.py")
    monkeypatch.setattr(i18n, "_plugin_catalogs", [])
    i18n.translations.cache_clear()
    label = "Old-age insurance, capped"
    assert i18n.gettext("fr_FR", label) == label
    PluginHost.from_plugins([("xx", plugin)])
    assert i18n.gettext("fr_FR", label) == "Assurance vieillesse plafonnée"
    assert i18n.gettext("en", label) == label
    # coopkit's own messages still translate once a plugin catalog is merged in.
    assert i18n.gettext("fr_FR", "Sign in") == "Se connecter"


# -- which locale ----------------------------------------------------------------------

OFFERED = ["fr_BE", "nl_BE", "en"]


@pytest.mark.parametrize(
    ("user_choice", "header", "expected"),
    [
        pytest.param("nl_BE", "fr-BE,en;q=0.9", "nl_BE", id="user choice beats the browser"),
        pytest.param("en", None, "en", id="user choice alone"),
        pytest.param("de_DE", "nl", "nl_BE", id="unoffered choice: browser next"),
        pytest.param(None, "de;q=0.9, nl-BE;q=0.8, en;q=0.5", "nl_BE", id="best offered q"),
        pytest.param(None, "en;q=0.5, nl;q=0.9", "nl_BE", id="q-values, not order"),
        pytest.param(None, "en, nl", "en", id="equal q keeps the header's order"),
        pytest.param(None, "nl", "nl_BE", id="nl matches nl_BE"),
        pytest.param(None, "FR-be", "fr_BE", id="case does not matter"),
        pytest.param(None, "*", "fr_BE", id="star is ignored"),
        pytest.param(None, "*, en;q=0.1", "en", id="star is ignored, the rest counts"),
        pytest.param(None, "nl;q=0", "fr_BE", id="q=0 refuses"),
        pytest.param(None, "nl;q=0, en;q=0.3", "en", id="q=0 refuses, the rest counts"),
        pytest.param(None, "%%% garbage ;;; ,,", "fr_BE", id="garbage falls back"),
        pytest.param(None, "nl;q=much", "fr_BE", id="bad q-value falls back"),
        pytest.param(None, "", "fr_BE", id="empty header"),
        pytest.param(None, None, "fr_BE", id="nothing: the tenant's first locale"),
    ],
)
def test_negotiate(user_choice: str | None, header: str | None, expected: str) -> None:
    assert negotiate(OFFERED, user_choice, header) == expected


def test_negotiate_without_offered_locales_uses_english() -> None:
    assert negotiate([], None, "fr") == "en"


def test_parse_accept_language_orders_by_quality() -> None:
    header = "fr-BE;q=0.8, en, nl ; q=0.9, *;q=0.1, de;q=0"
    assert parse_accept_language(header) == ["en", "nl", "fr_BE"]
    assert parse_accept_language(None) == []
    assert parse_accept_language(" , ") == []


# -- formatting through Babel (mind the non-breaking spaces) -----------------------------

NBSP = "\xa0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space: French groups thousands with it


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        ("1234.5", "EUR", "fr_BE", "1\u202f234,50\xa0€"),
        ("1234.5", "EUR", "en", "€1,234.50"),
        ("1234.5", "EUR", "nl_BE", "€\xa01.234,50"),
        ("1234.5", "EUR", "de_BE", "1.234,50\xa0€"),
        ("-1234.5", "EUR", "en", "-€1,234.50"),
        ("1234", "JPY", "en", "¥1,234"),
        ("1234.4", "JPY", "de_BE", "1.234\xa0¥"),
        ("1234", "JPY", "fr_BE", "1\u202f234\xa0JPY"),
    ],
)
def test_format_money(amount: str, currency: str, locale: str, expected: str) -> None:
    assert format_money(Money.of(amount, currency), locale) == expected


def test_money_in_french_uses_non_breaking_spaces() -> None:
    text = format_money(Money.of("1234.5", "EUR"), "fr_BE")
    assert " " not in text
    assert text == f"1{NNBSP}234,50{NBSP}€"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr_BE", "13,07\xa0%"),
        ("en", "13.07%"),
        ("nl_BE", "13,07%"),
        ("de_BE", "13,07\xa0%"),
    ],
)
def test_format_rate_keeps_its_decimals(locale: str, expected: str) -> None:
    assert format_rate(Decimal("0.1307"), locale) == expected


def test_format_rate_whole_percent() -> None:
    assert format_rate(Decimal("0.21"), "fr_BE") == f"21{NBSP}%"


@pytest.mark.parametrize(
    ("locale", "style", "expected"),
    [
        ("nl_BE", "long", "21 juli 2026"),
        ("fr_BE", "long", "21 juillet 2026"),
        ("de_BE", "long", "21. Juli 2026"),
        ("en", "long", "July 21, 2026"),
        ("en", "medium", "Jul 21, 2026"),
    ],
)
def test_format_day(locale: str, style: str, expected: str) -> None:
    assert format_day(date(2026, 7, 21), locale, style) == expected


# -- rendering pages in a language -------------------------------------------------------


@pytest.fixture
def compiled_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The committed .po catalogs compiled to a temporary LOCALE_DIR."""
    for language in i18n.UI_LANGUAGES:
        target = tmp_path / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "messages.mo").open("wb") as handle:
            write_mo(handle, _read(CATALOGS[0].po(language), language))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.translations.cache_clear()
    yield tmp_path
    i18n.translations.cache_clear()


@pytest.fixture
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    configure_environment(env)
    return env


SAMPLE = (
    "<h1>{% trans %}Sign in{% endtrans %}</h1>"
    "<p>{{ amount | money }}</p>"
    "<p>{% trans count=n %}You belong to one cooperative.{% pluralize %}"
    "You belong to {{ count }} cooperatives.{% endtrans %}</p>"
)


@pytest.mark.usefixtures("compiled_catalogs")
@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "fr_BE",
            "<h1>Se connecter</h1><p>1\u202f234,50\xa0€</p>"
            "<p>Vous faites partie de 3 coopératives.</p>",
        ),
        (
            "de",
            "<h1>Anmelden</h1><p>1.234,50\xa0€</p><p>Sie gehören 3 Genossenschaften an.</p>",
        ),
        (
            "nl_BE",
            "<h1>Aanmelden</h1><p>€\xa01.234,50</p><p>U bent lid van 3 coöperaties.</p>",
        ),
        ("en", "<h1>Sign in</h1><p>€1,234.50</p><p>You belong to 3 cooperatives.</p>"),
    ],
)
def test_render_in_the_context_locale(environment: Environment, locale: str, expected: str) -> None:
    page = environment.from_string(SAMPLE)
    assert page.render(locale=locale, amount=Money.of("1234.5", "EUR"), n=3) == expected


@pytest.mark.usefixtures("compiled_catalogs")
def test_render_singular_and_fallbacks(environment: Environment) -> None:
    page = environment.from_string(
        "{% trans count=n %}You belong to one cooperative.{% pluralize %}"
        "You belong to {{ count }} cooperatives.{% endtrans %}"
    )
    assert page.render(locale="fr_BE", n=1) == "Vous faites partie d'une coopérative."
    sign_out = environment.from_string("{% trans %}Sign out{% endtrans %}")
    assert sign_out.render(locale="nl_BE") == "Afmelden"
    assert sign_out.render(locale="es") == "Sign out"  # no Spanish catalog: English
    assert sign_out.render() == "Sign out"  # no locale in the context: English


@pytest.mark.usefixtures("compiled_catalogs")
def test_gettext_with_parameters() -> None:
    assert i18n.gettext("fr_BE", "Welcome, %(name)s", name="Ana") == "Bienvenue, Ana"
    assert i18n.gettext("de", "Reference to quote: %(ref)s", ref="X1") == "Anzugebende Referenz: X1"
    assert i18n.gettext("en", "Wrong e-mail or password.") == "Wrong e-mail or password."


# -- templates: they parse, and show no English outside {% trans %} -------------------------

ALLOWED_WORDS = {"coopkit"}
_TRANS_BLOCK = re.compile(r"{%-?\s*trans\b.*?%}.*?{%-?\s*endtrans\s*-?%}", re.DOTALL)
_JINJA = re.compile(r"{#.*?#}|{{.*?}}|{%.*?%}", re.DOTALL)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_VISIBLE_ATTRIBUTE = re.compile(
    r"\b(?:title|alt|placeholder|aria-label|label)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&[#\w]+;")
_WORD_RUN = re.compile(r"[^\W\d_]+(?:[\s\-'’]+[^\W\d_]+)+")


def untranslated_text(source: str) -> list[str]:
    """Runs of two or more words a visitor would see that no {% trans %} block covers."""
    text = _TRANS_BLOCK.sub(" ", source)
    text = _JINJA.sub(" ", text)
    text = _SCRIPT.sub(" ", text)
    shown = [a or b for a, b in _VISIBLE_ATTRIBUTE.findall(text)]
    shown.append(_TAG.sub(" ", text))
    found = []
    for chunk in shown:
        chunk = _ENTITY.sub(" ", chunk)
        for word in ALLOWED_WORDS:
            chunk = re.sub(rf"\b{word}\b", " ", chunk, flags=re.IGNORECASE)
        found += [" ".join(run.split()) for run in _WORD_RUN.findall(chunk)]
    return found


def test_the_untranslated_text_check_itself() -> None:
    assert untranslated_text("<p>{% trans %}Sign in now{% endtrans %}</p>") == []
    assert untranslated_text('<a title="{% trans %}Go home{% endtrans %}">coopkit</a>') == []
    assert untranslated_text("<p>{{ user.name }} {# a note #}</p><b>x</b> 12 €") == []
    assert untranslated_text("<p>Hello world</p>") == ["Hello world"]
    assert untranslated_text('<input placeholder="Your name">') == ["Your name"]
    assert untranslated_text("<td>{% if a %}Not paid{% endif %}</td>") == ["Not paid"]


TEMPLATE_NAMES = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


def test_there_are_templates() -> None:
    assert TEMPLATE_NAMES


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_parses_and_shows_no_untranslated_text(
    environment: Environment, name: str
) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    environment.parse(source, name=name)
    environment.get_template(name)  # compiles, i18n extension included
    assert untranslated_text(source) == [], f"{name}: text outside {{% trans %}}"
