"""The salary simulator's tests reuse the web tests' demo application and helpers."""

from __future__ import annotations

from tests.test_web import app, client, demo_db, new_client, token  # noqa: F401
