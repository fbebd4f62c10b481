"""The ticket dialog: editing with validation, assignment, status, comments, who may change
what, and the merge when someone else changed the ticket meanwhile."""

from __future__ import annotations

import pytest

from app.models import EventKind, Level, Priority, TicketStatus
from app.services.tickets import TicketChanges
from app.views.ticket_dialog import TicketDialog
from tests.factories import database_snapshot


@pytest.fixture
def open_dialog(qtbot, gui_desk, runner):
    """Opens the dialog on a ticket (by key) as a standard person (by login)."""

    def open_as(login: str, key: str) -> TicketDialog:
        dialog = TicketDialog(
            gui_desk.tickets.get(key),
            gui_desk.desk.user(login),
            gui_desk.tickets,
            gui_desk.desk,
            runner,
        )
        qtbot.addWidget(dialog)
        return dialog

    return open_as


@pytest.fixture
def ticket(gui_desk):
    """An L1 "Password reset" ticket opened by Lena."""
    return gui_desk.ticket("lena", description="It says my password expired")


@pytest.fixture
def sent_edits(monkeypatch, gui_desk):
    """The ``TicketChanges`` of each edit the service receives, in order."""
    sent: list[TicketChanges] = []
    edit = gui_desk.tickets.edit

    def recording_edit(actor, key, expected_version, changes):
        sent.append(changes)
        return edit(actor, key, expected_version, changes)

    monkeypatch.setattr(gui_desk.tickets, "edit", recording_edit)
    return sent


def edits_of(gui_desk, key: str, version: int) -> list[tuple[str | None, str | None]]:
    """(field, new value) of the edited events written at ``version``."""
    return [
        (event.field, event.new_value)
        for event in gui_desk.tickets.get(key).events
        if event.kind == EventKind.EDITED and event.ticket_version == version
    ]


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


# ------------------------------------------------------------------------------- editing
def test_save_sends_only_the_changed_fields(qtbot, gui_desk, open_dialog, ticket, sent_edits):
    dialog = open_dialog("lena", ticket.key)
    dialog.title_edit.setText("Cannot log in after password change")
    dialog.requester_edit.setText("  Carl Customer ")
    with qtbot.waitSignal(dialog.ticket_changed) as blocker:
        dialog.save_button.click()

    assert sent_edits == [
        TicketChanges(title="Cannot log in after password change", requester="Carl Customer")
    ]
    saved = blocker.args[0]
    assert saved.version == ticket.version + 1
    assert edits_of(gui_desk, ticket.key, saved.version) == [
        ("title", "Cannot log in after password change"),
        ("requester", "Carl Customer"),
    ]
    assert dialog.ticket.version == saved.version  # the dialog reloaded what it saved
    assert dialog.edited_fields() == []
    assert dialog.done_label.text() == "Saved."


def test_nothing_changed_sends_nothing(gui_desk, open_dialog, ticket, sent_edits):
    dialog = open_dialog("lena", ticket.key)
    dialog.title_edit.setText(f"  {ticket.title}  ")  # same once trimmed
    dialog.save_button.click()
    assert sent_edits == []
    assert dialog.done_label.text() == "Nothing to save."


@pytest.mark.parametrize(
    ("title", "complaint"),
    [
        ("   ", "The title must not be empty."),
        ("x" * 201, "The title is 201 characters long; at most 200 allowed."),
    ],
)
def test_a_bad_title_is_refused_next_to_it(gui_desk, open_dialog, ticket, title, complaint):
    dialog = open_dialog("lena", ticket.key)
    dialog.tabs.setCurrentIndex(4)
    before = database_snapshot(gui_desk.database)
    dialog.title_edit.setText(title)
    dialog.save_button.click()

    error = dialog.errors["title"]
    assert error.isVisibleTo(dialog) and error.text() == complaint
    assert dialog.tabs.currentIndex() == 0  # brought to the field it is about
    assert database_snapshot(gui_desk.database) == before


def test_a_service_refusal_is_shown_next_to_its_field(gui_desk, open_dialog, ticket):
    from sqlalchemy import delete

    from app.models import Category

    dialog = open_dialog("lena", ticket.key)
    choose(dialog.category_combo, "Printer")
    with gui_desk.database.write() as session:  # a supervisor removes it meanwhile
        session.execute(delete(Category).where(Category.name == "Printer"))
    dialog.save_button.click()

    assert "no category called 'Printer'" in dialog.errors["category"].text()
    assert dialog.errors["category"].isVisibleTo(dialog)
    assert gui_desk.version(ticket.key) == ticket.version


def test_priority_override_and_back_to_automatic(gui_desk, open_dialog, ticket):
    dialog = open_dialog("lena", ticket.key)
    assert dialog.priority_combo.currentText() == "Automatic (impact × urgency): P3"
    choose(dialog.priority_combo, "P1")
    dialog.save_button.click()
    saved = gui_desk.tickets.get(ticket.key).ticket
    assert (saved.priority, saved.priority_overridden) == (Priority.P1, True)

    choose(dialog.impact_combo, Level.HIGH.value)  # the automatic entry follows the levels
    assert dialog.priority_combo.itemText(0) == "Automatic (impact × urgency): P2"
    choose(dialog.priority_combo, None)
    dialog.save_button.click()
    saved = gui_desk.tickets.get(ticket.key).ticket
    assert (saved.impact, saved.priority, saved.priority_overridden) == (
        Level.HIGH,
        Priority.P2,
        False,
    )


# ------------------------------------------------------------------ assignment and status
def test_take_assign_and_unassign(gui_desk, open_dialog, ticket):
    dialog = open_dialog("lena", ticket.key)
    logins = [dialog.assignee_combo.itemData(i) for i in range(dialog.assignee_combo.count())]
    assert sorted(logins) == ["ada", "lena", "omar", "sara"]  # who works L1; no manager

    dialog.take_button.click()
    assert gui_desk.tickets.get(ticket.key).ticket.assignee == "lena"
    assert not dialog.take_button.isEnabled()

    choose(dialog.assignee_combo, "omar")
    dialog.assign_button.click()
    assert gui_desk.tickets.get(ticket.key).ticket.assignee == "omar"
    assert dialog.assignee_label.text() == "Omar Haddad"

    dialog.unassign_button.click()
    assert gui_desk.tickets.get(ticket.key).ticket.assignee is None
    assert dialog.assignee_label.text() == "nobody"


def test_status_resolve_needs_a_note_reopen_and_close(qtbot, gui_desk, open_dialog, ticket):
    dialog = open_dialog("lena", ticket.key)
    choose(dialog.status_combo, TicketStatus.WAITING_ON_CUSTOMER.value)
    dialog.set_status_button.click()
    assert gui_desk.tickets.get(ticket.key).ticket.status == TicketStatus.WAITING_ON_CUSTOMER

    version = gui_desk.version(ticket.key)
    with qtbot.assertNotEmitted(dialog.ticket_changed):
        dialog.resolve_button.click()
    assert dialog.errors["resolution"].isVisibleTo(dialog)
    assert gui_desk.version(ticket.key) == version

    dialog.resolution_edit.setPlainText("Reset the password")
    dialog.resolve_button.click()
    resolved = gui_desk.tickets.get(ticket.key)
    assert resolved.ticket.status == TicketStatus.RESOLVED
    assert resolved.events[-1].note == "Reset the password"
    assert dialog.resolution_edit.toPlainText() == ""
    assert not dialog.resolve_button.isEnabled() and dialog.reopen_button.isEnabled()

    dialog.reopen_note_edit.setText("Still cannot log in")
    dialog.reopen_button.click()
    reopened = gui_desk.tickets.get(ticket.key)
    assert reopened.ticket.status == TicketStatus.OPEN
    assert reopened.events[-1].note == "Still cannot log in"

    dialog.resolution_edit.setPlainText("Unlocked the account")
    dialog.resolve_button.click()
    dialog.close_ticket_button.click()
    assert gui_desk.tickets.get(ticket.key).ticket.status == TicketStatus.CLOSED
    assert not dialog.title_edit.isEnabled() and not dialog.save_button.isEnabled()


def test_a_refused_change_says_why_in_the_dialog(gui_desk, open_dialog):
    laptop = gui_desk.ticket("lena", category="Laptop")  # resolved at L2 or above
    dialog = open_dialog("lena", laptop.key)
    dialog.resolution_edit.setPlainText("Rebooted it")
    dialog.resolve_button.click()
    assert "may only be resolved at L2 or above" in dialog.message_bar.text()
    assert dialog.resolution_edit.toPlainText() == "Rebooted it"  # kept to try again
    assert gui_desk.version(laptop.key) == laptop.version


def test_comment_and_a_status_change_keep_unsaved_edits(gui_desk, open_dialog, ticket):
    dialog = open_dialog("lena", ticket.key)
    dialog.title_edit.setText("Typed, not saved yet")
    dialog.comment_edit.setPlainText("Called the customer")
    dialog.comment_button.click()

    detail = gui_desk.tickets.get(ticket.key)
    assert [c.body for c in detail.comments] == ["Called the customer"]
    assert "Called the customer" in dialog.comments_browser.toPlainText()
    assert dialog.tabs.tabText(3) == "&Comments (1)"
    assert dialog.comment_edit.toPlainText() == ""
    assert dialog.title_edit.text() == "Typed, not saved yet"
    assert detail.ticket.title == ticket.title


def test_timeline_shows_the_history_and_the_clocks(gui_desk, open_dialog, ticket):
    dialog = open_dialog("lena", ticket.key)
    dialog.take_button.click()
    text = dialog.timeline_view.text()
    assert "Lena Lindqvist assigned it to lena" in text
    assert "SLA clocks" in text


# -------------------------------------------------------------------------- who may change
@pytest.mark.parametrize(
    ("login", "why"),
    [
        ("max", "Read only: managers read tickets; they do not change them."),
        ("tom", "is at L1 and you work L2."),
    ],
)
def test_read_only_for_managers_and_other_tiers(open_dialog, ticket, login, why):
    dialog = open_dialog(login, ticket.key)
    assert dialog.read_only_label.isVisibleTo(dialog)
    assert why in dialog.read_only_label.text()
    for widget in (
        dialog.title_edit,
        dialog.description_edit,
        dialog.priority_combo,
        dialog.save_button,
        dialog.take_button,
        dialog.assign_button,
        dialog.resolve_button,
        dialog.comment_button,
    ):
        assert not widget.isEnabled(), widget


def test_editable_for_an_agent_of_the_tier(open_dialog, ticket):
    dialog = open_dialog("omar", ticket.key)
    assert not dialog.read_only_label.isVisibleTo(dialog)
    assert dialog.title_edit.isEnabled() and dialog.save_button.isEnabled()


# ----------------------------------------------------------------------------- conflicts
@pytest.fixture
def conflicted(gui_desk, open_dialog, ticket):
    """Lena edits the title in the dialog while Omar changes the description and the title;
    then Lena saves."""
    dialog = open_dialog("lena", ticket.key)
    dialog.title_edit.setText("Lena's title")
    gui_desk.later()
    gui_desk.tickets.edit(
        "omar",
        ticket.key,
        ticket.version,
        TicketChanges(description="Locked out since Monday", title="Omar's title"),
    )
    dialog.save_button.click()
    return dialog


def test_a_conflict_lists_what_the_other_changed(gui_desk, conflicted, ticket):
    dialog = conflicted
    assert dialog.conflict_panel.isVisibleTo(dialog)
    text = dialog.conflict_label.text()
    assert "Omar Haddad changed the title from “Cannot log in” to “Omar&#x27;s title”" in text
    assert (
        "Omar Haddad changed the description from “It says my password expired” to "
        "“Locked out since Monday”" in text
    )
    assert "<b>Title</b>: yours “Lena&#x27;s title”, now “Omar&#x27;s title”" in text
    assert "takes their description" in text
    assert dialog.title_edit.text() == "Lena's title"  # nothing typed is lost
    assert not dialog.save_button.isEnabled()  # choose first
    assert gui_desk.tickets.get(ticket.key).ticket.title == "Omar's title"


def test_keep_my_changes_saves_on_top_of_the_new_version(
    qtbot, gui_desk, conflicted, ticket, sent_edits
):
    dialog = conflicted
    with qtbot.waitSignal(dialog.ticket_changed):
        dialog.keep_button.click()

    assert sent_edits == [TicketChanges(title="Lena's title")]
    now = gui_desk.tickets.get(ticket.key).ticket
    assert now.version == ticket.version + 2
    assert (now.title, now.description) == ("Lena's title", "Locked out since Monday")
    assert not dialog.conflict_panel.isVisibleTo(dialog)
    assert dialog.description_edit.toPlainText() == "Locked out since Monday"
    assert dialog.ticket.version == now.version and dialog.edited_fields() == []


def test_discard_mine_reloads(gui_desk, conflicted, ticket, sent_edits):
    dialog = conflicted
    dialog.discard_button.click()

    assert sent_edits == []
    assert not dialog.conflict_panel.isVisibleTo(dialog)
    assert dialog.title_edit.text() == "Omar's title"
    assert dialog.description_edit.toPlainText() == "Locked out since Monday"
    assert dialog.ticket.version == gui_desk.version(ticket.key)
    assert dialog.save_button.isEnabled()


def test_works_with_the_threaded_runner(qtbot, gui_desk, ticket):
    from app.views.operations import OperationRunner

    runner = OperationRunner()
    dialog = TicketDialog(
        gui_desk.tickets.get(ticket.key),
        gui_desk.desk.user("lena"),
        gui_desk.tickets,
        gui_desk.desk,
        runner,
    )
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.category_combo.count() == 4 and runner.pending == 0)
    dialog.title_edit.setText("Saved from a worker thread")
    with qtbot.waitSignal(dialog.ticket_changed):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.ticket.version == ticket.version + 1)
    assert dialog.title_edit.text() == "Saved from a worker thread"
    assert runner.wait_for_done()
