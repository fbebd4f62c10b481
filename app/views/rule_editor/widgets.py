"""Small widgets of the rule editor: a field that shows its problem (red border, message under
it), a list of values typed or picked from the desk's choices, and combo box helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from app.views.theme import theme_colour


def error_colour() -> str:
    """The problem red of the application's theme (light or dark)."""
    return theme_colour("error_text")


def set_invalid(widget: QWidget, message: str | None) -> None:
    """Give ``widget`` a red border and ``message`` as tooltip, or take them away (None).
    ``widget.property("problem")`` holds the message, for tests and screen readers alike."""
    target = getattr(widget, "border_target", widget)
    if message is None:
        if widget.property("problem"):
            target.setStyleSheet("")
            widget.setProperty("problem", "")
            widget.setToolTip(widget.property("plain_tooltip") or "")
        return
    if not widget.property("problem"):
        widget.setProperty("plain_tooltip", widget.toolTip())
    previous = widget.property("problem") or ""
    widget.setProperty("problem", f"{previous}\n{message}" if previous else message)
    class_name = target.metaObject().className()
    target.setStyleSheet(
        f"{class_name} {{ border: 2px solid {error_colour()}; border-radius: 3px; }}"
    )
    widget.setToolTip(widget.property("problem"))


def problem_of(widget: QWidget) -> str:
    return str(widget.property("problem") or "")


def error_label() -> QLabel:
    """A red, word-wrapped, hidden label for the problems of a field or a row."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {error_colour()};")
    label.hide()
    return label


def show_errors(label: QLabel, messages: Sequence[str]) -> None:
    label.setText("\n".join(messages))
    label.setVisible(bool(messages))


def combo(choices: Iterable[tuple[str, str]], editable: bool = False) -> QComboBox:
    """A combo box of (value, label) choices; ``editable``: any text may be typed too."""
    box = QComboBox()
    box.setEditable(editable)
    for value, label in choices:
        box.addItem(label, value)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return box


def combo_value(box: QComboBox) -> str:
    """The chosen value (the text typed, for an editable box)."""
    if box.isEditable():
        text = box.currentText().strip()
        index = box.findText(text)
        data = box.itemData(index) if index >= 0 else None
        return str(data) if data is not None else text
    data = box.currentData()
    return str(data) if data is not None else box.currentText()


def set_combo_value(box: QComboBox, value: Any) -> None:
    """Choose ``value``; a value the box does not offer (a deleted tier) is added as it is, so
    that the check can point at it."""
    text = "" if value is None else str(value)
    index = box.findData(text)
    if index < 0 and box.isEditable():
        box.setCurrentIndex(-1)
        box.setEditText(text)
        return
    if index < 0:
        box.addItem(text, text)
        index = box.count() - 1
    box.setCurrentIndex(index)


class ValueListEdit(QWidget):
    """Several values: typed, separated by commas, or picked from the menu of the desk's
    choices (categories, tiers, people, priorities)."""

    changed = Signal()

    def __init__(self, choices: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line_edit = QLineEdit()
        self.line_edit.setPlaceholderText(self.tr("pick or type, separated by commas"))
        self.border_target = self.line_edit
        self.pick_button = QToolButton()
        self.pick_button.setText("▾")
        self.pick_button.setToolTip(self.tr("Pick from the desk's values"))
        self.pick_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        for choice in choices:
            # A menu reads "&" as the mark of a shortcut key: "Email & calendar" would show
            # as "Email _calendar". Doubled, it shows as itself; the value is kept as data.
            action = QAction(choice.replace("&", "&&"), self.menu)
            action.setData(choice)
            action.setCheckable(True)
            action.toggled.connect(self._on_menu_action_toggled)
            self.menu.addAction(action)
        self.menu.aboutToShow.connect(self._on_menu_about_to_show)
        self.pick_button.setMenu(self.menu)
        self.pick_button.setEnabled(bool(choices))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.pick_button)
        self.line_edit.textChanged.connect(self.changed)
        self._syncing = False

    def values(self) -> list[str]:
        return [part.strip() for part in self.line_edit.text().split(",") if part.strip()]

    def set_values(self, values: Iterable[Any]) -> None:
        self.line_edit.setText(", ".join(str(value) for value in values))

    @Slot()
    def _on_menu_about_to_show(self) -> None:
        chosen = set(self.values())
        self._syncing = True
        for action in self.menu.actions():
            action.setChecked(action.data() in chosen)
        self._syncing = False

    @Slot(bool)
    def _on_menu_action_toggled(self, checked: bool) -> None:
        action = self.sender()
        if self._syncing or not isinstance(action, QAction):
            return
        values = [value for value in self.values() if value != action.data()]
        if checked:
            values.append(action.data())
        self.set_values(values)
