"""The tier board: a column per tier of the ladder, then Resolved, each a ``QListView`` over a
``TierColumnModel`` with cards painted by one ``TicketCardDelegate`` (no widget per ticket).

Dragging cards to another column moves them through the ticket service on the operation
runner: the next tier up escalates, the tier below hands back (after asking why, in a
``NoteDialog``), a jump of several tiers is a ``move`` (supervisors only: the service refuses
anyone else, and the board says so). Each ticket of a multi-card drag is moved or refused on
its own. Cards never move before the service says yes: a refused card stays where it was and
``move_refused`` says why in plain words; moved cards are reloaded with ``BoardService.cards``
and ``tickets_moved`` names them. Ctrl+Up / Ctrl+Down move the selected cards a tier, Enter
opens one, Ctrl+T assigns them to oneself; the same actions are in the cards' context menu.

``set_card_filter`` shows only the cards that pass a ``CardFilter`` (the filter bar's search and
filters); each column's header then reads "shown of total". Drag and drop works the same on
filtered columns: a drag carries the cards shown and selected.

A one-second timer only repaints the visible cards: time left is computed from the cards'
numbers (``app.views.card_delegate``), never read from the database.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models import Role
from app.services.board import (
    BoardService,
    BoardSnapshot,
    CardView,
    card_order,
    resolved_order,
)
from app.services.dto import TicketView, TierView, UserView
from app.services.errors import DatabaseError
from app.services.tickets import TicketService
from app.views.card_delegate import CARD_WIDTH, TicketCardDelegate
from app.views.item_models.card_filter import CardFilter
from app.views.item_models.tier_column_model import (
    CARD_ROLE,
    CardPredicate,
    DraggedTicket,
    TierColumnModel,
)
from app.views.note_dialog import NoteDialog
from app.views.operations import OperationRunner, describe_error

#: The code of the Resolved column (not a tier: nothing can be dropped on it).
RESOLVED = "Resolved"
SUPERVISING = frozenset({Role.SUPERVISOR, Role.ADMIN})
LAYOUT_BATCH = 2000

WipLevel = Literal["normal", "warning", "over"]
#: A full column's header: amber, then red, each under text at 4.5:1 or more (WCAG AA).
WIP_STYLES: dict[WipLevel, str] = {
    "normal": "",
    "warning": "background-color: #e69b00; color: black;",
    "over": "background-color: #c0392b; color: white;",
}


def wip_level(count: int, limit: int | None) -> WipLevel:
    """How full a column is against its work-in-progress limit: "warning" past 90% of it,
    "over" past it, "normal" otherwise or without a limit."""
    if not limit:
        return "normal"
    if count > limit:
        return "over"
    if count > 0.9 * limit:
        return "warning"
    return "normal"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class BoardColumn:
    """One column's widgets: its header, list view and model; ``tier`` is None for Resolved."""

    tier: TierView | None
    box: QWidget
    header: QLabel
    view: QListView
    model: TierColumnModel

    @property
    def code(self) -> str:
        return self.tier.code if self.tier else RESOLVED


@dataclass
class _Batch:
    """Changes to several tickets started together, each succeeding or failing on its own;
    when the last one reports, the board reloads what changed and says what was refused."""

    pending: int
    changed: Callable[[list[str]], None]
    done: list[TicketView] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _MoveRequest:
    """Moves waiting for the hand-back reason."""

    tickets: tuple[DraggedTicket, ...]
    target: str


class BoardView(QWidget):
    """The tier board of one signed-in person. Call ``load()`` to fill it and
    ``apply_changed(ids)`` when tickets changed elsewhere (live updates)."""

    #: Tickets were moved to another tier; carries their keys (the cards are refreshed).
    tickets_moved = Signal(list)
    #: Tickets were assigned to the person (Ctrl+T); carries their keys.
    tickets_taken = Signal(list)
    #: A move (or take) was refused; carries why, in plain words, a line per ticket.
    move_refused = Signal(str)
    #: The person asked to open a ticket (Enter, double-click); carries its key.
    open_requested = Signal(str)
    #: A load finished and the columns show it.
    board_loaded = Signal()
    #: The current card changed (a click, the keyboard); carries its key.
    card_selected = Signal(str)
    #: The cards the columns show, and all the board holds (filters left out), changed.
    counts_changed = Signal(int, int)

    def __init__(
        self,
        board: BoardService,
        tickets: TicketService,
        user: UserView,
        runner: OperationRunner,
        parent: QWidget | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.board = board
        self.tickets = tickets
        self.user = user
        self.runner = runner
        self.now = now or _utc_now
        self.card_filter = CardFilter()
        self.delegate = TicketCardDelegate(self, now=self.now)
        self.columns: list[BoardColumn] = []
        self.note_dialog: NoteDialog | None = None
        self._move_request: _MoveRequest | None = None
        self._row = QHBoxLayout()
        self._row.setContentsMargins(6, 6, 6, 6)
        self._row.setSpacing(8)
        strip = QWidget()
        strip.setLayout(self._row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(strip)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self._create_actions()
        self.repaint_timer = QTimer(self)
        self.repaint_timer.setInterval(1000)
        self.repaint_timer.timeout.connect(self._on_repaint_timer_timeout)
        self.repaint_timer.start()

    # ------------------------------------------------------------------------------ actions
    def _create_actions(self) -> None:
        def action(text: str, shortcuts: Sequence[str], slot: Callable[[], None]) -> QAction:
            made = QAction(text, self)
            made.setShortcuts([QKeySequence(s) for s in shortcuts])
            made.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            made.triggered.connect(slot)
            self.addAction(made)
            return made

        self.open_action = action(
            self.tr("&Open"), ["Return", "Enter"], self._on_open_action_triggered
        )
        self.move_up_action = action(
            self.tr("Move &up a tier"), ["Ctrl+Up"], self._on_move_up_triggered
        )
        self.move_down_action = action(
            self.tr("Move &down a tier"), ["Ctrl+Down"], self._on_move_down_triggered
        )
        self.take_action = action(
            self.tr("Assign to &me"), ["Ctrl+T"], self._on_take_action_triggered
        )

    @property
    def card_actions(self) -> list[QAction]:
        return [self.open_action, self.move_up_action, self.move_down_action, self.take_action]

    # ------------------------------------------------------------------------------ loading
    def load(self) -> None:
        """Read the whole board (on the runner) and show it."""
        self.runner.run(self.board.load, self._on_board_service_loaded)

    def apply_changed(self, ticket_ids: Iterable[int]) -> None:
        """Reload only these tickets' cards and put each in the column it belongs to now."""
        wanted = sorted(set(ticket_ids))
        if wanted:
            self.runner.run(
                lambda: self.board.cards(wanted), lambda cards: self.apply_cards(wanted, cards)
            )

    def apply_cards(self, ticket_ids: Sequence[int], cards: Sequence[CardView]) -> None:
        """Show ``cards`` as they are now; tickets of ``ticket_ids`` without a card leave."""
        by_column: dict[str, list[CardView]] = {}
        for card in cards:
            by_column.setdefault(card.tier if card.is_open else RESOLVED, []).append(card)
        for column in self.columns:
            mine = by_column.get(column.code, [])
            keep = {card.id for card in mine}
            column.model.remove_tickets(i for i in ticket_ids if i not in keep)
            column.model.update_cards(mine)
        self._update_headers()

    def set_card_filter(self, card_filter: CardFilter) -> None:
        """Show only the cards that pass ``card_filter`` (every card for an empty one).
        "Breached / at risk" is judged when the filter is set and as cards are updated."""
        if card_filter == self.card_filter and not card_filter.at_risk:
            return
        self.card_filter = card_filter
        accepts = self._accepts()
        for column in self.columns:
            column.model.set_filter(accepts)
        self._update_headers()

    def _accepts(self) -> CardPredicate | None:
        card_filter, now = self.card_filter, self.now
        if not card_filter.is_active:
            return None
        return lambda card: card_filter.accepts(card, now())

    def column(self, code: str) -> BoardColumn:
        """The column of a tier code (or ``RESOLVED``)."""
        for column in self.columns:
            if column.code == code:
                return column
        raise KeyError(code)

    def tier_codes(self) -> list[str]:
        return [column.code for column in self.columns if column.tier is not None]

    def _on_board_service_loaded(self, snapshot: BoardSnapshot) -> None:
        if [tier.code for tier in snapshot.tiers] != self.tier_codes():
            self._build_columns(snapshot.tiers)
        for column in self.columns:
            if column.tier is None:
                column.model.set_cards(snapshot.resolved)
            else:
                column.tier = next(t for t in snapshot.tiers if t.code == column.code)
                column.model.set_cards(snapshot.columns.get(column.code, ()))
        self._update_headers()
        # A big board is hundreds of thousands of long-lived objects: keep the cyclic garbage
        # collector from walking them on every later collection (its pauses were the tail of
        # drop-to-repaint). Cards are freed by reference counting when a reload replaces them.
        gc.freeze()
        self.board_loaded.emit()

    def _build_columns(self, tiers: Sequence[TierView]) -> None:
        for column in self.columns:
            self._row.removeWidget(column.box)
            column.box.deleteLater()
        self.columns = []
        for tier in (*tiers, None):
            model = TierColumnModel(
                tier.code if tier else RESOLVED,
                self,
                accepts_drops=tier is not None,
                order=resolved_order if tier is None else card_order,
                drop_check=self._can_drop,
            )
            model.set_filter(self._accepts())
            model.move_requested.connect(self._on_column_model_move_requested)
            self.columns.append(self._make_column(tier, model))

    def _make_column(self, tier: TierView | None, model: TierColumnModel) -> BoardColumn:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        header = QLabel()
        header.setObjectName("boardColumnHeader")
        header.setMargin(4)
        view = QListView()
        view.setObjectName(f"boardColumn{tier.code if tier else RESOLVED}")
        view.setModel(model)
        view.setItemDelegate(self.delegate)
        view.setUniformItemSizes(True)
        # Lay out a big column a slice at a time: the first cards paint at once and the rest
        # follow on the next event-loop passes (55,000 cards in one pass cost 0.3 s).
        view.setLayoutMode(QListView.LayoutMode.Batched)
        view.setBatchSize(LAYOUT_BATCH)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        view.setDragEnabled(tier is not None)
        view.setAcceptDrops(tier is not None)
        view.setDropIndicatorShown(True)
        view.setMouseTracking(True)  # hover state on cards
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setMinimumWidth(CARD_WIDTH + 24)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.addActions(self.card_actions)
        view.doubleClicked.connect(self._on_column_view_double_clicked)
        view.selectionModel().selectionChanged.connect(self._on_column_selection_changed)
        layout.addWidget(header)
        layout.addWidget(view)
        self._row.addWidget(box)
        box.show()  # now, not on the next event loop pass: a load on a shown board paints it
        return BoardColumn(tier, box, header, view, model)

    def counts(self) -> tuple[int, int]:
        """(cards shown, cards on the board without the filters), over every column."""
        models = [column.model for column in self.columns]
        return sum(m.rowCount() for m in models), sum(m.total_count() for m in models)

    def _update_headers(self) -> None:
        self.counts_changed.emit(*self.counts())
        for column in self.columns:
            model = column.model
            count = model.total_count()
            # A filtered column says how many of its cards it shows: "3 of 40 / 50".
            shown = (
                self.tr("{shown} of ").format(shown=model.rowCount()) if model.is_filtered else ""
            )
            level: WipLevel
            if column.tier is None:
                resolved = self.tr("Resolved")
                text, level = f"{resolved}  ·  {shown}{count}", "normal"
            else:
                limit = column.tier.wip_limit
                shown += f"{count} / {limit}" if limit else str(count)
                text = f"{column.tier.code} · {column.tier.name}  ·  {shown}"
                level = wip_level(count, limit)
            column.header.setText(text)
            column.header.setProperty("wip", level)
            column.header.setStyleSheet(f"QLabel {{ font-weight: bold; {WIP_STYLES[level]} }}")

    # ------------------------------------------------------------------------------- moving
    def _can_drop(self, tickets: Sequence[DraggedTicket], target: str) -> bool:
        """Whether the service could accept at least one of these moves, judged cheaply from
        the person's role and tiers (the service still decides)."""
        return any(self._refusal(ticket, target) is None for ticket in tickets)

    def _refusal(self, ticket: DraggedTicket, target: str) -> str | None:
        codes = self.tier_codes()
        role, login = self.user.role, self.user.login
        if target not in codes or ticket.tier not in codes:
            return self.tr("{key} cannot be moved to {target}").format(
                key=ticket.key, target=target
            )
        if role == Role.MANAGER:
            return self.tr("{login} is a manager: managers read tickets, not change them").format(
                login=login
            )
        if role == Role.AGENT and ticket.tier not in self.user.tiers:
            return self.tr("{login} does not work {tier}, so cannot move {key}").format(
                login=login, tier=ticket.tier, key=ticket.key
            )
        if role not in SUPERVISING and abs(codes.index(target) - codes.index(ticket.tier)) > 1:
            return self.tr("only supervisors may jump tiers ({key} {tier} → {target})").format(
                key=ticket.key, tier=ticket.tier, target=target
            )
        return None

    def request_move(self, tickets: Sequence[DraggedTicket], target: str) -> None:
        """Move these tickets to ``target``, asking first why when any goes down the ladder."""
        codes = self.tier_codes()
        moving = tuple(t for t in tickets if t.tier != target)
        if not moving:
            return
        if target not in codes:
            self.move_refused.emit(
                self.tr("Tickets cannot be dropped on {target}").format(target=target)
            )
            return
        below = codes.index(target)
        going_down = [t for t in moving if t.tier in codes and codes.index(t.tier) > below]
        # No reason is asked for moves the service will refuse anyway (it says why).
        needing_reason = [t for t in going_down if self._refusal(t, target) is None]
        if needing_reason:
            self._ask_reason(_MoveRequest(moving, target), len(needing_reason))
        else:
            self._run_moves(moving, target, None)

    def _ask_reason(self, request: _MoveRequest, count: int) -> None:
        self._move_request = request
        keys = ", ".join(t.key for t in request.tickets)
        if count == 1:
            title = self.tr("Hand back {keys}").format(keys=keys)
        else:
            title = self.tr("Hand back %n tickets", "", count)
        dialog = NoteDialog(
            self,
            title,
            self.tr("Why does {keys} go back to {tier}? The tier there will read this.").format(
                keys=keys, tier=request.target
            ),
            self.tr("Hand back"),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Bound slots only: PySide may crash deleting a dialog connected to a closure.
        dialog.submitted.connect(self._on_note_dialog_submitted)
        dialog.rejected.connect(self._on_note_dialog_rejected)
        self.note_dialog = dialog
        dialog.open()

    @Slot(str)
    def _on_note_dialog_submitted(self, note: str) -> None:
        request, self._move_request, self.note_dialog = self._move_request, None, None
        if request is not None:
            self._run_moves(request.tickets, request.target, note)

    @Slot()
    def _on_note_dialog_rejected(self) -> None:
        self._move_request = self.note_dialog = None

    def _run_moves(self, tickets: Sequence[DraggedTicket], target: str, note: str | None) -> None:
        batch = _Batch(len(tickets), self.tickets_moved.emit)
        for ticket in tickets:
            undone = self.tr("{key} was not moved").format(key=ticket.key)
            self._run_in_batch(batch, self._move_operation(ticket, target, note), undone)

    def _move_operation(
        self, ticket: DraggedTicket, target: str, note: str | None
    ) -> Callable[[], TicketView]:
        codes, login, service = self.tier_codes(), self.user.login, self.tickets
        key, version = ticket.key, ticket.version
        step = codes.index(target) - codes.index(ticket.tier) if ticket.tier in codes else 0
        if step == 1:
            return lambda: service.escalate(login, key, version)
        if step == -1 and note:
            return lambda: service.hand_back(login, key, version, note)
        return lambda: service.move(login, key, version, target, note)

    def _run_in_batch(
        self, batch: _Batch, operation: Callable[[], TicketView], undone: str
    ) -> None:
        """Run one ticket's change of a batch; ``undone`` says which card a failure left
        where it was (the database's own words do not name it)."""

        def succeeded(view: TicketView) -> None:
            batch.done.append(view)
            self._batch_reported(batch)

        def failed(error: Exception) -> None:
            why = describe_error(error)
            batch.refusals.append(f"{undone}: {why}" if isinstance(error, DatabaseError) else why)
            self._batch_reported(batch)

        self.runner.run(operation, succeeded, failed)

    def _batch_reported(self, batch: _Batch) -> None:
        batch.pending -= 1
        if batch.pending:
            return
        if batch.refusals:
            self.move_refused.emit("\n".join(batch.refusals))
        if not batch.done:
            return
        ids = [view.id for view in batch.done]
        keys = [view.key for view in batch.done]

        def refreshed(cards: list[CardView]) -> None:
            self.apply_cards(ids, cards)
            batch.changed(keys)

        self.runner.run(lambda: self.board.cards(ids), refreshed)

    # ------------------------------------------------------------------------ selection
    def selected_cards(self) -> list[CardView]:
        """The selected cards, in column order (a selection stays within one column)."""
        cards: list[CardView] = []
        for column in self.columns:
            rows = sorted(index.row() for index in column.view.selectionModel().selectedRows())
            cards += [column.model.card_at(row) for row in rows]
        return cards

    @Slot(QItemSelection, QItemSelection)
    def _on_column_selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        if selected.isEmpty():
            return
        source = self.sender()
        for column in self.columns:  # one column's selection at a time
            if column.view.selectionModel() is not source:
                column.view.selectionModel().clearSelection()
        cards = self.selected_cards()
        if cards:
            self.card_selected.emit(cards[0].key)

    def _step_selected(self, step: int) -> None:
        codes = self.tier_codes()
        cards = [card for card in self.selected_cards() if card.is_open and card.tier in codes]
        if not cards:
            return
        index = codes.index(cards[0].tier) + step
        if not 0 <= index < len(codes):
            if step > 0:
                refusal = self.tr("{tier} is the top of the ladder")
            else:
                refusal = self.tr("{tier} is the bottom of the ladder")
            self.move_refused.emit(refusal.format(tier=cards[0].tier))
            return
        self.request_move([DraggedTicket(c.key, c.version, c.tier) for c in cards], codes[index])

    @Slot()
    def _on_move_up_triggered(self) -> None:
        self._step_selected(+1)

    @Slot()
    def _on_move_down_triggered(self) -> None:
        self._step_selected(-1)

    @Slot()
    def _on_open_action_triggered(self) -> None:
        cards = self.selected_cards()
        if cards:
            self.open_requested.emit(cards[0].key)

    @Slot(QModelIndex)
    def _on_column_view_double_clicked(self, index: QModelIndex) -> None:
        card = index.data(CARD_ROLE)
        if isinstance(card, CardView):
            self.open_requested.emit(card.key)

    @Slot()
    def _on_take_action_triggered(self) -> None:
        cards = [c for c in self.selected_cards() if c.is_open and c.assignee != self.user.login]
        if not cards:
            return
        batch = _Batch(len(cards), self.tickets_taken.emit)
        for card in cards:
            undone = self.tr("{key} was not taken").format(key=card.key)
            self._run_in_batch(batch, self._take_operation(card), undone)

    def _take_operation(self, card: CardView) -> Callable[[], TicketView]:
        login, service, key, version = self.user.login, self.tickets, card.key, card.version
        return lambda: service.take(login, key, version)

    @Slot(list, str)
    def _on_column_model_move_requested(self, tickets: list[DraggedTicket], target: str) -> None:
        self.request_move(tickets, target)

    @Slot()
    def _on_repaint_timer_timeout(self) -> None:
        for column in self.columns:
            if column.view.isVisible():
                column.view.viewport().update()
