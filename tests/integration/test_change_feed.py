"""The change feed: a commit made through another connection or process wakes a waiting
``ChangeWatcher`` at once; nothing committed (or a rolled-back change) leaves it asleep until its
timeout; on PostgreSQL it listens again by itself after losing its connection, and only to its
own desk's (schema's) announcements."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from app.models import Ticket
from app.services.change_feed import ChangeWatcher, announce_ticket_change
from app.services.database import Database, open_database
from tests.factories import make_desk

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def watcher(database: Database) -> Iterator[ChangeWatcher]:
    watcher = ChangeWatcher(database)
    yield watcher
    watcher.close()


def later(seconds: float, action: Callable[[], object]) -> threading.Thread:
    """Run ``action`` on another thread after ``seconds``: a change while ``wait`` blocks."""

    def run() -> None:
        time.sleep(seconds)
        action()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def retitle(database: Database, ticket_id: int, title: str) -> None:
    """A ticket change as TierDesk's own changes make it: the write and its announcement."""
    with database.write() as session:
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(title=title))
        announce_ticket_change(session, ticket_id)


def timed_wait(watcher: ChangeWatcher, timeout: float) -> tuple[bool, float]:
    started = time.monotonic()
    changed = watcher.wait(timeout)
    return changed, time.monotonic() - started


def test_a_change_committed_by_another_connection_wakes_the_watcher_at_once(desk, watcher):
    ticket = desk.ticket()
    watcher.wait(0.3)  # the watcher opened before the ticket was created: that change is news
    change = later(0.3, lambda: retitle(desk.database, ticket.id, "VPN drops"))
    changed, waited = timed_wait(watcher, 10)
    change.join()
    assert changed
    assert waited < 1.5  # woken by the commit, not by the timeout


def test_with_nothing_committed_wait_returns_false_after_its_timeout(desk, watcher):
    desk.ticket()
    watcher.wait(0.3)
    changed, waited = timed_wait(watcher, 0.6)
    assert not changed
    assert waited >= 0.55


def test_a_rolled_back_change_does_not_wake_the_watcher(desk, watcher):
    ticket = desk.ticket()
    watcher.wait(0.3)

    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), desk.database.write() as session:
        session.execute(update(Ticket).where(Ticket.id == ticket.id).values(title="Never"))
        announce_ticket_change(session, ticket.id)
        raise Abandon
    assert watcher.wait(0.6) is False


def test_a_ticket_created_by_another_process_wakes_the_watcher(desk, database_url, watcher):
    watcher.wait(0.3)
    created = subprocess.run(
        [sys.executable, "main.py", "--db", database_url, "--as", "lena", "ticket", "create",
         "--title", "Printer jams", "--requester", "Carla Customer", "--category", "Printer"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert watcher.wait(10)
    with desk.database.read() as session:
        assert session.scalar(select(Ticket.title)) == "Printer jams"


@pytest.mark.postgres
def test_the_watcher_listens_again_after_losing_its_connection(postgres_url):
    database = open_database(postgres_url)
    desk = make_desk(database)
    ticket = desk.ticket()
    watcher = ChangeWatcher(database)
    try:
        watcher.wait(0.3)
        with database.engine.begin() as connection:  # the server drops the watcher's session
            killed = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": f"tierdesk change watcher {os.getpid()}"},
            ).scalar_one()
        assert killed == 1
        assert watcher.wait(5)  # back, and saying that changes may have been missed
        change = later(0.3, lambda: retitle(database, ticket.id, "Back again"))
        changed, waited = timed_wait(watcher, 10)
        change.join()
        assert changed and waited < 1.5
    finally:
        watcher.close()
        database.close()


@pytest.mark.postgres
def test_announcements_of_another_desk_on_the_same_server_are_passed_over(postgres_url):
    database = open_database(postgres_url)
    watcher = ChangeWatcher(database)
    try:
        with database.engine.begin() as connection:
            ours = connection.execute(text("SELECT current_schema()")).scalar_one()
            for schema in ("public", f"{ours}_other"):  # other desks, in other schemas
                connection.execute(
                    text("SELECT pg_notify('tierdesk_tickets', :payload)"),
                    {"payload": f"{schema}:1"},
                )
        assert watcher.wait(0.6) is False
        with database.engine.begin() as connection:
            connection.execute(
                text("SELECT pg_notify('tierdesk_tickets', :payload)"), {"payload": f"{ours}:1"}
            )
        assert watcher.wait(5) is True
    finally:
        watcher.close()
        database.close()
