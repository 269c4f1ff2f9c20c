"""What the assemblies API sends and receives (weights and totals as exact decimal strings)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import msgspec
from litestar.datastructures import UploadFile


class AssemblyIn(msgspec.Struct, forbid_unknown_fields=True):
    """An assembly to draft. ``agenda`` lists the items' titles in order; ``first_call_id``
    makes it the second call of an assembly that missed its quorum."""

    title: str
    kind: str
    meeting_on: date
    record_date: date
    meeting_time: str = ""
    place: str = ""
    online_url: str = ""
    agenda: list[str] = msgspec.field(default_factory=list)
    first_call_id: uuid.UUID | None = None


class AgendaItemOut(msgspec.Struct):
    id: uuid.UUID
    position: int
    title: str


class DocumentOut(msgspec.Struct):
    id: uuid.UUID
    file_name: str
    content_type: str
    size: int
    sha256: str
    url: str


class ResolutionOut(msgspec.Struct):
    """A resolution. ``voted`` says whether the caller has voted (never how)."""

    id: uuid.UUID
    assembly_id: uuid.UUID | None
    agenda_item_id: uuid.UUID | None
    title: str
    description: str
    kind: str
    method: str
    options: list[str]
    secret: bool
    hidden_results: bool
    record_date: date
    second_call: bool
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    adopted: bool | None
    effect_kind: str | None
    effect_payload: dict[str, Any] | None
    voted: bool


class AssemblyOut(msgspec.Struct):
    id: uuid.UUID
    title: str
    kind: str
    status: str
    meeting_on: date
    meeting_time: str
    place: str
    online_url: str
    record_date: date
    second_call: bool
    first_call_id: uuid.UUID | None
    convened_at: datetime | None
    closed_at: datetime | None
    chain_head: str | None
    agenda: list[AgendaItemOut]
    documents: list[DocumentOut]
    resolutions: list[ResolutionOut]
    minutes_signed: bool


class ConvocationOut(msgspec.Struct):
    assembly_id: uuid.UUID
    recipients: int


class ResolutionIn(msgspec.Struct, forbid_unknown_fields=True):
    """A resolution to draft: on an agenda item of an assembly or on its own.
    ``effect_payload`` holds exact decimals as strings."""

    title: str
    opens_at: datetime
    closes_at: datetime
    kind: str = "ordinary"
    method: str = "proposal"
    description: str = ""
    options: list[str] = msgspec.field(default_factory=list)
    secret: bool = False
    hidden_results: bool = False
    assembly_id: uuid.UUID | None = None
    agenda_item_id: uuid.UUID | None = None
    record_date: date | None = None
    effect_kind: str | None = None
    effect_payload: dict[str, Any] | None = None


class ResolutionPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only ``secret`` changes after drafting, and only from open to secret."""

    secret: bool


class VoteIn(msgspec.Struct, forbid_unknown_fields=True):
    """A choice: a stance or option code, a list of option codes most preferred first
    (ranked), or ``{option: score 0..5}`` (score). ``on_behalf_of``: the member whose proxy
    you hold."""

    choice: str | list[str] | dict[str, int]
    on_behalf_of: uuid.UUID | None = None


class VoteOut(msgspec.Struct):
    resolution_id: uuid.UUID
    voter_id: uuid.UUID
    cast_by: uuid.UUID
    cast_at: datetime


class ShowOfHandsIn(msgspec.Struct, forbid_unknown_fields=True):
    """Hands counted per stance or option, and the members in the room who had not voted
    online (those who raise no hand on a proposal abstain)."""

    counts: dict[str, int]
    present: int


class ProxyIn(msgspec.Struct, forbid_unknown_fields=True):
    holder_id: uuid.UUID


class ProxyOut(msgspec.Struct):
    id: uuid.UUID
    assembly_id: uuid.UUID
    principal_id: uuid.UUID
    holder_id: uuid.UUID
    given_at: datetime


class ResultOut(msgspec.Struct):
    """The outcome: totals per stance/option (weighted), the verdict and its explanation.
    ``final`` is false for a provisional count of a vote still running."""

    resolution_id: uuid.UUID
    final: bool
    method: str
    adopted: bool | None
    quorum_reached: bool
    present: str
    electorate: str
    totals: dict[str, str]
    winner: str | None
    rounds: list[dict[str, str]]
    explanation: list[str]


class SignatureIn(msgspec.Struct, forbid_unknown_fields=True):
    signed_by: str
    signed_on: date


class MinutesOut(msgspec.Struct):
    assembly_id: uuid.UUID
    signed_by: str
    signed_on: date
    chain_head: str
    sha256: str
    url: str


@dataclass
class DocumentForm:
    """One or more ``documents`` files (PDF, JPEG or PNG, at most 10 MB each)."""

    documents: list[UploadFile] = field(default_factory=list)
    resolution_id: str = ""
