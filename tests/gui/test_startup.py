"""From launch to the main window: a new desk (empty or demo), signing in, and start-up errors."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlalchemy import update

from app.models import Role, User
from app.services.database import open_database
from app.services.desk import DeskService
from app.views import application
from app.views import startup as startup_module
from app.views.application import run_desktop
from app.views.main_window import MainWindowView
from app.views.operations import SynchronousOperationRunner
from app.views.sign_in_dialog import SignInDialog
from app.views.startup import DesktopStartup, os_login, server_refusal, server_user
from tests.factories import make_desk


@pytest.fixture
def start(qtbot, settings):
    """Runs the start-up on a URL; returns it with the signals it emitted so far."""

    def started(url: str) -> tuple[DesktopStartup, list[tuple[str, object]]]:
        startup = DesktopStartup(url, SynchronousOperationRunner(), settings)
        emitted: list[tuple[str, object]] = []
        startup.finished.connect(lambda window: emitted.append(("finished", window)))
        startup.failed.connect(lambda message: emitted.append(("failed", message)))
        startup.cancelled.connect(lambda: emitted.append(("cancelled", None)))
        startup.start()
        for dialog_name in ("first_start_dialog", "sign_in_dialog"):
            dialog = getattr(startup, dialog_name)
            if dialog is not None:
                qtbot.addWidget(dialog)
        return startup, emitted

    yield started


def finish(qtbot, startup, emitted) -> MainWindowView:
    assert emitted and emitted[-1][0] == "finished", emitted
    window = emitted[-1][1]
    qtbot.addWidget(window)
    return window


def test_a_new_desk_started_empty_makes_you_its_administrator(qtbot, start, sqlite_url):
    startup, emitted = start(sqlite_url)
    assert startup.first_start_dialog is not None and startup.first_start_dialog.isVisible()
    startup.first_start_dialog.empty_button.click()

    picker = startup.sign_in_dialog
    assert picker is not None and picker.isVisible()
    qtbot.addWidget(picker)
    assert picker.selected_user().login == os_login()
    picker.sign_in_button.click()
    window = finish(qtbot, startup, emitted)

    assert window.user.login == os_login() and window.user.role == Role.ADMIN
    desk = DeskService(startup.database)
    assert [tier.code for tier in desk.tiers()] == ["L1", "L2", "L3", "Vendor"]
    assert len(desk.categories()) == 3
    startup.close_database()


def test_the_demo_desk_loads_off_the_gui_thread(qtbot, start, sqlite_url, monkeypatch):
    monkeypatch.setattr(startup_module, "DEMO_TICKETS", 40)  # the real 1,500 is a slow test
    startup, emitted = start(sqlite_url)
    assert startup_module.demo_available()
    assert startup.first_start_dialog.demo_button.isEnabled()
    startup.first_start_dialog.demo_button.click()

    picker = startup.sign_in_dialog
    qtbot.addWidget(picker)
    assert picker.model.rowCount() > 3
    picker.select_login(next(u.login for u in DeskService(startup.database).users()))
    picker.sign_in_button.click()
    window = finish(qtbot, startup, emitted)
    assert window.table_model.rowCount() == 40
    assert not startup.progress_dialog.isVisible()
    startup.close_database()


def test_sign_in_remembers_the_last_person(qtbot, start, sqlite_url, settings):
    database = open_database(sqlite_url)
    make_desk(database)
    database.close()
    first, emitted = start(sqlite_url)
    assert first.first_start_dialog is None  # the desk is not new
    first.sign_in_dialog.select_login("tom")
    first.sign_in_dialog.sign_in_button.click()
    finish(qtbot, first, emitted)
    first.close_database()

    second, _ = start(sqlite_url)
    assert second.sign_in_dialog.selected_user().login == "tom"
    second.sign_in_dialog.reject()
    second.close_database()


def test_cancelling_the_sign_in_ends_the_start(start, sqlite_url):
    database = open_database(sqlite_url)
    make_desk(database)
    database.close()
    startup, emitted = start(sqlite_url)
    startup.sign_in_dialog.reject()
    assert emitted == [("cancelled", None)]
    startup.close_database()


def test_an_unusable_database_fails_in_words(start):
    startup, emitted = start("mysql://somewhere/desk")
    assert emitted[0][0] == "failed"
    assert "'mysql' is not supported" in str(emitted[0][1])
    assert "Traceback" not in str(emitted[0][1])


def test_run_desktop_reports_an_unusable_database_and_exits_1(qapp, monkeypatch):
    shown: list[str] = []

    def quit_there(message: str) -> bool:
        shown.append(message)
        return False  # "Quit", not "Change connection…"

    monkeypatch.setattr(application, "offer_connection_change", quit_there)
    assert run_desktop("mysql://somewhere/desk") == 1
    assert len(shown) == 1 and "'mysql' is not supported" in shown[0]


def test_the_start_up_failure_message_offers_another_connection(qtbot, monkeypatch):
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.append(box) or 0)
    assert not application.offer_connection_change("no such server")
    labels = [button.text() for button in boxes[0].buttons()]
    assert "Change connection…" in labels and "Quit" in labels
    assert "no such server" in boxes[0].text()


def test_on_a_server_the_database_login_is_the_tierdesk_login(gui_desk):
    users = gui_desk.desk.users(active_only=False)
    assert server_user("tom", users).login == "tom"
    assert server_user("eve", users) is None
    refusal = server_refusal("eve", None, "server db:5432/desk")
    assert "no TierDesk user with the login 'eve'" in refusal
    assert "administrator to add a user with the login 'eve'" in refusal
    assert "Change connection" in refusal
    disabled = dataclasses.replace(server_user("tom", users), active=False)
    assert "'tom' is disabled" in server_refusal("tom", disabled, "server db:5432/desk")


@pytest.mark.postgres
def test_on_postgresql_the_user_of_the_database_login_signs_in_without_a_picker(
    qtbot, start, postgres_url
):
    database = open_database(postgres_url)
    make_desk(database)
    DeskService(database).add_user("root", "Root Operator", Role.AGENT, ["L1"])
    database.close()

    startup, emitted = start(postgres_url)

    assert startup.sign_in_dialog is None
    window = finish(qtbot, startup, emitted)
    assert window.user.login == "root" and window.user.display_name == "Root Operator"
    startup.close_database()


@pytest.mark.postgres
def test_on_postgresql_without_a_user_for_the_login_start_up_says_who_is_missing(
    start, postgres_url
):
    database = open_database(postgres_url)
    make_desk(database)  # tom, ines, ... but nobody called root
    database.close()

    startup, emitted = start(postgres_url)

    assert startup.sign_in_dialog is None
    assert [name for name, _ in emitted] == ["failed"]
    message = str(emitted[0][1])
    assert "no TierDesk user with the login 'root'" in message
    assert "administrator to add a user with the login 'root'" in message
    startup.close_database()


def test_connect_to_in_the_sign_in_dialog_opens_the_connection_dialog(
    qtbot, start, sqlite_url, tmp_path
):
    database = open_database(sqlite_url)
    make_desk(database)
    database.close()
    startup, emitted = start(sqlite_url)
    picker = startup.sign_in_dialog
    picker.connect_button.click()

    assert not picker.isVisible() and emitted == []  # closed, but not a cancelled start
    dialog = startup.connection_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    other = tmp_path / "other.db"
    other_database = open_database(f"sqlite:///{other}")
    make_desk(other_database)
    DeskService(other_database).add_user("zoe", "Zoe Other", Role.AGENT, ["L1"])
    other_database.close()
    dialog.path_edit.setText(str(other))
    dialog.ok_button.click()

    assert startup.database_url == f"sqlite:///{other}"
    assert startup.sign_in_dialog is not None and startup.sign_in_dialog is not picker
    qtbot.addWidget(startup.sign_in_dialog)
    startup.sign_in_dialog.select_login("zoe")
    assert startup.sign_in_dialog.selected_user().login == "zoe"
    startup.sign_in_dialog.reject()
    assert emitted == [("cancelled", None)]
    startup.close_database()


def test_an_empty_desk_set_up_twice_keeps_the_first(sqlite_database):
    assert DeskService(sqlite_database).create_starter_desk("first")
    # e.g. another desktop a moment later
    assert not DeskService(sqlite_database).create_starter_desk("second")
    assert [u.login for u in DeskService(sqlite_database).users()] == ["first"]


def test_sign_in_dialog_lists_names_roles_and_tiers(qtbot, gui_desk):
    dialog = SignInDialog(gui_desk.desk.users(), "embedded file desk.db", "nobody-like-this")
    qtbot.addWidget(dialog)
    assert dialog.selected_user() is not None  # falls back to the first person
    dialog.select_login("ines")
    with qtbot.waitSignal(dialog.signed_in) as blocker:
        dialog.sign_in_button.click()
    assert blocker.args[0].login == "ines"


def test_return_in_the_sign_in_list_signs_in(qtbot, gui_desk):
    dialog = SignInDialog(gui_desk.desk.users(), "embedded file desk.db", "omar")
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.sign_in_button.isDefault()
    with qtbot.waitSignal(dialog.signed_in) as blocker:
        qtbot.keyClick(dialog.user_list, Qt.Key.Key_Return)
    assert blocker.args[0].login == "omar"


def test_a_desk_whose_people_are_all_disabled_makes_nobody_administrator(start, sqlite_url):
    database = open_database(sqlite_url)
    DeskService(database).create_starter_desk("first")
    with database.write() as session:
        session.execute(update(User).values(active=False))
    database.close()

    _startup, emitted = start(sqlite_url)

    assert emitted == [("failed", emitted[0][1])]
    assert "Everyone on this desk is disabled" in str(emitted[0][1])
    database = open_database(sqlite_url)
    assert [u.login for u in DeskService(database).users(active_only=False)] == ["first"]
    database.close()


@pytest.mark.postgres
def test_a_new_desk_on_postgresql_makes_the_database_login_its_administrator(
    qtbot, start, postgres_url
):
    startup, emitted = start(postgres_url)
    assert startup.first_start_dialog is not None
    assert "root" in startup.first_start_dialog.findChild(QLabel).text()
    startup.first_start_dialog.empty_button.click()

    assert startup.sign_in_dialog is None  # no picker on a server
    window = finish(qtbot, startup, emitted)
    assert window.user.login == "root" and window.user.role == Role.ADMIN
    startup.close_database()


def test_an_unreachable_server_fails_in_plain_words(start):
    _startup, emitted = start("postgresql://root@127.0.0.1:1/test")
    assert [name for name, _ in emitted] == ["failed"]
    message = str(emitted[0][1])
    assert message.startswith("Nothing answers at that host and port")
    assert "127.0.0.1:1/test" in message
