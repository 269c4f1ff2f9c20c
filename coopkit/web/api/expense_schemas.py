"""What the expenses API sends and receives (amounts are exact decimals as strings)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import msgspec
from litestar.datastructures import UploadFile


@dataclass
class ExpenseForm:
    """A claim as multipart/form-data: the fields, and one or more ``receipts`` files
    (PDF, JPEG or PNG, at most 10 MB each). ``net`` excludes VAT ("12.50");
    ``vat_rate`` is a rate code of the country (``standard``…), empty when the
    receipt charges no VAT."""

    activity_id: str
    day: str
    supplier: str
    description: str
    category: str
    net: str
    receipts: list[UploadFile] = field(default_factory=list)
    vat_rate: str = ""
    currency: str = ""


class ReceiptOut(msgspec.Struct):
    id: uuid.UUID
    file_name: str
    content_type: str
    size: int
    sha256: str
    url: str


class ExpenseOut(msgspec.Struct):
    """An expense claim. ``charged_to_activity`` = ``gross`` − ``recoverable_vat``."""

    id: uuid.UUID
    reference: str
    activity_id: uuid.UUID
    submitted_by: uuid.UUID
    submitted_at: datetime
    day: date
    supplier: str
    description: str
    category: str
    vat_source: str
    currency: str
    net: Decimal
    vat_rate: str | None
    vat: Decimal
    recoverable_vat: Decimal
    gross: Decimal
    charged_to_activity: Decimal
    status: str
    held_reason: str | None
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    rejection_reason: str | None
    entry_id: uuid.UUID | None
    receipts: list[ReceiptOut]


class RejectionIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str


class ExpenseCategoryOut(msgspec.Struct):
    code: str
    label: str
    recoverable: Decimal
    source: str
    valid_from: date
    max_gross: Decimal | None
    below_net: Decimal | None
