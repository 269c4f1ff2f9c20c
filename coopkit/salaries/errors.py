"""What a salary request refuses, each with a sentence that says what to do."""

from __future__ import annotations

import uuid
from decimal import Decimal


class SalaryRequestError(ValueError):
    """A request that cannot be made or decided as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SalaryRequestRefused(SalaryRequestError):
    """The money is not there: ``missing`` (in ``currency``) and the guarantee fund's
    ``reasons`` for not advancing it."""

    def __init__(
        self,
        message: str,
        *,
        missing: Decimal,
        currency: str,
        reasons: tuple[str, ...] = (),
        field: str | None = None,
    ) -> None:
        super().__init__(message, field)
        self.missing = missing
        self.currency = currency
        self.reasons = reasons


class SalaryRequestConflict(SalaryRequestError):
    """Another request covers the same days, or the request was decided already.

    ``other`` is the other request when there is one.
    """

    def __init__(self, message: str, other: uuid.UUID | None = None) -> None:
        super().__init__(message)
        self.other = other


class SalaryRequestHeld(SalaryRequestError):
    """Staff approved, but the money is no longer there: the request stays requested."""

    def __init__(self, request_id: uuid.UUID, message: str) -> None:
        super().__init__(message)
        self.request_id = request_id


class SalaryRequestForbidden(PermissionError):
    """The person may not do this with this request (four eyes, somebody else's request)."""


class SalaryRequestNotFound(LookupError):
    def __init__(self, what: object) -> None:
        super().__init__(f"no salary request {what} here")
