"""Quotes: writing, sending, the signed link, the client's answer and its record."""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coopkit.activities.models import Activity, ActivityStatus
from coopkit.audit.models import AuditEvent
from coopkit.db.append_only import FinalRecordError
from coopkit.invoicing.models import Client
from coopkit.plugins import PluginHost
from coopkit.quotes import link as links
from coopkit.quotes.confirmation import (
    Origin,
    Signer,
    answer_quote,
    confirmation_of,
    confirmed_order_for,
    open_link,
)
from coopkit.quotes.link import LinkProblem, LinkRefused, read_link, sign_link
from coopkit.quotes.models import QuoteConfirmation, QuoteDecision, QuoteStatus
from coopkit.quotes.service import (
    LineIn,
    QuoteError,
    expire_overdue,
    get_quote,
    list_quotes,
    send_quote,
)
from coopkit.quotes.shown import canonical_json, quote_content, sha256_hex
from tests.conftest import Database
from tests.quotes_world import (
    SECRET,
    TODAY,
    VALID_UNTIL,
    QuoteWorld,
    client_row,
    draft,
    open_world,
    sent,
)

ANA = Signer("Ana Lumière", " Ana@Lumiere.example ", "manager", "Brasserie Lumière")
FROM = Origin("192.0.2.7", "Mozilla/5.0 (tests)")
NOW = datetime(2026, 3, 10, 14, 30, 5, 123456, tzinfo=UTC)


@pytest.fixture
def world(db: Database, plugins: PluginHost) -> QuoteWorld:
    return open_world(db, plugins)


@pytest.fixture
def session(db: Database, world: QuoteWorld) -> Iterator[Session]:
    with world.session(db) as opened:
        yield opened
        opened.rollback()


def accept(session: Session, token: str, **changes: object) -> QuoteConfirmation:
    fields: dict[str, object] = {
        "decision": QuoteDecision.ACCEPTED,
        "signer": ANA,
        "origin": FROM,
        "accepts_terms": True,
        "comment": "Looking forward to it",
        "now": NOW,
    }
    fields.update(changes)
    return answer_quote(session, SECRET, token, **fields)  # type: ignore[arg-type]


# -- writing a draft ----------------------------------------------------------------------


def test_a_draft_has_exact_lines_and_totals_and_no_number(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = draft(session, plugins, world)
    assert (quote.status, quote.number, quote.link_nonce, quote.shown) == (
        QuoteStatus.DRAFT,
        None,
        None,
        None,
    )
    lines = quote_content(session, quote, TODAY)["lines"]
    assert [(line["quantity"], line["unit_price"], line["net"]) for line in lines] == [
        ("2", "400.00", "800.00"),
        ("3", "12.345", "37.04"),  # 37.035 rounded half up to the cent
    ]
    assert [(line["unit"], line["vat_code"], line["vat_rate"]) for line in lines] == [
        ("DAY", "standard", "0.21"),
        ("C62", "standard", "0.21"),
    ]
    assert quote.net_total == Decimal("837.04")
    assert (quote.currency, quote.locale) == ("EUR", "fr")  # the cooperative's, the client's


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"lines": ()}, "lines", "at least one line"),
        (
            {"lines": (LineIn("", Decimal(1), Decimal(1), "standard"),)},
            "lines[0].description",
            "say what is offered",
        ),
        (
            {"lines": (LineIn("x", Decimal(0), Decimal(1), "standard"),)},
            "lines[0].quantity",
            "more than 0",
        ),
        (
            {"lines": (LineIn("x", Decimal("0.0000001"), Decimal(1), "standard"),)},
            "lines[0].quantity",
            "at most 6 decimal places",
        ),
        (
            {"lines": (LineIn("x", Decimal(1), Decimal(-5), "standard"),)},
            "lines[0].unit_price",
            "must not be negative",
        ),
        (
            {"lines": (LineIn("x", Decimal(1), Decimal("1e12"), "standard"),)},
            "lines[0].unit_price",
            "too large",
        ),
        (
            {"lines": (LineIn("x", Decimal(1), Decimal(1), "standard", "days"),)},
            "lines[0].unit",
            "UN/ECE Recommendation 20",
        ),
        (
            {"lines": (LineIn("x", Decimal(1), Decimal(1), "luxury"),)},
            "lines[0].vat_code",
            "'luxury' is not a VAT rate of BE on 2026-03-02",
        ),
        ({"valid_until": TODAY - timedelta(days=1)}, "valid_until", "already past"),
        ({"client_id": uuid.uuid4()}, "client_id", "no client"),
        ({"activity_id": uuid.uuid4()}, "activity_id", "no activity"),
        ({"currency": "EUROS"}, "currency", "not an ISO 4217 currency"),
        ({"locale": "klingon!"}, "locale", "not a language code"),
        ({"title": "x" * 201}, "title", "at most 200"),
    ],
)
def test_bad_input_is_refused_with_the_field_to_fix(
    session: Session,
    plugins: PluginHost,
    world: QuoteWorld,
    changes: dict[str, object],
    field: str,
    says: str,
) -> None:
    with pytest.raises(QuoteError, match=says) as refused:
        draft(session, plugins, world, **changes)
    assert refused.value.field == field


def test_a_float_is_never_money(session: Session, plugins: PluginHost, world: QuoteWorld) -> None:
    with pytest.raises(QuoteError, match="never a float") as refused:
        draft(session, plugins, world, lines=(LineIn("x", 1.5, Decimal(1), "standard"),))  # type: ignore[arg-type]
    assert refused.value.field == "lines[0].quantity"


def test_a_blocked_client_or_a_closed_activity_gets_no_quote(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    blocked = client_row("Bad Payer", vat_number=None)
    blocked.blocked = True
    session.add(blocked)
    session.flush()
    with pytest.raises(QuoteError, match="Bad Payer is blocked") as refused:
        draft(session, plugins, world, client_id=blocked.id)
    assert refused.value.field == "client_id"
    session.execute(
        update(Activity).where(Activity.id == world.solo).values(status=ActivityStatus.CLOSED)
    )
    with pytest.raises(QuoteError, match="is closed"):
        draft(session, plugins, world)


# -- sending -------------------------------------------------------------------------------


def test_sending_numbers_the_quote_and_freezes_what_the_client_sees(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    first = sent(session, plugins, world)
    second = sent(session, plugins, world, activity_id=world.shared)
    assert (first.number, second.number) == ("Q2026-00001", "Q2026-00002")
    assert first.status is QuoteStatus.SENT
    assert first.sent_on == TODAY
    assert first.link_nonce is not None
    assert len(first.link_nonce) >= 22  # 128 random bits
    assert first.link_nonce != second.link_nonce
    content = json.loads(first.shown or "")
    assert first.shown == canonical_json(quote_content(session, first, TODAY))
    assert content["quote"]["number"] == "Q2026-00001"
    assert content["seller"]["name"] == "SMart Test SCE"
    assert content["client"]["name"] == "Brasserie Lumière"
    assert content["activity"]["code"] == "SOLO"
    assert content["totals"] == {"net": "837.04", "currency": "EUR"}
    assert content["quote"]["valid_until"] == "2026-03-31"
    # Later changes to the parties do not change what was sent.
    session.add(client_row("Brasserie Lumière renamed", vat_number=None))
    client = session.scalar(select(Client).where(Client.id == world.client))
    assert client is not None
    client.name = "Lumière SRL"
    session.flush()
    assert json.loads(get_quote(session, first.id, on=TODAY).shown or "") == content


def test_sending_twice_gives_the_same_number_and_link(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    number, token = quote.number, sign_link(SECRET, quote)
    again = send_quote(session, quote.id, on=TODAY + timedelta(days=1))
    assert (again.number, sign_link(SECRET, again)) == (number, token)


def test_a_quote_past_its_validity_is_not_sent(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = draft(session, plugins, world)
    with pytest.raises(QuoteError, match="is past; write a new quote") as refused:
        send_quote(session, quote.id, on=VALID_UNTIL + timedelta(days=1))
    assert refused.value.field == "valid_until"
    assert quote.number is None


def test_a_seller_identity_is_optional(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    session.execute(text("DELETE FROM seller_identities"))
    quote = sent(session, plugins, world)
    seller = json.loads(quote.shown or "")["seller"]
    assert seller == {"name": "Books", "country": "BE"}


# -- the signed link -------------------------------------------------------------------------


def test_the_link_names_the_tenant_and_the_quote_and_is_signed(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    token = sign_link(SECRET, quote)
    claim = read_link(SECRET, token)
    assert (claim.tenant_id, claim.quote_id, claim.valid_until) == (
        world.tenant_id,
        quote.id,
        VALID_UNTIL,
    )
    assert claim.nonce == quote.link_nonce
    assert len(token) < links.MAX_TOKEN


def _tampered(token: str) -> Iterator[str]:
    """Every one-character change of ``token`` (within its alphabet), and a few cuts."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
    for index, char in enumerate(token):
        yield (
            token[:index]
            + alphabet[(alphabet.index(char) + 1) % len(alphabet)]
            + token[index + 1 :]
        )
    yield token[:-1]
    yield token + "A"
    yield token.split(".")[0]


def test_a_tampered_link_is_refused(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    token = sign_link(SECRET, sent(session, plugins, world))
    for changed in _tampered(token):
        with pytest.raises(LinkRefused) as refused:
            read_link(SECRET, changed)
        assert refused.value.problem is LinkProblem.TAMPERED, changed


def test_a_link_signed_otherwise_is_refused(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    payload = [quote.tenant_id.hex, quote.id.hex, quote.link_nonce, "2099-12-31"]
    forged = [
        sign_link("another-installation-" + "k" * 20, quote),
        URLSafeSerializer(SECRET).dumps(payload),  # no salt, SHA-1: another use of the secret
        URLSafeSerializer(SECRET, salt="csrf").dumps(payload),
        "",
        "x" * 1000,
    ]
    for token in forged:
        with pytest.raises(LinkRefused) as refused:
            open_link(session, SECRET, token, on=TODAY)
        assert refused.value.problem is LinkProblem.TAMPERED


def test_a_link_of_another_cooperative_is_refused_in_this_one(
    db: Database, plugins: PluginHost, world: QuoteWorld, session: Session
) -> None:
    other = open_world(db, plugins)
    with other.session(db) as theirs:
        token = sign_link(SECRET, sent(theirs, plugins, other))
        theirs.commit()
    with pytest.raises(LinkRefused) as refused:
        open_link(session, SECRET, token, on=TODAY)
    assert refused.value.problem is LinkProblem.TAMPERED
    # Without a cooperative selected, the token selects its own.
    with db.sessions() as anonymous:
        quote = open_link(anonymous, SECRET, token, on=TODAY)
        assert quote.tenant_id == other.tenant_id


def test_an_expired_link_is_refused_and_the_quote_marked_expired(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    token = sign_link(SECRET, quote)
    assert open_link(session, SECRET, token, on=VALID_UNTIL) == quote  # the last day counts
    with pytest.raises(LinkRefused, match="was valid until 2026-03-31") as refused:
        open_link(session, SECRET, token, on=VALID_UNTIL + timedelta(days=1))
    assert refused.value.problem is LinkProblem.EXPIRED
    assert quote.status is QuoteStatus.EXPIRED
    with pytest.raises(LinkRefused):
        accept(session, token, now=NOW)  # even on a day within the validity: it expired
    assert confirmation_of(session, quote.id) is None


def test_a_link_whose_quote_changed_its_nonce_is_withdrawn(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    token = sign_link(SECRET, quote)
    quote.link_nonce = "replaced-by-staff"
    session.flush()
    with pytest.raises(LinkRefused, match="replaced or withdrawn") as refused:
        open_link(session, SECRET, token, on=TODAY)
    assert refused.value.problem is LinkProblem.WITHDRAWN


# -- the answer --------------------------------------------------------------------------------


def test_an_acceptance_records_who_when_where_and_exactly_what(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    shown = quote.shown
    assert shown is not None
    confirmation = accept(session, sign_link(SECRET, quote), shown_sha256=sha256_hex(shown))
    session.commit()
    session.expire_all()
    row = session.scalar(select(QuoteConfirmation))
    assert row is not None
    assert row.id == confirmation.id
    assert (row.signer_name, row.signer_email, row.signer_role, row.signer_company) == (
        "Ana Lumière",
        "ana@lumiere.example",
        "manager",
        "Brasserie Lumière",
    )
    assert row.decided_at == NOW
    assert (row.ip, row.user_agent) == ("192.0.2.7", "Mozilla/5.0 (tests)")
    assert (row.decision, row.comment) == (QuoteDecision.ACCEPTED, "Looking forward to it")
    # What: the quote as shown, and its hash, which anyone can recompute.
    assert row.shown == shown
    assert row.shown_sha256 == hashlib.sha256(row.shown.encode("utf-8")).hexdigest()
    rebuilt = canonical_json(quote_content(session, get_quote(session, quote.id), TODAY))
    assert hashlib.sha256(rebuilt.encode("utf-8")).hexdigest() == row.shown_sha256
    content = json.loads(row.shown)
    assert content["quote"]["number"] == quote.number
    assert [line["description"] for line in content["lines"]] == [
        "Two days of photography",
        "Prints, A3",
    ]
    assert content["totals"]["net"] == "837.04"
    assert get_quote(session, quote.id, on=TODAY).status is QuoteStatus.CONFIRMED
    assert confirmed_order_for(session, quote.id) == row


def test_an_answer_is_in_the_audit_log(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    accepted, declined = sent(session, plugins, world), sent(session, plugins, world)
    accept(session, sign_link(SECRET, accepted))
    accept(
        session, sign_link(SECRET, declined), decision=QuoteDecision.DECLINED, accepts_terms=False
    )
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    quote_events = [
        (e.action, e.subject_id, e.actor_id) for e in events if e.subject_type == "quote"
    ]
    assert quote_events == [
        ("quote.confirmed", str(accepted.id), None),
        ("quote.declined", str(declined.id), None),
    ]
    data = events[-1].data
    assert data["number"] == declined.number
    assert data["decision"] == "declined"
    assert data["signer_email"] == "ana@lumiere.example"
    assert data["shown_sha256"] == sha256_hex(declined.shown or "")
    assert data["net_total"] == "837.04"


def test_a_declined_quote_is_no_confirmed_order(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    accept(
        session,
        sign_link(SECRET, quote),
        decision=QuoteDecision.DECLINED,
        accepts_terms=False,
        comment="Too expensive",
    )
    assert quote.status is QuoteStatus.DECLINED
    answer = confirmation_of(session, quote.id)
    assert answer is not None
    assert (answer.decision, answer.comment) == (QuoteDecision.DECLINED, "Too expensive")
    assert confirmed_order_for(session, quote.id) is None
    assert confirmed_order_for(session, draft(session, plugins, world).id) is None


def test_a_link_works_once(session: Session, plugins: PluginHost, world: QuoteWorld) -> None:
    quote = sent(session, plugins, world)
    token = sign_link(SECRET, quote)
    accept(session, token)
    for decision in QuoteDecision:
        with pytest.raises(LinkRefused, match="already answered") as refused:
            accept(session, token, decision=decision)
        assert refused.value.problem is LinkProblem.ANSWERED
    assert len(session.scalars(select(QuoteConfirmation)).all()) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accepts_terms": False}, "accept"),
        ({"signer": Signer("", "ana@lumiere.example")}, "name"),
        ({"signer": Signer("Ana", "not-an-address")}, "email"),
        ({"signer": Signer("Ana", "ana@lumiere.example", "r" * 201)}, "role"),
        ({"comment": "c" * 2001}, "comment"),
        ({"shown_sha256": "0" * 64}, "shown_sha256"),
    ],
)
def test_an_answer_that_cannot_be_recorded_says_what_to_fix(
    session: Session,
    plugins: PluginHost,
    world: QuoteWorld,
    changes: dict[str, object],
    field: str,
) -> None:
    quote = sent(session, plugins, world)
    with pytest.raises(QuoteError) as refused:
        accept(session, sign_link(SECRET, quote), **changes)
    assert refused.value.field == field
    assert quote.status is QuoteStatus.SENT
    assert confirmation_of(session, quote.id) is None


def test_a_draft_has_no_link(session: Session, plugins: PluginHost, world: QuoteWorld) -> None:
    with pytest.raises(ValueError, match="send it first"):
        sign_link(SECRET, draft(session, plugins, world))


# -- final once written ---------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_delete_an_answer(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    answer = accept(session, sign_link(SECRET, quote))
    session.commit()
    answer.signer_name = "Someone Else"
    with pytest.raises(FinalRecordError, match="a client's answer stands as given"):
        session.flush()
    session.rollback()
    session.delete(answer)
    with pytest.raises(FinalRecordError, match="refusing to delete a QuoteConfirmation"):
        session.flush()
    session.rollback()
    for statement in (
        update(QuoteConfirmation).values(decision=QuoteDecision.DECLINED),
        delete(QuoteConfirmation).where(QuoteConfirmation.id == answer.id),
    ):
        with pytest.raises(FinalRecordError):
            session.execute(statement)
    session.rollback()


def test_the_database_refuses_to_change_or_delete_an_answer(
    db: Database, session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    accept(session, sign_link(SECRET, quote))
    session.commit()
    with db.engine.connect() as connection:
        for statement in (
            "UPDATE quote_confirmations SET signer_name = 'Someone Else'",
            "UPDATE quote_confirmations SET shown_sha256 = repeat('0', 64)"
            if db.dialect == "postgresql"
            else "UPDATE quote_confirmations SET shown = '{}'",
            "DELETE FROM quote_confirmations",
        ):
            with connection.begin():
                if db.dialect == "postgresql":
                    connection.execute(
                        text("SELECT set_config('coopkit.tenant_id', :t, true)"),
                        {"t": str(world.tenant_id)},
                    )
                with pytest.raises(IntegrityError, match="a client's answer to a quote is final"):
                    connection.execute(text(statement))
    session.expire_all()
    kept = confirmation_of(session, quote.id)
    assert kept is not None
    assert kept.signer_name == "Ana Lumière"


# -- reading --------------------------------------------------------------------------------


def test_quotes_are_listed_by_activity_and_status_and_expire_when_read(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    solo_draft = draft(session, plugins, world)
    solo_sent = sent(session, plugins, world)
    shared_sent = sent(
        session,
        plugins,
        world,
        activity_id=world.shared,
        valid_until=VALID_UNTIL + timedelta(days=30),
    )
    assert {q.id for q in list_quotes(session, on=TODAY)} == {
        solo_draft.id,
        solo_sent.id,
        shared_sent.id,
    }
    assert {q.id for q in list_quotes(session, activity_ids=[world.shared], on=TODAY)} == {
        shared_sent.id
    }
    assert list_quotes(session, activity_ids=[], on=TODAY) == []
    later = VALID_UNTIL + timedelta(days=1)
    assert [q.id for q in list_quotes(session, status=QuoteStatus.EXPIRED, on=later)] == [
        solo_sent.id
    ]
    expire_overdue(session, later)
    assert solo_draft.status is QuoteStatus.DRAFT  # a draft is not sent, so never expires


def test_an_unknown_quote(session: Session) -> None:
    with pytest.raises(LookupError, match="no quote"):
        get_quote(session, uuid.uuid4())


# -- at the same moment ---------------------------------------------------------------------


@pytest.mark.postgres
def test_two_answers_at_once_one_is_recorded_the_other_told(
    postgres_db: Database, plugins: PluginHost
) -> None:
    world = open_world(postgres_db, plugins)
    with world.session(postgres_db) as setup:
        token = sign_link(SECRET, sent(setup, plugins, world))
        setup.commit()
    first, second = postgres_db.sessions(), postgres_db.sessions()
    outcome: dict[str, object] = {}
    try:
        accept(first, token)  # holds the quote's row lock until commit

        def race() -> None:
            try:
                outcome["answer"] = accept(
                    second, token, decision=QuoteDecision.DECLINED, accepts_terms=False
                )
            except LinkRefused as error:
                outcome["refused"] = error

        thread = threading.Thread(target=race)
        thread.start()
        thread.join(timeout=1)
        assert thread.is_alive(), "the second answer should wait for the first"
        first.commit()
        thread.join(timeout=10)
        assert "answer" not in outcome
        refused = outcome["refused"]
        assert isinstance(refused, LinkRefused)
        assert refused.problem is LinkProblem.ANSWERED
    finally:
        first.close()
        second.rollback()
        second.close()
    with world.session(postgres_db) as check:
        answers = check.scalars(select(QuoteConfirmation)).all()
        assert [a.decision for a in answers] == [QuoteDecision.ACCEPTED]


def test_the_unique_key_refuses_a_second_answer_written_behind_the_service(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = sent(session, plugins, world)
    first = accept(session, sign_link(SECRET, quote))
    session.add(
        QuoteConfirmation(
            quote_id=quote.id,
            decision=QuoteDecision.DECLINED,
            signer_name="Mallory",
            signer_email="m@example.org",
            shown=first.shown,
            shown_sha256=first.shown_sha256,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_models_refuse_a_number_on_a_draft(
    session: Session, plugins: PluginHost, world: QuoteWorld
) -> None:
    quote = draft(session, plugins, world)
    quote.number = "Q-HAND-MADE"
    with pytest.raises(IntegrityError):
        session.flush()
