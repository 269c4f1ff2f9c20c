"""A cooperative whose country plugin is gone: clear message, nothing breaks silently."""

from __future__ import annotations

from litestar.testing import TestClient

from coopkit.people import service as people
from coopkit.people.models import Role
from coopkit.plugins import PluginHost
from coopkit.tenants import service as tenants
from coopkit.web.app import create_app
from tests.conftest import Database
from tests.test_web import sign_in


def test_tenant_page_names_the_missing_plugin(sqlite_db: Database, plugins: PluginHost) -> None:
    with sqlite_db.sessions() as db:
        coop = tenants.create_tenant(
            db, plugins, slug="coop-fr", name="Coop FR", kind="branch", country="FR"
        )
        user = people.create_user(db, "ana@example.org", "Ana", "long-enough-pw")
        people.add_membership(db, coop, user, Role.MEMBER)
        db.commit()
    only_belgium = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    with TestClient(create_app(sqlite_db.settings, only_belgium)) as client:
        response = sign_in(client, "ana@example.org", "long-enough-pw")
        assert response.status_code == 302
        page = client.get("/t/coop-fr/")
    assert page.status_code == 422
    assert (
        "no plugin serves country &#39;FR&#39;" in page.text
        or "no plugin serves country 'FR'" in page.text
    )
    assert "coopkit-fr" in page.text
    assert "Traceback" not in page.text


def test_api_names_the_missing_plugin(sqlite_db: Database) -> None:
    only_belgium = PluginHost.from_environment({"COOPKIT_LOAD_PLUGINS": "be"})
    with TestClient(create_app(sqlite_db.settings, only_belgium)) as client:
        response = client.get("/api/v1/countries/FR/holidays?year=2026")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no plugin serves country 'FR'" in response.json()["detail"]
