"""Advancing the dunning schedule of a tenant's overdue invoices, once a day.

:func:`advance_dunning` takes, for every open invoice past its due date, the
next step whose day has come (one step per invoice and run, in order); each
step is a :class:`DunningStep` row, unique per invoice and step, so a second
run the same day finds nothing to do. A paid, credited (or written-off)
invoice leaves the schedule because only open invoices are read.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from coopkit.audit.service import record
from coopkit.collection.figures import LateFigures, late_figures
from coopkit.collection.letters import DunningLetter, letter_pdf
from coopkit.collection.models import STEP_ORDER, DunningStep, DunningStepKind
from coopkit.collection.policy import DunningDays, dunning_days_on
from coopkit.db.tenancy import NoTenantSelected, current_tenant
from coopkit.documents import DocumentError
from coopkit.i18n import _, format_money, gettext
from coopkit.invoicing.documents import invoice_document
from coopkit.invoicing.models import Client, DocumentKind, Invoice
from coopkit.law import LawNotInForce, ProfileError
from coopkit.money import Money
from coopkit.outbox.models import OutboxMessage
from coopkit.outbox.queue import Attachment, OutboxError, queue_email
from coopkit.plugins import PluginError, PluginHost
from coopkit.tenants.models import Tenant

# Compared by value: an invoice in any other state (paid, credited, written off…) is not chased.
OPEN_STATES = frozenset({"issued", "partially_paid"})

STEP_NAMES = {
    DunningStepKind.REMINDER: _("payment reminder"),
    DunningStepKind.SECOND_REMINDER: _("second payment reminder"),
    DunningStepKind.FORMAL_NOTICE: _("formal notice to pay"),
}


def letter_filename(step: DunningStepKind, number: str) -> str:
    """``reminder-F2026-00042.pdf``: the letter's file name, as attached and downloaded."""
    return f"{step.value.replace('_', '-')}-{number.replace('/', '-')}.pdf"


@dataclass
class AdvanceReport:
    """What a run did: steps taken by kind, e-mails queued, letters to post, errors."""

    steps: Counter[DunningStepKind] = field(default_factory=Counter)
    emails: int = 0
    to_post: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.steps.values())


def open_overdue(db: Session, day: date) -> list[Invoice]:
    """The session tenant's open invoices whose due date is before ``day``."""
    rows = db.scalars(
        select(Invoice)
        .where(
            Invoice.kind == DocumentKind.INVOICE,
            Invoice.due_date.is_not(None),
            Invoice.due_date < day,
        )
        .order_by(Invoice.due_date, Invoice.number)
    )
    return [row for row in rows if row.status.value in OPEN_STATES]


def steps_taken(db: Session, invoice_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[DunningStep]]:
    """The steps already taken for each of the invoices, in the order they were taken
    (their letters are not loaded)."""
    taken: dict[uuid.UUID, list[DunningStep]] = {}
    if not invoice_ids:
        return taken
    query = (
        select(DunningStep)
        .options(defer(DunningStep.letter_pdf))
        .where(DunningStep.invoice_id.in_(invoice_ids))
    )
    for step in db.scalars(query.order_by(DunningStep.day, DunningStep.created_at)):
        taken.setdefault(step.invoice_id, []).append(step)
    return taken


def next_step(taken: list[DunningStep]) -> DunningStepKind | None:
    """The first step of the schedule not taken yet, or ``None`` after the final one."""
    done = {step.step for step in taken}
    return next((kind for kind in STEP_ORDER if kind not in done), None)


def step_day(invoice: Invoice, step: DunningStepKind, days: DunningDays) -> date:
    """The day ``step`` comes for ``invoice`` under the step days ``days``."""
    assert invoice.due_date is not None
    return invoice.due_date + timedelta(days=days.of(step))


def advance_dunning(
    db: Session,
    *,
    day: date,
    plugins: PluginHost,
    tenant_templates: Path | None = None,
) -> AdvanceReport:
    """Take today's steps for the session's tenant, in the caller's transaction.

    One invoice's failure (a rate missing from the law, a PDF that cannot be
    drawn) is reported and rolled back alone; the other invoices go on.
    """
    tenant_id = current_tenant(db)
    if tenant_id is None:
        raise NoTenantSelected("select the cooperative whose invoices to chase")
    tenant = db.get_one(Tenant, tenant_id)
    days = dunning_days_on(db, day)
    invoices = open_overdue(db, day)
    taken = steps_taken(db, [invoice.id for invoice in invoices])
    report = AdvanceReport()
    for invoice in invoices:
        step = next_step(taken.get(invoice.id, []))
        if step is None or step_day(invoice, step, days) > day:
            continue
        try:
            with db.begin_nested():
                _take_step(db, invoice, step, day, tenant, plugins, tenant_templates, report)
        except (LawNotInForce, ProfileError, PluginError, DocumentError, OutboxError) as error:
            report.errors.append(f"{tenant.slug}: invoice {invoice.number}: {error}")
    return report


def _take_step(
    db: Session,
    invoice: Invoice,
    step: DunningStepKind,
    day: date,
    tenant: Tenant,
    plugins: PluginHost,
    tenant_templates: Path | None,
    report: AdvanceReport,
) -> None:
    figures = late_figures(db, invoice, day, plugins, tenant.country)
    if figures.amount_due <= 0:
        return
    pdf: bytes | None = None
    message_id = None
    if step is not DunningStepKind.FINAL:
        pdf = _letter(db, invoice, step, day, figures, plugins, tenant, tenant_templates)
        client = db.scalars(select(Client).where(Client.id == invoice.client_id)).one()
        if client.email:
            message_id = _queue(db, invoice, step, figures, client.email, pdf).id
            report.emails += 1
        else:
            report.to_post += 1
    row = DunningStep(
        invoice_id=invoice.id,
        step=step,
        day=day,
        days_late=figures.days_late,
        amount_due=figures.amount_due,
        interest=figures.interest,
        compensation=figures.compensation,
        currency=invoice.currency,
        letter_pdf=pdf,
        outbox_message_id=message_id,
    )
    db.add(row)
    db.flush()
    record(
        db,
        f"invoice.dunning.{step.value}",
        "invoice",
        invoice.id,
        {
            "number": invoice.number,
            "day": day,
            "days_late": figures.days_late,
            "amount_due": figures.amount_due,
            "interest": figures.interest,
            "compensation": figures.compensation,
            "emailed": message_id is not None,
        },
    )
    report.steps[step] += 1


def _letter(
    db: Session,
    invoice: Invoice,
    step: DunningStepKind,
    day: date,
    figures: LateFigures,
    plugins: PluginHost,
    tenant: Tenant,
    tenant_templates: Path | None,
) -> bytes:
    letter = DunningLetter(
        step=step,
        day=day,
        days_late=figures.days_late,
        amount_due=figures.amount_due,
        interest=figures.interest,
        compensation=figures.compensation,
        commercial=figures.commercial,
        stretches=figures.stretches,
        compensation_source=figures.compensation_source,
    )
    return letter_pdf(
        letter,
        invoice_document(db, invoice),
        country=plugins.country(tenant.country),
        tenant_slug=tenant.slug,
        tenant_templates=tenant_templates,
    )


def _queue(
    db: Session,
    invoice: Invoice,
    step: DunningStepKind,
    figures: LateFigures,
    to: str,
    pdf: bytes,
) -> OutboxMessage:
    locale = invoice.locale
    seller = invoice.seller or {}
    name = gettext(locale, STEP_NAMES[step])
    total = figures.amount_due + figures.interest + figures.compensation
    subject = gettext(
        locale, "%(what)s: invoice %(number)s", what=name.capitalize(), number=invoice.number
    )
    body = gettext(
        locale,
        "Hello,\n\nPlease find attached our %(what)s about invoice %(number)s: %(total)s is "
        "still to be paid.\n\nIf you have paid in the meantime, please disregard this message.\n\n"
        "%(seller)s",
        what=name,
        number=invoice.number,
        total=format_money(Money(total, invoice.currency), locale),
        seller=seller.get("legal_name", ""),
    )
    return queue_email(
        db,
        to=to,
        subject=subject,
        body=body,
        reply_to=str(seller.get("email") or ""),
        attachments=[
            Attachment(letter_filename(step, invoice.number or ""), "application/pdf", pdf)
        ],
    )
