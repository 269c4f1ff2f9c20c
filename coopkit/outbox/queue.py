"""Queueing an e-mail in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.outbox.models import OutboxAttachment, OutboxMessage


class OutboxError(ValueError):
    """A message that cannot be queued."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


def queue_email(
    db: Session,
    *,
    to: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
) -> OutboxMessage:
    """Store an e-mail for the session's tenant; ``send_outbox`` sends it later."""
    if "@" not in to or any(c in to for c in "\r\n, "):
        raise OutboxError(f"{to!r} is not one e-mail address")
    if not subject.strip() or any(c in subject for c in "\r\n"):
        raise OutboxError("an e-mail needs a subject on one line")
    message = OutboxMessage(to_address=to, subject=subject, body=body, reply_to=reply_to)
    db.add(message)
    db.flush()
    for position, item in enumerate(attachments, start=1):
        db.add(
            OutboxAttachment(
                message_id=message.id,
                position=position,
                filename=item.filename,
                content_type=item.content_type,
                content=item.content,
            )
        )
    db.flush()
    return message


def attachments_of(db: Session, message: OutboxMessage) -> list[OutboxAttachment]:
    return list(
        db.scalars(
            select(OutboxAttachment)
            .where(OutboxAttachment.message_id == message.id)
            .order_by(OutboxAttachment.position)
        )
    )
