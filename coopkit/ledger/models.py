"""The ledger's tables: accounts, journal entries and their lines.

Every table is tenant-owned. Entries and lines are append-only
(coopkit.db.append_only): once posted they are never changed, a correction is
a reversing entry. The lines are the only source of truth; ``account_balances``
keeps each account's running total, written in the same transaction as every
posting and checked against the sum of the lines (coopkit.ledger.balances).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column
from coopkit.ledger.chart import AccountRole, AccountType


class Account(TenantOwned, Base):
    """An account of the tenant's books: the chart's account for a role, or an
    activity's sub-account of a role split by activity.

    An account of a role split by activity with no ``activity_id`` is the
    chart's header: it holds no lines, each activity's sub-account does.
    """

    __tablename__ = "ledger_accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        UniqueConstraint("tenant_id", "role", "activity_id"),
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"],
            ["activities.tenant_id", "activities.id"],
            ondelete="RESTRICT",
        ),
        Index("ix_ledger_accounts_activity", "tenant_id", "activity_id"),
    )

    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[AccountType] = mapped_column(enum_column(AccountType))
    role: Mapped[AccountRole] = mapped_column(enum_column(AccountRole, 40))
    may_be_negative: Mapped[bool] = mapped_column(Boolean)
    per_activity: Mapped[bool] = mapped_column(Boolean)
    activity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    source: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_header(self) -> bool:
        return self.per_activity and self.activity_id is None

    def __repr__(self) -> str:
        return f"<Account {self.number} {self.role.value}>"


class JournalEntry(AppendOnly, TenantOwned, Base):
    """One balanced movement of money: its lines sum to zero in each currency.

    ``kind`` names the business event (``invoice``, ``payment``, ``paid_share``,
    ``credit_note``, ``expense``, ``reservation``…); ``reference`` points at what
    caused it (``invoice:<id>``); ``reverses`` is the entry this one cancels.
    """

    final_reason = "reverse it with a new entry instead"

    __tablename__ = "journal_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "reverses_id"),
        ForeignKeyConstraint(
            ["tenant_id", "reverses_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        Index("ix_journal_entries_reference", "tenant_id", "reference"),
        Index("ix_journal_entries_day", "tenant_id", "day"),
        Index("ix_journal_entries_sequence", "tenant_id", "sequence", unique=True),
    )

    # Posting order: increasing in the order entries were posted (a per-tenant
    # count on SQLite, one database sequence on PostgreSQL), so exports can
    # number entries without gaps and always in the same order.
    sequence: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(500))
    reference: Mapped[str | None] = mapped_column(String(200))
    reverses_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    posted_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Posting(AppendOnly, TenantOwned, Base):
    """One line of a journal entry: a signed amount on one account (debit > 0, credit < 0)."""

    final_reason = "reverse its entry with a new entry instead"

    __tablename__ = "journal_lines"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        ForeignKeyConstraint(
            ["tenant_id", "entry_id"],
            ["journal_entries.tenant_id", "journal_entries.id"],
            ondelete="RESTRICT",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            ondelete="RESTRICT",
        ),
        Index("ix_journal_lines_entry", "tenant_id", "entry_id"),
        # The balance of an account is an index-only range sum over this index.
        Index("ix_journal_lines_balance", "tenant_id", "account_id", "currency", "amount"),
    )

    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))


class AccountBalance(TenantOwned, Base):
    """The running total of one account in one currency: the sum of its lines.

    Derived data, never the source of truth: every posting adds its lines here
    in the same transaction (coopkit.ledger.posting), ``coopkit ledger check``
    compares it with the lines, ``coopkit ledger rebuild-balances`` recomputes it.
    """

    __tablename__ = "account_balances"
    __table_args__ = (
        UniqueConstraint("tenant_id", "account_id", "currency"),
        ForeignKeyConstraint(
            ["tenant_id", "account_id"],
            ["ledger_accounts.tenant_id", "ledger_accounts.id"],
            ondelete="RESTRICT",
        ),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    currency: Mapped[str] = mapped_column(String(3))
    balance: Mapped[Decimal] = mapped_column(Amount())  # debits minus credits
    line_count: Mapped[int] = mapped_column(BigInteger)
