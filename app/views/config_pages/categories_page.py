"""The categories page: each problem type, the lowest tier authorised to resolve it, and a short
description; categories can be added, and removed while no ticket uses them."""

from __future__ import annotations

from dataclasses import replace
from typing import cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.configuration import CategoryConfig, DeskConfiguration, Problem, TierConfig
from app.views.config_pages.base import ConfigPage, clear_marks, index_in, mark_cell
from app.views.theme import set_problem

COLUMNS = (
    QT_TRANSLATE_NOOP("CategoriesPage", "Category"),
    QT_TRANSLATE_NOOP("CategoriesPage", "Lowest tier that resolves it"),
    QT_TRANSLATE_NOOP("CategoriesPage", "Description"),
)
NAME, MIN_TIER, DESCRIPTION = range(len(COLUMNS))
FIELD_COLUMNS = {"name": NAME, "min_tier": MIN_TIER, "description": DESCRIPTION}
ID_ROLE = Qt.ItemDataRole.UserRole


def tier_key(tier: TierConfig) -> object:
    """What a tier choice remembers: its id (so that a renamed code follows), or its code."""
    return tier.id if tier.id is not None else tier.code


class CategoriesPage(ConfigPage):
    """Edits ``DeskConfiguration.categories`` (see ``ConfigPage``)."""

    title = str(QT_TRANSLATE_NOOP("CategoriesPage", "Categories"))
    page = "categories"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiers: tuple[TierConfig, ...] = ()  # those a category may name
        self._all_tiers: tuple[TierConfig, ...] = ()  # retired ones too, to name a stale choice
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(str(column)) for column in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(
            DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.add_button = QPushButton(self.tr("&Add category"))
        self.remove_button = QPushButton(self.tr("&Remove"))
        hint = QLabel(
            self.tr(
                "Each category names the lowest tier allowed to resolve it; tickets below that "
                "tier must escalate first. A category that tickets use cannot be removed."
            )
        )
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problems_label)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)

    # ------------------------------------------------------------------------------ page
    def load(self, config: DeskConfiguration) -> None:
        self._tiers, self._all_tiers = config.active_tiers, config.tiers
        self.table.setRowCount(0)
        by_code = {tier.code: tier for tier in config.tiers}
        for category in config.categories:
            tier = by_code.get(category.min_tier)
            self._append(category, tier_key(tier) if tier else category.min_tier)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.clear_problems()

    def sync(self, draft: DeskConfiguration) -> None:
        """Offer the tiers the ladder page has now, keeping each row's choice."""
        self._tiers, self._all_tiers = draft.active_tiers, draft.tiers
        for row in range(self.table.rowCount()):
            combo = self._combo(row)
            if combo is not None:
                self._fill(combo, combo.currentData())

    def save(self, draft: DeskConfiguration) -> DeskConfiguration:
        codes = {tier_key(tier): tier.code for tier in draft.tiers}
        categories = []
        for row in range(self.table.rowCount()):
            name_item = self.table.item(row, NAME)
            combo = self._combo(row)
            choice = combo.currentData() if combo is not None else None
            categories.append(
                CategoryConfig(
                    id=cast(int | None, name_item.data(ID_ROLE)) if name_item else None,
                    name=self._text(row, NAME),
                    min_tier=codes.get(choice, str(choice or "")),
                    description=self._text(row, DESCRIPTION),
                )
            )
        return replace(draft, categories=tuple(categories))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        self.add_button.setEnabled(not read_only)
        self.remove_button.setEnabled(not read_only)
        for row in range(self.table.rowCount()):
            combo = self._combo(row)
            if combo is not None:
                combo.setEnabled(not read_only)

    def place_problem(self, problem: Problem) -> bool:
        where = index_in(problem.field, "categories")
        if where is not None and where[1] in FIELD_COLUMNS:
            row, name = where
            if name == "min_tier" and self._combo(row) is not None:
                combo = self._combo(row)
                assert combo is not None
                combo.setToolTip(problem.message)
                set_problem(combo, True)
            else:
                mark_cell(self.table, row, FIELD_COLUMNS[name], problem.message)
        return False

    def describe(self, problem: Problem) -> str:
        where = index_in(problem.field, "categories")
        if where is None or where[1] not in FIELD_COLUMNS:
            return problem.message
        row, name = where
        label = self._text(row, NAME) or self.tr("in row {row}").format(row=row + 1)
        return self.tr("Category {label}, {column}: {message}").format(
            label=label,
            column=self.tr(str(COLUMNS[FIELD_COLUMNS[name]])).lower(),
            message=problem.message,
        )

    def clear_problems(self) -> None:
        super().clear_problems()
        clear_marks(self.table)
        for row in range(self.table.rowCount()):
            combo = self._combo(row)
            if combo is not None:
                combo.setToolTip("")
                set_problem(combo, False)

    # ---------------------------------------------------------------------------- rows
    def _append(self, category: CategoryConfig, choice: object) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        name = QTableWidgetItem(category.name)
        name.setData(ID_ROLE, category.id)
        self.table.setItem(row, NAME, name)
        self.table.setItem(row, MIN_TIER, QTableWidgetItem(""))
        self.table.setItem(row, DESCRIPTION, QTableWidgetItem(category.description))
        combo = QComboBox()
        self._fill(combo, choice)
        combo.setEnabled(not self.read_only)
        self.table.setCellWidget(row, MIN_TIER, combo)

    def _fill(self, combo: QComboBox, choice: object) -> None:
        combo.blockSignals(True)
        combo.clear()
        for tier in self._tiers:
            combo.addItem(f"{tier.code} – {tier.name}", tier_key(tier))
        index = combo.findData(choice)
        if index < 0 and choice not in (None, ""):
            stale = next((t for t in self._all_tiers if tier_key(t) == choice), None)
            shown = (
                self.tr("{code} (retired)").format(code=stale.code)
                if stale
                else self.tr("{choice} (not on the ladder)").format(choice=choice)
            )
            combo.addItem(shown, choice)
            index = combo.count() - 1
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def _combo(self, row: int) -> QComboBox | None:
        widget = self.table.cellWidget(row, MIN_TIER)
        return widget if isinstance(widget, QComboBox) else None

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    # --------------------------------------------------------------------------- slots
    @Slot()
    def _on_add_button_clicked(self) -> None:
        lowest = tier_key(self._tiers[0]) if self._tiers else ""
        self._append(CategoryConfig(None, self.tr("New category"), ""), lowest)
        row = self.table.rowCount() - 1
        self.table.setCurrentCell(row, NAME)

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
