"""One report table (a ``ReportTable``) as a read-only Qt table: the numbers behind a chart.

Cells read the way the Excel export formats them (counts with thousands separators, shares as
percentages, hours to one decimal, days as ISO dates); ``SORT_ROLE`` gives the raw value, so a
sorting proxy orders numbers as numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.services.report_tables import ColumnKind, ReportTable

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex
NUMERIC = frozenset({ColumnKind.COUNT, ColumnKind.SHARE, ColumnKind.HOURS})
_NUMBER = (int, float, Decimal)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def format_value(kind: ColumnKind, value: Any) -> str:
    """A figure as people read it: "1,234", "48.0%", "14.2", "2026-01-05"; "" for no figure."""
    if value is None:
        return ""
    if kind == ColumnKind.COUNT and isinstance(value, _NUMBER):
        return f"{value:,.0f}"
    if kind == ColumnKind.SHARE and isinstance(value, _NUMBER):
        return f"{value:.1%}"
    if kind == ColumnKind.HOURS and isinstance(value, _NUMBER):
        return f"{value:,.1f}"
    if kind == ColumnKind.DATE and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == ColumnKind.DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)


class ReportTableModel(QAbstractTableModel):
    """The rows of one ``ReportTable``; ``set_table`` replaces them all."""

    def __init__(self, table: ReportTable | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._table = table

    @property
    def table(self) -> ReportTable | None:
        return self._table

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table.columns)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        table = self._table
        if table is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(table.rows) and 0 <= column < len(table.columns)):
            return None
        kind = table.columns[column].kind
        value = table.rows[row][column]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(kind, value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if kind in NUMERIC else _LEFT
        if role == SORT_ROLE:
            return _sortable(value)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        table = self._table
        if table is None or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(table.columns):
            return None
        column = table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.kind in NUMERIC else _LEFT
        return None


def _sortable(value: Any) -> Any:
    """Numbers and text as they are; days as ISO text; no figure is no value (sorts first)."""
    if isinstance(value, date):
        return value.isoformat()
    return value
