"""The board's data: open tickets per tier in order, the Resolved column, tier clocks on cards,
and reloading single cards; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import ClockKind, Priority, TicketStatus
from app.services.board import BoardService, CardList, initials
from app.services.sla_policy import SlaPolicyService
from app.services.sla_timeline import clock_timelines
from tests.factories import T0, Desk


@pytest.fixture
def board(desk: Desk) -> BoardService:
    return BoardService(desk.database, desk.clock)


def test_an_empty_desk_has_empty_columns_in_ladder_order(board):
    snapshot = board.load()
    assert [tier.code for tier in snapshot.tiers] == ["L1", "L2", "L3", "Vendor"]
    assert {code: len(cards) for code, cards in snapshot.columns.items()} == {
        "L1": 0,
        "L2": 0,
        "L3": 0,
        "Vendor": 0,
    }
    assert snapshot.resolved == ()
    assert snapshot.loaded_at == T0


def test_open_tickets_sit_in_their_tier_by_priority_then_age(desk, board):
    old_p3 = desk.ticket(title="old P3", impact="low", urgency="low")
    desk.later()
    p1 = desk.ticket(title="P1", impact="high", urgency="high")
    desk.later()
    new_p3 = desk.ticket(title="new P3", impact="low", urgency="low")
    desk.later()
    at_l2 = desk.ticket("tom", title="at L2", category="Laptop", tier="L2")
    resolved = desk.resolved_ticket(title="done")

    snapshot = board.load()

    assert [card.key for card in snapshot.columns["L1"]] == [p1.key, old_p3.key, new_p3.key]
    assert [card.key for card in snapshot.columns["L2"]] == [at_l2.key]
    assert [card.key for card in snapshot.resolved] == [resolved.key]
    card = snapshot.columns["L1"][0]
    assert (card.priority, card.status, card.tier, card.category) == (
        Priority.P1,
        TicketStatus.NEW,
        "L1",
        "Password reset",
    )
    assert card.version == p1.version and card.created_at == p1.created_at
    assert card.has_clock is False  # no SLA policy on this desk


def test_a_card_names_its_assignee(desk, board):
    ticket = desk.ticket()
    desk.tickets.take("lena", ticket.key, ticket.version)
    card = board.load().columns["L1"][0]
    assert (card.assignee, card.assignee_name, card.assignee_initials) == (
        "lena",
        "Lena Lindqvist",
        "LL",
    )
    assert card.status == TicketStatus.OPEN


def test_the_resolved_column_keeps_recent_tickets_only_and_is_capped(desk):
    old = desk.resolved_ticket(title="long ago")
    desk.clock.advance(timedelta(days=8))
    recent = [desk.resolved_ticket(title=f"recent {n}") for n in range(3)]
    snapshot = BoardService(desk.database, desk.clock, resolved_cap=2).load()
    assert [card.key for card in snapshot.resolved] == [recent[2].key, recent[1].key]
    assert old.key not in {card.key for card in snapshot.resolved}
    everything = BoardService(desk.database, desk.clock, resolved_days=30).load()
    assert len(everything.resolved) == 4


def test_a_card_carries_its_running_tier_clock(desk, board):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    ticket = desk.ticket(impact="high", urgency="high")
    card = board.load().columns["L1"][0]
    [tier_clock] = [
        c for c in clock_timelines_of(desk, ticket.id) if c.kind == ClockKind.TIER and c.tier
    ]
    assert card.has_clock and not card.clock_paused and not card.clock_breached
    assert card.clock_due_at == tier_clock.due_at
    assert card.clock_started_at == T0
    assert card.clock_target_seconds == tier_clock.target_minutes * 60
    assert card.clock_warn_at is not None and T0 < card.clock_warn_at < card.clock_due_at


def test_a_waiting_ticket_shows_its_tier_clock_paused(desk, board):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    ticket = desk.ticket()
    ticket = desk.tickets.take("lena", ticket.key, ticket.version)
    desk.later(10)
    desk.tickets.change_status("lena", ticket.key, ticket.version, "waiting_on_customer")
    card = board.load().columns["L1"][0]
    assert card.clock_paused and card.clock_due_at is None
    assert card.clock_used_seconds == 600


def test_cards_reloads_just_the_tickets_asked_for_whatever_their_state(desk, board):
    first = desk.ticket(title="first")
    second = desk.ticket(title="second")
    moved = desk.tickets.escalate("lena", first.key, first.version)
    done = desk.tickets.resolve("lena", second.key, second.version, "fixed")

    cards = board.cards([moved.id, done.id, 999_999])

    assert [(card.key, card.tier, card.status, card.version) for card in cards] == [
        (moved.key, "L2", moved.status, moved.version),
        (done.key, "L1", TicketStatus.RESOLVED, done.version),
    ]
    assert cards[1].resolved_at == done.resolved_at
    assert board.cards([]) == []


def test_a_card_list_builds_cards_as_they_are_read(desk, board):
    for n in range(3):
        desk.ticket(title=f"ticket {n}")
    column = board.load().columns["L1"]
    assert isinstance(column, CardList)
    ids = column.ids()
    copy = column.copy()
    del copy[0]
    assert column.ids() == ids and copy.ids() == ids[1:]
    assert [card.id for card in column] == ids


def test_initials():
    assert initials("Lena Lindqvist") == "LL"
    assert initials("Ana María de la Cruz") == "AC"
    assert initials("cher") == "CH"
    assert initials(None) is None and initials("") is None


def clock_timelines_of(desk: Desk, ticket_id: int):
    with desk.database.read() as session:
        return clock_timelines(session, ticket_id, desk.clock.instant)
