"""The ``--smoke`` self-check in-process, and the application icon from ``resources/``."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from app.cli import main
from app.services.database import current_revisions, latest_revision, open_database
from app.services.desk import DeskService
from app.views import application
from app.views.application import run_desktop
from app.views.main_window import MainWindowView
from app.views.operations import SynchronousOperationRunner
from app.views.resources import APPLICATION_ICON, resource_path
from app.views.smoke import SMOKE_LOGIN, run_smoke
from tests.factories import make_desk


def test_smoke_migrates_a_new_database_and_builds_the_window(qapp, tmp_path, capsys):
    path = tmp_path / "smoke.db"
    assert run_smoke(f"sqlite:///{path}") == 0

    out = capsys.readouterr().out
    assert out.startswith("smoke: ok (") and out.count("\n") == 1
    assert f"schema {latest_revision()}" in out and "window built for smoke" in out
    database = open_database(f"sqlite:///{path}", create=False, migrate=False)
    try:
        assert current_revisions(database) == (latest_revision(),)
        assert [user.login for user in DeskService(database).users()] == [SMOKE_LOGIN]
    finally:
        database.close()


def test_smoke_signs_in_the_first_active_user_and_lists_the_tickets(qapp, sqlite_url, capsys):
    database = open_database(sqlite_url)
    desk = make_desk(database)
    desk.ticket()
    desk.ticket(title="Printer jams")
    first = desk.desk.users()[0]  # by display name
    database.close()

    assert run_smoke(sqlite_url) == 0
    out = capsys.readouterr().out
    assert f"window built for {first.login}, 2 tickets listed" in out


def test_smoke_reports_an_unusable_database_in_one_line_and_exits_1(qapp, capsys):
    assert main(["--smoke", "--db", "mysql://somewhere/desk"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("smoke: failed: ") and captured.err.count("\n") == 1
    assert "'mysql' is not supported" in captured.err


def test_the_application_icon_ships_and_is_every_windows_icon(qtbot, qapp, gui_desk, monkeypatch):
    assert resource_path(*APPLICATION_ICON).is_file()
    assert resource_path("resources", "icons", "tierdesk.svg") == resource_path(*APPLICATION_ICON)
    monkeypatch.setattr(application, "offer_connection_change", lambda message: False)
    qapp.setWindowIcon(QIcon())
    assert run_desktop("mysql://somewhere/desk") == 1  # sets the icon, then fails to open

    assert not qapp.windowIcon().isNull()
    assert not qapp.windowIcon().pixmap(32, 32).isNull()  # the SVG renders
    window = MainWindowView(
        gui_desk.database, gui_desk.desk.users()[0], SynchronousOperationRunner()
    )
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
