"""Structured payment references: what the client types in the transfer, so that the
bank statement line finds its invoice.

The country plugin chooses the scheme (``Country.payment_reference``):

- ``be-ogm``: the Belgian structured communication (*communication structurée*,
  OGM/VCS), 10 digits and 2 check digits (modulo 97), printed
  ``+++123/4567/89012+++``; the 10 digits are the year (2 digits) and the
  invoice's sequence number in its series (8 digits), unique per cooperative;
- ``rf``: the ISO 11649 creditor reference, ``RF`` + 2 check digits + the
  invoice number's letters and digits, printed in groups of four.

References are stored compact (``260000000170``, ``RF76INV202600001``): the
form bank statements carry.
"""

from __future__ import annotations

from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.iso7064 import mod_97_10

from coopkit.invoicing.errors import InvoicingError

SCHEMES = ("be-ogm", "rf")


def payment_reference(scheme: str, year: int, sequence: int, number: str) -> str:
    """The compact structured reference of invoice ``number`` (``sequence`` of ``year``)."""
    if scheme == "be-ogm":
        if not 0 < sequence < 10**8:
            raise InvoicingError(f"sequence {sequence} does not fit a structured communication")
        base = f"{year % 100:02d}{sequence:08d}"
        return base + ogm_vcs.calc_check_digits(base)
    if scheme == "rf":
        body = "".join(c for c in number.upper() if c.isascii() and c.isalnum())
        if not body or len(body) > 21:
            body = f"{year}{sequence}"
        return "RF" + mod_97_10.calc_check_digits(body + "RF") + body
    raise InvoicingError(
        f"payment reference scheme {scheme!r} is unknown; a plugin chooses one of {SCHEMES}"
    )


def printed_reference(compact: str | None) -> str:
    """The reference as printed on the invoice (``+++260/0000/00170+++``, ``RF76 INV2 …``)."""
    if not compact:
        return ""
    if compact.startswith("RF"):
        return str(iso11649.format(compact))
    return f"+++{ogm_vcs.format(compact)}+++"


def document_reference(compact: str | None) -> str | None:
    """The reference an invoice document carries (BT-83): the Belgian communication with its
    ``+++`` frame, an RF reference compact (as typed in a transfer)."""
    if not compact:
        return None
    return compact if compact.startswith("RF") else printed_reference(compact)
