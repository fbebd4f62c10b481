"""The rule set being edited, in order: one row per draft rule, with a checkbox to enable it.

Rows are ``DraftRule``s: a rule in its JSON form (``app.services.rules.definition``), which may
be incomplete or wrong while a supervisor edits it, plus the id and version it was loaded with.
The model never saves anything; the rules dialog saves the whole list in one go.

Drag and drop reorders rows inside the list. Drags carry ``MIME_TYPE``: a JSON list of the
dragged row numbers. ``dropMimeData`` (and ``moveRows``, which ``QListView`` tries first for an
internal move) moves the rows itself, so ``removeRows`` does nothing: Qt calls it on the source
after a move drop, when the rows have already moved.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

MIME_TYPE = "application/x-tierdesk-rule-rows"

RULE_ROLE = Qt.ItemDataRole.UserRole + 1
PROBLEMS_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass
class DraftRule:
    """One rule as edited: ``raw`` is its JSON form (name, enabled, trigger, conditions,
    actions, stop); ``id`` None for a rule not saved yet. ``problems`` are the messages of the
    last check, for the list's warning mark."""

    raw: dict[str, Any]
    id: int | None = None
    version: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        name = self.raw.get("name")
        return name.strip() if isinstance(name, str) else ""

    @property
    def enabled(self) -> bool:
        return self.raw.get("enabled", True) is not False


def new_rule_json(name: str) -> dict[str, Any]:
    """A new rule's starting point: on creation, no conditions, one action still to choose."""
    return {
        "name": name,
        "enabled": True,
        "trigger": {"on": "created"},
        "conditions": [],
        "actions": [{"do": "move", "to": "up"}],
        "stop": False,
    }


def encode_rows(rows: Iterable[int]) -> QByteArray:
    return QByteArray(json.dumps(sorted(set(rows))).encode())


def decode_rows(data: QMimeData | None) -> list[int]:
    """The rows a drag carries; [] for anything that is not a drag of this list."""
    if data is None or not data.hasFormat(MIME_TYPE):
        return []
    try:
        rows = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
        return sorted({int(row) for row in rows})
    except (ValueError, TypeError):
        return []


class RuleListModel(QAbstractListModel):
    """The ordered draft rules (see the module's docstring)."""

    #: Rows moved by drag and drop (or ``move_rows``); carries the row they went to.
    rules_reordered = Signal(int)
    #: A rule's checkbox changed; carries the row.
    rule_toggled = Signal(int)
    #: The draft is no longer what it was: a rule edited, switched, added, removed or moved
    #: (not emitted by ``set_rules``, which loads a stored rule set).
    draft_changed = Signal()

    def __init__(self, rules: Sequence[DraftRule] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rules = list(rules)
        self.read_only = False

    # ------------------------------------------------------------------------- access
    def set_rules(self, rules: Sequence[DraftRule]) -> None:
        self.beginResetModel()
        self._rules = list(rules)
        self.endResetModel()

    def rules(self) -> list[DraftRule]:
        return list(self._rules)

    def rule_at(self, row: int) -> DraftRule:
        return self._rules[row]

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        if self._rules:
            self.dataChanged.emit(self.index(0), self.index(len(self._rules) - 1))

    def replace_raw(self, row: int, raw: dict[str, Any]) -> None:
        """The editor's current form of the rule at ``row``."""
        rule = self._rules[row]
        if rule.raw == raw:
            return
        rule.raw = raw
        self.dataChanged.emit(self.index(row), self.index(row))
        self.draft_changed.emit()

    def set_problems(self, problems: Sequence[list[str]]) -> None:
        """Each row's problem messages (one list per row, in order)."""
        for row, found in enumerate(problems):
            if row < len(self._rules) and self._rules[row].problems != found:
                self._rules[row].problems = list(found)
                self.dataChanged.emit(self.index(row), self.index(row))

    def insert_rule(self, row: int, rule: DraftRule) -> int:
        row = max(0, min(row, len(self._rules)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rules.insert(row, rule)
        self.endInsertRows()
        self.draft_changed.emit()
        return row

    def duplicate_rule(self, row: int, name: str) -> int:
        original = self._rules[row]
        raw = copy.deepcopy(original.raw)
        raw["name"] = name
        return self.insert_rule(row + 1, DraftRule(raw))

    def delete_rule(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rules[row]
        self.endRemoveRows()
        self.draft_changed.emit()

    def move_rows(self, rows: Sequence[int], to: int) -> int | None:
        """Move ``rows`` (kept in their order) to before row ``to`` (len: the end). Returns the
        row the first moved rule is at now, or None if nothing moved."""
        rows = sorted({row for row in rows if 0 <= row < len(self._rules)})
        if not rows or not 0 <= to <= len(self._rules):
            return None
        moving = [self._rules[row] for row in rows]
        first = to - sum(1 for row in rows if row < to)
        changed = False
        for offset, rule in enumerate(moving):
            source = next(row for row, r in enumerate(self._rules) if r is rule)
            destination = first + offset
            if source == destination:
                continue
            qt_destination = destination if destination < source else destination + 1
            self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), qt_destination)
            self._rules.insert(destination, self._rules.pop(source))
            self.endMoveRows()
            changed = True
        if not changed:
            return None
        self.rules_reordered.emit(first)
        self.draft_changed.emit()
        return first

    # -------------------------------------------------------------------------- Qt
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rules)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rules):
            return None
        rule = self._rules[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            mark = "⚠ " if rule.problems else ""
            name = rule.name or self.tr("(no name)")
            return f"{mark}{index.row() + 1}. {name}"
        if role == Qt.ItemDataRole.EditRole:
            return rule.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if rule.problems:
                return "\n".join(rule.problems)
            return (
                self.tr("Enabled") if rule.enabled else self.tr("Disabled: the rule does nothing")
            )
        if role == RULE_ROLE:
            return rule
        if role == PROBLEMS_ROLE:
            return list(rule.problems)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if self.read_only or not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = value if isinstance(value, Qt.CheckState) else Qt.CheckState(value)
        rule = self._rules[index.row()]
        rule.raw = {**rule.raw, "enabled": state == Qt.CheckState.Checked}
        self.dataChanged.emit(index, index)
        self.rule_toggled.emit(index.row())
        self.draft_changed.emit()
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if not self.read_only else Qt.ItemFlag.NoItemFlags
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        data.setData(MIME_TYPE, encode_rows(index.row() for index in indexes if index.isValid()))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        return not self.read_only and action == Qt.DropAction.MoveAction and bool(decode_rows(data))

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if row < 0:  # dropped on an item (before it) or on the empty space (at the end)
            row = parent.row() if parent.isValid() else len(self._rules)
        return self.move_rows(decode_rows(data), row) is not None

    def moveRows(
        self,
        source_parent: AnyIndex,
        source_row: int,
        count: int,
        destination_parent: AnyIndex,
        destination_child: int,
    ) -> bool:
        if self.read_only or source_parent.isValid() or destination_parent.isValid():
            return False
        rows = range(source_row, source_row + count)
        return self.move_rows(list(rows), destination_child) is not None

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        """Nothing: a move drop has already moved the rows (see the module's docstring)."""
        return False
