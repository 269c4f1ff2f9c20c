"""Expense claims: VAT recovered per category and day, receipts, four eyes, money, audit."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import ActivityMember, ActivityRole
from coopkit.activities.service import activity_balance
from coopkit.audit.models import AuditEvent
from coopkit.db.tenancy import set_tenant
from coopkit.demo_receipts import receipt_pdf, receipt_png
from coopkit.expenses.errors import (
    ExpenseConflict,
    ExpenseError,
    ExpenseForbidden,
    ExpenseHeld,
    NotEnoughMoney,
)
from coopkit.expenses.models import ExpenseStatus
from coopkit.expenses.queries import get_expense, list_expenses, receipt_file, receipts_of
from coopkit.expenses.receipts import MAX_RECEIPT_BYTES, ReceiptFile
from coopkit.expenses.service import (
    ExpenseRequest,
    approve_expense,
    hold_expense,
    reject_expense,
    submit_expense,
)
from coopkit.ledger.chart import AccountRole as R
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.ledger.posting import credit, debit, lines_of, post
from coopkit.people.models import Role
from coopkit.people.service import add_membership
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from tests.conftest import Database
from tests.factories import make_user
from tests.ledger_world import Books, fund, open_cooperative

DAY = date(2026, 3, 2)
PNG = ReceiptFile("ticket.png", receipt_png())


@dataclass
class World:
    books: Books
    tenant: Tenant
    staff: uuid.UUID
    other_staff: uuid.UUID
    session: Session


@pytest.fixture(params=["BE", "FR"])
def world(request: pytest.FixtureRequest, db: Database, plugins: PluginHost) -> Iterator[World]:
    books = open_cooperative(db, plugins, country=request.param)
    session = books.session(db)
    tenant = session.get(Tenant, books.tenant_id)
    assert tenant is not None
    staff, other = make_user(session, "Staff One"), make_user(session, "Staff Two")
    add_membership(session, tenant, staff, Role.STAFF)
    add_membership(session, tenant, other, Role.STAFF)
    set_tenant(session, tenant.id, books.manager)
    fund(session, books.activities["SOLO"], "500.00")
    yield World(books, tenant, staff.id, other.id, session)
    session.rollback()
    session.close()


def claim(world: World, plugins: PluginHost, **changes: object) -> ExpenseRequest:
    base = ExpenseRequest(
        activity_id=world.books.activities["SOLO"],
        day=DAY,
        supplier="Papeterie du Centre",
        description="Printer paper",
        category="general",
        net=Decimal("100.00"),
        vat_rate="standard",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def submit(world: World, plugins: PluginHost, request: ExpenseRequest, by: uuid.UUID | None = None):  # type: ignore[no-untyped-def]
    return submit_expense(
        world.session,
        plugins,
        world.tenant,
        request,
        [PNG],
        by or world.books.manager,
        today=date(2026, 11, 1),
    )


STANDARD = {"BE": Decimal("0.21"), "FR": Decimal("0.20")}


def test_a_general_expense_recovers_all_its_vat(world: World, plugins: PluginHost) -> None:
    made = submit(world, plugins, claim(world, plugins))
    rate = STANDARD[world.tenant.country]
    assert made.vat == (Decimal("100.00") * rate).quantize(Decimal("0.01"))
    assert made.gross == made.net + made.vat
    assert made.recoverable_vat == made.vat
    assert made.status is ExpenseStatus.SUBMITTED
    assert "45" in made.vat_source or "271" in made.vat_source


@pytest.mark.parametrize(
    ("country", "category", "net", "rate", "recoverable"),
    [
        ("BE", "passenger_car", "80.00", "standard", "8.40"),  # 50 % of 16.80
        ("BE", "meals_and_lodging", "100.00", "intermediate", "0.00"),
        ("BE", "meals_and_lodging_on_assignment", "100.00", "intermediate", "12.00"),
        ("BE", "reception", "100.00", "standard", "0.00"),
        ("BE", "business_gift", "49.99", "standard", "10.50"),
        ("BE", "business_gift", "50.00", "standard", "0.00"),  # not under 50 excl. VAT
        ("FR", "lodging", "100.00", "intermediate", "0.00"),
        ("FR", "meals", "100.00", "intermediate", "10.00"),
        ("FR", "fuel_passenger_car", "50.00", "standard", "8.00"),  # 80 % of 10.00
        ("FR", "passenger_transport", "40.00", "intermediate", "0.00"),
        ("FR", "gift", "60.83", "standard", "12.17"),  # 73.00 VAT included: at the limit
        ("FR", "gift", "60.84", "standard", "0.00"),  # 73.01: above it
    ],
)
def test_vat_recovered_by_category(
    db: Database,
    plugins: PluginHost,
    country: str,
    category: str,
    net: str,
    rate: str,
    recoverable: str,
) -> None:
    books = open_cooperative(db, plugins, country=country)
    with books.session(db) as session:
        fund(session, books.activities["SOLO"], "500.00")
        tenant = session.get(Tenant, books.tenant_id)
        assert tenant is not None
        request = ExpenseRequest(
            books.activities["SOLO"], DAY, "Supplier", "Expense", category, Decimal(net), rate
        )
        made = submit_expense(session, plugins, tenant, request, [PNG], books.manager)
        assert made.recoverable_vat == Decimal(recoverable)
        session.rollback()


def test_the_rule_of_the_expenses_day_applies(plugins: PluginHost) -> None:
    """French gifts: 69 EUR VAT included until 2020, 73 EUR from 2021 (CGI ann. IV 28-00 A)."""

    def gift(day: date) -> Decimal | None:
        found = {c.code: c for c in plugins.expense_categories("FR", day)}["gift"]
        return found.max_gross

    assert gift(date(2020, 12, 31)) == Decimal("69")
    assert gift(date(2021, 1, 1)) == Decimal("73")
    fuel = {c.code for c in plugins.expense_categories("FR", date(2021, 6, 1))}
    assert "fuel_passenger_car" in fuel
    assert "fuel_utility_vehicle" not in fuel
    assert "fuel_utility_vehicle" in {c.code for c in plugins.expense_categories("FR", DAY)}


def test_no_vat_on_the_receipt(world: World, plugins: PluginHost) -> None:
    made = submit(world, plugins, claim(world, plugins, vat_rate=None))
    assert (made.vat, made.recoverable_vat, made.gross) == (Decimal("0.00"),) * 2 + (
        Decimal("100.00"),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "yacht"}, "category"),
        ({"vat_rate": "luxury"}, "vat_rate"),
        ({"net": Decimal("0")}, "net"),
        ({"net": Decimal("-5")}, "net"),
        ({"net": Decimal("10.001")}, "net"),
        ({"supplier": "  "}, "supplier"),
        ({"description": "x" * 501}, "description"),
        ({"currency": "USD"}, "currency"),
        ({"day": date(2026, 11, 2)}, "day"),
        ({"day": date(2007, 12, 31)}, "day"),
    ],
)
def test_bad_input_names_the_field(
    world: World, plugins: PluginHost, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ExpenseError) as refused:
        submit(world, plugins, claim(world, plugins, **changes))
    assert refused.value.field == field


def test_a_claim_above_the_available_money_is_refused_with_both_amounts(
    world: World, plugins: PluginHost
) -> None:
    with pytest.raises(NotEnoughMoney) as refused:
        submit(world, plugins, claim(world, plugins, net=Decimal("450.00")))
    assert refused.value.available == Decimal("500.00")
    assert "500.00" in str(refused.value)
    assert str(refused.value.gross) in str(refused.value)


def test_only_people_of_the_activity_claim_on_it(world: World, plugins: PluginHost) -> None:
    with pytest.raises(ExpenseForbidden):
        submit(world, plugins, claim(world, plugins), by=world.staff)


def test_receipts_are_checked_by_their_content(world: World, plugins: PluginHost) -> None:
    request = claim(world, plugins)

    def with_files(*files: ReceiptFile) -> object:
        return submit_expense(
            world.session, plugins, world.tenant, request, list(files), world.books.manager
        )

    with pytest.raises(ExpenseError, match="at least one receipt"):
        with_files()
    with pytest.raises(ExpenseError, match="must be a PDF, JPEG or PNG") as gif:
        with_files(ReceiptFile("ticket.png", b"GIF89a" + b"\0" * 40))
    assert gif.value.field == "receipts[0]"
    with pytest.raises(ExpenseError, match="must be a PDF, JPEG or PNG"):
        with_files(PNG, ReceiptFile("invoice.pdf", b"<html>not a pdf</html>"))
    with pytest.raises(ExpenseError, match="is empty"):
        with_files(ReceiptFile("empty.pdf", b""))
    too_big = ReceiptFile("scan.pdf", b"%PDF-1.4\n" + b"0" * MAX_RECEIPT_BYTES)
    with pytest.raises(ExpenseError, match="at most 10 MB"):
        with_files(too_big)
    # The name lies, the content decides: a PDF called .jpg is stored as a PDF.
    pdf = ReceiptFile("C:\\Users\\me\\photo.jpg", receipt_pdf(["Total 121.00"]))
    made = with_files(PNG, pdf)
    stored = receipts_of(world.session, made)  # type: ignore[arg-type]
    assert [(r.file_name, r.content_type) for r in stored] == [
        ("ticket.png", "image/png"),
        ("photo.jpg", "application/pdf"),
    ]
    assert receipt_file(world.session, made, stored[1].id).content == pdf.content  # type: ignore[arg-type]


def _lines(session: Session, entry_id: uuid.UUID) -> dict[tuple[R, bool], Decimal]:
    rows = session.execute(
        select(Account.role, Account.activity_id, Posting.amount)
        .join(Posting, Posting.account_id == Account.id)
        .where(Posting.entry_id == entry_id)
    ).all()
    return {(role, activity is not None): amount for role, activity, amount in rows}


def test_approval_posts_the_claim(world: World, plugins: PluginHost) -> None:
    made = submit(world, plugins, claim(world, plugins, category="passenger_car"))
    approved = approve_expense(world.session, made.id, world.staff, day=DAY)
    assert approved.status is ExpenseStatus.APPROVED
    assert approved.decided_by_id == world.staff
    assert approved.decided_at is not None
    assert approved.entry_id is not None
    lines = _lines(world.session, approved.entry_id)
    charged = made.gross - made.recoverable_vat
    assert lines[R.ACTIVITY_FUNDS, True] == charged
    assert lines[R.EXPENSE_CLAIMS_PAYABLE, False] == -made.gross
    if made.recoverable_vat:
        assert lines[R.VAT_DEDUCTIBLE, False] == made.recoverable_vat
    else:
        assert (R.VAT_DEDUCTIBLE, False) not in lines
    balance = activity_balance(world.session, world.books.activities["SOLO"])
    assert balance.available == Decimal("500.00") - charged
    actions = world.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions[-2:] == ["expense.submitted", "expense.approved"]


def test_four_eyes(world: World, plugins: PluginHost) -> None:
    # A member of staff who also works in the activity submits: another must decide.
    world.session.add(
        ActivityMember(
            activity_id=world.books.activities["SOLO"],
            user_id=world.staff,
            role=ActivityRole.MEMBER,
        )
    )
    made = submit(world, plugins, claim(world, plugins), by=world.staff)
    with pytest.raises(ExpenseForbidden, match="only the cooperative's staff"):
        approve_expense(world.session, made.id, world.books.manager)
    with pytest.raises(ExpenseForbidden, match="four eyes"):
        approve_expense(world.session, made.id, world.staff)
    with pytest.raises(ExpenseForbidden, match="four eyes"):
        reject_expense(world.session, made.id, world.staff, "Not mine to judge")
    assert get_expense(world.session, made.id).status is ExpenseStatus.SUBMITTED
    approve_expense(world.session, made.id, world.other_staff)
    with pytest.raises(ExpenseConflict, match="approved already"):
        approve_expense(world.session, made.id, world.other_staff)


def test_a_claim_the_activity_can_no_longer_pay_stays_submitted(
    world: World, plugins: PluginHost
) -> None:
    made = submit(world, plugins, claim(world, plugins, net=Decimal("300.00")))
    # Meanwhile the activity spends its money on a salary.
    post(
        world.session,
        kind="salary",
        description="Salary",
        day=DAY,
        lines=[
            debit(R.ACTIVITY_FUNDS, Decimal("400.00"), world.books.activities["SOLO"]),
            credit(R.SALARIES_PAYABLE, Decimal("400.00")),
        ],
    )
    with pytest.raises(ExpenseHeld) as held:
        approve_expense(world.session, made.id, world.staff)
    assert "stays submitted" in str(held.value)
    assert "SOLO" in str(held.value)
    hold_expense(world.session, held.value.claim_id, str(held.value))
    again = get_expense(world.session, made.id)
    assert again.status is ExpenseStatus.SUBMITTED
    assert again.entry_id is None
    assert again.held_reason == str(held.value)


def test_rejection_needs_a_reason(world: World, plugins: PluginHost) -> None:
    made = submit(world, plugins, claim(world, plugins))
    with pytest.raises(ExpenseError, match="say why") as refused:
        reject_expense(world.session, made.id, world.staff, "   ")
    assert refused.value.field == "reason"
    rejected = reject_expense(world.session, made.id, world.staff, "No receipt  in the coop's name")
    assert rejected.status is ExpenseStatus.REJECTED
    assert rejected.rejection_reason == "No receipt in the coop's name"
    assert rejected.entry_id is None
    assert activity_balance(world.session, made.activity_id).available == Decimal("500.00")


def test_members_see_the_claims_of_their_activities_only(world: World, plugins: PluginHost) -> None:
    fund(world.session, world.books.activities["SHARED"], "100.00")
    solo = submit(world, plugins, claim(world, plugins))
    shared = submit(
        world,
        plugins,
        claim(world, plugins, activity_id=world.books.activities["SHARED"], net=Decimal("10")),
        by=world.books.member,
    )
    assert {c.id for c in list_expenses(world.session, world.books.member)} == {shared.id}
    assert {c.id for c in list_expenses(world.session, world.books.manager)} == {solo.id, shared.id}
    assert [c.id for c in list_expenses(world.session, None, oldest_first=True)] == [
        solo.id,
        shared.id,
    ]
    with pytest.raises(LookupError):
        get_expense(world.session, solo.id, visible_to=world.books.member)
    reject_expense(world.session, solo.id, world.staff, "Duplicate")
    queue = list_expenses(world.session, None, ExpenseStatus.SUBMITTED)
    assert [c.id for c in queue] == [shared.id]


def test_lines_of_an_approved_claim_balance(world: World, plugins: PluginHost) -> None:
    made = submit(world, plugins, claim(world, plugins, category="general"))
    approved = approve_expense(world.session, made.id, world.staff)
    entry = world.session.get(JournalEntry, (world.tenant.id, approved.entry_id))
    assert entry is not None
    assert entry.kind == "expense"
    assert entry.reference == f"expense:{made.id}"
    assert sum(line.amount for line in lines_of(world.session, entry)) == 0
