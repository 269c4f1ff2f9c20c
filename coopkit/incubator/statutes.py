"""Draft statutes of an incubated cooperative, rendered from its country plugin's template.

The country's law offers legal forms (``coopkit_legal_forms``); each names a
statutes template in the plugin's documents folder (``statutes_sc.html`` for
the Belgian SC, ``statutes_scop.html`` and ``statutes_scic.html`` in France).
:func:`render_statutes_html` fills it with a :class:`StatutesContext` — the
founders and what they subscribe, the share classes, the general assembly's
rules of the country's law (tightened by the project if it sets any) and the
financial year — in one language; :func:`render_statutes_pdf` prints it.

The result is a draft: every page says it must be reviewed by a lawyer or a
notary before anyone signs it. The figures in it come from the law's data
(``country_profiles/<cc>/``), never from the template, so a draft of 2026
cites the rules in force in 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateNotFound

from coopkit import i18n
from coopkit.countries import LegalForm
from coopkit.documents.render import render_html, render_pdf, template_folders
from coopkit.governance.rules import AssemblyRules
from coopkit.money import Money

if TYPE_CHECKING:
    from coopkit.plugins import PluginHost

DRAFT_YEAR = 2000  # a leap year, so that a financial year may start on 29 February


class StatutesError(ValueError):
    """Statutes that cannot be drafted from what the project holds; the message says why."""


@dataclass(frozen=True)
class StatutesFounder:
    """A founder as the statutes name them, with the shares they subscribe.

    ``shares`` pairs a share class code with a quantity; ``category`` is the
    founder's category of partner (``employee``, ``beneficiary``…), printed
    where the form's law requires categories (the French SCIC).
    """

    name: str
    address: str
    category: str
    shares: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class StatutesShareClass:
    """A class of shares the statutes create: nominal value, vote, holding bounds."""

    code: str
    nominal: Decimal
    voting: bool
    min_holding: int
    max_per_member: int | None


@dataclass(frozen=True)
class StatutesContext:
    """Everything the statutes template is filled with (see :func:`render_statutes_html`).

    ``financial_year_start`` is ``"MM-DD"`` (``"01-01"``: the calendar year).
    """

    coop_name: str
    country: str
    currency: str
    legal_form: LegalForm
    seat: str
    purpose: str
    founders: tuple[StatutesFounder, ...]
    share_classes: tuple[StatutesShareClass, ...]
    assembly_rules: AssemblyRules
    financial_year_start: str
    drafted_on: date


@dataclass(frozen=True)
class SubscriptionLine:
    """Shares of one class one founder subscribes, at nominal value."""

    share_class: StatutesShareClass
    quantity: int
    nominal: Money
    amount: Money


@dataclass(frozen=True)
class FounderSubscriptions:
    """A founder and the capital they bring, class by class."""

    founder: StatutesFounder
    lines: tuple[SubscriptionLine, ...]
    total: Money


def subscriptions(context: StatutesContext) -> list[FounderSubscriptions]:
    """Each founder's subscribed shares at nominal value, in the order of the founders.

    Raises StatutesError for a share class the statutes do not create or a
    quantity that is not positive.
    """
    classes = {share_class.code: share_class for share_class in context.share_classes}
    found = []
    for founder in context.founders:
        lines = []
        for code, quantity in founder.shares:
            if code not in classes:
                raise StatutesError(
                    f"{founder.name} subscribes shares of class {code!r}, which the statutes do "
                    f"not create (classes: {', '.join(classes) or 'none'}): plan the class first"
                )
            if quantity <= 0:
                raise StatutesError(f"{founder.name} subscribes {quantity} shares of {code}")
            nominal = Money.of(classes[code].nominal, context.currency)
            lines.append(SubscriptionLine(classes[code], quantity, nominal, nominal * quantity))
        total = sum((line.amount for line in lines), Money.zero(context.currency))
        found.append(FounderSubscriptions(founder, tuple(lines), total))
    return found


def financial_year_start(context: StatutesContext) -> date:
    """The first day of the financial year, as a date of :data:`DRAFT_YEAR` to print."""
    try:
        month, day = (int(part) for part in context.financial_year_start.split("-"))
        return date(DRAFT_YEAR, month, day)
    except ValueError:
        raise StatutesError(
            f"the financial year start {context.financial_year_start!r} is not a day of the "
            "year written MM-DD (01-01 for the calendar year)"
        ) from None


def fraction(value: Decimal) -> str:
    """A quorum or a share of votes as people write it in statutes: ``1/3``, ``3/4``, ``10 %``.

    Fractions with a small denominator (the law's thirds, quarters, halves)
    print as such; any other value as a percentage.
    """
    exact = Fraction(value).limit_denominator(12)
    if abs(Decimal(exact.numerator) / Decimal(exact.denominator) - value) < Decimal("1e-9"):
        return f"{exact.numerator}/{exact.denominator}"
    return f"{(value * 100).normalize():f} %"


def _template_context(host: PluginHost, context: StatutesContext) -> dict[str, Any]:
    rows = subscriptions(context)
    capital = sum((row.total for row in rows), Money.zero(context.currency))
    return {
        "statutes": context,
        "form": context.legal_form,
        "rules": context.assembly_rules,
        "rows": rows,
        "capital": capital,
        "nominals": {c.code: Money.of(c.nominal, context.currency) for c in context.share_classes},
        "year_start": financial_year_start(context),
        "share_rules": host.share_rules(context.country, context.drafted_on),
        "surplus_rules": host.surplus_rules(context.country, context.drafted_on),
        "fraction": fraction,
    }


def _render(
    host: PluginHost,
    context: StatutesContext,
    locale: str,
    renderer: Callable[..., Any],
) -> Any:
    if not i18n.valid_locale(locale):
        raise StatutesError(f"{locale!r} is not a language coopkit can write statutes in")
    country = host.country(context.country)
    folders = template_folders(country)
    values = _template_context(host, context)
    try:
        return renderer(folders, context.legal_form.statutes_template, locale, **values)
    except TemplateNotFound:
        raise StatutesError(
            f"the plugin {country.plugin!r} has no statutes template "
            f"{context.legal_form.statutes_template!r} for the legal form "
            f"{context.legal_form.code} in its documents folder ({country.documents_dir})"
        ) from None


def render_statutes_html(host: PluginHost, context: StatutesContext, locale: str) -> str:
    """The draft statutes as an HTML page in ``locale`` (a preview)."""
    html: str = _render(host, context, locale, render_html)
    return html


def render_statutes_pdf(host: PluginHost, context: StatutesContext, locale: str) -> bytes:
    """The draft statutes as a PDF in ``locale``; needs WeasyPrint (DocumentError otherwise)."""
    pdf: bytes = _render(host, context, locale, render_pdf)
    return pdf
