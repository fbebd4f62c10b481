"""One column of the tier board: the cards of one tier (or of the Resolved column), in order.

The model holds ``CardView``s (``app.services.board``) and never moves a ticket itself. A drop
asks for a move with ``move_requested`` (the board runs it through the ticket service on the
operation runner); when the service confirms, the board hands the changed cards to each column
with ``update_cards``, which inserts, replaces or removes just those rows. For the same reason
``removeRows`` does nothing: Qt's ``startDrag`` calls it on the source after a cross-view move,
before the service has said yes or no.

A column can show a subset of its cards (``set_filter``, the filter bar's choice): its rows are
then the cards that pass, in the same order, and ``total_count`` counts them all. Updates keep
both up to date with row-level signals only; drags carry the rows shown, so drag and drop works
the same on a filtered column.

Drags carry ``MIME_TYPE``: a JSON list of ``{"key", "version", "tier"}``, the version being the
one the card showed, so that a move of a ticket changed meanwhile is refused, not forced.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.services.board import CardList, CardView, card_order

MIME_TYPE = "application/x-tierdesk-tickets"

CARD_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class DraggedTicket:
    """One ticket of a drag: its key, the version the card showed, and the tier it was at."""

    key: str
    version: int
    tier: str


#: Whether the board would let these tickets be dropped on this tier (a cheap check that the
#: service would refuse, e.g. an agent dragging from a tier they do not work).
DropCheck = Callable[[Sequence[DraggedTicket], str], bool]

#: Whether a column shows this card (see ``TierColumnModel.set_filter``).
CardPredicate = Callable[[CardView], bool]


def encode_tickets(tickets: Iterable[DraggedTicket]) -> QByteArray:
    payload = [{"key": t.key, "version": t.version, "tier": t.tier} for t in tickets]
    return QByteArray(json.dumps(payload).encode())


def decode_tickets(data: QMimeData | None) -> list[DraggedTicket]:
    """The tickets a drag carries; an empty list for anything that is not a TierDesk drag."""
    if data is None or not data.hasFormat(MIME_TYPE):
        return []
    try:
        payload = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
        return [DraggedTicket(str(t["key"]), int(t["version"]), str(t["tier"])) for t in payload]
    except (ValueError, TypeError, KeyError):
        return []


class _RowIndex:
    """Where each ticket's card is in a ``CardList``, kept up to date as single rows come and go.

    Mapping every id of a 50,000-card column costs tens of milliseconds, too much to redo on
    each drop. So a row inserted or removed is noted as an edit, a row looked up is corrected by
    the edits made since it was recorded, and the map is rebuilt only after many edits."""

    REBUILD_AFTER = 1024

    def __init__(self, cards: CardList) -> None:
        self._cards = cards
        self._rows: dict[int, tuple[int, int]] | None = None  # id: (row, edits it has seen)
        self._edits: list[tuple[int, int]] = []  # (row, +1 inserted there / -1 removed)

    def row(self, ticket_id: int) -> int | None:
        if self._rows is None:
            self._rows = {ticket_id: (row, 0) for row, ticket_id in enumerate(self._cards.ids())}
            self._edits = []
        found = self._rows.get(ticket_id)
        if found is None:
            return None
        row, seen = found
        if seen < len(self._edits):
            for at, change in self._edits[seen:]:
                if row > at or (change > 0 and row == at):
                    row += change
            self._rows[ticket_id] = (row, len(self._edits))
        return row

    def inserted(self, ticket_id: int, row: int) -> None:
        if self._rows is not None:
            self._edits.append((row, 1))
            self._rows[ticket_id] = (row, len(self._edits))
            self._trim()

    def removed(self, ticket_id: int, row: int) -> None:
        if self._rows is not None:
            self._rows.pop(ticket_id, None)
            self._edits.append((row, -1))
            self._trim()

    def _trim(self) -> None:
        if len(self._edits) > self.REBUILD_AFTER:
            self._rows = None


class TierColumnModel(QAbstractListModel):
    """The cards of one column. ``tier`` is the tier code the column shows; ``accepts_drops``
    is False for the Resolved column, whose cards cannot be dragged either. ``order`` sorts
    the cards (priority then age by default)."""

    #: A drop asked to move these tickets to ``tier``: ``(list[DraggedTicket], tier)``.
    move_requested = Signal(list, str)

    def __init__(
        self,
        tier: str,
        parent: Any = None,
        *,
        accepts_drops: bool = True,
        order: Callable[[CardView], Any] = card_order,
        drop_check: DropCheck | None = None,
    ) -> None:
        super().__init__(parent)
        self.tier = tier
        self.accepts_drops = accepts_drops
        self.order = order
        self.drop_check = drop_check
        self._cards = CardList()  # the rows shown
        self._all = self._cards  # every card of the column: the same list while unfiltered
        self._accepts: CardPredicate | None = None
        self._index = self._all_index = _RowIndex(self._cards)

    # ------------------------------------------------------------------------------ contents
    def set_cards(self, cards: Iterable[CardView]) -> None:
        """Replace every card (a full load); ``cards`` must already be in the column's order.
        A ``CardList`` is copied, not built: cards are made as the view paints them."""
        self.beginResetModel()
        self._all = cards.copy() if isinstance(cards, CardList) else CardList.of(cards)
        self._cards = self._shown_of(self._all)
        self._reindex()
        self.endResetModel()

    def set_filter(self, accepts: CardPredicate | None) -> None:
        """Show only the cards ``accepts`` passes (every card for None). A new filter is a
        reset, like a load; a filter reads every card of the column once."""
        if accepts is None and self._accepts is None:
            return
        self.beginResetModel()
        self._accepts = accepts
        self._cards = self._shown_of(self._all)
        self._reindex()
        self.endResetModel()

    @property
    def is_filtered(self) -> bool:
        return self._accepts is not None

    def total_count(self) -> int:
        """How many cards the column has, shown or not."""
        return len(self._all)

    def update_cards(self, cards: Iterable[CardView]) -> None:
        """Show these cards as they are now: each replaces the row of the same ticket (moving
        it if its place in the order changed) or is inserted where the order puts it. Only the
        rows concerned change; cards that belong elsewhere are removed with ``remove_tickets``.
        """
        for card in cards:
            if self._accepts is not None:
                self._store_hidden(card)
                if not self._accepts(card):
                    gone = self.row_of(card.id)
                    if gone is not None:
                        self._remove_row(gone, card.id)
                    continue
            row = self.row_of(card.id)
            if row is not None and self._fits_at(self._cards, row, card):
                self._cards[row] = card
                index = self.index(row)
                self.dataChanged.emit(index, index)
                continue
            if row is not None:
                self._remove_row(row, card.id)
            self._insert(card)

    def remove_tickets(self, ticket_ids: Iterable[int]) -> None:
        """Take these tickets' cards out of the column (they moved away or were deleted)."""
        for ticket_id in ticket_ids:
            row = self.row_of(ticket_id)
            if row is not None:
                self._remove_row(row, ticket_id)
            if self._accepts is not None:
                row = self._all_row(ticket_id)
                if row is not None:
                    del self._all[row]
                    self._all_index.removed(ticket_id, row)

    def card_at(self, row: int) -> CardView:
        return self._cards[row]

    def row_of(self, ticket_id: int) -> int | None:
        """The row of this ticket's card, if the column shows it."""
        return self._index.row(ticket_id)

    def ticket_ids(self) -> list[int]:
        """The ids of the cards shown, in order."""
        return self._cards.ids()

    # ----------------------------------------------------------------- QAbstractListModel
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._cards):
            return None
        card = self._cards[index.row()]
        if role == CARD_ROLE:
            return card
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{card.key} {card.title}"
        if role == KEY_ROLE:
            return card.key
        if role == TICKET_ID_ROLE:
            return card.id
        if role == Qt.ItemDataRole.ToolTipRole:
            who = card.assignee_name or self.tr("nobody")
            return f"{card.key} · {card.priority.value} · {card.category}\n{card.title}\n{who}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{card.key}, {card.priority.value}, {card.title}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            # Dropping on the empty part of the column (between cards) is the usual drop.
            return Qt.ItemFlag.ItemIsDropEnabled if self.accepts_drops else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.accepts_drops:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # ---------------------------------------------------------------------- drag and drop
    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        cards = [self._cards[row] for row in rows if 0 <= row < len(self._cards)]
        data = QMimeData()
        data.setData(
            MIME_TYPE, encode_tickets(DraggedTicket(c.key, c.version, c.tier) for c in cards)
        )
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        """Refuses drops on a column that takes none, drops of tickets all already here, and,
        through ``drop_check``, moves the board can tell the service would refuse."""
        tickets = self._moving(data, action)
        if not tickets:
            return False
        return self.drop_check is None or self.drop_check(tickets, self.tier)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        """Asks for the move (``move_requested``) and moves no row: the service decides, and
        tells why when it refuses. Tickets already in this column are left out."""
        tickets = self._moving(data, action)
        if not tickets:
            return False
        self.move_requested.emit(tickets, self.tier)
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        """Does nothing: rows leave when the service confirms a move (see the module's note)."""
        return False

    # ------------------------------------------------------------------------------ helpers
    def _moving(self, data: QMimeData | None, action: Qt.DropAction) -> list[DraggedTicket]:
        if not self.accepts_drops or action not in (
            Qt.DropAction.MoveAction,
            Qt.DropAction.CopyAction,  # some platforms offer copy first; it is still a move
        ):
            return []
        return [ticket for ticket in decode_tickets(data) if ticket.tier != self.tier]

    def _shown_of(self, cards: CardList) -> CardList:
        accepts = self._accepts
        return cards if accepts is None else CardList.of(c for c in cards if accepts(c))

    def _reindex(self) -> None:
        self._index = _RowIndex(self._cards)
        self._all_index = self._index if self._cards is self._all else _RowIndex(self._all)

    def _all_row(self, ticket_id: int) -> int | None:
        return self._all_index.row(ticket_id)

    def _store_hidden(self, card: CardView) -> None:
        """Keep ``card`` in the list of every card while a filter is on (no signal: the
        rows shown follow in ``update_cards``)."""
        row = self._all_row(card.id)
        if row is not None and self._fits_at(self._all, row, card):
            self._all[row] = card
            return
        if row is not None:
            del self._all[row]
            self._all_index.removed(card.id, row)
        row = bisect.bisect_right(self._all, self.order(card), key=self.order)
        self._all.insert(row, card)
        self._all_index.inserted(card.id, row)

    def _fits_at(self, cards: CardList, row: int, card: CardView) -> bool:
        key = self.order(card)
        before = row == 0 or self.order(cards[row - 1]) <= key
        after = row == len(cards) - 1 or key <= self.order(cards[row + 1])
        return before and after

    def _insert(self, card: CardView) -> None:
        row = bisect.bisect_right(self._cards, self.order(card), key=self.order)
        self.beginInsertRows(QModelIndex(), row, row)
        self._cards.insert(row, card)
        self._index.inserted(card.id, row)  # unfiltered, the same index as ``_all_index``
        self.endInsertRows()

    def _remove_row(self, row: int, ticket_id: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._cards[row]
        self._index.removed(ticket_id, row)
        self.endRemoveRows()
