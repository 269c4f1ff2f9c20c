"""One factory per tenant-owned model, for tests that must cover every one of them.

``FACTORIES[Model](session, tenant)`` adds a valid row of ``Model`` to ``tenant``
(creating whatever global rows it needs, such as a user), flushes it while that
tenant is selected, and returns it. tests/test_tenancy.py checks that this
registry covers exactly ``coopkit.db.base.tenant_owned_models()``: a new
tenant-owned model needs a factory here before its isolation is proven.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

import coopkit.models  # noqa: F401  (registers every model)
from coopkit.activities.models import Activity, ActivityMember, ActivityRole
from coopkit.audit.models import AuditEvent
from coopkit.audit.service import record
from coopkit.banking.models import (
    BankLine,
    BankStatement,
    LineStatus,
    StatementFormat,
)
from coopkit.branding.models import Branding
from coopkit.collection.models import DunningPolicy, DunningStep, DunningStepKind
from coopkit.db.base import Base
from coopkit.db.tenancy import tenant_scope
from coopkit.decisions.models import (
    DataUsePolicy,
    MemberConsent,
    Purpose,
    SurplusAllocation,
    SurplusDistribution,
)
from coopkit.expenses.models import ExpenseClaim, ExpenseReceipt, ExpenseStatus
from coopkit.governance.colleges import CollegeAssignment, VotingCollege
from coopkit.governance.models import (
    AgendaItem,
    Assembly,
    AssemblyDocument,
    Ballot,
    Minutes,
    Proxy,
    Resolution,
    SessionTally,
    VoteReceipt,
    VoteReminder,
)
from coopkit.governance.rules import Majority
from coopkit.governance.statutes import Statutes
from coopkit.guarantee.models import Advance, AdvanceRepayment, InvoiceWriteOff
from coopkit.guarantee.policy import GuaranteePolicy
from coopkit.idempotency import IdempotencyKey
from coopkit.incubator.models import (
    ChecklistItem,
    IncubatorProject,
    PlannedShareClass,
    ProjectDocument,
    ProjectFounder,
    ProjectStage,
    ProjectStageChange,
    SharePledge,
    StageBallot,
    StageChoice,
    StageDecision,
)
from coopkit.invoicing.models import (
    Client,
    ClientKind,
    DocumentKind,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Payment,
    PaymentMethod,
    SellerIdentity,
)
from coopkit.ledger.chart import AccountRole, AccountType
from coopkit.ledger.models import Account, AccountBalance, JournalEntry, Posting
from coopkit.ledger.policy import FeePolicy
from coopkit.membership.models import (
    MembershipApplication,
    MemberStatus,
    MemberStatusChange,
    RegisterEntryKind,
    ShareClass,
    SharePolicy,
    ShareRedemption,
    ShareRegisterEntry,
    ShareSubscription,
    ShareTransfer,
)
from coopkit.membership.register import append_entry
from coopkit.outbox.models import OutboxAttachment, OutboxMessage
from coopkit.payouts.models import (
    MemberBankAccount,
    PaymentBatch,
    PaymentBatchItem,
    Payout,
    PayoutKind,
)
from coopkit.payslips.models import Payslip
from coopkit.people.models import Membership, Role, User
from coopkit.quotes.models import (
    Quote,
    QuoteConfirmation,
    QuoteDecision,
    QuoteLine,
    QuoteStatus,
)
from coopkit.salaries.models import Asked, SalaryRequest
from coopkit.salaries.policy import SalaryPolicy
from coopkit.tenants.models import Tenant
from tests.conftest import unique

Factory = Callable[[Session, Tenant], Any]
F = TypeVar("F", bound=Factory)

FACTORIES: dict[type[Base], Factory] = {}


def factory(model: type[Base]) -> Callable[[F], F]:
    """Register the decorated function as the factory of ``model``."""

    def register(function: F) -> F:
        if model in FACTORIES:
            raise ValueError(f"two factories for {model.__name__}")
        FACTORIES[model] = function
        return function

    return register


def make_user(session: Session, name: str = "Test Person") -> User:
    """A person who can sign in (global, not owned by a tenant); no password hashing cost."""
    user = User(email=f"{unique('user')}@example.org", name=name, password_hash="!unusable")
    session.add(user)
    session.flush()
    return user


@factory(Membership)
def membership(session: Session, tenant: Tenant) -> Membership:
    user = make_user(session)
    with tenant_scope(session, tenant.id):
        row = Membership(tenant_id=tenant.id, user_id=user.id, role=Role.MEMBER)
        session.add(row)
    return row


@factory(AuditEvent)
def audit_event(session: Session, tenant: Tenant) -> AuditEvent:
    with tenant_scope(session, tenant.id):
        return record(session, "test.happened", "test", "subject-1", {"amount": "12.50"})


@factory(Payslip)
def payslip(session: Session, tenant: Tenant) -> Payslip:
    """A stored payslip (written as issued; its numbers need not come from a country's law)."""
    member, staff = make_user(session, "Paid Member"), make_user(session, "Payroll Staff")
    with tenant_scope(session, tenant.id):
        row = Payslip(
            tenant_id=tenant.id,
            user_id=member.id,
            member_name=member.name,
            month=dt.date(2025, 6, 1),
            country=tenant.country,
            currency=tenant.currency,
            gross_pay=[
                {
                    "code": "salary",
                    "label": "Salary",
                    "amount": "2000.00",
                    "quantity": None,
                    "unit_rate": None,
                }
            ],
            hours=None,
            contract="cdi",
            category="non-executive",
            employees=1,
            accident_rate=Decimal("0.009"),
            options={},
            tax_rate=None,
            ceiling=Decimal("3925.00"),
            lines=[],
            gross=Decimal("2000.00"),
            employee_contributions=Decimal("440.00"),
            net_before_income_tax=Decimal("1560.00"),
            taxable=Decimal("1600.00"),
            income_tax_withheld=Decimal("0.00"),
            net_pay=Decimal("1560.00"),
            employer_contributions=Decimal("300.00"),
            employer_cost=Decimal("2300.00"),
            issued_by_id=staff.id,
        )
        session.add(row)
    return row


# -- activities and the ledger ----------------------------------------------------------
#
# A row that points at another tenant-owned row (a line at its entry and account)
# points at parents with the same fixed ids in every tenant: the primary key is
# (tenant_id, id), so each tenant has its own parent under the same id, and a
# copy of the row moved to another tenant (tests/test_tenancy.py) is still valid there.

PARENT_ACTIVITY = uuid.UUID("00000000-0000-4000-8000-00000000a001")
PARENT_ACCOUNT = uuid.UUID("00000000-0000-4000-8000-00000000a002")
PARENT_ENTRY = uuid.UUID("00000000-0000-4000-8000-00000000a003")
PARENT_CLIENT = uuid.UUID("00000000-0000-4000-8000-00000000a004")
PARENT_INVOICE = uuid.UUID("00000000-0000-4000-8000-00000000a005")
PARENT_CLAIM = uuid.UUID("00000000-0000-4000-8000-00000000a006")
PARENT_STATEMENT = uuid.UUID("00000000-0000-4000-8000-00000000a007")
PARENT_QUOTE = uuid.UUID("00000000-0000-4000-8000-00000000a008")
PARENT_ASSEMBLY = uuid.UUID("00000000-0000-4000-8000-00000000a009")
PARENT_RESOLUTION = uuid.UUID("00000000-0000-4000-8000-00000000a00a")
PARENT_SHARE_CLASS = uuid.UUID("00000000-0000-4000-8000-00000000a00b")


def _parent(session: Session, model: type[Base], row_id: uuid.UUID, make: Callable[[], Any]) -> Any:
    found = session.scalar(select(model).where(model.id == row_id))  # type: ignore[attr-defined]
    if found is None:
        found = make()
        session.add(found)
        session.flush()
    return found


def parent_activity(session: Session) -> Activity:
    return _parent(  # type: ignore[no-any-return]
        session,
        Activity,
        PARENT_ACTIVITY,
        lambda: Activity(id=PARENT_ACTIVITY, code="PARENT", name="Parent activity"),
    )


def parent_account(session: Session) -> Account:
    return _parent(  # type: ignore[no-any-return]
        session,
        Account,
        PARENT_ACCOUNT,
        lambda: Account(
            id=PARENT_ACCOUNT,
            number="999",
            name="Parent account",
            type=AccountType.ASSET,
            role=AccountRole.BANK,
            may_be_negative=True,
            per_activity=False,
            source="tests",
        ),
    )


def parent_entry(session: Session) -> JournalEntry:
    return _parent(  # type: ignore[no-any-return]
        session,
        JournalEntry,
        PARENT_ENTRY,
        lambda: JournalEntry(
            id=PARENT_ENTRY,
            sequence=_sequence(),
            day=date(2026, 1, 1),
            kind="test",
            description="Parent entry",
        ),
    )


def parent_client(session: Session) -> Client:
    return _parent(  # type: ignore[no-any-return]
        session,
        Client,
        PARENT_CLIENT,
        lambda: Client(
            id=PARENT_CLIENT,
            kind=ClientKind.COMPANY,
            name="Parent client",
            country="BE",
            street="Rue Haute 1",
            postcode="1000",
            city="Bruxelles",
            locale="fr",
        ),
    )


def parent_invoice(session: Session) -> Invoice:
    activity_id = parent_activity(session).id
    client_id = parent_client(session).id
    return _parent(  # type: ignore[no-any-return]
        session,
        Invoice,
        PARENT_INVOICE,
        lambda: Invoice(
            id=PARENT_INVOICE,
            activity_id=activity_id,
            client_id=client_id,
            currency="EUR",
            locale="fr",
        ),
    )


def _sequence() -> int:
    """A posting number no other test row takes (rows may be copied between tenants)."""
    return random.randrange(10**6, 10**15)


def _token() -> str:
    return uuid.uuid4().hex[:8].upper()


@factory(Activity)
def activity(session: Session, tenant: Tenant) -> Activity:
    with tenant_scope(session, tenant.id):
        row = Activity(code=f"ACT-{_token()}", name="An activity")
        session.add(row)
    return row


@factory(ActivityMember)
def activity_member(session: Session, tenant: Tenant) -> ActivityMember:
    user = make_user(session)
    with tenant_scope(session, tenant.id):
        parent = parent_activity(session)
        row = ActivityMember(activity_id=parent.id, user_id=user.id, role=ActivityRole.MEMBER)
        session.add(row)
    return row


@factory(Account)
def account(session: Session, tenant: Tenant) -> Account:
    with tenant_scope(session, tenant.id):
        row = Account(
            number=f"9{random.randrange(10**9)}",
            name="An account",
            type=AccountType.ASSET,
            role=AccountRole.BANK,
            may_be_negative=True,
            per_activity=False,
            source="tests",
        )
        session.add(row)
    return row


@factory(JournalEntry)
def journal_entry(session: Session, tenant: Tenant) -> JournalEntry:
    with tenant_scope(session, tenant.id):
        row = JournalEntry(
            sequence=_sequence(), day=date(2026, 1, 2), kind="test", description="An entry"
        )
        session.add(row)
    return row


@factory(Posting)
def posting(session: Session, tenant: Tenant) -> Posting:
    with tenant_scope(session, tenant.id):
        row = Posting(
            entry_id=parent_entry(session).id,
            account_id=parent_account(session).id,
            amount=Decimal("12.34"),
            currency="EUR",
        )
        session.add(row)
    return row


@factory(AccountBalance)
def account_balance(session: Session, tenant: Tenant) -> AccountBalance:
    """A running balance row (not the sum of any line: the isolation tests only move rows).

    One row per account and currency: a second call in a tenant takes the next currency.
    """
    with tenant_scope(session, tenant.id):
        account_id = parent_account(session).id
        taken = set(
            session.scalars(
                select(AccountBalance.currency).where(AccountBalance.account_id == account_id)
            )
        )
        row = AccountBalance(
            account_id=account_id,
            currency=next(c for c in ("EUR", "CHF", "USD", "GBP", "SEK") if c not in taken),
            balance=Decimal("12.34"),
            line_count=1,
        )
        session.add(row)
    return row


@factory(FeePolicy)
def fee_policy(session: Session, tenant: Tenant) -> FeePolicy:
    with tenant_scope(session, tenant.id):
        row = FeePolicy(
            valid_from=date(2026, 1, 1),
            fee_rate=Decimal("0.065"),
            guarantee_rate=Decimal("0.02"),
            decided_by="General assembly (tests)",
        )
        session.add(row)
    return row


@factory(IdempotencyKey)
def idempotency_key(session: Session, tenant: Tenant) -> IdempotencyKey:
    with tenant_scope(session, tenant.id):
        row = IdempotencyKey(
            key=f"key-{_token()}",
            operation="tests",
            fingerprint="0" * 64,
            status_code=200,
            response={"ok": True},
        )
        session.add(row)
    return row


@factory(SellerIdentity)
def seller_identity(session: Session, tenant: Tenant) -> SellerIdentity:
    with tenant_scope(session, tenant.id):
        row = SellerIdentity(
            valid_from=date(random.randrange(2000, 2999), 1, 1),
            legal_name=f"Coop {_token()}",
            street="Rue Haute 1",
            postcode="1000",
            city="Bruxelles",
            country="BE",
            vat_number="BE0403170701",
            iban="BE71096123456769",
        )
        session.add(row)
    return row


def _claim_row(session: Session, claim_id: uuid.UUID | None = None) -> ExpenseClaim:
    member = make_user(session, "Claiming Member")
    return ExpenseClaim(
        id=claim_id or uuid.uuid4(),
        activity_id=parent_activity(session).id,
        submitted_by_id=member.id,
        day=date(2026, 3, 2),
        supplier="Papeterie",
        description="Paper",
        category="general",
        vat_source="tests",
        currency="EUR",
        net=Decimal("10.00"),
        vat_rate_code="standard",
        vat_rate=Decimal("0.21"),
        vat=Decimal("2.10"),
        recoverable_vat=Decimal("2.10"),
        gross=Decimal("12.10"),
        status=ExpenseStatus.SUBMITTED,
    )


@factory(ExpenseClaim)
def expense_claim(session: Session, tenant: Tenant) -> ExpenseClaim:
    with tenant_scope(session, tenant.id):
        row = _claim_row(session)
        session.add(row)
    return row


@factory(Client)
def client(session: Session, tenant: Tenant) -> Client:
    with tenant_scope(session, tenant.id):
        row = Client(
            kind=ClientKind.PERSON,
            name=f"Client {_token()}",
            country="FR",
            street="1 rue de la Paix",
            postcode="75002",
            city="Paris",
            locale="fr",
        )
        session.add(row)
    return row


@factory(InvoiceSeries)
def invoice_series(session: Session, tenant: Tenant) -> InvoiceSeries:
    with tenant_scope(session, tenant.id):
        row = InvoiceSeries(
            kind=DocumentKind.INVOICE,
            year=random.randrange(2000, 2999),
            prefix="F",
            pattern="{prefix}{year}-{number:05d}",
            last_number=0,
        )
        session.add(row)
    return row


@factory(Invoice)
def invoice(session: Session, tenant: Tenant) -> Invoice:
    with tenant_scope(session, tenant.id):
        row = Invoice(
            activity_id=parent_activity(session).id,
            client_id=parent_client(session).id,
            currency="EUR",
            locale="fr",
        )
        session.add(row)
    return row


@factory(InvoiceLine)
def invoice_line(session: Session, tenant: Tenant) -> InvoiceLine:
    with tenant_scope(session, tenant.id):
        row = InvoiceLine(
            invoice_id=parent_invoice(session).id,
            position=random.randrange(10**6),
            description="Two days of photography",
            quantity=Decimal(2),
            unit="DAY",
            unit_price=Decimal("400.00"),
            net=Decimal("800.00"),
            vat_category="S",
            vat_code="standard",
            vat_rate=Decimal("0.21"),
        )
        session.add(row)
    return row


@factory(Payment)
def payment(session: Session, tenant: Tenant) -> Payment:
    with tenant_scope(session, tenant.id):
        row = Payment(
            invoice_id=parent_invoice(session).id,
            amount=Decimal("121.00"),
            currency="EUR",
            day=date(2026, 3, 2),
            method=PaymentMethod.TRANSFER,
            entry_id=uuid.uuid4(),
        )
        session.add(row)
    return row


def parent_claim(session: Session) -> ExpenseClaim:
    return _parent(  # type: ignore[no-any-return]
        session, ExpenseClaim, PARENT_CLAIM, lambda: _claim_row(session, PARENT_CLAIM)
    )


@factory(ExpenseReceipt)
def expense_receipt(session: Session, tenant: Tenant) -> ExpenseReceipt:
    with tenant_scope(session, tenant.id):
        row = ExpenseReceipt(
            claim_id=parent_claim(session).id,
            file_name="ticket.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            content=b"%PDF-1.4\n",
        )
        session.add(row)
    return row


# -- bank statements ------------------------------------------------------------------------


def _statement(row_id: uuid.UUID | None = None) -> BankStatement:
    return BankStatement(
        id=row_id or uuid.uuid4(),
        source_format=StatementFormat.CAMT053,
        account_iban="BE71096123456769",
        statement_ref=f"STMT-{_token()}",
        currency="EUR",
        opening_balance=Decimal("100.00"),
        closing_balance=Decimal("221.00"),
        file_sha256=uuid.uuid4().hex * 2,
    )


@factory(BankStatement)
def bank_statement(session: Session, tenant: Tenant) -> BankStatement:
    with tenant_scope(session, tenant.id):
        row = _statement()
        session.add(row)
    return row


# -- quotes ------------------------------------------------------------------------------


def _draft_quote(session: Session, quote_id: uuid.UUID | None = None) -> Quote:
    return Quote(
        id=quote_id or uuid.uuid4(),
        activity_id=parent_activity(session).id,
        client_id=parent_client(session).id,
        currency="EUR",
        locale="fr",
        valid_until=date(2026, 12, 31),
        net_total=Decimal("800.00"),
    )


@factory(Quote)
def quote(session: Session, tenant: Tenant) -> Quote:
    with tenant_scope(session, tenant.id):
        row = _draft_quote(session)
        session.add(row)
    return row


@factory(BankLine)
def bank_line(session: Session, tenant: Tenant) -> BankLine:
    with tenant_scope(session, tenant.id):
        parent = _parent(
            session, BankStatement, PARENT_STATEMENT, lambda: _statement(PARENT_STATEMENT)
        )
        row = BankLine(
            statement_id=parent.id,
            position=random.randrange(10**6),
            booking_date=date(2026, 3, 16),
            amount=Decimal("121.00"),
            currency="EUR",
            counterparty_name="Atelier Lumière SPRL",
            structured_reference="090933755493",
            status=LineStatus.UNMATCHED,
            reason="no invoice has this payment reference",
        )
        session.add(row)
    return row


@factory(QuoteLine)
def quote_line(session: Session, tenant: Tenant) -> QuoteLine:
    with tenant_scope(session, tenant.id):
        parent = _parent(session, Quote, PARENT_QUOTE, lambda: _draft_quote(session, PARENT_QUOTE))
        row = QuoteLine(
            quote_id=parent.id,
            position=random.randrange(10**6),
            description="Two days of photography",
            quantity=Decimal(2),
            unit="DAY",
            unit_price=Decimal("400.00"),
            net=Decimal("800.00"),
            vat_code="standard",
            vat_rate=Decimal("0.21"),
        )
        session.add(row)
    return row


@factory(QuoteConfirmation)
def quote_confirmation(session: Session, tenant: Tenant) -> QuoteConfirmation:
    """An answer to a quote of its own (one answer per quote), sent with a made-up content."""
    shown = '{"format":"coopkit.quote/1"}'
    with tenant_scope(session, tenant.id):
        answered = _draft_quote(session)
        answered.status = QuoteStatus.CONFIRMED
        answered.number = f"Q-{_token()}"
        answered.link_nonce = _token()
        answered.shown = shown
        session.add(answered)
        session.flush()
        row = QuoteConfirmation(
            quote_id=answered.id,
            decision=QuoteDecision.ACCEPTED,
            signer_name="Ana Client",
            signer_email="ana@example.org",
            decided_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
            ip="192.0.2.1",
            user_agent="tests",
            shown=shown,
            shown_sha256=hashlib.sha256(shown.encode()).hexdigest(),
        )
        session.add(row)
    return row


@factory(Payout)
def payout(session: Session, tenant: Tenant) -> Payout:
    user = make_user(session)
    with tenant_scope(session, tenant.id):
        row = Payout(
            kind=PayoutKind.EXPENSE,
            source_id=uuid.uuid4(),
            user_id=user.id,
            activity_id=uuid.uuid4(),
            amount=Decimal("12.10"),
            currency="EUR",
            due_date=dt.date(2026, 3, 9),
            description="Expense claim: train ticket",
        )
        session.add(row)
    return row


@factory(DunningPolicy)
def dunning_policy(session: Session, tenant: Tenant) -> DunningPolicy:
    with tenant_scope(session, tenant.id):
        row = DunningPolicy(
            valid_from=date(2026, 1, 1),
            reminder_days=10,
            second_reminder_days=25,
            formal_notice_days=40,
            final_days=70,
            decided_by="Board (tests)",
        )
        session.add(row)
    return row


@factory(DunningStep)
def dunning_step(session: Session, tenant: Tenant) -> DunningStep:
    with tenant_scope(session, tenant.id):
        chased = Invoice(
            activity_id=parent_activity(session).id,
            client_id=parent_client(session).id,
            currency="EUR",
            locale="fr",
        )
        session.add(chased)
        session.flush()
        row = DunningStep(
            invoice_id=chased.id,
            step=DunningStepKind.REMINDER,
            day=date(2026, 3, 9),
            days_late=7,
            amount_due=Decimal("1210.00"),
            interest=Decimal("2.43"),
            compensation=Decimal("40.00"),
            currency="EUR",
        )
        session.add(row)
    return row


@factory(OutboxMessage)
def outbox_message(session: Session, tenant: Tenant) -> OutboxMessage:
    with tenant_scope(session, tenant.id):
        row = OutboxMessage(
            to_address="client@example.test", subject="Payment reminder", body="Please pay."
        )
        session.add(row)
    return row


@factory(OutboxAttachment)
def outbox_attachment(session: Session, tenant: Tenant) -> OutboxAttachment:
    with tenant_scope(session, tenant.id):
        message = OutboxMessage(to_address="client@example.test", subject="Letter", body="See PDF.")
        session.add(message)
        session.flush()
        row = OutboxAttachment(
            message_id=message.id,
            position=1,
            filename="reminder.pdf",
            content_type="application/pdf",
            content=b"%PDF-1.7",
        )
        session.add(row)
    return row


@factory(MemberBankAccount)
def member_bank_account(session: Session, tenant: Tenant) -> MemberBankAccount:
    user = make_user(session)
    with tenant_scope(session, tenant.id):
        row = MemberBankAccount(
            user_id=user.id,
            iban="BE68539007547034",
            bic="",
            holder=user.name,
            valid_from=dt.date(2026, 1, 1),
        )
        session.add(row)
    return row


@factory(PaymentBatch)
def payment_batch(session: Session, tenant: Tenant) -> PaymentBatch:
    with tenant_scope(session, tenant.id):
        row = PaymentBatch(execution_date=dt.date(2026, 3, 9) + dt.timedelta(days=_days()))
        session.add(row)
    return row


@factory(PaymentBatchItem)
def payment_batch_item(session: Session, tenant: Tenant) -> PaymentBatchItem:
    owed, batch = payout(session, tenant), payment_batch(session, tenant)
    with tenant_scope(session, tenant.id):
        session.flush()
        row = PaymentBatchItem(
            batch_id=batch.id,
            payout_id=owed.id,
            amount=owed.amount,
            currency=owed.currency,
            end_to_end_id=owed.id.hex.upper(),
        )
        session.add(row)
    return row


def _days() -> int:
    """A day no other open batch of the tenant uses (one open batch per execution date)."""
    return random.randrange(100_000)


@factory(GuaranteePolicy)
def guarantee_policy(session: Session, tenant: Tenant) -> GuaranteePolicy:
    with tenant_scope(session, tenant.id):
        row = GuaranteePolicy(
            valid_from=date(2026, 1, 1),
            floor=Decimal("5000.00"),
            member_limit=Decimal("3000.00"),
            decided_by="General assembly (tests)",
        )
        session.add(row)
    return row


def _own_invoice(session: Session) -> Invoice:
    """A fresh invoice: an advance, a repayment's payment and a write-off each need their own."""
    row = Invoice(
        activity_id=parent_activity(session).id,
        client_id=parent_client(session).id,
        currency="EUR",
        locale="fr",
    )
    session.add(row)
    session.flush()
    return row


def _advance_row(session: Session) -> Advance:
    invoice = _own_invoice(session)
    row = Advance(
        invoice_id=invoice.id,
        activity_id=invoice.activity_id,
        member_id=make_user(session).id,
        client_id=invoice.client_id,
        salary_request_id=uuid.uuid4(),
        amount=Decimal("800.00"),
        currency="EUR",
        granted_on=date(2026, 3, 9),
        entry_id=uuid.uuid4(),
    )
    session.add(row)
    session.flush()
    return row


@factory(Advance)
def advance(session: Session, tenant: Tenant) -> Advance:
    with tenant_scope(session, tenant.id):
        return _advance_row(session)


@factory(AdvanceRepayment)
def advance_repayment(session: Session, tenant: Tenant) -> AdvanceRepayment:
    with tenant_scope(session, tenant.id):
        granted = _advance_row(session)
        paid = Payment(
            invoice_id=granted.invoice_id,
            amount=Decimal("121.00"),
            currency="EUR",
            day=date(2026, 3, 20),
            method=PaymentMethod.TRANSFER,
            entry_id=uuid.uuid4(),
        )
        session.add(paid)
        session.flush()
        row = AdvanceRepayment(
            advance_id=granted.id,
            payment_id=paid.id,
            amount=Decimal("93.50"),
            entry_id=uuid.uuid4(),
            day=date(2026, 3, 20),
        )
        session.add(row)
    return row


@factory(InvoiceWriteOff)
def invoice_write_off(session: Session, tenant: Tenant) -> InvoiceWriteOff:
    with tenant_scope(session, tenant.id):
        row = InvoiceWriteOff(
            invoice_id=_own_invoice(session).id,
            day=date(2026, 9, 1),
            reason="The client went bankrupt",
            due_written_off=Decimal("1210.00"),
            vat_written_off=Decimal("210.00"),
            currency="EUR",
            entry_id=uuid.uuid4(),
        )
        session.add(row)
    return row


@factory(SalaryPolicy)
def salary_policy(session: Session, tenant: Tenant) -> SalaryPolicy:
    with tenant_scope(session, tenant.id):
        row = SalaryPolicy(
            valid_from=date(2026, 1, 1), payment_days=7, decided_by="General assembly (tests)"
        )
        session.add(row)
    return row


@factory(SalaryRequest)
def salary_request(session: Session, tenant: Tenant) -> SalaryRequest:
    """A requested salary (its figures need not come from a country's law)."""
    member = make_user(session, "Salaried Member")
    with tenant_scope(session, tenant.id):
        row = SalaryRequest(
            activity_id=parent_activity(session).id,
            user_id=member.id,
            period_start=date(2026, 3, 2),
            period_end=date(2026, 3, 6),
            days=Decimal(5),
            hours=Decimal(38),
            asked=Asked.GROSS,
            asked_amount=Decimal("600.00"),
            month=date(2026, 3, 1),
            currency="EUR",
            gross=Decimal("600.00"),
            net_pay=Decimal("520.00"),
            income_tax_withheld=Decimal("0.00"),
            social_contributions=Decimal("230.00"),
            employer_cost=Decimal("750.00"),
            from_funds=Decimal("750.00"),
            from_advance=Decimal("0.00"),
            created_by_id=member.id,
        )
        session.add(row)
    return row


@factory(MemberStatusChange)
def member_status_change(session: Session, tenant: Tenant) -> MemberStatusChange:
    person = make_user(session, "New Member")
    with tenant_scope(session, tenant.id):
        row = MemberStatusChange(
            user_id=person.id, status=MemberStatus.MEMBER, effective_on=date(2026, 1, 15)
        )
        session.add(row)
    return row


@factory(ShareClass)
def share_class(session: Session, tenant: Tenant) -> ShareClass:
    with tenant_scope(session, tenant.id):
        row = ShareClass(
            code=unique("A")[-10:],
            name="A shares",
            nominal=Decimal("50.00"),
            currency=tenant.currency,
            min_holding=1,
        )
        session.add(row)
    return row


@factory(ShareRegisterEntry)
def share_register_entry(session: Session, tenant: Tenant) -> ShareRegisterEntry:
    holder = make_user(session, "Shareholder")
    shares = share_class(session, tenant)
    with tenant_scope(session, tenant.id):
        return append_entry(
            session,
            user_id=holder.id,
            share_class=shares,
            kind=RegisterEntryKind.SUBSCRIPTION,
            quantity=2,
            effective_on=date(2026, 1, 15),
        )


@factory(Statutes)
def statutes(session: Session, tenant: Tenant) -> Statutes:
    with tenant_scope(session, tenant.id):
        row = Statutes(
            valid_from=date(2026, 1, 1),
            notice_days=21,
            extraordinary_majority=Majority.THREE_QUARTERS,
            adopted_by="Founding assembly of 2026-01-01, art. 25",
        )
        session.add(row)
    return row


@factory(VotingCollege)
def voting_college(session: Session, tenant: Tenant) -> VotingCollege:
    with tenant_scope(session, tenant.id):
        row = VotingCollege(
            valid_from=date(2026, 1, 1),
            code="workers",
            name="Workers",
            weight=Decimal("1"),
            decided_by="Founding assembly",
        )
        session.add(row)
    return row


@factory(CollegeAssignment)
def college_assignment(session: Session, tenant: Tenant) -> CollegeAssignment:
    person = make_user(session, "College Member")
    with tenant_scope(session, tenant.id):
        row = CollegeAssignment(user_id=person.id, college="workers", effective_on=date(2026, 1, 1))
        session.add(row)
    return row


@factory(DataUsePolicy)
def data_use_policy(session: Session, tenant: Tenant) -> DataUsePolicy:
    with tenant_scope(session, tenant.id):
        row = DataUsePolicy(
            valid_from=date(2026, 1, 1),
            rules={"directory": "with_consent", "statistics": "always", "partner_sharing": "never"},
            decided_by="General assembly (tests)",
        )
        session.add(row)
    return row


@factory(MemberConsent)
def member_consent(session: Session, tenant: Tenant) -> MemberConsent:
    person = make_user(session, "Consenting Member")
    with tenant_scope(session, tenant.id):
        row = MemberConsent(user_id=person.id, purpose=Purpose.DIRECTORY, granted=True)
        session.add(row)
    return row


@factory(SurplusDistribution)
def surplus_distribution(session: Session, tenant: Tenant) -> SurplusDistribution:
    """A distribution of 100.00 (no lines posted: the entry is a bare parent)."""
    with tenant_scope(session, tenant.id):
        row = SurplusDistribution(
            resolution_id=uuid.uuid4(),
            financial_year_end=date(2000, 12, 31) + dt.timedelta(days=_days()),
            surplus=Decimal("100.00"),
            legal_reserve=Decimal("5.00"),
            other_reserves=Decimal("45.00"),
            ristourne=Decimal("30.00"),
            workers_share=Decimal("0.00"),
            dividends=Decimal("10.00"),
            carried_forward=Decimal("10.00"),
            currency=tenant.currency,
            adopted_on=date(2026, 5, 12),
            decided_by="General assembly (tests)",
            journal_entry_id=parent_entry(session).id,
        )
        session.add(row)
    return row


@factory(SurplusAllocation)
def surplus_allocation(session: Session, tenant: Tenant) -> SurplusAllocation:
    distribution = surplus_distribution(session, tenant)
    person = make_user(session, "Allocated Member")
    with tenant_scope(session, tenant.id):
        row = SurplusAllocation(
            distribution_id=distribution.id,
            user_id=person.id,
            turnover=Decimal("1000.00"),
            capital=Decimal("100.00"),
            ristourne=Decimal("30.00"),
            dividend=Decimal("10.00"),
        )
        session.add(row)
    return row


def parent_share_class(session: Session) -> ShareClass:
    """The share class rows of the copies point at: the same id in every tenant."""
    return _parent(  # type: ignore[no-any-return]
        session,
        ShareClass,
        PARENT_SHARE_CLASS,
        lambda: ShareClass(
            id=PARENT_SHARE_CLASS,
            code="PARENT",
            name="Parent",
            nominal=Decimal("50.00"),
            currency="EUR",
        ),
    )


@factory(MembershipApplication)
def membership_application(session: Session, tenant: Tenant) -> MembershipApplication:
    applicant = make_user(session, "Applicant")
    with tenant_scope(session, tenant.id):
        shares = parent_share_class(session)
        row = MembershipApplication(
            user_id=applicant.id, share_class_id=shares.id, quantity=2, motivation="To work."
        )
        session.add(row)
    return row


@factory(ShareSubscription)
def share_subscription(session: Session, tenant: Tenant) -> ShareSubscription:
    """A subscription waiting for payment (paying it needs the tenant's books)."""
    holder = make_user(session, "Subscriber")
    with tenant_scope(session, tenant.id):
        shares = parent_share_class(session)
        row = ShareSubscription(
            user_id=holder.id,
            share_class_id=shares.id,
            quantity=2,
            amount=Decimal("100.00"),
            currency=tenant.currency,
            requested_on=date(2026, 1, 15),
        )
        session.add(row)
    return row


@factory(ShareTransfer)
def share_transfer(session: Session, tenant: Tenant) -> ShareTransfer:
    seller, buyer = make_user(session, "Seller"), make_user(session, "Buyer")
    with tenant_scope(session, tenant.id):
        shares = parent_share_class(session)
        row = ShareTransfer(
            seller_id=seller.id,
            buyer_id=buyer.id,
            share_class_id=shares.id,
            quantity=1,
            effective_on=date(2026, 2, 1),
        )
        session.add(row)
    return row


@factory(ShareRedemption)
def share_redemption(session: Session, tenant: Tenant) -> ShareRedemption:
    """A redemption row pointing at a journal entry of the same tenant (books not needed)."""
    leaver = make_user(session, "Leaver")
    with tenant_scope(session, tenant.id):
        shares = parent_share_class(session)
        row = ShareRedemption(
            user_id=leaver.id,
            share_class_id=shares.id,
            quantity=1,
            amount=Decimal("50.00"),
            currency=tenant.currency,
            effective_on=date(2026, 3, 1),
            entry_id=parent_entry(session).id,
        )
        session.add(row)
    return row


@factory(SharePolicy)
def share_policy(session: Session, tenant: Tenant) -> SharePolicy:
    with tenant_scope(session, tenant.id):
        row = SharePolicy(
            valid_from=date(2026, 1, 1),
            statutory_minimum=Decimal("1000.00"),
            decided_by="Statutes, art. 9",
        )
        session.add(row)
    return row


def _assembly_row(row_id: uuid.UUID | None = None) -> Assembly:
    return Assembly(
        id=row_id or uuid.uuid4(),
        title="Annual general assembly",
        kind="ordinary",
        meeting_on=date(2026, 6, 12),
        record_date=date(2026, 5, 15),
        place="Brussels",
    )


def _resolution_row(row_id: uuid.UUID | None = None) -> Resolution:
    return Resolution(
        id=row_id or uuid.uuid4(),
        assembly_id=PARENT_ASSEMBLY,
        title="Approve the accounts",
        record_date=date(2026, 5, 15),
        opens_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC),
        closes_at=dt.datetime(2026, 6, 12, 18, tzinfo=dt.UTC),
    )


def parent_assembly(session: Session) -> Assembly:
    return _parent(session, Assembly, PARENT_ASSEMBLY, lambda: _assembly_row(PARENT_ASSEMBLY))  # type: ignore[no-any-return]


def parent_resolution(session: Session) -> Resolution:
    parent_assembly(session)
    return _parent(  # type: ignore[no-any-return]
        session, Resolution, PARENT_RESOLUTION, lambda: _resolution_row(PARENT_RESOLUTION)
    )


@factory(Assembly)
def assembly(session: Session, tenant: Tenant) -> Assembly:
    with tenant_scope(session, tenant.id):
        row = _assembly_row()
        session.add(row)
    return row


@factory(AgendaItem)
def agenda_item(session: Session, tenant: Tenant) -> AgendaItem:
    with tenant_scope(session, tenant.id):
        row = AgendaItem(
            assembly_id=parent_assembly(session).id,
            position=random.randrange(1, 2**31),
            title="Accounts",
        )
        session.add(row)
    return row


@factory(AssemblyDocument)
def assembly_document(session: Session, tenant: Tenant) -> AssemblyDocument:
    with tenant_scope(session, tenant.id):
        row = AssemblyDocument(
            assembly_id=parent_assembly(session).id,
            file_name="accounts.pdf",
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            content=b"%PDF-1.4\n",
        )
        session.add(row)
    return row


@factory(Resolution)
def resolution(session: Session, tenant: Tenant) -> Resolution:
    with tenant_scope(session, tenant.id):
        parent_assembly(session)
        row = _resolution_row()
        session.add(row)
    return row


@factory(Ballot)
def ballot(session: Session, tenant: Tenant) -> Ballot:
    with tenant_scope(session, tenant.id):
        row = Ballot(
            resolution_id=parent_resolution(session).id, voter_id=uuid.uuid4(), choice="agree"
        )
        session.add(row)
    return row


@factory(VoteReceipt)
def vote_receipt(session: Session, tenant: Tenant) -> VoteReceipt:
    voter = make_user(session, "Voter")
    with tenant_scope(session, tenant.id):
        row = VoteReceipt(
            resolution_id=parent_resolution(session).id, voter_id=voter.id, cast_by=voter.id
        )
        session.add(row)
    return row


@factory(SessionTally)
def session_tally(session: Session, tenant: Tenant) -> SessionTally:
    with tenant_scope(session, tenant.id):
        parent_assembly(session)
        vote = _resolution_row()
        session.add(vote)
        session.flush()
        row = SessionTally(resolution_id=vote.id, counts={"agree": 3}, present=4)
        session.add(row)
    return row


@factory(Proxy)
def proxy(session: Session, tenant: Tenant) -> Proxy:
    principal, holder = make_user(session, "Principal"), make_user(session, "Holder")
    with tenant_scope(session, tenant.id):
        row = Proxy(
            assembly_id=parent_assembly(session).id, principal_id=principal.id, holder_id=holder.id
        )
        session.add(row)
    return row


@factory(VoteReminder)
def vote_reminder(session: Session, tenant: Tenant) -> VoteReminder:
    with tenant_scope(session, tenant.id):
        row = VoteReminder(resolution_id=parent_resolution(session).id, voter_id=uuid.uuid4())
        session.add(row)
    return row


@factory(Minutes)
def minutes(session: Session, tenant: Tenant) -> Minutes:
    with tenant_scope(session, tenant.id):
        held = _assembly_row()
        session.add(held)
        session.flush()
        row = Minutes(
            assembly_id=held.id,
            signed_by_name="Ann Chair",
            signed_on=date(2026, 6, 13),
            chain_head="0" * 64,
            pdf=b"%PDF-1.4\n",
            sha256="0" * 64,
        )
        session.add(row)
    return row


@factory(Branding)
def branding(session: Session, tenant: Tenant) -> Branding:
    with tenant_scope(session, tenant.id):
        row = Branding(
            valid_from=date(2026, 1, 1),
            display_name="Coop Branding Test",
            primary_colour="#1d2330",
            accent_colour="#0b6e4f",
            logo=b"\x89PNG\r\n\x1a\n",
            logo_media_type="image/png",
            decided_by="tests",
        )
        session.add(row)
    return row


# -- the incubator ------------------------------------------------------------------------

PARENT_PROJECT = uuid.UUID("00000000-0000-4000-8000-00000000a00c")
PARENT_FOUNDER = uuid.UUID("00000000-0000-4000-8000-00000000a00d")
PARENT_STAGE_DECISION = uuid.UUID("00000000-0000-4000-8000-00000000a00e")


def _project_row(row_id: uuid.UUID | None = None) -> IncubatorProject:
    return IncubatorProject(
        id=row_id or uuid.uuid4(),
        name="Bakery in the making",
        slug=unique("bakery"),
        legal_form="SC",
        country="BE",
        currency="EUR",
        locales=["fr_BE"],
    )


def parent_project(session: Session) -> IncubatorProject:
    return _parent(session, IncubatorProject, PARENT_PROJECT, lambda: _project_row(PARENT_PROJECT))  # type: ignore[no-any-return]


def parent_founder(session: Session) -> ProjectFounder:
    parent_project(session)
    return _parent(  # type: ignore[no-any-return]
        session,
        ProjectFounder,
        PARENT_FOUNDER,
        lambda: ProjectFounder(
            id=PARENT_FOUNDER,
            project_id=PARENT_PROJECT,
            name="Ann Founder",
            email="ann.founder@example.org",
            joined_on=date(2026, 1, 5),
        ),
    )


def parent_stage_decision(session: Session) -> StageDecision:
    parent_project(session)
    return _parent(  # type: ignore[no-any-return]
        session,
        StageDecision,
        PARENT_STAGE_DECISION,
        lambda: StageDecision(
            id=PARENT_STAGE_DECISION,
            project_id=PARENT_PROJECT,
            stage=ProjectStage.EXPLORATION,
            opens_at=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC),
            closes_at=dt.datetime(2026, 2, 8, 18, tzinfo=dt.UTC),
        ),
    )


@factory(IncubatorProject)
def incubator_project(session: Session, tenant: Tenant) -> IncubatorProject:
    with tenant_scope(session, tenant.id):
        row = _project_row()
        session.add(row)
    return row


@factory(ProjectFounder)
def project_founder(session: Session, tenant: Tenant) -> ProjectFounder:
    with tenant_scope(session, tenant.id):
        row = ProjectFounder(
            project_id=parent_project(session).id,
            name="Bob Founder",
            email=f"{unique('founder')}@example.org",
            joined_on=date(2026, 1, 5),
        )
        session.add(row)
    return row


@factory(PlannedShareClass)
def planned_share_class(session: Session, tenant: Tenant) -> PlannedShareClass:
    with tenant_scope(session, tenant.id):
        row = PlannedShareClass(
            project_id=parent_project(session).id,
            code=unique("A")[-10:],
            name="Founders' shares",
            nominal=Decimal("100.00"),
        )
        session.add(row)
    return row


@factory(SharePledge)
def share_pledge(session: Session, tenant: Tenant) -> SharePledge:
    with tenant_scope(session, tenant.id):
        row = SharePledge(
            project_id=PARENT_PROJECT,
            founder_id=parent_founder(session).id,
            class_code="A",
            quantity=3,
            pledged_on=date(2026, 2, 1),
        )
        session.add(row)
    return row


@factory(ChecklistItem)
def checklist_item(session: Session, tenant: Tenant) -> ChecklistItem:
    with tenant_scope(session, tenant.id):
        row = ChecklistItem(
            project_id=parent_project(session).id,
            stage=ProjectStage.FEASIBILITY,
            position=random.randrange(1, 2**31),
            label="Study the market",
        )
        session.add(row)
    return row


@factory(ProjectDocument)
def project_document(session: Session, tenant: Tenant) -> ProjectDocument:
    with tenant_scope(session, tenant.id):
        row = ProjectDocument(
            project_id=parent_project(session).id,
            stage=ProjectStage.BUSINESS_PLAN,
            filename="plan.pdf",
            media_type="application/pdf",
            size=9,
            sha256="0" * 64,
            content=b"%PDF-1.4\n",
        )
        session.add(row)
    return row


@factory(StageDecision)
def stage_decision(session: Session, tenant: Tenant) -> StageDecision:
    with tenant_scope(session, tenant.id):
        row = StageDecision(
            project_id=parent_project(session).id,
            stage=ProjectStage.FEASIBILITY,
            opens_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC),
            closes_at=dt.datetime(2026, 3, 8, 18, tzinfo=dt.UTC),
        )
        session.add(row)
    return row


@factory(StageBallot)
def stage_ballot(session: Session, tenant: Tenant) -> StageBallot:
    """A ballot of a new founder on the parent decision (one ballot per founder)."""
    with tenant_scope(session, tenant.id):
        voter = ProjectFounder(
            project_id=parent_project(session).id,
            name="Voting Founder",
            email=f"{unique('voter')}@example.org",
            joined_on=date(2026, 1, 5),
        )
        session.add(voter)
        session.flush()
        row = StageBallot(
            decision_id=parent_stage_decision(session).id,
            founder_id=voter.id,
            choice=StageChoice.GO,
        )
        session.add(row)
    return row


@factory(ProjectStageChange)
def project_stage_change(session: Session, tenant: Tenant) -> ProjectStageChange:
    with tenant_scope(session, tenant.id):
        row = ProjectStageChange(
            project_id=parent_project(session).id,
            from_stage=ProjectStage.EXPLORATION,
            to_stage=ProjectStage.FEASIBILITY,
        )
        session.add(row)
    return row
