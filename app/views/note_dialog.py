"""A small dialog asking for a few words: why a ticket is handed back, how it was resolved, or a
comment. It is opened window-modal with ``open()`` and reports the text with ``submitted``."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class NoteDialog(QDialog):
    """Asks for a text; the action button stays disabled until something is written."""

    #: The person confirmed; carries the trimmed text.
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None, title: str, prompt: str, action_text: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt_label = QLabel(prompt)
        self.prompt_label.setWordWrap(True)
        self.text_edit = QPlainTextEdit()
        self.text_edit.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox(self)  # parented now, so that setDefault below holds
        # The action button first, so that Tab from the text reaches it before Cancel.
        self.action_button: QPushButton = self.buttons.addButton(
            action_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.action_button.setDefault(True)
        self.action_button.setToolTip("Ctrl+Enter")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.accept)
        QShortcut(QKeySequence("Ctrl+Enter"), self, self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.text_edit)
        layout.addWidget(self.buttons)
        self.resize(440, 220)
        self.text_edit.textChanged.connect(self._on_text_edit_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._on_text_edit_text_changed()
        QWidget.setTabOrder(self.text_edit, self.action_button)
        self.text_edit.setFocus()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def accept(self) -> None:
        if not self.text():
            return  # the button is disabled; Enter in the editor must not sneak past it
        self.submitted.emit(self.text())
        super().accept()

    @Slot()
    def _on_text_edit_text_changed(self) -> None:
        self.action_button.setEnabled(bool(self.text()))
