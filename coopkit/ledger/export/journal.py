"""The general journal as CSV: one row per line of every entry of a period.

RFC 4180 (the ``csv`` module: comma, double quotes, CRLF), UTF-8. Amounts are
exact decimals with a point and the currency's decimals, the other side
``0.00``. Rows come by day, then posting order, debits before credits.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from coopkit.ledger.export.lines import JournalLine, check_period, period_lines
from coopkit.money import minor_unit

HEADER = (
    "entry_number",
    "entry_id",
    "day",
    "kind",
    "description",
    "reference",
    "account_number",
    "account_name",
    "activity_code",
    "debit",
    "credit",
    "currency",
)
ROWS_PER_CHUNK = 1_000


def journal_csv(db: Session, start: date, end: date) -> Iterator[str]:
    """The general journal of ``start`` to ``end`` (inclusive) as CSV text, chunk by chunk."""
    check_period(start, end)
    return _chunks(period_lines(db, start, end))


def _chunks(lines: Iterator[JournalLine]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF, quotes doubled
    writer.writerow(HEADER)
    for count, line in enumerate(lines, start=1):
        writer.writerow(_row(line))
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _row(line: JournalLine) -> tuple[object, ...]:
    unit = minor_unit(line.currency)
    zero = Decimal(0).quantize(unit)
    amount = line.amount.quantize(unit)
    return (
        line.sequence,
        line.entry_id,
        line.day.isoformat(),
        line.kind,
        line.description,
        line.reference or "",
        line.account_number,
        line.account_name,
        line.activity_code or "",
        f"{amount if amount > 0 else zero:f}",
        f"{-amount if amount < 0 else zero:f}",
        line.currency,
    )
