"""Sending the queued e-mails: SMTP in production, ``.eml`` files in development.

Each message is sent in its own transaction: it is locked (PostgreSQL: ``FOR
UPDATE SKIP LOCKED``, so two runs never take the same one), sent, then marked
``sent`` with the time. A failure is recorded on the row (``failed``, the
error, one more attempt) and the message is tried again on the next run; a
message marked ``sent`` is never picked again.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.db.base import utcnow
from coopkit.db.tenancy import set_tenant
from coopkit.outbox.models import OutboxMessage, OutboxStatus
from coopkit.outbox.queue import attachments_of
from coopkit.settings import Settings
from coopkit.tenants.models import Tenant

SMTP_TIMEOUT = 30
WAITING = (OutboxStatus.QUEUED, OutboxStatus.FAILED)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def email_of(db: Session, message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as a MIME e-mail, attachments included."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    if message.reply_to:
        email["Reply-To"] = message.reply_to
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=str(message.id))
    email.set_content(message.body)
    for item in attachments_of(db, message):
        maintype, _, subtype = item.content_type.partition("/")
        email.add_attachment(
            item.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=item.filename,
        )
    return email


def deliver(email: EmailMessage, message_id: uuid.UUID, settings: Settings) -> None:
    """Send ``email`` over SMTP, or write it to the outbox folder when no SMTP is set."""
    if settings.smtp_url:
        _send_smtp(email, settings.smtp_url, starttls=settings.smtp_starttls)
        return
    folder = settings.outbox_dir
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{message_id}.eml.part"
    partial.write_bytes(email.as_bytes())
    partial.replace(folder / f"{message_id}.eml")


def _send_smtp(email: EmailMessage, url: str, *, starttls: bool) -> None:
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            host, parts.port or 465, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT)
    with client:
        if starttls and parts.scheme != "smtps":
            client.starttls(context=ssl.create_default_context())
        if parts.username:
            client.login(unquote(parts.username), unquote(parts.password or ""))
        client.send_message(email)


def _tenant_ids(
    db_factory: Callable[[], Session], only: Iterable[uuid.UUID] | None
) -> list[uuid.UUID]:
    if only is not None:
        return list(only)
    with db_factory() as db:
        return list(db.scalars(select(Tenant.id).order_by(Tenant.slug)))


def send_outbox(
    db_factory: Callable[[], Session],
    settings: Settings,
    tenant_ids: Iterable[uuid.UUID] | None = None,
) -> SendReport:
    """Send every waiting message of the tenants (all by default), one transaction each."""
    report = SendReport()
    for tenant_id in _tenant_ids(db_factory, tenant_ids):
        with db_factory() as db:
            set_tenant(db, tenant_id)
            waiting = list(
                db.scalars(
                    select(OutboxMessage.id)
                    .where(OutboxMessage.status.in_(WAITING))
                    .order_by(OutboxMessage.created_at, OutboxMessage.id)
                )
            )
        for message_id in waiting:
            _send_one(db_factory, settings, tenant_id, message_id, report)
    return report


def _send_one(
    db_factory: Callable[[], Session],
    settings: Settings,
    tenant_id: uuid.UUID,
    message_id: uuid.UUID,
    report: SendReport,
) -> None:
    with db_factory() as db:
        set_tenant(db, tenant_id)
        message = db.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.status.in_(WAITING))
            .with_for_update(skip_locked=True)
        )
        if message is None:  # sent meanwhile by another run
            return
        message.attempts += 1
        try:
            deliver(email_of(db, message, settings.mail_from), message.id, settings)
        except (OSError, smtplib.SMTPException) as error:
            message.status = OutboxStatus.FAILED
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            report.failed += 1
            report.errors.append(f"{message.to_address}: {message.last_error}")
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = ""
            report.sent += 1
        db.commit()


__all__ = ["SendReport", "deliver", "email_of", "send_outbox"]
