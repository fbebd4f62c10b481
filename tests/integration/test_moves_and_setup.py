"""Tier moves put the ticket in the new tier's queue; a desk started empty gets a usable set-up;
versions and keys are read the way people type them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.models import Role, TicketStatus
from app.services.desk import DeskService
from app.services.errors import InvalidInput, NotAllowed
from app.services.tickets import TicketChanges


def test_a_tier_move_unassigns_and_puts_work_in_progress_back_to_open(desk):
    ticket = desk.ticket()
    ticket = desk.tickets.take("lena", ticket.key, ticket.version)
    ticket = desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")
    moved = desk.tickets.escalate("lena", ticket.key, ticket.version)
    assert (moved.tier, moved.assignee, moved.status) == ("L2", None, TicketStatus.OPEN)
    kinds = [
        e.kind.value
        for e in desk.tickets.get(ticket.key).events
        if e.ticket_version == moved.version
    ]
    assert kinds == ["tier_changed", "assigned", "status_changed"]


def test_a_tier_move_keeps_a_waiting_status(desk):
    ticket = desk.ticket()
    ticket = desk.tickets.change_status("lena", ticket.key, ticket.version, "waiting_on_customer")
    moved = desk.tickets.escalate("lena", ticket.key, ticket.version)
    assert moved.status == TicketStatus.WAITING_ON_CUSTOMER


def test_a_version_from_the_future_is_refused_as_input_not_as_a_conflict(desk):
    ticket = desk.ticket()
    with pytest.raises(InvalidInput, match="never been at version 7; it is at version 1"):
        desk.tickets.escalate("lena", ticket.key, 7)
    assert desk.tickets.get(ticket.key).ticket.tier == "L1"


def test_keys_are_trimmed_on_writes_as_on_reads(desk):
    ticket = desk.ticket()
    taken = desk.tickets.take("lena", f"  {ticket.key} ", ticket.version)
    assert taken.assignee == "lena"


def test_an_empty_desk_gets_the_ladder_starter_categories_and_an_admin(database):
    desk = DeskService(database)
    assert desk.is_empty()
    assert desk.create_starter_desk("jdoe", "Jane Doe") is True
    assert [tier.code for tier in desk.tiers()] == ["L1", "L2", "L3", "Vendor"]
    assert {c.min_tier for c in desk.categories()} == {"L1", "L2", "L3"}
    (admin,) = desk.users()
    assert (admin.login, admin.display_name, admin.role) == ("jdoe", "Jane Doe", Role.ADMIN)
    assert not desk.is_empty()


def test_a_second_starter_set_up_changes_nothing(database):
    desk = DeskService(database)
    desk.create_starter_desk("first")
    assert desk.create_starter_desk("second") is False
    assert [user.login for user in desk.users()] == ["first"]
    assert len(desk.tiers()) == 4


@pytest.mark.parametrize("login", ["", "jane doe"])
def test_a_starter_admin_login_that_is_not_one_word_is_refused_and_nothing_is_written(
    database, login
):
    desk = DeskService(database)
    with pytest.raises(InvalidInput, match="one word without spaces"):
        desk.create_starter_desk(login, "Jane")
    assert desk.is_empty()


def test_a_resolved_ticket_is_not_assigned_until_reopened(desk):
    resolved = desk.resolved_ticket()
    with pytest.raises(NotAllowed, match="is resolved; reopen it to assign it"):
        desk.tickets.take("lena", resolved.key, resolved.version)
    assert desk.tickets.get(resolved.key).ticket == resolved


def test_a_resolved_ticket_cannot_be_recategorised_above_the_tier_that_resolved_it(desk):
    resolved = desk.resolved_ticket()  # "Password reset", resolved at L1
    with pytest.raises(NotAllowed, match="'Database' tickets may only be resolved at L3"):
        desk.tickets.edit(
            "lena", resolved.key, resolved.version, TicketChanges(category="Database")
        )
    recategorised = desk.tickets.edit(
        "lena", resolved.key, resolved.version, TicketChanges(category="Printer")
    )
    assert recategorised.category == "Printer"


def test_history_stays_in_order_when_the_clock_is_set_back(desk):
    ticket = desk.ticket()
    desk.clock.advance(timedelta(minutes=-30))  # e.g. the machine's clock corrected backwards
    taken = desk.tickets.take("lena", ticket.key, ticket.version)
    times = [event.at for event in desk.tickets.get(ticket.key).events]
    assert times == sorted(times)
    assert taken.updated_at == ticket.updated_at
