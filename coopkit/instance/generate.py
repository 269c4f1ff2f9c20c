"""Generating an instance folder: ``coopkit new-branch`` and ``coopkit new-member-coop``.

Everything is checked before anything is written (:func:`check_spec`, the logo,
the password); the folder is rendered from ``templates/branch`` — plus
``templates/member-coop``'s governance notes for a member coop — into a staging
folder and moved in place only when complete (coopkit.scaffold), so a refusal
leaves nothing behind.
"""

from __future__ import annotations

import os
import secrets
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import make_url

import coopkit
from coopkit.branding.service import BrandingError, logo_media_type
from coopkit.instance.spec import SECRETS_FILE, InstanceError, InstanceSpec, check_spec
from coopkit.people.passwords import WeakPassword, hash_password
from coopkit.plugins import PluginHost
from coopkit.scaffold import render_template
from coopkit.scaffold.quoting import quoted
from coopkit.tenants.models import TenantKind

LOGO_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}
DEFAULT_DATABASE_URL = "sqlite:///coopkit.sqlite3"


@dataclass(frozen=True)
class Generated:
    """The new folder, and the administrator's password when coopkit chose it (shown once)."""

    folder: Path
    spec: InstanceSpec
    generated_password: str | None


def _logo(path: Path | None) -> tuple[bytes, str] | None:
    if path is None:
        return None
    try:
        content = Path(path).read_bytes()
    except OSError as error:
        raise InstanceError(f"logo {path}: {error.strerror}") from None
    try:
        media_type = logo_media_type(content, f"logo {path}")
    except BrandingError as error:
        raise InstanceError(str(error)) from None
    return content, "branding/logo" + LOGO_SUFFIX.get(media_type, ".svg")


def _password_hash(password: str | None) -> tuple[str, str | None]:
    chosen = password if password is not None else secrets.token_urlsafe(12)
    try:
        return hash_password(chosen), (None if password is not None else chosen)
    except WeakPassword as error:
        raise InstanceError(f"admin password: {error}") from None


def _database_urls(url: str) -> tuple[str, str | None]:
    """The URL for instance.toml (password hidden) and, when it has one, for secrets.toml."""
    if make_url(url).password is None:
        return url, None
    return make_url(url).render_as_string(hide_password=True), url


def _context(spec: InstanceSpec, database_url: str) -> dict[str, str]:
    rules = spec.policy
    return {
        "kind": spec.kind.value,
        "name": spec.name,
        "slug": spec.slug,
        "country": spec.country,
        "plugin": spec.plugin,
        "currency": spec.currency,
        "locales": ",".join(spec.locales),
        "database_url": database_url,
        "display_name": spec.branding.display_name,
        "logo": spec.branding.logo,
        "primary_colour": spec.branding.primary_colour,
        "accent_colour": spec.branding.accent_colour,
        "fee_rate": str(rules.fee_rate),
        "guarantee_rate": str(rules.guarantee_rate),
        "guarantee_floor": str(rules.guarantee_floor),
        "payment_delay_days": str(rules.payment_delay_days),
        "valid_from": rules.valid_from.isoformat(),
        "decided_by": rules.decided_by,
        "admin_email": spec.admin.email,
        "admin_name": spec.admin.name,
        "parent_name": spec.parent_name,
        "parent_kind": spec.parent_kind.value,
        "generated_by": f"coopkit {coopkit.__version__}",
    }


def _secrets_text(spec: InstanceSpec, password_hash: str, database_url: str | None) -> str:
    lines = [
        f"# Secrets of the coopkit instance of {spec.name}: never commit this file.",
        f"secret_key = {quoted(secrets.token_urlsafe(32))}",
        f"admin_password_hash = {quoted(password_hash)}",
    ]
    if database_url:
        lines.append(f"database_url = {quoted(database_url)}")
    lines += [
        "# On PostgreSQL: the application connects as a role that owns no table,",
        "# migrations run as the owner (row-level security then really applies).",
        '# database_url = "postgresql+psycopg://coopkit_app:PASSWORD@db.example.org/coopkit"',
        '# migration_database_url = "postgresql+psycopg://coopkit_owner:PASSWORD@db.example.org/coopkit"',
        '# app_role = "coopkit_app"',
    ]
    return "\n".join(lines) + "\n"


def _add_governance_notes(tree: Path, context: dict[str, str]) -> None:
    """Lay templates/member-coop over the rendered branch folder (its governance notes)."""
    part = render_template("member-coop", _member_coop_context(context), tree / ".member-coop")
    for item in part.iterdir():
        if (tree / item.name).exists():
            raise InstanceError(f"templates/member-coop and templates/branch both make {item.name}")
        item.rename(tree / item.name)
    shutil.rmtree(part)


def _member_coop_context(context: dict[str, str]) -> dict[str, str]:
    keys = ("name", "slug", "country", "currency", "parent_name", "parent_kind", "admin_email")
    return {key: context[key] for key in keys}


def generate_instance(
    spec: InstanceSpec,
    output: Path,
    plugins: PluginHost,
    *,
    logo: Path | None = None,
    admin_password: str | None = None,
) -> Generated:
    """Check ``spec`` and write its instance folder at ``output`` (which must not exist)."""
    found = _logo(logo)
    if found is not None:
        spec = replace(spec, branding=replace(spec.branding, logo=found[1]))
    spec = check_spec(spec, plugins)
    password_hash, generated = _password_hash(admin_password)
    shown_url, secret_url = _database_urls(spec.database_url)
    context = _context(spec, shown_url)

    def finish(tree: Path) -> None:
        if found is not None:
            (tree / found[1]).write_bytes(found[0])
        secrets_path = tree / SECRETS_FILE
        secrets_path.write_text(_secrets_text(spec, password_hash, secret_url), encoding="utf-8")
        os.chmod(secrets_path, 0o600)
        if spec.kind is TenantKind.MEMBER_COOP:
            _add_governance_notes(tree, context)

    folder = render_template("branch", context, output, finish=finish)
    return Generated(folder, spec, generated)
