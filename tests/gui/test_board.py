"""The tier board: column models (model tester, drag data, drops, removeRows), moves through
the ticket service with refusals and the hand-back reason, keyboard actions, WIP headers, and
the rules behind the time-left colour."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from sqlalchemy import update

from app.models import Priority, TicketStatus, Tier
from app.services.board import BoardService, CardView
from app.services.sla_policy import SlaPolicyService
from app.views.board_view import RESOLVED, BoardView, wip_level
from app.views.card_delegate import ClockLook, clock_look, time_left, time_left_label, used_share
from app.views.item_models.tier_column_model import (
    CARD_ROLE,
    MIME_TYPE,
    DraggedTicket,
    TierColumnModel,
    decode_tickets,
    encode_tickets,
)
from tests.factories import T0

NOW = T0 + timedelta(hours=2)


def card(**overrides) -> CardView:
    fields = {
        "id": 1,
        "key": "TD-1",
        "title": "Cannot log in",
        "priority": Priority.P3,
        "category": "Password reset",
        "status": TicketStatus.NEW,
        "tier": "L1",
        "assignee": None,
        "assignee_name": None,
        "assignee_initials": None,
        "created_at": T0,
        "updated_at": T0,
        "resolved_at": None,
        "version": 1,
    }
    fields.update(overrides)
    return CardView(**fields)


def clocked(**overrides) -> CardView:
    """A card whose tier clock started at T0, warns at T0+45 min and breaches at T0+1 h."""
    fields = {
        "has_clock": True,
        "clock_started_at": T0,
        "clock_due_at": T0 + timedelta(hours=1),
        "clock_warn_at": T0 + timedelta(minutes=45),
        "clock_target_seconds": 3600,
    }
    fields.update(overrides)
    return card(**fields)


def mime(*tickets: DraggedTicket) -> QMimeData:
    data = QMimeData()
    data.setData(MIME_TYPE, encode_tickets(tickets))
    return data


@pytest.fixture
def board_for(qtbot, gui_desk, runner):
    """Opens a board signed in as a standard person (by login), loaded."""

    def open_as(login: str) -> BoardView:
        service = BoardService(gui_desk.database, gui_desk.clock)
        view = BoardView(
            service, gui_desk.tickets, gui_desk.desk.user(login), runner, now=lambda: NOW
        )
        qtbot.addWidget(view)
        view.resize(1200, 600)
        view.load()
        return view

    return open_as


def keys(view: BoardView, code: str) -> list[str]:
    model = view.column(code).model
    return [model.card_at(row).key for row in range(model.rowCount())]


def select(view: BoardView, code: str, *wanted: str) -> None:
    column = view.column(code)
    for row in range(column.model.rowCount()):
        if column.model.card_at(row).key in wanted:
            column.view.selectionModel().select(
                column.model.index(row), column.view.selectionModel().SelectionFlag.Select
            )


def drag(view: BoardView, code: str, *wanted: str) -> QMimeData:
    """What dragging these cards out of a column carries (``mimeData`` of the column)."""
    model = view.column(code).model
    rows = [row for row in range(model.rowCount()) if model.card_at(row).key in wanted]
    return model.mimeData([model.index(row) for row in rows])


def drop(view: BoardView, code: str, data: QMimeData) -> bool:
    model = view.column(code).model
    move = Qt.DropAction.MoveAction
    return model.dropMimeData(data, move, -1, -1, QModelIndex())


# --------------------------------------------------------------------------- column model
def test_column_model_passes_the_model_tester(qtmodeltester):
    model = TierColumnModel("L1")
    model.set_cards([card(id=n, key=f"TD-{n}") for n in range(1, 6)])
    qtmodeltester.check(model)
    model.update_cards([card(id=9, key="TD-9", priority=Priority.P1)])
    qtmodeltester.check(model)


def test_empty_column_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(TierColumnModel(RESOLVED, accepts_drops=False))


def test_update_cards_changes_only_the_rows_concerned(qtbot):
    model = TierColumnModel("L1")
    model.set_cards(
        [card(id=n, key=f"TD-{n}", created_at=T0 + timedelta(minutes=n)) for n in (1, 2, 3)]
    )
    resets, inserted, removed, changed = [], [], [], []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _p, first, _l: inserted.append(first))
    model.rowsRemoved.connect(lambda _p, first, _l: removed.append(first))
    model.dataChanged.connect(lambda top, _b, _r: changed.append(top.row()))

    model.update_cards(
        [card(id=2, key="TD-2", title="renamed", created_at=T0 + timedelta(minutes=2))]
    )
    assert changed == [1] and not inserted and not removed
    model.update_cards(
        [card(id=3, key="TD-3", priority=Priority.P1, created_at=T0 + timedelta(minutes=3))]
    )
    assert removed == [2] and inserted == [0]  # a P1 goes to the top
    model.update_cards([card(id=4, key="TD-4", created_at=T0 + timedelta(minutes=4))])
    assert inserted == [0, 3]
    model.remove_tickets([1, 77])
    assert removed == [2, 1]
    assert resets == []
    assert [model.card_at(row).key for row in range(model.rowCount())] == ["TD-3", "TD-2", "TD-4"]
    assert model.index(1).data(CARD_ROLE).title == "renamed"


def test_mime_data_carries_keys_versions_and_tiers():
    model = TierColumnModel("L2")
    model.set_cards(
        [card(id=1, key="TD-1", tier="L2", version=4), card(id=2, key="TD-2", tier="L2")]
    )
    data = model.mimeData([model.index(0), model.index(0), model.index(1)])
    assert model.mimeTypes() == [MIME_TYPE]
    assert decode_tickets(data) == [DraggedTicket("TD-1", 4, "L2"), DraggedTicket("TD-2", 1, "L2")]
    assert decode_tickets(QMimeData()) == []


def test_drops_on_the_same_column_or_on_resolved_are_refused():
    model = TierColumnModel("L1")
    here = mime(DraggedTicket("TD-1", 1, "L1"))
    assert not model.canDropMimeData(here, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert not model.dropMimeData(here, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    resolved = TierColumnModel(RESOLVED, accepts_drops=False)
    other = mime(DraggedTicket("TD-1", 1, "L2"))
    assert not resolved.canDropMimeData(other, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert not resolved.flags(resolved.index(0)) & Qt.ItemFlag.ItemIsDropEnabled


def test_can_drop_asks_the_boards_check():
    seen = []

    def check(tickets, tier):
        seen.append((tickets, tier))
        return False

    model = TierColumnModel("L3", drop_check=check)
    data = mime(DraggedTicket("TD-1", 1, "L1"))
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert seen == [([DraggedTicket("TD-1", 1, "L1")], "L3")]


def test_drop_asks_for_the_move_and_moves_no_row(qtbot):
    model = TierColumnModel("L2")
    data = mime(DraggedTicket("TD-1", 3, "L1"))
    with qtbot.waitSignal(model.move_requested) as blocker:
        assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert blocker.args == [[DraggedTicket("TD-1", 3, "L1")], "L2"]
    assert model.rowCount() == 0


def test_remove_rows_is_a_no_op():
    model = TierColumnModel("L1")
    model.set_cards([card()])
    assert model.removeRows(0, 1) is False
    assert model.rowCount() == 1


# --------------------------------------------------------------------------------- moves
def test_dropping_on_the_next_tier_escalates(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("lena")
    assert keys(view, "L1") == [ticket.key]
    data = drag(view, "L1", ticket.key)
    with qtbot.waitSignal(view.tickets_moved) as moved:
        assert drop(view, "L2", data)
    assert moved.args == [[ticket.key]]
    assert keys(view, "L1") == [] and keys(view, "L2") == [ticket.key]
    assert gui_desk.tickets.get(ticket.key).ticket.tier == "L2"
    assert view.column("L2").model.card_at(0).version == ticket.version + 1
    # Qt's startDrag then calls removeRows on the source: nothing happens.
    assert view.column("L1").model.removeRows(0, 1) is False


def test_an_agent_of_another_tier_is_refused_and_the_card_stays(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("tom")  # works L2
    data = drag(view, "L1", ticket.key)
    assert not view.column("L2").model.canDropMimeData(
        data, Qt.DropAction.MoveAction, -1, -1, QModelIndex()
    )
    with qtbot.waitSignal(view.move_refused) as refused:
        drop(view, "L2", data)
    assert "tom works L2, so cannot change" in refused.args[0]
    assert keys(view, "L1") == [ticket.key] and keys(view, "L2") == []
    assert gui_desk.tickets.get(ticket.key).ticket.tier == "L1"


def test_an_agent_may_not_jump_tiers(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("lena")
    data = drag(view, "L1", ticket.key)
    assert not view.column("L3").model.canDropMimeData(
        data, Qt.DropAction.MoveAction, -1, -1, QModelIndex()
    )
    with qtbot.waitSignal(view.move_refused) as refused:
        drop(view, "L3", data)
    assert "only supervisors may jump tiers" in refused.args[0]
    assert keys(view, "L1") == [ticket.key] and keys(view, "L3") == []


def test_a_supervisor_may_jump_tiers(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("sara")
    with qtbot.waitSignal(view.tickets_moved):
        drop(view, "L3", drag(view, "L1", ticket.key))
    assert keys(view, "L3") == [ticket.key]


def test_a_stale_card_is_refused_as_a_conflict(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("lena")
    data = drag(view, "L1", ticket.key)
    gui_desk.tickets.take("omar", ticket.key, ticket.version)  # another desktop
    with qtbot.waitSignal(view.move_refused) as refused:
        drop(view, "L2", data)
    assert "changed by someone else" in refused.args[0]
    assert gui_desk.tickets.get(ticket.key).ticket.tier == "L1"


def escalated(gui_desk, **overrides):
    ticket = gui_desk.ticket(**overrides)
    return gui_desk.tickets.escalate("lena", ticket.key, ticket.version)


def test_handing_back_asks_why_then_moves(qtbot, gui_desk, board_for):
    ticket = escalated(gui_desk)
    view = board_for("tom")
    drop(view, "L1", drag(view, "L2", ticket.key))
    dialog = view.note_dialog
    assert dialog is not None and dialog.isVisible()
    assert keys(view, "L2") == [ticket.key]  # nothing moves before the reason
    dialog.text_edit.setPlainText("Needs the password reset first")
    with qtbot.waitSignal(view.tickets_moved):
        dialog.accept()
    assert keys(view, "L1") == [ticket.key] and keys(view, "L2") == []
    events = gui_desk.tickets.get(ticket.key).events
    assert events[-1].note == "Needs the password reset first"


def test_cancelling_the_reason_moves_nothing(qtbot, gui_desk, board_for):
    ticket = escalated(gui_desk)
    view = board_for("tom")
    drop(view, "L1", drag(view, "L2", ticket.key))
    moved = []
    view.tickets_moved.connect(moved.append)
    view.note_dialog.reject()
    assert view.note_dialog is None and moved == []
    assert keys(view, "L2") == [ticket.key]
    assert gui_desk.tickets.get(ticket.key).ticket.version == ticket.version


def test_a_jump_down_by_an_agent_is_refused_without_asking_why(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    ticket = gui_desk.tickets.move("sara", ticket.key, ticket.version, "L3")
    view = board_for("ines")  # works L3
    with qtbot.waitSignal(view.move_refused) as refused:
        drop(view, "L1", drag(view, "L3", ticket.key))
    assert view.note_dialog is None
    assert "only supervisors may jump tiers" in refused.args[0]
    assert keys(view, "L3") == [ticket.key]


def test_a_multi_card_drag_moves_or_refuses_each_ticket(qtbot, gui_desk, board_for):
    accepted = gui_desk.ticket(title="fine")
    stale = gui_desk.ticket(title="changed meanwhile")
    view = board_for("lena")
    data = drag(view, "L1", accepted.key, stale.key)
    assert len(decode_tickets(data)) == 2
    gui_desk.tickets.take("omar", stale.key, stale.version)
    refusals, moves = [], []
    view.move_refused.connect(refusals.append)
    view.tickets_moved.connect(moves.append)
    drop(view, "L2", data)
    assert moves == [[accepted.key]]
    assert len(refusals) == 1 and stale.key in refusals[0]
    assert keys(view, "L2") == [accepted.key] and keys(view, "L1") == [stale.key]


# ------------------------------------------------------------------------------ keyboard
def test_ctrl_up_escalates_the_selected_cards(qtbot, gui_desk, board_for):
    first, second = gui_desk.ticket(title="one"), gui_desk.ticket(title="two")
    view = board_for("lena")
    select(view, "L1", first.key, second.key)
    assert {c.key for c in view.selected_cards()} == {first.key, second.key}
    with qtbot.waitSignal(view.tickets_moved) as moved:
        view.move_up_action.trigger()
    assert sorted(moved.args[0]) == sorted([first.key, second.key])
    assert sorted(keys(view, "L2")) == sorted([first.key, second.key])


def test_ctrl_down_at_the_bottom_says_so(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("lena")
    select(view, "L1", ticket.key)
    with qtbot.waitSignal(view.move_refused) as refused:
        view.move_down_action.trigger()
    assert "bottom of the ladder" in refused.args[0]


def test_enter_opens_and_ctrl_t_takes(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("lena")
    select(view, "L1", ticket.key)
    with qtbot.waitSignal(view.open_requested) as opened:
        view.open_action.trigger()
    assert opened.args == [ticket.key]
    with qtbot.waitSignal(view.tickets_taken):
        view.take_action.trigger()
    assert view.column("L1").model.card_at(0).assignee_initials == "LL"
    assert gui_desk.tickets.get(ticket.key).ticket.assignee == "lena"
    context_menu = view.column("L1").view.actions()
    assert view.take_action in context_menu and view.move_up_action in context_menu


def test_apply_changed_moves_a_card_resolved_elsewhere(qtbot, gui_desk, board_for):
    ticket = gui_desk.ticket()
    view = board_for("lena")
    done = gui_desk.tickets.resolve("lena", ticket.key, ticket.version, "fixed")
    view.apply_changed([done.id])
    assert keys(view, "L1") == [] and keys(view, RESOLVED) == [ticket.key]


# ----------------------------------------------------------------------------- headers
def test_wip_levels():
    assert wip_level(5, None) == "normal"
    assert wip_level(9, 10) == "normal"
    assert wip_level(10, 11) == "warning"  # past 90%
    assert wip_level(10, 10) == "warning"
    assert wip_level(11, 10) == "over"


def test_the_header_turns_amber_then_red_with_the_wip_limit(gui_desk, board_for):
    with gui_desk.database.write() as session:
        session.execute(update(Tier).where(Tier.code == "L1").values(wip_limit=2))
    gui_desk.ticket(title="one")
    view = board_for("lena")
    header = view.column("L1").header
    assert header.property("wip") == "normal" and "1 / 2" in header.text()
    gui_desk.ticket(title="two")
    view.load()
    assert header.property("wip") == "warning" and "#e69b00" in header.styleSheet()
    gui_desk.ticket(title="three")
    view.load()
    assert header.property("wip") == "over" and "#c0392b" in header.styleSheet()


def test_the_board_paints_cards_with_clocks(gui_desk, board_for):
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("UTC")
    gui_desk.ticket(impact="high", urgency="high")
    view = board_for("lena")
    view.show()
    assert view.column("L1").model.card_at(0).has_clock
    assert not view.grab().isNull()
    view._on_repaint_timer_timeout()  # what the 1 s timer does: repaint, no query


# ---------------------------------------------------------------------------- time left
def test_clock_look_is_green_amber_red_or_paused():
    assert clock_look(card(), NOW) == ClockLook.NONE
    assert clock_look(clocked(), T0 + timedelta(minutes=10)) == ClockLook.ON_TIME
    assert clock_look(clocked(), T0 + timedelta(minutes=45)) == ClockLook.WARNING
    assert clock_look(clocked(), T0 + timedelta(hours=1)) == ClockLook.BREACHED
    assert clock_look(clocked(clock_breached=True), T0) == ClockLook.BREACHED
    paused = clocked(clock_paused=True, clock_due_at=None, clock_used_seconds=600)
    assert clock_look(paused, NOW) == ClockLook.PAUSED
    spent = replace(paused, clock_used_seconds=3600)
    assert clock_look(spent, NOW) == ClockLook.BREACHED


def test_time_left_and_its_label():
    running = clocked()
    assert time_left(running, T0 + timedelta(minutes=10)) == timedelta(minutes=50)
    assert time_left_label(running, T0 + timedelta(minutes=10)) == "50m 00s left"
    assert time_left_label(running, T0 + timedelta(hours=1, minutes=2)) == "2m 00s over"
    assert time_left_label(running, T0 - timedelta(hours=30)) == "1d 7h left"
    paused = clocked(clock_paused=True, clock_due_at=None, clock_used_seconds=600)
    assert time_left_label(paused, NOW) == "paused · 50m 00s left"
    assert time_left(card(), NOW) is None and time_left_label(card(), NOW) == ""


def test_used_share_fills_the_bar():
    running = clocked()
    assert used_share(running, T0) == 0.0
    assert used_share(running, T0 + timedelta(minutes=30)) == pytest.approx(0.5)
    assert used_share(running, T0 + timedelta(hours=3)) == 1.0
    paused = clocked(clock_paused=True, clock_due_at=None, clock_used_seconds=900)
    assert used_share(paused, NOW) == pytest.approx(0.25)
