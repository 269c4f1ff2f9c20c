"""The tables of general assemblies: the assembly and its agenda, resolutions, ballots,
proxies, reminders and the signed minutes.

A resolution's ``kind`` (ordinary / extraordinary) and ``method`` (proposal, poll,
ranked, score, consent) hold the values of :class:`coopkit.governance.rules.ItemKind`
and :class:`coopkit.governance.tally.Method`; CHECK constraints keep them valid.

One vote per voter per resolution is kept by :class:`VoteReceipt` (unique per voter and
resolution), written with every ballot. A secret ballot holds no voter and no time:
only the receipt says who voted, never how.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from coopkit.db.append_only import AppendOnly
from coopkit.db.base import Base, TenantOwned, utcnow
from coopkit.db.types import enum_column
from coopkit.governance.errors import GovernanceConflict

KINDS = ("ordinary", "extraordinary")
METHODS = ("proposal", "poll", "ranked", "score", "consent")


class AssemblyStatus(enum.StrEnum):
    """draft → convened (the convocation went out) → open (in session) → closed."""

    DRAFT = "draft"
    CONVENED = "convened"
    OPEN = "open"
    CLOSED = "closed"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Assembly(TenantOwned, Base):
    """A general assembly (ordinary or extraordinary), or the second call of one.

    ``record_date`` fixes the electorate: who is a member holding a voting share on
    that day votes (coopkit.membership.register.voters_on). ``chain_head`` is the
    audit chain's head when the assembly closed: quoted in the minutes, it proves
    later that no event was removed.
    """

    __tablename__ = "assemblies"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "first_call_id"], ["assemblies.tenant_id", "assemblies.id"]
        ),
        CheckConstraint(_in("kind", KINDS), name="kind_known"),
        CheckConstraint("second_call = (first_call_id IS NOT NULL)", name="second_call_has_first"),
        CheckConstraint("record_date <= meeting_on", name="record_date_before_meeting"),
        Index("ix_assemblies_meeting", "tenant_id", "meeting_on"),
    )

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    meeting_on: Mapped[date] = mapped_column(Date)
    meeting_time: Mapped[str] = mapped_column(String(5), default="")  # "18:30", local time
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    record_date: Mapped[date] = mapped_column(Date)
    status: Mapped[AssemblyStatus] = mapped_column(
        enum_column(AssemblyStatus), default=AssemblyStatus.DRAFT
    )
    second_call: Mapped[bool] = mapped_column(Boolean, default=False)
    first_call_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    convened_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    chain_head: Mapped[str | None] = mapped_column(String(64), default=None)


class AgendaItem(TenantOwned, Base):
    """One point of an assembly's agenda, in order; a resolution may be voted on it."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("tenant_id", "assembly_id", "position"),
    )

    assembly_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")


class AssemblyDocument(TenantOwned, Base):
    """A file put before the members (accounts, a draft of new statutes), kept in the
    database; ``content`` is loaded only when asked for."""

    __tablename__ = "assembly_documents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "assembly_id"],
            ["assemblies.tenant_id", "assemblies.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "resolution_id"],
            ["resolutions.tenant_id", "resolutions.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint(
            "assembly_id IS NOT NULL OR resolution_id IS NOT NULL", name="attached_somewhere"
        ),
    )

    assembly_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    resolution_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SecretBallotFinal(GovernanceConflict):
    """A secret ballot cannot become open again: the ballots already hide their voters."""


class Resolution(TenantOwned, Base):
    """A question put to the vote, on an agenda item or on its own (an online vote).

    ``outcome`` is the tally's result stored at closing (totals as strings, the
    explanation lines); ``adopted`` repeats its verdict for queries. Once ``secret``
    is set it stays set.
    """

    __tablename__ = "resolutions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "assembly_id"], ["assemblies.tenant_id", "assemblies.id"]
        ),
        ForeignKeyConstraint(
            ["tenant_id", "agenda_item_id"], ["agenda_items.tenant_id", "agenda_items.id"]
        ),
        CheckConstraint(_in("kind", KINDS), name="kind_known"),
        CheckConstraint(_in("method", METHODS), name="method_known"),
        CheckConstraint("closes_at > opens_at", name="window_not_empty"),
        CheckConstraint("(closed_at IS NULL) = (outcome IS NULL)", name="outcome_when_closed"),
        CheckConstraint(
            "(effect_kind IS NULL) = (effect_payload IS NULL)", name="effect_has_payload"
        ),
        Index("ix_resolutions_assembly", "tenant_id", "assembly_id"),
        Index("ix_resolutions_closing", "tenant_id", "closed_at", "closes_at"),
    )

    assembly_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="ordinary")
    method: Mapped[str] = mapped_column(String(20), default="proposal")
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_results: Mapped[bool] = mapped_column(Boolean, default=False)
    record_date: Mapped[date] = mapped_column(Date)
    second_call: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    effect_kind: Mapped[str | None] = mapped_column(String(50), default=None)
    effect_payload: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), default=None
    )
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), default=None)
    adopted: Mapped[bool | None] = mapped_column(Boolean, default=None)

    @validates("secret")
    def _secret_stays(self, _key: str, value: bool) -> bool:
        if self.secret and not value:
            raise SecretBallotFinal(
                f"resolution {self.title!r} is a secret ballot: a secret ballot cannot be made "
                "open again, its ballots already hide their voters"
            )
        return value

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class Ballot(AppendOnly, TenantOwned, Base):
    """A vote as the tally reads it: the choice and the voter's college.

    A secret ballot has no ``voter_id`` and no ``cast_at`` (the receipt says who
    voted). ``choice`` is a stance or option code, a list of option codes (ranked)
    or ``{option: score}``. ``proxy_holder_id`` names who cast it for the voter
    (open ballots only).
    """

    __tablename__ = "ballots"
    final_reason = "a vote cast is final"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "resolution_id"], ["resolutions.tenant_id", "resolutions.id"]
        ),
        UniqueConstraint("tenant_id", "resolution_id", "voter_id"),
        Index("ix_ballots_resolution", "tenant_id", "resolution_id"),
    )

    resolution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    voter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    college: Mapped[str | None] = mapped_column(String(20), default=None)
    choice: Mapped[Any] = mapped_column(JSON)
    proxy_holder_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    cast_at: Mapped[datetime | None] = mapped_column(default=None)


class VoteReceipt(AppendOnly, TenantOwned, Base):
    """That a voter has voted on a resolution: one per voter and resolution, never how."""

    __tablename__ = "vote_receipts"
    final_reason = "a vote cast is final"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "resolution_id"], ["resolutions.tenant_id", "resolutions.id"]
        ),
        UniqueConstraint("tenant_id", "resolution_id", "voter_id"),
    )

    resolution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    voter_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    cast_by: Mapped[uuid.UUID] = mapped_column(Uuid)  # the voter, or their proxy holder
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionTally(AppendOnly, TenantOwned, Base):
    """A show of hands in the session, entered by staff: counts per stance or option and
    the number of members present who had not voted online (those who raise no hand
    abstain)."""

    __tablename__ = "session_tallies"
    final_reason = "a show of hands is recorded once"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "resolution_id"], ["resolutions.tenant_id", "resolutions.id"]
        ),
        UniqueConstraint("tenant_id", "resolution_id"),
        CheckConstraint("present >= 0", name="present_not_negative"),
    )

    resolution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    present: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Proxy(TenantOwned, Base):
    """A member (the principal) lets another (the holder) vote for them at an assembly."""

    __tablename__ = "proxies"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "assembly_id"], ["assemblies.tenant_id", "assemblies.id"]
        ),
        UniqueConstraint("tenant_id", "assembly_id", "principal_id"),
        CheckConstraint("principal_id <> holder_id", name="not_to_oneself"),
        Index("ix_proxies_holder", "tenant_id", "assembly_id", "holder_id"),
    )

    assembly_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    principal_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="RESTRICT")
    )
    holder_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="RESTRICT"))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)


class VoteReminder(AppendOnly, TenantOwned, Base):
    """A reminder e-mailed to a voter who had not voted: at most one per voter and resolution."""

    __tablename__ = "vote_reminders"
    final_reason = "a reminder sent stays sent"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "resolution_id"], ["resolutions.tenant_id", "resolutions.id"]
        ),
        UniqueConstraint("tenant_id", "resolution_id", "voter_id"),
    )

    resolution_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    voter_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Minutes(AppendOnly, TenantOwned, Base):
    """The minutes of an assembly as signed by its chair: the PDF and who signed it, final."""

    __tablename__ = "assembly_minutes"
    final_reason = "the minutes are final once signed"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "assembly_id"], ["assemblies.tenant_id", "assemblies.id"]
        ),
        UniqueConstraint("tenant_id", "assembly_id"),
    )

    assembly_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    signed_by_name: Mapped[str] = mapped_column(String(200))
    signed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    chain_head: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
