"""What the invoicing code refuses, in words a member understands.

Every refusal says what to fix; ``field`` names the input at fault (for the
API's ``errors[].key`` and the pages' field messages).
"""

from __future__ import annotations

from collections.abc import Sequence


class InvoicingError(ValueError):
    """A request the invoicing rules refuse (422 on the API)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvoicingConflict(InvoicingError):
    """A request that contradicts what exists (409): a duplicate VAT number, an issued invoice."""


class MissingMentions(InvoicingError):
    """An invoice that cannot be issued: each mandatory mention that is missing, in words."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(
            "this invoice cannot be issued, mandatory mentions are missing: "
            + "; ".join(self.missing)
        )


class UnknownInvoice(LookupError):
    def __init__(self, invoice_id: object) -> None:
        super().__init__(f"no invoice {invoice_id} in this cooperative")


class UnknownClient(LookupError):
    def __init__(self, client_id: object) -> None:
        super().__init__(f"no client {client_id} in this cooperative")
