"""What the incubator's API sends and receives (amounts are exact decimals)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import msgspec
from litestar.datastructures import UploadFile


class ProjectIn(msgspec.Struct, forbid_unknown_fields=True):
    """A new project: the future coop's name, slug and legal form (a code the country's
    plugin offers, such as SC in Belgium); country, currency and locales default to the
    incubator's, the coach to you."""

    name: str
    slug: str
    legal_form: str
    purpose: str = ""
    seat: str = ""
    country: str | None = None
    currency: str | None = None
    locales: list[str] | None = None
    coach_id: uuid.UUID | None = None
    financial_year_start: str = "01-01"
    primary_colour: str | None = None
    accent_colour: str | None = None


class ProjectSummary(msgspec.Struct):
    id: uuid.UUID
    name: str
    slug: str
    stage: str
    legal_form: str
    country: str
    purpose: str
    launched_tenant: str | None


class FounderIn(msgspec.Struct, forbid_unknown_fields=True):
    """A founder with an account (``person_id``) or a name and an e-mail address."""

    person_id: uuid.UUID | None = None
    name: str = ""
    email: str | None = None
    address: str = ""
    category: str = ""


class FounderOut(msgspec.Struct):
    id: uuid.UUID
    person_id: uuid.UUID | None
    name: str
    email: str | None
    category: str
    joined_on: date
    pledged: dict[str, int]


class ShareClassIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str
    name: str
    nominal: Decimal
    min_holding: int = 1
    max_per_member: int | None = None
    voting: bool = True


class ShareClassOut(msgspec.Struct):
    code: str
    name: str
    nominal: Decimal
    min_holding: int
    max_per_member: int | None
    voting: bool


class PledgeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Shares pledged for the launch (0 withdraws); for yourself, or (a coach) for the
    founder ``founder_id``."""

    share_class: str
    quantity: int
    founder_id: uuid.UUID | None = None


class PledgeOut(msgspec.Struct):
    founder_id: uuid.UUID
    share_class: str
    quantity: int
    pledged_on: date


class ChecklistItemOut(msgspec.Struct):
    id: uuid.UUID
    stage: str
    position: int
    label: str
    done_on: date | None


class DocumentOut(msgspec.Struct):
    id: uuid.UUID
    stage: str
    filename: str
    media_type: str
    size: int
    sha256: str


@dataclass
class DocumentForm:
    """A ``document`` file and the ``stage`` it belongs to (the current one if empty)."""

    document: UploadFile
    stage: str = ""


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    opens_at: datetime
    closes_at: datetime


class DecisionOut(msgspec.Struct):
    """A GO/STOP decision; ``outcome`` is null while open and after a close without
    majority or quorum."""

    id: uuid.UUID
    stage: str
    opens_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    outcome: str | None
    explanation: list[str]
    ballots: int


class BallotIn(msgspec.Struct, forbid_unknown_fields=True):
    """go, stop or abstain; for yourself, or (a coach) for the founder ``founder_id``."""

    choice: str
    founder_id: uuid.UUID | None = None


class BallotOut(msgspec.Struct):
    decision_id: uuid.UUID
    founder_id: uuid.UUID
    choice: str
    cast_at: datetime


class StageChangeOut(msgspec.Struct):
    from_stage: str | None
    to_stage: str
    changed_at: datetime


class ProjectOut(msgspec.Struct):
    """A project with everything about it: founders and pledges, planned shares, the
    checklist, documents, decisions and the stages it went through."""

    id: uuid.UUID
    name: str
    slug: str
    stage: str
    legal_form: str
    country: str
    currency: str
    locales: list[str]
    purpose: str
    seat: str
    coach_id: uuid.UUID | None
    financial_year_start: str
    primary_colour: str | None
    accent_colour: str | None
    pledged_capital: Decimal
    founders: list[FounderOut]
    share_classes: list[ShareClassOut]
    checklist: list[ChecklistItemOut]
    documents: list[DocumentOut]
    decisions: list[DecisionOut]
    history: list[StageChangeOut]
    launched_tenant: str | None


class LaunchIn(msgspec.Struct, forbid_unknown_fields=True):
    """The day the member coop starts (today by default): founders are members and their
    shares paid from that day."""

    day: date | None = None


class LaunchOut(msgspec.Struct):
    project_id: uuid.UUID
    tenant_id: uuid.UUID
    slug: str
    name: str
    members: int
    capital: Decimal
    currency: str
