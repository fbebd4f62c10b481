"""Live across desktops: two desktops (two ``Database`` objects) on one SQLite file, and on the
PostgreSQL server. A change made through one's ticket service makes the other's
``LiveUpdates`` emit ``tickets_changed`` with that ticket's id within 1.5 s; losing the server
is said, and so is getting it back."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from app.services.change_feed import ChangeWatcher
from app.services.database import Database, open_database
from app.views.live_updates import LiveUpdates
from tests.factories import Desk, make_desk

WITHIN_MS = 1500


@pytest.fixture
def desktop_a(database_url: str) -> Iterator[Desk]:
    database = open_database(database_url)
    yield make_desk(database)
    database.close()


@pytest.fixture
def desktop_b(database_url: str, desktop_a: Desk) -> Iterator[Database]:
    database = open_database(database_url)
    yield database
    database.close()


@pytest.fixture
def live_b(qtbot, desktop_b: Database) -> Iterator[LiveUpdates]:
    """Desktop B's live updates, listening."""
    live = LiveUpdates(desktop_b)
    with qtbot.waitSignal(live.listening_started, timeout=10_000):
        live.start()
    yield live
    live.stop()


def test_a_change_on_one_desktop_reaches_the_other_with_its_ticket_id(qtbot, desktop_a, live_b):
    ticket, other = desktop_a.ticket(), desktop_a.ticket(title="Printer jams")
    qtbot.wait(600)  # their creation is reported first; this test is about the change after
    started = time.monotonic()
    with qtbot.waitSignal(
        live_b.tickets_changed, timeout=WITHIN_MS, check_params_cb=lambda ids: ids == [other.id]
    ):
        desktop_a.tickets.comment("lena", other.key, "On my way")
    assert time.monotonic() - started < WITHIN_MS / 1000
    assert ticket.id != other.id


def test_a_ticket_created_on_one_desktop_reaches_the_other(qtbot, desktop_a, live_b):
    with qtbot.waitSignal(live_b.tickets_changed, timeout=WITHIN_MS) as changed:
        ticket = desktop_a.ticket()
    assert changed.args == [[ticket.id]]


def test_with_nothing_changed_nothing_is_emitted(qtbot, desktop_a, live_b):
    with (
        qtbot.assertNotEmitted(live_b.tickets_changed),
        qtbot.assertNotEmitted(live_b.everything_changed),
        qtbot.assertNotEmitted(live_b.connection_lost, wait=1000),  # exits first: waits for all
    ):
        pass


def test_after_stop_nothing_more_is_emitted(qtbot, desktop_a, live_b):
    live_b.stop()
    assert not live_b.is_listening
    with qtbot.assertNotEmitted(live_b.tickets_changed, wait=800):
        desktop_a.ticket()


def test_a_watcher_that_cannot_open_is_said_lost_then_restored_with_everything(qtbot, desktop_b):
    attempts: list[int] = []

    def flaky_watcher(database: Database, **options: Any) -> ChangeWatcher:
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError("the share holding the desk is not mounted")
        return ChangeWatcher(database, **options)

    live = LiveUpdates(desktop_b, watcher_factory=flaky_watcher, wait_slice=0.1)
    reasons: list[str] = []
    live.connection_lost.connect(reasons.append)
    signals = [live.connection_lost, live.connection_restored, live.everything_changed]
    try:
        with qtbot.waitSignals(signals, order="strict", timeout=10_000):
            live.start()
        assert reasons == ["the share holding the desk is not mounted"]
        qtbot.waitUntil(lambda: live.is_listening)
    finally:
        live.stop()
    assert len(attempts) == 3  # lost said once, not once per attempt


@pytest.mark.postgres
def test_a_dropped_server_connection_is_said_lost_then_restored_then_everything(
    qtbot, postgres_url
):
    database = open_database(postgres_url)
    live = LiveUpdates(database)
    reasons: list[str] = []
    live.connection_lost.connect(reasons.append)
    try:
        with qtbot.waitSignal(live.listening_started, timeout=10_000):
            live.start()
        signals = [live.connection_lost, live.connection_restored, live.everything_changed]
        with qtbot.waitSignals(signals, order="strict", timeout=10_000):
            with database.engine.begin() as connection:
                killed = connection.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": f"tierdesk change watcher {os.getpid()}"},
                ).scalar_one()
            assert killed == 1
        assert len(reasons) == 1 and reasons[0]  # the server's words, for the banner
        desk = make_desk(database)
        with qtbot.waitSignal(live.tickets_changed, timeout=WITHIN_MS) as changed:
            ticket = desk.ticket()
        assert changed.args == [[ticket.id]]  # and listening again
    finally:
        live.stop()
        database.close()
