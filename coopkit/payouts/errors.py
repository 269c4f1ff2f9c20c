"""What paying members can refuse, each with a message that says what to do."""

from __future__ import annotations


class PaymentsError(ValueError):
    """A request about bank accounts or payment batches that cannot be done as asked.

    ``field`` names the input to fix, when one is to blame.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class BankAccountRefused(PaymentsError):
    """An IBAN, BIC or holder name that is not valid."""


class NothingToPay(PaymentsError):
    """No waiting payout can go into a batch on that date."""


class PaymentsConflict(PaymentsError):
    """The batch is no longer in a state that allows this (exported already)."""


class UnknownPaymentBatch(LookupError):
    """No such batch in the cooperative (another cooperative's answers the same)."""


class UnknownBankAccount(LookupError):
    """The member has no bank account on record (or is not in the cooperative)."""
