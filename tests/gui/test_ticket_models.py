"""The ticket table model, its filter proxy and the user list model, without a window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.models import Priority, TicketStatus
from app.views.item_models.ticket_filter_model import StatusChoice, TicketFilter, TicketFilterModel
from app.views.item_models.ticket_table_model import (
    SORT_ROLE,
    TICKET_ROLE,
    TicketColumn,
    TicketTableModel,
)
from app.views.item_models.user_list_model import USER_ROLE, UserListModel
from tests.factories import T0

NOW = T0 + timedelta(hours=3)


@pytest.fixture
def tickets(gui_desk):
    first = gui_desk.ticket(title="Printer jams on tray 2", requester="Paul Print")
    gui_desk.clock.advance(timedelta(minutes=30))
    second = gui_desk.ticket(title="Database is slow", category="Database", impact="high")
    gui_desk.tickets.take("lena", second.key, second.version)
    third = gui_desk.resolved_ticket(title="Forgot password", requester="Fiona F")
    return [gui_desk.tickets.get(t.key).ticket for t in (third, second, first)]


@pytest.fixture
def model(tickets):
    model = TicketTableModel(now=lambda: NOW)
    model.set_tickets(tickets, {"L1": 1, "L2": 2, "L3": 3, "Vendor": 4})
    return model


def test_table_model_passes_the_model_tester(qtmodeltester, model):
    qtmodeltester.check(model)


def test_empty_table_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(TicketTableModel())


def test_a_row_shows_the_ticket_in_words(model, tickets):
    row = model.row_of(tickets[1].key)
    assert row == 1

    def cell(column):
        return model.index(row, column).data()

    assert cell(TicketColumn.KEY) == tickets[1].key
    assert cell(TicketColumn.TITLE) == "Database is slow"
    assert cell(TicketColumn.TIER) == "L1"
    assert cell(TicketColumn.STATUS) == "Open"
    assert cell(TicketColumn.PRIORITY) == "P2"
    assert cell(TicketColumn.CATEGORY) == "Database"
    assert cell(TicketColumn.ASSIGNEE) == "Lena Lindqvist"
    assert cell(TicketColumn.UPDATED) == "2 h ago"
    assert model.index(row, TicketColumn.KEY).data(TICKET_ROLE) == tickets[1]
    assert model.headerData(TicketColumn.UPDATED, Qt.Orientation.Horizontal) == "Updated"


def test_p1_tickets_are_bold(gui_desk):
    urgent = gui_desk.ticket(impact="high", urgency="high")
    model = TicketTableModel()
    model.set_tickets([urgent])
    assert urgent.priority == Priority.P1
    assert model.index(0, TicketColumn.TITLE).data(Qt.ItemDataRole.FontRole).bold()


def test_keys_sort_by_number_not_by_text(model, tickets):
    proxy = TicketFilterModel()
    proxy.setSourceModel(model)
    proxy.set_ticket_filter(TicketFilter(status=StatusChoice.ALL))
    proxy.sort(TicketColumn.KEY, Qt.SortOrder.AscendingOrder)
    keys = [proxy.index(row, TicketColumn.KEY).data() for row in range(proxy.rowCount())]
    assert keys == sorted((t.key for t in tickets), key=lambda key: int(key.split("-")[1]))
    assert model.index(0, TicketColumn.KEY).data(SORT_ROLE) == tickets[0].id


def test_filter_proxy_passes_the_model_tester(qtmodeltester, model):
    proxy = TicketFilterModel()
    proxy.setSourceModel(model)
    proxy.set_ticket_filter(TicketFilter(text="database"))
    qtmodeltester.check(proxy)


@pytest.mark.parametrize(
    ("ticket_filter", "titles"),
    [
        (TicketFilter(), {"Printer jams on tray 2", "Database is slow"}),
        (
            TicketFilter(status=StatusChoice.ALL),
            {"Printer jams on tray 2", "Database is slow", "Forgot password"},
        ),
        (TicketFilter(status=TicketStatus.RESOLVED), {"Forgot password"}),
        (TicketFilter(assignee="lena"), {"Database is slow"}),
        (TicketFilter(tier="L2"), set()),
        (TicketFilter(text="paul"), {"Printer jams on tray 2"}),  # requester
        (TicketFilter(text="  SLOW  database "), {"Database is slow"}),  # every word, any case
    ],
)
def test_filter_shows_exactly_the_matching_rows(model, ticket_filter, titles):
    proxy = TicketFilterModel()
    proxy.setSourceModel(model)
    proxy.set_ticket_filter(ticket_filter)
    shown = {proxy.index(row, TicketColumn.TITLE).data() for row in range(proxy.rowCount())}
    assert shown == titles


def test_search_matches_the_key(model, tickets):
    number = tickets[2].key.split("-")[1]
    assert TicketFilter(text=number).accepts(tickets[2])
    assert not TicketFilter(text=number).accepts(tickets[1])


def test_user_list_model(qtmodeltester, gui_desk):
    users = gui_desk.desk.users()
    model = UserListModel(users)
    qtmodeltester.check(model)
    row = model.row_of("lena")
    assert row is not None
    index = model.index(row)
    assert index.data() == "Lena Lindqvist\nAgent · L1"
    assert index.data(USER_ROLE).login == "lena"
    sara = model.index(model.row_of("sara")).data()
    assert sara == "Sara Kowalski\nSupervisor · all tiers"
