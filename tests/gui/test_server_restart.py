"""The PostgreSQL server restarted while a desktop is open (this machine's own server, through
``pg_ctlcluster``): the window says the connection is lost and goes read-only, reconnects by
itself when the server is back, and an edit in progress in the ticket dialog is either
committed or reported as not saved and kept in the dialog, never lost silently.

It stops the real server for a few seconds, so it lives in a module of its own with a
module-scoped fixture that always puts the server back up (``pg_isready``) before leaving, and
it restarts the server twice in all. Other tests' databases reconnect by themselves
(``open_database`` pools with ``pool_pre_ping``). Skipped where no local cluster can be
controlled (``pg_ctlcluster`` missing, or the test server is not this machine's).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from sqlalchemy import create_engine, text

from app.services.database import open_database
from app.services.errors import DatabaseError
from app.services.history import check_history
from app.views.live_updates import LiveUpdates
from app.views.main_window import MainWindowView
from app.views.operations import SynchronousOperationRunner
from app.views.ticket_dialog import TicketDialog
from tests.conftest import POSTGRES_URL, postgres_unavailable_reason
from tests.factories import T0, Desk, make_desk

CLUSTERS = Path("/etc/postgresql")
READY_WITHIN_S = 60
SIGNAL_MS = 30_000


class LocalServer:
    """This machine's PostgreSQL cluster, stopped, started and restarted for real."""

    def __init__(self) -> None:
        versions = sorted(path.name for path in CLUSTERS.iterdir())
        self.version = versions[-1]

    def _control(self, action: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, "main", action],
            check=True,
            capture_output=True,
            timeout=READY_WITHIN_S,
        )

    def is_ready(self) -> bool:
        return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]).returncode == 0

    def wait_ready(self) -> None:
        deadline = time.monotonic() + READY_WITHIN_S
        while not self.is_ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL not ready {READY_WITHIN_S} s after starting")
            time.sleep(0.2)

    def stop(self) -> None:
        self._control("stop")

    def start(self) -> None:
        self._control("start")
        self.wait_ready()

    def restart(self) -> None:
        self._control("restart")
        self.wait_ready()

    def ensure_up(self) -> None:
        if not self.is_ready():
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, "main", "start"],
                capture_output=True,
                timeout=READY_WITHIN_S,
            )
            self.wait_ready()


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    """The local cluster, put back up whatever the test did."""
    if shutil.which("pg_ctlcluster") is None or not CLUSTERS.is_dir():
        pytest.skip("no local PostgreSQL cluster to restart (pg_ctlcluster)")
    if "@127.0.0.1" not in POSTGRES_URL and "@localhost" not in POSTGRES_URL:
        pytest.skip(f"the test server {POSTGRES_URL} is not this machine's")
    local = LocalServer()
    try:
        yield local
    finally:
        local.ensure_up()


@pytest.fixture
def desk_on_server(server: LocalServer) -> Iterator[Desk]:
    """A desk in a schema of its own, made and dropped through a pool that pings first (the
    session's shared schema is left alone: its fixture's connections would not survive)."""
    reason = postgres_unavailable_reason()
    if reason:
        pytest.skip(reason)
    schema = f"tierdesk_restart_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, pool_pre_ping=True)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    database = open_database(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    try:
        yield make_desk(database)
    finally:
        database.close()
        server.ensure_up()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def open_desktop(qtbot, desk: Desk, tmp_path: Path) -> tuple[MainWindowView, LiveUpdates]:
    """Lena's main window, listening to the change feed, with the board loaded."""
    runner = SynchronousOperationRunner()
    live = LiveUpdates(desk.database)
    window = MainWindowView(
        desk.database,
        desk.desk.user("lena"),
        runner,
        tickets=desk.tickets,
        now=lambda: T0 + timedelta(hours=1),
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        live=live,
    )
    qtbot.addWidget(window)
    window.reload()
    with qtbot.waitSignal(live.listening_started, timeout=SIGNAL_MS):
        live.start()
    return window, live


def open_dialog(qtbot, desk: Desk, key: str, window: MainWindowView) -> TicketDialog:
    dialog = TicketDialog(
        desk.tickets.get(key), desk.desk.user("lena"), desk.tickets, desk.desk, window.runner
    )
    qtbot.addWidget(dialog)
    return dialog


def select_card(window: MainWindowView, tier: str, ticket_id: int) -> None:
    column = window.board_view.column(tier)
    row = column.model.row_of(ticket_id)
    assert row is not None
    column.view.selectionModel().select(
        column.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def stored(desk: Desk, key: str) -> tuple[str, int]:
    """The ticket's title and version as the database has them."""
    ticket = desk.tickets.get(key).ticket
    return ticket.title, ticket.version


@pytest.mark.postgres
def test_server_down_then_up_the_window_goes_read_only_and_back_and_the_edit_is_kept(
    qtbot, desk_on_server, server, tmp_path
):
    desk = desk_on_server
    ticket = desk.ticket()
    window, live = open_desktop(qtbot, desk, tmp_path)
    try:
        select_card(window, "L1", ticket.id)
        assert window.ticket_actions.escalate_action.isEnabled()
        dialog = open_dialog(qtbot, desk, ticket.key, window)
        typed = "Typed while the server was away"
        dialog.title_edit.setText(typed)

        with qtbot.waitSignal(live.connection_lost, timeout=SIGNAL_MS):
            server.stop()
        # The window says so and goes read-only.
        qtbot.waitUntil(
            lambda: window.connection_label.text() == "Connection lost: read-only",
            timeout=SIGNAL_MS,
        )
        assert "reconnects by itself" in window.message_bar.text()
        assert not window.ticket_actions.escalate_action.isEnabled()
        # Saving now: refused in words, and what was typed stays in the dialog.
        dialog.save_button.click()
        assert dialog.message_bar.text().startswith("Not saved: ")
        assert "What you typed is kept here" in dialog.message_bar.text()
        assert dialog.title_edit.text() == typed
        assert dialog.edited_fields() == ["title"]

        with qtbot.waitSignal(live.connection_restored, timeout=SIGNAL_MS):
            server.start()
        qtbot.waitUntil(lambda: window.connection_label.text() == "Live", timeout=SIGNAL_MS)
        qtbot.waitUntil(window.ticket_actions.escalate_action.isEnabled, timeout=SIGNAL_MS)
        assert window.message_bar.text() == ""
        # Nothing was written while away; saving again now commits the edit, once.
        assert stored(desk, ticket.key) == (ticket.title, ticket.version)
        with qtbot.waitSignal(dialog.ticket_changed, timeout=SIGNAL_MS):
            dialog.save_button.click()
        assert stored(desk, ticket.key) == (typed, ticket.version + 1)
        assert dialog.title_edit.text() == typed and dialog.edited_fields() == []
    finally:
        live.stop()
        server.ensure_up()
    assert check_history(desk.database).mismatches == ()


@pytest.mark.postgres
def test_a_restart_between_typing_and_saving_commits_the_edit(
    qtbot, desk_on_server, server, tmp_path
):
    desk = desk_on_server
    ticket = desk.ticket()
    window, live = open_desktop(qtbot, desk, tmp_path)
    try:
        dialog = open_dialog(qtbot, desk, ticket.key, window)
        typed = "Typed across a restart"
        dialog.title_edit.setText(typed)

        with qtbot.waitSignals(
            [live.connection_lost, live.connection_restored], order="strict", timeout=SIGNAL_MS
        ):
            server.restart()
        qtbot.waitUntil(lambda: window.connection_label.text() == "Live", timeout=SIGNAL_MS)

        # The pool's connections died with the server: the save reconnects and commits.
        with qtbot.waitSignal(dialog.ticket_changed, timeout=SIGNAL_MS):
            dialog.save_button.click()
        assert dialog.message_bar.text() == ""
        assert stored(desk, ticket.key) == (typed, ticket.version + 1)
    finally:
        live.stop()
        server.ensure_up()
    assert check_history(desk.database).mismatches == ()


def test_a_save_the_database_cannot_take_is_reported_not_saved_and_kept(
    qtbot, gui_desk, runner, monkeypatch
):
    """Without a server to stop: the service raises what it raises for a lost server."""
    ticket = gui_desk.ticket()
    dialog = TicketDialog(
        gui_desk.tickets.get(ticket.key),
        gui_desk.desk.user("lena"),
        gui_desk.tickets,
        gui_desk.desk,
        runner,
    )
    qtbot.addWidget(dialog)
    dialog.title_edit.setText("Typed, then the network went")

    def lost(*_args: object) -> None:
        raise DatabaseError("server db.example:5432/desk: server closed the connection")

    with monkeypatch.context() as patched:
        patched.setattr(gui_desk.tickets, "edit", lost)
        dialog.save_button.click()
    assert dialog.message_bar.text() == (
        "Not saved: server db.example:5432/desk: server closed the connection. What you typed "
        "is kept here; try again once the database answers."
    )
    assert dialog.title_edit.text() == "Typed, then the network went"
    assert dialog.done_label.text() == ""

    with qtbot.waitSignal(dialog.ticket_changed):
        dialog.save_button.click()
    assert gui_desk.tickets.get(ticket.key).ticket.title == "Typed, then the network went"
