"""The public page a client answers a quote on: ``/q/<token>``, no account needed.

The token in the path is the credential (coopkit.quotes.link). The page shows
the quote as it was sent, in the client's language (or the one the visitor
chose on the page), with a form to accept or decline it. The form is protected
like every form of the site by the CSRF cookie and field (no session needed),
and carries the SHA-256 of the quote shown: the answer is recorded for that
quote, or not at all.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from coopkit import i18n
from coopkit.i18n import _
from coopkit.quotes.confirmation import Signer, answer_quote, confirmation_of, open_link
from coopkit.quotes.link import LinkProblem, LinkRefused
from coopkit.quotes.models import Quote, QuoteDecision
from coopkit.quotes.service import QuoteError
from coopkit.quotes.view import quote_view
from coopkit.web.errors import LINK_STATUS
from coopkit.web.quote_access import origin_of, secret
from coopkit.web.templating import SESSION_LOCALE, page

Db = NamedDependency[Session]
ANSWER_FIELDS = ("name", "email", "role", "company", "comment", "accept", "shown_sha256")
# What the client reads when their answer cannot be recorded, by field, in their language.
FIX = {
    "name": _("Give your name."),
    "email": _("Give your e-mail address, such as ana@example.org."),
    "role": _("Your role and your company: at most 200 characters each."),
    "comment": _("Your comment: at most 2000 characters."),
    "accept": _("Tick “I accept this quote” to accept it."),
    "shown_sha256": _("The quote changed since you opened it: read it again, then answer."),
    "decision": _("Choose to accept or to decline the quote."),
}


def _locale(request: Request[Any, Any, Any], quote: Quote | None) -> str:
    """The visitor's own choice on this site, else the quote's language."""
    has_session = "session" in request.scope and request.session
    chosen = request.session.get(SESSION_LOCALE) if has_session else None
    if chosen:
        return str(chosen)
    return quote.locale if quote is not None else i18n.FALLBACK


def _render(
    request: Request[Any, Any, Any],
    db: Session,
    token: str,
    quote: Quote | None,
    status_code: int = 200,
    **context: Any,
) -> Template:
    locale = _locale(request, quote)
    return page(
        request,
        "quote_public.html",
        status_code=status_code,
        locale=locale,
        lang=i18n.ui_language(locale),
        token=token,
        quote=quote,
        view=None if quote is None else quote_view(db, quote),
        answer=None if quote is None else confirmation_of(db, quote.id),
        **context,
    )


def _refused(
    request: Request[Any, Any, Any], db: Session, token: str, refusal: LinkRefused
) -> Template:
    # An answered quote is not an error to whoever answered it: the page shows the answer.
    status = 200 if refusal.problem is LinkProblem.ANSWERED else LINK_STATUS[refusal.problem]
    if request.method == "POST":
        status = LINK_STATUS[refusal.problem]
    return _render(request, db, token, refusal.quote, status, problem=refusal.problem.value)


@get("/q/{token:str}", include_in_schema=False, sync_to_thread=True)
def quote_link_page(request: Request[Any, Any, Any], db: Db, token: FromPath[str]) -> Template:
    try:
        quote = open_link(db, secret(request), token)
    except LinkRefused as refusal:
        return _refused(request, db, token, refusal)
    return _render(request, db, token, quote, form={}, errors={})


@post("/q/{token:str}/answer", include_in_schema=False, sync_to_thread=True)
def answer_quote_form(
    request: Request[Any, Any, Any],
    db: Db,
    token: FromPath[str],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = {name: str(data.get(name, "")) for name in ANSWER_FIELDS}
    decision = str(data.get("decision", ""))
    try:
        answer_quote(
            db,
            secret(request),
            token,
            decision=QuoteDecision(decision),
            signer=Signer(form["name"], form["email"], form["role"], form["company"]),
            origin=origin_of(request),
            accepts_terms=form["accept"] == "yes",
            comment=form["comment"],
            shown_sha256=form["shown_sha256"] or None,
        )
    except LinkRefused as refusal:
        return _refused(request, db, token, refusal)
    except (QuoteError, ValueError) as error:  # ValueError: neither accept nor decline
        field = (error.field if isinstance(error, QuoteError) else None) or "decision"
        quote = open_link(db, secret(request), token)
        errors = {field: FIX.get(field, FIX["decision"])}
        return _render(request, db, token, quote, 400, form=form, errors=errors)
    return Redirect(f"/q/{token}")
