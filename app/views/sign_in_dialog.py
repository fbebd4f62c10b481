"""Choosing who you are on the embedded database, where there are no server logins."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QSize, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.dto import UserView
from app.views.item_models.user_list_model import UserListModel


class SignInDialog(QDialog):
    """Lists the desk's people; the last one who signed in here is selected.

    Open it with ``open()``; ``signed_in`` carries the chosen ``UserView``. "Connect to…"
    closes it (neither accepted nor rejected) and emits ``connect_requested``.
    """

    #: A person was chosen.
    signed_in = Signal(object)
    #: The person wants another database; the dialog has closed.
    connect_requested = Signal()
    #: The result code when the dialog closed for "Connect to…".
    CONNECT_RESULT = 2

    def __init__(
        self,
        users: Sequence[UserView],
        database_description: str,
        last_login: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in to TierDesk"))
        self.model = UserListModel(users, self)
        intro = QLabel(
            self.tr("<b>Who is working on this desk?</b>")
            + f"<br><span style='color: gray'>{html.escape(database_description)}</span>"
        )
        intro.setWordWrap(True)
        self.user_list = QListView()
        self.user_list.setModel(self.model)
        self.user_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.user_list.setUniformItemSizes(True)
        self.user_list.setSpacing(2)
        self.user_list.setIconSize(QSize(0, 0))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_in_button: QPushButton = self.buttons.addButton(
            self.tr("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setDefault(True)
        self.connect_button: QPushButton = self.buttons.addButton(
            self.tr("Connect to…"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.connect_button.setToolTip(
            self.tr("Use another database: an embedded file or a server")
        )
        self.connect_button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.user_list)
        layout.addWidget(self.buttons)
        self.resize(380, 440)
        self.user_list.selectionModel().selectionChanged.connect(
            self._on_user_list_selection_changed
        )
        self.user_list.doubleClicked.connect(self._on_user_list_double_clicked)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.connect_button.clicked.connect(self._on_connect_button_clicked)
        self.select_login(last_login or "")
        self._on_user_list_selection_changed()
        QWidget.setTabOrder(self.user_list, self.sign_in_button)
        self.user_list.setFocus()

    def select_login(self, login: str) -> None:
        """Select the person with this login, or the first one if nobody has it."""
        row = self.model.row_of(login)
        if row is None:
            row = 0 if self.model.rowCount() else None
        if row is not None:
            self.user_list.setCurrentIndex(self.model.index(row))

    def selected_user(self) -> UserView | None:
        rows = self.user_list.selectionModel().selectedRows()
        return self.model.user_at(rows[0].row()) if rows else None

    def accept(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self.signed_in.emit(user)
        super().accept()

    @Slot()
    def _on_user_list_selection_changed(self) -> None:
        self.sign_in_button.setEnabled(self.selected_user() is not None)

    @Slot()
    def _on_connect_button_clicked(self) -> None:
        self.done(self.CONNECT_RESULT)
        self.connect_requested.emit()

    @Slot(QModelIndex)
    def _on_user_list_double_clicked(self, index: QModelIndex) -> None:
        self.accept()
