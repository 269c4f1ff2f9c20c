"""Exporting the ledger for accountants and tax authorities.

- ``lines``: every line of every entry of a period, in a fixed order, streamed;
- ``journal``: the general journal as CSV (RFC 4180, UTF-8);
- ``fec``: France's Fichier des écritures comptables (LPF art. A47 A-1).

Each export is a generator of text chunks, so a journal of a million lines is
written without being held in memory. Checks that can refuse an export run
before the first chunk (:class:`ExportError`), so a caller can still answer
with an error instead of half a file.

See docs/ledger.md, "Exports".
"""

from coopkit.ledger.errors import LedgerError


class ExportError(LedgerError):
    """An export that cannot be made as asked (the message says what to do)."""
