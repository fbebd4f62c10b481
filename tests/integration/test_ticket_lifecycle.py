"""A ticket's life through the ticket service, on a real SQLite file and on PostgreSQL."""

from datetime import UTC, datetime, timedelta

from app.models import EventKind, Level, MoveReason, Priority, TicketStatus
from app.services.configuration import ConfigurationService
from app.services.configuration.edits import retire_tier
from app.services.tickets import NewTicket, TicketChanges, TicketService
from tests.factories import T0, history_mismatches


def test_new_ticket_starts_unassigned_at_the_lowest_tier(desk):
    ticket = desk.ticket(
        title="  Cannot log in  ",
        requester="Carla Customer",
        description="Since this morning",
        impact="high",
        urgency="medium",
    )
    assert ticket.key == "TD-1001"
    assert (ticket.title, ticket.requester, ticket.description) == (
        "Cannot log in",
        "Carla Customer",
        "Since this morning",
    )
    assert (ticket.tier, ticket.status, ticket.assignee) == ("L1", TicketStatus.NEW, None)
    assert (ticket.impact, ticket.urgency) == (Level.HIGH, Level.MEDIUM)
    assert (ticket.priority, ticket.priority_overridden) == (Priority.P2, False)
    assert (ticket.created_at, ticket.updated_at) == (T0, T0)
    assert (ticket.version, ticket.reopen_count) == (1, 0)
    assert (ticket.resolved_at, ticket.closed_at) == (None, None)


def test_creation_is_recorded_in_history(desk):
    ticket = desk.ticket()
    [event] = desk.tickets.get(ticket.key).events
    assert (event.kind, event.actor, event.to_tier, event.ticket_version) == (
        EventKind.CREATED,
        "lena",
        "L1",
        1,
    )


def test_keys_are_consecutive(desk):
    keys = [desk.ticket(title=f"Ticket {n}").key for n in range(3)]
    assert keys == ["TD-1001", "TD-1002", "TD-1003"]


def test_priority_given_at_creation_overrides_the_matrix(desk):
    ticket = desk.ticket(impact="low", urgency="low", priority="p1")
    assert (ticket.priority, ticket.priority_overridden) == (Priority.P1, True)


def test_ticket_can_open_at_a_higher_tier_its_creator_works(desk):
    ticket = desk.ticket("tom", category="Laptop", tier="l2")
    assert ticket.tier == "L2"


def test_taking_assigns_and_opens(desk):
    ticket = desk.ticket()
    desk.later()
    taken = desk.tickets.take("omar", ticket.key, ticket.version)
    assert (taken.assignee, taken.assignee_name) == ("omar", "Omar Haddad")
    assert (taken.status, taken.version) == (TicketStatus.OPEN, 2)
    assert taken.updated_at == T0 + timedelta(minutes=5)
    assert taken.created_at == T0


def test_working_statuses(desk):
    ticket = desk.tickets.take("lena", desk.ticket().key, 1)
    for status in ("in_progress", "waiting on customer", "waiting-on-vendor", "open"):
        ticket = desk.tickets.change_status("lena", ticket.key, ticket.version, status)
    assert ticket.status == TicketStatus.OPEN
    assert ticket.version == 6
    kinds = [event.kind for event in desk.tickets.get(ticket.key).events]
    assert kinds.count(EventKind.STATUS_CHANGED) == 5  # new→open by taking, then four


def test_resolve_close_and_reopen(desk):
    ticket = desk.ticket()
    desk.later(10)
    resolved = desk.tickets.resolve("lena", ticket.key, 1, "Reset the password")
    assert resolved.status == TicketStatus.RESOLVED
    assert resolved.resolved_at == T0 + timedelta(minutes=10)
    desk.later(10)
    closed = desk.tickets.close("omar", ticket.key, resolved.version)
    assert closed.status == TicketStatus.CLOSED
    assert closed.closed_at == T0 + timedelta(minutes=20)
    assert closed.resolved_at == T0 + timedelta(minutes=10)
    desk.later(10)
    reopened = desk.tickets.reopen("lena", ticket.key, closed.version, "Locked out again")
    assert reopened.status == TicketStatus.OPEN
    assert (reopened.resolved_at, reopened.closed_at, reopened.reopen_count) == (None, None, 1)
    events = desk.tickets.get(ticket.key).events
    assert events[-1].kind == EventKind.REOPENED
    assert (events[-1].old_value, events[-1].note) == ("closed", "Locked out again")
    resolution = next(e for e in events if e.new_value == "resolved")
    assert resolution.note == "Reset the password"


def test_resolved_ticket_can_be_reopened_without_closing(desk):
    resolved = desk.resolved_ticket()
    reopened = desk.tickets.reopen("lena", resolved.key, resolved.version)
    assert (reopened.status, reopened.reopen_count) == (TicketStatus.OPEN, 1)


def test_a_ticket_reopened_after_its_tier_was_retired_goes_back_to_the_entry_tier(desk):
    ticket = desk.ticket("vic", tier="Vendor")
    resolved = desk.tickets.resolve("vic", ticket.key, ticket.version, "Firmware replaced")
    configuration = ConfigurationService(desk.database, desk.clock)
    read = configuration.load()
    configuration.save("sara", read, retire_tier(read, "Vendor"))
    reopened = desk.tickets.reopen("sara", ticket.key, resolved.version, "Broken again")
    assert (reopened.status, reopened.tier) == (TicketStatus.OPEN, "L1")
    moved = desk.tickets.get(ticket.key).events[-1]
    assert (moved.kind, moved.from_tier, moved.to_tier) == (EventKind.TIER_CHANGED, "Vendor", "L1")
    assert history_mismatches(desk.database) == []


def test_escalating_moves_up_one_tier_and_returns_it_to_the_queue(desk):
    ticket = desk.tickets.take("lena", desk.ticket(category="Laptop").key, 1)
    moved = desk.tickets.escalate("lena", ticket.key, ticket.version, "Needs a new disk")
    assert (moved.tier, moved.assignee, moved.version) == ("L2", None, 3)
    *_, tier_event, unassigned = desk.tickets.get(ticket.key).events
    assert (tier_event.kind, tier_event.from_tier, tier_event.to_tier) == (
        EventKind.TIER_CHANGED,
        "L1",
        "L2",
    )
    assert (tier_event.reason, tier_event.note, tier_event.actor) == (
        MoveReason.MANUAL,
        "Needs a new disk",
        "lena",
    )
    assert (unassigned.kind, unassigned.old_value, unassigned.new_value) == (
        EventKind.ASSIGNED,
        "lena",
        None,
    )
    assert tier_event.ticket_version == unassigned.ticket_version == 3


def test_handing_back_moves_down_one_tier_with_its_reason(desk):
    ticket = desk.ticket(category="Laptop")
    up = desk.tickets.escalate("lena", ticket.key, 1)
    back = desk.tickets.hand_back("tom", ticket.key, up.version, "Only needs a password reset")
    assert back.tier == "L1"
    assert desk.tickets.get(ticket.key).events[-1].note == "Only needs a password reset"


def test_move_to_a_named_tier(desk):
    ticket = desk.ticket()
    moved = desk.tickets.move("lena", ticket.key, 1, "Desktop & apps")  # by name, too
    assert moved.tier == "L2"


def test_supervisor_jumps_tiers(desk):
    ticket = desk.ticket(category="Database")
    jumped = desk.tickets.move("sara", ticket.key, 1, "Vendor")
    assert jumped.tier == "Vendor"
    back = desk.tickets.move("ada", ticket.key, jumped.version, "L1", note="Vendor says: L1 issue")
    assert back.tier == "L1"


def test_assign_to_someone_else_and_unassign(desk):
    ticket = desk.ticket()
    assigned = desk.tickets.assign("lena", ticket.key, 1, "omar")
    assert (assigned.assignee, assigned.status) == ("omar", TicketStatus.OPEN)
    unassigned = desk.tickets.assign("lena", ticket.key, assigned.version, None)
    assert unassigned.assignee is None
    assert unassigned.status == TicketStatus.OPEN  # unassigning does not reopen a queue


def test_supervisor_can_be_assigned_at_any_tier(desk):
    ticket = desk.ticket(category="Database")
    assert desk.tickets.assign("lena", ticket.key, 1, "sara").assignee == "sara"


def test_edit_changes_fields_and_rederives_priority(desk):
    ticket = desk.ticket(impact="medium", urgency="medium")
    assert ticket.priority == Priority.P3
    edited = desk.tickets.edit(
        "lena",
        ticket.key,
        1,
        TicketChanges(title="VPN down", requester="Dan", category="printer", impact="high"),
    )
    assert (edited.title, edited.requester, edited.category) == ("VPN down", "Dan", "Printer")
    assert (edited.impact, edited.priority, edited.priority_overridden) == (
        Level.HIGH,
        Priority.P2,
        False,
    )
    assert edited.version == 2
    changed = [(e.kind, e.field) for e in desk.tickets.get(ticket.key).events[1:]]
    assert changed == [
        (EventKind.EDITED, "title"),
        (EventKind.EDITED, "requester"),
        (EventKind.EDITED, "category_id"),
        (EventKind.EDITED, "impact"),
        (EventKind.PRIORITY_CHANGED, "priority"),
    ]


def test_overridden_priority_stays_until_returned_to_the_matrix(desk):
    ticket = desk.ticket(impact="low", urgency="low")
    key = ticket.key
    overridden = desk.tickets.edit("lena", key, 1, TicketChanges(priority="P1"))
    assert (overridden.priority, overridden.priority_overridden) == (Priority.P1, True)
    still = desk.tickets.edit("lena", key, 2, TicketChanges(impact="medium"))
    assert (still.priority, still.priority_overridden) == (Priority.P1, True)
    derived = desk.tickets.edit("lena", key, 3, TicketChanges(priority_from_matrix=True))
    assert (derived.priority, derived.priority_overridden) == (Priority.P4, False)


def test_comments_are_kept_in_order_with_their_authors(desk):
    ticket = desk.ticket()
    desk.tickets.comment("lena", ticket.key, "Asked for the employee number")
    desk.later()
    after = desk.tickets.comment("omar", ticket.key, "  Called back  ", expected_version=2)
    assert after.version == 3
    detail = desk.tickets.get(ticket.key)
    assert [(c.author, c.body) for c in detail.comments] == [
        ("lena", "Asked for the employee number"),
        ("omar", "Called back"),
    ]
    assert detail.comments[1].created_at == T0 + timedelta(minutes=5)
    assert [e.kind for e in detail.events[1:]] == [EventKind.COMMENTED] * 2


def test_resolved_ticket_still_takes_comments(desk):
    resolved = desk.resolved_ticket()
    after = desk.tickets.comment("lena", resolved.key, "User confirmed it works")
    assert after.status == TicketStatus.RESOLVED


def test_list_filters_by_tier_and_status_newest_first(desk):
    first = desk.ticket(title="first")
    second = desk.ticket(title="second", category="Laptop")
    third = desk.ticket(title="third")
    desk.tickets.escalate("lena", second.key, 1)
    desk.tickets.resolve("lena", third.key, 1, "done")
    assert [t.key for t in desk.tickets.list()] == [third.key, second.key, first.key]
    assert [t.key for t in desk.tickets.list(tier="L1")] == [third.key, first.key]
    assert [t.key for t in desk.tickets.list(tier="L2")] == [second.key]
    assert [t.key for t in desk.tickets.list(status="resolved")] == [third.key]
    assert [t.key for t in desk.tickets.list(tier="L1", status="new")] == [first.key]
    assert [t.key for t in desk.tickets.list(limit=2)] == [third.key, second.key]


def test_get_accepts_a_key_with_stray_spaces(desk):
    ticket = desk.ticket()
    assert desk.tickets.get(f"  {ticket.key} ").ticket.id == ticket.id


def test_without_a_test_clock_times_come_from_the_database_in_utc(desk):
    service = TicketService(desk.database)  # the database server's clock: here, this machine
    before = datetime.now(UTC)
    ticket = service.create("lena", NewTicket("Clock", "Carla Customer", "Printer"))
    changed = service.take("lena", ticket.key, ticket.version)
    after = datetime.now(UTC)
    assert ticket.created_at.utcoffset() == timedelta(0)
    slack = timedelta(seconds=5)
    assert before - slack <= ticket.created_at <= changed.updated_at <= after + slack
