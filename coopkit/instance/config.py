"""Reading an instance folder: ``instance.toml`` (committed) and ``secrets.toml`` (not).

Secrets — the session key, the first admin's password hash, a PostgreSQL URL
with its password — live only in ``secrets.toml``, which the folder's
``.gitignore`` keeps out of version control. A value in ``secrets.toml`` wins
over the same one in ``instance.toml``; both win over ``COOPKIT_*`` variables,
which still supply what the folder does not say (SMTP, debug…).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from coopkit.instance.spec import (
    INSTANCE_FILE,
    SECRETS_FILE,
    Admin,
    Branding,
    InstanceError,
    InstanceSpec,
    Policy,
    check_spec,
)
from coopkit.plugins import PluginHost
from coopkit.settings import Settings
from coopkit.tenants.models import TenantKind


@dataclass(frozen=True)
class Instance:
    """A checked instance folder."""

    folder: Path
    spec: InstanceSpec
    secret_key: str
    admin_password_hash: str | None
    database_url: str
    migration_database_url: str | None = None
    app_role: str | None = None

    def settings(self, base: Settings | None = None) -> Settings:
        """``base`` (default: from the environment) with the folder's own values."""
        settings = base or Settings.from_env()
        return replace(
            settings,
            database_url=self.database_url,
            migration_database_url=self.migration_database_url,
            app_role=self.app_role,
            secret_key=self.secret_key,
            outbox_dir=self.folder / "var" / "outbox",
        )

    def logo(self) -> bytes | None:
        """The logo file's bytes, or None when the branding has no logo."""
        if not self.spec.branding.logo:
            return None
        path = (self.folder / self.spec.branding.logo).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise InstanceError(f"branding logo {self.spec.branding.logo!r}: keep it in the folder")
        try:
            return path.read_bytes()
        except OSError as error:
            raise InstanceError(f"branding logo {path}: {error.strerror}") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle, parse_float=Decimal)
    except FileNotFoundError:
        raise InstanceError(
            f"{path} is missing: is this a folder made by `coopkit new-branch`?"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise InstanceError(f"{path}: not valid TOML ({error})") from None


class _Section:
    """One table of the file, whose missing keys are named with their file and table."""

    def __init__(self, data: dict[str, Any], name: str, file: Path) -> None:
        found = data.get(name, {})
        if not isinstance(found, dict):
            raise InstanceError(f"{file}: [{name}] must be a table")
        self.values, self.name, self.file = found, name, file

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self.values:
            if default is None:
                raise InstanceError(f"{self.file}: [{self.name}] has no {key}")
            return default
        return self.values[key]


def _sqlite_in(folder: Path, url: str) -> str:
    """A relative SQLite path is inside the instance folder, wherever coopkit is started."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise InstanceError(f"database URL {url!r}: {error}") from None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return url
    if Path(database).is_absolute():
        return url
    return parsed.set(database=str(folder / database)).render_as_string(hide_password=False)


def spec_from(data: dict[str, Any], file: Path) -> InstanceSpec:
    coop = _Section(data, "cooperative", file)
    look = _Section(data, "branding", file)
    rules = _Section(data, "policy", file)
    admin = _Section(data, "admin", file)
    database = _Section(data, "database", file)
    valid_from = rules.get("valid_from")
    if not isinstance(valid_from, date):
        raise InstanceError(f"{file}: [policy] valid_from must be a date (2026-12-07)")
    try:
        kind = TenantKind(coop.get("kind"))
        parent_kind = TenantKind(coop.get("parent_kind", "incubator"))
    except ValueError as error:
        raise InstanceError(f"{file}: [cooperative] {error}") from None
    return InstanceSpec(
        kind=kind,
        slug=str(coop.get("slug")),
        name=str(coop.get("name")),
        country=str(coop.get("country")),
        currency=str(coop.get("currency")),
        locales=tuple(str(loc) for loc in coop.get("locales")),
        database_url=str(database.get("url")),
        branding=Branding(
            display_name=str(look.get("display_name")),
            primary_colour=str(look.get("primary_colour")),
            accent_colour=str(look.get("accent_colour")),
            logo=str(look.get("logo", "")),
        ),
        policy=Policy(
            valid_from=valid_from,
            decided_by=str(rules.get("decided_by")),
            fee_rate=rules.get("fee_rate"),
            guarantee_rate=rules.get("guarantee_rate"),
            guarantee_floor=rules.get("guarantee_floor"),
            payment_delay_days=rules.get("payment_delay_days"),
        ),
        admin=Admin(email=str(admin.get("email")), name=str(admin.get("name"))),
        plugin=str(coop.get("plugin", "")),
        parent_name=str(coop.get("parent_name", "")),
        parent_kind=parent_kind,
    )


def load_instance(folder: Path, plugins: PluginHost) -> Instance:
    """Read and check the instance in ``folder``; InstanceError says what to fix."""
    root = Path(folder).absolute()
    if not root.is_dir():
        raise InstanceError(f"{root} is not a folder: create one with `coopkit new-branch`")
    written = spec_from(_read(root / INSTANCE_FILE), root / INSTANCE_FILE)
    spec = check_spec(written, plugins)
    if written.plugin and written.plugin != spec.plugin:
        raise InstanceError(
            f"{root / INSTANCE_FILE} asks for the plugin {written.plugin!r} for {spec.country}, "
            f"but {spec.plugin!r} serves it on this installation: install {written.plugin} "
            "or change [cooperative] plugin"
        )
    secrets = _read(root / SECRETS_FILE)
    key = secrets.get("secret_key")
    if not isinstance(key, str) or len(key) < 16:
        raise InstanceError(f"{root / SECRETS_FILE}: secret_key must be at least 16 characters")
    password_hash = secrets.get("admin_password_hash")
    url = str(secrets.get("database_url") or spec.database_url)
    migration_url = secrets.get("migration_database_url")
    return Instance(
        folder=root,
        spec=spec,
        secret_key=key,
        admin_password_hash=str(password_hash) if password_hash else None,
        database_url=_sqlite_in(root, url),
        migration_database_url=str(migration_url) if migration_url else None,
        app_role=str(secrets["app_role"]) if secrets.get("app_role") else None,
    )
