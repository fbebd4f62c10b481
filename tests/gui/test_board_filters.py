"""Search and filters on the tier board: ``CardFilter`` on its own, a filtered column model
(model tester, row-level updates, drag data of the rows shown), the board with each filter, the
search and "shown of total" headers, drag and drop through a filtered column, and the main
window's filter bar driving the board."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from app.models import Priority, TicketStatus
from app.services.board import BoardService
from app.services.sla_policy import SlaPolicyService
from app.views.board_view import RESOLVED, BoardView
from app.views.item_models.card_filter import CardFilter, clock_at_risk
from app.views.item_models.tier_column_model import DraggedTicket, TierColumnModel, decode_tickets
from tests.factories import T0
from tests.gui.test_board import NOW, card, clocked, keys

MOVE = Qt.DropAction.MoveAction


# ----------------------------------------------------------------------------- CardFilter
def test_an_empty_filter_accepts_everything_and_is_not_active():
    assert not CardFilter().is_active
    assert not CardFilter(text="   ").is_active
    assert CardFilter(text="vpn").is_active and CardFilter(at_risk=True).is_active
    assert CardFilter().accepts(card(status=TicketStatus.RESOLVED), NOW)


@pytest.mark.parametrize(
    ("choice", "passing", "failing"),
    [
        ({"assignee": "lena"}, {"assignee": "lena"}, {"assignee": "omar"}),
        ({"tiers": frozenset({"L1", "L2"})}, {"tier": "L2"}, {"tier": "L3"}),
        ({"tier": "L3"}, {"tier": "L3"}, {"tier": "L2"}),
        ({"category": "Laptop"}, {"category": "Laptop"}, {"category": "Printer"}),
        ({"priority": Priority.P1}, {"priority": Priority.P1}, {"priority": Priority.P2}),
        (
            {"status": TicketStatus.IN_PROGRESS},
            {"status": TicketStatus.IN_PROGRESS},
            {"status": TicketStatus.NEW},
        ),
        ({"text": "td-7"}, {"key": "TD-7"}, {"key": "TD-8"}),
        ({"text": "PRINTER jam"}, {"title": "Printer paper jam"}, {"title": "Printer offline"}),
        ({"text": "carla"}, {"requester": "Carla Customer"}, {"requester": "Bob"}),
    ],
)
def test_each_choice_of_the_filter(choice, passing, failing):
    card_filter = CardFilter(**choice)
    assert card_filter.is_active
    assert card_filter.accepts(card(**passing), NOW)
    assert not card_filter.accepts(card(**failing), NOW)


def test_choices_combine():
    card_filter = CardFilter(category="Laptop", priority=Priority.P1)
    assert card_filter.accepts(card(category="Laptop", priority=Priority.P1), NOW)
    assert not card_filter.accepts(card(category="Laptop", priority=Priority.P2), NOW)
    assert not card_filter.accepts(card(category="Printer", priority=Priority.P1), NOW)


def test_breached_or_at_risk_follows_the_tier_clock():
    # NOW is T0 + 2 h; ``clocked`` warns at T0 + 45 min and breaches at T0 + 1 h.
    later = {"clock_warn_at": T0 + timedelta(hours=3), "clock_due_at": T0 + timedelta(hours=4)}
    warned = {"clock_warn_at": T0 + timedelta(hours=1), "clock_due_at": T0 + timedelta(hours=4)}
    assert clock_at_risk(clocked(), NOW)  # past its due instant
    assert clock_at_risk(clocked(**later, clock_breached=True), NOW)  # breach recorded
    assert clock_at_risk(clocked(**warned), NOW)  # past its warning, not yet due
    assert not clock_at_risk(clocked(**later), NOW)
    assert not clock_at_risk(card(), NOW)  # no clock at all
    paused = {"clock_paused": True, "clock_due_at": None, "clock_warn_at": None}
    assert not clock_at_risk(clocked(**paused, clock_used_seconds=600), NOW)
    assert clock_at_risk(clocked(**paused, clock_used_seconds=3600), NOW)
    assert CardFilter(at_risk=True).accepts(clocked(**warned), NOW)
    assert not CardFilter(at_risk=True).accepts(clocked(**later), NOW)


# ----------------------------------------------------------------------- filtered model
def _column(*priorities: Priority) -> TierColumnModel:
    model = TierColumnModel("L1")
    model.set_cards(
        [
            card(id=n, key=f"TD-{n}", priority=p, created_at=T0 + timedelta(minutes=n))
            for n, p in enumerate(priorities, start=1)
        ]
    )
    return model


def _p1_only(model: TierColumnModel) -> None:
    model.set_filter(lambda c: c.priority == Priority.P1)


def _shown(model: TierColumnModel) -> list[str]:
    return [model.card_at(row).key for row in range(model.rowCount())]


def test_a_filtered_column_model_passes_the_model_tester(qtmodeltester):
    model = _column(Priority.P1, Priority.P3, Priority.P1, Priority.P4)
    _p1_only(model)
    assert _shown(model) == ["TD-1", "TD-3"] and model.total_count() == 4
    qtmodeltester.check(model)
    model.update_cards([card(id=2, key="TD-2", priority=Priority.P1, created_at=T0)])
    model.update_cards([card(id=3, key="TD-3", priority=Priority.P4)])
    model.remove_tickets([1])
    qtmodeltester.check(model)
    model.set_filter(None)
    qtmodeltester.check(model)


def test_updates_of_a_filtered_column_change_only_the_rows_concerned(qtbot):
    model = _column(Priority.P1, Priority.P3, Priority.P1, Priority.P4)
    _p1_only(model)
    resets, inserted, removed, changed = [], [], [], []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _p, first, _l: inserted.append(first))
    model.rowsRemoved.connect(lambda _p, first, _l: removed.append(first))
    model.dataChanged.connect(lambda top, _b, _r: changed.append(top.row()))
    minute = timedelta(minutes=1)

    # A hidden card changes: nothing shown changes, yet the column keeps it.
    model.update_cards([card(id=4, key="TD-4", title="x", priority=Priority.P4, created_at=T0)])
    assert (inserted, removed, changed) == ([], [], [])
    # A hidden card now passes: inserted where the order puts it.
    model.update_cards([card(id=2, key="TD-2", priority=Priority.P1, created_at=T0 + 2 * minute)])
    assert inserted == [1] and _shown(model) == ["TD-1", "TD-2", "TD-3"]
    # A shown card no longer passes: removed.
    model.update_cards([card(id=1, key="TD-1", priority=Priority.P2, created_at=T0 + minute)])
    assert removed == [0] and _shown(model) == ["TD-2", "TD-3"]
    # A shown card changes in place.
    model.update_cards([card(id=3, key="TD-3", title="new", created_at=T0 + 3 * minute,
                             priority=Priority.P1)])  # fmt: skip
    assert changed == [1]
    # A new card that does not pass is kept, not shown; removing tickets removes hidden ones.
    model.update_cards([card(id=9, key="TD-9", priority=Priority.P2)])
    assert model.total_count() == 5 and model.rowCount() == 2
    model.remove_tickets([9])
    assert model.total_count() == 4
    assert resets == []
    model.set_filter(None)  # every card back, in the column's order
    assert _shown(model) == ["TD-2", "TD-3", "TD-1", "TD-4"]
    assert model.card_at(3).title == "x"


def test_drag_data_of_a_filtered_column_carries_the_rows_shown():
    model = _column(Priority.P3, Priority.P1, Priority.P3, Priority.P1)
    _p1_only(model)
    data = model.mimeData([model.index(1)])
    assert decode_tickets(data) == [DraggedTicket("TD-4", 1, "L1")]
    assert not model.removeRows(0, 1)  # still a no-op: the service moves cards
    assert model.rowCount() == 2


# ------------------------------------------------------------------------------- board
@pytest.fixture
def desk_tickets(gui_desk):
    """Six open L1 tickets and one at L2, of several categories, priorities, requesters and
    statuses; TD-5 is Lena's (in progress), one is resolved."""
    desk = gui_desk
    made = {
        "login": desk.ticket(title="Cannot log in"),
        "laptop": desk.ticket(title="Laptop screen flickers", category="Laptop"),
        "printer": desk.ticket(title="Printer paper jam", category="Printer", requester="Bob"),
        "urgent": desk.ticket(title="VPN down for everyone", impact="high", urgency="high"),
        "mine": desk.ticket(title="Reset my token"),
        "up": desk.ticket(title="Mail quota"),
        "done": desk.resolved_ticket(title="Old one"),
    }
    mine = desk.tickets.take("lena", made["mine"].key, made["mine"].version)
    made["mine"] = desk.tickets.change_status("lena", mine.key, mine.version, "in_progress")
    made["up"] = desk.tickets.escalate("lena", made["up"].key, made["up"].version)
    return made


@pytest.fixture
def board(qtbot, gui_desk, runner, desk_tickets) -> BoardView:
    view = BoardView(
        BoardService(gui_desk.database, gui_desk.clock),
        gui_desk.tickets,
        gui_desk.desk.user("lena"),
        runner,
        now=lambda: NOW,
    )
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.load()
    return view


def test_each_filter_on_the_board(board, desk_tickets):
    t = {name: ticket.key for name, ticket in desk_tickets.items()}
    all_l1 = keys(board, "L1")
    assert len(all_l1) == 5 and keys(board, "L2") == [t["up"]]

    board.set_card_filter(CardFilter(category="Printer"))
    assert keys(board, "L1") == [t["printer"]] and keys(board, "L2") == []
    board.set_card_filter(CardFilter(priority=desk_tickets["urgent"].priority))
    assert keys(board, "L1") == [t["urgent"]]
    board.set_card_filter(CardFilter(assignee="lena"))
    assert keys(board, "L1") == [t["mine"]] and keys(board, RESOLVED) == []
    board.set_card_filter(CardFilter(status=TicketStatus.IN_PROGRESS))
    assert keys(board, "L1") == [t["mine"]]
    board.set_card_filter(CardFilter(tiers=frozenset({"L1"})))
    assert keys(board, "L1") == all_l1 and keys(board, "L2") == []
    board.set_card_filter(CardFilter(tier="L2"))
    assert keys(board, "L1") == [] and keys(board, "L2") == [t["up"]]
    board.set_card_filter(CardFilter())
    assert keys(board, "L1") == all_l1 and keys(board, RESOLVED) == [t["done"]]


def test_the_search_reads_key_title_and_requester(board, desk_tickets):
    t = {name: ticket.key for name, ticket in desk_tickets.items()}
    board.set_card_filter(CardFilter(text="bob"))
    assert keys(board, "L1") == [t["printer"]]
    board.set_card_filter(CardFilter(text="vpn EVERYONE"))
    assert keys(board, "L1") == [t["urgent"]]
    board.set_card_filter(CardFilter(text=t["laptop"].lower()))
    assert keys(board, "L1") == [t["laptop"]]
    board.set_card_filter(CardFilter(text="carla"))  # every ticket but Bob's
    assert t["printer"] not in keys(board, "L1") and len(keys(board, "L1")) == 4


def test_breached_or_at_risk_on_the_board(qtbot, gui_desk, runner):
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("UTC")
    urgent = gui_desk.ticket(impact="high", urgency="high")
    calm = gui_desk.ticket(impact="low", urgency="low")
    cards = BoardService(gui_desk.database, gui_desk.clock).load().columns["L1"]
    clocks = {c.key: c for c in cards}
    # An instant when the P1's clock is past its warning and the P4's is not.
    now = clocks[urgent.key].clock_warn_at
    assert now is not None and not clock_at_risk(clocks[calm.key], now)
    view = BoardView(
        BoardService(gui_desk.database, gui_desk.clock),
        gui_desk.tickets,
        gui_desk.desk.user("lena"),
        runner,
        now=lambda: now,
    )
    qtbot.addWidget(view)
    view.load()
    view.set_card_filter(CardFilter(at_risk=True))
    assert keys(view, "L1") == [urgent.key]


def test_headers_read_shown_of_total_while_filtered(board, desk_tickets):
    header = board.column("L1").header
    assert " of " not in header.text() and header.text().endswith("5")
    board.set_card_filter(CardFilter(category="Printer"))
    assert header.text().endswith("1 of 5")
    assert board.column(RESOLVED).header.text().endswith("0 of 1")
    board.set_card_filter(CardFilter())
    assert header.text().endswith("5")
    assert " of " not in header.text()


def test_dragging_out_of_a_filtered_column_escalates(board, gui_desk, desk_tickets):
    urgent = desk_tickets["urgent"]
    board.set_card_filter(CardFilter(priority=urgent.priority))
    source = board.column("L1").model
    assert source.rowCount() == 1
    data = source.mimeData([source.index(0)])
    target = board.column("L2").model
    assert target.canDropMimeData(data, MOVE, -1, -1, QModelIndex())
    assert target.dropMimeData(data, MOVE, -1, -1, QModelIndex())
    assert gui_desk.tickets.get(urgent.key).ticket.tier == "L2"
    assert keys(board, "L1") == [] and keys(board, "L2") == [urgent.key]
    assert board.column("L1").header.text().endswith("0 of 4")
    assert board.column("L2").header.text().endswith("1 of 2")
    board.set_card_filter(CardFilter())
    assert keys(board, "L2") == sorted(
        [urgent.key, desk_tickets["up"].key], key=lambda k: k != urgent.key
    )


def test_a_card_moved_into_a_hidden_place_leaves_the_view(board, gui_desk, desk_tickets):
    board.set_card_filter(CardFilter(tiers=frozenset({"L1"})))
    laptop = desk_tickets["laptop"]
    source = board.column("L1").model
    row = source.row_of(laptop.id)
    assert row is not None
    data = source.mimeData([source.index(row)])
    assert board.column("L2").model.dropMimeData(data, MOVE, -1, -1, QModelIndex())
    assert gui_desk.tickets.get(laptop.key).ticket.tier == "L2"
    assert laptop.key not in keys(board, "L1") and keys(board, "L2") == []
    assert board.column("L2").model.total_count() == 2


# ------------------------------------------------------------------------- main window
def test_the_filter_bar_drives_the_board_and_the_list(open_window, gui_desk, qtbot):
    printer = gui_desk.ticket(title="Printer paper jam", category="Printer", requester="Bob")
    gui_desk.ticket(title="Cannot log in")
    window = open_window("lena")
    bar = window.filter_bar
    assert bar.my_tiers_check.isEnabled()
    bar.category_combo.setCurrentIndex(bar.category_combo.findData("Printer"))
    assert keys(window.board_view, "L1") == [printer.key]
    assert window.board_view.column("L1").header.text().endswith("1 of 2")
    assert window.filter_bar.count_label.text() == "1 of 2 tickets"  # the list follows
    bar.category_combo.setCurrentIndex(0)
    assert len(keys(window.board_view, "L1")) == 2
    bar.search_edit.setText("bob")
    qtbot.waitUntil(lambda: keys(window.board_view, "L1") == [printer.key])
    assert window.filter_bar.count_label.text() == "1 of 2 tickets"  # the list too
    bar.search_edit.clear()
    bar.at_risk_check.setChecked(True)  # no SLA policy: no clock, nothing at risk
    assert keys(window.board_view, "L1") == []
    assert window.filter_bar.count_label.text() == "0 of 2 tickets"  # the board's own count
    window.views.setCurrentWidget(window.table_view)
    assert window.filter_bar.count_label.text() == "2 of 2 tickets"  # the list has no such filter
    window.views.setCurrentWidget(window.board_view)
    assert window.filter_bar.count_label.text() == "0 of 2 tickets"
    bar.at_risk_check.setChecked(False)
    bar.priority_combo.setCurrentIndex(bar.priority_combo.findData(printer.priority.value))
    assert printer.key in keys(window.board_view, "L1")


def test_a_person_without_tiers_cannot_ask_for_my_tiers(open_window):
    assert not open_window("sara").filter_bar.my_tiers_check.isEnabled()


@pytest.mark.parametrize("rebuild_after", [3, 1024])
def test_rows_of_tickets_stay_right_through_many_single_row_changes(monkeypatch, rebuild_after):
    from app.views.item_models import tier_column_model

    monkeypatch.setattr(tier_column_model._RowIndex, "REBUILD_AFTER", rebuild_after)
    rng = random.Random(7)
    model = TierColumnModel("L1")
    model.set_cards([card(id=n, key=f"TD-{n}", created_at=T0 + timedelta(minutes=n))
                     for n in range(40)])  # fmt: skip
    filtered = rebuild_after == 3
    if filtered:  # the hidden cards have an index of their own
        model.set_filter(lambda c: c.id % 3 != 0)
    next_id = 40
    for _ in range(300):
        if rng.random() < 0.5 and model.total_count() > 5:
            model.remove_tickets([rng.choice(model.ticket_ids() or [0])])
        else:
            minutes = rng.randrange(0, 60)
            ticket_id = rng.choice([next_id, rng.randrange(0, next_id)])
            next_id += ticket_id == next_id
            model.update_cards([card(id=ticket_id, key=f"TD-{ticket_id}",
                                     created_at=T0 + timedelta(minutes=minutes))])  # fmt: skip
        shown = model.ticket_ids()
        assert all(model.row_of(ticket_id) == row for row, ticket_id in enumerate(shown))
        assert model.row_of(-1) is None
    model.set_filter(None)
    ids = model.ticket_ids()
    assert len(ids) == len(set(ids)) == model.total_count()
    assert ids == [c.id for c in sorted((model.card_at(r) for r in range(len(ids))),
                                        key=model.order)]  # fmt: skip
