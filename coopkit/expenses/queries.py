"""Reading expense claims: one, a list, the queue, a receipt — with who may see what.

``visible_to`` is the person asking when they are not staff: they see the
claims of the activities they work in; anybody else gets ExpenseNotFound,
exactly as for a claim that does not exist.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, undefer

from coopkit.activities.models import ActivityMember
from coopkit.expenses.errors import ExpenseNotFound
from coopkit.expenses.models import ExpenseClaim, ExpenseReceipt, ExpenseStatus


def _my_activities(user_id: uuid.UUID) -> Select[uuid.UUID]:
    return select(ActivityMember.activity_id).where(ActivityMember.user_id == user_id)


def get_expense(
    db: Session, claim_id: uuid.UUID, visible_to: uuid.UUID | None = None
) -> ExpenseClaim:
    query = select(ExpenseClaim).where(ExpenseClaim.id == claim_id)
    if visible_to is not None:
        query = query.where(ExpenseClaim.activity_id.in_(_my_activities(visible_to)))
    claim = db.scalar(query)
    if claim is None:
        raise ExpenseNotFound(claim_id)
    return claim


def list_expenses(
    db: Session,
    visible_to: uuid.UUID | None = None,
    status: ExpenseStatus | None = None,
    oldest_first: bool = False,
) -> list[ExpenseClaim]:
    """Claims, newest first (``oldest_first``: the approval queue's order)."""
    query = select(ExpenseClaim)
    if visible_to is not None:
        query = query.where(ExpenseClaim.activity_id.in_(_my_activities(visible_to)))
    if status is not None:
        query = query.where(ExpenseClaim.status == status)
    order = ExpenseClaim.submitted_at.asc() if oldest_first else ExpenseClaim.submitted_at.desc()
    return list(db.scalars(query.order_by(order, ExpenseClaim.id)))


def receipts_of(db: Session, claim: ExpenseClaim) -> list[ExpenseReceipt]:
    """The claim's receipts, without their content."""
    return list(
        db.scalars(
            select(ExpenseReceipt)
            .where(ExpenseReceipt.claim_id == claim.id)
            .order_by(ExpenseReceipt.uploaded_at, ExpenseReceipt.id)
        )
    )


def receipt_file(db: Session, claim: ExpenseClaim, receipt_id: uuid.UUID) -> ExpenseReceipt:
    """One receipt of the claim with its content; ExpenseNotFound otherwise."""
    receipt = db.scalar(
        select(ExpenseReceipt)
        .where(ExpenseReceipt.claim_id == claim.id, ExpenseReceipt.id == receipt_id)
        .options(undefer(ExpenseReceipt.content))
    )
    if receipt is None:
        raise ExpenseNotFound(f"receipt {receipt_id}")
    return receipt
