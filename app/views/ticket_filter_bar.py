"""The row of filter controls above the ticket list and the board: tier, status, category,
priority, "my tickets", "my tiers", "breached / at risk" and search.

``ticket_filter()`` is the list's share of the choice (tier, status, my tickets, search);
``card_filter()`` is all of it, as the board applies it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.models import Priority, TicketStatus
from app.views.formatting import status_label
from app.views.item_models.card_filter import CardFilter
from app.views.item_models.ticket_filter_model import StatusChoice, TicketFilter

SEARCH_DELAY_MS = 200  # typing a word filters once, not once per key


class TicketFilterBar(QWidget):
    """Builds a ``TicketFilter`` (and a ``CardFilter``) from its controls and reports each
    change. ``my_tiers`` are the tiers the signed-in person works ("my tiers")."""

    #: The filter changed; carries the new ``TicketFilter``.
    filter_changed = Signal(object)

    def __init__(
        self, login: str, parent: QWidget | None = None, my_tiers: Sequence[str] = ()
    ) -> None:
        super().__init__(parent)
        self._login = login
        self._my_tiers = frozenset(my_tiers)
        self.tier_combo = QComboBox()
        self.tier_combo.addItem(self.tr("All tiers"), None)
        self.tier_combo.setToolTip(self.tr("Show one tier's queue"))
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("Active (not resolved)"), StatusChoice.ACTIVE.value)
        self.status_combo.addItem(self.tr("Any status"), StatusChoice.ALL.value)
        for status in TicketStatus:
            self.status_combo.addItem(status_label(status), status.value)
        self.category_combo = QComboBox()
        self.category_combo.addItem(self.tr("All categories"), None)
        self.category_combo.setToolTip(self.tr("Show one category"))
        self.priority_combo = QComboBox()
        self.priority_combo.addItem(self.tr("Any priority"), None)
        for priority in Priority:
            self.priority_combo.addItem(priority.value, priority.value)
        self.priority_combo.setToolTip(self.tr("Show one priority"))
        self.mine_check = QCheckBox(self.tr("&My tickets"))
        self.mine_check.setToolTip(self.tr("Only tickets assigned to you"))
        self.my_tiers_check = QCheckBox(self.tr("My &tiers"))
        self.my_tiers_check.setToolTip(self.tr("Only tickets at the tiers you work"))
        self.my_tiers_check.setEnabled(bool(self._my_tiers))
        self.at_risk_check = QCheckBox(self.tr("&Breached / at risk"))
        self.at_risk_check.setToolTip(
            self.tr("Only tickets whose tier clock is breached or past its warning (on the board)")
        )
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search key, title or requester  (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("Tier:")))
        layout.addWidget(self.tier_combo)
        layout.addWidget(QLabel(self.tr("Status:")))
        layout.addWidget(self.status_combo)
        layout.addWidget(self.category_combo)
        layout.addWidget(self.priority_combo)
        layout.addWidget(self.mine_check)
        layout.addWidget(self.my_tiers_check)
        layout.addWidget(self.at_risk_check)
        layout.addWidget(self.search_edit, 1)
        layout.addWidget(self.count_label)
        self.tier_combo.currentIndexChanged.connect(self._on_control_changed)
        self.status_combo.currentIndexChanged.connect(self._on_control_changed)
        self.category_combo.currentIndexChanged.connect(self._on_control_changed)
        self.priority_combo.currentIndexChanged.connect(self._on_control_changed)
        self.mine_check.toggled.connect(self._on_control_changed)
        self.my_tiers_check.toggled.connect(self._on_control_changed)
        self.at_risk_check.toggled.connect(self._on_control_changed)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self._search_timer.timeout.connect(self._on_control_changed)

    def set_tiers(self, codes: Sequence[str]) -> None:
        """Offer these tiers, keeping the current choice if it is still there."""
        current = self.tier_combo.currentData()
        known = [self.tier_combo.itemData(i) for i in range(1, self.tier_combo.count())]
        if known == list(codes):
            return
        self.tier_combo.blockSignals(True)
        while self.tier_combo.count() > 1:
            self.tier_combo.removeItem(1)
        for code in codes:
            self.tier_combo.addItem(code, code)
        index = self.tier_combo.findData(current) if current else 0
        self.tier_combo.setCurrentIndex(max(index, 0))
        self.tier_combo.blockSignals(False)
        if self.tier_combo.currentData() != current:
            self._on_control_changed()

    def set_categories(self, names: Sequence[str]) -> None:
        """Offer these categories, keeping the current choice if it is still there."""
        current = self.category_combo.currentData()
        known = [self.category_combo.itemData(i) for i in range(1, self.category_combo.count())]
        if known == list(names):
            return
        self.category_combo.blockSignals(True)
        while self.category_combo.count() > 1:
            self.category_combo.removeItem(1)
        for name in names:
            self.category_combo.addItem(name, name)
        index = self.category_combo.findData(current) if current else 0
        self.category_combo.setCurrentIndex(max(index, 0))
        self.category_combo.blockSignals(False)
        if self.category_combo.currentData() != current:
            self._on_control_changed()

    def set_counts(self, shown: int, total: int) -> None:
        self.count_label.setText(
            self.tr("{shown:,} of {total:,} tickets").format(shown=shown, total=total)
        )

    def ticket_filter(self) -> TicketFilter:
        raw_status = str(self.status_combo.currentData())
        status = (
            StatusChoice(raw_status)
            if raw_status in {choice.value for choice in StatusChoice}
            else TicketStatus(raw_status)
        )
        priority = self.priority_combo.currentData()
        return TicketFilter(
            tier=self.tier_combo.currentData(),
            status=status,
            assignee=self._login if self.mine_check.isChecked() else None,
            text=self.search_edit.text(),
            tiers=frozenset(self._my_tiers) if self.my_tiers_check.isChecked() else None,
            category=self.category_combo.currentData(),
            priority=priority or None,
        )

    def card_filter(self) -> CardFilter:
        """The whole choice, as the board applies it. "Active" and "any status" show every
        status there: the board keeps resolved tickets in a column of their own."""
        status = self.status_combo.currentData()
        priority = self.priority_combo.currentData()
        return CardFilter(
            text=self.search_edit.text(),
            assignee=self._login if self.mine_check.isChecked() else None,
            tiers=self._my_tiers if self.my_tiers_check.isChecked() else None,
            tier=self.tier_combo.currentData(),
            category=self.category_combo.currentData(),
            priority=Priority(priority) if priority else None,
            status=TicketStatus(status) if status in set(TicketStatus) else None,
            at_risk=self.at_risk_check.isChecked(),
        )

    def select_tier(self, code: str | None) -> None:
        self.tier_combo.setCurrentIndex(max(self.tier_combo.findData(code), 0) if code else 0)

    def select_status(self, status: StatusChoice | TicketStatus) -> None:
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(status.value), 0))

    @Slot()
    def _on_search_edit_text_changed(self) -> None:
        self._search_timer.start()

    @Slot()
    def _on_control_changed(self) -> None:
        self._search_timer.stop()
        self.filter_changed.emit(self.ticket_filter())
