"""Receipt files: what kind of file they really are (magic bytes, not the name) and their size."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype

from coopkit.expenses.errors import ExpenseError

MAX_RECEIPT_BYTES = 10 * 1024 * 1024
MAX_RECEIPTS = 5
# What a receipt may be, by the type its first bytes show.
ACCEPTED = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class ReceiptFile:
    """A file as uploaded: its name (as the browser sent it) and its bytes."""

    file_name: str
    content: bytes


@dataclass(frozen=True)
class CheckedReceipt:
    file_name: str
    content_type: str
    size: int
    sha256: str
    content: bytes


def check_receipts(files: list[ReceiptFile]) -> list[CheckedReceipt]:
    """The receipts of a claim, checked; ExpenseError names the file at fault.

    A claim needs 1 to MAX_RECEIPTS receipts, each a PDF, JPEG or PNG (known by
    its content, whatever its name says) of at most 10 MB.
    """
    if not files:
        raise ExpenseError(
            "attach at least one receipt (a PDF, JPEG or PNG of the invoice or ticket)",
            "receipts",
        )
    if len(files) > MAX_RECEIPTS:
        raise ExpenseError(
            f"{len(files)} receipts: at most {MAX_RECEIPTS} per claim; "
            "split the expense into several claims",
            "receipts",
        )
    return [check_receipt(f, index) for index, f in enumerate(files)]


def check_receipt(file: ReceiptFile, index: int = 0) -> CheckedReceipt:
    field = f"receipts[{index}]"
    name = _clean_name(file.file_name) or f"receipt-{index + 1}"
    size = len(file.content)
    if size == 0:
        raise ExpenseError(f"{name} is empty: attach the receipt itself", field)
    if size > MAX_RECEIPT_BYTES:
        raise ExpenseError(
            f"{name} weighs {size / 1024 / 1024:.1f} MB; a receipt may weigh at most "
            f"{MAX_RECEIPT_BYTES // 1024 // 1024} MB: scan it at a lower resolution",
            field,
        )
    content_type = filetype.guess_mime(file.content[:8192])
    if content_type not in ACCEPTED:
        found = f"a {content_type} file" if content_type else "not a file type coopkit knows"
        raise ExpenseError(f"{name} is {found}; a receipt must be a PDF, JPEG or PNG file", field)
    return CheckedReceipt(
        file_name=name,
        content_type=content_type,
        size=size,
        sha256=hashlib.sha256(file.content).hexdigest(),
        content=file.content,
    )


def _clean_name(name: str) -> str:
    """The file's own name, without a client's folders or control characters, at most 255."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable()).strip()[:255]
