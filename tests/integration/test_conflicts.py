"""Every write names the version it read. A stale write is refused with a ConflictError saying
who changed what since, and nothing is overwritten; concurrent writers on separate connections
(separate desktops) are serialised by the database."""

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import text

from app.models import EventKind, TicketStatus
from app.services.clock import FixedClock
from app.services.database import open_database
from app.services.dto import TicketView
from app.services.errors import ConflictError
from app.services.tickets import NewTicket, TicketChanges, TicketService
from tests.factories import T0, database_snapshot, make_desk


def test_stale_write_is_refused_and_names_who_changed_what(desk):
    key = desk.ticket().key
    lena_read = desk.tickets.get(key).ticket  # version 1, on Lena's screen
    desk.later()
    desk.tickets.take("omar", key, 1)
    desk.tickets.edit("omar", key, 2, TicketChanges(title="Omar's title"))
    before = database_snapshot(desk.database)

    with pytest.raises(ConflictError) as caught:
        desk.tickets.edit("lena", key, lena_read.version, TicketChanges(title="Lena's title"))

    error = caught.value
    assert (error.ticket_key, error.expected_version, error.current_version) == (key, 1, 3)
    assert [(c.actor, c.kind, c.field, c.new_value) for c in error.changes] == [
        ("omar", EventKind.ASSIGNED, "assignee_id", "omar"),
        ("omar", EventKind.STATUS_CHANGED, "status", "open"),
        ("omar", EventKind.EDITED, "title", "Omar's title"),
    ]
    message = str(error)
    assert "you read version 1, it is now at version 3" in message
    assert "2026-03-02 09:05 UTC Omar Haddad assigned it to omar" in message
    assert "Omar Haddad changed title" in message
    assert database_snapshot(desk.database) == before
    assert desk.tickets.get(key).ticket.title == "Omar's title"


def test_conflict_lists_only_what_happened_after_the_version_read(desk):
    key = desk.ticket().key
    desk.tickets.take("omar", key, 1)
    read = desk.version(key)  # 2
    desk.tickets.comment("omar", key, "On it", read)
    desk.tickets.change_status("omar", key, 3, "in_progress")
    with pytest.raises(ConflictError) as caught:
        desk.tickets.change_status("lena", key, read, "waiting_on_customer")
    assert [c.ticket_version for c in caught.value.changes] == [3, 4]
    assert [c.kind for c in caught.value.changes] == [
        EventKind.COMMENTED,
        EventKind.STATUS_CHANGED,
    ]


WRITES: dict[str, Callable[[TicketService, str, int], TicketView]] = {
    "edit": lambda t, key, v: t.edit("lena", key, v, TicketChanges(title="mine")),
    "assign": lambda t, key, v: t.assign("lena", key, v, "lena"),
    "take": lambda t, key, v: t.take("lena", key, v),
    "status": lambda t, key, v: t.change_status("lena", key, v, "in_progress"),
    "resolve": lambda t, key, v: t.resolve("lena", key, v, "done"),
    "move": lambda t, key, v: t.move("lena", key, v, "L2"),
    "escalate": lambda t, key, v: t.escalate("lena", key, v),
    "comment with version": lambda t, key, v: t.comment("lena", key, "hi", v),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_refuses_a_stale_version(desk, write):
    key = desk.ticket().key
    desk.tickets.comment("omar", key, "Calling the user now", 1)
    before = database_snapshot(desk.database)
    with pytest.raises(ConflictError) as caught:
        write(desk.tickets, key, 1)
    assert [(c.actor, c.kind) for c in caught.value.changes] == [("omar", EventKind.COMMENTED)]
    assert database_snapshot(desk.database) == before


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_succeeds_with_the_current_version(desk, write):
    key = desk.ticket().key
    desk.tickets.comment("omar", key, "Calling the user now", 1)
    assert write(desk.tickets, key, 2).version == 3


@pytest.mark.parametrize(
    ("name", "setup", "write"),
    [
        ("close", "resolved_ticket", lambda t, key, v: t.close("lena", key, v)),
        ("reopen", "resolved_ticket", lambda t, key, v: t.reopen("lena", key, v)),
        ("hand back", None, lambda t, key, v: t.hand_back("tom", key, v, "not L2")),
    ],
)
def test_stale_close_reopen_and_hand_back_are_refused(desk, name, setup, write):
    if setup:
        ticket = getattr(desk, setup)()
    else:
        ticket = desk.tickets.escalate("lena", desk.ticket().key, 1)
    stale = ticket.version
    desk.tickets.comment("sara", ticket.key, "Supervisor looked at it", stale)
    before = database_snapshot(desk.database)
    with pytest.raises(ConflictError, match="Sara Kowalski added a comment"):
        write(desk.tickets, ticket.key, stale)
    assert database_snapshot(desk.database) == before


def test_comments_without_a_version_never_conflict(desk):
    key = desk.ticket().key
    desk.tickets.take("omar", key, 1)
    after = desk.tickets.comment("lena", key, "Adding what the user told me")
    assert after.version == 3
    assert after.assignee == "omar"


# -------------------------------------------------------- two desktops, two connections
class PausingClock:
    """A fixed clock whose reading pauses the writer inside its transaction, after it has
    locked the ticket and checked the version, until the test lets it go on."""

    def __init__(self) -> None:
        self.inner = FixedClock(T0)
        self.inside = threading.Event()
        self.go_on = threading.Event()

    def now(self, session):
        self.inside.set()
        assert self.go_on.wait(20), "test never released the paused writer"
        return self.inner.now(session)


class Writer(threading.Thread):
    """One desktop: its own Database (connection pool) on the shared URL, running one write."""

    def __init__(self, url, clock, write, barrier=None):
        super().__init__(daemon=True)
        self.database = open_database(url, migrate=False)
        self.tickets = TicketService(self.database, clock)
        self.write = write
        self.barrier = barrier
        self.result = None
        self.error = None

    def run(self):
        try:
            if self.barrier is not None:
                self.barrier.wait(10)
            self.result = self.write(self.tickets)
        except Exception as error:  # kept for the test to inspect
            self.error = error
        finally:
            self.database.close()


def ticket_locks_waited_for(database) -> int:
    """How many PostgreSQL sessions wait for a lock in ``SELECT ... FROM tickets FOR UPDATE``."""
    with database.engine.connect() as connection:
        return connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE '%FROM tickets%FOR UPDATE%'"
            )
        ).scalar_one()


def test_second_writer_waits_for_the_first_and_then_gets_a_conflict(desk, database_url):
    key = desk.ticket().key
    paused = PausingClock()
    first = Writer(
        database_url, paused, lambda t: t.edit("lena", key, 1, TicketChanges(title="Lena's"))
    )
    second = Writer(
        database_url,
        FixedClock(T0),
        lambda t: t.edit("omar", key, 1, TicketChanges(title="Omar's")),
    )
    first.start()
    assert paused.inside.wait(10)  # Lena's write holds the ticket, mid-transaction
    second.start()
    if desk.database.is_sqlite:
        time.sleep(0.5)  # Omar's BEGIN IMMEDIATE is now waiting on the file lock
    else:
        deadline = time.monotonic() + 10
        while ticket_locks_waited_for(desk.database) == 0:
            assert time.monotonic() < deadline, "Omar's write never waited for Lena's lock"
            time.sleep(0.02)
    assert second.is_alive(), "Omar's write did not wait for Lena's to finish"
    paused.go_on.set()
    first.join(20)
    second.join(20)

    assert first.error is None and first.result.title == "Lena's"
    assert isinstance(second.error, ConflictError), second.error
    assert [(c.actor, c.field, c.new_value) for c in second.error.changes] == [
        ("lena", "title", "Lena's")
    ]
    final = desk.tickets.get(key)
    assert (final.ticket.title, final.ticket.version) == ("Lena's", 2)
    assert [e.kind for e in final.events] == [EventKind.CREATED, EventKind.EDITED]


RACES = {
    "both take": (
        lambda t, key: t.take("lena", key, 1),
        lambda t, key: t.take("omar", key, 1),
    ),
    "both edit the title": (
        lambda t, key: t.edit("lena", key, 1, TicketChanges(title="Lena's")),
        lambda t, key: t.edit("omar", key, 1, TicketChanges(title="Omar's")),
    ),
    "escalate against resolve": (
        lambda t, key: t.escalate("lena", key, 1, "needs L2"),
        lambda t, key: t.resolve("omar", key, 1, "fixed it"),
    ),
}


@pytest.mark.postgres
@pytest.mark.parametrize("race", RACES.values(), ids=RACES.keys())
def test_two_agents_writing_the_same_version_at_once_exactly_one_wins(postgres_url, race):
    setup = open_database(postgres_url)
    try:
        desk = make_desk(setup)
        for _round in range(5):
            key = desk.ticket().key
            barrier = threading.Barrier(2)
            writers = [
                Writer(postgres_url, FixedClock(T0), lambda t, w=write, k=key: w(t, k), barrier)
                for write in race
            ]
            for writer in writers:
                writer.start()
            for writer in writers:
                writer.join(20)
            [winner] = [w for w in writers if w.error is None]
            [loser] = [w for w in writers if w.error is not None]
            assert isinstance(loser.error, ConflictError), loser.error
            winner_login = "lena" if winner is writers[0] else "omar"
            assert {c.actor for c in loser.error.changes} == {winner_login}
            final = desk.tickets.get(key)
            assert final.ticket.version == 2
            assert final.ticket == winner.result
            assert {e.actor for e in final.events[1:]} == {winner_login}
    finally:
        setup.close()


def test_concurrent_creators_get_distinct_consecutive_keys(database_url):
    setup = open_database(database_url)
    try:
        desk = make_desk(setup)
        barrier = threading.Barrier(4)

        def create_three(login):
            def write(tickets):
                new = NewTicket("Printer jams", "Carla Customer", "Printer")
                return [tickets.create(login, new).key for _ in range(3)]

            return write

        writers = [
            Writer(database_url, FixedClock(T0), create_three(login), barrier)
            for login in ("lena", "omar", "sara", "ada")
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(30)
        assert [w.error for w in writers] == [None] * 4
        keys = sorted(key for w in writers for key in w.result)
        assert keys == [f"TD-{n}" for n in range(1001, 1013)]
        assert len(desk.tickets.list()) == 12
        assert all(t.status == TicketStatus.NEW for t in desk.tickets.list())
    finally:
        setup.close()
