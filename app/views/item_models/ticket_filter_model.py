"""Filtering and sorting the ticket table: by tier, status, assignee and a search text.

``TicketFilter`` is the choice the filter bar makes, as plain data; ``accepts`` decides one
ticket without Qt so it can be tested on its own. ``TicketFilterModel`` applies it to rows of a
``TicketTableModel``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from app.models import TicketStatus
from app.services.dto import TicketView
from app.views.item_models.ticket_table_model import SORT_ROLE, TICKET_ROLE


class StatusChoice(StrEnum):
    """The status filter: a group of statuses or one status (``TicketStatus`` values)."""

    ACTIVE = "active"  # anything not resolved or closed
    ALL = "all"


@dataclass(frozen=True)
class TicketFilter:
    """Which tickets to show. ``None`` (or empty) means "any"."""

    tier: str | None = None
    status: StatusChoice | TicketStatus = StatusChoice.ACTIVE
    assignee: str | None = None  # a login: "my tickets"
    text: str = ""
    tiers: frozenset[str] | None = None  # "my tiers"
    category: str | None = None
    priority: str | None = None

    def accepts(self, ticket: TicketView) -> bool:
        if self.tier is not None and ticket.tier != self.tier:
            return False
        if self.tiers is not None and ticket.tier not in self.tiers:
            return False
        if self.category is not None and ticket.category != self.category:
            return False
        if self.priority is not None and ticket.priority != self.priority:
            return False
        if self.status == StatusChoice.ACTIVE and ticket.status.is_finished:
            return False
        if isinstance(self.status, TicketStatus) and ticket.status != self.status:
            return False
        if self.assignee is not None and ticket.assignee != self.assignee:
            return False
        words = self.text.casefold().split()
        if words:
            haystack = f"{ticket.key} {ticket.title} {ticket.requester}".casefold()
            return all(word in haystack for word in words)
        return True


class TicketFilterModel(QSortFilterProxyModel):
    """Shows the rows of a ticket table that pass a ``TicketFilter``, sorted by ``SORT_ROLE``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = TicketFilter()
        self.setSortRole(SORT_ROLE)

    @property
    def ticket_filter(self) -> TicketFilter:
        return self._filter

    def set_ticket_filter(self, ticket_filter: TicketFilter) -> None:
        if ticket_filter == self._filter:
            return
        self.beginFilterChange()
        self._filter = ticket_filter
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        source = self.sourceModel()
        ticket = source.data(source.index(source_row, 0, source_parent), TICKET_ROLE)
        return isinstance(ticket, TicketView) and self._filter.accepts(ticket)
