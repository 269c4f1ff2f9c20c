"""What an expense claim refuses, each with a sentence that says what to do."""

from __future__ import annotations

import uuid
from decimal import Decimal


class ExpenseError(ValueError):
    """A claim that cannot be submitted or decided as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotEnoughMoney(ExpenseError):
    """The activity has less available than the claim's gross amount."""

    def __init__(self, message: str, available: Decimal, gross: Decimal, currency: str) -> None:
        super().__init__(message, "net")
        self.available = available
        self.gross = gross
        self.currency = currency


class ExpenseForbidden(PermissionError):
    """The person may not do this with this claim (four eyes, not in the activity)."""


class ExpenseConflict(ExpenseError):
    """The claim was decided already."""


class ExpenseHeld(ExpenseError):
    """Staff approved, but the activity cannot bear the claim now: it stays submitted."""

    def __init__(self, claim_id: uuid.UUID, message: str) -> None:
        super().__init__(message)
        self.claim_id = claim_id


class ExpenseNotFound(LookupError):
    def __init__(self, what: object) -> None:
        super().__init__(f"no expense claim {what} here")
