"""Closing an editing dialog with changes not saved: ask before they are thrown away.

A supervisor who presses Close or Esc in the middle of an edit (or closes the window) gets the
choice to discard the changes or to keep editing, as in every serious editor; without it an
hour's work on the escalation rules was gone without a word. Dialogs hold the question as an
attribute (``confirm_discard``) so that tests can answer it without a modal box.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def ask_to_discard(parent: QWidget) -> bool:
    """True if the person chooses to throw the unsaved changes away, False to keep editing
    (the default, and what Esc in the question does)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("unsaved_changes", "Unsaved changes"),
        QCoreApplication.translate(
            "unsaved_changes", "Your changes have not been saved. Discard them and close?"
        ),
        parent=parent,
    )
    discard = box.addButton(
        QCoreApplication.translate("unsaved_changes", "Discard changes"),
        QMessageBox.ButtonRole.DestructiveRole,
    )
    keep = box.addButton(
        QCoreApplication.translate("unsaved_changes", "Keep editing"),
        QMessageBox.ButtonRole.RejectRole,
    )
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard
