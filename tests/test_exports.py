"""Exports of the journal: the general journal as CSV, France's FEC, and exportJournal."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopkit.ledger.chart import AccountRole
from coopkit.ledger.export import ExportError, journal
from coopkit.ledger.export.fec import COLUMNS, ENCODING, fec_export
from coopkit.ledger.export.journal import HEADER, journal_csv
from coopkit.ledger.posting import credit, debit, post, reverse
from coopkit.plugins import PluginHost
from coopkit.tenants.models import Tenant
from coopkit.tenants.service import set_company_id
from tests.conftest import Database
from tests.ledger_world import Books, open_cooperative
from tests.test_web import MEMBER_FR, Client, assert_problem, bearer

R = AccountRole
STAFF_FR = "staff.fr@demo.coopkit.test"
JAN, FEB, MAR = date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)


def _invoice(db: Session, activity: object, net: str, vat: str, day: date) -> None:
    gross = Decimal(net) + Decimal(vat)
    post(db, kind="invoice", description=f"Invoice of {net}", day=day,
         reference=f"invoice:{net}", lines=[
             credit(R.TURNOVER, net, activity), debit(R.CLIENT_RECEIVABLES, gross, activity),
             credit(R.VAT_COLLECTED, vat)])  # fmt: skip


def _payment(db: Session, activity: object, paid: str, day: date) -> None:
    post(db, kind="payment", description=f"Payment\tof {paid}", day=day,
         lines=[debit(R.BANK, paid), credit(R.CLIENT_RECEIVABLES, paid, activity)])  # fmt: skip


@pytest.fixture
def french(sqlite_db: Database, plugins: PluginHost) -> Books:
    """A French cooperative with a SIREN and a few entries in January to March 2026."""
    books = open_cooperative(sqlite_db, plugins, country="FR")
    solo, shared = books.activities["SOLO"], books.activities["SHARED"]
    with books.session(sqlite_db) as db:
        set_company_id(db, plugins, db.get_one(Tenant, books.tenant_id), "732 829 320")
        _invoice(db, solo, "1000.00", "200.00", FEB)  # posted first, dated later
        _invoice(db, shared, "500.00", "100.00", JAN)
        _payment(db, solo, "1200.00", FEB)
        post(db, kind="capital", description="Shares — “founders”", day=JAN,
             lines=[debit(R.BANK, "300.00"), credit(R.SHARE_CAPITAL, "300.00")])  # fmt: skip
        wrong = post(db, kind="expense", description="Paint", day=MAR,
                     lines=[debit(R.BANK, "10.00"), credit(R.SHARE_CAPITAL, "10.00")])  # fmt: skip
        reverse(db, wrong, day=MAR)
        db.commit()
    return books


def _rows(db: Session, start: date, end: date) -> list[dict[str, str]]:
    text = "".join(journal_csv(db, start, end))
    assert text.startswith(",".join(HEADER) + "\r\n")
    return list(csv.DictReader(io.StringIO(text)))


# -- the general journal ------------------------------------------------------------------


def test_the_journal_has_every_line_of_the_period_in_order(
    french: Books, sqlite_db: Database
) -> None:
    with french.session(sqlite_db) as db:
        rows = _rows(db, JAN, FEB)
    # By day, then posting order; debits before credits, then account number.
    assert [(r["day"], r["kind"], r["account_number"], r["debit"], r["credit"]) for r in rows] == [
        ("2026-01-10", "invoice", "411.SHARED", "600.00", "0.00"),
        ("2026-01-10", "invoice", "44571", "0.00", "100.00"),
        ("2026-01-10", "invoice", "706.SHARED", "0.00", "500.00"),
        ("2026-01-10", "capital", "512", "300.00", "0.00"),
        ("2026-01-10", "capital", "1013", "0.00", "300.00"),
        ("2026-02-10", "invoice", "411.SOLO", "1200.00", "0.00"),
        ("2026-02-10", "invoice", "44571", "0.00", "200.00"),
        ("2026-02-10", "invoice", "706.SOLO", "0.00", "1000.00"),
        ("2026-02-10", "payment", "512", "1200.00", "0.00"),
        ("2026-02-10", "payment", "411.SOLO", "0.00", "1200.00"),
    ]
    first = rows[0]
    assert first["activity_code"] == "SHARED"
    assert first["reference"] == "invoice:500.00"
    assert first["currency"] == "EUR"
    assert first["account_name"].startswith("Clients — ")
    numbers = [int(r["entry_number"]) for r in rows]
    assert numbers == [2, 2, 2, 4, 4, 1, 1, 1, 3, 3]
    assert rows[8]["description"] == "Payment\tof 1200.00"  # quoted by csv, kept as it is


def test_the_journal_of_an_empty_period_is_its_header(french: Books, sqlite_db: Database) -> None:
    with french.session(sqlite_db) as db:
        assert _rows(db, date(2025, 1, 1), date(2025, 12, 31)) == []
        with pytest.raises(ExportError, match="before it starts"):
            journal_csv(db, FEB, JAN)


def test_a_journal_comes_in_chunks(
    french: Books, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "ROWS_PER_CHUNK", 3)
    with french.session(sqlite_db) as db:
        chunks = list(journal_csv(db, JAN, FEB))
    assert [chunk.count("\r\n") for chunk in chunks] == [4, 3, 3, 1]  # header + 10 rows


def test_another_tenant_sees_none_of_the_lines(
    french: Books, sqlite_db: Database, plugins: PluginHost
) -> None:
    other = open_cooperative(sqlite_db, plugins, country="FR", codes=("SOLO",))
    with other.session(sqlite_db) as db:
        assert _rows(db, JAN, MAR) == []


# -- the FEC ------------------------------------------------------------------------------


def _fec(db: Session, plugins: PluginHost, tenant_id: object, start: date, end: date) -> tuple:  # type: ignore[type-arg]
    tenant = db.get_one(Tenant, tenant_id)
    export = fec_export(db, plugins, tenant, start, end)
    raw = b"".join(export.encoded())
    records = raw.decode(ENCODING).split("\r\n")
    assert records[-1] == ""
    return export.filename, [r.split("\t") for r in records[:-1]]


def test_the_fec_follows_the_rules_of_article_a47_a1(
    french: Books, sqlite_db: Database, plugins: PluginHost
) -> None:
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    with french.session(sqlite_db) as db:
        name, records = _fec(db, plugins, french.tenant_id, start, end)
    assert name == "732829320FEC20261231.txt"
    header, body = records[0], records[1:]
    assert tuple(header) == COLUMNS
    assert len(COLUMNS) == 18
    assert all(len(r) == 18 for r in body)
    field = {c: i for i, c in enumerate(COLUMNS)}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for r in body:
        debit_, credit_ = (Decimal(r[field[c]].replace(",", ".")) for c in ("Debit", "Credit"))
        assert (debit_ == 0) != (credit_ == 0), r  # one side only
        assert "." not in r[field["Debit"]] + r[field["Credit"]]
        assert start <= date(*_ymd(r[field["EcritureDate"]])) <= end
        assert date(*_ymd(r[field["ValidDate"]]))
        totals[r[field["EcritureNum"]]] += debit_ - credit_
        assert r[field["CompteNum"]][:3].isdigit()
    assert set(totals.values()) == {Decimal(0)}  # every entry balances
    # One numbering per journal, 1, 2, 3… without gaps, in posting order.
    numbers: dict[str, list[str]] = defaultdict(list)
    for r in body:
        if r[field["EcritureNum"]] not in numbers[r[0]]:
            numbers[r[0]].append(r[field["EcritureNum"]])
    assert numbers == {
        "VT": ["VT000001", "VT000002"],
        "BQ": ["BQ000001"],
        "OD": ["OD000001"],
        "HA": ["HA000001", "HA000002"],  # an expense and its reversal
    }
    first = body[0]
    assert first[: field["EcritureDate"] + 1] == ["VT", "Ventes", "VT000001", "20260210"]


def _ymd(text: str) -> tuple[int, int, int]:
    assert len(text) == 8, text
    assert text.isdigit(), text
    return int(text[:4]), int(text[4:6]), int(text[6:])


def test_fec_fields_for_sub_accounts_texts_and_journals(
    french: Books, sqlite_db: Database, plugins: PluginHost
) -> None:
    with french.session(sqlite_db) as db:
        _name, records = _fec(db, plugins, french.tenant_id, date(2026, 1, 1), MAR)
    by_num = defaultdict(list)
    for r in records[1:]:
        by_num[r[2]].append(r)
    sale = by_num["VT000001"]
    receivable = next(r for r in sale if r[4] == "411")
    # The em dash of the sub-account's name is not in ISO 8859-15.
    assert receivable[6:8] == ["411.SOLO", "Clients - Activity SOLO"]
    assert receivable[5] == "Clients"
    assert receivable[8:12] == ["invoice:1000.00", "20260210", "Invoice of 1000.00", "1200,00"]
    vat = next(r for r in sale if r[4] == "44571")
    assert vat[6:8] == ["", ""]
    payment = by_num["BQ000001"]
    assert payment[0][10] == "Payment of 1200.00"  # the tab is gone
    assert payment[0][8].startswith("E")  # no reference: the posting number
    capital = by_num["OD000001"]
    assert capital[0][10] == 'Shares - "founders"'
    assert [r[0] for r in records[1:]].count("HA") == 4  # the expense and its reversal


def test_fec_refused_outside_france_without_siren_or_in_another_currency(
    sqlite_db: Database, plugins: PluginHost
) -> None:
    belgian = open_cooperative(sqlite_db, plugins, country="BE", codes=("SOLO",))
    with (
        belgian.session(sqlite_db) as db,
        pytest.raises(ExportError, match=r"cooperative of BE.*--format csv"),
    ):
        _fec(db, plugins, belgian.tenant_id, JAN, MAR)
    french = open_cooperative(sqlite_db, plugins, country="FR", codes=("SOLO",))
    with french.session(sqlite_db) as db:
        with pytest.raises(ExportError, match="has none recorded: `coopkit tenant set-company-id"):
            _fec(db, plugins, french.tenant_id, JAN, MAR)
        set_company_id(db, plugins, db.get_one(Tenant, french.tenant_id), "732829320")
        post(db, kind="capital", description="Swiss shares", day=FEB,
             lines=[debit(R.BANK, "5.00", None, "CHF"),
                    credit(R.SHARE_CAPITAL, "5.00", None, "CHF")])  # fmt: skip
        with pytest.raises(ExportError, match="lines in CHF"):
            _fec(db, plugins, french.tenant_id, JAN, MAR)
        assert _fec(db, plugins, french.tenant_id, MAR, MAR)[1][1:] == []


# -- exportJournal ------------------------------------------------------------------------


FR = "/api/v1/t/demo-fr/journal"
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


def test_staff_download_the_journal_as_csv_and_fec(
    client: Client, token: Callable[[str], str]
) -> None:
    headers = bearer(token(STAFF_FR))
    answer = client.get(FR, params=YEAR, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert (
        'filename="journal-demo-fr-20260101-20261231.csv"' in answer.headers["content-disposition"]
    )
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert len(rows) > 10
    fec = client.get(FR, params={**YEAR, "format": "fec"}, headers=headers)
    assert fec.status_code == 200, fec.text
    assert 'filename="123456782FEC20261231.txt"' in fec.headers["content-disposition"]
    lines = fec.content.decode(ENCODING).split("\r\n")
    assert lines[0].split("\t") == list(COLUMNS)
    assert len(lines) - 2 == len(rows)  # one record per line, plus header and final CRLF


def test_export_journal_refusals_are_problems(client: Client, token: Callable[[str], str]) -> None:
    assert_problem(client.get(FR, params=YEAR, headers=bearer(token(MEMBER_FR))), 403)
    staff_be = bearer(token("staff.be@demo.coopkit.test"))
    fec_be = client.get("/api/v1/t/demo-be/journal", params={**YEAR, "format": "fec"},
                        headers=staff_be)  # fmt: skip
    body = assert_problem(fec_be, 422)
    assert "cooperative of BE" in body["detail"]
    backwards = {"from": "2026-12-31", "to": "2026-01-01"}
    body = assert_problem(client.get(FR, params=backwards, headers=bearer(token(STAFF_FR))), 422)
    assert "before it starts" in body["detail"]
    assert_problem(client.get(FR, params={"from": "2026-13-01", "to": "2026-12-31"},
                              headers=bearer(token(STAFF_FR))), 400)  # fmt: skip
