"""The condition builder: the rule's conditions as a group ("all of these hold") of rows, one
per test (field, operator, value), and of nested groups (all / any / none / not all).

Widgets write the rule's JSON form (``to_json``), noting which widget stands for which path
(``conditions[1].any[0]``), so that ``show_problems`` can put a problem of the check next to
the field it names: the field, operator or value box of a row, or a group's own line.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.rules.definition import (
    ENUM_VALUES,
    NUMBER_FIELDS,
    OPERATORS,
    ORDER_OPS,
    TEXT_FIELDS,
)
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

FIELD_LABELS = {
    "category": QT_TRANSLATE_NOOP("ConditionRow", "Category"),
    "priority": QT_TRANSLATE_NOOP("ConditionRow", "Priority"),
    "impact": QT_TRANSLATE_NOOP("ConditionRow", "Impact"),
    "urgency": QT_TRANSLATE_NOOP("ConditionRow", "Urgency"),
    "tier": QT_TRANSLATE_NOOP("ConditionRow", "Tier"),
    "status": QT_TRANSLATE_NOOP("ConditionRow", "Status"),
    "assignee": QT_TRANSLATE_NOOP("ConditionRow", "Assignee"),
    "requester": QT_TRANSLATE_NOOP("ConditionRow", "Requester"),
    "title": QT_TRANSLATE_NOOP("ConditionRow", "Title"),
    "description": QT_TRANSLATE_NOOP("ConditionRow", "Description"),
    "reopened_count": QT_TRANSLATE_NOOP("ConditionRow", "Times reopened"),
    "escalations": QT_TRANSLATE_NOOP("ConditionRow", "Escalations so far"),
}
OPERATOR_LABELS = {
    "in": QT_TRANSLATE_NOOP("ConditionRow", "is one of"),
    "not_in": QT_TRANSLATE_NOOP("ConditionRow", "is none of"),
    "at_least": QT_TRANSLATE_NOOP("ConditionRow", "is at least"),
    "at_most": QT_TRANSLATE_NOOP("ConditionRow", "is at most"),
    "is_none": QT_TRANSLATE_NOOP("ConditionRow", "is nobody"),
    "is_set": QT_TRANSLATE_NOOP("ConditionRow", "is someone"),
    "equals": QT_TRANSLATE_NOOP("ConditionRow", "equals"),
    "contains": QT_TRANSLATE_NOOP("ConditionRow", "contains"),
    "regex": QT_TRANSLATE_NOOP("ConditionRow", "matches regex"),
    "=": "=",
    "!=": "≠",
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
}
GROUP_MODES = (
    ("all", QT_TRANSLATE_NOOP("ConditionGroup", "All of these hold")),
    ("any", QT_TRANSLATE_NOOP("ConditionGroup", "Any of these holds")),
    ("none", QT_TRANSLATE_NOOP("ConditionGroup", "None of these holds")),
    ("not_all", QT_TRANSLATE_NOOP("ConditionGroup", "Not all of these hold")),
)

#: which widget of the conditions stands for which path
Registry = dict[str, "ConditionRow | ConditionGroup"]


def choices_for(field: str, desk: DeskFacts) -> list[str]:
    """What a value of ``field`` may be on this desk (for the pickers)."""
    if field == "category":
        return sorted(desk.categories)
    if field == "tier":
        return list(desk.tiers)
    if field == "assignee":
        return [login for login, _facts in desk.users]
    return list(ENUM_VALUES.get(field, ()))


class ConditionRow(QWidget):
    """One test: field, operator and a value editor fitting both."""

    changed = Signal()
    remove_requested = Signal(object)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)

    def __init__(self, desk: DeskFacts, raw: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.field_box = combo((f, self.tr(str(FIELD_LABELS[f]))) for f in OPERATORS)
        self.op_box = combo(())
        self.value_editor: QWidget | None = None
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip(self.tr("Remove this condition"))
        self.errors = error_label()
        self.line = QHBoxLayout()
        self.line.setContentsMargins(0, 0, 0, 0)
        self.line.addWidget(self.field_box)
        self.line.addWidget(self.op_box)
        self.line.addStretch(0)
        self.line.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.line)
        layout.addWidget(self.errors)
        raw = raw or {"field": "category", "op": "in", "value": []}
        set_combo_value(self.field_box, raw.get("field"))
        self._fill_operators(raw.get("op"))
        self._make_value_editor(raw.get("value"))
        self.field_box.currentIndexChanged.connect(self._on_field_box_current_index_changed)
        self.op_box.currentIndexChanged.connect(self._on_op_box_current_index_changed)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    # ------------------------------------------------------------------------ JSON
    def field(self) -> str:
        return combo_value(self.field_box)

    def op(self) -> str:
        return combo_value(self.op_box)

    def to_json(self, path: str, registry: Registry) -> dict[str, Any]:
        registry[path] = self
        out: dict[str, Any] = {"field": self.field(), "op": self.op()}
        value = self.value()
        if value is not None:
            out["value"] = value
        return out

    def value(self) -> Any:
        editor = self.value_editor
        if isinstance(editor, ValueListEdit):
            return editor.values()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text()
        if editor is not None and hasattr(editor, "currentText"):
            return combo_value(editor)  # type: ignore[arg-type]
        return None

    # -------------------------------------------------------------------- problems
    def slot(self, name: str) -> QWidget | None:
        return {"field": self.field_box, "op": self.op_box, "value": self.value_editor}.get(name)

    def show_problem(self, rest: str, message: str) -> None:
        name = rest.split(".")[0].split("[")[0]
        widget = self.slot(name)
        if widget is not None:
            set_invalid(widget, message)
        label = FIELD_LABELS.get(
            name, {"op": self.tr("operator"), "value": self.tr("value")}.get(name, "")
        )
        label = self.tr(str(label)) if label else ""
        previous = self.errors.text()
        text = f"{label}: {message}" if label else message
        show_errors(self.errors, [previous, text] if previous else [text])

    def clear_problems(self) -> None:
        for widget in (self.field_box, self.op_box, self.value_editor):
            if widget is not None:
                set_invalid(widget, None)
        show_errors(self.errors, [])

    def set_read_only(self, read_only: bool) -> None:
        self.remove_button.setVisible(not read_only)

    # ------------------------------------------------------------------- building
    def _fill_operators(self, wanted: Any) -> None:
        self.op_box.blockSignals(True)
        self.op_box.clear()
        for op in OPERATORS.get(self.field(), ()):
            self.op_box.addItem(self.tr(str(OPERATOR_LABELS.get(op, op))), op)
        if wanted is not None:
            set_combo_value(self.op_box, wanted)
        self.op_box.blockSignals(False)

    def _make_value_editor(self, value: Any) -> None:
        if self.value_editor is not None:
            self.line.removeWidget(self.value_editor)
            self.value_editor.deleteLater()
            self.value_editor = None
        field, op = self.field(), self.op()
        editor: QWidget | None
        if op in ("is_none", "is_set"):
            editor = None
        elif field in NUMBER_FIELDS:
            spin = QSpinBox()
            spin.setRange(0, 999)
            spin.setValue(value if isinstance(value, int) and not isinstance(value, bool) else 0)
            spin.valueChanged.connect(self.changed)
            editor = spin
        elif field in TEXT_FIELDS:
            line = QLineEdit("" if value is None else str(value))
            line.setPlaceholderText(
                self.tr("a regular expression, e.g. (?i)vpn|remote")
                if op == "regex"
                else self.tr("text")
            )
            line.setMinimumWidth(200)
            line.textChanged.connect(self.changed)
            editor = line
        elif op in ORDER_OPS:
            box = combo(((c, c) for c in choices_for(field, self.desk)), editable=True)
            set_combo_value(box, value if isinstance(value, str) else "")
            box.currentTextChanged.connect(self.changed)
            editor = box
        else:
            values = ValueListEdit(choices_for(field, self.desk))
            values.set_values(value if isinstance(value, list | tuple) else [])
            values.setMinimumWidth(220)
            values.changed.connect(self.changed)
            editor = values
        self.value_editor = editor
        if editor is not None:
            self.line.insertWidget(2, editor, 1)

    @Slot(int)
    def _on_field_box_current_index_changed(self, _index: int) -> None:
        self._fill_operators(None)
        self._make_value_editor(None)
        self.changed.emit()

    @Slot(int)
    def _on_op_box_current_index_changed(self, _index: int) -> None:
        value = self.value()
        kind = type(self.value_editor)
        self._make_value_editor(None)
        if type(self.value_editor) is kind and value is not None:
            self._restore(value)
        self.changed.emit()

    def _restore(self, value: Any) -> None:
        editor = self.value_editor
        if isinstance(editor, QLineEdit) and isinstance(value, str):
            editor.setText(value)
        elif isinstance(editor, ValueListEdit) and isinstance(value, list):
            editor.set_values(value)


class ConditionGroup(QFrame):
    """Conditions combined by all / any / none / not all; the rule's own conditions are the
    root group, always "all of these hold"."""

    changed = Signal()
    remove_requested = Signal(object)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        self.remove_requested.emit(self)

    def __init__(self, desk: DeskFacts, mode: str = "all", root: bool = False) -> None:
        super().__init__()
        self.desk, self.root = desk, root
        self.items: list[ConditionRow | ConditionGroup] = []
        self.mode_box = combo((mode, self.tr(str(label))) for mode, label in GROUP_MODES)
        set_combo_value(self.mode_box, mode)
        self.mode_box.currentIndexChanged.connect(self.changed)
        self.title = QLabel(self.tr("All of these must hold:") if root else "")
        self.add_condition_button = QPushButton(self.tr("+ Condition"))
        self.add_group_button = QPushButton(self.tr("+ Group"))
        self.remove_button = QToolButton()
        self.remove_button.setText("✕")
        self.remove_button.setToolTip(self.tr("Remove this group and its conditions"))
        self.errors = error_label()
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        if root:
            header.addWidget(self.title)
            self.mode_box.hide()
            self.remove_button.hide()
        else:
            header.addWidget(self.mode_box)
        header.addStretch(1)
        header.addWidget(self.add_condition_button)
        header.addWidget(self.add_group_button)
        header.addWidget(self.remove_button)
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0 if root else 12, 0, 0, 0)
        self.rows.setSpacing(4)
        self.empty_label = QLabel(
            self.tr("No conditions: the rule acts on every ticket its trigger sees.")
        )
        self.empty_label.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0 if root else 6, 0 if root else 4, 0 if root else 6, 4)
        layout.addLayout(header)
        layout.addWidget(self.errors)
        layout.addLayout(self.rows)
        layout.addWidget(self.empty_label)
        self.empty_label.setVisible(root)
        if not root:
            self.setFrameShape(QFrame.Shape.StyledPanel)
        self.add_condition_button.clicked.connect(self._on_add_condition_button_clicked)
        self.add_group_button.clicked.connect(self._on_add_group_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    # ------------------------------------------------------------------------ JSON
    def load(self, conditions: list[Any]) -> None:
        """The root group's conditions (the rule's ``conditions`` list)."""
        for item in list(self.items):
            self._remove(item)
        for raw in conditions:
            self.add(build(raw, self.desk))

    def to_json(self, path: str, registry: Registry) -> dict[str, Any]:
        """This (nested) group's JSON."""
        registry[path] = self
        mode = combo_value(self.mode_box)
        if mode in ("all", "any"):
            return {mode: self._items_json(f"{path}.{mode}", registry)}
        if mode == "none" and len(self.items) == 1:
            return {"not": self.items[0].to_json(f"{path}.not", registry)}
        inner = "any" if mode == "none" else "all"
        return {"not": {inner: self._items_json(f"{path}.not.{inner}", registry)}}

    def conditions_json(self, registry: Registry) -> list[dict[str, Any]]:
        """The root group's JSON: the rule's ``conditions`` list."""
        return [item.to_json(f"conditions[{i}]", registry) for i, item in enumerate(self.items)]

    def _items_json(self, prefix: str, registry: Registry) -> list[dict[str, Any]]:
        return [item.to_json(f"{prefix}[{i}]", registry) for i, item in enumerate(self.items)]

    # -------------------------------------------------------------------- problems
    def show_problem(self, rest: str, message: str) -> None:
        previous = self.errors.text()
        show_errors(self.errors, [previous, message] if previous else [message])
        set_invalid(self.mode_box, message)

    def clear_problems(self) -> None:
        show_errors(self.errors, [])
        set_invalid(self.mode_box, None)
        for item in self.items:
            item.clear_problems()

    def set_read_only(self, read_only: bool) -> None:
        for button in (self.add_condition_button, self.add_group_button):
            button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only and not self.root)
        for item in self.items:
            item.set_read_only(read_only)

    # ------------------------------------------------------------------- building
    def add(self, item: ConditionRow | ConditionGroup) -> None:
        self.items.append(item)
        self.rows.addWidget(item)
        item.changed.connect(self.changed)
        item.remove_requested.connect(self._on_item_remove_requested)
        self.empty_label.setVisible(self.root and not self.items)

    def _remove(self, item: ConditionRow | ConditionGroup) -> None:
        self.items.remove(item)
        self.rows.removeWidget(item)
        item.hide()
        item.deleteLater()
        self.empty_label.setVisible(self.root and not self.items)

    @Slot()
    def _on_add_condition_button_clicked(self) -> None:
        self.add(ConditionRow(self.desk))
        self.changed.emit()

    @Slot()
    def _on_add_group_button_clicked(self) -> None:
        group = ConditionGroup(self.desk, "any")
        group.add(ConditionRow(self.desk))
        self.add(group)
        self.changed.emit()

    @Slot(object)
    def _on_item_remove_requested(self, item: ConditionRow | ConditionGroup) -> None:
        self._remove(item)
        self.changed.emit()


def build(raw: Any, desk: DeskFacts) -> ConditionRow | ConditionGroup:
    """The widget for one condition of the JSON form (a test, or an all / any / not group)."""
    if isinstance(raw, dict):
        for mode in ("all", "any"):
            if mode in raw:
                return _group(mode, raw[mode], desk)
        if "not" in raw:
            inner = raw["not"]
            if isinstance(inner, dict) and "any" in inner and len(inner) == 1:
                return _group("none", inner["any"], desk)
            if isinstance(inner, dict) and "all" in inner and len(inner) == 1:
                return _group("not_all", inner["all"], desk)
            return _group("none", [inner], desk)
        return ConditionRow(desk, raw)
    return ConditionRow(desk)


def _group(mode: str, items: Any, desk: DeskFacts) -> ConditionGroup:
    group = ConditionGroup(desk, mode)
    for raw in items if isinstance(items, list) else []:
        group.add(build(raw, desk))
    return group


def place_problem(registry: Registry, path: str, message: str) -> bool:
    """Show a problem at the widget of the longest registered prefix of ``path``; False when
    no widget of the conditions stands for it."""
    candidates = [p for p in registry if path == p or path.startswith((p + ".", p + "["))]
    if not candidates:
        return False
    best = max(candidates, key=len)
    registry[best].show_problem(path[len(best) :].lstrip("."), message)
    return True
