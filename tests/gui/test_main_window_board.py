"""The tier board in the main window: its first view; a selected card drives the details pane
and the ticket actions; Enter or a double-click opens the ticket dialog; a refused drop is
explained above the board."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from app.services.database import open_database
from app.services.tickets import TicketService
from app.views.item_models.tier_column_model import DraggedTicket
from app.views.live_updates import LiveUpdates
from app.views.main_window import MainWindowView
from app.views.ticket_dialog import TicketDialog


def select_card(window: MainWindowView, tier: str, ticket_id: int) -> None:
    column = window.board_view.column(tier)
    row = column.model.row_of(ticket_id)
    assert row is not None
    column.view.selectionModel().select(
        column.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def test_the_board_comes_first_and_a_card_drives_details_and_actions(open_window, gui_desk):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    tabs = [window.views.tabText(i) for i in range(window.views.count())]
    assert tabs == ["Board", "List", "Reports"]
    select_card(window, "L1", ticket.id)
    assert window.selected_ticket() is not None
    assert window.selected_ticket().key == ticket.key
    assert window.ticket_actions.escalate_action.isEnabled()
    window.ticket_actions.escalate_action.trigger()
    assert gui_desk.tickets.get(ticket.key).ticket.tier == "L2"
    assert window.board_view.column("L2").model.row_of(ticket.id) is not None


def test_opening_a_card_shows_the_ticket_dialog(open_window, gui_desk, qtbot):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    window.board_view.open_requested.emit(ticket.key)
    dialogs = window.findChildren(TicketDialog)
    assert len(dialogs) == 1
    qtbot.addWidget(dialogs[0])
    dialogs[0].close()


def test_a_refused_drop_is_explained_and_the_card_stays(open_window, gui_desk):
    ticket = gui_desk.ticket()
    window = open_window("tom")  # works L2 only
    dragged = DraggedTicket(key=ticket.key, version=ticket.version, tier="L1")
    window.board_view.request_move([dragged], "L2")
    assert "tom" in window.message_bar.text() and "L1" in window.message_bar.text()
    assert window.board_view.column("L1").model.row_of(ticket.id) is not None
    assert gui_desk.tickets.get(ticket.key).ticket.tier == "L1"


def test_a_change_on_another_desktop_shows_without_a_refresh(qtbot, gui_desk, runner):
    ticket = gui_desk.ticket()
    other_desktop = open_database(gui_desk.database.url.render_as_string(hide_password=False))
    live = LiveUpdates(other_desktop)
    window = MainWindowView(
        other_desktop, gui_desk.desk.user("tom"), runner, tickets=TicketService(other_desktop),
        live=live,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.reload()
    try:
        with qtbot.waitSignal(live.listening_started, timeout=5_000):
            window.start_background_work()
        gui_desk.tickets.escalate("lena", ticket.key, ticket.version)  # on the first desktop
        qtbot.waitUntil(
            lambda: window.board_view.column("L2").model.row_of(ticket.id) is not None,
            timeout=5_000,
        )
        assert window.board_view.column("L1").model.row_of(ticket.id) is None
    finally:
        window.close()
        other_desktop.close()


def test_while_the_database_is_away_the_window_is_read_only(open_window, gui_desk):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    window.live = None  # drive the slots directly: the real outage is tested in test_live_updates
    select_card(window, "L1", ticket.id)
    assert window.ticket_actions.escalate_action.isEnabled()
    window._on_live_connection_lost("server closed the connection")
    assert not window.ticket_actions.escalate_action.isEnabled()
    assert "reconnects by itself" in window.message_bar.text()
    window._on_live_connection_restored()
    assert window.ticket_actions.escalate_action.isEnabled()
