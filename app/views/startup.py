"""From launch to the main window: open the database, set up a new desk, sign someone in.

``DesktopStartup`` runs these steps in order, each service call on the ``OperationRunner`` and
each question in a window-modal dialog, and ends with exactly one of ``finished`` (the main
window is shown), ``failed`` (a message for the person) or ``cancelled``.

Who signs in depends on the database: on the embedded file the person picks themselves from a
list; on a PostgreSQL server they are the TierDesk user whose login is the database login, and
without one start-up fails with a message saying so. ``change_connection()`` (the sign-in
dialog's "Connect to…", or the start-up failure message's "Change connection…") opens the
connection dialog and starts again on the database chosen there.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import importlib.util
import re

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from app.models import Role
from app.services.connection_settings import database_login, explain_connection_error
from app.services.database import Database, open_database
from app.services.desk import DeskService
from app.services.dto import UserView
from app.services.errors import DatabaseError, InvalidInput, SchemaTooNew
from app.services.escalation import EscalationService
from app.services.notifications import NotificationService
from app.services.rules.notices import RuleNoticeService
from app.views.alert_notifier import AlertNotifier
from app.views.connection_dialog import ConnectionDialog
from app.views.escalation_monitor import EscalationMonitor
from app.views.first_start_dialog import FirstStartDialog
from app.views.live_updates import LiveUpdates
from app.views.main_window import MainWindowView
from app.views.operations import OperationRunner, describe_error
from app.views.sign_in_dialog import SignInDialog

DEMO_TICKETS = 1500
DEMO_SEED = 1


#: An empty desk starts with these categories (name, lowest tier that may resolve it).
def os_login() -> str:
    """The operating system account as a TierDesk login (one word, no spaces)."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in the environment (e.g. some services)
        name = ""
    return re.sub(r"\s+", ".", name.strip()) or "admin"


def demo_available() -> bool:
    return importlib.util.find_spec("app.services.demo") is not None


def load_demo_desk(database: Database, admin_login: str | None = None) -> object:
    """The demo desk; with ``admin_login`` (on a server) that login is added as administrator
    if the demo has no such person, so that whoever loaded it can sign in."""
    from app.services.demo import DemoService

    summary = DemoService(database).load(tickets=DEMO_TICKETS, seed=DEMO_SEED)
    if admin_login is not None:
        with contextlib.suppress(InvalidInput):  # the demo already has this login
            DeskService(database).add_user(admin_login, admin_login, Role.ADMIN)
    return summary


def _settings_key(database: Database) -> str:
    where = database.url.render_as_string(hide_password=True)
    return "sign_in/last_login_" + hashlib.sha1(where.encode()).hexdigest()[:12]


def remembered_login(settings: QSettings, database: Database) -> str | None:
    value = settings.value(_settings_key(database))
    return str(value) if value else None


def remember_login(settings: QSettings, database: Database, login: str) -> None:
    settings.setValue(_settings_key(database), login)


def server_user(login: str, users: list[UserView]) -> UserView | None:
    """On a server, the person (enabled or not) whose TierDesk login is the database login."""
    return next((user for user in users if user.login == login), None)


def server_refusal(login: str, user: UserView | None, where: str) -> str:
    """Why nobody can sign in on a server as ``login``, and what to do about it."""
    if user is None:
        problem = QCoreApplication.translate(
            "startup", "This desk has no TierDesk user with the login {login!r}"
        )
        fix = QCoreApplication.translate(
            "startup", "Ask a TierDesk administrator to add a user with the login {login!r}"
        )
    else:
        problem = QCoreApplication.translate(
            "startup", "The TierDesk user {login!r} is disabled on this desk"
        )
        fix = QCoreApplication.translate(
            "startup", "Ask a TierDesk administrator to enable the user {login!r}"
        )
    return QCoreApplication.translate(
        "startup",
        "{problem}. On a shared server you are signed in as the TierDesk user whose login is "
        "your database login, and you connect to the {where} as {login!r}.\n\n"
        "{fix}, or choose another connection with \u201cChange connection\u2026\u201d.",
    ).format(
        problem=problem.format(login=login), fix=fix.format(login=login), where=where, login=login
    )


class DesktopStartup(QObject):
    """The start-up sequence; see the module docstring."""

    #: The main window is shown; carries it.
    finished = Signal(object)
    #: Start-up cannot go on; carries the message for the person.
    failed = Signal(str)
    #: The person chose not to go on.
    cancelled = Signal()

    def __init__(
        self,
        database_url: str,
        runner: OperationRunner,
        settings: QSettings,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.database_url = database_url
        self.runner = runner
        self.settings = settings
        self.database: Database | None = None
        self.first_start_dialog: FirstStartDialog | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.sign_in_dialog: SignInDialog | None = None
        self.connection_dialog: ConnectionDialog | None = None
        self.window: MainWindowView | None = None
        #: Who starts a new desk here: the database login on a server, else the OS account.
        self.login = os_login()

    def start(self) -> None:
        self.runner.run(
            lambda: open_database(self.database_url), self._opened, self._on_open_failed
        )

    def change_connection(self) -> None:
        """Let the person choose another database, then start again on it (or cancel)."""
        self.close_database()
        dialog = ConnectionDialog(self.database_url, self.runner, self.settings)
        dialog.accepted.connect(lambda: self._on_connection_dialog_accepted(dialog))
        dialog.rejected.connect(self.cancelled)
        self.connection_dialog = dialog
        dialog.open()

    def _on_connection_dialog_accepted(self, dialog: ConnectionDialog) -> None:
        self.database_url = dialog.database_url()
        self.first_start_dialog = None
        self.sign_in_dialog = None
        self.start()

    def close_database(self) -> None:
        if self.window is not None:
            self.window.stop_background_work()
        if self.database is not None:
            self.database.close()
            self.database = None

    def _fail(self, error: Exception) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
        self.failed.emit(describe_error(error))

    def _on_open_failed(self, error: Exception) -> None:
        if isinstance(error, DatabaseError) and not isinstance(error, SchemaTooNew):
            self.failed.emit(explain_connection_error(str(error)))
        else:
            self._fail(error)

    def _opened(self, database: Database) -> None:
        self.database = database
        if database.is_sqlite:
            self.login = os_login()
            self._check_emptiness()
        else:
            self.runner.run(lambda: database_login(database), self._login_known, self._fail)

    def _login_known(self, login: str) -> None:
        self.login = login
        self._check_emptiness()

    def _check_emptiness(self) -> None:
        assert self.database is not None
        desk = DeskService(self.database)
        self.runner.run(desk.is_empty, self._emptiness_known, self._fail)

    def _emptiness_known(self, empty: bool) -> None:
        assert self.database is not None
        if not empty:
            self._load_users()
            return
        dialog = FirstStartDialog(
            self.database.describe(), self.login, DEMO_TICKETS, demo_available()
        )
        dialog.demo_chosen.connect(self._load_demo)
        dialog.empty_chosen.connect(self._set_up_empty)
        dialog.rejected.connect(self.cancelled)
        self.first_start_dialog = dialog
        dialog.open()

    def _load_demo(self) -> None:
        database = self.database
        assert database is not None
        progress = QProgressDialog(
            self.tr("Loading the demo desk: {tickets:,} tickets with their history…").format(
                tickets=DEMO_TICKETS
            ),
            "",
            0,
            0,
        )
        progress.setWindowTitle("TierDesk")
        progress.setCancelButton(None)  # the load is one transaction; it cannot stop halfway
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)
        self.progress_dialog = progress

        def loaded(_summary: object) -> None:
            progress.close()
            self._load_users()

        admin = None if database.is_sqlite else self.login
        self.runner.run(lambda: load_demo_desk(database, admin), loaded, self._fail)

    def _set_up_empty(self) -> None:
        database = self.database
        assert database is not None
        login = self.login
        self.runner.run(
            lambda: DeskService(database).create_starter_desk(login), self._load_users, self._fail
        )

    def _load_users(self, _result: object = None) -> None:
        desk = DeskService(self.database) if self.database is not None else None
        assert desk is not None
        self.runner.run(lambda: desk.users(active_only=False), self._users_loaded, self._fail)

    def _users_loaded(self, everyone: list[UserView]) -> None:
        database = self.database
        assert database is not None
        users = [user for user in everyone if user.active]
        if everyone and not users:
            self.failed.emit(
                self.tr(
                    "Everyone on this desk is disabled, so nobody can sign in. "
                    "Ask an administrator to enable your account."
                )
            )
            return
        if not everyone:
            # A desk set up without people (e.g. half-way by hand): its first user is whoever
            # starts it here, as administrator, so that someone can work and add the others.
            login = self.login
            self.runner.run(
                lambda: DeskService(database).add_user(login, login, Role.ADMIN),
                self._load_users,
                self._fail,
            )
            return
        if not database.is_sqlite:
            user = server_user(self.login, everyone)
            if user is None or not user.active:
                self.failed.emit(server_refusal(self.login, user, database.describe()))
            else:
                self._sign_in(user)
            return
        dialog = SignInDialog(users, database.describe(), remembered_login(self.settings, database))
        dialog.signed_in.connect(self._sign_in)
        dialog.rejected.connect(self.cancelled)
        dialog.connect_requested.connect(self.change_connection)
        self.sign_in_dialog = dialog
        dialog.open()

    def _sign_in(self, user: UserView) -> None:
        assert self.database is not None
        remember_login(self.settings, self.database, user.login)
        self.window = MainWindowView(
            self.database,
            user,
            self.runner,
            monitor=EscalationMonitor(EscalationService(self.database)),
            notifier=AlertNotifier(
                NotificationService(self.database),
                user.login,
                self.runner,
                notices=RuleNoticeService(self.database),
            ),
            settings=self.settings,
            live=LiveUpdates(self.database),
        )
        self.window.show()
        self.window.reload()
        self.window.start_background_work()
        self.finished.emit(self.window)
