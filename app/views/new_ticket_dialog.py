"""Opening a ticket: title, requester, category, impact and urgency, with the priority the
ITIL matrix derives from them shown as they are chosen.

The dialog checks what it can by itself (nothing required is left empty) and hands a
``NewTicket`` to whoever opened it through ``submitted``; that caller creates the ticket and
either closes the dialog or calls ``show_error`` with the service's refusal, which is shown next
to the field it names.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models import Level
from app.services.dto import CategoryView
from app.services.errors import InvalidInput
from app.services.priority import priority_for
from app.services.tickets import NewTicket
from app.services.validation import REQUESTER_MAX, TITLE_MAX
from app.views.formatting import level_label
from app.views.operations import describe_error
from app.views.theme import Tone, set_tone

LEVELS = (Level.HIGH, Level.MEDIUM, Level.LOW)


class NewTicketDialog(QDialog):
    """The form for a new ticket. Open it with ``open()``; listen to ``submitted``."""

    #: Create was pressed on a form that passed the dialog's own checks.
    submitted = Signal(object)

    def __init__(self, categories: Sequence[CategoryView], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New ticket"))
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(TITLE_MAX)
        self.title_edit.setPlaceholderText(self.tr("What is wrong, in a few words"))
        self.requester_edit = QLineEdit()
        self.requester_edit.setMaxLength(REQUESTER_MAX)
        self.requester_edit.setPlaceholderText(self.tr("Who asks for help"))
        self.category_combo = QComboBox()
        for category in categories:
            self.category_combo.addItem(
                self.tr("{name}  (resolved at {tier}+)").format(
                    name=category.name, tier=category.min_tier
                )
            )
            self.category_combo.setItemData(self.category_combo.count() - 1, category.name)
        self.impact_combo = self._level_combo()
        self.urgency_combo = self._level_combo()
        self.priority_label = QLabel()
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(self.tr("Optional: steps, error messages, device"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        set_tone(self.error_label, Tone.ERROR)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button: QPushButton = self.buttons.addButton(
            self.tr("Create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setDefault(True)
        self._build_layout()
        self._connect()
        self._on_level_combo_index_changed()
        self._set_tab_order()
        self.title_edit.setFocus()

    def _level_combo(self) -> QComboBox:
        combo = QComboBox()
        for level in LEVELS:
            combo.addItem(level_label(level), level.value)
        combo.setCurrentIndex(LEVELS.index(Level.MEDIUM))
        return combo

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title_edit)
        form.addRow(self.tr("&Requester:"), self.requester_edit)
        form.addRow(self.tr("&Category:"), self.category_combo)
        form.addRow(self.tr("&Impact:"), self.impact_combo)
        form.addRow(self.tr("&Urgency:"), self.urgency_combo)
        form.addRow(self.tr("Priority:"), self.priority_label)
        form.addRow(self.tr("&Description:"), self.description_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(520, 420)

    def _set_tab_order(self) -> None:
        # The button box is parented first (so that setDefault holds), which would put the
        # buttons first in the focus chain: say the order people fill the form in.
        chain: list[QWidget] = [
            self.title_edit,
            self.requester_edit,
            self.category_combo,
            self.impact_combo,
            self.urgency_combo,
            self.description_edit,
            self.create_button,
            *self.buttons.buttons(),
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            if first is not second:
                QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.impact_combo.currentIndexChanged.connect(self._on_level_combo_index_changed)
        self.urgency_combo.currentIndexChanged.connect(self._on_level_combo_index_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.title_edit.textEdited.connect(self._on_form_edited)
        self.requester_edit.textEdited.connect(self._on_form_edited)
        self.buttons.rejected.connect(self.reject)

    # --------------------------------------------------------------------------------- state
    def impact(self) -> Level:
        return Level(self.impact_combo.currentData())

    def urgency(self) -> Level:
        return Level(self.urgency_combo.currentData())

    def new_ticket(self) -> NewTicket:
        """What the form says now."""
        return NewTicket(
            title=self.title_edit.text().strip(),
            requester=self.requester_edit.text().strip(),
            category=str(self.category_combo.currentData() or ""),
            impact=self.impact(),
            urgency=self.urgency(),
            description=self.description_edit.toPlainText().strip(),
        )

    def problems(self) -> list[tuple[QWidget, str]]:
        """What the dialog refuses by itself, each with the field it is about."""
        found: list[tuple[QWidget, str]] = []
        if not self.title_edit.text().strip():
            found.append((self.title_edit, self.tr("Give the ticket a title.")))
        if not self.requester_edit.text().strip():
            found.append((self.requester_edit, self.tr("Say who asks for help (the requester).")))
        if self.category_combo.currentIndex() < 0:
            found.append((self.category_combo, self.tr("The desk has no categories yet.")))
        return found

    def set_busy(self, busy: bool) -> None:
        """While the ticket is being created, the form cannot be sent twice."""
        self.create_button.setEnabled(not busy)
        self.create_button.setText(self.tr("Creating…") if busy else self.tr("Create"))

    def show_error(self, error: Exception) -> None:
        """Show a refusal, next to the field it names where there is one."""
        self.set_busy(False)
        fields: dict[str, QWidget] = {
            "title": self.title_edit,
            "requester": self.requester_edit,
            "category": self.category_combo,
            "impact": self.impact_combo,
            "urgency": self.urgency_combo,
            "description": self.description_edit,
        }
        text = describe_error(error)
        widget = fields.get(error.field) if isinstance(error, InvalidInput) else None
        if isinstance(error, InvalidInput) and widget is not None:
            label = error.field.capitalize()
            text = self.tr("{field}: {message}").format(field=label, message=error.message)
        self._show_problem(widget, text)

    def _show_problem(self, widget: QWidget | None, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        if widget is not None:
            widget.setFocus()

    # --------------------------------------------------------------------------------- slots
    @Slot()
    def _on_level_combo_index_changed(self) -> None:
        priority = priority_for(self.impact(), self.urgency())
        self.priority_label.setText(
            self.tr("<b>{priority}</b> (from impact × urgency)").format(priority=priority.value)
        )

    @Slot()
    def _on_form_edited(self) -> None:
        self.error_label.hide()  # the person is fixing it; the old complaint would mislead

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problems = self.problems()
        if problems:
            widget, text = problems[0]
            self._show_problem(widget, text)
            return
        self.error_label.hide()
        self.set_busy(True)
        self.submitted.emit(self.new_ticket())
