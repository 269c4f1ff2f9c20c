"""The first start of an instance: its cooperative, rules, books, branding and first admin.

Each step looks before it writes, so a second start changes nothing. Rules
the founders set in ``instance.toml`` are recorded only when the cooperative
has none: afterwards they change through the general assembly (coopkit
decisions), not by editing the file. The branding is the exception: a changed
name, logo or colour in the file is recorded as a new branding from today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.branding.service import branding_on, set_branding
from coopkit.db.tenancy import tenant_scope
from coopkit.guarantee.policy import GuaranteePolicy, set_guarantee_policy
from coopkit.instance.config import Instance
from coopkit.instance.spec import InstanceError, InstanceSpec
from coopkit.ledger.books import open_books
from coopkit.ledger.policy import FeePolicy, set_rates
from coopkit.people import service as people
from coopkit.people.models import Membership, Role
from coopkit.plugins import PluginHost
from coopkit.salaries.policy import SalaryPolicy, set_salary_policy
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant


@dataclass
class BootstrapReport:
    """What a start did; empty when the database already had everything."""

    slug: str
    done: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.done)

    def summary(self) -> str:
        if not self.done:
            return f"{self.slug}: already bootstrapped, nothing to do"
        return f"{self.slug}: " + "; ".join(self.done)


def _tenant(
    db: Session, plugins: PluginHost, spec: InstanceSpec, report: BootstrapReport
) -> Tenant:
    found = db.scalar(select(Tenant).where(Tenant.slug == spec.slug))
    if found is not None:
        same = (found.kind, found.country, found.currency) == (
            spec.kind,
            spec.country,
            spec.currency,
        )
        if not same:
            raise InstanceError(
                f"the database already has a cooperative {spec.slug!r} that is a "
                f"{found.kind.value} in {found.country} ({found.currency}), not the "
                f"{spec.kind.value} in {spec.country} ({spec.currency}) of instance.toml: "
                "point [database] url at this instance's own database"
            )
        return found
    parent_slug = None
    if spec.parent_name:
        parent_slug = spec.parent_slug
        if db.scalar(select(Tenant.id).where(Tenant.slug == parent_slug)) is None:
            # The parent's record, so the member coop keeps its kind and lineage;
            # the parent's people and books stay on its own installation.
            tenants.create_tenant(
                db,
                plugins,
                slug=parent_slug,
                name=spec.parent_name,
                kind=spec.parent_kind,
                country=spec.country,
                with_books=False,
            )
            report.done.append(f"parent {spec.parent_name} recorded")
    tenant = tenants.create_tenant(
        db,
        plugins,
        slug=spec.slug,
        name=spec.name,
        kind=spec.kind,
        country=spec.country,
        currency=spec.currency,
        locales=list(spec.locales),
        parent_slug=parent_slug,
        with_books=False,
    )
    report.done.append(f"{spec.kind.value} {spec.name} created")
    return tenant


def _policies(db: Session, spec: InstanceSpec, report: BootstrapReport) -> None:
    rules = spec.policy
    if db.scalar(select(FeePolicy.id).limit(1)) is None:
        set_rates(
            db,
            valid_from=rules.valid_from,
            fee_rate=rules.fee_rate,
            guarantee_rate=rules.guarantee_rate,
            decided_by=rules.decided_by,
        )
        report.done.append(f"fee {rules.fee_rate}, guarantee-fund rate {rules.guarantee_rate}")
    if db.scalar(select(GuaranteePolicy.id).limit(1)) is None:
        set_guarantee_policy(
            db,
            valid_from=rules.valid_from,
            floor=rules.guarantee_floor,
            decided_by=rules.decided_by,
        )
        report.done.append(f"guarantee-fund floor {rules.guarantee_floor} {spec.currency}")
    if db.scalar(select(SalaryPolicy.id).limit(1)) is None:
        set_salary_policy(
            db,
            valid_from=rules.valid_from,
            payment_days=rules.payment_delay_days,
            decided_by=rules.decided_by,
        )
        report.done.append(f"salaries paid within {rules.payment_delay_days} days")


def _branding(db: Session, instance: Instance, today: date, report: BootstrapReport) -> None:
    wanted = instance.spec.branding
    logo = instance.logo()
    current = branding_on(db, today)
    if current is not None and (
        current.display_name,
        current.primary_colour,
        current.accent_colour,
        current.logo,
    ) == (wanted.display_name, wanted.primary_colour, wanted.accent_colour, logo):
        return
    set_branding(
        db,
        valid_from=today if current is not None else instance.spec.policy.valid_from,
        display_name=wanted.display_name,
        primary_colour=wanted.primary_colour,
        accent_colour=wanted.accent_colour,
        logo=logo,
        decided_by="instance.toml",
    )
    report.done.append("branding " + ("updated" if current is not None else "set"))


def _admin(db: Session, tenant: Tenant, instance: Instance, report: BootstrapReport) -> None:
    wanted = instance.spec.admin
    user = people.find_user(db, wanted.email)
    if user is None:
        password_hash = instance.admin_password_hash or ""
        if not password_hash.startswith("$argon2"):
            raise InstanceError(
                f"{instance.folder / 'secrets.toml'}: admin_password_hash must be an argon2 "
                "hash (as `coopkit new-branch` writes it)"
            )
        user = people.create_user(db, wanted.email, wanted.name, None)
        user.password_hash = password_hash
        report.done.append(f"admin {wanted.email} created")
    with tenant_scope(db, tenant.id):
        role = db.scalar(select(Membership.role).where(Membership.user_id == user.id))
    if role is None:
        people.add_membership(db, tenant, user, Role.ADMIN)
        report.done.append(f"{wanted.email} is administrator")


def bootstrap(
    db: Session, plugins: PluginHost, instance: Instance, today: date | None = None
) -> BootstrapReport:
    """Bring the instance's database to what its folder says; idempotent."""
    spec = instance.spec
    day = today or date.today()
    report = BootstrapReport(spec.slug)
    tenant = _tenant(db, plugins, spec, report)
    if plugins.has_chart_of_accounts(spec.country) and (added := open_books(db, plugins, tenant)):
        report.done.append(f"books opened ({added} accounts)")
    with tenant_scope(db, tenant.id):
        _policies(db, spec, report)
        _branding(db, instance, day, report)
    _admin(db, tenant, instance, report)
    if report.changed:
        with tenant_scope(db, tenant.id):
            audit.record(db, "instance.bootstrapped", "tenant", tenant.id, {"done": report.done})
    return report
