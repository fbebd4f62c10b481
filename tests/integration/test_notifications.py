"""Who is told about SLA alerts, and the e-mail of the same sent once through a real SMTP server
(aiosmtpd, started by the test): the assignee and the agents of the tier hear of warnings and
escalations, supervisors of breaches at the top, managers of nothing."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.models import AlertKind, SlaAlert
from app.services.clock import FixedClock
from app.services.desk import DeskService
from app.services.errors import InvalidInput
from app.services.escalation import EscalationService
from app.services.mailer import AlertMailer, MailError, MailSettings
from app.services.notifications import NotificationService
from app.services.sla_policy import SlaPolicyService

REPO = Path(__file__).resolve().parents[2]
MONDAY_11 = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # an L1 P2 ticket opened at 09:00 is due


@pytest.fixture
def sla_desk(desk):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    return desk


def run_pass(desk, at: datetime):
    return EscalationService(desk.database, FixedClock(at)).run_pass()


def heard(desk, login: str, after: int = 0) -> list[tuple[str, AlertKind]]:
    notes = NotificationService(desk.database).for_user(login, after)
    return [(note.key, note.kind) for note in notes]


def test_each_person_hears_of_the_alerts_of_their_tickets_and_tiers(sla_desk):
    ticket = sla_desk.ticket(priority="P2")
    sla_desk.tickets.comment("lena", ticket.key, "On it", ticket.version)
    run_pass(sla_desk, MONDAY_11)  # L1 warning at 10:30, then escalation to L2 at 11:00
    assert heard(sla_desk, "lena") == [
        (ticket.key, AlertKind.WARNING),
        (ticket.key, AlertKind.ESCALATION),
    ]
    assert heard(sla_desk, "tom") == [(ticket.key, AlertKind.ESCALATION)]  # L2 receives it
    assert heard(sla_desk, "ines") == []  # L3
    assert heard(sla_desk, "max") == []  # managers follow reports
    escalated = NotificationService(sla_desk.database).for_user("tom", 0)[0]
    assert escalated.headline() == f"{ticket.key} escalated L1 → L2"
    assert "tier clock expired at Mon 02 Mar 11:00" in escalated.message(UTC)
    assert "Standard policy v1" in escalated.message(UTC)


def test_supervisors_hear_of_breaches_at_the_top_and_readers_resume_where_they_were(sla_desk):
    seen = NotificationService(sla_desk.database).latest_alert_id()
    top = sla_desk.ticket(priority="P2", tier="Vendor", actor="vic")
    sla_desk.tickets.comment("vic", top.key, "Vendor looking", top.version)
    run_pass(sla_desk, datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    breaches = [(top.key, AlertKind.BREACH)]
    assert [item for item in heard(sla_desk, "sara", seen) if item[1] == AlertKind.BREACH] == (
        breaches
    )
    last = NotificationService(sla_desk.database).latest_alert_id()
    assert heard(sla_desk, "sara", last) == []


class Inbox:
    """A real SMTP server on localhost keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_alerts_are_mailed_once_to_the_people_they_concern(sla_desk, inbox):
    handler, port = inbox
    desk = DeskService(sla_desk.database)
    desk.set_email("lena", "lena@example.org")
    desk.set_email("tom", "tom@example.org")
    ticket = sla_desk.ticket(priority="P2")
    sla_desk.tickets.comment("lena", ticket.key, "On it", ticket.version)
    run_pass(sla_desk, MONDAY_11)
    mailer = AlertMailer(
        sla_desk.database, MailSettings(host="127.0.0.1", port=port, sender="desk@example.org")
    )
    assert mailer.send_pending() == 2
    sent = {message["Subject"]: sorted(to) for to, message in handler.messages}
    assert sent == {
        f"[TierDesk] {ticket.key}: tier clock nearly due": ["lena@example.org"],
        f"[TierDesk] {ticket.key} escalated L1 → L2": ["lena@example.org", "tom@example.org"],
    }
    body = handler.messages[1][1].get_content()
    assert "moved to the L2 queue" in str(body)
    assert mailer.send_pending() == 0  # once
    assert len(handler.messages) == 2


def test_an_unreachable_mail_server_leaves_the_alerts_to_be_mailed_later(sla_desk, inbox):
    _handler, port = inbox
    DeskService(sla_desk.database).set_email("lena", "lena@example.org")
    sla_desk.ticket(priority="P2")
    run_pass(sla_desk, MONDAY_11)
    down = AlertMailer(
        sla_desk.database, MailSettings(host="127.0.0.1", port=free_port(), sender="d@x.org")
    )
    with pytest.raises(MailError, match="could not mail SLA alerts through 127.0.0.1"):
        down.send_pending()
    with sla_desk.database.read() as session:
        assert session.scalars(select(SlaAlert.mailed_at)).all() == [None] * 6
    up = AlertMailer(sla_desk.database, MailSettings(host="127.0.0.1", port=port, sender="d@x.org"))
    assert up.send_pending() > 0


@pytest.mark.parametrize("address", ["lena", "lena@", "@example.org", "le na@example.org", "a@b"])
def test_a_malformed_email_address_is_refused_by_field(sla_desk, address):
    with pytest.raises(InvalidInput) as refused:
        DeskService(sla_desk.database).set_email("lena", address)
    assert refused.value.field == "email"


def test_the_headless_worker_mails_the_alerts_it_fires(sla_desk, database_url, inbox):
    handler, port = inbox
    DeskService(sla_desk.database).set_email("tom", "tom@example.org")
    ticket = sla_desk.ticket()  # opened in March 2026: long overdue by the database's clock
    worker = subprocess.Popen(
        [sys.executable, "main.py", "--db", database_url, "worker", "--smtp-host", "127.0.0.1",
         "--smtp-port", str(port), "--mail-from", "desk@example.org"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not handler.messages:
        time.sleep(0.2)
    worker.send_signal(signal.SIGTERM)
    _out, log = worker.communicate(timeout=30)
    assert worker.returncode == 0, log
    [(to, message)] = handler.messages
    assert (to, message["Subject"]) == (
        ["tom@example.org"],
        f"[TierDesk] {ticket.key} escalated L1 → L2",
    )
    assert "mailed 1 SLA alert(s)" in log


def test_the_worker_refuses_mail_settings_that_cannot_work(sla_desk, database_url, capsys):
    from app.cli import main

    assert main(["--db", database_url, "worker", "--smtp-host", "localhost"]) == 2
    assert "--mail-from: mailing alerts needs a sender address" in capsys.readouterr().err
    assert main(["--db", database_url, "worker", "--smtp-host", "localhost", "--mail-from",
                 "d@x.org", "--mail-time-zone", "Mars/Base"]) == 2  # fmt: skip
    assert "'Mars/Base' is not an IANA time zone name" in capsys.readouterr().err
