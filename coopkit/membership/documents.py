"""The share register as a legal record: its lines for pages, CSV and PDF, and certificates.

The PDF templates (``share_register_document.html``, ``share_certificate.html``)
are looked up tenant → country plugin → engine default like every document
(coopkit.documents), so a country or a cooperative can ship its own wording.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.documents import Documents
from coopkit.membership.models import ShareClass, ShareRegisterEntry
from coopkit.membership.register import holdings_on
from coopkit.money import Money
from coopkit.people.models import User
from coopkit.tenants.models import Tenant

CSV_COLUMNS = (
    "line",
    "effective_on",
    "member",
    "email",
    "share_class",
    "kind",
    "quantity",
    "amount",
    "currency",
    "reference",
    "recorded_at",
)


@dataclass(frozen=True)
class RegisterRow:
    """One register line as people read it: names instead of ids, the amount as Money."""

    entry: ShareRegisterEntry
    member: str
    email: str
    share_class: str
    amount: Money


def register_rows(
    db: Session, user_id: uuid.UUID | None = None, day: date | None = None
) -> list[RegisterRow]:
    """The register's lines in order (one member's with ``user_id``, up to ``day`` if given)."""
    query = (
        select(ShareRegisterEntry, User.name, User.email, ShareClass.code)
        .join(User, User.id == ShareRegisterEntry.user_id)
        .join(ShareClass, ShareClass.id == ShareRegisterEntry.share_class_id)
        .order_by(ShareRegisterEntry.line)
    )
    if user_id is not None:
        query = query.where(ShareRegisterEntry.user_id == user_id)
    if day is not None:
        query = query.where(ShareRegisterEntry.effective_on <= day)
    return [
        RegisterRow(entry, name, email, code, Money(entry.amount, entry.currency))
        for entry, name, email, code in db.execute(query).all()
    ]


def register_csv(rows: list[RegisterRow]) -> str:
    """The register as CSV (UTF-8, comma-separated, one header row), amounts exact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        entry = row.entry
        writer.writerow(
            [
                entry.line,
                entry.effective_on.isoformat(),
                row.member,
                row.email,
                row.share_class,
                entry.kind.value,
                entry.quantity,
                str(row.amount.amount),
                entry.currency,
                entry.reference,
                entry.recorded_at.isoformat(timespec="seconds"),
            ]
        )
    return out.getvalue()


@dataclass(frozen=True)
class Holding:
    """Shares of one class held on a day, and their value at nominal."""

    share_class: ShareClass
    quantity: int

    @property
    def nominal(self) -> Money:
        return Money(self.share_class.nominal, self.share_class.currency)

    @property
    def value(self) -> Money:
        return Money(self.share_class.nominal * self.quantity, self.share_class.currency)


def holdings_of(db: Session, user_id: uuid.UUID, day: date) -> list[Holding]:
    """What the person holds at the end of ``day``, class by class."""
    held = holdings_on(db, day).get(user_id, {})
    classes = {c.code: c for c in db.scalars(select(ShareClass))}
    return [Holding(classes[code], n) for code, n in sorted(held.items())]


def register_pdf(
    documents: Documents, db: Session, tenant: Tenant, locale: str, day: date
) -> bytes:
    """The whole register up to ``day`` as a PDF, with the capital per class on that day."""
    rows = register_rows(db, day=day)
    return documents.pdf(
        tenant.country,
        "share_register_document.html",
        locale,
        tenant_slug=tenant.slug,
        tenant=tenant,
        day=day,
        rows=rows,
    )


def certificate_pdf(
    documents: Documents, db: Session, tenant: Tenant, member: User, locale: str, day: date
) -> bytes:
    """A member's share certificate on ``day``: holdings, their register lines, signatures."""
    holdings = holdings_of(db, member.id, day)
    total = sum((h.value for h in holdings), Money.zero(tenant.currency))
    return documents.pdf(
        tenant.country,
        "share_certificate.html",
        locale,
        tenant_slug=tenant.slug,
        tenant=tenant,
        member=member,
        day=day,
        holdings=holdings,
        total=total,
        rows=register_rows(db, member.id, day),
    )
