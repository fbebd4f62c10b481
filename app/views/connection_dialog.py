"""Choosing the database: an embedded file or a shared PostgreSQL server.

The URL is remembered in the settings without its password; the password goes to the OS
keychain (see ``app.services.connection_settings``).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.services.connection_settings import (
    ConnectionKind,
    ConnectionParts,
    KeychainError,
    build_url,
    check_connection,
    masked,
    save_password,
    split_url,
    with_stored_password,
    without_password,
)
from app.services.errors import DatabaseError
from app.views.operations import OperationRunner, describe_error
from app.views.theme import Tone, set_tone

#: Where the chosen URL (without password) is kept in the settings.
SETTINGS_URL_KEY = "connection/url"
PAGE_INDENT = 22


def remembered_database_url(settings: QSettings | None = None) -> str | None:
    """The connection chosen last time in the dialog, its password back from the keychain."""
    settings = settings if settings is not None else QSettings("TierDesk", "TierDesk")
    value = settings.value(SETTINGS_URL_KEY)
    if not value:
        return None
    try:
        return with_stored_password(str(value))
    except DatabaseError:  # a hand-edited or outdated entry: fall back to the default
        return None


class ConnectionDialog(QDialog):
    """Edits, tests and saves the database connection.

    Open it with ``open()``; once accepted, ``database_url()`` is the URL to use now
    (password included) and the settings hold it without the password.
    """

    def __init__(
        self,
        current_url: str,
        runner: OperationRunner,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect TierDesk to a database"))
        self.runner = runner
        self.settings = settings
        self.keychain_failed = False
        self._tested_url = ""
        self._query: Mapping[str, str | tuple[str, ...]] = {}  # URL options kept as they were

        self.embedded_choice = QRadioButton(self.tr("Embedded file (one desk on this computer)"))
        self.server_choice = QRadioButton(self.tr("Shared PostgreSQL server (a team)"))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("/path/to/tierdesk.db"))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.host_edit = QLineEdit()
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setMinimumWidth(90)
        self.database_edit = QLineEdit()
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._embedded_page())
        self.pages.addWidget(self._server_page())
        self.url_label = QLabel()
        self.url_label.setWordWrap(True)
        self.url_label.setTextFormat(Qt.TextFormat.PlainText)
        self.url_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton(self.tr("Test connection"))
        self.result_label = QLabel(self.tr("Not tested yet."))
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)  # server words may hold "<"
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self._lay_out()
        self._show_parts(_parts_of(current_url))
        self._connect_signals()
        self._on_parts_changed()

    def _embedded_page(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(PAGE_INDENT, 0, 0, 0)  # under its radio button
        row.addWidget(QLabel(self.tr("File:")))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        return page

    def _server_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(PAGE_INDENT, 0, 0, 0)
        form.addRow(self.tr("Host:"), self.host_edit)
        form.addRow(self.tr("Port:"), _left_aligned(self.port_spin))
        form.addRow(self.tr("Database:"), self.database_edit)
        form.addRow(self.tr("User:"), self.user_edit)
        form.addRow(self.tr("Password:"), self.password_edit)
        return page

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.embedded_choice)
        layout.addWidget(self.server_choice)
        layout.addWidget(self.pages)
        url_title = QLabel(self.tr("<b>Database URL</b>"))
        layout.addWidget(url_title)
        layout.addWidget(self.url_label)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        layout.addLayout(test_row)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(520, 360)

    def _connect_signals(self) -> None:
        self.embedded_choice.toggled.connect(self._on_parts_changed)
        for edit in (
            self.path_edit,
            self.host_edit,
            self.database_edit,
            self.user_edit,
            self.password_edit,
        ):
            edit.textChanged.connect(self._on_parts_changed)
        self.port_spin.valueChanged.connect(self._on_parts_changed)
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _show_parts(self, parts: ConnectionParts) -> None:
        self._query = parts.query
        embedded = parts.kind is ConnectionKind.EMBEDDED
        self.embedded_choice.setChecked(embedded)
        self.server_choice.setChecked(not embedded)
        self.path_edit.setText(parts.path)
        self.host_edit.setText(parts.host)
        self.port_spin.setValue(parts.port)
        self.database_edit.setText(parts.database)
        self.user_edit.setText(parts.user)
        self.password_edit.setText(parts.password)

    def parts(self) -> ConnectionParts:
        """The connection as it stands in the fields."""
        kind = (
            ConnectionKind.EMBEDDED if self.embedded_choice.isChecked() else ConnectionKind.SERVER
        )
        return ConnectionParts(
            kind,
            path=self.path_edit.text().strip(),
            host=self.host_edit.text().strip(),
            port=self.port_spin.value(),
            database=self.database_edit.text().strip(),
            user=self.user_edit.text().strip(),
            password=self.password_edit.text(),
            query=self._query if kind is ConnectionKind.SERVER else {},
        )

    def database_url(self) -> str:
        """The URL to connect with now, password included."""
        return build_url(self.parts())

    def missing_field(self) -> str | None:
        """What must still be filled in, in words, or None."""
        parts = self.parts()
        if parts.kind is ConnectionKind.EMBEDDED:
            return None if parts.path else self.tr("Choose the database file.")
        for value, missing in (
            (parts.host, self.tr("Enter the server's host.")),
            (parts.database, self.tr("Enter the server's database.")),
            (parts.user, self.tr("Enter the server's user.")),
        ):
            if not value:
                return missing
        return None

    def _show_result(self, text: str, *, ok: bool | None, tone: Tone | None = None) -> None:
        """``text`` under the fields, coloured by ``tone`` or else by ``ok`` (None: plain)."""
        tone = tone or {True: Tone.SUCCESS, False: Tone.ERROR, None: Tone.PLAIN}[ok]
        set_tone(self.result_label, tone)
        self.result_label.setText(text)

    @Slot()
    def _on_parts_changed(self) -> None:
        embedded = self.embedded_choice.isChecked()
        self.pages.setCurrentIndex(0 if embedded else 1)
        try:
            self.url_label.setText(masked(self.database_url()))
        except DatabaseError:
            self.url_label.setText(build_url(self.parts(), with_password=False))
        if self.keychain_failed:
            self.keychain_failed = False
            self.ok_button.setText(self.tr("OK"))
        self._show_result(self.missing_field() or self.tr("Not tested yet."), ok=None)

    @Slot()
    def _on_browse_button_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("TierDesk database file"),
            self.path_edit.text(),
            self.tr("TierDesk database (*.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.path_edit.setText(path)

    @Slot()
    def _on_test_button_clicked(self) -> None:
        missing = self.missing_field()
        if missing:
            self._show_result(missing, ok=False)
            return
        url = self.database_url()
        self._tested_url = url
        self.test_button.setEnabled(False)
        self._show_result(self.tr("Testing the connection…"), ok=None)
        self.runner.run(
            lambda: check_connection(url),
            lambda check: self._on_test_finished(url, check.text, check.ready),
            lambda error: self._on_test_finished(url, describe_error(error), None),
        )

    def _on_test_finished(self, url: str, text: str, ready: bool | None) -> None:
        """``ready`` is None when the database cannot be used, False when it can once
        TierDesk has set it up."""
        if not isValid(self.result_label):  # the dialog was closed while the test ran
            return
        self.test_button.setEnabled(True)
        if url == self._tested_url and url == self.database_url():
            tone = {True: Tone.SUCCESS, False: Tone.WARNING, None: Tone.ERROR}[ready]
            self._show_result(text, ok=ready is not None, tone=tone)

    def accept(self) -> None:
        """Save the URL without its password, and the password in the keychain.

        If the keychain cannot keep it, say so and wait for a second OK: the password is
        then used for this session only."""
        missing = self.missing_field()
        if missing:
            self._show_result(missing, ok=False)
            return
        parts = self.parts()
        if parts.kind is ConnectionKind.SERVER and not self.keychain_failed:
            try:
                save_password(parts.keychain_key, parts.password)
            except KeychainError as error:
                self.keychain_failed = True
                self.ok_button.setText(self.tr("Use for this session"))
                self._show_result(str(error), ok=False)
                return
        self.settings.setValue(SETTINGS_URL_KEY, without_password(self.database_url()))
        self.settings.sync()
        super().accept()


def _parts_of(url: str) -> ConnectionParts:
    """The parts of the current URL, or an empty server connection for one TierDesk cannot
    use (the dialog is where the person fixes it)."""
    try:
        return split_url(url)
    except DatabaseError:
        return ConnectionParts(ConnectionKind.SERVER)


def _left_aligned(widget: QWidget) -> QWidget:
    """``widget`` at its natural width in a form row that would otherwise stretch it."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return box
