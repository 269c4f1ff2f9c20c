"""France's Fichier des écritures comptables (FEC), Livre des procédures fiscales art. A47 A-1.

The file the tax administration asks for in an audit (BOI-CF-IOR-60-40-20):
every line of every entry of the financial year, one record per line, the 18
fields below in this order, a header record with their names, fields
separated by a tab, records by CR LF, dates as AAAAMMJJ, amounts with a
decimal comma and no thousands separator, debit and credit in two fields (one
of them zero), characters in ISO 8859-15. Its name is
``<SIREN>FEC<closing date AAAAMMJJ>.txt``.

- JournalCode/JournalLib: the journal of the entry's kind, from the country
  profile (``country_profiles/fr/fec.yaml``); a country whose profile has no
  journals gets no FEC.
- EcritureNum: ``<journal><number>``, numbered 1, 2, 3… without gaps within
  each journal, in posting order (``JournalEntry.sequence``), over the
  exported period. The records come in the same order: the order entries
  were validated in.
- CompteNum/CompteLib: the account of the national chart (for an activity's
  sub-account, its parent account ``4671``); CompAuxNum/CompAuxLib: the
  activity's sub-account (``4671.PHOTO-01``) and its name.
- PieceRef/PieceDate: the entry's reference (or its posting number) and day;
  EcritureLib: its description; ValidDate: the day it was posted (UTC).
- EcritureLet/DateLet (lettering), Montantdevise/Idevise (foreign currency):
  empty. Debit and credit are in euros: an entry line in another currency
  has no euro amount in this ledger, so such a period is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.law import LawNotInForce, UnknownParameter
from coopkit.ledger.chart import AccountRole
from coopkit.ledger.export import ExportError
from coopkit.ledger.export.lines import JournalLine, check_period, period_lines
from coopkit.ledger.models import Account, JournalEntry, Posting
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
SEPARATOR = "\t"
RECORD_END = "\r\n"
ENCODING = "iso8859_15"
CURRENCY = "EUR"
JOURNALS = "fec.journals"
RECORDS_PER_CHUNK = 1_000
# Typographic characters outside ISO 8859-15, and what to write instead.
PLAIN = str.maketrans({"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


@dataclass(frozen=True)
class Journal:
    code: str
    name: str


@dataclass(frozen=True)
class FecExport:
    """A checked FEC: its file name and its records (text to encode in :data:`ENCODING`)."""

    filename: str
    records: Iterator[str]

    def encoded(self) -> Iterator[bytes]:
        for chunk in self.records:
            yield chunk.encode(ENCODING)


def fec_export(
    db: Session, plugins: PluginHost, tenant: Tenant, start: date, end: date
) -> FecExport:
    """The FEC of ``tenant`` for the financial year ``start`` to ``end`` (its closing date).

    Refused (ExportError, saying what to do) for a cooperative of a country
    without FEC journals, without a SIREN, or with lines in another currency
    than the euro in the period.
    """
    check_period(start, end)
    journals = _journals(plugins, tenant, end)
    if not tenant.company_id:
        raise ExportError(
            f"the FEC file is named after the SIREN and {tenant.slug} has none recorded: "
            f"`coopkit tenant set-company-id --slug {tenant.slug} --company-id <SIREN>`"
        )
    _check_euros_only(db, start, end)
    headers = {
        account.role: account
        for account in db.scalars(select(Account).where(Account.activity_id.is_(None)))
    }
    filename = f"{tenant.company_id}FEC{end:%Y%m%d}.txt"
    lines = period_lines(db, start, end, by_day=False)
    return FecExport(filename, _records(lines, journals, headers))


def _journals(plugins: PluginHost, tenant: Tenant, closing: date) -> dict[str, Journal]:
    try:
        table: Any = plugins.law(tenant.country).value(JOURNALS, closing)
    except UnknownParameter:
        raise ExportError(
            f"the FEC (fichier des écritures comptables) is the French tax administration's "
            f"format; {tenant.slug} is a cooperative of {tenant.country}, whose profile has no "
            "FEC journals: export the general journal as CSV instead (--format csv)"
        ) from None
    except LawNotInForce as error:
        raise ExportError(f"no FEC journals in force on {closing}: {error}") from None
    journals = {kind: Journal(str(j["code"]), str(j["name"])) for kind, j in table.items()}
    if "default" not in journals:
        raise ExportError(f"{JOURNALS} in the {tenant.country} profile needs a 'default' journal")
    return journals


def _check_euros_only(db: Session, start: date, end: date) -> None:
    other = db.scalar(
        select(Posting.currency)
        .join(
            JournalEntry,
            (JournalEntry.tenant_id == Posting.tenant_id) & (JournalEntry.id == Posting.entry_id),
        )
        .where(JournalEntry.day >= start, JournalEntry.day <= end, Posting.currency != CURRENCY)
        .limit(1)
    )
    if other is not None:
        raise ExportError(
            f"the period has lines in {other}; the FEC gives every amount in {CURRENCY} and this "
            "ledger keeps no exchange rate for them: export the general journal as CSV instead"
        )


def _records(
    lines: Iterator[JournalLine], journals: dict[str, Journal], headers: dict[AccountRole, Account]
) -> Iterator[str]:
    numbers: dict[str, int] = {}
    current: tuple[uuid.UUID, str] | None = None
    chunk = [SEPARATOR.join(COLUMNS)]
    for line in lines:
        journal = journals.get(line.kind, journals["default"])
        if current is None or current[0] != line.entry_id:
            numbers[journal.code] = numbers.get(journal.code, 0) + 1
            current = (line.entry_id, f"{journal.code}{numbers[journal.code]:06d}")
        chunk.append(SEPARATOR.join(_fields(line, journal, current[1], headers)))
        if len(chunk) >= RECORDS_PER_CHUNK:
            yield RECORD_END.join(chunk) + RECORD_END
            chunk = []
    if chunk:
        yield RECORD_END.join(chunk) + RECORD_END


def _fields(
    line: JournalLine, journal: Journal, number: str, headers: dict[AccountRole, Account]
) -> list[str]:
    if line.activity_code is None:
        account, account_name, aux, aux_name = line.account_number, line.account_name, "", ""
    else:
        header = headers[line.role]
        account, account_name = header.number, header.name
        aux, aux_name = line.account_number, line.account_name
    return [
        _text(journal.code),
        _text(journal.name),
        number,
        f"{line.day:%Y%m%d}",
        _text(account),
        _text(account_name),
        _text(aux),
        _text(aux_name),
        _text(line.reference or f"E{line.sequence}"),
        f"{line.day:%Y%m%d}",
        _text(line.description),
        _amount(line.amount if line.amount > 0 else Decimal(0)),
        _amount(-line.amount if line.amount < 0 else Decimal(0)),
        "",
        "",
        f"{line.posted_at:%Y%m%d}",
        "",
        "",
    ]


def _amount(value: Decimal) -> str:
    """1234.5 → ``1234,50``: two decimals, a comma, no thousands separator."""
    return f"{value.quantize(Decimal('0.01')):f}".replace(".", ",")


def _text(value: str) -> str:
    """One field: no separator or line break inside, only characters ISO 8859-15 has."""
    flat = " ".join(value.replace(SEPARATOR, " ").split()).translate(PLAIN)
    return flat.encode(ENCODING, "replace").decode(ENCODING)
