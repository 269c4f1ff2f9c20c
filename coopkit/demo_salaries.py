"""Demo: salaries paid within the delay, the guarantee fund advancing and repaid, a debt chased.

Loaded by coopkit.demo after the invoices, quotes, expenses and bank accounts;
idempotent (a cooperative that has salary requests is left as it is). Dates
follow the day the demo is loaded (T):

1. the general assembly's policies: salaries due 7 days after the work, the
   fund's floor and limits; the founders endow the fund;
2. SOLO-02's member asks for a day's salary that their activity's own money
   covers; staff approve it; the payment batch (salaries only: the demo's
   expense claims stay waiting for staff to pay) goes out two days after the
   due date (the on-time report has one late payment to show);
3. SOLO-01's client confirms a quote online; the invoice is issued and not paid
   yet; its member asks for a salary the activity cannot cover alone: the fund
   advances the rest on that invoice; the batch pays the member before the due
   date; the client pays later and the advance goes back to the fund;
4. an invoice of SOLO-01 to a business client, issued on 2 March 2026, goes
   unpaid: the daily collection takes the dunning steps on their days
   (reminder, second reminder, formal notice, final step; letters and e-mails
   in the outbox), then staff write the debt off and the ledger books the loss.
   (Played first: its invoice is dated before the others of the story.)
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity, ActivityMember, ActivityRole
from coopkit.activities.service import activity_balance
from coopkit.collection.policy import dunning_days_on
from coopkit.collection.schedule import advance_dunning
from coopkit.db.base import utcnow
from coopkit.db.tenancy import tenant_scope
from coopkit.demo_invoices import ISSUED
from coopkit.demo_quotes import _answer
from coopkit.guarantee.policy import set_guarantee_policy
from coopkit.guarantee.write_off import write_off_invoice
from coopkit.invoicing.drafts import DraftIn, LineIn, create_draft
from coopkit.invoicing.from_quote import draft_from_quote
from coopkit.invoicing.issuing import issue_invoice
from coopkit.invoicing.models import Client, ClientKind, PaymentMethod
from coopkit.invoicing.payments import record_payment
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.posting import credit, debit, post
from coopkit.payouts.batches import create_payment_batch, export_payment_batch
from coopkit.payouts.models import PayoutKind
from coopkit.plugins import PluginHost
from coopkit.quotes.models import QuoteDecision
from coopkit.quotes.service import LineIn as QuoteLineIn
from coopkit.quotes.service import create_quote, send_quote
from coopkit.salaries.approval import approve_salary_request
from coopkit.salaries.models import SalaryRequest
from coopkit.salaries.policy import set_salary_policy
from coopkit.salaries.service import SalaryAsk, create_salary_request
from coopkit.tenants.models import Tenant

DECIDED = "Demo data (not a real general assembly decision)"
ENDOWMENT = Decimal("10000.00")


@dataclass(frozen=True)
class Cast:
    """Who plays in the story: the staff member who approves, two activities and their members."""

    staff: uuid.UUID
    solo1: Activity
    member1: uuid.UUID
    solo2: Activity
    member2: uuid.UUID
    client: Client


def load_demo_salaries(db: Session, plugins: PluginHost, tenant: Tenant, staff: uuid.UUID) -> int:
    """Play the story in ``tenant`` unless it has salary requests; return how many were made."""
    today = utcnow().date()
    with tenant_scope(db, tenant.id):
        if db.scalar(select(SalaryRequest.id).limit(1)) is not None:
            return 0
        cast = _cast(db, staff)
        if cast is None:
            return 0
        _policies(db, today)
        _chased_and_written_off(db, plugins, cast)
        _paid_late_from_funds(db, plugins, tenant, cast, today)
        _advanced_and_repaid(db, plugins, tenant, cast, today)
        return 2


def _cast(db: Session, staff: uuid.UUID) -> Cast | None:
    def activity(code: str) -> tuple[Activity, uuid.UUID] | None:
        found = db.scalar(select(Activity).where(Activity.code == code))
        if found is None:
            return None
        manager = db.scalar(
            select(ActivityMember.user_id).where(
                ActivityMember.activity_id == found.id,
                ActivityMember.role == ActivityRole.MANAGER,
            )
        )
        return None if manager is None else (found, manager)

    first, second = activity("SOLO-01"), activity("SOLO-02")
    client = db.scalar(
        select(Client)
        .where(Client.kind == ClientKind.COMPANY, Client.vat_number.is_not(None))
        .order_by(Client.created_at)
        .limit(1)
    )
    if first is None or second is None or client is None:
        return None
    return Cast(staff, first[0], first[1], second[0], second[1], client)


def _policies(db: Session, today: date) -> None:
    since = today - timedelta(days=365)
    set_salary_policy(db, valid_from=since, payment_days=7, decided_by=DECIDED)
    set_guarantee_policy(
        db,
        valid_from=since,
        floor=Decimal("2000.00"),
        member_limit=Decimal("3000.00"),
        client_limit=Decimal("5000.00"),
        overall_limit=Decimal("20000.00"),
        decided_by=DECIDED,
    )
    post(
        db,
        kind="fund_endowment",
        description="The founders endow the guarantee fund (demo)",
        day=since,
        lines=[
            debit(AccountRole.BANK, ENDOWMENT),
            credit(AccountRole.GUARANTEE_FUND, ENDOWMENT),
        ],
    )


def _pay(db: Session, cast: Cast, execution: date) -> None:
    batch = create_payment_batch(
        db, execution_date=execution, created_by=cast.staff, kinds=[PayoutKind.SALARY]
    )
    export_payment_batch(db, batch.batch.id, exported_by=cast.staff)


def _paid_late_from_funds(
    db: Session, plugins: PluginHost, tenant: Tenant, cast: Cast, today: date
) -> None:
    """A day's work on SOLO-02, covered by its own money, paid two days after the due date."""
    worked = today - timedelta(days=45)
    request = create_salary_request(
        db,
        plugins,
        tenant,
        SalaryAsk(
            member_id=cast.member2,
            activity_id=cast.solo2.id,
            period_start=worked,
            period_end=worked,
            days=Decimal(1),
            gross=Decimal("180.00"),
        ),
        day=worked + timedelta(days=1),
        created_by=cast.member2,
    )
    approved = approve_salary_request(
        db, plugins, tenant, request.id, approved_by=cast.staff, day=worked + timedelta(days=2)
    )
    assert approved.due_date is not None
    _pay(db, cast, approved.due_date + timedelta(days=2))


def _advanced_and_repaid(
    db: Session, plugins: PluginHost, tenant: Tenant, cast: Cast, today: date
) -> None:
    """An invoice on a confirmed quote backs an advance; paid on time; the client pays later."""
    sent = today - timedelta(days=34)
    vat_code = plugins.vat_rates(tenant.country, sent)[0].code
    quote = create_quote(
        db,
        plugins,
        tenant,
        activity_id=cast.solo1.id,
        client_id=cast.client.id,
        valid_until=sent + timedelta(days=30),
        lines=[
            QuoteLineIn("Exhibition photographs", Decimal(3), Decimal("650.00"), vat_code, "DAY")
        ],
        title="Exhibition catalogue",
        on=sent,
    )
    send_quote(db, quote.id, on=sent)
    _answer(
        db, quote, QuoteDecision.ACCEPTED, datetime.combine(sent + timedelta(days=1), time(9), UTC)
    )
    issued_on = sent + timedelta(days=2)
    draft = draft_from_quote(db, quote.id, plugins=plugins, created_by=cast.staff, today=issued_on)
    invoice = issue_invoice(db, draft.id, day=issued_on, plugins=plugins, issued_by=cast.staff)
    worked = issued_on + timedelta(days=5)  # a week of work, within one month
    first = max(worked - timedelta(days=4), worked.replace(day=1))
    available = activity_balance(db, cast.solo1.id).available
    request = create_salary_request(
        db,
        plugins,
        tenant,
        SalaryAsk(
            member_id=cast.member1,
            activity_id=cast.solo1.id,
            period_start=first,
            period_end=worked,
            days=Decimal((worked - first).days + 1),
            budget=max(available, Decimal(0)) + Decimal("900.00"),
        ),
        day=worked,
        created_by=cast.member1,
    )
    approved = approve_salary_request(
        db, plugins, tenant, request.id, approved_by=cast.staff, day=worked + timedelta(days=1)
    )
    assert approved.due_date is not None
    _pay(db, cast, approved.due_date)
    record_payment(
        db,
        invoice.id,
        invoice.gross_total,
        day=today - timedelta(days=3),
        method=PaymentMethod.TRANSFER,
        payer=cast.client.name,
    )


def _chased_and_written_off(db: Session, plugins: PluginHost, cast: Cast) -> None:
    """An unpaid invoice chased step by step by `coopkit collect`, then written off.

    Issued with the other demo invoices (coopkit.demo_invoices), so that numbers
    follow dates and the steps fall in the first half of 2026, whose legal
    late-payment rates the country profiles source; the older demo invoices
    still unpaid are chased on the same days.
    """
    issued_on = ISSUED
    line = LineIn("Press photographs", Decimal(2), Decimal("480.00"), "standard", "DAY")
    draft = create_draft(
        db,
        DraftIn(cast.solo1.id, cast.client.id, (line,), supply_date=issued_on),
        plugins=plugins,
        today=issued_on,
    )
    invoice = issue_invoice(db, draft.id, day=issued_on, plugins=plugins)
    assert invoice.due_date is not None
    days = dunning_days_on(db, invoice.due_date)
    for late in (days.reminder, days.second_reminder, days.formal_notice, days.final):
        advance_dunning(db, day=invoice.due_date + timedelta(days=late), plugins=plugins)
    write_off_invoice(
        db,
        invoice.id,
        day=invoice.due_date + timedelta(days=days.final + 10),
        reason="Client unreachable after the formal notice; collection would cost more than "
        "the debt (demo)",
        written_off_by=cast.staff,
    )
