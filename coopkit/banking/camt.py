"""ISO 20022 CAMT.053 (bank-to-customer statement), every version from ``camt.053.001.02``.

The versions differ in their namespace and in a few places this reader looks
at both ways (an entry's status is ``<Sts>BOOK</Sts>`` up to version 7 and
``<Sts><Cd>BOOK</Cd></Sts>`` from 8; a party's name is ``Dbtr/Nm`` up to 7 and
``Dbtr/Pty/Nm`` from 8; a transaction's amount is ``AmtDtls/TxAmt/Amt`` or
``Amt``). The file is read with defusedxml, which refuses DTDs and entity
declarations (a statement never has them; they are how XML bombs work).

One file holds one statement (``Stmt``). Only booked entries are read; the
opening booked balance (``OPBD``, else ``PRCD``) plus the booked entries must
give the closing booked balance (``CLBD``), or the file is refused. An entry
with several transactions (a batch) gives one line per transaction when each
has its amount and they add up to the entry's; otherwise one line for the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from coopkit.banking.models import StatementFormat
from coopkit.banking.parsed import ParsedLine, ParsedStatement, StatementError
from coopkit.banking.references import find_reference, normalise
from coopkit.money import MoneyError, check_currency, minor_unit

NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:"
MESSAGE = "camt.053."
OPENING = ("OPBD", "PRCD")
CLOSING = "CLBD"


class Reader:
    """Finds elements by their ISO 20022 names in the namespace of one document."""

    def __init__(self, namespace: str) -> None:
        self.ns = {"c": namespace} if namespace else {}
        self.prefix = "c:" if namespace else ""

    def _path(self, path: str) -> str:
        return "/".join(self.prefix + step for step in path.split("/"))

    def find(self, element: Element, path: str) -> Element | None:
        return element.find(self._path(path), self.ns)

    def all(self, element: Element, path: str) -> list[Element]:
        return element.findall(self._path(path), self.ns)

    def text(self, element: Element, *paths: str) -> str:
        """The stripped text of the first of ``paths`` that is there, else ''."""
        for path in paths:
            found = self.find(element, path)
            if found is not None and (found.text or "").strip():
                return (found.text or "").strip()
        return ""

    def required(self, element: Element, path: str, where: str) -> str:
        value = self.text(element, path)
        if not value:
            raise StatementError(f"{where}: the mandatory element {path} is missing or empty")
        return value


def _document(data: bytes) -> tuple[Element, str]:
    try:
        root = fromstring(data, forbid_dtd=True)
    except ParseError as error:
        raise StatementError(f"the file is not well-formed XML ({error})") from None
    except DefusedXmlException:
        raise StatementError(
            "the file declares a DTD or entities, which a bank statement never has: refused"
        ) from None
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    message = namespace.removeprefix(NAMESPACE) if namespace.startswith(NAMESPACE) else ""
    if local != "Document" or not message:
        raise StatementError(
            f"the root element is {root.tag!r}: not an ISO 20022 message "
            f"(expected a Document in the namespace {NAMESPACE}camt.053.001.xx)"
        )
    if not message.startswith(MESSAGE):
        raise StatementError(
            f"this is an ISO 20022 {message} message, not a camt.053 bank-to-customer statement"
        )
    return root, namespace


def _amount(element: Element | None, where: str) -> tuple[Decimal, str]:
    """An ``Amt`` element's value (never negative) and its ``Ccy``."""
    if element is None:
        raise StatementError(f"{where}: the mandatory element Amt is missing")
    currency = element.get("Ccy", "")
    try:
        check_currency(currency)
        value = Decimal((element.text or "").strip())
    except (MoneyError, InvalidOperation):
        raise StatementError(
            f"{where}: Amt {element.text!r} Ccy {currency!r} is not an amount in an ISO 4217 "
            "currency"
        ) from None
    if not value.is_finite() or value < 0 or value != value.quantize(minor_unit(currency)):
        raise StatementError(
            f"{where}: Amt {value} {currency} must be a positive amount with at most "
            f"the decimals of {currency}"
        )
    return value, currency


def _signed(read: Reader, element: Element, value: Decimal, where: str) -> Decimal:
    indicator = read.text(element, "CdtDbtInd")
    if indicator not in ("CRDT", "DBIT"):
        raise StatementError(f"{where}: CdtDbtInd must be CRDT or DBIT, not {indicator!r}")
    return value if indicator == "CRDT" else -value


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise StatementError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def _balance(read: Reader, statement: Element, codes: tuple[str, ...]) -> tuple[Decimal, str]:
    by_code = {read.text(b, "Tp/CdOrPrtry/Cd"): b for b in read.all(statement, "Bal")}
    for code in codes:
        if code in by_code:
            where = f"balance {code}"
            value, currency = _amount(read.find(by_code[code], "Amt"), where)
            return _signed(read, by_code[code], value, where), currency
    raise StatementError(
        f"the statement has no {' or '.join(codes)} balance (Bal/Tp/CdOrPrtry/Cd): "
        "the opening and closing booked balances are mandatory"
    )


def _booked(read: Reader, entry: Element) -> bool:
    status = read.text(entry, "Sts/Cd", "Sts")
    return status in ("", "BOOK")


def _party(read: Reader, details: Element, credit: bool) -> tuple[str, str]:
    """The other side's name and IBAN: who paid a credit, who was paid a debit."""
    role = "Dbtr" if credit else "Cdtr"
    name = read.text(details, f"RltdPties/{role}/Pty/Nm", f"RltdPties/{role}/Nm")
    iban = read.text(details, f"RltdPties/{role}Acct/Id/IBAN")
    return name[:140], iban.replace(" ", "").upper()[:34]


@dataclass(frozen=True)
class _Common:
    """What the lines of one entry share."""

    booking_date: date
    value_date: date | None
    currency: str


def _line(
    read: Reader,
    entry: Element,
    details: Element | None,
    amount: Decimal,
    common: _Common,
) -> ParsedLine:
    source = details if details is not None else entry
    name, iban = _party(read, source, amount > 0)
    texts = [(e.text or "").strip() for e in read.all(source, "RmtInf/Ustrd")]
    remittance = " ".join(t for t in texts if t) or read.text(entry, "AddtlNtryInf")
    structured = normalise(read.text(source, "RmtInf/Strd/CdtrRefInf/Ref"))
    bank_reference = (
        read.text(source, "Refs/AcctSvcrRef")
        or read.text(entry, "AcctSvcrRef", "NtryRef")
        or read.text(source, "Refs/EndToEndId")
    )
    return ParsedLine(
        amount=amount,
        counterparty_name=name,
        counterparty_iban=iban,
        remittance=remittance,
        structured_reference=structured or find_reference(remittance),
        bank_reference=bank_reference[:100],
        booking_date=common.booking_date,
        value_date=common.value_date,
        currency=common.currency,
    )


def _entry_lines(read: Reader, entry: Element, number: int, currency: str) -> list[ParsedLine]:
    where = f"entry {number}" + (f" ({ref})" if (ref := read.text(entry, "NtryRef")) else "")
    value, code = _amount(read.find(entry, "Amt"), where)
    if code != currency:
        raise StatementError(f"{where} is in {code}, but the account's currency is {currency}")
    signed = _signed(read, entry, value, where)
    booked = read.text(entry, "BookgDt/Dt", "BookgDt/DtTm")
    if not booked:
        raise StatementError(f"{where}: the mandatory element BookgDt is missing")
    valued = read.text(entry, "ValDt/Dt", "ValDt/DtTm")
    common = _Common(_day(booked, where), _day(valued, where) if valued else None, currency)
    transactions = read.all(entry, "NtryDtls/TxDtls")
    if len(transactions) <= 1:
        return [_line(read, entry, next(iter(transactions), None), signed, common)]
    amounts = []
    for index, details in enumerate(transactions, start=1):
        found = read.find(details, "AmtDtls/TxAmt/Amt")
        found = found if found is not None else read.find(details, "Amt")
        if found is None:  # a batch without its transactions' amounts: one line for the entry
            return [_line(read, entry, transactions[0], signed, common)]
        amount, _ = _amount(found, f"{where}, transaction {index}")
        amounts.append(amount if signed > 0 else -amount)
    if sum(amounts) != signed:
        raise StatementError(
            f"{where}: its {len(amounts)} transactions add up to {sum(amounts)}, "
            f"not to the entry's {signed} {currency}"
        )
    return [
        _line(read, entry, details, amount, common)
        for details, amount in zip(transactions, amounts, strict=True)
    ]


def _period(read: Reader, statement: Element, lines: list[ParsedLine]) -> tuple[date | None, ...]:
    start = read.text(statement, "FrToDt/FrDtTm")
    end = read.text(statement, "FrToDt/ToDtTm")
    days = [line.booking_date for line in lines]
    return (
        _day(start, "FrToDt") if start else min(days, default=None),
        _day(end, "FrToDt") if end else max(days, default=None),
    )


def parse_camt053(data: bytes) -> ParsedStatement:
    """Read a CAMT.053 file; StatementError names what is wrong and where."""
    root, namespace = _document(data)
    read = Reader(namespace)
    message = read.find(root, "BkToCstmrStmt")
    if message is None:
        raise StatementError("the mandatory element BkToCstmrStmt is missing")
    read.required(message, "GrpHdr/MsgId", "the group header")
    statements = read.all(message, "Stmt")
    if len(statements) != 1:
        raise StatementError(
            f"the file holds {len(statements)} statements (Stmt): import files of exactly one"
        )
    statement = statements[0]
    statement_ref = read.required(statement, "Id", "the statement")
    account = read.text(statement, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
    if not account:
        raise StatementError(
            "the statement: the account (Acct/Id/IBAN or Acct/Id/Othr/Id) is missing"
        )
    opening, currency = _balance(read, statement, OPENING)
    closing, closing_currency = _balance(read, statement, (CLOSING,))
    currency = read.text(statement, "Acct/Ccy") or currency
    if {currency, closing_currency} != {currency}:
        raise StatementError(f"the balances are in {closing_currency}, the account in {currency}")
    lines = [
        line
        for number, entry in enumerate(read.all(statement, "Ntry"), start=1)
        if _booked(read, entry)
        for line in _entry_lines(read, entry, number, currency)
    ]
    moved = sum((line.amount for line in lines), Decimal(0))
    if opening + moved != closing:
        raise StatementError(
            f"the balances do not add up: opening {opening} + booked entries {moved} = "
            f"{opening + moved} {currency}, but the closing balance is {closing} {currency}"
        )
    period_from, period_to = _period(read, statement, lines)
    return ParsedStatement(
        source_format=StatementFormat.CAMT053,
        currency=currency,
        lines=lines,
        account_iban=account.replace(" ", "").upper()[:34],
        statement_ref=statement_ref[:35],
        sequence=read.text(statement, "ElctrncSeqNb", "LglSeqNb")[:35],
        period_from=period_from,
        period_to=period_to,
        opening_balance=opening,
        closing_balance=closing,
    )
