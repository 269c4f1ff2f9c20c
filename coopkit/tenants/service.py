"""Creating and finding cooperatives, checked against the installed country plugins."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.tenancy import tenant_scope
from coopkit.money import MoneyError, check_currency
from coopkit.plugins import PluginError, PluginHost
from coopkit.tenants.models import Tenant, TenantKind

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class TenantError(ValueError):
    """A cooperative that cannot be created as asked."""


class UnknownTenant(LookupError):
    def __init__(self, slug: str) -> None:
        super().__init__(f"no cooperative {slug!r} on this installation")
        self.slug = slug


def get_by_slug(db: Session, slug: str) -> Tenant:
    tenant = db.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise UnknownTenant(slug)
    return tenant


def create_tenant(
    db: Session,
    plugins: PluginHost,
    *,
    slug: str,
    name: str,
    kind: TenantKind | str,
    country: str,
    currency: str | None = None,
    locales: list[str] | None = None,
    parent_slug: str | None = None,
    with_books: bool = True,
    company_id: str | None = None,
) -> Tenant:
    """Add a cooperative; its country must be served by an installed plugin.

    Its books are opened from the country's chart of accounts when the plugin
    supplies one (coopkit.ledger.books), unless ``with_books`` is false.
    ``company_id`` is its registration number, checked by the country's plugin.
    """
    if not SLUG.match(slug):
        raise TenantError(
            f"slug {slug!r}: use lower-case letters, digits and hyphens (at most 63), "
            "starting and ending with a letter or digit"
        )
    try:
        kind = TenantKind(kind)
    except ValueError:
        raise TenantError(
            f"kind {kind!r}: choose one of {', '.join(k.value for k in TenantKind)}"
        ) from None
    if not name.strip():
        raise TenantError("a cooperative needs a name")
    code, money, chosen = country_settings(plugins, country, currency, locales)
    if db.scalar(select(Tenant.id).where(Tenant.slug == slug)) is not None:
        raise TenantError(f"a cooperative with slug {slug!r} already exists")
    parent_id: uuid.UUID | None = None
    if kind is TenantKind.MEMBER_COOP:
        if not parent_slug:
            raise TenantError(
                "a member coop needs its parent (the incubator or branch that launched it)"
            )
        parent_id = get_by_slug(db, parent_slug).id
    elif parent_slug:
        raise TenantError(f"only a member coop has a parent, not a {kind.value}")
    tenant = Tenant(
        slug=slug,
        name=name.strip(),
        kind=kind,
        country=code,
        currency=money,
        locales=chosen,
        parent_id=parent_id,
        company_id=checked_company_id(plugins, code, company_id) if company_id else None,
    )
    db.add(tenant)
    db.flush()
    with tenant_scope(db, tenant.id):
        audit.record(
            db,
            "tenant.created",
            "tenant",
            tenant.id,
            {
                "slug": slug,
                "name": tenant.name,
                "kind": kind,
                "country": code,
                "currency": money,
                "locales": chosen,
                "parent_id": parent_id,
                "company_id": tenant.company_id,
            },
        )
    if with_books and plugins.has_chart_of_accounts(code):
        from coopkit.ledger.books import open_books

        open_books(db, plugins, tenant)
    return tenant


def country_settings(
    plugins: PluginHost, country: str, currency: str | None, locales: list[str] | None
) -> tuple[str, str, list[str]]:
    """The country code, currency and locales of a cooperative in ``country``, checked.

    The country must be served by an installed plugin (NoPluginForCountry says
    what to install); the currency defaults to the country's and must be ISO
    4217; the locales default to the plugin's and must be among them.
    """
    served = plugins.country(country)
    try:
        money = check_currency((currency or served.currency).upper())
    except MoneyError as error:
        raise TenantError(str(error)) from None
    chosen = locales or list(served.locales)
    unknown = [loc for loc in chosen if loc not in served.locales]
    if unknown:
        raise TenantError(
            f"locales {unknown} are not offered by the {served.code} plugin "
            f"(it offers {', '.join(served.locales)})"
        )
    return served.code, money, chosen


def checked_company_id(plugins: PluginHost, country: str, number: str) -> str:
    """The compact form of ``number`` if the country's plugin accepts it; TenantError if not."""
    try:
        verdict = plugins.validate_company_id(country, number)
    except PluginError as error:
        raise TenantError(f"a company number cannot be recorded in {country}: {error}") from None
    if not verdict.valid:
        raise TenantError(f"company number {number!r}: {verdict.error}")
    return verdict.compact


def set_company_id(db: Session, plugins: PluginHost, tenant: Tenant, number: str) -> str:
    """Record the cooperative's registration number (SIREN, enterprise number…), checked."""
    compact = checked_company_id(plugins, tenant.country, number)
    previous = tenant.company_id
    tenant.company_id = compact
    db.flush()
    with tenant_scope(db, tenant.id):
        audit.record(
            db,
            "tenant.company_id_set",
            "tenant",
            tenant.id,
            {"company_id": compact, "previous": previous},
        )
    return compact
