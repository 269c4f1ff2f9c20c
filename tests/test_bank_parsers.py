"""Reading bank statements: CAMT.053 (versions 2 and 8), the CSV format, payment references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from coopkit.banking.camt import parse_camt053
from coopkit.banking.csv_format import parse_csv
from coopkit.banking.models import StatementFormat
from coopkit.banking.parsed import StatementError
from coopkit.banking.references import find_reference, normalise, written_forms

DATA = Path(__file__).parent / "data"
V02 = (DATA / "camt053_v02_be.xml").read_text(encoding="utf-8")
V08 = (DATA / "camt053_v08_fr.xml").read_text(encoding="utf-8")


# -- payment references -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "compact"),
    [
        ("+++090/9337/55493+++", "090933755493"),
        ("***090/9337/55493***", "090933755493"),
        ("090/9337/55493", "090933755493"),
        ("090933755493", "090933755493"),
        ("RF18 5390 0754 7034", "RF18539007547034"),
        ("rf18539007547034", "RF18539007547034"),
        ("+++090/9337/55494+++", None),  # wrong check digits
        ("RF19 5390 0754 7034", None),
        ("INV2026-00001", None),
        ("", None),
    ],
)
def test_references_are_compared_in_compact_form(written: str, compact: str | None) -> None:
    assert normalise(written) == compact


def test_references_are_found_in_free_text() -> None:
    assert find_reference("Acompte facture +++123/4567/89002+++ merci") == "123456789002"
    assert find_reference("paiement +++ 123 / 4567 / 89002 +++") == "123456789002"
    assert find_reference("Reglement facture RF50 2026 INV7") == "RF502026INV7"
    assert find_reference("facture 2026/0117, +++123/4567/89003+++") is None
    assert find_reference("nothing here 123456789002") is None


def test_every_written_form_of_a_reference_can_be_looked_up() -> None:
    assert written_forms("090933755493") == [
        "090933755493",
        "090/9337/55493",
        "+++090/9337/55493+++",
        "***090/9337/55493***",
    ]
    assert written_forms("RF18539007547034") == ["RF18539007547034", "RF18 5390 0754 7034"]


# -- CAMT.053 ---------------------------------------------------------------------------


def test_a_camt053_v02_statement_is_read_line_by_line() -> None:
    statement = parse_camt053(V02.encode())
    assert statement.source_format is StatementFormat.CAMT053
    assert (statement.account_iban, statement.statement_ref, statement.sequence) == (
        "BE71096123456769",
        "2026-03-16-BE71096123456769",
        "52",
    )
    assert (statement.period_from, statement.period_to) == (date(2026, 3, 16), date(2026, 3, 16))
    assert (statement.opening_balance, statement.closing_balance) == (
        Decimal("10000.00"),
        Decimal("10769.40"),
    )
    # Five entries, one of them a batch of three transfers: seven lines.
    assert [line.amount for line in statement.lines] == [
        Decimal("1210.00"),
        Decimal("605.00"),
        Decimal("242.00"),
        Decimal("150.00"),
        Decimal("108.00"),
        Decimal("-45.60"),
        Decimal("-1500.00"),
    ]
    first, second, batch_one, batch_two, batch_three, fees, supplier = statement.lines
    assert (first.counterparty_name, first.counterparty_iban) == (
        "Atelier Lumière SPRL",
        "BE62510007547061",
    )
    assert first.structured_reference == "090933755493"
    assert first.bank_reference == "B6C16BI0001"
    assert first.value_date == date(2026, 3, 16)
    assert second.structured_reference == "123456789002"  # found in the free text
    assert second.remittance == "Acompte facture +++123/4567/89002+++"
    assert batch_one.structured_reference == "RF18539007547034"
    assert batch_one.bank_reference == "B6C16BI0003-1"
    assert (batch_two.counterparty_name, batch_two.structured_reference) == ("DUPONT JEAN", None)
    assert batch_three.counterparty_iban == ""
    assert fees.remittance == "Frais de tenue de compte T1 2026"
    assert (supplier.counterparty_name, supplier.counterparty_iban) == (
        "Imprimerie Centrale SRL",
        "BE68539007547034",
    )
    assert all(line.currency == "EUR" for line in statement.lines)


def test_a_camt053_v08_statement_is_read_the_same_way() -> None:
    statement = parse_camt053(V08.encode())
    assert statement.account_iban == "FR7630006000011234567890189"
    assert statement.opening_balance == Decimal("1000.00")  # PRCD
    # The pending entry is left out: it is not part of the booked balance.
    assert [line.amount for line in statement.lines] == [Decimal("360.00"), Decimal("-12.00")]
    payment = statement.lines[0]
    assert payment.counterparty_name == "Librairie des Carmes SARL"
    assert payment.booking_date == date(2026, 3, 2)
    assert payment.structured_reference == "RF502026INV7"
    assert (statement.period_from, statement.period_to) == (date(2026, 3, 2), date(2026, 3, 2))


def _without_first(text: str, part: str) -> str:
    assert part in text, part
    return text.replace(part, "", 1)


def _replace_first(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


TWO_STATEMENTS = V02.replace("</Stmt>", "</Stmt><Stmt><Id>other</Id></Stmt>")
BOMB = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Document>&lol2;</Document>'
)

MALFORMED = [
    ("truncated", V02[:2000], "not well-formed XML"),
    ("not XML", "%PDF-1.7 a statement", "not well-formed XML"),
    ("entity bomb", BOMB, "DTD or entities"),
    ("not ISO 20022", "<statement><line/></statement>", "not an ISO 20022 message"),
    ("camt.054", V02.replace("camt.053.001.02", "camt.054.001.02"), "camt.054.001.02 message"),
    ("pain.001", V02.replace("camt.053.001.02", "pain.001.001.03"), "pain.001.001.03 message"),
    ("no MsgId", _without_first(V02, "<MsgId>CAMT053-20260316-0001</MsgId>"), "GrpHdr/MsgId"),
    (
        "no statement id",
        _without_first(V02, "<Id>2026-03-16-BE71096123456769</Id>"),
        "Id is missing",
    ),
    ("two statements", TWO_STATEMENTS, "holds 2 statements"),
    ("no account", _without_first(V02, "<IBAN>BE71096123456769</IBAN>"), "the account"),
    ("no closing", _replace_first(V02, "<Cd>CLBD</Cd>", "<Cd>ITBD</Cd>"), "no CLBD balance"),
    ("no opening", _replace_first(V02, "<Cd>OPBD</Cd>", "<Cd>ITBD</Cd>"), "no OPBD or PRCD"),
    (
        "balances",
        _replace_first(V02, ">10769.40<", ">10769.41<"),
        r"opening 10000.00 \+ booked entries 769.40 = 10769.40 EUR, but the closing balance "
        r"is 10769.41",
    ),
    (
        "entry amount",
        _without_first(V02, '<Amt Ccy="EUR">1210.00</Amt>'),
        "entry 1 \\(0001\\): the mandatory element Amt",
    ),
    (
        "amount text",
        _replace_first(V02, ">605.00<", ">6O5.00<"),
        "entry 2 \\(0002\\): Amt '6O5.00'",
    ),
    ("negative", _replace_first(V02, ">605.00<", ">-605.00<"), "must be a positive amount"),
    ("decimals", _replace_first(V02, ">605.00<", ">605.001<"), "at most the decimals of EUR"),
    (
        "currency",
        _replace_first(V02, '<Amt Ccy="EUR">45.60', '<Amt Ccy="USD">45.60'),
        "entry 4 \\(0004\\) is in USD",
    ),
    (
        "indicator",
        _replace_first(V02, "<CdtDbtInd>DBIT", "<CdtDbtInd>DEBIT"),
        "entry 4 \\(0004\\): CdtDbtInd",
    ),
    (
        "booking date",
        _without_first(V02, "<BookgDt>\n          <Dt>2026-03-16</Dt>\n        </BookgDt>"),
        "entry 1 \\(0001\\): the mandatory element BookgDt",
    ),
    (
        "date",
        _replace_first(
            V02,
            "<Dt>2026-03-16</Dt>\n        </BookgDt>",
            "<Dt>16/03/2026</Dt>\n        </BookgDt>",
        ),
        "'16/03/2026' is not a date",
    ),
    (
        "batch",
        _replace_first(V02, '<Amt Ccy="EUR">108.00</Amt>', '<Amt Ccy="EUR">109.00</Amt>'),
        "3 transactions add up to 501.00",
    ),
]


@pytest.mark.parametrize(("case", "text", "message"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_camt053_is_refused_saying_what_is_wrong(
    case: str, text: str, message: str
) -> None:
    with pytest.raises(StatementError, match=message):
        parse_camt053(text.encode())


def test_a_batch_without_its_transactions_amounts_is_one_line() -> None:
    text = V02
    for amount in ("242.00", "150.00", "108.00"):
        text = _without_first(
            text,
            f'<AmtDtls>\n              <TxAmt>\n                <Amt Ccy="EUR">{amount}</Amt>'
            "\n              </TxAmt>\n            </AmtDtls>",
        )
    lines = parse_camt053(text.encode()).lines
    assert [line.amount for line in lines][2] == Decimal("500.00")
    assert len(lines) == 5


# -- CSV ----------------------------------------------------------------------------------

CSV = (
    "date,amount,currency,counterparty,iban,communication\n"
    "2026-03-16,1210.00,EUR,Atelier Lumière SPRL,BE62 5100 0754 7061,+++090/9337/55493+++\n"
    '2026-03-16,-45.60,EUR,Ma Banque,,"Frais, T1"\n'
    "2026-03-17,150,EUR,Dupont Jean,,RF18 5390 0754 7034\n"
)


def test_a_csv_statement_is_read() -> None:
    statement = parse_csv(CSV.encode())
    assert statement.source_format is StatementFormat.CSV
    assert (statement.statement_ref, statement.opening_balance) == (None, None)
    assert (statement.period_from, statement.period_to) == (date(2026, 3, 16), date(2026, 3, 17))
    first, fees, last = statement.lines
    assert (first.amount, first.counterparty_iban, first.structured_reference) == (
        Decimal("1210.00"),
        "BE62510007547061",
        "090933755493",
    )
    assert (fees.amount, fees.remittance) == (Decimal("-45.60"), "Frais, T1")
    assert (last.amount, last.structured_reference) == (Decimal(150), "RF18539007547034")


def test_a_csv_with_semicolons_decimal_commas_and_a_bom_is_read() -> None:
    text = (
        "\ufeffDate;Amount;Currency;Communication\n"
        "16/03/2026;1210,00;eur;facture 12\n"
        "\n"
        "17/03/2026;-5,5;EUR;\n"
    )
    lines = parse_csv(text.encode()).lines
    assert [(line.booking_date, line.amount, line.currency) for line in lines] == [
        (date(2026, 3, 16), Decimal("1210.00"), "EUR"),
        (date(2026, 3, 17), Decimal("-5.5"), "EUR"),
    ]


HEADER = "date,amount,currency,counterparty,iban,communication\n"
GOOD = "2026-03-16,10.00,EUR,A,,x\n"

BAD_CSV = [
    (
        "missing column",
        "date,amount,counterparty\n2026-03-16,1,A\n",
        "row 1: the header lacks the column\\(s\\) currency",
    ),
    ("unknown column", "date,amount,currency,bic\n", "row 1: unknown column\\(s\\) bic"),
    ("thousands", HEADER + GOOD + '2026-03-16,"1.234,56",EUR,A,,x\n', "row 3: amount '1.234,56'"),
    ("amount", HEADER + GOOD + GOOD + "2026-03-16,ten,EUR,A,,x\n", "row 4: amount 'ten'"),
    ("zero", HEADER + "2026-03-16,0.00,EUR,A,,x\n", "row 2: an amount of 0"),
    ("decimals", HEADER + "2026-03-16,1.001,EUR,A,,x\n", "row 2: 1.001 has more decimals than EUR"),
    (
        "yen decimals",
        HEADER + "2026-03-16,100.5,JPY,A,,x\n",
        "row 2: 100.5 has more decimals than JPY",
    ),
    ("date", HEADER + "16.03.2026,1,EUR,A,,x\n", "row 2: date '16.03.2026'"),
    ("currency", HEADER + "2026-03-16,1,EURO,A,,x\n", "row 2: currency 'EURO'"),
    (
        "mixed",
        HEADER + GOOD + "2026-03-16,1,USD,A,,x\n",
        "row 3: USD, but the rows above are in EUR",
    ),
    ("cells", HEADER + "2026-03-16,1,EUR,A,,x,extra\n", "row 2: more cells than the header"),
    ("empty", HEADER, "a header but no movement"),
]


@pytest.mark.parametrize(("case", "text", "message"), BAD_CSV, ids=[b[0] for b in BAD_CSV])
def test_a_bad_csv_is_refused_naming_the_row(case: str, text: str, message: str) -> None:
    with pytest.raises(StatementError, match=message):
        parse_csv(text.encode())


def test_a_csv_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(StatementError, match="not UTF-8"):
        parse_csv((HEADER + "2026-03-16,1,EUR,Société,,x\n").encode("latin-1"))
