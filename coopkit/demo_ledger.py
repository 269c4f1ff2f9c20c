"""Demo money: fee rates, activities for the demo members, and a few months of entries.

Loaded by coopkit.demo after the people; idempotent (an activity that exists is
left as it is, with its entries). Amounts are made up; the fee rate is 6.5 %
and the guarantee-fund contribution 2 % — demo values, not a real decision.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity
from coopkit.activities.service import create_activity, reserve
from coopkit.db.tenancy import tenant_scope
from coopkit.ledger.books import open_books
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.fees import post_paid_share
from coopkit.ledger.policy import FeePolicy, set_rates
from coopkit.ledger.posting import credit, debit, post
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

RATES_FROM = date(2025, 1, 1)
DEMO_FEE = Decimal("0.065")
DEMO_GUARANTEE = Decimal("0.02")
CAPITAL = Decimal("20000.00")


def load_demo_ledger(
    db: Session, plugins: PluginHost, tenant: Tenant, members: list[uuid.UUID]
) -> int:
    """Give ``tenant`` its books, rates and demo activities; return how many activities were new.

    ``members`` are user ids of the tenant's members: the first four get an
    activity each, the next three share one (the fifth manages it).
    """
    if not plugins.has_chart_of_accounts(tenant.country):
        return 0
    open_books(db, plugins, tenant)
    created = 0
    with tenant_scope(db, tenant.id):
        if db.scalar(select(FeePolicy.id).limit(1)) is None:
            set_rates(
                db,
                valid_from=RATES_FROM,
                fee_rate=DEMO_FEE,
                guarantee_rate=DEMO_GUARANTEE,
                decided_by="Demo data (not a real general assembly decision)",
            )
            _capital(db)
        vat = plugins.vat_rates(tenant.country, date(2026, 1, 15))[0].rate
        plans: list[tuple[str, list[uuid.UUID], list[uuid.UUID]]] = [
            (f"SOLO-{i + 1:02d}", [m], []) for i, m in enumerate(members[:4])
        ]
        plans.append(("COLLECTIF", members[4:5], members[5:7]))
        for index, (code, managers, workers) in enumerate(plans):
            if db.scalar(select(Activity.id).where(Activity.code == code)) is not None:
                continue
            activity = create_activity(
                db,
                code=code,
                name=_name(code),
                managers=managers,
                members=workers,
            )
            _months_of_work(db, activity.id, index, vat)
            created += 1
    return created


def _name(code: str) -> str:
    return "Shared studio" if code == "COLLECTIF" else f"Freelance activity {code[-2:]}"


def _capital(db: Session) -> None:
    post(
        db,
        kind="capital",
        description="Members' shares paid in",
        day=RATES_FROM,
        lines=[debit(R.BANK, CAPITAL), credit(R.SHARE_CAPITAL, CAPITAL)],
    )


def _months_of_work(db: Session, activity: uuid.UUID, index: int, vat_rate: Decimal) -> None:
    """An invoice paid in full, another paid in part, a reservation and a salary."""
    for number, (net, paid_part, day) in enumerate(
        [
            (Decimal(1800 + 350 * index), Decimal(1), date(2026, 1, 15)),
            (Decimal(950 + 120 * index), Decimal("0.5"), date(2026, 2, 12)),
        ],
        start=1,
    ):
        tax = (net * vat_rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        reference = f"demo-invoice:{activity}:{number}"
        post(
            db,
            kind="invoice",
            description=f"Invoice {number} (demo)",
            day=day,
            reference=reference,
            lines=[
                debit(R.CLIENT_RECEIVABLES, net + tax, activity),
                credit(R.TURNOVER, net, activity),
                credit(R.VAT_COLLECTED, tax),
            ],
        )
        paid = ((net + tax) * paid_part).quantize(Decimal("0.01"))
        post(
            db,
            kind="payment",
            description=f"Client paid invoice {number} (demo)",
            day=day,
            reference=reference,
            lines=[debit(R.BANK, paid), credit(R.CLIENT_RECEIVABLES, paid, activity)],
        )
        post_paid_share(
            db,
            activity=activity,
            paid_excluding_vat=(net * paid_part).quantize(Decimal("0.01")),
            day=day,
            description=f"Paid share of invoice {number} (demo)",
            reference=reference,
        )
    reserve(db, activity, Decimal(250), day=date(2026, 2, 20), description="Holiday pay (demo)")
    post(
        db,
        kind="salary",
        description="Salary of February (demo)",
        day=date(2026, 2, 28),
        lines=[
            debit(R.ACTIVITY_FUNDS, Decimal(900), activity),
            credit(R.SALARIES_PAYABLE, Decimal(900)),
        ],
    )
