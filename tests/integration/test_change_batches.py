"""Which tickets changed: ``ChangeWatcher.wait_for_changes`` reports a change made by another
connection or process with exactly its ticket's id, a burst as one batch, and nothing when
nothing (or nothing about tickets) was committed; on PostgreSQL it reports losing the server and
getting it back, then ``everything``, since announcements made meanwhile were lost."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from app.models import Role, Ticket
from app.services import change_feed
from app.services.change_feed import EVERYTHING, ChangeBatch, ChangeWatcher, FeedConnection
from app.services.clock import FixedClock
from app.services.database import Database, open_database
from app.services.escalation import EscalationService
from app.services.sla_policy import SlaPolicyService
from tests.factories import Desk, make_desk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def heard() -> list[FeedConnection]:
    return []


@pytest.fixture
def watcher(database: Database, heard: list[FeedConnection]) -> Iterator[ChangeWatcher]:
    watcher = ChangeWatcher(database, on_connection=heard.append)
    yield watcher
    watcher.close()


def comment(desk: Desk, key: str, body: str = "Looking into it") -> None:
    desk.tickets.comment("lena", key, body)


def test_a_change_by_another_connection_comes_with_exactly_its_ticket(desk, watcher, heard):
    first, second = desk.ticket(), desk.ticket(title="Printer jams")
    assert watcher.wait_for_changes(5) == ChangeBatch(frozenset({first.id, second.id}))
    comment(desk, second.key)
    started = time.monotonic()
    batch = watcher.wait_for_changes(10)
    assert batch == ChangeBatch(frozenset({second.id}))
    assert time.monotonic() - started < 1.5
    assert heard == []  # never lost the connection


def test_a_ticket_created_by_another_process_comes_with_its_id(desk, database_url, watcher):
    created = subprocess.run(
        [sys.executable, "main.py", "--db", database_url, "--as", "lena", "ticket", "create",
         "--title", "Printer jams", "--requester", "Carla Customer", "--category", "Printer"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    batch = watcher.wait_for_changes(10)
    with desk.database.read() as session:
        ticket_id = session.scalar(select(Ticket.id).where(Ticket.title == "Printer jams"))
    assert batch == ChangeBatch(frozenset({ticket_id}))


def test_changes_made_close_together_come_as_one_batch(desk, watcher):
    tickets = [desk.ticket(title=f"Ticket {n}") for n in range(3)]
    assert watcher.wait_for_changes(0.6) is not None  # their creation
    for ticket in tickets:
        comment(desk, ticket.key)
    comment(desk, tickets[0].key, "And again")
    time.sleep(0.5)  # all committed and delivered before the watcher looks
    assert watcher.wait_for_changes(5) == ChangeBatch(frozenset(t.id for t in tickets))
    assert watcher.wait_for_changes(0.6) is None  # the burst was reported once


def test_with_nothing_committed_there_is_no_batch(desk, watcher):
    desk.ticket()
    watcher.wait_for_changes(0.6)
    started = time.monotonic()
    assert watcher.wait_for_changes(0.6) is None
    assert time.monotonic() - started >= 0.55


def test_a_commit_that_changes_no_ticket_is_no_batch(desk, watcher):
    """A new category or person is no ticket change (PostgreSQL announces none either)."""
    desk.ticket()
    watcher.wait_for_changes(0.6)
    desk.desk.add_category("Phones", "L1")
    desk.desk.add_user("nina", "Nina Neu", Role.AGENT, ("L1",))
    assert watcher.wait_for_changes(0.8) is None


def test_more_tickets_than_a_batch_holds_are_everything(desk, watcher, monkeypatch):
    monkeypatch.setattr(change_feed, "MAX_BATCH_TICKETS", 2)
    tickets = [desk.ticket(title=f"Ticket {n}") for n in range(3)]
    time.sleep(0.5)
    assert watcher.wait_for_changes(5) == EVERYTHING
    comment(desk, tickets[1].key)
    assert watcher.wait_for_changes(5) == ChangeBatch(frozenset({tickets[1].id}))


# ---------------------------------------------------------------------------- PostgreSQL
def terminate_watchers(database: Database) -> int:
    """The server drops this process's watcher sessions, as a restart or a failover would."""
    with database.engine.begin() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": f"tierdesk change watcher {os.getpid()}"},
            ).scalar_one()
        )


@pytest.mark.postgres
def test_a_dropped_connection_is_reported_lost_then_back_then_everything(postgres_url):
    database = open_database(postgres_url)
    desk = make_desk(database)
    ticket = desk.ticket()
    heard: list[FeedConnection] = []
    watcher = ChangeWatcher(database, on_connection=heard.append)
    try:
        assert watcher.wait_for_changes(0.3) is None
        assert terminate_watchers(database) == 1
        assert watcher.wait_for_changes(5) == EVERYTHING
        assert [state.connected for state in heard] == [False, True]
        assert heard[0].error  # the server's words, for the banner
        assert watcher.connection == FeedConnection(connected=True)
        comment(desk, ticket.key)
        assert watcher.wait_for_changes(5) == ChangeBatch(frozenset({ticket.id}))
    finally:
        watcher.close()
        database.close()


class TcpRelay:
    """A relay in front of the PostgreSQL server that can be switched off and on: while off,
    its connections are cut and new ones refused, as if the server had gone away (without
    stopping the server that other tests share)."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self.port = 0

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the blocked accept() (Linux)
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # switched off
            server = socket.create_connection(self._target)
            self._sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.mark.postgres
def test_while_the_server_is_away_the_watcher_says_so_and_comes_back_by_itself(postgres_url):
    url = make_url(postgres_url)
    relay = TcpRelay(url.host or "127.0.0.1", url.port or 5432)
    relay.start()
    relayed = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    database = open_database(postgres_url)
    through_relay = open_database(relayed, migrate=False)
    heard: list[FeedConnection] = []
    watcher = ChangeWatcher(through_relay, on_connection=heard.append)
    try:
        desk = make_desk(database)
        ticket = desk.ticket()
        assert watcher.wait_for_changes(5) == ChangeBatch(frozenset({ticket.id}))
        relay.stop()
        for _ in range(3):  # away: said once, and no changes made up
            assert watcher.wait_for_changes(0.3) is None
        assert [state.connected for state in heard] == [False]
        assert watcher.connection.connected is False
        comment(desk, ticket.key)  # a change while away: its announcement is lost
        relay.start()
        batch = None
        deadline = time.monotonic() + 10
        while batch is None and time.monotonic() < deadline:
            batch = watcher.wait_for_changes(0.3)
        assert batch == EVERYTHING
        assert [state.connected for state in heard] == [False, True]
        comment(desk, ticket.key, "Back")
        assert watcher.wait_for_changes(5) == ChangeBatch(frozenset({ticket.id}))
    finally:
        watcher.close()
        relay.stop()
        through_relay.close()
        database.close()


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


def test_an_unreadable_sqlite_file_is_reported_lost_until_it_reads_again(sqlite_url, monkeypatch):
    """A busy file is normal (a checkpoint); an I/O error (a network share gone) is not."""
    database = open_database(sqlite_url)
    desk = make_desk(database)
    ticket = desk.ticket()
    heard: list[FeedConnection] = []
    watcher = ChangeWatcher(database, on_connection=heard.append, poll_seconds=0.05)
    read = watcher._read_data_version
    failures = [
        sqlite_error("database is locked", sqlite3.SQLITE_BUSY),
        sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR),
        sqlite_error("disk I/O error", sqlite3.SQLITE_IOERR),
    ]

    def flaky_read() -> int:
        if failures:
            raise failures.pop(0)
        return read()

    monkeypatch.setattr(watcher, "_read_data_version", flaky_read)
    try:
        assert watcher.wait_for_changes(0) is None  # one look: busy, not lost
        assert heard == []
        assert watcher.wait_for_changes(0) is None
        assert heard == [FeedConnection(False, "disk I/O error")]
        comment(desk, ticket.key)  # while the file cannot be read
        assert watcher.wait_for_changes(5) == ChangeBatch(frozenset({ticket.id}))
        assert heard[-1] == FeedConnection(True)
        assert len(heard) == 2
    finally:
        watcher.close()
        database.close()


def test_the_tickets_one_pass_escalated_come_as_one_batch(desk, watcher, monkeypatch):
    monkeypatch.setattr(change_feed, "IDS_PER_NOTIFY", 2)  # several notifications of a batch
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    ids = {desk.ticket(title=f"Due {n}").id for n in range(5)}
    watcher.wait_for_changes(1.0)  # the creations
    monday_13 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # their L1 tier clocks have expired
    report = EscalationService(desk.database, FixedClock(monday_13)).run_pass()
    assert len(report.escalations) == 5
    heard_ids: set[int] = set()
    deadline = time.monotonic() + 3
    while heard_ids != ids and time.monotonic() < deadline:
        batch = watcher.wait_for_changes(0.5)
        if batch is not None:
            heard_ids |= batch.ticket_ids
    assert heard_ids == ids
