"""Demo expense claims: one approved, one rejected and two waiting in each branch.

Loaded by coopkit.demo after the demo ledger; idempotent (a cooperative that
has claims is left as it is). Receipts are small real PDF and PNG files made
in code (coopkit.demo_receipts). Days are fixed, so the demo does not depend
on the machine's clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity, ActivityMember, ActivityRole
from coopkit.db.tenancy import tenant_scope
from coopkit.demo_receipts import receipt_pdf, receipt_png
from coopkit.expenses.models import ExpenseClaim
from coopkit.expenses.receipts import ReceiptFile
from coopkit.expenses.service import (
    ExpenseRequest,
    approve_expense,
    reject_expense,
    submit_expense,
)
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant


@dataclass(frozen=True)
class DemoClaim:
    activity: str
    day: date
    supplier: str
    description: str
    category: str
    net: str
    vat_rate: str | None
    outcome: str  # approved, rejected or submitted
    reason: str = ""


COMMON = [
    DemoClaim("SOLO-01", date(2026, 2, 3), "Office Depot", "Printer ink and paper",
              "general", "120.00", "standard", "approved"),
    DemoClaim("COLLECTIF", date(2026, 3, 2), "Studio Light Rental",
              "Two studio lamps for the March shoot", "general", "85.00", "standard",
              "submitted"),
]  # fmt: skip
BY_COUNTRY = {
    "BE": [
        DemoClaim("SOLO-03", date(2026, 2, 17), "Brasserie De Koning", "Lunch with a client",
                  "reception", "64.00", "intermediate", "rejected",
                  "A lunch with a client is a reception cost: the activity may pay it from "
                  "its budget, but not as a claim without the guests' names. Add them and "
                  "claim again."),
        DemoClaim("SOLO-04", date(2026, 3, 4), "TotalEnergies Wavre", "Fuel, trip to a client",
                  "passenger_car", "52.00", "standard", "submitted"),
    ],
    "FR": [
        DemoClaim("SOLO-03", date(2026, 2, 17), "Hôtel du Parc", "Night before the Lyon workshop",
                  "lodging", "90.00", "intermediate", "rejected",
                  "The invoice is made out to you, not to the cooperative: ask the hotel for "
                  "an invoice in the coop's name and claim again."),
        DemoClaim("SOLO-04", date(2026, 3, 4), "Station Avia Nantes", "Fuel, trip to a client",
                  "fuel_passenger_car", "52.00", "standard", "submitted"),
    ],
}  # fmt: skip


def load_demo_expenses(db: Session, plugins: PluginHost, tenant: Tenant, staff: uuid.UUID) -> int:
    """Give ``tenant`` its demo claims unless it has claims already; return how many were made."""
    if tenant.country not in BY_COUNTRY or not plugins.implements(
        tenant.country, "coopkit_expense_categories"
    ):
        return 0
    made = 0
    with tenant_scope(db, tenant.id):
        if db.scalar(select(ExpenseClaim.id).limit(1)) is not None:
            return 0
        for demo in [*COMMON, *BY_COUNTRY[tenant.country]]:
            _claim(db, plugins, tenant, staff, demo)
            made += 1
    return made


def _claim(
    db: Session, plugins: PluginHost, tenant: Tenant, staff: uuid.UUID, demo: DemoClaim
) -> None:
    activity = db.scalar(select(Activity).where(Activity.code == demo.activity))
    if activity is None:
        return
    worker = db.scalar(
        select(ActivityMember.user_id)
        .where(ActivityMember.activity_id == activity.id)
        .order_by(ActivityMember.role == ActivityRole.MANAGER)  # a worker, when there is one
    )
    assert worker is not None
    total = Decimal(demo.net)
    receipt = (
        ReceiptFile(f"{demo.supplier}.pdf", receipt_pdf([demo.supplier, demo.description,
                                                        f"{demo.day:%d/%m/%Y}",
                                                        f"Total excl. VAT {total}"]))
        if demo.outcome != "submitted"
        else ReceiptFile("ticket.png", receipt_png())
    )  # fmt: skip
    request = ExpenseRequest(
        activity.id, demo.day, demo.supplier, demo.description, demo.category, total, demo.vat_rate
    )
    claim = submit_expense(db, plugins, tenant, request, [receipt], worker, today=demo.day)
    if demo.outcome == "approved":
        approve_expense(db, claim.id, staff, day=demo.day)
    elif demo.outcome == "rejected":
        reject_expense(db, claim.id, staff, demo.reason)
