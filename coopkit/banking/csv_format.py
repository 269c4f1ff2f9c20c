"""A simple CSV bank statement, for banks without CAMT.053 or for a hand-made export.

UTF-8 (a byte-order mark is fine), comma- or semicolon-separated, with a
header row naming the columns in any order (case does not matter):

========================  ========  =====================================================
column                    required  content
========================  ========  =====================================================
``date``                  yes       booking date, ``YYYY-MM-DD`` or ``DD/MM/YYYY``
``amount``                yes       positive for money in, negative (``-``) for money out;
                                    decimal point or decimal comma (``1234.56`` or
                                    ``1234,56``), no thousands separator
``currency``              yes       ISO 4217 code; one currency per file
``counterparty``          no        who paid (or was paid)
``iban``                  no        their account
``communication``         no        the payment's message; a Belgian structured
                                    communication or an RF reference in it is found
========================  ========  =====================================================

Every error names its row (the header is row 1). A CSV file has no statement
id and no balances: a second import of the same file is recognised by its bytes.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from coopkit.banking.models import StatementFormat
from coopkit.banking.parsed import ParsedLine, ParsedStatement, StatementError
from coopkit.banking.references import find_reference, normalise
from coopkit.money import MoneyError, check_currency, minor_unit

REQUIRED = ("date", "amount", "currency")
OPTIONAL = ("counterparty", "iban", "communication")
AMOUNT = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StatementError(
            f"the CSV file is not UTF-8 (byte {error.start}): export it as UTF-8"
        ) from None


def _header(reader: csv.DictReader[str]) -> None:
    names = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise StatementError(
            f"row 1: the header lacks the column(s) {', '.join(missing)}; "
            f"the columns are {', '.join(REQUIRED + OPTIONAL)} (the first three required)"
        )
    unknown = [name for name in names if name not in REQUIRED + OPTIONAL]
    if unknown:
        raise StatementError(
            f"row 1: unknown column(s) {', '.join(unknown)}; "
            f"the columns are {', '.join(REQUIRED + OPTIONAL)}"
        )
    reader.fieldnames = names


def _day(text: str, row: int) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise StatementError(f"row {row}: date {text!r} is neither YYYY-MM-DD nor DD/MM/YYYY")


def _amount(text: str, currency: str, row: int) -> Decimal:
    cleaned = text.strip()
    if not AMOUNT.match(cleaned):
        raise StatementError(
            f"row {row}: amount {text!r} is not a number like 1234.56 or -1234,56 "
            "(one decimal separator, no thousands separator)"
        )
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already refused it
        raise StatementError(f"row {row}: amount {text!r} is not a number") from None
    if value == 0:
        raise StatementError(f"row {row}: an amount of 0 moves nothing")
    if value != value.quantize(minor_unit(currency)):
        raise StatementError(f"row {row}: {value} has more decimals than {currency} has")
    return value


def _line(record: dict[str, str | None], row: int, currency: str | None) -> ParsedLine:
    cells = {key: (value or "").strip() for key, value in record.items() if key}
    code = cells.get("currency", "").upper()
    try:
        check_currency(code)
    except MoneyError:
        raise StatementError(
            f"row {row}: currency {cells.get('currency')!r} is not an ISO 4217 code"
        ) from None
    if currency is not None and code != currency:
        raise StatementError(
            f"row {row}: {code}, but the rows above are in {currency}: one currency per file"
        )
    communication = cells.get("communication", "")
    return ParsedLine(
        booking_date=_day(cells.get("date", ""), row),
        amount=_amount(cells.get("amount", ""), code, row),
        currency=code,
        counterparty_name=cells.get("counterparty", "")[:140],
        counterparty_iban=cells.get("iban", "").replace(" ", "").upper()[:34],
        remittance=communication,
        structured_reference=normalise(communication) or find_reference(communication),
    )


def parse_csv(data: bytes) -> ParsedStatement:
    """Read a CSV statement; StatementError names the row and what is wrong."""
    text = _text(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        _header(reader)
        lines: list[ParsedLine] = []
        for record in reader:
            row = reader.line_num
            if None in record:
                raise StatementError(f"row {row}: more cells than the header has columns")
            if not any((value or "").strip() for value in record.values()):
                continue
            lines.append(_line(record, row, lines[0].currency if lines else None))
    except csv.Error as error:
        raise StatementError(f"row {reader.line_num}: {error}") from None
    if not lines:
        raise StatementError("the CSV file has a header but no movement")
    days = [line.booking_date for line in lines]
    return ParsedStatement(
        source_format=StatementFormat.CSV,
        currency=lines[0].currency,
        lines=lines,
        period_from=min(days),
        period_to=max(days),
    )
