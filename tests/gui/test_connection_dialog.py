"""The connection dialog: an embedded file or a server, tested off the GUI thread, saved with
the URL in the settings and the password in the keychain (an in-memory one here)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy.engine import make_url

from app.cli import main
from app.services.connection_settings import KEYCHAIN_SERVICE, ConnectionKind
from app.services.database import open_database
from app.views import application, connection_dialog
from app.views.connection_dialog import (
    SETTINGS_URL_KEY,
    ConnectionDialog,
    remembered_database_url,
)
from app.views.operations import SynchronousOperationRunner
from tests.conftest import POSTGRES_URL

SECRET = "s3cr@t:/p%ss"


@pytest.fixture
def make_dialog(qtbot, settings: QSettings):
    def made(url: str) -> ConnectionDialog:
        dialog = ConnectionDialog(url, SynchronousOperationRunner(), settings)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    return made


def fill_server(dialog: ConnectionDialog, *, port: int = 5432, password: str = "") -> None:
    dialog.server_choice.setChecked(True)
    dialog.host_edit.setText("127.0.0.1")
    dialog.port_spin.setValue(port)
    dialog.database_edit.setText("test")
    dialog.user_edit.setText("root")
    dialog.password_edit.setText(password)


def settings_text(settings: QSettings) -> str:
    settings.sync()
    return Path(settings.fileName()).read_text(encoding="utf-8")


def test_the_dialog_shows_the_current_connection(make_dialog, sqlite_url):
    dialog = make_dialog(sqlite_url)
    assert dialog.embedded_choice.isChecked() and dialog.pages.currentIndex() == 0
    assert dialog.path_edit.text() == make_url(sqlite_url).database

    server = make_dialog(f"postgresql://ines:{quote(SECRET, safe='')}@db:5433/desk")
    assert server.server_choice.isChecked() and server.pages.currentIndex() == 1
    assert (server.host_edit.text(), server.port_spin.value()) == ("db", 5433)
    assert server.password_edit.text() == SECRET
    assert SECRET not in server.url_label.text() and ":***@" in server.url_label.text()


def test_testing_a_tierdesk_file_says_it_is_ready(make_dialog, sqlite_url):
    open_database(sqlite_url).close()
    dialog = make_dialog(sqlite_url)
    dialog.test_button.click()
    assert "ready" in dialog.result_label.text()
    assert dialog.test_button.isEnabled()


@pytest.mark.postgres
def test_testing_the_real_server_reaches_it(make_dialog, postgres_url):
    dialog = make_dialog(postgres_url)
    dialog.test_button.click()
    assert "Connected to the server 127.0.0.1:5432/test" in dialog.result_label.text()


@pytest.mark.postgres
def test_the_plain_server_url_is_reached_and_its_missing_desk_named(
    make_dialog, postgres_schema_url
):
    # The public schema of the test database holds no TierDesk desk: reached, but not ready.
    dialog = make_dialog(POSTGRES_URL)
    dialog.test_button.click()
    text = dialog.result_label.text()
    assert "server 127.0.0.1:5432/test" in text
    for failure in ("cannot open", "Nothing answers", "refused", "Unexpected error"):
        assert failure not in text


def test_a_closed_port_is_explained_in_plain_words(make_dialog, sqlite_url):
    dialog = make_dialog(sqlite_url)
    fill_server(dialog, port=1)
    dialog.test_button.click()
    assert "Nothing answers at that host and port" in dialog.result_label.text()
    assert "Traceback" not in dialog.result_label.text()


def test_missing_fields_are_named_before_testing(make_dialog, sqlite_url):
    dialog = make_dialog(sqlite_url)
    dialog.server_choice.setChecked(True)
    dialog.database_edit.clear()
    dialog.test_button.click()
    assert dialog.result_label.text() == "Enter the server's database."
    dialog.ok_button.click()
    assert dialog.isVisible()  # not saved


def test_ok_keeps_the_url_in_the_settings_and_the_password_in_the_keychain(
    make_dialog, sqlite_url, settings, memory_keyring
):
    dialog = make_dialog(sqlite_url)
    fill_server(dialog, password=SECRET)
    with_password = dialog.database_url()
    dialog.ok_button.click()

    assert not dialog.isVisible() and dialog.result() == ConnectionDialog.DialogCode.Accepted
    assert dialog.database_url() == with_password
    assert memory_keyring.entries == {(KEYCHAIN_SERVICE, "root@127.0.0.1:5432/test"): SECRET}
    text = settings_text(settings)
    assert "127.0.0.1" in text
    assert SECRET not in text and "s3cr" not in text
    assert settings.value(SETTINGS_URL_KEY) == "postgresql+psycopg://root@127.0.0.1:5432/test"
    # Next start: the URL from the settings, the password from the keychain.
    assert make_url(remembered_database_url(settings)).password == SECRET


def test_without_a_keychain_the_password_is_for_this_session_only(
    make_dialog, sqlite_url, settings, failing_keyring
):
    dialog = make_dialog(sqlite_url)
    fill_server(dialog, password=SECRET)
    dialog.ok_button.click()

    assert dialog.isVisible()  # first the person reads why
    assert "used for this session only" in dialog.result_label.text()
    assert dialog.ok_button.text() == "Use for this session"
    dialog.ok_button.click()

    assert not dialog.isVisible()
    assert make_url(dialog.database_url()).password == SECRET
    assert SECRET not in settings_text(settings) and "s3cr" not in settings_text(settings)
    assert make_url(remembered_database_url(settings)).password is None


def test_an_embedded_file_is_remembered_as_it_is(make_dialog, tmp_path, settings):
    dialog = make_dialog(f"sqlite:///{tmp_path / 'a.db'}")
    dialog.path_edit.setText(str(tmp_path / "b.db"))
    assert dialog.parts().kind is ConnectionKind.EMBEDDED
    dialog.ok_button.click()
    assert remembered_database_url(settings) == f"sqlite:///{tmp_path / 'b.db'}"


def test_nothing_remembered_means_no_url(settings):
    assert remembered_database_url(settings) is None
    settings.setValue(SETTINGS_URL_KEY, "mysql://not/ours")
    assert remembered_database_url(settings) is None


def test_the_desktop_starts_on_the_remembered_connection_without_db(monkeypatch, tmp_path):
    started: list[str] = []
    monkeypatch.delenv("TIERDESK_DB", raising=False)
    monkeypatch.setattr(application, "run_desktop", lambda url: started.append(url) or 0)
    monkeypatch.setattr(
        connection_dialog, "remembered_database_url", lambda: f"sqlite:///{tmp_path / 'r.db'}"
    )
    assert main([]) == 0
    assert main(["--db", "sqlite:///given.db"]) == 0
    monkeypatch.setenv("TIERDESK_DB", "sqlite:///from-env.db")
    assert main([]) == 0
    assert started == [
        f"sqlite:///{tmp_path / 'r.db'}",
        "sqlite:///given.db",
        "sqlite:///from-env.db",
    ]
