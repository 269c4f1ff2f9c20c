"""What the application keeps for its lifetime, and what each request knows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coopkit.people.models import Role, User
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.models import Tenant

if TYPE_CHECKING:
    from coopkit.documents import Documents


@dataclass
class AppServices:
    """Built once by create_app and shared by every request."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    plugins: PluginHost
    documents: Documents


@dataclass
class Visitor:
    """Who is asking: the signed-in user (if any), and in a tenant their role there."""

    user: User | None = None
    tenant: Tenant | None = None
    role: Role | None = None
    via_token: bool = False

    @property
    def user_id(self) -> uuid.UUID | None:
        return None if self.user is None else self.user.id
