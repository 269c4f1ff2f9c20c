"""The guarantee fund's figures on a day, read from the ledger only.

The fund is two accounts of the tenant's books (docs/ledger.md): what it holds,
``guarantee_fund`` (a liability: credits − debits), and what it advanced to
activities on unpaid invoices, ``guarantee_advances`` (an asset: debits −
credits). The entries that move them, by ``kind``:

- ``paid_share``: Cr guarantee_fund, the contribution taken on every payment;
- ``advance``: Dr guarantee_advances (reference ``invoice:<id>``);
- ``advance_repayment``: Cr guarantee_advances (reference ``invoice:<id>``);
- ``advance_write_off``: Dr guarantee_fund, Cr guarantee_advances (the fund absorbs it).

Figures are in the cooperative's currency, for the entries dated up to ``day``
included. The two balances come from the running balances
(coopkit.ledger.balances) less what was posted after ``day``; the flows, the
ages and the clients are grouped in SQL. A reversal has the kind of the entry
it reverses and mirrors its lines, so every sum here nets it out.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import String, case, cast, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from coopkit.invoicing.models import Client, Invoice
from coopkit.ledger.balances import stored_balances
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.ledger.posting import tenant_currency
from coopkit.money import minor_unit

FUND = AccountRole.GUARANTEE_FUND
ADVANCES = AccountRole.GUARANTEE_ADVANCES
CONTRIBUTION = "paid_share"
ADVANCE = "advance"
REPAYMENT = "advance_repayment"
WRITE_OFF = "advance_write_off"
AFTER = "__after__"  # the lines dated after the report's day, grouped apart
# Age buckets, in days since the invoice's advance: (key, first day, last day or None).
AGES = (("0-30", 0, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("over-90", 91, None))
TOP_CLIENTS = 10
RATIO = Decimal("0.01")


@dataclass(frozen=True)
class AgeBucket:
    """The advances still outstanding whose advance is ``first``–``last`` days old."""

    key: str
    first: int
    last: int | None
    invoices: int
    amount: Decimal


@dataclass(frozen=True)
class ClientExposure:
    """What the fund has advanced on a client's invoices and is still waiting for."""

    client_id: uuid.UUID
    name: str
    invoices: int
    amount: Decimal


@dataclass(frozen=True)
class FundReport:
    """The guarantee fund on ``day``, in ``currency``.

    ``balance``: what the fund holds; ``outstanding``: advances not yet repaid
    or absorbed; ``contributions``: all contributions received; ``recoveries``:
    advances repaid; ``write_offs``: advances the fund absorbed.
    """

    day: date
    currency: str
    balance: Decimal
    contributions: Decimal
    outstanding: Decimal
    recoveries: Decimal
    write_offs: Decimal
    by_age: tuple[AgeBucket, ...]
    by_client: tuple[ClientExposure, ...]

    @property
    def free_capacity(self) -> Decimal:
        """What the fund holds beyond what it has advanced: balance − outstanding."""
        return self.balance - self.outstanding

    @property
    def coverage_ratio(self) -> Decimal | None:
        """Balance / outstanding (what the fund holds per unit advanced); None when
        nothing is outstanding. Exact to the Decimal context's 28 digits."""
        return coverage_ratio(self.balance, self.outstanding)


def in_units(amount: Decimal, unit: Decimal) -> Decimal:
    """A ledger sum (kept with four decimals) in the currency's minor unit, never ``-0``.
    Exact: a posted amount never has more decimals than its currency."""
    return amount.quantize(unit) + 0


def coverage_ratio(balance: Decimal, outstanding: Decimal) -> Decimal | None:
    return balance / outstanding if outstanding > 0 else None


def ratio_shown(ratio: Decimal | None) -> Decimal | None:
    """A coverage ratio as shown: two decimals, half-up."""
    return None if ratio is None else ratio.quantize(RATIO, ROUND_HALF_UP)


def fund_accounts(db: Session) -> dict[AccountRole, Account]:
    """The tenant's guarantee_fund and guarantee_advances accounts (absent when not opened)."""
    accounts = db.scalars(select(Account).where(Account.role.in_((FUND, ADVANCES))))
    return {account.role: account for account in accounts}


def fund_lines(accounts: list[Account], currency: str) -> Select[tuple[()]]:
    """``FROM journal_lines JOIN journal_entries`` on ``accounts`` in ``currency``; add columns."""
    return (
        select()
        .select_from(Posting)
        .join(
            JournalEntry,
            (JournalEntry.tenant_id == Posting.tenant_id) & (JournalEntry.id == Posting.entry_id),
        )
        .where(Posting.account_id.in_([a.id for a in accounts]), Posting.currency == currency)
    )


def balances_on(
    db: Session, accounts: dict[AccountRole, Account], currency: str, day: date
) -> dict[AccountRole, Decimal]:
    """The natural balance of each account at the end of ``day``: its running balance
    less the lines dated after ``day`` (usually none or few)."""
    stored = stored_balances(db, [a.id for a in accounts.values()])
    later: dict[uuid.UUID, Decimal] = dict(
        db.execute(
            fund_lines(list(accounts.values()), currency)
            .add_columns(Posting.account_id, func.sum(Posting.amount))
            .where(Posting.entry_id.in_(select(JournalEntry.id).where(JournalEntry.day > day)))
            .where(JournalEntry.day > day)
            .group_by(Posting.account_id)
        ).all()
    )
    return {
        role: account.type.natural(
            stored.get((account.id, currency), Decimal(0)) - later.get(account.id, Decimal(0))
        )
        for role, account in accounts.items()
    }


def fund_report(
    db: Session, *, day: date, currency: str | None = None, top: int = TOP_CLIENTS
) -> FundReport:
    """The guarantee fund of the session's tenant on ``day`` (see the module's docstring)."""
    currency = currency or tenant_currency(db)
    unit = minor_unit(currency)
    zero = Decimal(0).quantize(unit)
    accounts = fund_accounts(db)
    if not accounts:
        return FundReport(day, currency, zero, zero, zero, zero, zero, _empty_ages(zero), ())
    balances = balances_on(db, accounts, currency, day)
    flows = _flows(db, accounts, currency, day)
    advances = accounts.get(ADVANCES)
    ages = _ages(db, advances, currency, day, zero) if advances else _empty_ages(zero)
    clients = _clients(db, advances, currency, day, top) if advances else ()
    return FundReport(
        day=day,
        currency=currency,
        balance=in_units(balances.get(FUND, zero), unit),
        contributions=in_units(-flows.get((FUND, CONTRIBUTION), zero), unit),
        outstanding=in_units(balances.get(ADVANCES, zero), unit),
        recoveries=in_units(-flows.get((ADVANCES, REPAYMENT), zero), unit),
        write_offs=in_units(flows.get((FUND, WRITE_OFF), zero), unit),
        by_age=ages,
        by_client=clients,
    )


def _flows(
    db: Session, accounts: dict[AccountRole, Account], currency: str, day: date
) -> dict[tuple[AccountRole, str], Decimal]:
    """Raw sums (debits − credits) per account role and entry kind, up to ``day``."""
    rows = db.execute(
        fund_lines(list(accounts.values()), currency)
        .add_columns(Posting.account_id, JournalEntry.kind, func.sum(Posting.amount))
        .where(JournalEntry.day <= day, JournalEntry.kind.in_((CONTRIBUTION, REPAYMENT, WRITE_OFF)))
        .group_by(Posting.account_id, JournalEntry.kind)
    ).all()
    roles = {account.id: role for role, account in accounts.items()}
    return {(roles[account], kind): total for account, kind, total in rows}


def outstanding_by_invoice(advances: Account, currency: str, day: date) -> Select[tuple[()]]:
    """One row per reference with advances still outstanding on ``day``: ``reference``,
    ``amount`` (debits − credits on guarantee_advances) and ``since`` (the day of its
    first ``advance`` entry)."""
    first_advance = func.min(case((JournalEntry.kind == ADVANCE, JournalEntry.day)))
    total = func.sum(Posting.amount)
    return (
        fund_lines([advances], currency)
        .add_columns(
            JournalEntry.reference.label("reference"),
            total.label("amount"),
            func.coalesce(first_advance, func.min(JournalEntry.day)).label("since"),
        )
        .where(JournalEntry.day <= day)
        .group_by(JournalEntry.reference)
        .having(total != 0)
    )


def _ages(
    db: Session, advances: Account, currency: str, day: date, zero: Decimal
) -> tuple[AgeBucket, ...]:
    per_invoice = outstanding_by_invoice(advances, currency, day).subquery()
    edges = [(per_invoice.c.since >= day - timedelta(days=last), index)
             for index, (_key, _first, last) in enumerate(AGES) if last is not None]  # fmt: skip
    bucket = case(*edges, else_=len(AGES) - 1)
    rows = db.execute(
        select(bucket, func.count(), func.sum(per_invoice.c.amount)).group_by(bucket)
    ).all()
    found = {index: (count, in_units(amount, zero)) for index, count, amount in rows}
    return tuple(
        AgeBucket(key, first, last, *found.get(index, (0, zero)))
        for index, (key, first, last) in enumerate(AGES)
    )


def _empty_ages(zero: Decimal) -> tuple[AgeBucket, ...]:
    return tuple(AgeBucket(key, first, last, 0, zero) for key, first, last in AGES)


def invoice_of(db: Session, reference: ColumnElement[str | None]) -> ColumnElement[bool]:
    """``reference = 'invoice:<invoices.id>'`` as ``f"invoice:{invoice.id}"`` writes it, in SQL.

    PostgreSQL compares with its uuid cast to the dashed text (a hash join);
    SQLite stores a uuid as 32 hex digits, so the reference loses its prefix and
    dashes instead, and the invoice is found by its primary key.
    """
    if db.get_bind().dialect.name == "postgresql":
        return reference == literal("invoice:") + cast(Invoice.id, String)
    hex_id = func.replace(func.substr(reference, len("invoice:") + 1), "-", "")
    return reference.like("invoice:%") & (Invoice.id == hex_id)


def _clients(
    db: Session, advances: Account, currency: str, day: date, top: int
) -> tuple[ClientExposure, ...]:
    per_invoice = outstanding_by_invoice(advances, currency, day).subquery()
    total = func.sum(per_invoice.c.amount)
    rows = db.execute(
        select(Client.id, Client.name, func.count(), total)
        .select_from(per_invoice)
        .join(Invoice, invoice_of(db, per_invoice.c.reference))
        .join(Client, (Client.tenant_id == Invoice.tenant_id) & (Client.id == Invoice.client_id))
        .group_by(Client.id, Client.name)
        .order_by(total.desc(), Client.name)
        .limit(top)
    ).all()
    unit = minor_unit(currency)
    return tuple(
        ClientExposure(client, name, count, in_units(amount, unit))
        for client, name, count, amount in rows
    )
