"""Jinja2 for pages: translations, locale-aware filters and the page helper.

Templates find the locale in their context (``locale``, set by :func:`page`),
so the same filters serve pages and, later, documents rendered outside a request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from coopkit import i18n
from coopkit.i18n import _
from coopkit.money import Money
from coopkit.web.access import visitor
from coopkit.web.pages.branding import tenant_look

TEMPLATES = Path(__file__).parent / "templates"
SESSION_LOCALE = "locale"
SESSION_FLASH = "flash"


def _locale(context: Context) -> str:
    return str(context.get("locale") or i18n.FALLBACK)


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.translations(_locale(context)).ugettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, number: int) -> str:
    return i18n.translations(_locale(context)).ungettext(singular, plural, number)


@pass_context
def _money(context: Context, value: Money) -> str:
    return i18n.format_money(value, _locale(context))


@pass_context
def _number(context: Context, value: Decimal | int) -> str:
    return i18n.format_number(value, _locale(context))


@pass_context
def _rate(context: Context, value: Decimal) -> str:
    return i18n.format_rate(value, _locale(context))


@pass_context
def _day(context: Context, value: date, style: str = "medium") -> str:
    return i18n.format_day(value, _locale(context), style)


@pass_context
def _moment(context: Context, value: datetime, style: str = "medium") -> str:
    return i18n.format_moment(value, _locale(context), style)


@pass_context
def _language(context: Context, locale: str) -> str:
    return i18n.language_name(locale, _locale(context))


@pass_context
def _country_name(context: Context, code: str) -> str:
    return i18n.country_name(code, _locale(context))


def _own_language(locale: str) -> str:
    """A language named in itself (Français, Nederlands), as language pickers show it."""
    return i18n.language_name(locale, locale).capitalize()


def configure_environment(environment: Environment) -> None:
    """Install translations and the locale-aware filters on a Jinja2 environment."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.policies["ext.i18n.trimmed"] = True
    environment.filters.update(
        money=_money,
        number=_number,
        rate=_rate,
        day=_day,
        moment=_moment,
        language=_language,
        own_language=_own_language,
        country_name=_country_name,
        # Text held in data (a payslip line's label) is translated without the
        # %-formatting of _(), which "(1 %)" in a label would break.
        translate=_gettext,
    )


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    def callback(engine: JinjaTemplateEngine) -> None:
        configure_environment(engine.engine)

    # Pages may include the parts they share with documents (coopkit/documents/templates).
    documents = TEMPLATES.parent.parent / "documents" / "templates"
    return TemplateConfig(
        directory=[TEMPLATES, documents], engine=JinjaTemplateEngine, engine_callback=callback
    )


def request_locale(request: Request[Any, Any, Any]) -> str:
    """The user's choice, then Accept-Language, then the tenant's default language."""
    who = visitor(request)
    offered = list(who.tenant.locales) if who.tenant else list(i18n.UI_LANGUAGES)
    chosen = None
    if "session" in request.scope and request.session:
        chosen = request.session.get(SESSION_LOCALE)
    if chosen is None and who.user is not None:
        chosen = who.user.locale
    return i18n.negotiate(offered, chosen, request.headers.get("accept-language"))


def flash(
    request: Request[Any, Any, Any], message: str, category: str = "info", **params: Any
) -> None:
    """Queue a message for the next page; ``message`` is a msgid marked with ``_()``."""
    queued = list(request.session.get(SESSION_FLASH, []))
    queued.append({"message": message, "category": category, "params": params})
    request.session[SESSION_FLASH] = queued


def act(
    request: Request[Any, Any, Any],
    work: Callable[[], object],
    done: str,
    refused: tuple[type[Exception], ...],
    **params: Any,
) -> bool:
    """Do ``work`` and flash ``done``; a ``refused`` error is flashed instead, in its own
    words (which name the rule that forbids it). Whether the work was done."""
    try:
        work()
    except refused as error:
        flash(request, _("Refused: %(reason)s"), "error", reason=str(error))
        return False
    flash(request, done, "info", **params)
    return True


def _take_flashes(request: Request[Any, Any, Any], locale: str) -> list[dict[str, str]]:
    # Touch the session only when it holds messages: reading it must not
    # create a stored session for every anonymous visit.
    if "session" not in request.scope or not request.session.get(SESSION_FLASH):
        return []
    queued = request.session.pop(SESSION_FLASH)
    return [
        {
            "category": item["category"],
            "text": i18n.gettext(locale, item["message"], **item["params"]),
        }
        for item in queued
    ]


def page(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Template:
    """Render a page in the visitor's language with the common layout's context."""
    locale = request_locale(request)
    who = visitor(request)
    return Template(
        template_name=template,
        status_code=status_code,
        context={
            "locale": locale,
            "lang": i18n.ui_language(locale),
            "visitor": who,
            "tenant": who.tenant,
            "branding": tenant_look(request),
            "flashes": _take_flashes(request, locale),
            "ui_languages": i18n.UI_LANGUAGES,
            **context,
        },
    )
