"""People of the desk as a list: name on the first line, role and tiers on the second."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.dto import UserView
from app.views.formatting import role_label, user_scope

USER_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


class UserListModel(QAbstractListModel):
    """Read-only list of ``UserView``s, e.g. for the sign-in picker."""

    def __init__(self, users: Sequence[UserView] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._users = list(users)

    def set_users(self, users: Sequence[UserView]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def user_at(self, row: int) -> UserView:
        return self._users[row]

    def row_of(self, login: str) -> int | None:
        return next((row for row, u in enumerate(self._users) if u.login == login), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
        if self._users[index.row()].active:
            flags |= Qt.ItemFlag.ItemIsEnabled
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._users):
            return None
        user = self._users[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{user.display_name}\n{role_label(user.role)} · {user_scope(user)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Login: {login}").format(login=user.login)
        if role == USER_ROLE:
            return user
        return None
