"""What a parser reads out of a bank statement file, before anything is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from coopkit.banking.models import StatementFormat


class StatementError(ValueError):
    """A statement file that cannot be imported; the message names what is wrong and where."""


class DuplicateStatement(StatementError):
    """The same file, or the same statement of the same account, was imported already."""


@dataclass(frozen=True)
class ParsedLine:
    """One movement: ``amount`` positive for a credit, negative for a debit."""

    booking_date: date
    amount: Decimal
    currency: str
    value_date: date | None = None
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""
    structured_reference: str | None = None
    bank_reference: str = ""


@dataclass(frozen=True)
class ParsedStatement:
    """A whole statement; CSV files have no statement id, sequence or balances."""

    source_format: StatementFormat
    currency: str
    lines: list[ParsedLine] = field(default_factory=list)
    account_iban: str = ""
    statement_ref: str | None = None
    sequence: str = ""
    period_from: date | None = None
    period_to: date | None = None
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None

    @property
    def credits(self) -> list[ParsedLine]:
        return [line for line in self.lines if line.amount > 0]
