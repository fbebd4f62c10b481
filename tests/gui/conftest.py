"""GUI test fixtures: a standard desk on a SQLite file, a synchronous operation runner, and
main windows signed in as one of the standard people. Qt runs offscreen; a Qt warning fails the
test (``qt_log_level_fail`` in pyproject.toml)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

from collections.abc import Callable, Iterator  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from app.services.database import Database, open_database  # noqa: E402
from app.views import configuration_dialog, rules_dialog  # noqa: E402
from app.views.main_window import MainWindowView  # noqa: E402
from app.views.operations import SynchronousOperationRunner  # noqa: E402
from tests.factories import T0, Desk, make_desk  # noqa: E402

#: Messages of the offscreen platform itself, not of TierDesk.
OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def discard_when_closed_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialog a test leaves with unsaved edits is closed when the test ends: answer its
    "discard them?" with yes rather than wait for a person (a modal box would hang the run).
    Tests of the question set the dialog's ``confirm_discard`` themselves."""
    for dialog_module in (configuration_dialog, rules_dialog):
        monkeypatch.setattr(dialog_module, "ask_to_discard", lambda _parent: True)


@pytest.fixture
def sqlite_database(sqlite_url: str) -> Iterator[Database]:
    database = open_database(sqlite_url)
    yield database
    database.close()


@pytest.fixture
def gui_desk(sqlite_database: Database) -> Desk:
    """The standard test desk on a SQLite file."""
    return make_desk(sqlite_database)


@pytest.fixture
def runner() -> SynchronousOperationRunner:
    return SynchronousOperationRunner()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own, never the person's real ones."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def open_window(
    qtbot, gui_desk: Desk, runner: SynchronousOperationRunner
) -> Callable[[str], MainWindowView]:
    """Opens the main window signed in as a standard person (by login), with the list loaded."""

    def open_as(login: str) -> MainWindowView:
        window = MainWindowView(
            gui_desk.database,
            gui_desk.desk.user(login),
            runner,
            tickets=gui_desk.tickets,
            now=lambda: T0 + timedelta(hours=2),
        )
        qtbot.addWidget(window)
        window.reload()
        return window

    return open_as
