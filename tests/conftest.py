"""Shared fixtures: a migrated database (SQLite by default, PostgreSQL when asked),
the installed plugins, and the web application under test.

Tests marked ``postgres`` run against a real server when
``COOPKIT_TEST_DATABASE_URL`` names one (a role allowed to create databases and
roles, e.g. the cluster's superuser); each test session gets a fresh database
owned by a dedicated owner role, and the application connects as a separate
role that owns nothing, so row-level security really applies.
"""

from __future__ import annotations

import os
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.documents.render import SYSTEM_PACKAGES
from coopkit.plugins import PluginHost
from coopkit.settings import Settings

PG_ENV = "COOPKIT_TEST_DATABASE_URL"


@dataclass
class Database:
    """A migrated database: ``settings`` connect as the application role."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    owner_engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name


@pytest.fixture(scope="session")
def plugins() -> PluginHost:
    """The plugins installed in the environment (coopkit-be and coopkit-fr)."""
    return PluginHost.from_environment({})


def _sqlite_database(path: str) -> Database:
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="test-" + "x" * 32)
    upgrade(settings)
    engine = make_engine(settings.database_url)
    return Database(settings, engine, make_session_factory(engine), engine)


@pytest.fixture
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = _sqlite_database(str(tmp_path_factory.mktemp("db") / "coopkit.sqlite3"))
    yield database
    database.engine.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (set by .ci/run, which starts a server)")
    return url


@pytest.fixture(scope="session")
def postgres_db(postgres_server: str) -> Iterator[Database]:
    """A fresh database with an owner role (runs migrations) and an app role (owns nothing)."""
    admin = make_engine(postgres_server, isolation_level="AUTOCOMMIT")
    suffix = secrets.token_hex(4)
    name, owner, app = f"coopkit_test_{suffix}", f"coopkit_owner_{suffix}", f"coopkit_app_{suffix}"
    password = secrets.token_hex(12)
    with admin.connect() as conn:
        conn.execute(
            text(f"CREATE ROLE {owner} LOGIN PASSWORD '{password}' NOSUPERUSER NOBYPASSRLS")
        )
        conn.execute(text(f"CREATE ROLE {app} LOGIN PASSWORD '{password}' NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text(f"CREATE DATABASE {name} OWNER {owner}"))
    base = make_url(postgres_server).set(
        drivername="postgresql+psycopg", database=name, password=password
    )
    owner_url = base.set(username=owner).render_as_string(hide_password=False)
    app_url = base.set(username=app).render_as_string(hide_password=False)
    settings = Settings(
        database_url=app_url,
        migration_database_url=owner_url,
        app_role=app,
        secret_key="test-" + "x" * 32,
    )
    upgrade(settings)
    engine = make_engine(app_url)
    owner_engine = make_engine(owner_url)
    yield Database(settings, engine, make_session_factory(engine), owner_engine)
    engine.dispose()
    owner_engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"DROP ROLE IF EXISTS {owner}"))
        conn.execute(text(f"DROP ROLE IF EXISTS {app}"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """Parametrised over SQLite and (when available) PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_db")  # type: ignore[no-any-return]
    return request.getfixturevalue("postgres_db")  # type: ignore[no-any-return]


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.sessions() as s:
        yield s
        s.rollback()


def unique(prefix: str) -> str:
    """A name no other test uses (the PostgreSQL database is shared by the session)."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def app_client(sqlite_db: Database, plugins: PluginHost) -> Iterator[TestClient]:  # type: ignore[type-arg]
    from coopkit.web.app import create_app

    with TestClient(create_app(sqlite_db.settings, plugins)) as client:
        yield client


# -- the web application with the demo loaded (tests/test_web*.py) ---------------------

Client = TestClient[Litestar]


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, plugins: PluginHost) -> Path:
    """A SQLite file with the demo loaded once per test session (loading takes seconds)."""
    from coopkit.demo import load_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = _sqlite_database(str(path))
    with database.sessions() as db:
        load_demo(db, plugins)
        db.commit()
    database.engine.dispose()
    return path


@pytest.fixture
def demo_env(demo_template: Path, tmp_path: Path) -> dict[str, str]:
    """The environment of a `coopkit` command on a copy of the session's demo database
    (what `coopkit db upgrade` then `coopkit demo` give, without loading it again)."""
    path = tmp_path / "cli.sqlite3"
    shutil.copyfile(demo_template, path)
    return {
        "COOPKIT_DATABASE_URL": f"sqlite:///{path}",
        "COOPKIT_SECRET_KEY": "cli-test-secret-0123456789",
    }


@pytest.fixture
def demo_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The migrated SQLite database with the demo loaded and committed: a copy of the
    session's demo file, so that each test may change it."""
    path = tmp_path_factory.mktemp("db") / "coopkit.sqlite3"
    shutil.copyfile(demo_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="test-" + "x" * 32)
    engine = make_engine(settings.database_url)
    yield Database(settings, engine, make_session_factory(engine), engine)
    engine.dispose()


@pytest.fixture
def app(demo_db: Database, plugins: PluginHost) -> Litestar:
    from coopkit.web.app import create_app

    return create_app(demo_db.settings, plugins)


@pytest.fixture
def client(app: Litestar) -> Iterator[Client]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def new_client(app: Litestar) -> Iterator[Callable[[], Client]]:
    """A factory of further browsers on the same application (each with its own cookies)."""
    opened: list[Client] = []

    def make() -> Client:
        test_client = TestClient(app)
        test_client.__enter__()
        opened.append(test_client)
        return test_client

    yield make
    for test_client in opened:
        test_client.__exit__(None, None, None)


@pytest.fixture
def token(demo_db: Database) -> Callable[[str], str]:
    """Issue an API token for a demo account; the clear token is returned."""

    from coopkit.people import service as people

    def issue(email: str) -> str:
        with demo_db.sessions() as db:
            user = people.find_user(db, email)
            assert user is not None, email
            clear = people.issue_api_token(db, user, "tests")
            db.commit()
        return clear

    return issue


@pytest.fixture(scope="session")
def weasyprint() -> None:
    """PDF tests need WeasyPrint's system libraries (Pango): without them they skip, not in CI."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as error:
        missing = f"PDF rendering unavailable ({error}): apt-get install {SYSTEM_PACKAGES}"
        if os.environ.get("COOPKIT_REQUIRE_ALL") == "1":
            pytest.fail(f"{missing} (COOPKIT_REQUIRE_ALL=1: not skipping)")
        pytest.skip(missing)


@pytest.fixture
def english_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages in the source language whatever the visitor reads (demo people read French or
    Dutch), for tests that follow a flow by its English texts; catalogs: tests/test_i18n.py."""
    from babel.support import NullTranslations

    from coopkit.web import templating

    monkeypatch.setattr(templating.i18n, "translations", lambda locale: NullTranslations())
