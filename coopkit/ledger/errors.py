"""What the ledger refuses, each with a sentence that says what to do."""

from __future__ import annotations

from coopkit.db.append_only import FinalRecordError as ImmutableRow


class LedgerError(ValueError):
    """A posting or a query the ledger cannot do as asked."""


class BooksNotOpen(LedgerError):
    """The cooperative has no account for a role: its books were never opened."""


class UnknownAccount(LedgerError):
    """No account plays this role (for this activity)."""


class UnbalancedEntry(LedgerError):
    """The lines of an entry do not sum to zero in some currency."""


class InsufficientFunds(LedgerError):
    """The entry would take an account that may not go negative below zero."""


class AlreadyReversed(LedgerError):
    """The entry was reversed already, or is itself a reversal."""


__all__ = [
    "AlreadyReversed",
    "BooksNotOpen",
    "ImmutableRow",
    "InsufficientFunds",
    "LedgerError",
    "UnbalancedEntry",
    "UnknownAccount",
]
