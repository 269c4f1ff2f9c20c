"""Schemas of the guarantee fund's API (getGuaranteeFund); amounts are exact decimals."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import msgspec


class FundAgeOut(msgspec.Struct):
    """Advances outstanding whose advance is ``first``–``last`` days old (``last`` null: more)."""

    key: str
    first: int
    last: int | None
    invoices: int
    amount: Decimal


class FundClientOut(msgspec.Struct):
    client_id: uuid.UUID
    name: str
    invoices: int
    amount: Decimal


class FundReportOut(msgspec.Struct):
    """The staff's figures (docs/guarantee-fund.md)."""

    contributions: Decimal
    recoveries: Decimal
    write_offs: Decimal
    free_capacity: Decimal
    by_age: list[FundAgeOut]
    top_clients: list[FundClientOut]


class FundPointOut(msgspec.Struct):
    day: date
    balance: Decimal
    outstanding: Decimal


class StressMonthOut(msgspec.Struct):
    month: int
    contributions: Decimal
    new_advances: Decimal
    defaults: Decimal
    balance: Decimal
    outstanding: Decimal
    free_capacity: Decimal


class StressOut(msgspec.Struct):
    """``months``: how long the balance stays at or above ``floor`` (null: beyond 120)."""

    rate: Decimal
    floor: Decimal
    monthly_contributions: Decimal
    monthly_advances: Decimal
    months: int | None
    path: list[StressMonthOut]


class GuaranteeFundOut(msgspec.Struct):
    """The fund on ``day``. Members get the summary only: ``report``, ``history`` and
    ``stress`` are null for them. ``coverage_ratio``: balance / outstanding, two decimals,
    null when nothing is outstanding."""

    day: date
    currency: str
    balance: Decimal
    outstanding: Decimal
    coverage_ratio: Decimal | None
    report: FundReportOut | None = None
    history: list[FundPointOut] | None = None
    stress: StressOut | None = None
