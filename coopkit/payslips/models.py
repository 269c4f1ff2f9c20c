"""A stored payslip: what was paid, computed how, under which law; final once issued."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import Amount, Rate

TOTALS = (
    "gross",
    "employee_contributions",
    "net_before_income_tax",
    "taxable",
    "income_tax_withheld",
    "net_pay",
    "employer_contributions",
    "employer_cost",
)
# A payslip issued for a salary request is one contract of the month among possibly several:
# the one-original-per-month rule is for monthly payslips only.
ORIGINALS_ONLY = text("corrects_id IS NULL AND salary_request_id IS NULL")


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass(frozen=True)
class PayslipLine:
    """One contribution, reduction or tax line as it was computed and stored.

    ``parameter`` names the legal value the line rests on, ``parameter_value``
    is that value as it stood for the month (a rate, or the coefficient's
    maximum of a reduction) and ``source`` its legal reference. ``label`` is
    the engine's English text: translate it where it is shown.
    """

    code: str
    label: str
    base: Decimal
    employee_rate: Decimal | None
    employer_rate: Decimal | None
    employee: Decimal
    employer: Decimal
    parameter: str
    parameter_value: str
    source: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PayslipLine:
        return cls(
            code=data["code"],
            label=data["label"],
            base=Decimal(data["base"]),
            employee_rate=_decimal(data["employee_rate"]),
            employer_rate=_decimal(data["employer_rate"]),
            employee=Decimal(data["employee"]),
            employer=Decimal(data["employer"]),
            parameter=data["parameter"],
            parameter_value=data["parameter_value"],
            source=data["source"],
        )


@dataclass(frozen=True)
class GrossPay:
    """One element of gross pay as it was given (salary, hours × rate, bonus)."""

    code: str
    label: str
    amount: Decimal
    quantity: Decimal | None
    unit_rate: Decimal | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GrossPay:
        return cls(
            code=data["code"],
            label=data["label"],
            amount=Decimal(data["amount"]),
            quantity=_decimal(data["quantity"]),
            unit_rate=_decimal(data["unit_rate"]),
        )


class Payslip(AppendOnly, TenantOwned, Base):
    """A member's payslip for one month, stored with the inputs and every line computed.

    Issued in one transaction and final from then on (see coopkit.db.append_only):
    a mistake is fixed by a new payslip whose ``corrects_id`` names this one.
    Each payslip is corrected at most once, so corrections form a chain; only
    one monthly payslip per member and month is an original. A payslip issued
    for a salary request (``salary_request_id``, one work period: a member may
    have several in a month) is outside that rule, and there is one per request.
    """

    __tablename__ = "payslips"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "corrects_id"],
            ["payslips.tenant_id", "payslips.id"],
            ondelete="RESTRICT",
        ),
        UniqueConstraint("tenant_id", "corrects_id"),
        Index("ix_payslips_one_per_salary_request", "tenant_id", "salary_request_id", unique=True),
        Index(
            "ix_payslips_one_original_per_member_and_month",
            "tenant_id",
            "user_id",
            "month",
            unique=True,
            sqlite_where=ORIGINALS_ONLY,
            postgresql_where=ORIGINALS_ONLY,
        ),
    )
    final_reason = "issue a correction instead (a new payslip that corrects it)"

    # The member, as they were named when the payslip was issued.
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    member_name: Mapped[str] = mapped_column(String(200))
    month: Mapped[dt.date] = mapped_column(Date)
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))

    # The inputs.
    gross_pay: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    hours: Mapped[Decimal | None] = mapped_column(Rate())
    contract: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    employees: Mapped[int] = mapped_column(Integer)
    accident_rate: Mapped[Decimal] = mapped_column(Rate())
    options: Mapped[dict[str, str]] = mapped_column(JSON)
    tax_rate: Mapped[Decimal | None] = mapped_column(Rate())

    # What the law made of them.
    ceiling: Mapped[Decimal] = mapped_column(Amount())
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    gross: Mapped[Decimal] = mapped_column(Amount())
    employee_contributions: Mapped[Decimal] = mapped_column(Amount())
    net_before_income_tax: Mapped[Decimal] = mapped_column(Amount())
    taxable: Mapped[Decimal] = mapped_column(Amount())
    income_tax_withheld: Mapped[Decimal] = mapped_column(Amount())
    net_pay: Mapped[Decimal] = mapped_column(Amount())
    employer_contributions: Mapped[Decimal] = mapped_column(Amount())
    employer_cost: Mapped[Decimal] = mapped_column(Amount())

    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    salary_request_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)

    @property
    def line_items(self) -> tuple[PayslipLine, ...]:
        return tuple(PayslipLine.from_json(line) for line in self.lines)

    @property
    def gross_items(self) -> tuple[GrossPay, ...]:
        return tuple(GrossPay.from_json(line) for line in self.gross_pay)

    @property
    def reference(self) -> str:
        """A short reference to quote: the month and the start of the id."""
        return f"{self.month:%Y-%m}-{self.id.hex[:8]}"

    def totals(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in TOTALS}
