"""Document numbers: one gapless series per tenant, document kind and year.

:func:`next_number` is called inside the transaction that issues the
document. It creates the year's series on first use, then takes the series
row with a row lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite lets one
writer at a time), increments it and formats the number. A transaction that
fails after taking a number rolls the increment back with everything else,
so a number is never lost and never given twice.
"""

from __future__ import annotations

import string

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.invoicing.models import DocumentKind, InvoiceSeries

DEFAULT_PREFIXES = {
    DocumentKind.INVOICE: "INV",
    DocumentKind.CREDIT_NOTE: "CN",
    DocumentKind.QUOTE: "Q",
}
DEFAULT_PATTERN = "{prefix}{year}-{number:05d}"
FIELDS = {"prefix", "year", "number"}


class NumberingError(ValueError):
    """A series that cannot be set up or used as asked."""


def check_pattern(pattern: str) -> str:
    """Refuse a pattern that could give two documents the same number."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        raise NumberingError(f"pattern {pattern!r}: {error}") from None
    if "number" not in names:
        raise NumberingError(f"pattern {pattern!r} must contain {{number}}")
    if unknown := names - FIELDS:
        raise NumberingError(
            f"pattern {pattern!r}: unknown field(s) {sorted(unknown)}; use {sorted(FIELDS)}"
        )
    sample = pattern.format(prefix="X", year=2026, number=1)
    if len(sample) > 30:
        raise NumberingError(f"pattern {pattern!r} gives numbers longer than 30 characters")
    return pattern


def format_number(series: InvoiceSeries, number: int) -> str:
    return series.pattern.format(prefix=series.prefix, year=series.year, number=number)


def series_for(db: Session, kind: DocumentKind, year: int, *, lock: bool = False) -> InvoiceSeries:
    """The tenant's series of ``kind`` for ``year``, created with the defaults if missing."""
    query = select(InvoiceSeries).where(InvoiceSeries.kind == kind, InvoiceSeries.year == year)
    if lock:
        # The lock waits for the last holder's commit; populate_existing makes the session
        # read the number it left, not the copy it kept from an earlier transaction.
        query = query.with_for_update().execution_options(populate_existing=True)
    found = db.scalar(query)
    if found is not None:
        return found
    previous = db.scalar(
        select(InvoiceSeries)
        .where(InvoiceSeries.kind == kind, InvoiceSeries.year < year)
        .order_by(InvoiceSeries.year.desc())
        .limit(1)
    )
    series = InvoiceSeries(
        kind=kind,
        year=year,
        prefix=previous.prefix if previous else DEFAULT_PREFIXES[kind],
        pattern=previous.pattern if previous else DEFAULT_PATTERN,
        last_number=0,
    )
    savepoint = db.begin_nested()
    try:
        db.add(series)
        db.flush()
    except IntegrityError:
        # Another transaction created the year's series meanwhile: use theirs.
        savepoint.rollback()
        return series_for(db, kind, year, lock=lock)
    savepoint.commit()
    return series


def next_number(db: Session, kind: DocumentKind, year: int) -> str:
    """Take the next number of the series, under a row lock held until commit."""
    return take_number(db, kind, year)[0]


def take_number(db: Session, kind: DocumentKind, year: int) -> tuple[str, int]:
    """Like :func:`next_number`, with the plain sequence number too (1, 2, …)."""
    series = series_for(db, kind, year, lock=True)
    series.last_number += 1
    db.flush()
    return format_number(series, series.last_number), series.last_number


def configure_series(
    db: Session, kind: DocumentKind, year: int, *, prefix: str, pattern: str = DEFAULT_PATTERN
) -> InvoiceSeries:
    """Set the prefix and pattern of a year's series before its first number is taken."""
    if len(prefix) > 20 or any(c.isspace() for c in prefix):
        raise NumberingError(f"prefix {prefix!r}: at most 20 characters, no spaces")
    check_pattern(pattern)
    series = series_for(db, kind, year, lock=True)
    if series.last_number and (series.prefix, series.pattern) != (prefix, pattern):
        raise NumberingError(
            f"the {kind.value} series of {year} has already given {series.last_number} "
            "number(s); its format can change from next year on"
        )
    series.prefix, series.pattern = prefix, pattern
    db.flush()
    return series
