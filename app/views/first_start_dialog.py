"""The question a new, empty database asks once: load the demo desk, or start empty?"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FirstStartDialog(QDialog):
    """Offers the demo desk or an empty one. Open it with ``open()``."""

    #: Load the demo desk.
    demo_chosen = Signal()
    #: Start with the default ladder, a few categories and the OS account as administrator.
    empty_chosen = Signal()

    def __init__(
        self,
        database_description: str,
        admin_login: str,
        demo_tickets: int,
        demo_available: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to TierDesk"))
        text = QLabel(
            self.tr("<h3>This desk is new</h3>")
            + self.tr(
                "<p>The database ({database}) has no tiers, people or tickets yet.</p>"
            ).format(database=html.escape(database_description))
            + self.tr(
                "<p><b>Demo desk</b>: a realistic desk to try TierDesk on: the L1 → L2 → L3 → "
                "Vendor ladder, categories, agents and {tickets:,} tickets with their history.</p>"
            ).format(tickets=demo_tickets)
            + self.tr(
                "<p><b>Empty desk</b>: the same ladder, three starter categories, and you "
                "(<tt>{login}</tt>) as the administrator; no tickets.</p>"
            ).format(login=html.escape(admin_login))
        )
        text.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.demo_button: QPushButton = self.buttons.addButton(
            self.tr("Load the demo desk"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.empty_button: QPushButton = self.buttons.addButton(
            self.tr("Start empty"), QDialogButtonBox.ButtonRole.ActionRole
        )
        if demo_available:
            self.demo_button.setDefault(True)
        else:
            self.demo_button.setEnabled(False)
            self.demo_button.setToolTip(self.tr("This build of TierDesk has no demo data"))
            self.empty_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.demo_button.clicked.connect(self._on_demo_button_clicked)
        self.empty_button.clicked.connect(self._on_empty_button_clicked)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_demo_button_clicked(self) -> None:
        self.demo_chosen.emit()
        self.accept()

    @Slot()
    def _on_empty_button_clicked(self) -> None:
        self.empty_chosen.emit()
        self.accept()
