"""The guarantee fund's records: advances on invoices, their repayments, written-off invoices.

An :class:`Advance` is what the fund lent an activity on one issued invoice
(at most one per invoice, so an invoice never backs two advances). What is
still outstanding on it is its amount less what payments of that invoice
repaid (:class:`AdvanceRepayment`, at most one per payment) and what the fund
absorbed when the invoice was written off (:class:`InvoiceWriteOff`, at most
one per invoice). Repayments and write-offs are final once written.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount


class Advance(TenantOwned, Base):
    """Money the fund advanced to an activity for a member's salary, backed by one invoice.

    ``entry_id`` is its ``advance`` journal entry (Dr guarantee_advances, Cr
    activity_funds). ``salary_request_id`` names the salary request it paid
    (a plain id: salary requests are kept elsewhere).
    """

    __tablename__ = "guarantee_advances"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id"),
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        ForeignKeyConstraint(
            ["tenant_id", "activity_id"], ["activities.tenant_id", "activities.id"]
        ),
        ForeignKeyConstraint(["tenant_id", "client_id"], ["clients.tenant_id", "clients.id"]),
        Index("ix_guarantee_advances_request", "tenant_id", "salary_request_id"),
        Index("ix_guarantee_advances_member", "tenant_id", "member_id"),
        Index("ix_guarantee_advances_client", "tenant_id", "client_id"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    activity_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    salary_request_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(Amount())
    currency: Mapped[str] = mapped_column(String(3))
    granted_on: Mapped[date] = mapped_column(Date)
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class AdvanceRepayment(AppendOnly, TenantOwned, Base):
    """What one payment of the invoice gave back to the fund on its advance.

    ``amount`` came from the activity's funds (the ``advance_repayment``
    entry ``entry_id``). When the payment settles the invoice and the
    activity cannot repay the last part (rates changed, rounding of
    instalments, money spent), the fund absorbs it: ``absorbed`` with its
    ``advance_write_off`` entry ``absorb_entry_id``.
    """

    final_reason = "a repayment is final; correct the ledger with a new entry"

    __tablename__ = "guarantee_repayments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "payment_id"),
        ForeignKeyConstraint(
            ["tenant_id", "advance_id"], ["guarantee_advances.tenant_id", "guarantee_advances.id"]
        ),
        ForeignKeyConstraint(["tenant_id", "payment_id"], ["payments.tenant_id", "payments.id"]),
        Index("ix_guarantee_repayments_advance", "tenant_id", "advance_id"),
        CheckConstraint("amount >= 0 AND absorbed >= 0", name="amounts_not_negative"),
        CheckConstraint("amount + absorbed > 0", name="moves_something"),
    )

    advance_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    payment_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    amount: Mapped[Decimal] = mapped_column(Amount())
    entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    absorbed: Mapped[Decimal] = mapped_column(Amount(), default=Decimal(0))
    absorb_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    day: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class InvoiceWriteOff(AppendOnly, TenantOwned, Base):
    """An invoice given up as lost: what was still due left the books, once.

    ``due_written_off`` is the amount still due (VAT included) taken off the
    client's receivable (``entry_id``, a ``write_off`` entry);
    ``advance_absorbed`` what the fund absorbed of the invoice's advance
    (``absorb_entry_id``, an ``advance_write_off`` entry), zero if none.
    """

    final_reason = "a write-off is final; record what the client pays later as a new entry"

    __tablename__ = "invoice_write_offs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "invoice_id"),
        ForeignKeyConstraint(["tenant_id", "invoice_id"], ["invoices.tenant_id", "invoices.id"]),
        CheckConstraint("due_written_off > 0", name="due_positive"),
        CheckConstraint("advance_absorbed >= 0", name="absorbed_not_negative"),
    )

    invoice_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(1000))
    due_written_off: Mapped[Decimal] = mapped_column(Amount())
    vat_written_off: Mapped[Decimal] = mapped_column(Amount())
    advance_absorbed: Mapped[Decimal] = mapped_column(Amount(), default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3))
    entry_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    absorb_entry_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    written_off_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), default=None
    )
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
