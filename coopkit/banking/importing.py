"""Importing one bank statement file: all of it in one transaction, or nothing.

:func:`import_statement` refuses a file imported before (the same bytes, or
the same statement id of the same account) naming the first import's date,
parses it completely before writing anything, then in one savepoint stores
the statement and its lines, matches each credit (coopkit.banking.matching),
records the payments, and writes an audit event. Any error undoes all of it,
so a failed import can simply be retried; a concurrent second import of the
same file is stopped by the unique constraints and reported as a duplicate.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.audit.service import record
from coopkit.banking.camt import parse_camt053
from coopkit.banking.csv_format import parse_csv
from coopkit.banking.matching import Matcher, pay_with_line
from coopkit.banking.models import BankLine, BankStatement, LineStatus, StatementFormat
from coopkit.banking.parsed import DuplicateStatement, ParsedStatement, StatementError
from coopkit.invoicing.payments import PaymentError
from coopkit.ledger.errors import LedgerError
from coopkit.ledger.policy import PolicyError

PARSERS = {StatementFormat.CAMT053: parse_camt053, StatementFormat.CSV: parse_csv}
MAX_BYTES = 20 * 1024 * 1024
DEBIT_REASON = "money out (a debit): only money in pays invoices"
# What record_payment may refuse: the line then waits for staff with the message.
REFUSALS = (PaymentError, LedgerError, PolicyError)


@dataclass(frozen=True)
class ImportResult:
    """The stored statement and what became of its lines."""

    statement: BankStatement
    matched: int
    unmatched: int
    ignored: int


def statement_format(name: str) -> StatementFormat:
    try:
        return StatementFormat(name)
    except ValueError:
        choices = ", ".join(f.value for f in StatementFormat)
        raise StatementError(f"unknown statement format {name!r}: use one of {choices}") from None


def _imported_before(statement: BankStatement, what: str) -> DuplicateStatement:
    when = statement.imported_at.date().isoformat()
    name = statement.statement_ref or statement.file_name or str(statement.id)
    return DuplicateStatement(
        f"{what} was already imported on {when} (statement {name}, id {statement.id}): "
        "nothing was imported again"
    )


def _check_new(db: Session, digest: str, parsed: ParsedStatement | None) -> None:
    same_file = db.scalar(select(BankStatement).where(BankStatement.file_sha256 == digest))
    if same_file is not None:
        raise _imported_before(same_file, "this file")
    if parsed is None or parsed.statement_ref is None:
        return
    same_statement = db.scalar(
        select(BankStatement).where(
            BankStatement.account_iban == parsed.account_iban,
            BankStatement.statement_ref == parsed.statement_ref,
        )
    )
    if same_statement is not None:
        raise _imported_before(
            same_statement,
            f"statement {parsed.statement_ref} of account {parsed.account_iban}",
        )


def parse(data: bytes, source_format: StatementFormat) -> ParsedStatement:
    if not data:
        raise StatementError("the file is empty")
    if len(data) > MAX_BYTES:
        raise StatementError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return PARSERS[source_format](data)


def import_statement(
    db: Session,
    data: bytes,
    source_format: StatementFormat | str,
    *,
    file_name: str = "",
    imported_by: uuid.UUID | None = None,
) -> ImportResult:
    """Store, match and record a statement file in the caller's transaction (flushed).

    Raises StatementError (what is wrong, where) or DuplicateStatement, and
    then has written nothing.
    """
    kind = statement_format(str(source_format))
    digest = hashlib.sha256(data).hexdigest()
    _check_new(db, digest, None)
    parsed = parse(data, kind)
    _check_new(db, digest, parsed)
    savepoint = db.begin_nested()
    try:
        result = _store_and_match(db, parsed, digest, file_name, imported_by)
    except IntegrityError:
        savepoint.rollback()
        _check_new(db, digest, parsed)  # a concurrent import of the same statement won
        raise
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return result


def _store_and_match(
    db: Session,
    parsed: ParsedStatement,
    digest: str,
    file_name: str,
    imported_by: uuid.UUID | None,
) -> ImportResult:
    statement = BankStatement(
        id=uuid.uuid4(),
        source_format=parsed.source_format,
        account_iban=parsed.account_iban,
        statement_ref=parsed.statement_ref,
        sequence=parsed.sequence,
        currency=parsed.currency,
        period_from=parsed.period_from,
        period_to=parsed.period_to,
        opening_balance=parsed.opening_balance,
        closing_balance=parsed.closing_balance,
        file_name=file_name[:200],
        file_sha256=digest,
        imported_by=imported_by,
    )
    db.add(statement)
    db.flush()  # before its lines: no ORM relationship orders the inserts
    lines = [
        BankLine(
            id=uuid.uuid4(),
            statement_id=statement.id,
            position=position,
            status=LineStatus.UNMATCHED if line.amount > 0 else LineStatus.IGNORED,
            reason="" if line.amount > 0 else DEBIT_REASON,
            **vars(line),
        )
        for position, line in enumerate(parsed.lines, start=1)
    ]
    db.add_all(lines)
    db.flush()
    matcher = Matcher(db)
    for line in lines:
        if line.status is LineStatus.UNMATCHED:
            _match(db, matcher, line, imported_by)
    counts = Counter(line.status for line in lines)
    result = ImportResult(
        statement,
        counts[LineStatus.MATCHED],
        counts[LineStatus.UNMATCHED],
        counts[LineStatus.IGNORED],
    )
    record(
        db,
        "bank_statement.imported",
        "bank_statement",
        statement.id,
        {
            "format": statement.source_format,
            "account": statement.account_iban,
            "statement": statement.statement_ref,
            "sha256": digest,
            "lines": len(lines),
            "matched": result.matched,
            "unmatched": result.unmatched,
            "ignored": result.ignored,
        },
        actor_id=imported_by,
    )
    return result


def _match(db: Session, matcher: Matcher, line: BankLine, by: uuid.UUID | None) -> None:
    decision = matcher.decide(line)
    if decision.invoice is None:
        line.reason = decision.reason
        return
    try:
        pay_with_line(db, line, decision.invoice, recorded_by=by)
    except REFUSALS as error:
        line.status = LineStatus.UNMATCHED
        line.reason = str(error)
        return
    matcher.paid(decision.invoice, line)
