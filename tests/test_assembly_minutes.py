"""Closing with an effect, and the minutes: a PDF with the outcome lines and the audit chain's
head, signed by the chair and final."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pypdf
import pytest
from sqlalchemy.orm import Session

from coopkit.audit import service as audit
from coopkit.db.append_only import FinalRecordError
from coopkit.documents import template_folders
from coopkit.governance import effects
from coopkit.governance.assemblies import close_assembly
from coopkit.governance.closing import close_resolution
from coopkit.governance.effects import Adoption, EffectRefused
from coopkit.governance.errors import GovernanceConflict
from coopkit.governance.minutes import minutes_pdf, sign_minutes
from coopkit.governance.voting import cast_vote, give_proxy
from coopkit.plugins import PluginHost
from tests.governance_world import (
    AFTER,
    CLOSES,
    DURING,
    Coop,
    convene,
    convened_assembly,
    cooperative,
    resolution,
    rules_of_law,
    use_rules,
)

APPLIED: list[tuple[dict[str, Any], Adoption]] = []


class MottoEffect:
    """A test effect: an adopted resolution sets the cooperative's motto (here, a list)."""

    kind = "test_motto"
    label = "Change the motto"

    def validate(self, db: Session, payload: Mapping[str, Any], on: date) -> dict[str, Any]:
        motto = str(payload.get("motto", "")).strip()
        if not motto:
            raise EffectRefused("a motto needs words", "test statutes art. 1")
        return {"motto": motto}

    def apply(self, db: Session, payload: Mapping[str, Any], adoption: Adoption) -> None:
        APPLIED.append((dict(payload), adoption))


@pytest.fixture
def motto_effect() -> Iterator[None]:
    effects.register(MottoEffect())
    APPLIED.clear()
    yield
    del effects.EFFECTS["test_motto"]


@pytest.fixture
def coop(sqlite_db: Any, plugins: PluginHost, monkeypatch: pytest.MonkeyPatch) -> Iterator[Coop]:
    use_rules(monkeypatch, rules_of_law())
    with sqlite_db.sessions() as session:
        yield cooperative(session, plugins, 4, locales=["en"])  # minutes in English
        session.rollback()


def session_of(coop: Coop) -> Session:
    from sqlalchemy.orm import object_session

    found = object_session(coop.shares)
    assert found is not None
    return found


@pytest.mark.usefixtures("motto_effect")
def test_an_adopted_resolution_applies_its_effect_once_and_a_rejected_one_not(coop: Coop) -> None:
    session = session_of(coop)
    assembly = convened_assembly(session, coop)
    adopted = resolution(
        session, assembly, "New motto", effect_kind="test_motto", effect_payload={"motto": " Us "}
    )
    rejected = resolution(
        session, assembly, "Other motto", effect_kind="test_motto", effect_payload={"motto": "Me"}
    )
    assert adopted.effect_payload == {"motto": "Us"}  # normalised at creation
    convene(session, coop, assembly)
    cast_vote(session, adopted.id, coop.member(0), "agree", now=DURING)
    cast_vote(session, rejected.id, coop.member(0), "disagree", now=DURING)
    close_resolution(session, coop.tenant, adopted.id, None, AFTER)
    close_resolution(session, coop.tenant, rejected.id, None, AFTER)
    close_resolution(session, coop.tenant, adopted.id, None, AFTER)  # again: nothing more
    [(payload, adoption)] = APPLIED
    assert payload == {"motto": "Us"}
    assert adoption.resolution_id == adopted.id
    assert adoption.adopted_on == AFTER.date()
    assert adoption.decided_by == "General assembly of 2026-06-12: New motto"


@pytest.mark.usefixtures("motto_effect")
def test_an_effect_the_rules_refuse_is_refused_at_creation(coop: Coop) -> None:
    session = session_of(coop)
    with pytest.raises(EffectRefused, match=r"test statutes art\. 1"):
        resolution(session, None, "Empty", effect_kind="test_motto", effect_payload={"motto": ""})
    with pytest.raises(EffectRefused, match="no resolution effect 'nothing'"):
        resolution(session, None, "Unknown", effect_kind="nothing", effect_payload={})


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join((page.extract_text() or "") for page in reader.pages)


@pytest.mark.usefixtures("weasyprint")
def test_the_minutes_show_the_outcome_lines_and_the_chain_head_and_are_final(coop: Coop) -> None:
    session = session_of(coop)
    assembly = convened_assembly(session, coop)
    item = resolution(session, assembly)
    convene(session, coop, assembly)
    give_proxy(session, coop.tenant, assembly.id, coop.member(3), coop.member(2))
    cast_vote(session, item.id, coop.member(0), "agree", now=DURING)
    cast_vote(session, item.id, coop.member(1), "disagree", now=DURING)
    cast_vote(session, item.id, coop.member(2), "agree", now=DURING)
    cast_vote(session, item.id, coop.member(2), "agree", principal_id=coop.member(3), now=DURING)
    folders = template_folders(None)
    with pytest.raises(GovernanceConflict, match="not closed"):
        sign_minutes(
            session,
            coop.tenant,
            assembly.id,
            folders,
            signed_by="Ann",
            signed_on=AFTER.date(),
            by=None,
        )
    close_assembly(session, assembly, coop.tenant, None, AFTER)
    head = assembly.chain_head
    assert head is not None
    assert head == audit.verify(session).head
    draft = pdf_text(minutes_pdf(session, coop.tenant, assembly, folders))
    assert "Draft: not signed yet" in draft
    minutes = sign_minutes(
        session, coop.tenant, assembly.id, folders,
        signed_by="Ann Chair", signed_on=date(2026, 6, 13), by=None,
    )  # fmt: skip
    text = " ".join(pdf_text(minutes.pdf).split())
    # 3 agree (one by proxy), 1 disagree of 4 voters: no quorum needed, 3 > 1.
    assert "Approve the accounts" in text
    assert "Adopted." in text
    assert "simple majority: 3 for, 2 needed" in text
    assert "Members entitled to vote 4" in text
    assert "Present 3" in text
    assert "Represented by proxy 1" in text
    assert head in text.replace(" ", "")
    assert "Signed by Ann Chair, chair, on June 13, 2026" in text
    assert minutes.chain_head == head
    with pytest.raises(GovernanceConflict, match="signed already"):
        sign_minutes(
            session,
            coop.tenant,
            assembly.id,
            folders,
            signed_by="Bob",
            signed_on=AFTER.date(),
            by=None,
        )
    minutes.signed_by_name = "Someone else"
    with pytest.raises(FinalRecordError):
        session.flush()


def test_an_adopted_fee_rate_resolution_changes_the_rates_with_no_manual_step(coop: Coop) -> None:
    from decimal import Decimal

    from coopkit.ledger.policy import rates_on

    session = session_of(coop)
    assembly = convened_assembly(session, coop)
    payload = {"valid_from": "2026-07-01", "fee_rate": "0.065", "guarantee_rate": "0.02"}
    item = resolution(
        session, assembly, "Fee 6.5 %", effect_kind="fee_rate", effect_payload=payload
    )
    convene(session, coop, assembly)
    for index in range(3):
        cast_vote(session, item.id, coop.member(index), "agree", now=DURING)
    close_resolution(session, coop.tenant, item.id, None, AFTER)
    assert item.adopted is True
    assert rates_on(session, date(2026, 7, 1)).fee_rate == Decimal("0.065")
    decision = rates_on(session, date(2026, 7, 1)).decided_by
    assert decision == "General assembly of 2026-06-12: Fee 6.5 %"


def test_a_vote_counted_days_after_it_ended_applies_its_effect_from_the_day_it_ended(
    coop: Coop,
) -> None:
    """The effect was validated for the closing day; counting late (close-due running
    three days after) must not make it "before the decision" and block the count."""
    from datetime import timedelta
    from decimal import Decimal

    from coopkit.ledger.policy import rates_on

    session = session_of(coop)
    assembly = convened_assembly(session, coop)
    ends = CLOSES.date()
    payload = {"valid_from": ends.isoformat(), "fee_rate": "0.07", "guarantee_rate": "0.02"}
    item = resolution(session, assembly, "Fee 7 %", effect_kind="fee_rate", effect_payload=payload)
    convene(session, coop, assembly)
    for index in range(3):
        cast_vote(session, item.id, coop.member(index), "agree", now=DURING)
    close_resolution(session, coop.tenant, item.id, None, CLOSES + timedelta(days=3))
    assert item.adopted is True
    assert rates_on(session, ends).fee_rate == Decimal("0.07")
