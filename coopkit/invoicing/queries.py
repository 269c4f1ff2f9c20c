"""Finding invoices: by activity, status and client; a member sees their activities' only."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.activities.models import ActivityMember
from coopkit.invoicing.models import DocumentKind, Invoice, InvoiceStatus


def list_invoices(
    db: Session,
    *,
    member: uuid.UUID | None = None,
    activity_id: uuid.UUID | None = None,
    status: InvoiceStatus | None = None,
    client_id: uuid.UUID | None = None,
    kind: DocumentKind | None = None,
    limit: int = 500,
) -> list[Invoice]:
    """Invoices and credit notes, newest first; ``member``: only the activities they work in."""
    query = select(Invoice).order_by(
        Invoice.issue_date.desc().nulls_first(), Invoice.created_at.desc()
    )
    if member is not None:
        query = query.where(
            Invoice.activity_id.in_(
                select(ActivityMember.activity_id).where(ActivityMember.user_id == member)
            )
        )
    if activity_id is not None:
        query = query.where(Invoice.activity_id == activity_id)
    if status is not None:
        query = query.where(Invoice.status == status)
    if client_id is not None:
        query = query.where(Invoice.client_id == client_id)
    if kind is not None:
        query = query.where(Invoice.kind == kind)
    return list(db.scalars(query.limit(limit)))


def credit_notes_of(db: Session, invoice: Invoice) -> list[Invoice]:
    return list(
        db.scalars(
            select(Invoice)
            .where(Invoice.credits_id == invoice.id, Invoice.kind == DocumentKind.CREDIT_NOTE)
            .order_by(Invoice.issue_date, Invoice.number)
        )
    )
