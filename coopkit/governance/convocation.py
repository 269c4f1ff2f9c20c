"""Convening an assembly within the notice period, and reminding voters who have not voted.

The convocation is an e-mail through the outbox to every member entitled to vote on
the record date, in their language, with the agenda, the links and the documents.
A record date after the convocation day is read with the register as it stands: who
joins in between is not convened (the law and statutes usually fix it before).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.base import utcnow
from coopkit.documents import document_locale
from coopkit.governance.assemblies import (
    agenda_of,
    documents_of,
    get_assembly,
    resolutions_of,
)
from coopkit.governance.errors import GovernanceConflict, GovernanceError
from coopkit.governance.models import (
    Assembly,
    AssemblyStatus,
    Resolution,
    VoteReceipt,
    VoteReminder,
)
from coopkit.governance.rules import assembly_rules, electorate_on
from coopkit.i18n import format_day, gettext
from coopkit.outbox.queue import Attachment, queue_email
from coopkit.people.models import User
from coopkit.tenants.models import Tenant


def assembly_link(base_url: str, tenant: Tenant, assembly_id: uuid.UUID) -> str:
    return f"{base_url.rstrip('/')}/t/{tenant.slug}/assemblies/{assembly_id}"


def vote_link(base_url: str, tenant: Tenant, resolution_id: uuid.UUID) -> str:
    return f"{base_url.rstrip('/')}/t/{tenant.slug}/votes/{resolution_id}"


def _convocation_body(
    db: Session, tenant: Tenant, assembly: Assembly, locale: str, base_url: str
) -> str:
    lines = [
        gettext(
            locale,
            "You are convened to the general assembly %(title)s of %(coop)s on %(day)s.",
            title=assembly.title,
            coop=tenant.name,
            day=format_day(assembly.meeting_on, locale, "long")
            + (f" {assembly.meeting_time}" if assembly.meeting_time else ""),
        ),
    ]
    if assembly.place:
        lines.append(gettext(locale, "Place: %(place)s", place=assembly.place))
    if assembly.online_url:
        lines.append(gettext(locale, "Online: %(url)s", url=assembly.online_url))
    lines += ["", gettext(locale, "Agenda:")]
    lines += [f"{item.position}. {item.title}" for item in agenda_of(db, assembly)]
    resolutions = resolutions_of(db, assembly)
    if resolutions:
        lines += ["", gettext(locale, "Resolutions put to the vote:")]
        lines += [f"- {r.title}: {vote_link(base_url, tenant, r.id)}" for r in resolutions]
    lines += [
        "",
        gettext(
            locale,
            "The assembly, its documents and your proxy: %(link)s",
            link=assembly_link(base_url, tenant, assembly.id),
        ),
    ]
    return "\n".join(lines)


def convoke(
    db: Session,
    tenant: Tenant,
    assembly_id: uuid.UUID,
    by: uuid.UUID | None,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> int:
    """Send the convocation to the electorate of the record date; the number of e-mails.

    Refused when the meeting is closer than the notice period of the law and statutes
    in force (coopkit.governance.rules.assembly_rules), citing its source.
    """
    moment = now or utcnow()
    assembly = get_assembly(db, assembly_id)
    if assembly.status is not AssemblyStatus.DRAFT:
        raise GovernanceConflict(f"assembly {assembly.title!r} was convened already")
    rules = assembly_rules(db, tenant, moment.date())
    notice = (assembly.meeting_on - moment.date()).days
    if notice < rules.notice_days:
        earliest = moment.date() + timedelta(days=rules.notice_days)
        raise GovernanceError(
            f"the meeting on {assembly.meeting_on} is {notice} days away; a convocation goes out "
            f"at least {rules.notice_days} days before: meet on {earliest} or later",
            rules.notice_source,
            "meeting_on",
        )
    documents = [
        Attachment(doc.file_name, doc.content_type, doc.content)
        for doc in documents_of(db, assembly)
    ]
    electorate = electorate_on(db, assembly.record_date)
    people = db.scalars(select(User).where(User.id.in_(list(electorate.voters)))).all()
    letters: dict[str, tuple[str, str]] = {}  # one text per language
    for person in sorted(people, key=lambda p: p.email):
        locale = document_locale(person.locale, tenant.locales)
        if locale not in letters:
            letters[locale] = (
                gettext(
                    locale,
                    "Convocation: %(title)s on %(day)s",
                    title=assembly.title,
                    day=format_day(assembly.meeting_on, locale),
                ),
                _convocation_body(db, tenant, assembly, locale, base_url),
            )
        subject, body = letters[locale]
        queue_email(db, to=person.email, subject=subject, body=body, attachments=documents)
    assembly.status = AssemblyStatus.CONVENED
    assembly.convened_at = moment
    audit.record(
        db,
        "assembly.convened",
        "assembly",
        assembly.id,
        {
            "meeting_on": assembly.meeting_on,
            "record_date": assembly.record_date,
            "notice_days": notice,
            "notice_rule": rules.notice_source,
            "recipients": len(people),
        },
        actor_id=by,
    )
    return len(people)


def remind(
    db: Session,
    tenant: Tenant,
    hours: int,
    *,
    now: datetime | None = None,
    base_url: str = "",
) -> int:
    """E-mail the voters who have not voted on a vote closing within ``hours``; once per voter
    and resolution. The number of reminders queued."""
    moment = now or utcnow()
    running = db.scalars(
        select(Resolution).where(
            Resolution.closed_at.is_(None),
            Resolution.opens_at <= moment,
            Resolution.closes_at > moment,
            Resolution.closes_at <= moment + timedelta(hours=hours),
        )
    ).all()
    queued = 0
    for resolution in running:
        if resolution.assembly_id is not None:
            status = get_assembly(db, resolution.assembly_id).status
            if status not in (AssemblyStatus.CONVENED, AssemblyStatus.OPEN):
                continue
        done = set(
            db.scalars(
                select(VoteReceipt.voter_id).where(VoteReceipt.resolution_id == resolution.id)
            )
        ) | set(
            db.scalars(
                select(VoteReminder.voter_id).where(VoteReminder.resolution_id == resolution.id)
            )
        )
        waiting = [v for v in electorate_on(db, resolution.record_date).voters if v not in done]
        for person in db.scalars(select(User).where(User.id.in_(waiting))):
            locale = document_locale(person.locale, tenant.locales)
            queue_email(
                db,
                to=person.email,
                subject=gettext(locale, "Reminder: vote on %(title)s", title=resolution.title),
                body=gettext(
                    locale,
                    "The vote on %(title)s closes on %(closes)s UTC and you have not voted yet. "
                    "Vote here: %(link)s",
                    title=resolution.title,
                    closes=f"{resolution.closes_at:%Y-%m-%d %H:%M}",
                    link=vote_link(base_url, tenant, resolution.id),
                ),
            )
            db.add(VoteReminder(resolution_id=resolution.id, voter_id=person.id, sent_at=moment))
            queued += 1
    db.flush()
    return queued
