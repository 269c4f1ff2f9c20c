"""Settings, read from the environment once by the caller and passed down.

Nothing in coopkit reads settings at import time: ``create_app(settings)``,
the CLI and the tests each build a ``Settings`` and hand it over.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path


class SettingsError(ValueError):
    """A setting with a value coopkit cannot use."""


def _flag(value: str | None, name: str) -> bool:
    if value is None or value == "":
        return False
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}={value!r}: use 1/0, true/false, yes/no or on/off")


@dataclass(frozen=True)
class Settings:
    """Everything an instance of coopkit needs to run.

    ``database_url`` is what the application connects with. On PostgreSQL it
    must be a role that does not own the tables (so row-level security applies);
    ``migration_database_url`` is the owner that runs migrations, and
    ``app_role`` is the role migrations grant table access to.
    """

    database_url: str = "sqlite:///coopkit.sqlite3"
    migration_database_url: str | None = None
    app_role: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    debug: bool = False
    profiles_dir: Path | None = None
    tenant_templates_dir: Path | None = None
    session_max_age: int = 8 * 3600
    default_locale: str = "en"
    smtp_url: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    mail_from: str = "coopkit@localhost"
    outbox_dir: Path = Path("var/outbox")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``COOPKIT_*`` environment variables.

        ``COOPKIT_DATABASE_URL`` (default: ``coopkit.sqlite3`` in the working
        directory), ``COOPKIT_MIGRATION_DATABASE_URL``, ``COOPKIT_APP_ROLE``,
        ``COOPKIT_SECRET_KEY`` (required outside debug for sessions to survive
        a restart), ``COOPKIT_DEBUG``, ``COOPKIT_PROFILES_DIR``,
        ``COOPKIT_TENANT_TEMPLATES`` (a folder with one sub-folder of document
        templates per tenant slug); for e-mail: ``COOPKIT_SMTP_URL``
        (``smtp://user:password@host:587``, or ``smtps://`` for TLS from the
        start; unset: messages are written as ``.eml`` files instead),
        ``COOPKIT_SMTP_STARTTLS`` (1 to upgrade a ``smtp://`` connection),
        ``COOPKIT_MAIL_FROM`` (the sender address) and ``COOPKIT_OUTBOX_DIR``
        (where ``.eml`` files go without SMTP; default ``var/outbox``).
        """
        env = os.environ if environ is None else environ
        settings = cls(debug=_flag(env.get("COOPKIT_DEBUG"), "COOPKIT_DEBUG"))
        changes: dict[str, object] = {}
        if url := env.get("COOPKIT_DATABASE_URL"):
            changes["database_url"] = url
        if url := env.get("COOPKIT_MIGRATION_DATABASE_URL"):
            changes["migration_database_url"] = url
        if role := env.get("COOPKIT_APP_ROLE"):
            changes["app_role"] = role
        if key := env.get("COOPKIT_SECRET_KEY"):
            if len(key) < 16:
                raise SettingsError("COOPKIT_SECRET_KEY must be at least 16 characters long")
            changes["secret_key"] = key
        if profiles := env.get("COOPKIT_PROFILES_DIR"):
            changes["profiles_dir"] = Path(profiles)
        if templates := env.get("COOPKIT_TENANT_TEMPLATES"):
            changes["tenant_templates_dir"] = Path(templates)
        if smtp := env.get("COOPKIT_SMTP_URL"):
            if not smtp.startswith(("smtp://", "smtps://")):
                raise SettingsError(
                    "COOPKIT_SMTP_URL must look like smtp://user:password@host:587 (or smtps://)"
                )
            changes["smtp_url"] = smtp
        changes["smtp_starttls"] = _flag(env.get("COOPKIT_SMTP_STARTTLS"), "COOPKIT_SMTP_STARTTLS")
        if sender := env.get("COOPKIT_MAIL_FROM"):
            if "@" not in sender:
                raise SettingsError("COOPKIT_MAIL_FROM must be an e-mail address")
            changes["mail_from"] = sender
        if outbox := env.get("COOPKIT_OUTBOX_DIR"):
            changes["outbox_dir"] = Path(outbox)
        return replace(settings, **changes)  # type: ignore[arg-type]

    @property
    def owner_database_url(self) -> str:
        """The URL migrations run with (the table owner)."""
        return self.migration_database_url or self.database_url
