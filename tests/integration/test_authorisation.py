"""Who may do what: agents act at the tiers they work, supervisors and admins anywhere (and may
jump tiers), managers change nothing; categories name the lowest tier that may resolve them;
closed tickets are read-only until reopened. Every refusal leaves the database as it was."""

import pytest
from sqlalchemy import update

from app.models import Role, TicketStatus, User
from app.services.errors import InvalidInput, NotAllowed
from app.services.tickets import NewTicket, TicketChanges
from tests.factories import database_snapshot


def refused(desk, error_type, action, *match):
    """Run ``action``; it must raise ``error_type`` whose message holds every ``match``, and
    write nothing at all."""
    before = database_snapshot(desk.database)
    with pytest.raises(error_type) as caught:
        action()
    for fragment in match:
        assert fragment in str(caught.value)
    assert database_snapshot(desk.database) == before
    return caught.value


# ------------------------------------------------------------------ agents and their tiers
@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("take", lambda t, key: t.take("lena", key, 1)),
        ("edit", lambda t, key: t.edit("lena", key, 1, TicketChanges(title="mine now"))),
        ("comment", lambda t, key: t.comment("lena", key, "me too")),
        ("status", lambda t, key: t.change_status("lena", key, 1, "in_progress")),
        ("resolve", lambda t, key: t.resolve("lena", key, 1, "fixed")),
        ("escalate", lambda t, key: t.escalate("lena", key, 1)),
        ("hand back", lambda t, key: t.hand_back("lena", key, 1, "wrong queue")),
        ("assign", lambda t, key: t.assign("lena", key, 1, "tom")),
    ],
)
def test_agent_cannot_act_on_a_ticket_at_a_tier_they_do_not_work(desk, name, call):
    ticket = desk.ticket("tom", category="Laptop", tier="L2")
    refused(
        desk,
        NotAllowed,
        lambda: call(desk.tickets, ticket.key),
        "lena works L1, so cannot",
        ticket.key,
        "L2",
    )


def test_any_agent_may_log_a_ticket_into_the_entry_tier(desk):
    logged = desk.ticket("ines")  # works L3 only
    assert (logged.tier, logged.status.value) == ("L1", "new")


def test_agent_cannot_open_a_ticket_at_a_higher_tier_they_do_not_work(desk):
    refused(
        desk,
        NotAllowed,
        lambda: desk.ticket("lena", tier="L3"),
        "lena works L1, so cannot open a ticket at L3",
    )


def test_agent_of_the_tier_can_act_and_agents_of_several_tiers_act_on_each(desk):
    desk.desk.add_user("nina", "Nina Novak", Role.AGENT, ["L1", "L2"])
    low = desk.ticket("nina")
    high = desk.ticket("nina", category="Laptop", tier="L2")
    assert desk.tickets.take("nina", low.key, 1).assignee == "nina"
    assert desk.tickets.take("nina", high.key, 1).assignee == "nina"


def test_agent_loses_the_ticket_once_it_leaves_their_tier(desk):
    ticket = desk.ticket(category="Laptop")
    moved = desk.tickets.escalate("lena", ticket.key, 1)
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.comment("lena", ticket.key, "any news?"),
        "lena works L1",
    )
    assert desk.tickets.take("tom", ticket.key, moved.version).assignee == "tom"


@pytest.mark.parametrize("boss", ["sara", "ada"])
def test_supervisors_and_admins_act_at_any_tier(desk, boss):
    ticket = desk.ticket("ines", category="Database", tier="L3")
    taken = desk.tickets.take(boss, ticket.key, 1)
    resolved = desk.tickets.resolve(boss, ticket.key, taken.version, "Restarted the replica")
    assert (resolved.assignee, resolved.status) == (boss, TicketStatus.RESOLVED)


def test_disabled_user_may_do_nothing(desk):
    ticket = desk.ticket()
    with desk.database.write() as session:
        session.execute(update(User).where(User.login == "omar").values(active=False))
    refused(desk, NotAllowed, lambda: desk.tickets.take("omar", ticket.key, 1), "omar is disabled")
    refused(desk, NotAllowed, lambda: desk.ticket("omar"), "omar is disabled")
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.assign("lena", ticket.key, 1, "omar"),
        "assignee: omar is disabled",
    )


# ------------------------------------------------------------------------------- managers
@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("take", lambda t, key: t.take("max", key, 1)),
        ("edit", lambda t, key: t.edit("max", key, 1, TicketChanges(priority="P1"))),
        ("comment", lambda t, key: t.comment("max", key, "status?")),
        ("resolve", lambda t, key: t.resolve("max", key, 1, "done")),
        ("move", lambda t, key: t.move("max", key, 1, "L2")),
        ("assign", lambda t, key: t.assign("max", key, 1, "lena")),
        ("reopen", lambda t, key: t.reopen("max", key, 1)),
    ],
)
def test_managers_change_nothing(desk, name, call):
    ticket = desk.ticket()
    refused(
        desk,
        NotAllowed,
        lambda: call(desk.tickets, ticket.key),
        "max is a manager: managers read tickets, not change them",
    )


def test_managers_open_no_tickets(desk):
    new = NewTicket("Report request", "Board", "Printer")
    refused(desk, NotAllowed, lambda: desk.tickets.create("max", new), "max is a manager")


def test_managers_cannot_be_given_tickets(desk):
    ticket = desk.ticket()
    error = refused(
        desk,
        InvalidInput,
        lambda: desk.tickets.assign("lena", ticket.key, 1, "max"),
        "max is a manager and works no tickets",
    )
    assert error.field == "assignee"


def test_assignee_must_work_the_tier(desk):
    ticket = desk.ticket()
    error = refused(
        desk,
        InvalidInput,
        lambda: desk.tickets.assign("lena", ticket.key, 1, "tom"),
        f"tom does not work L1, where {ticket.key} is",
    )
    assert error.field == "assignee"


# ---------------------------------------------------------------- resolving by category
def test_ticket_cannot_be_resolved_below_its_categorys_tier(desk):
    ticket = desk.ticket(category="Database")  # L3 and above may resolve it
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.resolve("lena", ticket.key, 1, "rebooted"),
        f"{ticket.key} is at L1, but 'Database' tickets may only be resolved at L3 or above",
        "escalate it first",
    )
    at_l2 = desk.tickets.escalate("lena", ticket.key, 1)
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.resolve("tom", ticket.key, at_l2.version, "rebooted"),
        "at L2",
        "L3 or above",
    )
    at_l3 = desk.tickets.escalate("tom", ticket.key, at_l2.version)
    done = desk.tickets.resolve("ines", ticket.key, at_l3.version, "Rebuilt the index")
    assert done.status == TicketStatus.RESOLVED


def test_supervisor_too_cannot_resolve_below_the_categorys_tier(desk):
    ticket = desk.ticket(category="Laptop")
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.resolve("sara", ticket.key, 1, "swapped it"),
        "may only be resolved at L2 or above",
    )


def test_ticket_can_be_resolved_above_its_categorys_tier(desk):
    ticket = desk.ticket(category="Laptop")
    at_vendor = desk.tickets.move("sara", ticket.key, 1, "Vendor")
    done = desk.tickets.resolve("vic", ticket.key, at_vendor.version, "Replaced under warranty")
    assert (done.tier, done.status) == ("Vendor", TicketStatus.RESOLVED)


def test_category_change_moves_the_bar_for_resolving(desk):
    ticket = desk.ticket(category="Printer")
    edited = desk.tickets.edit("lena", ticket.key, 1, TicketChanges(category="Laptop"))
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.resolve("lena", ticket.key, edited.version, "cleaned it"),
        "'Laptop' tickets may only be resolved at L2",
    )


# --------------------------------------------------------------------- jumps and hand-backs
def test_agents_may_not_jump_tiers(desk):
    ticket = desk.ticket(category="Database")
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.move("lena", ticket.key, 1, "L3"),
        f"moving {ticket.key} from L1 to L3 skips tiers; only supervisors may jump tiers",
    )


def test_agents_may_not_jump_down_either(desk):
    ticket = desk.ticket("sara", category="Database", tier="Vendor")
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.move("vic", ticket.key, 1, "L2", note="not ours"),
        "skips tiers",
    )


@pytest.mark.parametrize("boss", ["sara", "ada"])
def test_supervisors_and_admins_may_jump(desk, boss):
    ticket = desk.ticket(category="Database")
    assert desk.tickets.move(boss, ticket.key, 1, "L3").tier == "L3"


def test_hand_back_needs_a_reason_even_from_a_supervisor(desk):
    ticket = desk.ticket("sara", category="Database", tier="L3")
    for actor, target in (("ines", "L2"), ("sara", "L1")):
        error = refused(
            desk,
            InvalidInput,
            lambda actor=actor, target=target: desk.tickets.move(actor, ticket.key, 1, target),
            f"handing {ticket.key} back to {target} needs a reason",
        )
        assert error.field == "note"
    for blank in (None, "", "   "):
        refused(
            desk,
            InvalidInput,
            lambda blank=blank: desk.tickets.hand_back("ines", ticket.key, 1, blank),
            "needs a reason",
        )


def test_escalating_needs_no_reason(desk):
    ticket = desk.ticket()
    assert desk.tickets.escalate("lena", ticket.key, 1).tier == "L2"


# ---------------------------------------------------------------- closed means read-only
@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("edit", lambda t, key, v: t.edit("lena", key, v, TicketChanges(title="again"))),
        ("comment", lambda t, key, v: t.comment("lena", key, "one more thing")),
        ("take", lambda t, key, v: t.take("omar", key, v)),
        ("status", lambda t, key, v: t.change_status("lena", key, v, "open")),
        ("escalate", lambda t, key, v: t.escalate("lena", key, v)),
        ("resolve", lambda t, key, v: t.resolve("lena", key, v, "again")),
        ("close", lambda t, key, v: t.close("lena", key, v)),
    ],
)
def test_closed_ticket_is_read_only(desk, name, call):
    closed = desk.closed_ticket()
    refused(
        desk,
        NotAllowed,
        lambda: call(desk.tickets, closed.key, closed.version),
        f"{closed.key} is closed and read-only; reopen it to change it",
    )


def test_closed_ticket_is_read_only_for_supervisors_too(desk):
    closed = desk.closed_ticket()
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.move("sara", closed.key, closed.version, "L3"),
        "closed and read-only",
    )


def test_reopened_ticket_can_be_changed_again(desk):
    closed = desk.closed_ticket()
    reopened = desk.tickets.reopen("lena", closed.key, closed.version, "Still broken")
    edited = desk.tickets.edit(
        "lena", closed.key, reopened.version, TicketChanges(title="Still cannot log in")
    )
    assert (edited.title, edited.status) == ("Still cannot log in", TicketStatus.OPEN)


def test_reopening_needs_the_tier_too(desk):
    closed = desk.closed_ticket()
    refused(
        desk,
        NotAllowed,
        lambda: desk.tickets.reopen("tom", closed.key, closed.version),
        "tom works L2",
    )
