"""Server-side sessions: stored in the database, and renewed at sign-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from coopkit.people import service as people
from coopkit.plugins import PluginHost
from coopkit.web.app import create_app
from coopkit.web.session_store import WebSession
from tests.conftest import Database
from tests.test_web import sign_in


@pytest.fixture
def client(sqlite_db: Database, plugins: PluginHost) -> Iterator[TestClient]:  # type: ignore[type-arg]
    with sqlite_db.sessions() as db:
        people.create_user(db, "ana@example.org", "Ana", "long-enough-pw")
        db.commit()
    with TestClient(create_app(sqlite_db.settings, plugins)) as test_client:
        yield test_client


def _sign_in(client: TestClient) -> None:  # type: ignore[type-arg]
    assert sign_in(client, "ana@example.org", "long-enough-pw").status_code == 302


def test_sign_in_issues_a_new_session_id(client: TestClient, sqlite_db: Database) -> None:  # type: ignore[type-arg]
    client.get("/login")
    client.post(
        "/language", data={"language": "fr", "_csrf_token": client.cookies.get("csrftoken")}
    )
    planted = client.cookies.get("session")
    assert planted, "choosing a language before sign-in starts a session"
    _sign_in(client)
    fresh = client.cookies.get("session")
    assert fresh
    assert fresh != planted
    with sqlite_db.sessions() as db:
        keys = set(db.scalars(select(WebSession.key)))
    assert planted not in keys, "the pre-sign-in session must be gone from the store"
    assert fresh in keys
    # The planted id no longer opens anything.
    client.cookies.set("session", planted)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_sign_out_deletes_the_stored_session(client: TestClient, sqlite_db: Database) -> None:  # type: ignore[type-arg]
    client.get("/login")
    _sign_in(client)
    client.post("/logout", data={"_csrf_token": client.cookies.get("csrftoken")})
    with sqlite_db.sessions() as db:
        assert db.scalar(select(func.count()).select_from(WebSession)) == 0


def test_anonymous_pages_store_no_session(client: TestClient, sqlite_db: Database) -> None:  # type: ignore[type-arg]
    for path in ("/login", "/login?next=/t/x/", "/health", "/api/v1/countries"):
        client.get(path)
    with sqlite_db.sessions() as db:
        assert db.scalar(select(func.count()).select_from(WebSession)) == 0
