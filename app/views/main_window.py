"""The main window: the tier board and the ticket list with their filters, the selected
ticket's details, the ticket actions (``TicketActions``), the Reports tab and the Desk menu
(``DeskTools``: configuration, rules, history import).

Every service call goes through the ``OperationRunner``; results come back to slots here, and
a refusal is shown in plain words above the list, which then reloads to show what is true now.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.board import BoardService
from app.services.database import Database
from app.services.deadline_timer import TimerState
from app.services.desk import DeskService
from app.services.dto import CategoryView, TicketDetail, TicketView, TierView, UserView
from app.services.escalation import PassReport
from app.services.notifications import Notification
from app.services.rules.notices import RuleNotice
from app.services.tickets import TicketService
from app.views.alert_notifier import AlertNotifier
from app.views.board_view import BoardView
from app.views.desk_tools import DeskTools
from app.views.escalation_monitor import EscalationMonitor, status_text
from app.views.formatting import user_summary
from app.views.item_models.ticket_filter_model import TicketFilter, TicketFilterModel
from app.views.item_models.ticket_table_model import TICKET_ROLE, TicketColumn, TicketTableModel
from app.views.live_updates import LiveUpdates
from app.views.message_bar import MessageBar
from app.views.operations import OperationRunner, describe_error
from app.views.ticket_actions import TicketActions
from app.views.ticket_details_view import TicketDetailsView
from app.views.ticket_dialog import TicketDialog
from app.views.ticket_filter_bar import TicketFilterBar

if TYPE_CHECKING:
    from app.views.reports_view import ReportsView

COLUMN_WIDTHS = {
    TicketColumn.KEY: 78,
    TicketColumn.TIER: 56,
    TicketColumn.STATUS: 100,
    TicketColumn.PRIORITY: 58,
    TicketColumn.CATEGORY: 130,
    TicketColumn.ASSIGNEE: 120,
    TicketColumn.UPDATED: 80,
}


@dataclass(frozen=True)
class _Snapshot:
    """One load of the list: the tickets, the ladder they sit on and the categories."""

    tickets: list[TicketView]
    tiers: list[TierView]
    categories: list[CategoryView]


class MainWindowView(QMainWindow):
    """The tier board and the ticket list, filters, details pane and ticket actions for one
    signed-in person.

    With a ``monitor`` the window shows the escalation timer's state and reloads after a pass
    that changed something; with a ``notifier`` it shows the person's SLA alerts. The window
    starts both when shown and stops them when closed (``stop_background_work``). With ``live``
    it shows changes made elsewhere as they happen, and goes read-only while the database is
    away."""

    def __init__(
        self,
        database: Database,
        user: UserView,
        runner: OperationRunner,
        tickets: TicketService | None = None,
        now: Callable[[], datetime] | None = None,
        monitor: EscalationMonitor | None = None,
        notifier: AlertNotifier | None = None,
        settings: QSettings | None = None,
        live: LiveUpdates | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.live = live
        self._connected = True
        self.database = database
        self.user = user
        self.runner = runner
        self.monitor = monitor
        self.notifier = notifier
        self.tickets = tickets or TicketService(database)
        self.desk = DeskService(database)
        self._list_generation = 0
        self._restoring_selection = False
        self._tier_codes: list[str] = []  # the ladder, lowest first
        self._now = now
        # The ticket the actions and the details pane are about: the card last selected on the
        # board, or the list's selected row when the list was used last.
        self._board_ticket: TicketView | None = None
        self._board_is_current = False
        self.setWindowTitle("TierDesk")
        self.table_model = TicketTableModel(self, now=now) if now else TicketTableModel(self)
        self.filter_model = TicketFilterModel(self)
        self.filter_model.setSourceModel(self.table_model)
        self._create_actions()
        self._create_widgets()
        self._create_status_bar()
        self._connect()
        self._update_actions()
        self.resize(1320, 800)
        self._restore_layout()

    # ------------------------------------------------------------------------------ building
    def _create_actions(self) -> None:
        self.ticket_actions = TicketActions(
            self, self.user, self.runner, self.tickets, self.desk, self.selected_ticket
        )
        self.refresh_action = QAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
            self.tr("Re&fresh"),
            self,
        )
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setToolTip(self.tr("Reload the list (F5)"))
        self.search_action = QAction(self.tr("Search"), self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.addActions([self.refresh_action, self.search_action])
        self.desk_tools = DeskTools(self, self.database, self.user, self.runner, self._now)
        self.menuBar().addMenu(self.desk_tools.menu())

    def _create_widgets(self) -> None:
        toolbar = self.addToolBar(self.tr("Tickets"))
        toolbar.setObjectName("ticketToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.ticket_actions.new_ticket_action)
        toolbar.addSeparator()
        toolbar.addActions(list(self.ticket_actions))
        toolbar.addSeparator()
        toolbar.addAction(self.refresh_action)
        self.filter_bar = TicketFilterBar(self.user.login, my_tiers=self.user.tiers)
        self.message_bar = MessageBar()
        self.table_view = self._create_table_view()
        self.board_view = BoardView(
            BoardService(self.database), self.tickets, self.user, self.runner, now=self._now
        )
        # The window's Take (Ctrl+T) serves the board too; two owners would make it ambiguous.
        self.board_view.take_action.setShortcuts([])
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.board_view, self.tr("Board"))
        self.views.addTab(self.table_view, self.tr("List"))
        # The Reports tab is built when first opened: its charts (QtCharts) would slow the start.
        self.reports_tab = QWidget()
        QVBoxLayout(self.reports_tab).setContentsMargins(0, 0, 0, 0)
        self.reports_view: ReportsView | None = None
        self._report_choices: tuple[list[str], list[str]] = ([], [])
        self.views.addTab(self.reports_tab, self.tr("Reports"))
        self.details_view = TicketDetailsView(list(self.ticket_actions))
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.views)
        splitter.addWidget(self.details_view)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 420])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

    def _create_table_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.filter_model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setWordWrap(False)
        view.setSortingEnabled(True)
        view.sortByColumn(TicketColumn.KEY, Qt.SortOrder.DescendingOrder)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(TicketColumn.TITLE, QHeaderView.ResizeMode.Stretch)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.addActions(list(self.ticket_actions))
        return view

    def _create_status_bar(self) -> None:
        self.busy_label = QLabel()
        self.database_label = QLabel(
            self.tr("Database: {database}").format(database=self.database.describe())
        )
        self.user_label = QLabel(
            self.tr("Signed in as {user}").format(user=user_summary(self.user))
        )
        self.timer_label = QLabel()
        self.connection_label = QLabel(self.tr("Live") if self.live is not None else "")
        status_bar = self.statusBar()
        status_bar.addPermanentWidget(self.busy_label)
        if self.monitor is not None:
            self.timer_label.setText(status_text(self.monitor.state))
            status_bar.addPermanentWidget(self.timer_label)
        status_bar.addPermanentWidget(self.database_label)
        if self.live is not None:
            status_bar.addPermanentWidget(self.connection_label)
        status_bar.addPermanentWidget(self.user_label)

    def _connect(self) -> None:
        self.filter_bar.filter_changed.connect(self._on_filter_bar_filter_changed)
        self.table_view.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.filter_model.rowsInserted.connect(self._on_filter_model_rows_changed)
        self.filter_model.rowsRemoved.connect(self._on_filter_model_rows_changed)
        self.filter_model.modelReset.connect(self._on_filter_model_rows_changed)
        self.filter_model.layoutChanged.connect(self._on_filter_model_rows_changed)
        self.runner.operation_failed.connect(self._on_runner_operation_failed)
        self.runner.pending_changed.connect(self._on_runner_pending_changed)
        self.ticket_actions.ticket_changed.connect(self._on_ticket_actions_ticket_changed)
        self.ticket_actions.change_refused.connect(self._on_ticket_actions_change_refused)
        self.refresh_action.triggered.connect(self._on_refresh_action_triggered)
        self.desk_tools.desk_changed.connect(self._on_desk_tools_desk_changed)
        self.views.currentChanged.connect(self._on_views_current_changed)
        self.search_action.triggered.connect(self._on_search_action_triggered)
        self.board_view.card_selected.connect(self._on_board_view_card_selected)
        self.board_view.counts_changed.connect(self._show_counts)
        self.board_view.tickets_moved.connect(self._on_board_view_tickets_changed)
        self.board_view.tickets_taken.connect(self._on_board_view_tickets_changed)
        self.board_view.move_refused.connect(self.message_bar.show_message)
        self.board_view.open_requested.connect(self.open_ticket)
        self.table_view.doubleClicked.connect(self._on_table_double_clicked)
        if self.monitor is not None:
            self.monitor.state_changed.connect(self._on_monitor_state_changed)
            self.monitor.pass_reported.connect(self._on_monitor_pass_reported)
        if self.notifier is not None:
            self.notifier.notified.connect(self._on_notifier_notified)
            self.notifier.rules_noticed.connect(self._on_notifier_rules_noticed)
        if self.live is not None:
            self.live.tickets_changed.connect(self._on_live_tickets_changed)
            self.live.everything_changed.connect(self._on_live_everything_changed)
            self.live.connection_lost.connect(self._on_live_connection_lost)
            self.live.connection_restored.connect(self._on_live_connection_restored)

    def start_background_work(self) -> None:
        """Start the escalation timer and the alert notifier (once the window is up)."""
        if self.monitor is not None:
            self.monitor.start()
        if self.notifier is not None:
            self.notifier.start()
        if self.live is not None:
            self.live.start()

    def stop_background_work(self) -> None:
        """Stop them; a pass under way finishes first. Safe to call more than once."""
        if self.live is not None:
            self.live.stop()
        if self.notifier is not None:
            self.notifier.stop()
        if self.monitor is not None:
            self.monitor.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.stop_background_work()
        self._save_layout()
        super().closeEvent(event)

    # Window geometry, the splitter and the list's column widths are remembered per computer.
    def _restore_layout(self) -> None:
        if self.settings is None:
            return
        for key, restore in (
            ("main_window/geometry", self.restoreGeometry),
            ("main_window/state", self.restoreState),
            ("main_window/splitter", self.splitter.restoreState),
            ("main_window/columns", self.table_view.horizontalHeader().restoreState),
        ):
            value = self.settings.value(key)
            if value is not None:
                restore(value)

    def _save_layout(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        self.settings.setValue(
            "main_window/columns", self.table_view.horizontalHeader().saveState()
        )

    # ------------------------------------------------------------------------------- loading
    def reload(self, select_key: str | None = None) -> None:
        """Load the board and the list again (F5, or after changes whose tickets are unknown);
        keep (or move) the list's selection to ``select_key``."""
        self.board_view.load()
        self.reload_list(select_key)

    def reload_list(self, select_key: str | None = None) -> None:
        """Load the list again, leaving the board: used where the board has refreshed the
        changed cards itself (``BoardView.apply_changed``, its own moves)."""
        self._list_generation += 1
        generation = self._list_generation
        key = select_key or self._selected_key()

        def load() -> _Snapshot:
            return _Snapshot(self.tickets.list(), self.desk.tiers(), self.desk.categories())

        self.runner.run(load, lambda snapshot: self._on_list_loaded(generation, snapshot, key))

    def _on_list_loaded(self, generation: int, snapshot: _Snapshot, key: str | None) -> None:
        if generation != self._list_generation:
            return  # a newer reload is on its way; showing this one would go back in time
        self._tier_codes = [tier.code for tier in snapshot.tiers]
        self.filter_bar.set_tiers(self._tier_codes)
        self.filter_bar.set_categories(sorted({ticket.category for ticket in snapshot.tickets}))
        self._report_choices = (self._tier_codes, [c.name for c in snapshot.categories])
        if self.reports_view is not None:
            self.reports_view.set_tiers(self._report_choices[0])
            self.reports_view.set_categories(self._report_choices[1])
        self._restoring_selection = True
        try:
            rank = {tier.code: tier.position for tier in snapshot.tiers}
            self.table_model.set_tickets(snapshot.tickets, rank)
            if key is not None:
                self.select_ticket(key)
        finally:
            self._restoring_selection = False
        self._show_selected_ticket()

    def _load_detail(self, ticket: TicketView) -> None:
        self.details_view.show_loading(ticket)

        def shown(detail: TicketDetail) -> None:
            if self.selected_ticket() is not None and self._selected_key() == ticket.key:
                if self._board_is_current:
                    self._board_ticket = detail.ticket  # its version after a change
                self.details_view.show_detail(detail)
                self._update_actions()

        self.runner.run(lambda: self.tickets.get(ticket.key), shown)

    # ----------------------------------------------------------------------------- selection
    def selected_ticket(self) -> TicketView | None:
        if self._board_is_current:
            return self._board_ticket
        rows = self.table_view.selectionModel().selectedRows()
        if not rows:
            return None
        ticket = rows[0].data(TICKET_ROLE)
        return ticket if isinstance(ticket, TicketView) else None

    def open_ticket(self, key: str) -> None:
        """Open the ticket dialog on ``key`` (Enter or a double-click on a card or a row)."""

        def opened(detail: TicketDetail) -> None:
            dialog = TicketDialog(detail, self.user, self.tickets, self.desk, self.runner, self)
            dialog.ticket_changed.connect(self._on_ticket_dialog_ticket_changed)
            dialog.show()

        self.runner.run(lambda: self.tickets.get(key), opened)

    def _selected_key(self) -> str | None:
        ticket = self.selected_ticket()
        return ticket.key if ticket else None

    def select_ticket(self, key: str) -> bool:
        """Select the row of this ticket if the filters show it."""
        row = self.table_model.row_of(key)
        if row is None:
            return False
        index = self.filter_model.mapFromSource(self.table_model.index(row, 0))
        if not index.isValid():
            return False
        self.table_view.selectRow(index.row())
        self.table_view.scrollTo(index)
        return True

    def _show_selected_ticket(self) -> None:
        ticket = self.selected_ticket()
        if ticket is None:
            self.details_view.show_nothing()
        else:
            self._load_detail(ticket)
        self._update_actions()

    def _update_actions(self) -> None:
        ticket = self.selected_ticket() if self._connected else None  # read-only while away
        self.ticket_actions.update(ticket, self._tier_codes)

    # --------------------------------------------------------------------------------- slots
    @Slot(object, str)
    def _on_ticket_actions_ticket_changed(self, ticket: TicketView, message: str) -> None:
        self.message_bar.clear()
        self.statusBar().showMessage(message, 6000)
        self._ticket_changed_here(ticket)
        if self.monitor is not None:  # the change may have brought a deadline closer
            self.monitor.recheck()

    @Slot(object)
    def _on_ticket_actions_change_refused(self, error: Exception) -> None:
        self.message_bar.show_message(describe_error(error))
        self.reload()

    @Slot()
    def _on_desk_tools_desk_changed(self) -> None:
        self.reload()
        if self.reports_view is not None:
            self.reports_view.refresh_if_shown()

    @Slot(int)
    def _on_views_current_changed(self, _index: int) -> None:
        """The ticket filters and the details pane are about tickets: the Reports tab has its
        own filters and uses the whole width."""
        on_tickets = self.views.currentWidget() is not self.reports_tab
        if not on_tickets and self.reports_view is None:
            self.reports_view = self.desk_tools.reports_view()
            self.reports_view.set_tiers(self._report_choices[0])
            self.reports_view.set_categories(self._report_choices[1])
            layout = self.reports_tab.layout()
            assert layout is not None
            layout.addWidget(self.reports_view)
        self.filter_bar.setVisible(on_tickets)
        self.details_view.setVisible(on_tickets)
        self._show_counts()

    @Slot()
    def _on_refresh_action_triggered(self) -> None:
        """F5: the tab in front loads again (the report on the Reports tab)."""
        if self.views.currentWidget() is self.reports_tab and self.reports_view is not None:
            self.reports_view.refresh()
        else:
            self.reload()

    @Slot()
    def _on_search_action_triggered(self) -> None:
        self.filter_bar.search_edit.setFocus()
        self.filter_bar.search_edit.selectAll()

    @Slot(object)
    def _on_filter_bar_filter_changed(self, ticket_filter: TicketFilter) -> None:
        shown_before = self.details_view.detail
        self.filter_model.set_ticket_filter(ticket_filter)
        self.board_view.set_card_filter(self.filter_bar.card_filter())  # the same bar, all of it
        ticket = self.selected_ticket()
        if ticket is None or shown_before is None or shown_before.ticket.key != ticket.key:
            self._show_selected_ticket()

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_: QItemSelection) -> None:
        if not self._restoring_selection:
            self._board_is_current = False
            self._show_selected_ticket()

    @Slot()
    def _on_filter_model_rows_changed(self, *_: QModelIndex | int) -> None:
        self._show_counts()

    @Slot()
    def _show_counts(self) -> None:
        """How many tickets the tab in front shows of those it holds: the board has only the
        open tickets and the recently resolved, and a filter of its own (breached / at
        risk), so its count is its own, not the list's."""
        if self.views.currentWidget() is self.board_view:
            self.filter_bar.set_counts(*self.board_view.counts())
        else:
            self.filter_bar.set_counts(self.filter_model.rowCount(), self.table_model.rowCount())

    @Slot(object)
    def _on_runner_operation_failed(self, error: Exception) -> None:
        self.message_bar.show_message(describe_error(error))

    @Slot(str)
    def _on_board_view_card_selected(self, key: str) -> None:
        self._board_is_current = True

        def shown(detail: TicketDetail) -> None:
            if self._board_is_current and detail.ticket.key == key:
                self._board_ticket = detail.ticket
                self.details_view.show_detail(detail)
                self._update_actions()

        self.runner.run(lambda: self.tickets.get(key), shown)

    @Slot(list)
    def _on_board_view_tickets_changed(self, keys: list[str]) -> None:
        self.message_bar.clear()
        self.statusBar().showMessage(
            self.tr("Moved or taken: {keys}").format(keys=", ".join(keys)), 6000
        )
        self.reload_list()  # the board has refreshed the cards it moved

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        ticket = index.data(TICKET_ROLE)
        if isinstance(ticket, TicketView):
            self.open_ticket(ticket.key)

    @Slot(object)
    def _on_ticket_dialog_ticket_changed(self, ticket: TicketView) -> None:
        self._ticket_changed_here(ticket)

    def _ticket_changed_here(self, ticket: TicketView) -> None:
        """A change made in this window: refresh that card, reload the list, keep it selected."""
        self.board_view.apply_changed([ticket.id])
        self.reload_list(select_key=ticket.key)

    @Slot(list)
    def _on_live_tickets_changed(self, ticket_ids: list[int]) -> None:
        self.board_view.apply_changed(ticket_ids)  # only those cards
        self.reload_list()

    @Slot()
    def _on_live_everything_changed(self) -> None:
        self.reload()

    @Slot(str)
    def _on_live_connection_lost(self, reason: str) -> None:
        self._connected = False
        self.connection_label.setText(self.tr("Connection lost: read-only"))
        self.message_bar.show_message(
            self.tr(
                "The database is not answering ({reason}). TierDesk shows what it had loaded and "
                "reconnects by itself; changes are off until then."
            ).format(reason=reason)
        )
        self._update_actions()

    @Slot()
    def _on_live_connection_restored(self) -> None:
        self._connected = True
        self.connection_label.setText(self.tr("Live"))
        self.message_bar.clear()
        self._update_actions()

    @Slot(object)
    def _on_monitor_state_changed(self, state: TimerState) -> None:
        self.timer_label.setText(status_text(state))

    @Slot(object)
    def _on_monitor_pass_reported(self, report: PassReport) -> None:
        if report.escalations:
            self.reload()
        if self.notifier is not None:
            self.notifier.check()

    @Slot(list)
    def _on_notifier_notified(self, notifications: list[Notification]) -> None:
        latest = notifications[-1].headline()
        more = ""
        if len(notifications) > 1:
            more = self.tr(" (and %n more SLA alerts)", "", len(notifications) - 1)
        self.statusBar().showMessage(f"{latest}{more}", 15_000)

    def _on_notifier_rules_noticed(self, notices: list[RuleNotice]) -> None:
        latest = notices[-1]
        self.statusBar().showMessage(f"{latest.key}: {latest.message}", 15_000)

    @Slot(int)
    def _on_runner_pending_changed(self, pending: int) -> None:
        self.busy_label.setText(self.tr("Working…") if pending else "")
