"""A stored payslip as pages and documents show it: money with its currency, labels to translate.

Labels stay the engine's English text (the catalog's msgids); templates
translate them with ``_()`` when they are shown, in the reader's language.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.i18n import _
from coopkit.money import Money
from coopkit.payslips.models import Payslip
from coopkit.payslips.service import correction_of
from coopkit.people.models import User

TOTAL_LABELS = (
    ("gross", _("Gross pay")),
    ("employee_contributions", _("Employee contributions")),
    ("net_before_income_tax", _("Net pay before income tax")),
    ("taxable", _("Taxable net pay")),
    ("income_tax_withheld", _("Income tax withheld")),
    ("net_pay", _("Net pay")),
    ("employer_contributions", _("Employer contributions")),
    ("employer_cost", _("Total cost to the employer")),
)
CONTRACT_LABELS = {"cdi": _("permanent (CDI)"), "cdd": _("fixed-term (CDD)")}
CATEGORY_LABELS = {"non-executive": _("non-executive"), "executive": _("executive")}


@dataclass(frozen=True)
class GrossPayView:
    label: str
    amount: Money
    quantity: Decimal | None
    unit_rate: Money | None


@dataclass(frozen=True)
class LineView:
    code: str
    label: str
    base: Money
    employee_rate: Decimal | None
    employee: Money
    employer_rate: Decimal | None
    employer: Money
    parameter: str
    parameter_value: str  # exact, as stored: 0.0855 (a rate), 0.3194 (a maximum)
    source: str


@dataclass(frozen=True)
class TotalView:
    name: str
    label: str
    amount: Money


@dataclass(frozen=True)
class PayslipView:
    """Everything a payslip page or PDF shows, in the payslip's currency."""

    payslip: Payslip
    gross_pay: tuple[GrossPayView, ...]
    lines: tuple[LineView, ...]
    totals: tuple[TotalView, ...]
    ceiling: Money
    issued_by: str
    corrects: Payslip | None
    corrected_by: Payslip | None

    def total(self, name: str) -> Money:
        return next(total.amount for total in self.totals if total.name == name)

    @property
    def contract(self) -> str:
        return CONTRACT_LABELS.get(self.payslip.contract, self.payslip.contract)

    @property
    def category(self) -> str:
        return CATEGORY_LABELS.get(self.payslip.category, self.payslip.category)


@dataclass(frozen=True)
class PayslipRow:
    """A payslip in a list: its month, member, gross and net pay, and whether it was corrected."""

    payslip: Payslip
    corrected_by: uuid.UUID | None
    gross: Money
    net_pay: Money


def payslip_rows(rows: list[tuple[Payslip, uuid.UUID | None]]) -> list[PayslipRow]:
    return [
        PayslipRow(
            payslip,
            corrected_by,
            Money.of(payslip.gross, payslip.currency),
            Money.of(payslip.net_pay, payslip.currency),
        )
        for payslip, corrected_by in rows
    ]


def payslip_view(db: Session, payslip: Payslip) -> PayslipView:
    """The view of ``payslip``, with the payslips it corrects and that correct it."""
    currency = payslip.currency

    def money(amount: Decimal) -> Money:
        return Money.of(amount, currency)

    issuer = db.get(User, payslip.issued_by_id)
    corrects = None
    if payslip.corrects_id is not None:
        corrects = db.scalar(select(Payslip).where(Payslip.id == payslip.corrects_id))
    return PayslipView(
        payslip=payslip,
        gross_pay=tuple(
            GrossPayView(
                g.label,
                money(g.amount),
                g.quantity,
                None if g.unit_rate is None else money(g.unit_rate),
            )
            for g in payslip.gross_items
        ),
        lines=tuple(
            LineView(
                line.code,
                line.label,
                money(line.base),
                line.employee_rate,
                money(line.employee),
                line.employer_rate,
                money(line.employer),
                line.parameter,
                line.parameter_value,
                line.source,
            )
            for line in payslip.line_items
        ),
        totals=tuple(
            TotalView(name, label, money(getattr(payslip, name))) for name, label in TOTAL_LABELS
        ),
        ceiling=money(payslip.ceiling),
        issued_by="" if issuer is None else issuer.name,
        corrects=corrects,
        corrected_by=correction_of(db, payslip),
    )
