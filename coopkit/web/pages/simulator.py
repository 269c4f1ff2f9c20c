"""The salary simulator page: a budget, days worked and a month → the salary it pays.

The form is posted, so that amounts stay out of URLs and server logs; the
answer is the form again, with the breakdown of the budget or what to fix.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, Decimal
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Template

from coopkit import i18n
from coopkit.payroll import PayrollInputError
from coopkit.payroll.answers import answer
from coopkit.payroll.questions import FieldError
from coopkit.web.access import member_only, services, visitor
from coopkit.web.pages.breakdown import Shortfall, breakdown
from coopkit.web.pages.simulator_form import field_errors, fields, question_of
from coopkit.web.payroll import PayrollNotServed, tenant_fee_rate, tenant_payroll_rules
from coopkit.web.templating import page, request_locale


def _render(
    request: Request[Any, Any, Any],
    typed: dict[str, str],
    status_code: int = 200,
    **context: Any,
) -> Template:
    who = visitor(request)
    assert who.tenant is not None
    locale = request_locale(request)
    try:
        rules = tenant_payroll_rules(services(request).plugins, who.tenant)
    except PayrollNotServed:
        return page(request, "simulator.html", unavailable=True, fields=[])
    errors: dict[str, str] = context.pop("errors", {})
    form = fields(rules, typed, errors, locale)
    named = {field.name for field in form}
    problems = [*context.pop("problems", []), *(m for f, m in errors.items() if f not in named)]
    return page(
        request,
        "simulator.html",
        status_code=status_code,
        fields=form,
        problems=problems,
        fee_rate=tenant_fee_rate(who.tenant),
        **context,
    )


@get("/t/{slug:str}/simulator", guards=[member_only], include_in_schema=False, sync_to_thread=False)
def simulator_page(request: Request[Any, Any, Any], slug: FromPath[str]) -> Template:
    """The empty form, for this month."""
    return _render(request, {"month": f"{dt.date.today():%Y-%m}"})


@post(
    "/t/{slug:str}/simulator", guards=[member_only], include_in_schema=False, sync_to_thread=False
)
def simulate(
    request: Request[Any, Any, Any], slug: FromPath[str], data: URLEncodedBody[dict[str, str]]
) -> Template:
    """The breakdown of the budget, or the form again with what to fix next to each field."""
    who = visitor(request)
    assert who.tenant is not None
    locale = request_locale(request)
    typed = {name: value for name, value in data.items() if name != "_csrf_token"}
    try:
        rules = tenant_payroll_rules(services(request).plugins, who.tenant)
    except PayrollNotServed:
        return _render(request, typed)
    question = question_of(rules, typed, locale)
    faults = field_errors(rules, question)
    if not faults:
        try:
            result = answer(rules, question, tenant_fee_rate(who.tenant))
        except FieldError as error:
            faults = [error]
        except PayrollInputError as error:
            return _render(request, typed, 400, problems=[str(error)])
    if faults:
        shown: dict[str, str] = {}
        for fault in faults:
            shown.setdefault(fault.field, i18n.gettext(locale, fault.message, **fault.params))
        return _render(request, typed, 400, errors=shown)
    assert result.simulation is not None
    view = breakdown(result.simulation, rules.currency)
    kind = "shortfall" if isinstance(view, Shortfall) else "result"
    days = Decimal(question.days or 0)
    # gettext's plural rules count whole things: 1.5 days reads as the plural
    whole_days = int(days.to_integral_value(ROUND_CEILING))
    context: dict[str, Any] = {kind: view, "days": days, "whole_days": whole_days}
    return _render(request, typed, **context)
