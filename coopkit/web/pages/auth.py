"""Signing in and out, and choosing the language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from coopkit import i18n
from coopkit.i18n import _
from coopkit.people import service as people
from coopkit.web.access import SESSION_USER, visitor
from coopkit.web.session_store import rotate_session_id
from coopkit.web.templating import SESSION_LOCALE, flash, page


@dataclass
class LoginForm:
    email: str
    password: str
    next: str = "/"


@dataclass
class LanguageForm:
    language: str
    next: str = "/"


def safe_next(target: str) -> str:
    """Only a path on this site: no open redirect to another host."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@get("/login", name="login", include_in_schema=False, sync_to_thread=False)
def login_page(request: Request[Any, Any, Any], next: FromQuery[str] = "/") -> Template:
    return page(request, "login.html", next=safe_next(next))


@post("/login", include_in_schema=False, sync_to_thread=True)
def login(
    request: Request[Any, Any, Any], db: NamedDependency[Session], data: URLEncodedBody[LoginForm]
) -> Template | Redirect:
    user = people.authenticate(db, data.email, data.password)
    if user is None:
        flash(request, _("Wrong e-mail or password."), "error")
        return page(
            request, "login.html", status_code=400, next=safe_next(data.next), email=data.email
        )
    request.clear_session()
    request.set_session({SESSION_USER: str(user.id)})
    rotate_session_id(request.scope)
    return Redirect(safe_next(data.next))


@post("/logout", include_in_schema=False, sync_to_thread=False)
def logout(request: Request[Any, Any, Any]) -> Redirect:
    request.clear_session()
    return Redirect("/login")


@post("/language", include_in_schema=False, sync_to_thread=True)
def choose_language(
    request: Request[Any, Any, Any],
    db: NamedDependency[Session],
    data: URLEncodedBody[LanguageForm],
) -> Redirect:
    """Remember the language a person chose, in the session and on their account."""
    if data.language in i18n.UI_LANGUAGES or i18n.valid_locale(data.language):
        request.session[SESSION_LOCALE] = data.language
        who = visitor(request)
        if who.user is not None:
            user = db.merge(who.user)
            user.locale = data.language
    return Redirect(safe_next(data.next))
