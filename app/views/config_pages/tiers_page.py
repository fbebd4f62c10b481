"""The tier ladder page: one row per tier, lowest first (code, name, what it resolves,
work-in-progress limit, vendor, retired), with buttons to add a tier and move one up or down."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models import TierKind
from app.services.configuration import DeskConfiguration, Problem, TierConfig
from app.views.config_pages.base import ConfigPage, clear_marks, index_in, mark_cell

COLUMNS = (
    QT_TRANSLATE_NOOP("TiersPage", "Code"),
    QT_TRANSLATE_NOOP("TiersPage", "Name"),
    QT_TRANSLATE_NOOP("TiersPage", "What it resolves"),
    QT_TRANSLATE_NOOP("TiersPage", "WIP limit"),
    QT_TRANSLATE_NOOP("TiersPage", "Vendor"),
    QT_TRANSLATE_NOOP("TiersPage", "Retired"),
)
CODE, NAME, DESCRIPTION, WIP, VENDOR, RETIRED = range(len(COLUMNS))
FIELD_COLUMNS = {
    "code": CODE,
    "name": NAME,
    "description": DESCRIPTION,
    "wip_limit": WIP,
    "kind": VENDOR,
    "retired": RETIRED,
}
ID_ROLE = Qt.ItemDataRole.UserRole


class TiersPage(ConfigPage):
    """Edits ``DeskConfiguration.tiers`` (see ``ConfigPage``)."""

    title = str(QT_TRANSLATE_NOOP("TiersPage", "Tier ladder"))
    page = "tiers"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded: DeskConfiguration | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(str(column)) for column in COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("&Add tier"))
        self.up_button = QPushButton(self.tr("Move &up"))
        self.down_button = QPushButton(self.tr("Move &down"))
        hint = QLabel(
            self.tr(
                "Lowest tier first: tickets enter at the first tier that is not retired and "
                "escalate upwards. At most one vendor tier, at the top. A tier with open tickets "
                "can be retired once they are moved."
            )
        )
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.problems_label)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.up_button.clicked.connect(self._on_up_button_clicked)
        self.down_button.clicked.connect(self._on_down_button_clicked)

    # ------------------------------------------------------------------------------ page
    def load(self, config: DeskConfiguration) -> None:
        self._loaded = config
        self.table.setRowCount(0)
        for tier in config.tiers:
            self._append(tier)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(
            DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.clear_problems()

    def save(self, draft: DeskConfiguration) -> DeskConfiguration:
        return replace(draft, tiers=tuple(self._row(row) for row in range(self.table.rowCount())))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.AllEditTriggers
        )
        for button in (self.add_button, self.up_button, self.down_button):
            button.setEnabled(not read_only)
        for row in range(self.table.rowCount()):
            for column in (VENDOR, RETIRED):
                self._set_checkable(self.table.item(row, column))

    def place_problem(self, problem: Problem) -> bool:
        where = index_in(problem.field, "tiers")
        if where is None or where[1] not in FIELD_COLUMNS:
            return False
        row, name = where
        if not mark_cell(self.table, row, FIELD_COLUMNS[name], problem.message):
            return False
        # also listed under the table, named as people see it
        return False

    def describe(self, problem: Problem) -> str:
        where = index_in(problem.field, "tiers")
        if where is None or where[1] not in FIELD_COLUMNS:
            return problem.message
        row, name = where
        code_item = self.table.item(row, CODE)
        in_row = self.tr("in row {row}").format(row=row + 1)
        code = (
            code_item.text() if code_item is not None else self.tr("row {row}").format(row=row + 1)
        )
        return self.tr("Tier {code}, {column}: {message}").format(
            code=code or in_row,
            column=self.tr(str(COLUMNS[FIELD_COLUMNS[name]])),
            message=problem.message,
        )

    def clear_problems(self) -> None:
        super().clear_problems()
        clear_marks(self.table)

    # ---------------------------------------------------------------------------- rows
    def _append(self, tier: TierConfig) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        code = QTableWidgetItem(tier.code)
        code.setData(ID_ROLE, tier.id)
        self.table.setItem(row, CODE, code)
        self.table.setItem(row, NAME, QTableWidgetItem(tier.name))
        self.table.setItem(row, DESCRIPTION, QTableWidgetItem(tier.description))
        wip = "" if tier.wip_limit is None else str(tier.wip_limit)
        self.table.setItem(row, WIP, QTableWidgetItem(wip))
        for column, checked in ((VENDOR, tier.kind == TierKind.VENDOR), (RETIRED, tier.retired)):
            item = QTableWidgetItem()
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self._set_checkable(item)
            self.table.setItem(row, column, item)

    def _set_checkable(self, item: QTableWidgetItem | None) -> None:
        if item is None:
            return
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _checked(self, row: int, column: int) -> bool:
        item = self.table.item(row, column)
        return item is not None and item.checkState() == Qt.CheckState.Checked

    def _row(self, row: int) -> TierConfig:
        code_item = self.table.item(row, CODE)
        tier_id = code_item.data(ID_ROLE) if code_item is not None else None
        wip_text = self._text(row, WIP)
        wip: Any = None
        if wip_text:
            # text that is no number goes to the service as it is, which says what is wrong
            wip = int(wip_text) if wip_text.lstrip("-").isdigit() else wip_text
        return TierConfig(
            id=cast(int | None, tier_id),
            code=self._text(row, CODE),
            name=self._text(row, NAME),
            description=self._text(row, DESCRIPTION),
            kind=TierKind.VENDOR if self._checked(row, VENDOR) else TierKind.INTERNAL,
            wip_limit=wip,
            retired=self._checked(row, RETIRED),
        )

    def _move(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        tiers = [self._row(index) for index in range(self.table.rowCount())]
        tiers[row], tiers[target] = tiers[target], tiers[row]
        self.table.setRowCount(0)
        for tier in tiers:
            self._append(tier)
        self.table.selectRow(target)

    # --------------------------------------------------------------------------- slots
    @Slot()
    def _on_add_button_clicked(self) -> None:
        # below the vendor tier, if the top tier is one: that is where a new internal tier goes
        rows = self.table.rowCount()
        tiers = [self._row(index) for index in range(rows)]
        active = [i for i, tier in enumerate(tiers) if not tier.retired]
        vendor_on_top = bool(active) and tiers[active[-1]].kind == TierKind.VENDOR
        position = active[-1] if vendor_on_top else (active[-1] + 1 if active else 0)
        codes = {tier.code.casefold() for tier in tiers}
        number = sum(1 for i in active if tiers[i].kind == TierKind.INTERNAL) + 1
        while f"l{number}" in codes:
            number += 1
        tiers.insert(position, TierConfig(None, f"L{number}", self.tr("New tier")))
        self.table.setRowCount(0)
        for tier in tiers:
            self._append(tier)
        self.table.setCurrentCell(position, CODE)

    @Slot()
    def _on_up_button_clicked(self) -> None:
        self._move(-1)

    @Slot()
    def _on_down_button_clicked(self) -> None:
        self._move(+1)
