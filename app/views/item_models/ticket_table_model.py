"""The ticket list as a table: one row per ``TicketView``, cached, read-only.

The model holds frozen views loaded by the ticket service; the main window replaces them all on
each reload (``set_tickets``). ``TICKET_ROLE`` gives the whole view of a row and ``SORT_ROLE`` a
value that sorts the way people expect (ticket number, tier position, instant).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from app.models import Priority
from app.services.dto import TicketView
from app.views.formatting import age, level_label, local_time, status_label

TICKET_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

AnyIndex = QModelIndex | QPersistentModelIndex


class TicketColumn(IntEnum):
    """The columns of the ticket table, in display order."""

    KEY = 0
    TITLE = 1
    TIER = 2
    STATUS = 3
    PRIORITY = 4
    CATEGORY = 5
    ASSIGNEE = 6
    UPDATED = 7


HEADERS = {
    TicketColumn.KEY: QT_TRANSLATE_NOOP("TicketTableModel", "Key"),
    TicketColumn.TITLE: QT_TRANSLATE_NOOP("TicketTableModel", "Title"),
    TicketColumn.TIER: QT_TRANSLATE_NOOP("TicketTableModel", "Tier"),
    TicketColumn.STATUS: QT_TRANSLATE_NOOP("TicketTableModel", "Status"),
    TicketColumn.PRIORITY: QT_TRANSLATE_NOOP("TicketTableModel", "Priority"),
    TicketColumn.CATEGORY: QT_TRANSLATE_NOOP("TicketTableModel", "Category"),
    TicketColumn.ASSIGNEE: QT_TRANSLATE_NOOP("TicketTableModel", "Assignee"),
    TicketColumn.UPDATED: QT_TRANSLATE_NOOP("TicketTableModel", "Updated"),
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TicketTableModel(QAbstractTableModel):
    """Tickets as table rows. ``now`` tells the instant ages are measured from."""

    def __init__(
        self,
        parent: Any = None,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self._tickets: list[TicketView] = []
        self._rows_by_key: dict[str, int] = {}
        self._tier_rank: dict[str, int] = {}
        self._now = now
        self._bold = QFont()
        self._bold.setBold(True)

    # ------------------------------------------------------------------------------ contents
    def set_tickets(
        self, tickets: Sequence[TicketView], tier_rank: Mapping[str, int] | None = None
    ) -> None:
        """Replace every row. ``tier_rank`` orders tier codes by their place on the ladder."""
        self.beginResetModel()
        self._tickets = list(tickets)
        self._rows_by_key = {ticket.key: row for row, ticket in enumerate(self._tickets)}
        if tier_rank is not None:
            self._tier_rank = dict(tier_rank)
        self.endResetModel()

    def ticket_at(self, row: int) -> TicketView:
        return self._tickets[row]

    def row_of(self, key: str) -> int | None:
        """The row showing the ticket with this key, if it is loaded."""
        return self._rows_by_key.get(key)

    def tickets(self) -> list[TicketView]:
        return list(self._tickets)

    # ------------------------------------------------------------------ QAbstractTableModel
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._tickets)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TicketColumn)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(TicketColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr(str(HEADERS[TicketColumn(section)]))
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tickets):
            return None
        ticket = self._tickets[index.row()]
        column = TicketColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ticket, column)
        if role == TICKET_ROLE:
            return ticket
        if role == SORT_ROLE:
            return self._sort_key(ticket, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(ticket, column)
        if role == Qt.ItemDataRole.FontRole and ticket.priority == Priority.P1:
            return self._bold
        return None

    # ------------------------------------------------------------------------------- helpers
    def _display(self, ticket: TicketView, column: TicketColumn) -> str:
        if column == TicketColumn.KEY:
            return ticket.key
        if column == TicketColumn.TITLE:
            return ticket.title
        if column == TicketColumn.TIER:
            return ticket.tier
        if column == TicketColumn.STATUS:
            return status_label(ticket.status)
        if column == TicketColumn.PRIORITY:
            return ticket.priority.value
        if column == TicketColumn.CATEGORY:
            return ticket.category
        if column == TicketColumn.ASSIGNEE:
            return ticket.assignee_name or ""
        return age(ticket.updated_at, self._now())

    def _sort_key(self, ticket: TicketView, column: TicketColumn) -> Any:
        if column == TicketColumn.KEY:
            return ticket.id
        if column == TicketColumn.TIER:
            return self._tier_rank.get(ticket.tier, len(self._tier_rank))
        if column == TicketColumn.UPDATED:
            return ticket.updated_at.timestamp()
        if column in (TicketColumn.TITLE, TicketColumn.CATEGORY, TicketColumn.ASSIGNEE):
            return self._display(ticket, column).casefold()
        return self._display(ticket, column)

    def _tooltip(self, ticket: TicketView, column: TicketColumn) -> str | None:
        if column == TicketColumn.UPDATED:
            return self.tr("Updated {updated}\nCreated {created}").format(
                updated=local_time(ticket.updated_at), created=local_time(ticket.created_at)
            )
        if column == TicketColumn.PRIORITY:
            how = (
                self.tr("set by hand")
                if ticket.priority_overridden
                else self.tr("impact × urgency")
            )
            return self.tr("{priority} ({how}): impact {impact}, urgency {urgency}").format(
                priority=ticket.priority.value,
                how=how,
                impact=level_label(ticket.impact).lower(),
                urgency=level_label(ticket.urgency).lower(),
            )
        if column == TicketColumn.TITLE:
            return self.tr("{title}\nRequested by {requester}").format(
                title=ticket.title, requester=ticket.requester
            )
        return None
