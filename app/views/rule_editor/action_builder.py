"""The action builder: one row per action (move, assign, unassign, set priority or status,
comment, notify), each with the argument editors its kind takes, in the rule's JSON form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.rules.definition import ENUM_VALUES, RULE_STATUSES
from app.services.rules.validation import DeskFacts
from app.views.rule_editor.widgets import (
    ValueListEdit,
    combo,
    combo_value,
    error_label,
    set_combo_value,
    set_invalid,
    show_errors,
)

ACTION_LABELS = (
    ("move", QT_TRANSLATE_NOOP("ActionRow", "Move to tier")),
    ("assign", QT_TRANSLATE_NOOP("ActionRow", "Assign to")),
    ("unassign", QT_TRANSLATE_NOOP("ActionRow", "Unassign")),
    ("set_priority", QT_TRANSLATE_NOOP("ActionRow", "Set priority")),
    ("set_status", QT_TRANSLATE_NOOP("ActionRow", "Set status")),
    ("comment", QT_TRANSLATE_NOOP("ActionRow", "Add comment")),
    ("notify", QT_TRANSLATE_NOOP("ActionRow", "Notify")),
)
SLOT_LABELS = {
    "to": "",
    "text": QT_TRANSLATE_NOOP("ActionRow", "text"),
    "users": QT_TRANSLATE_NOOP("ActionRow", "users"),
    "tiers": QT_TRANSLATE_NOOP("ActionRow", "tiers"),
    "do": QT_TRANSLATE_NOOP("ActionRow", "action"),
}


class ActionRow(QWidget):
    """One action: its kind and the editors of its arguments."""

    changed = Signal()
    remove_requested = Signal(object)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)

    def __init__(self, desk: DeskFacts, raw: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.kind_box = combo((kind, self.tr(str(label))) for kind, label in ACTION_LABELS)
        self.slots: dict[str, QWidget] = {}
        self.arguments = QHBoxLayout()
        self.arguments.setContentsMargins(0, 0, 0, 0)
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip(self.tr("Remove this action"))
        self.errors = error_label()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.kind_box)
        line.addLayout(self.arguments, 1)
        line.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.errors)
        raw = raw or {"do": "move", "to": "up"}
        set_combo_value(self.kind_box, raw.get("do"))
        self._make_arguments(raw)
        self.kind_box.currentIndexChanged.connect(self._on_kind_box_current_index_changed)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    def kind(self) -> str:
        return combo_value(self.kind_box)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"do": self.kind()}
        slots = self.slots
        if "to" in slots:
            out["to"] = combo_value(slots["to"])  # type: ignore[arg-type]
        if "users" in slots:
            out["users"] = slots["users"].values()  # type: ignore[attr-defined]
            out["tiers"] = slots["tiers"].values()  # type: ignore[attr-defined]
            out["supervisors"] = slots["supervisors"].isChecked()  # type: ignore[attr-defined]
        if "text" in slots:
            text = slots["text"].text()  # type: ignore[attr-defined]
            if self.kind() == "comment" or text.strip():
                out["text"] = text
        return out

    # -------------------------------------------------------------------- problems
    def show_problem(self, rest: str, message: str) -> None:
        name = rest.split(".")[0].split("[")[0]
        widget = self.slots.get(name) or (self.kind_box if name == "do" else None)
        if widget is not None:
            set_invalid(widget, message)
        label = SLOT_LABELS.get(name, "")
        label = self.tr(str(label)) if label else ""
        previous = self.errors.text()
        text = f"{label}: {message}" if label else message
        show_errors(self.errors, [previous, text] if previous else [text])

    def clear_problems(self) -> None:
        for widget in (self.kind_box, *self.slots.values()):
            set_invalid(widget, None)
        show_errors(self.errors, [])

    def set_read_only(self, read_only: bool) -> None:
        self.remove_button.setVisible(not read_only)

    # ------------------------------------------------------------------- building
    def _make_arguments(self, raw: dict[str, Any]) -> None:
        for widget in self.slots.values():
            self.arguments.removeWidget(widget)
            widget.deleteLater()
        self.slots = {}
        kind = self.kind()
        target = raw.get("to")
        if kind == "move":
            choices = [("up", self.tr("up (next tier)")), ("down", self.tr("down (previous tier)"))]
            self._add("to", combo([*choices, *((t, t) for t in self.desk.tiers)], editable=True))
        elif kind == "assign":
            people = [login for login, facts in self.desk.users if facts.active]
            self._add("to", combo(((p, p) for p in people), editable=True))
        elif kind == "set_priority":
            self._add("to", combo((p, p) for p in ENUM_VALUES["priority"]))
        elif kind == "set_status":
            self._add("to", combo((s, s.replace("_", " ")) for s in RULE_STATUSES))
        elif kind == "comment":
            self._add("text", QLineEdit(str(raw.get("text") or "")), self.tr("the comment"))
        elif kind == "notify":
            users = ValueListEdit([login for login, _facts in self.desk.users])
            users.set_values(raw.get("users") or [])
            users.line_edit.setPlaceholderText(self.tr("people"))
            tiers = ValueListEdit(list(self.desk.tiers))
            tiers.set_values(raw.get("tiers") or [])
            tiers.line_edit.setPlaceholderText(self.tr("tiers"))
            supervisors = QCheckBox(self.tr("supervisors"))
            supervisors.setChecked(raw.get("supervisors") is True)
            self._add("users", users)
            self._add("tiers", tiers)
            self._add("supervisors", supervisors)
            self._add("text", QLineEdit(str(raw.get("text") or "")), self.tr("message (optional)"))
        if "to" in self.slots:
            box = self.slots["to"]
            if target is not None or kind != "move":
                set_combo_value(box, target)  # type: ignore[arg-type]
            else:
                set_combo_value(box, "up")  # type: ignore[arg-type]
        if not self.slots:
            self.arguments.addWidget(self._spacer())

    def _add(self, name: str, widget: QWidget, placeholder: str = "") -> None:
        if isinstance(widget, QLineEdit):
            widget.setPlaceholderText(placeholder)
            widget.textChanged.connect(self.changed)
        elif isinstance(widget, ValueListEdit):
            widget.changed.connect(self.changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(self.changed)
        elif isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self.changed)
        self.slots[name] = widget
        self.arguments.addWidget(widget, 1 if name != "supervisors" else 0)

    def _spacer(self) -> QWidget:
        spacer = QLabel("")
        self.slots["_"] = spacer
        return spacer

    @Slot(int)
    def _on_kind_box_current_index_changed(self, _index: int) -> None:
        self._make_arguments({})
        self.changed.emit()


class ActionBuilder(QWidget):
    """The rule's actions, in order."""

    changed = Signal()

    def __init__(self, desk: DeskFacts) -> None:
        super().__init__()
        self.desk = desk
        self.rows: list[ActionRow] = []
        self.add_button = QPushButton(self.tr("+ Action"))
        self.errors = error_label()
        self.list_layout = QVBoxLayout()
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(4)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(QLabel(self.tr("Then, in order:")))
        header.addStretch(1)
        header.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.errors)
        layout.addLayout(self.list_layout)
        self.add_button.clicked.connect(self._on_add_button_clicked)

    def load(self, actions: Any) -> None:
        for row in list(self.rows):
            self._remove(row)
        for raw in actions if isinstance(actions, list) else []:
            self.add(ActionRow(self.desk, raw if isinstance(raw, dict) else None))

    def to_json(self) -> list[dict[str, Any]]:
        return [row.to_json() for row in self.rows]

    def add(self, row: ActionRow) -> None:
        self.rows.append(row)
        self.list_layout.addWidget(row)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._on_row_remove_requested)

    def show_problem(self, path: str, message: str) -> None:
        """A problem at ``actions`` (the list) or ``actions[2].to`` (a row's field)."""
        if path.startswith("actions["):
            inside, _, rest = path[len("actions[") :].partition("]")
            if inside.isdigit() and int(inside) < len(self.rows):
                self.rows[int(inside)].show_problem(rest.lstrip("."), message)
                return
        previous = self.errors.text()
        show_errors(self.errors, [previous, message] if previous else [message])

    def clear_problems(self) -> None:
        show_errors(self.errors, [])
        for row in self.rows:
            row.clear_problems()

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        for row in self.rows:
            row.set_read_only(read_only)

    def _remove(self, row: ActionRow) -> None:
        self.rows.remove(row)
        self.list_layout.removeWidget(row)
        row.hide()
        row.deleteLater()

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add(ActionRow(self.desk))
        self.changed.emit()

    @Slot(object)
    def _on_row_remove_requested(self, row: ActionRow) -> None:
        self._remove(row)
        self.changed.emit()
