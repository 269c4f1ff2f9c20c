"""Server-side web sessions kept in the database, so every worker process shares them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio.to_thread
from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message
from sqlalchemy import LargeBinary, String, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from coopkit.db.base import Base, utcnow


class WebSession(Base):
    """One browser session: an opaque key, its data and when it expires."""

    __tablename__ = "web_sessions"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)


def _expiry(expires_in: int | timedelta | None) -> datetime | None:
    if expires_in is None:
        return None
    seconds = expires_in if isinstance(expires_in, int) else int(expires_in.total_seconds())
    return utcnow() + timedelta(seconds=seconds)


def _alive(row: WebSession | None) -> bool:
    if row is None:
        return False
    return row.expires_at is None or row.expires_at > utcnow()


class DatabaseSessionStore(Store):
    """A Litestar store backed by the ``web_sessions`` table."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._factory = session_factory

    def _set(self, key: str, value: bytes, expires_in: int | timedelta | None) -> None:
        with self._factory.begin() as db:
            row = db.get(WebSession, key)
            if row is None:
                db.add(WebSession(key=key, data=value, expires_at=_expiry(expires_in)))
            else:
                row.data = value
                row.expires_at = _expiry(expires_in)

    def _get(self, key: str, renew_for: int | timedelta | None) -> bytes | None:
        with self._factory.begin() as db:
            row = db.get(WebSession, key)
            if not _alive(row):
                if row is not None:
                    db.delete(row)
                return None
            assert row is not None
            if renew_for is not None and row.expires_at is not None:
                row.expires_at = _expiry(renew_for)
            return row.data

    def _delete(self, key: str) -> None:
        with self._factory.begin() as db:
            db.execute(delete(WebSession).where(WebSession.key == key))

    def _delete_all(self) -> None:
        with self._factory.begin() as db:
            db.execute(delete(WebSession))

    def _expires_in(self, key: str) -> int | None:
        with self._factory() as db:
            expires = db.scalar(select(WebSession.expires_at).where(WebSession.key == key))
        if expires is None:
            return None
        return int((expires - utcnow()).total_seconds())

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        await anyio.to_thread.run_sync(self._set, key, data, expires_in)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        return await anyio.to_thread.run_sync(self._get, key, renew_for)

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(self._delete, key)

    async def delete_all(self) -> None:
        await anyio.to_thread.run_sync(self._delete_all)

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        return await anyio.to_thread.run_sync(self._expires_in, key)


ROTATE = "coopkit_rotate_session"
_NEW_ID = "coopkit_new_session_id"


def rotate_session_id(scope: Any) -> None:
    """Ask for a fresh session id at the end of this request (at sign-in).

    Litestar keeps the id from the cookie; without rotation an id planted
    before sign-in would stay valid after it (session fixation).
    """
    scope[ROTATE] = True


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side sessions, minus two habits: it stores an empty
    session for every visitor, and it keeps the cookie's id across sign-in."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        if connection.scope.get(ROTATE):
            new_id = connection.scope.get(_NEW_ID) or self.generate_session_id()
            connection.scope[_NEW_ID] = new_id  # type: ignore[literal-required]
            return str(new_id)
        return super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        old_id = connection.cookies.get(self.config.key)
        if old_id == "null":
            old_id = None
        if not scope_session and old_id is None:
            return  # nothing to keep: no row, no cookie for anonymous visitors
        if connection.scope.get(ROTATE) and old_id:
            await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
        await super().store_in_message(scope_session or Empty, message, connection)


@dataclass
class SessionConfig(ServerSideSessionConfig):
    """Server-side sessions whose id changes at sign-in."""

    _backend_class = RotatingSessionBackend
