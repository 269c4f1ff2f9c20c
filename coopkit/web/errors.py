"""Errors: JSON problem details (RFC 9457) on the API, friendly pages in HTML.

Never a stack trace: an unexpected error is logged with its trace and the
person sees a short apology with a reference they can quote.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_500_INTERNAL_SERVER_ERROR,
)

from coopkit.activities.service import ActivityError, UnknownActivity
from coopkit.banking.parsed import DuplicateStatement, StatementError
from coopkit.banking.queue import QueueError, UnknownBankLine, UnknownStatement
from coopkit.expenses.errors import (
    ExpenseConflict,
    ExpenseError,
    ExpenseForbidden,
    ExpenseNotFound,
    NotEnoughMoney,
)
from coopkit.governance.effects import EffectRefused
from coopkit.governance.errors import (
    GovernanceConflict,
    GovernanceError,
    GovernanceNotFound,
    NotEntitled,
    ResultsHidden,
)
from coopkit.governance.rules import RuleRefused
from coopkit.guarantee.write_off import WriteOffRefused, WrittenOffAlready
from coopkit.i18n import _
from coopkit.idempotency import IdempotencyConflict, IdempotencyError
from coopkit.incubator.errors import (
    IncubatorConflict,
    IncubatorError,
    IncubatorForbidden,
    IncubatorNotFound,
)
from coopkit.invoicing.errors import (
    InvoicingConflict,
    InvoicingError,
    MissingMentions,
    UnknownClient,
    UnknownInvoice,
)
from coopkit.invoicing.payments import Overpayment, PaymentError
from coopkit.invoicing.ubl import EInvoiceError
from coopkit.ledger.errors import LedgerError
from coopkit.ledger.policy import PolicyError
from coopkit.membership.errors import (
    MembershipConflict,
    MembershipError,
    MembershipForbidden,
    MembershipNotFound,
)
from coopkit.payouts.errors import (
    PaymentsConflict,
    PaymentsError,
    UnknownBankAccount,
    UnknownPaymentBatch,
)
from coopkit.payslips.inputs import PayslipError
from coopkit.payslips.service import PayslipConflict, PayslipNotFound
from coopkit.plugins import NoPluginForCountry
from coopkit.quotes.link import LinkProblem, LinkRefused
from coopkit.quotes.service import QuoteError, UnknownQuote
from coopkit.salaries.errors import (
    SalaryRequestConflict,
    SalaryRequestError,
    SalaryRequestForbidden,
    SalaryRequestNotFound,
    SalaryRequestRefused,
)
from coopkit.tenants.service import UnknownTenant
from coopkit.web.access import is_api

log = logging.getLogger("coopkit.web")

PROBLEM = "application/problem+json"

TITLES = {
    400: _("The request is not valid"),
    401: _("Please sign in"),
    403: _("You may not do this here"),
    404: _("Not found"),
    405: _("Method not allowed"),
    409: _("Conflict"),
    413: _("The request is too large"),
    410: _("No longer available"),
    422: _("The request cannot be processed"),
    429: _("Too many requests"),
    500: _("Something went wrong on our side"),
    503: _("The service is unavailable"),
}


def problem(
    request: Request[Any, Any, Any], status: int, detail: str, **extra: Any
) -> Response[Any]:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM)


def _page(
    request: Request[Any, Any, Any], status: int, detail: str, reference: str = ""
) -> Response[Any]:
    from coopkit.web.templating import page

    try:
        return page(
            request,
            "error.html",
            status_code=status,
            title=TITLES.get(status, TITLES[500]),
            status=status,
            detail=detail,
            reference=reference,
        )
    except Exception:  # the error page itself failed: plain text, still no trace
        log.exception("error page failed")
        return Response(
            f"{status} {TITLES.get(status, 'Error')}", status_code=status, media_type=MediaType.TEXT
        )


# msgspec's words when a JSON number comes where the API wants a string.
NUMBER_FOR_STRING = re.compile(r"^Expected `str(?: \| null)?`, got `(?:int|float)`$")
NUMBER_HINT = (
    '; send it as a JSON string (amounts and rates as exact decimals, e.g. "3000.00"): '
    "a JSON number may be read as a binary float"
)


# Litestar's words when a multipart part that should be a file is plain text (an empty
# file input sends a part with no file name).
TEXT_FOR_FILE = "Unsupported type: <class 'str'>"
FILE_HINT = "; attach a file here (this part carried no file)"


def _hint(error: Any) -> Any:
    if not isinstance(error, dict):
        return error
    message = str(error.get("message", ""))
    if NUMBER_FOR_STRING.match(message):
        return {**error, "message": message + NUMBER_HINT}
    if message == TEXT_FOR_FILE:
        return {**error, "message": message + FILE_HINT}
    return error


def _hinted(errors: Any) -> Any:
    """Validation errors, with what to do when a number came where a string was due,
    or text where a file was."""
    if not isinstance(errors, list):
        return errors
    return [_hint(e) for e in errors]


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    detail = exc.detail or TITLES.get(status, "")
    if is_api(request):
        extra = {}
        if isinstance(exc, ValidationException) and exc.extra:
            extra["errors"] = _hinted(exc.extra)
        elif status == HTTP_400_BAD_REQUEST:  # e.g. a body that is not JSON: still say what
            extra["errors"] = [{"message": detail}]
        response = problem(request, status, detail, **extra)
        if status == HTTP_401_UNAUTHORIZED:
            response.headers["WWW-Authenticate"] = 'Bearer realm="coopkit"'
        return response
    if status == HTTP_401_UNAUTHORIZED:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/login?next={quote(target, safe='/')}")
    return _page(request, status, detail)


def not_found(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return http_error(request, HTTPException(status_code=404, detail=str(exc)))


def country_not_served(request: Request[Any, Any, Any], exc: NoPluginForCountry) -> Response[Any]:
    return http_error(request, HTTPException(status_code=422, detail=str(exc)))


def payslip_refused(request: Request[Any, Any, Any], exc: PayslipError) -> Response[Any]:
    """422 with what to fix (the field in ``errors[].key``), 409 when it exists already."""
    status = 409 if isinstance(exc, PayslipConflict) else 422
    if not is_api(request):
        return _page(request, status, str(exc))
    extra: dict[str, Any] = {"errors": [{"key": exc.field or "", "message": str(exc)}]}
    if isinstance(exc, PayslipConflict) and exc.existing is not None:
        extra["existing"] = str(exc.existing)
    return problem(request, status, str(exc), **extra)


def expense_refused(request: Request[Any, Any, Any], exc: ExpenseError) -> Response[Any]:
    """422 naming the field (with both amounts when the activity lacks the money), 409 when
    the claim was decided already."""
    status = 409 if isinstance(exc, ExpenseConflict) else 422
    if not is_api(request):
        return _page(request, status, str(exc))
    extra: dict[str, Any] = {"errors": [{"key": exc.field or "", "message": str(exc)}]}
    if isinstance(exc, NotEnoughMoney):
        extra |= {"available": str(exc.available), "gross": str(exc.gross)}
        extra["currency"] = exc.currency
    return problem(request, status, str(exc), **extra)


def membership_refused(request: Request[Any, Any, Any], exc: MembershipError) -> Response[Any]:
    """422 naming the field and the ``rule`` that forbids it (an article, the statutes), 409
    for something decided or paid already."""
    status = 409 if isinstance(exc, MembershipConflict) else 422
    return _ruled(request, status, exc, exc.field, exc.rule)


def incubator_refused(request: Request[Any, Any, Any], exc: IncubatorError) -> Response[Any]:
    """422 naming the field and the ``rule`` that forbids it (the law's minimum of founders
    for the legal form), 409 for something done or decided already (a ballot, a launch)."""
    status = 409 if isinstance(exc, IncubatorConflict) else 422
    return _ruled(request, status, exc, exc.field, exc.rule)


def _ruled(
    request: Request[Any, Any, Any],
    status: int,
    exc: Exception,
    field: str | None,
    rule: str | None,
) -> Response[Any]:
    if not is_api(request):
        return _page(request, status, str(exc))
    extra: dict[str, Any] = {"errors": [{"key": field or "", "message": str(exc)}]}
    if rule:
        extra["rule"] = rule
    return problem(request, status, str(exc), **extra)


def salary_refused(request: Request[Any, Any, Any], exc: SalaryRequestError) -> Response[Any]:
    """422 naming the field (with ``missing``, ``currency`` and the guarantee fund's
    ``reasons`` when the money is not there), 409 for days another request covers (``other``)
    or a request decided already."""
    status = 409 if isinstance(exc, SalaryRequestConflict) else 422
    if not is_api(request):
        return _page(request, status, str(exc))
    extra: dict[str, Any] = {"errors": [{"key": exc.field or "", "message": str(exc)}]}
    if isinstance(exc, SalaryRequestRefused):
        extra |= {"missing": str(exc.missing), "currency": exc.currency}
        extra["reasons"] = list(exc.reasons)
    if isinstance(exc, SalaryRequestConflict) and exc.other is not None:
        extra["other"] = str(exc.other)
    return problem(request, status, str(exc), **extra)


def write_off_refused(request: Request[Any, Any, Any], exc: WriteOffRefused) -> Response[Any]:
    """409 for an invoice written off already, 422 for one that cannot be (paid, a draft…)."""
    status = 409 if isinstance(exc, WrittenOffAlready) else 422
    if not is_api(request):
        return _page(request, status, str(exc))
    return problem(request, status, str(exc))


def governance_refused(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """An assembly or vote refused, with the ``rule`` that forbids it: 403 outside the
    electorate, 409 for what was done already or results hidden until close, 422 otherwise
    (an effect the law refuses included)."""
    status = 422
    if isinstance(exc, NotEntitled):
        status = 403
    elif isinstance(exc, GovernanceConflict | ResultsHidden):
        status = 409
    if not is_api(request):
        return _page(request, status, str(exc))
    rule = getattr(exc, "rule", "")
    field = getattr(exc, "field", None) or ""
    errors = [{"key": field, "message": str(exc)}]
    return problem(request, status, str(exc), rule=rule, errors=errors)


def forbidden(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return http_error(request, HTTPException(status_code=403, detail=str(exc)))


def quote_refused(request: Request[Any, Any, Any], exc: QuoteError) -> Response[Any]:
    """422 with the field to fix in ``errors[].key``."""
    if not is_api(request):
        return _page(request, 422, str(exc))
    errors = [{"key": exc.field or "", "message": str(exc)}]
    return problem(request, 422, str(exc), errors=errors)


LINK_STATUS = {
    LinkProblem.TAMPERED: 404,
    LinkProblem.WITHDRAWN: 404,
    LinkProblem.EXPIRED: 410,
    LinkProblem.ANSWERED: 409,
}


def link_refused(request: Request[Any, Any, Any], exc: LinkRefused) -> Response[Any]:
    """A quote link that cannot be used: 404, 410 (expired) or 409 (already answered)."""
    status = LINK_STATUS[exc.problem]
    if not is_api(request):
        return _page(request, status, str(exc))
    return problem(request, status, str(exc), reason=exc.problem.value)


def einvoice_refused(request: Request[Any, Any, Any], exc: EInvoiceError) -> Response[Any]:
    """422: the document breaks a rule of EN 16931 the e-invoice cannot leave out."""
    if not is_api(request):
        return _page(request, 422, str(exc))
    return problem(request, 422, str(exc))


def invoicing_refused(request: Request[Any, Any, Any], exc: InvoicingError) -> Response[Any]:
    """422 naming the field (each missing mention for an issue), 409 for a conflict."""
    status = 409 if isinstance(exc, InvoicingConflict) else 422
    if not is_api(request):
        return _page(request, status, str(exc))
    if isinstance(exc, MissingMentions):
        errors = [{"key": "mentions", "message": text} for text in exc.missing]
        return problem(request, status, str(exc), errors=errors, missing=exc.missing)
    return problem(
        request, status, str(exc), errors=[{"key": exc.field or "", "message": str(exc)}]
    )


def unprocessable(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A request the domain refuses (an overdraft, an unbalanced entry, a reused key): 422."""
    return http_error(request, HTTPException(status_code=422, detail=str(exc)))


def money_refused(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """A payment, a statement or a queue action refused: 404 for what is not in the
    cooperative, 409 for a statement imported before, 422 otherwise (an overpayment says
    ``due`` and ``amount``)."""
    status = 422
    if isinstance(exc, UnknownBankLine | UnknownStatement):
        status = 404
    elif isinstance(exc, DuplicateStatement):
        status = 409
    if not is_api(request):
        return _page(request, status, str(exc))
    extra = {"due": str(exc.due), "amount": str(exc.amount)} if isinstance(exc, Overpayment) else {}
    return problem(request, status, str(exc), **extra)


def payments_refused(request: Request[Any, Any, Any], exc: PaymentsError) -> Response[Any]:
    """422 naming the field (an IBAN, a BIC, nothing to pay), 409 for a batch exported already."""
    status = 409 if isinstance(exc, PaymentsConflict) else 422
    if not is_api(request):
        return _page(request, status, str(exc))
    errors = [{"key": exc.field or "", "message": str(exc)}]
    return problem(request, status, str(exc), errors=errors)


def bad_request(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    return http_error(request, HTTPException(status_code=400, detail=str(exc)))


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    reference = secrets.token_hex(4)
    log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path)
    detail = f"unexpected error; quote reference {reference} when you report it"
    if is_api(request):
        return problem(request, HTTP_500_INTERNAL_SERVER_ERROR, detail, reference=reference)
    return _page(request, HTTP_500_INTERNAL_SERVER_ERROR, "", reference)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HTTPException: http_error,
    UnknownTenant: not_found,
    NoPluginForCountry: country_not_served,
    PayslipError: payslip_refused,
    PayslipNotFound: not_found,
    UnknownActivity: not_found,
    ExpenseError: expense_refused,
    ExpenseForbidden: forbidden,
    ExpenseNotFound: not_found,
    UnknownQuote: not_found,
    SalaryRequestError: salary_refused,
    WriteOffRefused: write_off_refused,
    SalaryRequestForbidden: forbidden,
    SalaryRequestNotFound: not_found,
    QuoteError: quote_refused,
    LinkRefused: link_refused,
    UnknownInvoice: not_found,
    UnknownClient: not_found,
    InvoicingError: invoicing_refused,
    EInvoiceError: einvoice_refused,
    LedgerError: unprocessable,
    ActivityError: unprocessable,
    PolicyError: unprocessable,
    IdempotencyConflict: unprocessable,
    PaymentError: money_refused,
    StatementError: money_refused,
    QueueError: money_refused,
    PaymentsError: payments_refused,
    UnknownPaymentBatch: not_found,
    UnknownBankAccount: not_found,
    MembershipError: membership_refused,
    MembershipForbidden: forbidden,
    MembershipNotFound: not_found,
    IdempotencyError: bad_request,
    GovernanceError: governance_refused,
    EffectRefused: governance_refused,
    RuleRefused: governance_refused,
    GovernanceNotFound: not_found,
    IncubatorError: incubator_refused,
    IncubatorForbidden: forbidden,
    IncubatorNotFound: not_found,
    Exception: unexpected,
}
