"""The main window on the standard desk: listing, filtering, details and ticket actions, with
the synchronous runner so that each service call has finished when the action returns."""

from __future__ import annotations

from app.models import TicketStatus
from app.views.item_models.ticket_table_model import TicketColumn
from app.views.note_dialog import NoteDialog


def shown_keys(window) -> list[str]:
    proxy = window.filter_model
    return [proxy.index(row, TicketColumn.KEY).data() for row in range(proxy.rowCount())]


def open_note_dialog(window) -> NoteDialog:
    """The note dialog the last action opened (closed ones wait for deletion)."""
    shown = [dialog for dialog in window.findChildren(NoteDialog) if dialog.isVisible()]
    assert len(shown) == 1
    return shown[0]


def submit_note(window, text: str) -> None:
    dialog = open_note_dialog(window)
    dialog.text_edit.setPlainText(text)
    dialog.action_button.click()


def test_lists_the_desks_tickets_newest_first(gui_desk, open_window):
    keys = [gui_desk.ticket(title=f"Problem {n}").key for n in range(3)]
    window = open_window("lena")
    assert shown_keys(window) == list(reversed(keys))
    assert window.filter_bar.count_label.text() == "3 of 3 tickets"
    assert not window.message_bar.isVisibleTo(window)


def test_status_bar_names_the_database_and_the_person(gui_desk, open_window):
    window = open_window("lena")
    assert window.database_label.text() == f"Database: {gui_desk.database.describe()}"
    assert window.user_label.text() == "Signed in as Lena Lindqvist (Agent · L1)"


def test_tier_and_status_filters(gui_desk, open_window):
    at_l1 = gui_desk.ticket(title="Stays at L1")
    moved = gui_desk.ticket(title="Goes to L2")
    gui_desk.tickets.escalate("lena", moved.key, moved.version)
    done = gui_desk.resolved_ticket(title="Already done")
    window = open_window("lena")
    assert set(shown_keys(window)) == {at_l1.key, moved.key}  # active tickets by default

    window.filter_bar.select_tier("L2")
    assert shown_keys(window) == [moved.key]
    window.filter_bar.select_tier(None)
    window.filter_bar.select_status(TicketStatus.RESOLVED)
    assert shown_keys(window) == [done.key]
    window.views.setCurrentWidget(window.table_view)  # the count is of the tab in front
    assert window.filter_bar.count_label.text() == "1 of 3 tickets"


def test_my_tickets_and_search(qtbot, gui_desk, open_window):
    mine = gui_desk.ticket(title="VPN drops", requester="Victor Vance")
    gui_desk.tickets.take("lena", mine.key, mine.version)
    other = gui_desk.ticket(title="Printer offline", requester="Paula Paper")
    window = open_window("lena")

    window.filter_bar.mine_check.setChecked(True)
    assert shown_keys(window) == [mine.key]
    window.filter_bar.mine_check.setChecked(False)

    window.filter_bar.search_edit.setText("paula")
    qtbot.waitUntil(lambda: shown_keys(window) == [other.key])
    window.filter_bar.search_edit.setText(mine.key)
    qtbot.waitUntil(lambda: shown_keys(window) == [mine.key])


def test_details_show_fields_comments_and_history(gui_desk, open_window):
    ticket = gui_desk.ticket(title="Cannot print", requester="Paula Paper")
    gui_desk.tickets.comment("lena", ticket.key, "Tried another tray")
    window = open_window("lena")
    assert window.details_view.detail is None

    assert window.select_ticket(ticket.key)
    shown = window.details_view.text()
    assert "Cannot print" in shown and "Paula Paper" in shown
    assert "Tried another tray" in shown
    assert "Lena Lindqvist created it" in shown
    assert "Lena Lindqvist added a comment" in shown


def test_escalate_moves_the_ticket_up(gui_desk, open_window):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    window.select_ticket(ticket.key)
    window.ticket_actions.escalate_action.trigger()

    stored = gui_desk.tickets.get(ticket.key).ticket
    assert stored.tier == "L2"
    assert window.selected_ticket() == stored  # the list reloaded and kept the selection
    assert window.statusBar().currentMessage() == f"Escalated {ticket.key} to L2"
    assert "moved it L1 → L2 (manual)" in window.details_view.text()


def test_take_assigns_to_the_signed_in_person(gui_desk, open_window):
    ticket = gui_desk.ticket()
    window = open_window("omar")
    window.select_ticket(ticket.key)
    window.ticket_actions.take_action.trigger()
    assert gui_desk.tickets.get(ticket.key).ticket.assignee == "omar"
    assert not window.ticket_actions.take_action.isEnabled()  # it is already omar's


def test_refused_resolve_shows_why_and_changes_nothing(gui_desk, open_window):
    ticket = gui_desk.ticket(title="Orders table locked", category="Database")
    before = gui_desk.tickets.get(ticket.key)
    window = open_window("lena")
    window.select_ticket(ticket.key)
    window.ticket_actions.resolve_action.trigger()
    submit_note(window, "Restarted the server")

    assert gui_desk.tickets.get(ticket.key) == before
    message = window.message_bar.text()
    assert "'Database' tickets may only be resolved at L3 or above" in message
    assert window.message_bar.isVisibleTo(window)
    assert window.selected_ticket() == before.ticket


def test_a_stale_row_is_refused_not_overwritten(gui_desk, open_window):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    window.select_ticket(ticket.key)
    gui_desk.tickets.take("omar", ticket.key, ticket.version)  # another desktop, meanwhile
    window.ticket_actions.escalate_action.trigger()

    stored = gui_desk.tickets.get(ticket.key).ticket
    assert stored.tier == "L1" and stored.assignee == "omar"
    assert "was changed by someone else" in window.message_bar.text()
    assert window.selected_ticket() == stored  # reloaded: the row now shows omar's change


def test_hand_back_needs_a_reason(gui_desk, open_window):
    ticket = gui_desk.ticket()
    gui_desk.tickets.escalate("lena", ticket.key, ticket.version)
    window = open_window("tom")
    window.select_ticket(ticket.key)
    window.ticket_actions.hand_back_action.trigger()
    dialog = open_note_dialog(window)
    assert not dialog.action_button.isEnabled()
    dialog.text_edit.setPlainText("   ")
    assert not dialog.action_button.isEnabled()
    submit_note(window, "Password reset is L1's job")

    detail = gui_desk.tickets.get(ticket.key)
    assert detail.ticket.tier == "L1"
    assert detail.events[-1].note == "Password reset is L1's job"


def test_comment_and_resolve_through_the_window(gui_desk, open_window):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    window.select_ticket(ticket.key)
    window.ticket_actions.comment_action.trigger()
    submit_note(window, "Called the requester")
    window.ticket_actions.resolve_action.trigger()
    submit_note(window, "Reset the password")

    detail = gui_desk.tickets.get(ticket.key)
    assert [c.body for c in detail.comments] == ["Called the requester"]
    assert detail.ticket.status == TicketStatus.RESOLVED
    assert window.selected_ticket() is None  # resolved tickets leave the "active" list
    assert window.details_view.detail is None


def test_refresh_shows_what_others_created(gui_desk, open_window):
    window = open_window("lena")
    assert shown_keys(window) == []
    ticket = gui_desk.ticket(actor="omar")
    window.refresh_action.trigger()
    assert shown_keys(window) == [ticket.key]


def test_a_manager_reads_but_cannot_act(gui_desk, open_window):
    ticket = gui_desk.ticket()
    window = open_window("max")
    window.select_ticket(ticket.key)
    assert window.details_view.detail is not None
    assert not window.ticket_actions.new_ticket_action.isEnabled()
    assert not any(action.isEnabled() for action in window.ticket_actions)


def test_actions_need_a_selected_ticket(gui_desk, open_window):
    gui_desk.ticket()
    window = open_window("lena")
    assert window.selected_ticket() is None
    assert not any(action.isEnabled() for action in window.ticket_actions)
    assert window.ticket_actions.new_ticket_action.isEnabled()


def test_an_agent_cannot_act_at_a_tier_they_do_not_work(gui_desk, open_window):
    ticket = gui_desk.ticket()
    gui_desk.tickets.escalate("lena", ticket.key, ticket.version)
    window = open_window("lena")  # works L1; the ticket is at L2 now
    window.select_ticket(ticket.key)
    assert window.details_view.detail is not None  # she can still read it
    assert not any(action.isEnabled() for action in window.ticket_actions)


def test_no_hand_back_at_the_bottom_nor_escalation_at_the_top(gui_desk, open_window):
    bottom = gui_desk.ticket(title="At L1")
    top = gui_desk.ticket(actor="sara", title="At the vendor", tier="Vendor")
    window = open_window("sara")  # a supervisor works every tier
    window.select_ticket(bottom.key)
    assert (
        window.ticket_actions.escalate_action.isEnabled()
        and not window.ticket_actions.hand_back_action.isEnabled()
    )
    window.select_ticket(top.key)
    assert (
        not window.ticket_actions.escalate_action.isEnabled()
        and window.ticket_actions.hand_back_action.isEnabled()
    )


def test_with_the_threaded_runner_the_list_arrives_later(qtbot, gui_desk):
    from app.views.main_window import MainWindowView
    from app.views.operations import OperationRunner

    ticket = gui_desk.ticket()
    runner = OperationRunner()
    window = MainWindowView(gui_desk.database, gui_desk.desk.user("lena"), runner)
    qtbot.addWidget(window)
    window.reload()
    qtbot.waitUntil(lambda: shown_keys(window) == [ticket.key])
    window.select_ticket(ticket.key)
    window.ticket_actions.escalate_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == f"Escalated {ticket.key} to L2")
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert gui_desk.tickets.get(ticket.key).ticket.tier == "L2"
    runner.wait_for_done()
