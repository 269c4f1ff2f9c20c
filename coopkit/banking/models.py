"""Bank statements and their lines, as imported.

A :class:`BankStatement` is one file as the bank sent it (CAMT.053) or as staff
exported it (CSV): its account, period, balances and the SHA-256 of its bytes,
which with the bank's statement id makes a second import of the same statement
impossible. Each of its :class:`BankLine` rows is one movement of money;
credits are payments from clients, matched to invoices when possible; the
others wait in the staff queue (``unmatched``, with the reason) or were set
aside (``ignored``, with the reason).
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, enum_column


class StatementFormat(enum.StrEnum):
    CAMT053 = "camt053"
    CSV = "csv"


class LineStatus(enum.StrEnum):
    """Where a bank line stands: paid an invoice, waits for staff, or was set aside."""

    MATCHED = "matched"
    UNMATCHED = "unmatched"
    IGNORED = "ignored"


class BankStatement(TenantOwned, Base):
    """One imported bank statement file.

    ``statement_ref`` is the bank's id of the statement (CAMT ``Stmt/Id``) and
    ``sequence`` its electronic sequence number (``ElctrncSeqNb``); a CSV file
    has neither, and no balances. ``file_sha256`` identifies the file's bytes.
    """

    __tablename__ = "bank_statements"
    __table_args__ = (
        UniqueConstraint("tenant_id", "file_sha256"),
        UniqueConstraint("tenant_id", "account_iban", "statement_ref"),
    )

    source_format: Mapped[StatementFormat] = mapped_column(enum_column(StatementFormat))
    account_iban: Mapped[str] = mapped_column(String(34), default="")
    statement_ref: Mapped[str | None] = mapped_column(String(35), default=None)
    sequence: Mapped[str] = mapped_column(String(35), default="")
    currency: Mapped[str] = mapped_column(String(3))
    period_from: Mapped[date | None] = mapped_column(Date, default=None)
    period_to: Mapped[date | None] = mapped_column(Date, default=None)
    opening_balance: Mapped[Decimal | None] = mapped_column(Amount, default=None)
    closing_balance: Mapped[Decimal | None] = mapped_column(Amount, default=None)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class BankLine(TenantOwned, Base):
    """One movement on a statement: ``amount`` is positive for a credit, negative for a debit.

    ``structured_reference`` is the payment reference in compact form (the 12
    digits of a Belgian structured communication, or an ISO 11649 ``RF…``
    reference), from the structured remittance information or found in the
    free text. ``bank_reference`` is the bank's own reference of the movement.
    A matched line names the payment it became; a line that waits or was
    ignored says why in ``reason``.
    """

    __tablename__ = "bank_lines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "statement_id", "position"),
        ForeignKeyConstraint(
            ["tenant_id", "statement_id"], ["bank_statements.tenant_id", "bank_statements.id"]
        ),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        Index("ix_bank_lines_queue", "tenant_id", "status", "booking_date"),
        Index("ix_bank_lines_counterparty_iban", "tenant_id", "counterparty_iban"),
    )

    statement_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    booking_date: Mapped[date] = mapped_column(Date)
    value_date: Mapped[date | None] = mapped_column(Date, default=None)
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    counterparty_name: Mapped[str] = mapped_column(String(140), default="")
    counterparty_iban: Mapped[str] = mapped_column(String(34), default="")
    remittance: Mapped[str] = mapped_column(Text, default="")
    structured_reference: Mapped[str | None] = mapped_column(String(35), default=None)
    bank_reference: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[LineStatus] = mapped_column(enum_column(LineStatus))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_credit(self) -> bool:
        return self.amount > 0
