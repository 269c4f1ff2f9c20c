"""What staff see of debt collection on a day: the overdue invoices being chased, those
ready for collection or write-off, and the invoices written off.

Read-only; shared by the staff page ``/t/{slug}/collection`` and the API
operation ``listDunning``. The interest and compensation are counted to the day
asked for (``late_figures``); when the law records no rate for one of the late
days, the row carries the law's message instead of figures.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.collection.figures import late_figures, owed_by_day, owed_on
from coopkit.collection.models import DunningStep, DunningStepKind
from coopkit.collection.policy import dunning_days_on
from coopkit.collection.schedule import next_step, open_overdue, step_day, steps_taken
from coopkit.guarantee.models import InvoiceWriteOff
from coopkit.i18n import _
from coopkit.invoicing.models import Client, Invoice
from coopkit.law import LawNotInForce, ProfileError
from coopkit.plugins import PluginError, PluginHost


@dataclass(frozen=True)
class ChasedInvoice:
    """An open invoice past its due date, where its schedule stands on ``day``.

    ``interest`` and ``compensation`` are ``None`` with ``figures_error`` set
    when the law cannot give them for that day.
    """

    invoice: Invoice
    client: str
    days_late: int
    amount_due: Decimal
    steps: tuple[DunningStep, ...]  # taken, in order; letter_pdf not loaded
    letters: frozenset[uuid.UUID]  # the steps that have a letter
    next_step: DunningStepKind | None
    next_day: date | None
    interest: Decimal | None
    compensation: Decimal | None
    figures_error: str = ""

    @property
    def last_step(self) -> DunningStep | None:
        return self.steps[-1] if self.steps else None

    @property
    def ready(self) -> bool:
        """The final step is taken: staff decide on collection or write-off."""
        return any(step.step is DunningStepKind.FINAL for step in self.steps)


@dataclass(frozen=True)
class WrittenOffInvoice:
    invoice_id: uuid.UUID
    number: str
    day: date
    amount: Decimal  # what was still due, VAT included
    advance_absorbed: Decimal  # what the guarantee fund absorbed of the invoice's advance
    currency: str


@dataclass(frozen=True)
class CollectionOverview:
    day: date
    chased: list[ChasedInvoice]  # steps still to come
    ready: list[ChasedInvoice]  # final step taken
    written_off: list[WrittenOffInvoice]


def collection_overview(
    db: Session, day: date, plugins: PluginHost, country: str
) -> CollectionOverview:
    """The session tenant's debt collection on ``day`` under the law of ``country``.

    The invoices listed are those open now and due before ``day``, with the steps
    taken by ``day``; days late, interest and compensation are counted to ``day``.
    """
    invoices = open_overdue(db, day)
    taken = steps_taken(db, [invoice.id for invoice in invoices])
    with_letter = frozenset(
        db.scalars(
            select(DunningStep.id).where(
                DunningStep.invoice_id.in_([invoice.id for invoice in invoices]),
                DunningStep.letter_pdf.is_not(None),
            )
        )
    )
    names: dict[uuid.UUID, str] = {
        row.id: row.name for row in db.execute(select(Client.id, Client.name))
    }
    days = dunning_days_on(db, day)
    rows = []
    for invoice in invoices:
        steps = tuple(step for step in taken.get(invoice.id, []) if step.day <= day)
        coming = next_step(list(steps))
        rows.append(
            _chased(
                db,
                invoice,
                day,
                plugins,
                country,
                client=names.get(invoice.client_id, ""),
                steps=steps,
                letters=frozenset(s.id for s in steps if s.id in with_letter),
                coming=coming,
                coming_day=None if coming is None else step_day(invoice, coming, days),
            )
        )
    return CollectionOverview(
        day,
        [row for row in rows if not row.ready],
        [row for row in rows if row.ready],
        written_off(db, day),
    )


def _chased(
    db: Session,
    invoice: Invoice,
    day: date,
    plugins: PluginHost,
    country: str,
    *,
    client: str,
    steps: tuple[DunningStep, ...],
    letters: frozenset[uuid.UUID],
    coming: DunningStepKind | None,
    coming_day: date | None,
) -> ChasedInvoice:
    assert invoice.due_date is not None
    days_late = (day - invoice.due_date).days
    try:
        figures = late_figures(db, invoice, day, plugins, country)
    except (LawNotInForce, ProfileError, PluginError) as error:
        amount_due = owed_on(owed_by_day(db, invoice), day)
        return ChasedInvoice(invoice, client, days_late, amount_due, steps, letters, coming,
                             coming_day, None, None, str(error))  # fmt: skip
    return ChasedInvoice(invoice, client, days_late, figures.amount_due, steps, letters, coming,
                         coming_day, figures.interest, figures.compensation)  # fmt: skip


def written_off(db: Session, day: date) -> list[WrittenOffInvoice]:
    """The session tenant's invoices written off by ``day``, latest first."""
    rows = db.execute(
        select(InvoiceWriteOff, Invoice.number)
        .join(Invoice, Invoice.id == InvoiceWriteOff.invoice_id)
        .where(InvoiceWriteOff.day <= day)
        .order_by(InvoiceWriteOff.day.desc(), Invoice.number.desc())
    ).all()
    return [
        WrittenOffInvoice(w.invoice_id, number or "", w.day, w.due_written_off,
                          w.advance_absorbed, w.currency)
        for w, number in rows
    ]  # fmt: skip


def steps_of(db: Session, invoice_id: uuid.UUID) -> list[DunningStep]:
    """The steps taken for one invoice, in order (the reminders on its page)."""
    return steps_taken(db, [invoice_id]).get(invoice_id, [])


STEP_LABELS = {
    DunningStepKind.REMINDER: _("Reminder"),
    DunningStepKind.SECOND_REMINDER: _("Second reminder"),
    DunningStepKind.FORMAL_NOTICE: _("Formal notice"),
    DunningStepKind.FINAL: _("Final step: collection or write-off"),
}
