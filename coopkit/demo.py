"""Demo data: enough of a real installation to click through, loaded idempotently.

A Belgian branch and a French branch, each with an administrator, staff and
about twenty members; an incubator with one member coop it launched. One
person belongs to both branches. The French branch has issued a few payslips,
one of them corrected. Every demo account has the same password.
In each branch, five activities (four of one member, one shared by three) have
invoices, payments, a reservation and a salary in the ledger (coopkit.demo_ledger),
expense claims approved, rejected and waiting for staff (coopkit.demo_expenses), the
approved ones waiting to be paid to members who all have a bank account (coopkit.demo_payouts);
each branch has a seller identity, clients and invoices in several states
(coopkit.demo_invoices);
SOLO-01 has quotes in every state, one of them confirmed (coopkit.demo_quotes);
each branch's members hold shares, and a past general assembly and an open vote
show the governance (coopkit.demo_governance). The incubator follows two projects, one
deciding on its feasibility and one launched into the member coop demo-velo
(coopkit.demo_incubator).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.demo_expenses import load_demo_expenses
from coopkit.demo_governance import Cast, load_demo_governance
from coopkit.demo_incubator import load_demo_incubator
from coopkit.demo_invoices import load_demo_invoices
from coopkit.demo_ledger import load_demo_ledger
from coopkit.demo_payouts import load_demo_bank_accounts
from coopkit.demo_quotes import load_demo_quotes
from coopkit.demo_salaries import load_demo_salaries
from coopkit.i18n import _
from coopkit.payslips import service as payslips
from coopkit.payslips.inputs import GrossPayIn, PayslipRequest
from coopkit.people import service as people
from coopkit.people.models import Role, User
from coopkit.people.passwords import hash_password
from coopkit.plugins import PluginHost
from coopkit.tenants import service as tenants
from coopkit.tenants.models import Tenant, TenantKind

DEMO_PASSWORD = "coopkit-demo"  # noqa: S105  (printed at start-up on purpose)
DOMAIN = "demo.coopkit.test"

TENANTS = [
    # slug, name, kind, country, parent
    ("demo-be", "SMart Demo Belgium", TenantKind.BRANCH, "BE", None),
    ("demo-fr", "Coop Démo France", TenantKind.BRANCH, "FR", None),
    ("demo-incubator", "Demo Coop Incubator", TenantKind.INCUBATOR, "BE", None),
    ("demo-atelier", "Atelier Commun", TenantKind.MEMBER_COOP, "BE", "demo-incubator"),
]

BE_MEMBERS = [
    "Amélie Claes",
    "Bram Peeters",
    "Chloé Dubois",
    "Dries Maes",
    "Elise Jacobs",
    "Farid Benali",
    "Greet Willems",
    "Hugo Lambert",
    "Inès Mertens",
    "Jan Wouters",
    "Karima El Idrissi",
    "Lotte Goossens",
    "Mathieu Renard",
    "Nina Desmet",
    "Olivier Leclercq",
    "Pieter Vermeulen",
    "Quentin Martin",
    "Roos De Smet",
    "Sofia Rossi",
    "Tom Hermans",
]
FR_MEMBERS = [
    "Alice Moreau",
    "Baptiste Girard",
    "Camille Roux",
    "Damien Fournier",
    "Emma Lefèvre",
    "Fatou Diallo",
    "Gaël Le Goff",
    "Hélène Garnier",
    "Ismaël Haddad",
    "Julie Bonnet",
    "Kevin Dupont",
    "Léa Mercier",
    "Mehdi Chevalier",
    "Nathalie Blanc",
    "Océane Guerin",
    "Pierre Muller",
    "Quitterie Faure",
    "Romain Andre",
    "Sarah Perrin",
    "Théo Lemaire",
]
STAFF = {
    "demo-be": [("admin", "Anne Admin", Role.ADMIN), ("staff.be", "Stéphane Staff", Role.STAFF)],
    "demo-fr": [
        ("admin.fr", "Agnès Admin", Role.ADMIN),
        ("staff.fr", "Sébastien Staff", Role.STAFF),
    ],
    "demo-incubator": [("coach", "Claire Coach", Role.ADMIN)],
    "demo-atelier": [
        ("founder", "Fanny Fondatrice", Role.ADMIN),
        ("founder2", "Filip Stichter", Role.MEMBER),
    ],
}

# Members of the incubator who found its projects (coopkit.demo_incubator).
INCUBATOR_FOUNDERS = [
    ("velo.ana", "Ana Velasco"),
    ("velo.bram", "Bram Wouters"),
    ("velo.chloe", "Chloé Martin"),
]

# member, month, gross, paid hours (None: full time), category
FR_PAYSLIPS = [
    ("Alice Moreau", dt.date(2025, 6, 1), "2600.00", None, "non-executive"),
    ("Alice Moreau", dt.date(2025, 7, 1), "2450.00", None, "non-executive"),
    ("Baptiste Girard", dt.date(2025, 6, 1), "1800.00", Decimal("120"), "non-executive"),
    ("Camille Roux", dt.date(2025, 6, 1), "4200.00", None, "executive"),
]
# Baptiste's June payslip forgot a bonus: corrected by a second payslip.
FR_CORRECTION = ("Baptiste Girard", dt.date(2025, 6, 1), "1950.00", Decimal("120"))


@dataclass
class DemoReport:
    created_tenants: list[str] = field(default_factory=list)
    created_users: int = 0
    created_activities: int = 0
    created_expenses: int = 0
    created_salary_requests: int = 0
    admitted_members: int = 0
    skipped: bool = False
    admin_email: str = f"admin@{DOMAIN}"

    def summary(self) -> str:
        if self.skipped:
            return "demo data: the database already has cooperatives; nothing loaded"
        made = ", ".join(self.created_tenants) or "none (all present)"
        return (
            f"demo data: cooperatives created: {made}; users created: {self.created_users}; "
            f"activities created: {self.created_activities}; "
            f"expense claims created: {self.created_expenses}; "
            f"salary requests created: {self.created_salary_requests}; "
            f"members admitted: {self.admitted_members}"
        )


# Made-up registration numbers with valid check digits (the FEC export is named after the SIREN).
COMPANY_IDS = {"demo-fr": "123456782", "demo-be": "0123456749"}


def _email(local: str) -> str:
    return f"{local}@{DOMAIN}"


def _slugify(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ascii_name.lower().replace(" ", ".").replace("'", "")


def load_demo(db: Session, plugins: PluginHost, only_if_empty: bool = False) -> DemoReport:
    """Create what is missing of the demo; running it twice changes nothing."""
    report = DemoReport()
    if only_if_empty and db.scalar(select(Tenant.id).limit(1)) is not None:
        report.skipped = True
        return report
    password_hash = hash_password(DEMO_PASSWORD)  # one hash for all: argon2 is slow on purpose

    def person(local: str, name: str) -> User:
        found = people.find_user(db, _email(local))
        if found is not None:
            return found
        user = User(email=_email(local), name=name, password_hash=password_hash)
        db.add(user)
        db.flush()
        report.created_users += 1
        return user

    by_slug: dict[str, Tenant] = {}
    for slug, name, kind, country, parent in TENANTS:
        existing = db.scalar(select(Tenant).where(Tenant.slug == slug))
        if existing is None:
            existing = tenants.create_tenant(
                db,
                plugins,
                slug=slug,
                name=name,
                kind=kind,
                country=country,
                parent_slug=parent,
                company_id=COMPANY_IDS.get(slug),
            )
            report.created_tenants.append(slug)
        by_slug[slug] = existing

    for slug, staff in STAFF.items():
        for local, name, role in staff:
            people.add_membership(db, by_slug[slug], person(local, name), role)
    for slug, names in (("demo-be", BE_MEMBERS), ("demo-fr", FR_MEMBERS)):
        for name in names:
            people.add_membership(db, by_slug[slug], person(_slugify(name), name), Role.MEMBER)
    # One freelancer works through both branches, and the Belgian admin coaches the incubator.
    people.add_membership(
        db, by_slug["demo-fr"], person(_slugify(BE_MEMBERS[0]), BE_MEMBERS[0]), Role.MEMBER
    )
    people.add_membership(db, by_slug["demo-incubator"], person("admin", "Anne Admin"), Role.STAFF)
    _payslips(db, plugins, by_slug["demo-fr"], person("admin.fr", "Agnès Admin"), person)
    for slug, names in (("demo-be", BE_MEMBERS), ("demo-fr", FR_MEMBERS)):
        members = [person(_slugify(name), name).id for name in names]
        report.created_activities += load_demo_ledger(db, plugins, by_slug[slug], members)
        load_demo_invoices(db, plugins, by_slug[slug])
        load_demo_quotes(db, plugins, by_slug[slug])
    for slug, staff_local in (("demo-be", "staff.be"), ("demo-fr", "staff.fr")):
        approver = people.find_user(db, _email(staff_local))
        assert approver is not None
        report.created_expenses += load_demo_expenses(db, plugins, by_slug[slug], approver.id)
        load_demo_bank_accounts(db, plugins, by_slug[slug])
        report.created_salary_requests += load_demo_salaries(
            db, plugins, by_slug[slug], approver.id
        )
    for slug, names in (("demo-be", BE_MEMBERS), ("demo-fr", FR_MEMBERS)):
        admin_local, staff_local = (local for local, _name, _role in STAFF[slug])
        cast = Cast(
            chair=person(admin_local, ""),
            staff=person(staff_local, ""),
            members=[person(_slugify(name), name) for name in names],
        )
        report.admitted_members += load_demo_governance(db, plugins, by_slug[slug], cast, DOMAIN)
    founders = [person(local, name) for local, name in INCUBATOR_FOUNDERS]
    for founder in founders:
        people.add_membership(db, by_slug["demo-incubator"], founder, Role.MEMBER)
    if load_demo_incubator(db, plugins, by_slug["demo-incubator"], person("coach", ""), founders):
        report.created_tenants.append("demo-velo")
    return report


def _payslips(
    db: Session,
    plugins: PluginHost,
    tenant: Tenant,
    issuer: User,
    person: Callable[[str, str], User],
) -> None:
    """Issue the demo payslips of the French branch that are not there yet."""
    with tenant_scope(db, tenant.id):
        issued = {(p.user_id, p.month): p for p, _c in payslips.list_payslips(db)}
        for name, month, gross, hours, category in FR_PAYSLIPS:
            member = person(_slugify(name), name)
            if (member.id, month) in issued:
                continue
            request = PayslipRequest(
                member.id, month, (GrossPayIn(Decimal(gross)),), hours=hours, category=category
            )
            issued[member.id, month] = payslips.issue_payslip(
                db, plugins, tenant, request, issuer.id
            )
        name, month, gross, hours = FR_CORRECTION
        member = person(_slugify(name), name)
        original = issued[member.id, month]
        if original.corrects_id is None and payslips.correction_of(db, original) is None:
            bonus = GrossPayIn(Decimal(gross) - original.gross, code="bonus", label=_("Bonus"))
            request = PayslipRequest(
                member.id,
                month,
                (GrossPayIn(original.gross), bonus),
                hours=hours,
                corrects=original.id,
            )
            payslips.issue_payslip(db, plugins, tenant, request, issuer.id)
