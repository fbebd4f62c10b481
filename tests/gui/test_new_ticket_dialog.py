"""Opening a ticket: the derived priority, the dialog's own refusals and the service's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import delete

from app.models import Category, Level
from app.views.new_ticket_dialog import NewTicketDialog


@pytest.fixture
def dialog(qtbot, gui_desk):
    dialog = NewTicketDialog(gui_desk.desk.categories())
    qtbot.addWidget(dialog)
    return dialog


def choose(combo, level: Level) -> None:
    combo.setCurrentIndex(combo.findData(level.value))


@pytest.mark.parametrize(
    ("impact", "urgency", "priority"),
    [
        (Level.MEDIUM, Level.MEDIUM, "P3"),
        (Level.HIGH, Level.HIGH, "P1"),
        (Level.HIGH, Level.MEDIUM, "P2"),
        (Level.LOW, Level.LOW, "P4"),
    ],
)
def test_shows_the_priority_impact_and_urgency_give(dialog, impact, urgency, priority):
    choose(dialog.impact_combo, impact)
    choose(dialog.urgency_combo, urgency)
    assert dialog.priority_label.text().startswith(f"<b>{priority}</b>")


def test_refuses_an_empty_title(qtbot, dialog):
    dialog.requester_edit.setText("Carla Customer")
    dialog.title_edit.setText("   ")
    with qtbot.assertNotEmitted(dialog.submitted):
        dialog.create_button.click()
    assert dialog.error_label.isVisibleTo(dialog)
    assert dialog.error_label.text() == "Give the ticket a title."


def test_sends_what_the_form_says(qtbot, dialog):
    dialog.title_edit.setText("  Laptop will not boot ")
    dialog.requester_edit.setText("Carla Customer")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("Laptop"))
    choose(dialog.impact_combo, Level.HIGH)
    with qtbot.waitSignal(dialog.submitted) as blocker:
        dialog.create_button.click()
    new = blocker.args[0]
    assert (new.title, new.requester, new.category) == (
        "Laptop will not boot",
        "Carla Customer",
        "Laptop",
    )
    assert (new.impact, new.urgency) == (Level.HIGH, Level.MEDIUM)
    assert not dialog.create_button.isEnabled()  # no double submit while it is created


def test_creating_from_the_window_selects_the_new_ticket(gui_desk, open_window):
    window = open_window("lena")
    window.ticket_actions.new_ticket_action.trigger()
    dialog = window.ticket_actions.new_ticket_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.title_edit.setText("Monitor flickers")
    dialog.requester_edit.setText("Carla Customer")
    choose(dialog.urgency_combo, Level.HIGH)
    dialog.create_button.click()

    assert not dialog.isVisible()
    created = window.selected_ticket()
    assert created is not None and created.title == "Monitor flickers"
    assert created.priority.value == "P2" and created.tier == "L1"
    assert gui_desk.tickets.get(created.key).ticket == created


def test_a_service_refusal_stays_in_the_dialog(gui_desk, open_window):
    window = open_window("tom")
    window.ticket_actions.new_ticket_action.trigger()
    dialog = window.ticket_actions.new_ticket_dialog
    dialog.title_edit.setText("Monitor flickers")
    dialog.requester_edit.setText("Carla Customer")
    chosen = dialog.category_combo.currentData()
    with gui_desk.database.write() as session:  # a supervisor removes the category meanwhile
        session.execute(delete(Category).where(Category.name == chosen))
    dialog.create_button.click()

    assert dialog.isVisible()
    assert f"no category called '{chosen}'" in dialog.error_label.text()
    assert dialog.create_button.isEnabled()
    assert gui_desk.tickets.list() == []


def test_create_is_the_default_button(qtbot, dialog):
    dialog.open()
    assert dialog.create_button.isDefault()


def test_tab_follows_the_form(qtbot, dialog):
    chain = [dialog.title_edit]
    widget = dialog.title_edit.nextInFocusChain()
    while len(chain) < 7:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
        widget = widget.nextInFocusChain()
    assert chain == [
        dialog.title_edit,
        dialog.requester_edit,
        dialog.category_combo,
        dialog.impact_combo,
        dialog.urgency_combo,
        dialog.description_edit,
        dialog.create_button,
    ]
