"""Demo bank accounts: every member of the Belgian and French branches can be paid.

Made-up accounts with valid check digits (schwifty computes them, national
ones included), from 2025 on, so that a demo payment batch can be created for
the expense claims the demo approved (coopkit.demo_expenses queues them).
"""

from __future__ import annotations

import datetime as dt

from schwifty import IBAN
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.tenancy import tenant_scope
from coopkit.payouts.bank_accounts import set_bank_account
from coopkit.payouts.models import MemberBankAccount
from coopkit.people.models import Membership, User
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

SINCE = dt.date(2025, 1, 1)


def demo_iban(country: str, number: int) -> str | None:
    """A made-up but valid IBAN of ``country`` (None for a country the demo has no bank for)."""
    if country == "BE":
        return str(IBAN.generate("BE", bank_code="539", account_code=f"{100000 + number:07d}"))
    if country == "FR":
        return str(
            IBAN.generate(
                "FR", bank_code="30006", branch_code="00001", account_code=f"{number:011d}"
            )
        )
    return None


def load_demo_bank_accounts(db: Session, plugins: PluginHost, tenant: Tenant) -> int:
    """Give each member of ``tenant`` an account unless it has accounts already; how many."""
    if demo_iban(tenant.country, 0) is None:
        return 0
    made = 0
    with tenant_scope(db, tenant.id):
        if db.scalar(select(MemberBankAccount.id).limit(1)) is not None:
            return 0
        people = db.execute(
            select(User.id, User.name)
            .join(Membership, Membership.user_id == User.id)
            .order_by(User.email)
        ).all()
        for number, (user_id, name) in enumerate(people, start=1):
            iban = demo_iban(tenant.country, number)
            assert iban is not None
            set_bank_account(db, user_id, iban=iban, holder=name, valid_from=SINCE, plugins=plugins)
            made += 1
    return made
