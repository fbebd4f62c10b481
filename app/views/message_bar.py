"""An inline bar above the ticket list that tells why something was refused, without a modal
box in the way of the next click.

Its colours are the theme's ``message_*`` ones, from the application's style sheet
(``QFrame#messageBar`` in ``resources/themes/base.qss``): readable in light and dark, and
following a switch of the OS's scheme while the bar is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget


class MessageBar(QFrame):
    """Shows one message at a time until closed or replaced."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.icon_label = QLabel()
        self.icon_label.setPixmap(icon.pixmap(20, 20))
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Dismiss"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 4, 6)
        layout.addWidget(self.icon_label)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.hide()

    def show_message(self, text: str) -> None:
        self.text_label.setText(text)
        self.show()

    def text(self) -> str:
        """The message shown, or "" when the bar is hidden."""
        return self.text_label.text() if not self.isHidden() else ""

    def clear(self) -> None:
        self.text_label.clear()
        self.hide()

    @Slot()
    def _on_close_button_clicked(self) -> None:
        self.clear()
