"""Building the Litestar application from a Settings object."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from sqlalchemy import text

import coopkit
from coopkit.db.engine import make_engine, make_session_factory
from coopkit.documents import Documents
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.web.access import services
from coopkit.web.api.schemas import Health
from coopkit.web.api.v1 import api_v1
from coopkit.web.database import provide_db
from coopkit.web.errors import EXCEPTION_HANDLERS
from coopkit.web.pages.activities import ACTIVITY_PAGES
from coopkit.web.pages.assemblies import ASSEMBLY_PAGES
from coopkit.web.pages.auth import choose_language, login, login_page, logout
from coopkit.web.pages.banking import BANK_PAGES
from coopkit.web.pages.branding import branding_logo
from coopkit.web.pages.clients import CLIENT_PAGES
from coopkit.web.pages.collection import COLLECTION_PAGES
from coopkit.web.pages.expenses import EXPENSE_PAGES
from coopkit.web.pages.guarantee import GUARANTEE_PAGES
from coopkit.web.pages.home import index, members_page, tenant_home
from coopkit.web.pages.incubator import INCUBATOR_PAGES
from coopkit.web.pages.invoices import INVOICE_PAGES
from coopkit.web.pages.join import JOIN_PAGES
from coopkit.web.pages.member_data import MEMBER_DATA_PAGES
from coopkit.web.pages.payments import PAYMENT_PAGES
from coopkit.web.pages.payslips import PAYSLIP_PAGES
from coopkit.web.pages.quote_link import answer_quote_form, quote_link_page
from coopkit.web.pages.quotes import QUOTE_PAGES
from coopkit.web.pages.salaries import SALARY_PAGES
from coopkit.web.pages.share_record import SHARE_RECORD_PAGES
from coopkit.web.pages.shares import SHARE_PAGES
from coopkit.web.pages.simulator import simulate, simulator_page
from coopkit.web.pages.surplus import SURPLUS_PAGES
from coopkit.web.pages.votes import VOTE_PAGES
from coopkit.web.session_store import DatabaseSessionStore, SessionConfig
from coopkit.web.state import AppServices
from coopkit.web.templating import TEMPLATES, template_config

log = logging.getLogger("coopkit.web")


@get("/health", operation_id="getHealth", tags=["platform"], sync_to_thread=True)
def health(request: Request[Any, Any, Any]) -> Response[Health]:
    """200 when the database answers, 503 otherwise."""
    try:
        with services(request).engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: database unreachable")
        return Response(Health("unavailable", "unreachable"), status_code=503)
    return Response(Health("ok", "ok"))


def create_app(settings: Settings, plugins: PluginHost | None = None) -> Litestar:
    """The coopkit web application for ``settings``.

    ``plugins`` defaults to the plugins installed in the environment.
    """
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    host = plugins or PluginHost.from_environment(profiles_dir=settings.profiles_dir)
    host.check()  # a bad plugin or parameter file stops start-up, not a request later
    app_services = AppServices(
        settings=settings,
        engine=engine,
        sessions=sessions,
        plugins=host,
        documents=Documents(host, tenant_templates=settings.tenant_templates_dir),
    )

    def dispose() -> None:
        engine.dispose()

    return Litestar(
        route_handlers=[
            health,
            index,
            login_page,
            login,
            logout,
            choose_language,
            tenant_home,
            members_page,
            branding_logo,
            simulator_page,
            simulate,
            *PAYSLIP_PAGES,
            *SALARY_PAGES,
            *PAYMENT_PAGES,
            *EXPENSE_PAGES,
            *BANK_PAGES,
            *QUOTE_PAGES,
            quote_link_page,
            answer_quote_form,
            *INVOICE_PAGES,
            *CLIENT_PAGES,
            *ACTIVITY_PAGES,
            *GUARANTEE_PAGES,
            *COLLECTION_PAGES,
            *SURPLUS_PAGES,
            *MEMBER_DATA_PAGES,
            *JOIN_PAGES,
            *SHARE_PAGES,
            *SHARE_RECORD_PAGES,
            *INCUBATOR_PAGES,
            *ASSEMBLY_PAGES,
            *VOTE_PAGES,
            api_v1,
            create_static_files_router(path="/static", directories=[TEMPLATES.parent / "static"]),
        ],
        dependencies={"db": Provide(provide_db)},
        template_config=template_config(),
        middleware=[
            SessionConfig(
                max_age=settings.session_max_age,
                samesite="lax",
                store="sessions",
                exclude=["/api/", "/static/", "/health", "/schema"],
            ).middleware
        ],
        stores={"sessions": DatabaseSessionStore(sessions)},
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            exclude=["/api/", "/health", "/schema"],
            cookie_samesite="lax",
        ),
        openapi_config=OpenAPIConfig(
            title="coopkit",
            version=coopkit.__version__,
            path="/schema",
            render_plugins=[JsonRenderPlugin(), SwaggerRenderPlugin(path="/docs")],
            use_handler_docstrings=True,
            create_examples=False,
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        state=State({"services": app_services}),
        on_shutdown=[dispose],
        debug=False,
    )
