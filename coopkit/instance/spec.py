"""What an instance folder says, and the one check both its writer and its reader run.

``coopkit new-branch`` checks the answers before rendering anything; ``coopkit
serve --instance`` checks the file again (a person may have edited it), so a
bad value is refused with the same message on either side.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from coopkit.branding.service import BrandingError, check_colour
from coopkit.ledger.policy import PolicyError, check_rate
from coopkit.money import MoneyError, minor_unit, to_decimal
from coopkit.people.service import PeopleError, normalise_email
from coopkit.plugins import NoPluginForCountry, PluginHost
from coopkit.salaries.policy import MAX_PAYMENT_DAYS
from coopkit.scaffold import (
    ScaffoldError,
    check_country_code,
    check_currency,
    check_locales,
    check_name,
)
from coopkit.tenants.models import TenantKind
from coopkit.tenants.service import SLUG

INSTANCE_FILE = "instance.toml"
SECRETS_FILE = "secrets.toml"
# The kinds an instance folder can start: a member coop's parent stays on its
# own installation (see docs/branches.md).
INSTANCE_KINDS = (TenantKind.BRANCH, TenantKind.MEMBER_COOP)
PARENT_KINDS = (TenantKind.INCUBATOR, TenantKind.BRANCH)


class InstanceError(ScaffoldError):
    """An instance folder, or the answers for one, that coopkit cannot use as given."""


@dataclass(frozen=True)
class Policy:
    """The founders' first decisions; later ones go through the general assembly."""

    valid_from: date
    decided_by: str
    fee_rate: Decimal
    guarantee_rate: Decimal
    guarantee_floor: Decimal
    payment_delay_days: int


@dataclass(frozen=True)
class Branding:
    display_name: str
    primary_colour: str
    accent_colour: str
    logo: str = ""  # a path inside the instance folder, or "" for none


@dataclass(frozen=True)
class Admin:
    email: str
    name: str


@dataclass(frozen=True)
class InstanceSpec:
    """One cooperative's deployment: who it is, where its data lives, its first rules."""

    kind: TenantKind
    slug: str
    name: str
    country: str
    currency: str
    locales: tuple[str, ...]
    database_url: str
    branding: Branding
    policy: Policy
    admin: Admin
    plugin: str = ""
    parent_name: str = ""
    parent_kind: TenantKind = TenantKind.INCUBATOR

    @property
    def parent_slug(self) -> str:
        """The slug the parent's record gets in a member coop's own database."""
        return slugify(self.parent_name)


def slugify(name: str) -> str:
    """An address-safe slug from a name: "Coop d'Économie & Partage" → coop-d-economie-partage."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:63].strip("-")
    return slug or "coop"


def _exact(value: object, what: str) -> Decimal:
    if isinstance(value, float):
        raise InstanceError(f'{what} {value!r}: write it as an exact decimal in quotes ("0.065")')
    try:
        return to_decimal(value)
    except MoneyError as error:
        raise InstanceError(f"{what}: {error}") from None


def _policy(policy: Policy, currency: str) -> Policy:
    try:
        fee = check_rate(_exact(policy.fee_rate, "fee rate"), "fee rate")
        guarantee = check_rate(
            _exact(policy.guarantee_rate, "guarantee-fund rate"), "guarantee-fund rate"
        )
    except PolicyError as error:
        raise InstanceError(str(error)) from None
    if fee + guarantee >= 1:
        raise InstanceError(
            f"fee rate {fee} and guarantee-fund rate {guarantee} together take the whole paid "
            "amount or more: they must add up to less than 1"
        )
    floor = _exact(policy.guarantee_floor, "guarantee-fund floor")
    unit = minor_unit(currency)
    if floor < 0 or floor != floor.quantize(unit):
        raise InstanceError(
            f"guarantee-fund floor {floor}: give an amount of 0 or more in {currency}, "
            f"with at most its decimals (smallest unit {unit})"
        )
    days = policy.payment_delay_days
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_PAYMENT_DAYS:
        raise InstanceError(
            f"payment delay {days!r}: give a whole number of days from 0 to {MAX_PAYMENT_DAYS} "
            "(7 to pay salaries within a week after the work)"
        )
    if not policy.decided_by.strip():
        raise InstanceError("policy: say who decided it (decided_by)")
    return replace(
        policy, fee_rate=fee, guarantee_rate=guarantee, guarantee_floor=floor.quantize(unit)
    )


def _branding(branding: Branding) -> Branding:
    try:
        return replace(
            branding,
            display_name=check_name(branding.display_name, "display name"),
            primary_colour=check_colour(branding.primary_colour, "primary colour"),
            accent_colour=check_colour(branding.accent_colour, "accent colour"),
        )
    except BrandingError as error:
        raise InstanceError(str(error)) from None


def check_spec(spec: InstanceSpec, plugins: PluginHost) -> InstanceSpec:
    """``spec`` in canonical form, or InstanceError/ScaffoldError naming the rule it breaks.

    The country must be ISO 3166 *and* served by an installed plugin (the
    message lists the served ones); the currency ISO 4217; the locales offered
    by that plugin; rates exact fractions below 1; colours ``#rrggbb``.
    """
    if spec.kind not in INSTANCE_KINDS:
        raise InstanceError(
            f"kind {spec.kind.value!r}: an instance folder starts a branch or a member coop"
        )
    name = check_name(spec.name, "cooperative's name")
    if not SLUG.match(spec.slug):
        raise InstanceError(
            f"slug {spec.slug!r}: use lower-case letters, digits and hyphens (at most 63), "
            "starting and ending with a letter or digit"
        )
    code = check_country_code(spec.country)
    try:
        served = plugins.country(code)
    except NoPluginForCountry as error:
        raise InstanceError(str(error)) from None
    currency = check_currency(spec.currency or served.currency)
    locales = spec.locales or served.locales
    locales = check_locales(",".join(locales))
    unknown = [loc for loc in locales if loc not in served.locales]
    if unknown:
        raise InstanceError(
            f"locales {', '.join(unknown)} are not offered by the {code} plugin "
            f"(it offers {', '.join(served.locales)})"
        )
    if not spec.database_url.strip() or "://" not in spec.database_url:
        raise InstanceError(
            f"database URL {spec.database_url!r}: give an SQLAlchemy URL "
            "(sqlite:///coopkit.sqlite3, postgresql+psycopg://user@host/db)"
        )
    try:
        admin = Admin(normalise_email(spec.admin.email), check_name(spec.admin.name, "admin name"))
    except PeopleError as error:
        raise InstanceError(f"first admin: {error}") from None
    parent_name = ""
    if spec.kind is TenantKind.MEMBER_COOP:
        parent_name = check_name(spec.parent_name, "parent's name")
        if spec.parent_kind not in PARENT_KINDS:
            raise InstanceError(
                f"parent kind {spec.parent_kind.value!r}: a member coop is launched by an "
                "incubator or a branch"
            )
        if slugify(parent_name) == spec.slug:
            raise InstanceError("the member coop and its parent need different names")
    elif spec.parent_name:
        raise InstanceError("only a member coop has a parent, not a branch")
    return replace(
        spec,
        name=name,
        country=code,
        plugin=served.plugin,
        currency=currency,
        locales=locales,
        database_url=spec.database_url.strip(),
        branding=_branding(spec.branding),
        policy=_policy(spec.policy, currency),
        admin=admin,
        parent_name=parent_name,
    )
