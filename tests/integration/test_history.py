"""History is the truth: replaying a ticket's events from its ``created`` snapshot gives exactly
its stored row, after a scripted life and after any sequence of valid and invalid operations."""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, update

from app.models import Role, Ticket, TicketEvent, TicketStatus
from app.services.database import open_database
from app.services.errors import ConflictError, InvalidInput, TierDeskError
from app.services.history import replay, state_of
from app.services.tickets import NewTicket, TicketChanges
from tests.factories import (
    STANDARD_CATEGORIES,
    STANDARD_PEOPLE,
    T0,
    history_mismatches,
    make_desk,
)


def test_scripted_mixed_life_replays_to_the_stored_ticket(desk):
    t = desk.tickets
    key = desk.ticket("lena", category="Database", impact="low", urgency="medium").key
    steps = [
        lambda v: t.take("omar", key, v),
        lambda v: t.edit("omar", key, v, TicketChanges(title="DB slow", impact="high")),
        lambda v: t.edit("omar", key, v, TicketChanges(priority="P1", description="Reports")),
        lambda v: t.change_status("omar", key, v, "in_progress"),
        lambda v: t.escalate("omar", key, v, "Needs L2 tools"),
        lambda v: t.take("tom", key, v),
        lambda v: t.hand_back("tom", key, v, "Please collect the logs first"),
        lambda v: t.assign("lena", key, v, "omar"),
        lambda v: t.move("sara", key, v, "L3", "Jumping: outage"),
        lambda v: t.take("ines", key, v),
        lambda v: t.comment("ines", key, "Index rebuilt overnight", v),
        lambda v: t.edit("ines", key, v, TicketChanges(priority_from_matrix=True)),
        lambda v: t.resolve("ines", key, v, "Rebuilt the index"),
        lambda v: t.close("ines", key, v),
        lambda v: t.reopen("ines", key, v, "Slow again on Monday"),
        lambda v: t.edit("ines", key, v, TicketChanges(category="Laptop", requester="Dan")),
        lambda v: t.resolve("ines", key, v, "Disk was full"),
    ]
    version = 1
    for step in steps:
        desk.later(7)
        version = step(version).version
    assert version == 1 + len(steps)
    assert history_mismatches(desk.database) == []

    detail = t.get(key)
    final = detail.ticket
    assert (final.status, final.tier, final.assignee, final.reopen_count) == (
        TicketStatus.RESOLVED,
        "L3",
        "ines",
        1,
    )
    assert final.updated_at == final.resolved_at == T0 + timedelta(minutes=7 * len(steps))
    assert final.closed_at is None
    moves = [(e.from_tier, e.to_tier, e.actor) for e in detail.events if e.to_tier and e.from_tier]
    assert moves == [("L1", "L2", "omar"), ("L2", "L1", "tom"), ("L1", "L3", "sara")]


def test_replay_of_every_ticket_matches_its_row(desk):
    keys = [desk.ticket(title=f"t{n}").key for n in range(3)]
    desk.tickets.take("lena", keys[0], 1)
    desk.tickets.resolve("lena", keys[1], 1, "done")
    with desk.database.read() as session:
        for ticket in session.scalars(select(Ticket)).all():
            events = sorted(ticket_events(session, ticket.id), key=lambda e: e.id)
            assert replay(events) == state_of(ticket)


def ticket_events(session, ticket_id):
    return session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)).all()


@pytest.mark.parametrize(
    ("column", "value"),
    [("title", "tampered"), ("status", TicketStatus.CLOSED), ("version", 9), ("reopen_count", 3)],
)
def test_a_row_changed_behind_historys_back_is_reported(desk, column, value):
    honest = desk.ticket(title="honest")
    tampered = desk.ticket(title="other")
    with desk.database.write() as session:
        session.execute(update(Ticket).where(Ticket.id == tampered.id).values({column: value}))
    [mismatch] = history_mismatches(desk.database)
    assert mismatch.key == tampered.key != honest.key
    assert list(mismatch.differences) == [column]
    stored, _replayed = mismatch.differences[column]
    assert stored == str(value)


# ------------------------------------------------------------------- random operations
ACTORS = tuple(STANDARD_PEOPLE)
TIER_ORDER = ("L1", "L2", "L3", "Vendor")
TIERS_WORKED = {login: tiers for login, (_, _, tiers) in STANDARD_PEOPLE.items()}
ROLES = {login: role for login, (_, role, _) in STANDARD_PEOPLE.items()}
TEXTS = (None, "", "   ", "Because the user asked", "x" * 2_001)
CHANGES = (
    TicketChanges(title="Renamed"),
    TicketChanges(title=""),
    TicketChanges(title="y" * 201),
    TicketChanges(description="More detail", requester="Dan Requester"),
    TicketChanges(category="Laptop"),
    TicketChanges(category="Database"),
    TicketChanges(category="No such category"),
    TicketChanges(impact="high", urgency="low"),
    TicketChanges(urgency="extreme"),
    TicketChanges(priority="P1"),
    TicketChanges(priority="P9"),
    TicketChanges(priority_from_matrix=True),
    TicketChanges(),
)
OPERATIONS = (
    "take",
    "assign",
    "status",
    "resolve",
    "close",
    "reopen",
    "comment",
    "move",
    "escalate",
    "hand_back",
    "edit",
)


def may_work(actor, tier):
    return ROLES[actor] in (Role.SUPERVISOR, Role.ADMIN) or tier in TIERS_WORKED[actor]


class TicketLives(RuleBasedStateMachine):
    """Random people try random operations on random tickets. After each try: a refused one
    changed nothing, an accepted one obeyed the desk's rules and added one version, and every
    ticket's row equals the replay of its history."""

    def __init__(self, folder, accepted):
        super().__init__()
        self.database = open_database(f"sqlite:///{folder / f'walk-{uuid.uuid4().hex}.db'}")
        self.desk = make_desk(self.database)
        self.accepted = accepted
        self.keys = []

    def teardown(self):
        self.database.close()

    @initialize(
        categories=st.lists(st.sampled_from(sorted(STANDARD_CATEGORIES)), min_size=2, max_size=2),
        tier=st.sampled_from(TIER_ORDER),
    )
    def open_tickets(self, categories, tier):
        """Two tickets: one a supervisor opened at any tier, one an agent opened at L1."""
        first = NewTicket("Random", "Rita Requester", categories[0], tier=tier)
        self.keys.append(self.desk.tickets.create("sara", first).key)
        self.keys.append(self.desk.ticket("omar", category=categories[1]).key)

    @rule(
        data=st.data(),
        operation=st.sampled_from(OPERATIONS),
        tier=st.sampled_from((*TIER_ORDER, "L9")),
        status=st.sampled_from([s.value for s in TicketStatus]),
        other=st.sampled_from((*ACTORS, None)),
        text=st.just("Because the user asked") | st.sampled_from(TEXTS),
        changes=st.sampled_from(CHANGES),
        stale=st.sampled_from((False, False, False, True)),
    )
    def act(self, data, operation, tier, status, other, text, changes, stale):
        key = data.draw(st.sampled_from(self.keys), label="key")
        before = self.desk.tickets.get(key)
        # Half the time someone who may work the ticket acts, so that changes do happen.
        workers = [a for a in ACTORS if may_work(a, before.ticket.tier)]
        actor = data.draw(st.sampled_from(workers) | st.sampled_from(ACTORS), label="actor")
        version = before.ticket.version
        if stale:
            version = version - 1 if version > 1 else version + 1
        t = self.desk.tickets
        calls = {
            "take": lambda: t.take(actor, key, version),
            "assign": lambda: t.assign(actor, key, version, other),
            "status": lambda: t.change_status(actor, key, version, status),
            "resolve": lambda: t.resolve(actor, key, version, text),
            "close": lambda: t.close(actor, key, version),
            "reopen": lambda: t.reopen(actor, key, version, text),
            "comment": lambda: t.comment(actor, key, text, version),
            "move": lambda: t.move(actor, key, version, tier, text),
            "escalate": lambda: t.escalate(actor, key, version, text),
            "hand_back": lambda: t.hand_back(actor, key, version, text),
            "edit": lambda: t.edit(actor, key, version, changes),
        }
        self.desk.clock.advance(timedelta(minutes=1))
        try:
            calls[operation]()
        except TierDeskError as error:
            assert self.desk.tickets.get(key) == before, f"refused {operation} wrote something"
            if stale:
                assert isinstance(error, ConflictError | InvalidInput), error
            return
        self.accepted[operation] += 1
        after = self.desk.tickets.get(key)
        self.check_accepted(operation, actor, before, after, text, stale)

    def check_accepted(self, operation, actor, before, after, text, stale):
        old, new = before.ticket, after.ticket
        assert not stale, f"{operation} with a stale version was accepted"
        assert new.version == old.version + 1
        added = after.events[len(before.events) :]
        assert after.events[: len(before.events)] == before.events, "history was rewritten"
        assert added and {e.ticket_version for e in added} == {new.version}
        assert {e.actor for e in added} == {actor}
        role = ROLES[actor]
        assert role != Role.MANAGER
        if role == Role.AGENT:
            assert old.tier in TIERS_WORKED[actor]
        if old.status == TicketStatus.CLOSED:
            assert operation == "reopen"
        if new.status == TicketStatus.RESOLVED and old.status != TicketStatus.RESOLVED:
            lowest = STANDARD_CATEGORIES[new.category]
            assert TIER_ORDER.index(new.tier) >= TIER_ORDER.index(lowest)
        steps = TIER_ORDER.index(new.tier) - TIER_ORDER.index(old.tier)
        if abs(steps) > 1:
            assert role in (Role.SUPERVISOR, Role.ADMIN)
        if steps < 0:
            assert text and text.strip()
        if steps:
            assert new.assignee is None
            assert not old.status.is_finished

    @invariant()
    def every_ticket_agrees_with_its_history(self):
        assert history_mismatches(self.desk.database) == []


def test_random_operations_keep_every_ticket_equal_to_its_history(tmp_path):
    """Each example walks on a new SQLite file (quick); the rules are the same on PostgreSQL."""
    accepted = Counter()
    run_state_machine_as_test(
        lambda: TicketLives(tmp_path, accepted),
        settings=settings(max_examples=25, stateful_step_count=15, deadline=None),
    )
    # The walk did exercise the operations, not only their refusals.
    assert len(accepted) >= 5, accepted
