"""Files sent with a multipart form (receipts, stage documents)."""

from __future__ import annotations

from typing import Any


def uploaded_files(value: Any) -> list[Any]:
    """The uploaded files of a form field (one, several, or an empty file input)."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if hasattr(v, "file") and (v.filename or v.size)]
