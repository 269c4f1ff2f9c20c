"""The SEPA credit-transfer file (ISO 20022 pain.001.001.09) of a payment batch.

sepaxml writes it and validates it against the XSD it ships (validation is
always on here: a file that breaks the schema raises PaymentFileInvalid and
nothing is exported). pain.001.001.09 is the 2019 version of the message the
EPC's SEPA Credit Transfer implementation guidelines use since November 2023;
Belgian (Febelfin) and French (CFONB) banks take it. Amounts go to sepaxml as
integer cents, never floats.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal

from sepaxml import SepaTransfer
from sepaxml.validation import ValidationError

from coopkit.payouts.errors import PaymentsError

SCHEMA = "pain.001.001.09"
NAMESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"
EURO = "EUR"  # SEPA credit transfers are in euro


class PaymentFileInvalid(PaymentsError):
    """The generated file does not validate against the pain.001 schema."""


@dataclass(frozen=True)
class Debtor:
    """The cooperative paying: its name and account (seller identity)."""

    name: str
    iban: str
    bic: str = ""


@dataclass(frozen=True)
class Transfer:
    """One payment to one member."""

    end_to_end_id: str  # ≤ 35 characters, unique in the file
    name: str
    iban: str
    bic: str
    amount: Decimal
    remittance: str  # ≤ 140 characters


def cents(amount: Decimal) -> int:
    """``amount`` in euro as integer cents; refuses a fraction of a cent."""
    value = amount.scaleb(2)
    if value != value.to_integral_value() or value <= 0:
        raise PaymentsError(f"{amount} EUR: a transfer is a positive amount in whole cents")
    return int(value)


def pain001(
    message_id: str, debtor: Debtor, execution_date: dt.date, transfers: list[Transfer]
) -> bytes:
    """The pain.001 file paying ``transfers`` on ``execution_date``, validated against the XSD."""
    config: dict[str, object] = {
        "name": debtor.name,
        "IBAN": debtor.iban,
        "batch": True,
        "currency": EURO,
    }
    if debtor.bic:
        config["BIC"] = debtor.bic
    sepa = SepaTransfer(config, schema=SCHEMA, clean=True)
    _name_message(sepa, message_id)
    for transfer in transfers:
        payment: dict[str, object] = {
            "name": transfer.name,
            "IBAN": transfer.iban,
            "amount": cents(transfer.amount),
            "execution_date": execution_date,
            "description": transfer.remittance[:140],
            "endtoend_id": transfer.end_to_end_id[:35],
        }
        if transfer.bic:
            payment["BIC"] = transfer.bic
        sepa.add_payment(payment)
    try:
        return bytes(sepa.export(validate=True, pretty_print=True))
    except ValidationError as error:
        reason = str(error.__cause__ or error).strip().splitlines()[0]
        raise PaymentFileInvalid(
            f"the payment file does not validate against {SCHEMA} ({reason}): check the "
            "cooperative's and the members' names and accounts"
        ) from None


def _name_message(sepa: SepaTransfer, message_id: str) -> None:
    # sepaxml draws a random message id; a bank refuses a message id it has seen,
    # so the batch's own id is a second guard against paying a batch twice.
    node = sepa._xml.find("CstmrCdtTrfInitn/GrpHdr/MsgId")
    assert node is not None
    node.text = message_id[:35]
    sepa.msg_id = message_id[:35]


def read_totals(xml: bytes) -> tuple[int, Decimal]:
    """The file's number of transactions and control sum, as its group header says."""
    root = ET.fromstring(xml)  # noqa: S314  (our own file, just generated)
    header = root.find(f"{{{NAMESPACE}}}CstmrCdtTrfInitn/{{{NAMESPACE}}}GrpHdr")
    assert header is not None
    count = header.findtext(f"{{{NAMESPACE}}}NbOfTxs") or "0"
    total = header.findtext(f"{{{NAMESPACE}}}CtrlSum") or "0"
    return int(count), Decimal(total)
