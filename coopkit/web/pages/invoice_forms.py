"""The draft invoice and client forms as typed: text fields, read into service inputs.

Each problem is kept per field (``lines-2-unit_price``…) so that the form is
shown back with the message beside the field.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from coopkit.i18n import _
from coopkit.invoicing.drafts import DraftIn, LineIn

EMPTY_ROWS = 3


@dataclass
class LineForm:
    description: str = ""
    quantity: str = "1"
    unit: str = "C62"
    unit_price: str = ""
    vat_code: str = "standard"

    @property
    def blank(self) -> bool:
        return not (self.description.strip() or self.unit_price.strip())


@dataclass
class DraftForm:
    activity_id: str = ""
    client_id: str = ""
    supply_date: str = ""
    payment_terms_days: str = "30"
    buyer_reference: str = ""
    note: str = ""
    lines: list[LineForm] = field(default_factory=list)
    rows_posted: int = 0

    @classmethod
    def parse(cls, data: dict[str, Any]) -> DraftForm:
        """The form from posted fields (``lines-<n>-<name>`` for each row)."""

        def text(name: str) -> str:
            value = data.get(name, "")
            return str(value[-1] if isinstance(value, list) else value)

        rows = sorted(
            {int(k.split("-")[1]) for k in data if k.startswith("lines-") and k.count("-") == 2
             and k.split("-")[1].isdigit()}
        )  # fmt: skip
        lines = [
            LineForm(**{n: text(f"lines-{i}-{n}") for n in LineForm.__dataclass_fields__})
            for i in rows
        ]
        return cls(
            **{n: text(n) for n in cls.__dataclass_fields__ if n not in ("lines", "rows_posted")},
            lines=[line for line in lines if not line.blank],
            rows_posted=len(lines),
        )

    def with_another_row(self) -> DraftForm:
        """The rows as posted (blank ones too), and one more."""
        return self.with_empty_rows(max(self.rows_posted - len(self.lines), 0) + 1)

    def with_empty_rows(self, count: int = EMPTY_ROWS) -> DraftForm:
        self.lines = [*self.lines, *(LineForm() for _ in range(count))]
        return self


def number(text: str) -> Decimal | None:
    """A number as people type it: "1 234,50" or "1234.50"; None when it is not one."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def draft_of(form: DraftForm, errors: dict[str, str]) -> DraftIn | None:
    """The draft the form asks for, or None with ``errors`` filled per field."""
    ids: dict[str, uuid.UUID] = {}
    for name, message in (
        ("activity_id", _("Choose the activity.")),
        ("client_id", _("Choose the client.")),
    ):
        try:
            ids[name] = uuid.UUID(getattr(form, name))
        except ValueError:
            errors[name] = message
    supply = None
    if form.supply_date.strip():
        try:
            supply = date.fromisoformat(form.supply_date.strip())
        except ValueError:
            errors["supply_date"] = _("Give the date as YYYY-MM-DD.")
    terms = form.payment_terms_days.strip() or "30"
    if not terms.isdigit():
        errors["payment_terms_days"] = _("Give a number of days.")
    lines = []
    for index, row in enumerate(form.lines):
        quantity, price = number(row.quantity), number(row.unit_price)
        if quantity is None:
            errors[f"lines-{index}-quantity"] = _("Write a number, such as 2.5.")
        if price is None:
            errors[f"lines-{index}-unit_price"] = _("Write a number, such as 450.00.")
        if quantity is not None and price is not None:
            lines.append(LineIn(row.description, quantity, price, row.vat_code, row.unit.strip()))
    if errors:
        return None
    return DraftIn(
        activity_id=ids["activity_id"],
        client_id=ids["client_id"],
        lines=tuple(lines),
        supply_date=supply,
        payment_terms_days=int(terms),
        buyer_reference=form.buyer_reference,
        note=form.note,
    )


def field_of(service_field: str | None) -> str:
    """The form field of a service error's field (``lines[2].vat_code`` → ``lines-2-vat_code``)."""
    if not service_field:
        return "form"
    return service_field.replace("[", "-").replace("].", "-").replace("]", "")


@dataclass
class ClientForm:
    kind: str = "company"
    name: str = ""
    country: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    email: str = ""
    locale: str = ""
    vat_number: str = ""
    company_number: str = ""

    def fields(self) -> dict[str, Any]:
        values: dict[str, Any] = {n: getattr(self, n) for n in self.__dataclass_fields__}
        values["locale"] = self.locale or None
        values["vat_number"] = self.vat_number or None
        return values
