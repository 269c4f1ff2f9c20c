"""The outbox: .eml files in development, SMTP otherwise; failures recorded and retried."""

from __future__ import annotations

import email
import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from coopkit.outbox.models import OutboxMessage, OutboxStatus
from coopkit.outbox.queue import Attachment, OutboxError, queue_email
from coopkit.outbox.sending import send_outbox
from coopkit.settings import Settings, SettingsError
from tests.conftest import Database
from tests.invoicing_world import World, invoicing_world


@pytest.fixture
def world(sqlite_db: Database, plugins) -> World:  # type: ignore[no-untyped-def]
    return invoicing_world(sqlite_db, plugins, "BE", clients=("be_company",))


def queue(db: Database, world: World) -> None:
    with world.session(db) as session:
        queue_email(
            session,
            to="accounts@client.test",
            subject="Payment reminder: invoice F1",
            body="Please pay.",
            reply_to="factures@demo.coopkit.test",
            attachments=[Attachment("reminder-F1.pdf", "application/pdf", b"%PDF-1.7 letter")],
        )
        session.commit()


def statuses(db: Database, world: World) -> list[tuple[OutboxStatus, int]]:
    with world.session(db) as session:
        return [(m.status, m.attempts) for m in session.scalars(select(OutboxMessage))]


def test_development_writes_eml_files_with_the_pdf(
    sqlite_db: Database, world: World, tmp_path: Path
) -> None:
    queue(sqlite_db, world)
    settings = replace(sqlite_db.settings, outbox_dir=tmp_path / "outbox")
    report = send_outbox(sqlite_db.sessions, settings)
    assert (report.sent, report.failed) == (1, 0)
    (written,) = (tmp_path / "outbox").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes())
    assert message["To"] == "accounts@client.test"
    assert message["Reply-To"] == "factures@demo.coopkit.test"
    assert message["Subject"] == "Payment reminder: invoice F1"
    (attachment,) = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "reminder-F1.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True) == b"%PDF-1.7 letter"
    assert statuses(sqlite_db, world) == [(OutboxStatus.SENT, 1)]
    # Sent once: a second run sends nothing.
    assert send_outbox(sqlite_db.sessions, settings).sent == 0
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


class SmtpStub(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for smtplib: greets, accepts one message, keeps it."""

    received: list[bytes] = []
    logins: list[bytes] = []

    def handle(self) -> None:
        self.wfile.write(b"220 stub ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                SmtpStub.received.append(data)
                self.wfile.write(b"250 queued\r\n")
            elif verb == b"EHLO":
                self.wfile.write(b"250-stub\r\n250 AUTH PLAIN\r\n")
            elif verb == b"AUTH":
                SmtpStub.logins.append(line)
                self.wfile.write(b"235 accepted\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_port() -> Iterator[int]:
    SmtpStub.received, SmtpStub.logins = [], []
    server = socketserver.TCPServer(("127.0.0.1", 0), SmtpStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_failing_smtp_is_recorded_and_retried_and_never_sent_twice(
    sqlite_db: Database, world: World, smtp_port: int
) -> None:
    queue(sqlite_db, world)
    down = replace(sqlite_db.settings, smtp_url=f"smtp://127.0.0.1:{closed_port()}")
    report = send_outbox(sqlite_db.sessions, down)
    assert (report.sent, report.failed) == (0, 1)
    assert "ConnectionRefusedError" in report.errors[0]
    with world.session(sqlite_db) as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert (message.status, message.attempts, message.sent_at) == (OutboxStatus.FAILED, 1, None)
        assert "ConnectionRefused" in message.last_error
    up = replace(sqlite_db.settings, smtp_url=f"smtp://user:secret@127.0.0.1:{smtp_port}")
    assert send_outbox(sqlite_db.sessions, up).sent == 1
    assert statuses(sqlite_db, world) == [(OutboxStatus.SENT, 2)]
    assert len(SmtpStub.received) == 1
    assert len(SmtpStub.logins) == 1  # user:secret from the URL
    assert b"Subject: Payment reminder: invoice F1" in SmtpStub.received[0]
    assert send_outbox(sqlite_db.sessions, up).sent == 0
    assert len(SmtpStub.received) == 1


def test_bad_addresses_and_settings_are_refused(sqlite_db: Database, world: World) -> None:
    with world.session(sqlite_db) as session, pytest.raises(OutboxError):
        queue_email(session, to="a@b.test, c@d.test", subject="x", body="y")
    with pytest.raises(SettingsError, match="smtp://"):
        Settings.from_env({"COOPKIT_SMTP_URL": "http://mail.example"})
    settings = Settings.from_env(
        {"COOPKIT_SMTP_URL": "smtp://u:p@mail.example:587", "COOPKIT_SMTP_STARTTLS": "1"}
    )
    assert settings.smtp_starttls
    assert "p@mail" not in repr(settings)
