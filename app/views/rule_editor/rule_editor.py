"""One rule's editor: name, trigger, "stop after this rule", conditions and actions.

``load(raw)`` fills it from the rule's JSON form, ``to_json()`` gives the form back as edited
(``edited`` fires on every change), and ``show_problems`` puts each problem of a check next to
the field its path names; problems with no field of their own go to the line at the top.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.rules.definition import CLOCKS, MAX_MINUTES, NAME_MAX, UPDATE_FIELDS
from app.services.rules.validation import DeskFacts
from app.views.rule_editor.action_builder import ActionBuilder
from app.views.rule_editor.condition_builder import ConditionGroup, Registry, place_problem
from app.views.rule_editor.widgets import (
    ValueListEdit,
    combo,
    combo_value,
    error_label,
    set_combo_value,
    set_invalid,
    show_errors,
)

TRIGGERS = (
    ("created", QT_TRANSLATE_NOOP("TriggerEditor", "A ticket is created")),
    ("updated", QT_TRANSLATE_NOOP("TriggerEditor", "A ticket is updated")),
    ("time", QT_TRANSLATE_NOOP("TriggerEditor", "Time passes")),
)
MEASURES = (
    ("without_resolution", QT_TRANSLATE_NOOP("TriggerEditor", "without resolution")),
    ("in_tier", QT_TRANSLATE_NOOP("TriggerEditor", "in the current tier")),
    ("since_update", QT_TRANSLATE_NOOP("TriggerEditor", "since the last update")),
    ("until_breach", QT_TRANSLATE_NOOP("TriggerEditor", "left before a clock breaches")),
)
UNITS = (
    ("1", QT_TRANSLATE_NOOP("TriggerEditor", "minutes")),
    ("60", QT_TRANSLATE_NOOP("TriggerEditor", "hours")),
    ("1440", QT_TRANSLATE_NOOP("TriggerEditor", "days")),
)
WALL_TIME = ""


class TriggerEditor(QWidget):
    """When the rule is considered: on creation, on an update of some fields, or after a
    duration in business time of a calendar (or wall time)."""

    changed = Signal()

    def __init__(self, desk: DeskFacts) -> None:
        super().__init__()
        self.on_box = combo((on, self.tr(str(label))) for on, label in TRIGGERS)
        self.fields_edit = ValueListEdit(list(UPDATE_FIELDS))
        self.fields_edit.line_edit.setPlaceholderText(self.tr("fields watched; empty: any change"))
        self.amount_spin = QSpinBox()
        self.amount_spin.setRange(1, MAX_MINUTES)
        self.unit_box = combo((unit, self.tr(str(label))) for unit, label in UNITS)
        self.measure_box = combo((measure, self.tr(str(label))) for measure, label in MEASURES)
        self.clock_box = combo((c, self.tr("{clock} clock").format(clock=c)) for c in CLOCKS)
        self.calendar_box = combo(
            [(WALL_TIME, self.tr("wall time (24/7)"))]
            + [
                (name, self.tr("business time of {calendar}").format(calendar=name))
                for name in sorted(desk.calendars)
            ]
        )
        self.errors = error_label()
        self.updated_row = QWidget()
        updated = QHBoxLayout(self.updated_row)
        updated.setContentsMargins(0, 0, 0, 0)
        updated.addWidget(QLabel(self.tr("in")))
        updated.addWidget(self.fields_edit, 1)
        self.time_row = QWidget()
        timed = QHBoxLayout(self.time_row)
        timed.setContentsMargins(0, 0, 0, 0)
        for widget in (self.amount_spin, self.unit_box, self.measure_box, self.clock_box):
            timed.addWidget(widget)
        timed.addWidget(QLabel(self.tr("in")))
        timed.addWidget(self.calendar_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.on_box)
        layout.addWidget(self.updated_row)
        layout.addWidget(self.time_row)
        layout.addWidget(self.errors)
        self.slots: dict[str, QWidget] = {
            "on": self.on_box,
            "fields": self.fields_edit,
            "measure": self.measure_box,
            "minutes": self.amount_spin,
            "calendar": self.calendar_box,
            "clock": self.clock_box,
        }
        for box in (self.on_box, self.unit_box, self.measure_box, self.clock_box):
            box.currentIndexChanged.connect(self._on_any_changed)
        self.calendar_box.currentIndexChanged.connect(self._on_any_changed)
        self.amount_spin.valueChanged.connect(self._on_any_changed)
        self.fields_edit.changed.connect(self._on_any_changed)
        self._show_parts()

    def load(self, raw: Any) -> None:
        raw = raw if isinstance(raw, dict) else {}
        set_combo_value(self.on_box, raw.get("on", "created"))
        self.fields_edit.set_values(raw.get("fields") or [])
        set_combo_value(self.measure_box, raw.get("measure") or "without_resolution")
        set_combo_value(self.clock_box, raw.get("clock") or CLOCKS[0])
        set_combo_value(self.calendar_box, raw.get("calendar") or WALL_TIME)
        minutes = raw.get("minutes")
        minutes = minutes if isinstance(minutes, int) and minutes > 0 else 60
        unit = next(u for u, _label in reversed(UNITS) if minutes % int(u) == 0)
        set_combo_value(self.unit_box, unit)
        self.amount_spin.setValue(minutes // int(unit))
        self._show_parts()

    def to_json(self) -> dict[str, Any]:
        on = combo_value(self.on_box)
        if on == "created":
            return {"on": "created"}
        if on == "updated":
            return {"on": "updated", "fields": self.fields_edit.values()}
        measure = combo_value(self.measure_box)
        out: dict[str, Any] = {
            "on": "time",
            "measure": measure,
            "minutes": self.amount_spin.value() * int(combo_value(self.unit_box)),
            "calendar": combo_value(self.calendar_box) or None,
        }
        if measure == "until_breach":
            out["clock"] = combo_value(self.clock_box)
        return out

    def show_problem(self, rest: str, message: str) -> None:
        name = rest.split(".")[0].split("[")[0]
        widget = self.slots.get(name)
        if widget is not None:
            set_invalid(widget, message)
        previous = self.errors.text()
        show_errors(self.errors, [previous, message] if previous else [message])

    def clear_problems(self) -> None:
        for widget in self.slots.values():
            set_invalid(widget, None)
        show_errors(self.errors, [])

    def _show_parts(self) -> None:
        on = combo_value(self.on_box)
        self.updated_row.setVisible(on == "updated")
        self.time_row.setVisible(on == "time")
        self.clock_box.setVisible(combo_value(self.measure_box) == "until_breach")

    @Slot()
    def _on_any_changed(self) -> None:
        self._show_parts()
        self.changed.emit()


class RuleEditor(QWidget):
    """The selected rule's editor (see the module's docstring)."""

    #: Something was changed by the person editing.
    edited = Signal()

    def __init__(self, desk: DeskFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.registry: Registry = {}
        self.read_only = False
        self._loading = False
        self.general_errors = error_label()
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(NAME_MAX + 20)  # longer names are refused with a message
        self.name_errors = error_label()
        self.enabled_check = QCheckBox(self.tr("Enabled"))
        self.stop_check = QCheckBox(self.tr("Stop processing further rules after this one fires"))
        self.trigger = TriggerEditor(desk)
        self.conditions = ConditionGroup(desk, root=True)
        self.action_list = ActionBuilder(desk)
        name_box = QWidget()
        name_layout = QVBoxLayout(name_box)
        name_layout.setContentsMargins(0, 0, 0, 0)
        name_layout.setSpacing(2)
        name_layout.addWidget(self.name_edit)
        name_layout.addWidget(self.name_errors)
        form = QFormLayout()
        form.addRow(self.tr("Name"), name_box)
        form.addRow("", self.enabled_check)
        form.addRow(self.tr("When"), self.trigger)
        form.addRow("", self.stop_check)
        conditions_box = QGroupBox(self.tr("If"))
        QVBoxLayout(conditions_box).addWidget(self.conditions)
        actions_box = QGroupBox(self.tr("Then"))
        QVBoxLayout(actions_box).addWidget(self.action_list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_errors)
        layout.addLayout(form)
        layout.addWidget(conditions_box)
        layout.addWidget(actions_box)
        layout.addStretch(1)
        self.name_edit.textChanged.connect(self._on_part_changed)
        self.enabled_check.toggled.connect(self._on_part_changed)
        self.stop_check.toggled.connect(self._on_part_changed)
        self.trigger.changed.connect(self._on_part_changed)
        self.conditions.changed.connect(self._on_part_changed)
        self.action_list.changed.connect(self._on_part_changed)

    def load(self, raw: dict[str, Any]) -> None:
        self._loading = True
        try:
            self.name_edit.setText(str(raw.get("name") or ""))
            self.enabled_check.setChecked(raw.get("enabled", True) is not False)
            self.stop_check.setChecked(raw.get("stop") is True)
            self.trigger.load(raw.get("trigger"))
            conditions = raw.get("conditions")
            self.conditions.load(conditions if isinstance(conditions, list) else [])
            self.action_list.load(raw.get("actions"))
        finally:
            self._loading = False
        self.set_read_only(self.read_only)  # the rows just built, too
        self.clear_problems()

    def to_json(self) -> dict[str, Any]:
        self.registry = {}
        return {
            "name": self.name_edit.text(),
            "enabled": self.enabled_check.isChecked(),
            "trigger": self.trigger.to_json(),
            "conditions": self.conditions.conditions_json(self.registry),
            "actions": self.action_list.to_json(),
            "stop": self.stop_check.isChecked(),
        }

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for widget in (self.name_edit, self.enabled_check, self.stop_check, self.trigger):
            widget.setEnabled(not read_only)
        self.conditions.set_read_only(read_only)
        self.action_list.set_read_only(read_only)
        children = [*self.conditions.findChildren(QWidget), *self.action_list.findChildren(QWidget)]
        for child in children:
            # A value list as a whole: its pick menu would change the rule too.
            if isinstance(child, QLineEdit | QComboBox | QSpinBox | QCheckBox | ValueListEdit):
                child.setEnabled(not read_only)

    # -------------------------------------------------------------------- problems
    def show_problems(self, problems: list[tuple[str, str]]) -> None:
        """Each (path, message) next to its field."""
        self.clear_problems()
        self.to_json()  # the registry of the widgets shown now
        general: list[str] = []
        for path, message in problems:
            if path == "name":
                set_invalid(self.name_edit, message)
                previous = self.name_errors.text()
                show_errors(self.name_errors, [previous, message] if previous else [message])
            elif path.startswith("trigger"):
                self.trigger.show_problem(path[len("trigger") :].lstrip("."), message)
            elif path.startswith("actions"):
                self.action_list.show_problem(path, message)
            elif path.startswith("conditions[") and place_problem(self.registry, path, message):
                pass
            elif path == "conditions":
                show_errors(self.conditions.errors, [message])
            else:
                general.append(f"{path}: {message}")
        show_errors(self.general_errors, general)

    def clear_problems(self) -> None:
        set_invalid(self.name_edit, None)
        show_errors(self.name_errors, [])
        show_errors(self.general_errors, [])
        self.trigger.clear_problems()
        self.conditions.clear_problems()
        self.action_list.clear_problems()

    @Slot()
    def _on_part_changed(self) -> None:
        if not self._loading:
            self.edited.emit()
