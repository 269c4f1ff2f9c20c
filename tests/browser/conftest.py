"""A real coopkit server (uvicorn, demo data) and a headless system Chromium for the browser tests.

No browser is ever downloaded: Playwright drives the Debian ``chromium`` package.
When it is missing the tests are skipped, unless ``COOPKIT_REQUIRE_ALL=1`` (set by
CI), in which case they fail: CI must not pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from coopkit.db.engine import make_engine, make_session_factory
from coopkit.db.migrate import upgrade
from coopkit.demo import load_demo
from coopkit.people.models import User
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.web.app import create_app

MISSING = "headless Chromium not installed (apt-get install chromium); .ci/run installs it"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium_path()
    if path is None:
        if os.environ.get("COOPKIT_REQUIRE_ALL") == "1":
            pytest.fail(f"{MISSING} (COOPKIT_REQUIRE_ALL=1: not skipping)")
        pytest.skip(MISSING)
    return path


@dataclass
class LiveServer:
    """The running application: where to reach it and its database."""

    url: str
    sessions: sessionmaker[Session]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_health(url: str, thread: threading.Thread, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the coopkit server thread stopped during start-up")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError as error:
            last = error
        time.sleep(0.1)
    raise RuntimeError(f"the coopkit server did not answer /health within {timeout}s: {last}")


@pytest.fixture(scope="session")
def live_server(
    chromium_path: str, tmp_path_factory: pytest.TempPathFactory, plugins: PluginHost
) -> Iterator[LiveServer]:
    """coopkit on 127.0.0.1 with the demo loaded, served by uvicorn in a background thread."""
    path = tmp_path_factory.mktemp("browser-db") / "coopkit.sqlite3"
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="browser-" + "x" * 32)
    upgrade(settings)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with sessions() as db:
        load_demo(db, plugins)
        db.commit()

    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, plugins),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="coopkit-uvicorn", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, thread)
        yield LiveServer(url=url, sessions=sessions)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A fresh browser tab (no cookies) in English, with the server as base URL."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def forget_languages(live_server: LiveServer) -> Iterator[None]:
    """Clear the language people chose, so that one test's choice does not leak into others."""
    yield
    with live_server.sessions() as db:
        db.execute(update(User).values(locale=None))
        db.commit()
