"""``main.py --smoke``: a self-check that a build of TierDesk can start, without a person.

It opens the database (creating and migrating it), signs in the first active user (on an empty
database it first sets up the starter desk, with an administrator ``smoke``), builds the main
window offscreen, lets it load its ticket list, closes it and prints one line. It writes to the
database it is given, so point ``--db`` at a scratch file. Used by ``.ci/check-installer`` on the
PyInstaller bundle and on the source tree.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from app.services.database import Database, current_revisions, latest_revision, open_database
from app.services.desk import DeskService
from app.services.dto import UserView
from app.views.main_window import MainWindowView
from app.views.operations import OperationRunner, describe_error
from app.views.resources import application_icon
from app.views.translations import install_translators

SMOKE_LOGIN = "smoke"
SETTLE_TIMEOUT_S = 30.0
#: What the offscreen platform itself says when a window is shown; not TierDesk's concern.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


class SmokeFailure(Exception):
    """A step of the self-check did not give what a working TierDesk gives."""


def run_smoke(database_url: str) -> int:
    """Run the self-check on this database; print one line; return the exit code (0 or 1)."""
    # The platform must be chosen before the QApplication exists; a caller's choice stands.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        summary = _check(database_url)
    except Exception as error:  # any failure is the answer: one line, exit code 1
        if os.environ.get("TIERDESK_DEBUG"):
            raise
        message = " ".join(describe_error(error).split())  # one line, whatever the error says
        print(f"smoke: failed: {message}", file=sys.stderr)
        return 1
    print(f"smoke: ok ({summary})")
    return 0


def _check(database_url: str) -> str:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translators(app)
    database = open_database(database_url)
    try:
        revisions = current_revisions(database)
        if revisions != (latest_revision(),):
            raise SmokeFailure(f"schema at {revisions}, expected {latest_revision()!r}")
        user = _first_active_user(database)
        tickets = _build_main_window(app, database, user)
        return (
            f"database {database.describe()}, schema {revisions[0]}, window built for "
            f"{user.login}, {tickets} tickets listed"
        )
    finally:
        database.close()


def _first_active_user(database: Database) -> UserView:
    desk = DeskService(database)
    if desk.is_empty():
        desk.create_starter_desk(SMOKE_LOGIN)
    users = desk.users(active_only=True)
    if not users:
        raise SmokeFailure(f"nobody on {database.describe()} is active, so nobody can sign in")
    return users[0]


def _build_main_window(app: QApplication, database: Database, user: UserView) -> int:
    """Show the main window as ``user``, wait for its list to load; the number of rows."""
    app.setWindowIcon(application_icon())
    runner = OperationRunner()
    failures: list[Exception] = []
    runner.operation_failed.connect(failures.append)
    window = MainWindowView(database, user, runner)
    try:
        with _without_offscreen_noise():
            window.show()
            window.reload()
            _settle(app, runner)
        if failures:
            raise failures[0]
        if window.windowIcon().isNull():
            raise SmokeFailure("the application icon did not load (resources or Qt SVG missing)")
        return window.table_model.rowCount()
    finally:
        window.close()
        runner.wait_for_done()
        window.deleteLater()
        app.processEvents()


def _settle(app: QApplication, runner: OperationRunner) -> None:
    """Process events until every operation the window started has delivered its outcome."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    app.processEvents()
    while runner.pending:
        if time.monotonic() > deadline:
            raise SmokeFailure(f"the main window was still loading after {SETTLE_TIMEOUT_S:.0f} s")
        runner.wait_for_done(100)
        app.processEvents()


@contextmanager
def _without_offscreen_noise() -> Iterator[None]:
    """Drop the offscreen platform's own warning; pass every other Qt message on as before."""

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if OFFSCREEN_NOISE in message:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous: Any = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
