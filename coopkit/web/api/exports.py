"""API: the journal exported for accountants (exportJournal), for the cooperative's staff.

The file is streamed: a journal of a million lines is never held in memory.
What can refuse an export (a FEC for a cooperative outside France, without a
SIREN, or with lines in another currency; a period that ends before it
starts) is checked before the first byte, and answers 422 problem+json.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, Literal

from litestar import Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Stream
from sqlalchemy.orm import Session

from coopkit.db.tenancy import set_tenant
from coopkit.ledger.export.fec import ENCODING, fec_export
from coopkit.ledger.export.journal import journal_csv
from coopkit.ledger.export.lines import check_period
from coopkit.web.access import services, staff_only, visitor

Start = Annotated[date, QueryParameter(name="from", description="First day, YYYY-MM-DD")]
End = Annotated[
    date,
    QueryParameter(name="to", description="Last day (FEC: the closing date), YYYY-MM-DD"),
]
Format = Annotated[
    Literal["csv", "fec"],
    QueryParameter(description="csv: the general journal (UTF-8); fec: France's FEC"),
]


def _closing(db: Session, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Stream ``chunks``, then end the read-only session they come from."""
    try:
        yield from chunks
    finally:
        db.rollback()
        db.close()


@get(
    "/t/{slug:str}/journal",
    operation_id="exportJournal",
    guards=[staff_only],
    sync_to_thread=True,
)
def export_journal(
    request: Request[Any, Any, Any],
    slug: FromPath[str],
    start: Start,
    end: End,
    format: Format = "csv",
) -> Stream:
    """Every line of every journal entry dated ``from`` to ``to``, as a file (staff only):
    the general journal as CSV, or for a French cooperative the FEC
    (``<SIREN>FEC<to>.txt``, tab-separated, ISO 8859-15)."""
    who = visitor(request)
    assert who.tenant is not None
    check_period(start, end)
    # The stream outlives the handler: it reads through its own session.
    db = services(request).sessions()
    set_tenant(db, who.tenant.id, who.user_id)
    try:
        if format == "fec":
            fec = fec_export(db, services(request).plugins, who.tenant, start, end)
            name, chunks = fec.filename, fec.encoded()
            media_type = f"text/plain; charset={ENCODING}"
        else:
            name = f"journal-{slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
            media_type = "text/csv; charset=utf-8"
            chunks = (chunk.encode("utf-8") for chunk in journal_csv(db, start, end))
    except Exception:
        db.close()
        raise
    return Stream(
        _closing(db, chunks),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


EXPORT_HANDLERS = [export_journal]
