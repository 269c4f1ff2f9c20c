"""writeOffInvoice on the demo: staff write a lost invoice off once; the ledger books the loss."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import select

from coopkit.db.tenancy import tenant_scope
from coopkit.guarantee.models import InvoiceWriteOff
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.test_web import MEMBER_BE, STAFF_BE, Client, assert_problem, bearer

STAFF_FR = "staff.fr@demo.coopkit.test"


def _invoice(demo_db: Database, slug: str, status: InvoiceStatus) -> Invoice:
    with demo_db.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == slug)).one()
        with tenant_scope(db, tenant.id):
            return db.scalars(
                select(Invoice)
                .where(Invoice.kind == DocumentKind.INVOICE, Invoice.status == status)
                .order_by(Invoice.number)
                .limit(1)
            ).one()


def _url(invoice: Invoice, slug: str = "demo-be") -> str:
    return f"/api/v1/t/{slug}/invoices/{invoice.id}/write-off"


def test_staff_write_off_an_unpaid_invoice_once(
    client: Client, demo_db: Database, token: Callable[[str], str]
) -> None:
    unpaid = _invoice(demo_db, "demo-be", InvoiceStatus.ISSUED)
    staff = bearer(token(STAFF_BE))
    reason = {"reason": "Client bankrupt", "day": "2026-11-02"}
    answer = client.post(_url(unpaid), json=reason, headers=staff)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    # Nothing was paid on it: the whole invoice, its VAT included, is lost; no advance on it.
    assert Decimal(body["due_written_off"]) == unpaid.gross_total
    assert Decimal(body["due_written_off"]) - Decimal(body["vat_written_off"]) == unpaid.net_total
    assert (body["advance_absorbed"], body["day"]) == ("0.00", "2026-11-02")
    assert (
        client.get(f"/api/v1/t/demo-be/invoices/{unpaid.id}", headers=staff).json()["status"]
        == "written_off"
    )
    assert_problem(client.post(_url(unpaid), json=reason, headers=staff), 409)
    with demo_db.sessions() as db:
        tenant = db.scalars(select(Tenant).where(Tenant.slug == "demo-be")).one()
        with tenant_scope(db, tenant.id):
            row = db.scalars(
                select(InvoiceWriteOff).where(InvoiceWriteOff.invoice_id == unpaid.id)
            ).one()
            assert row.reason == "Client bankrupt"


def test_a_paid_invoice_is_refused_and_members_may_not(
    client: Client, demo_db: Database, token: Callable[[str], str]
) -> None:
    paid = _invoice(demo_db, "demo-be", InvoiceStatus.PAID)
    refused = client.post(_url(paid), json={"reason": "x"}, headers=bearer(token(STAFF_BE)))
    assert "paid" in assert_problem(refused, 422)["detail"]
    unpaid = _invoice(demo_db, "demo-be", InvoiceStatus.ISSUED)
    member = client.post(_url(unpaid), json={"reason": "x"}, headers=bearer(token(MEMBER_BE)))
    assert member.status_code in (403, 404)
    # Another cooperative's staff do not see it at all.
    other = client.post(
        _url(unpaid, "demo-fr"), json={"reason": "x"}, headers=bearer(token(STAFF_FR))
    )
    assert_problem(other, 404)
    assert _invoice(demo_db, "demo-be", InvoiceStatus.ISSUED).id == unpaid.id
