"""Bad input of every kind gets a clear error naming the field and the offending value, and
leaves the database exactly as it was (compared row by row before and after)."""

import socket
import time
from dataclasses import dataclass

import pytest

from app.models import Role
from app.services import database as database_module
from app.services.database import open_database
from app.services.errors import DatabaseError, InvalidInput, NotAllowed, NotFound
from app.services.tickets import NewTicket, TicketChanges
from tests.factories import database_snapshot


@dataclass(frozen=True)
class Scene:
    """Tickets in the states the bad inputs below are tried on."""

    new: str  # at L1, status new, unassigned
    taken: str  # at L1, open, assigned to lena
    resolved: str  # at L1, resolved
    top: str  # at Vendor, the top of the ladder


@pytest.fixture
def scene(desk):
    new = desk.ticket(title="new").key
    taken = desk.tickets.take("lena", desk.ticket(title="taken").key, 1).key
    resolved = desk.resolved_ticket(title="resolved").key
    top = desk.tickets.move("sara", desk.ticket(title="top").key, 1, "Vendor").key
    return Scene(new, taken, resolved, top)


def new_ticket(**overrides):
    fields = {"title": "Cannot log in", "requester": "Carla Customer", "category": "Printer"}
    fields.update(overrides)
    return NewTicket(**fields)


def current(t, key):
    return t.get(key).ticket.version


CATEGORIES = "(categories: Database, Laptop, Password reset, Printer)"
TIERS = "(tiers: L1, L2, L3, Vendor)"

# id: (call(tickets, scene), error type, field or None, fragments the message must hold)
CASES = {
    # -------------------------------------------------------------------------- creating
    "create: unknown category": (
        lambda t, s: t.create("lena", new_ticket(category="Plumbing")),
        InvalidInput,
        "category",
        ["no category called 'Plumbing'", CATEGORIES],
    ),
    "create: unknown tier": (
        lambda t, s: t.create("sara", new_ticket(tier="L9")),
        InvalidInput,
        "tier",
        ["no active tier called 'L9'", TIERS],
    ),
    "create: unknown impact": (
        lambda t, s: t.create("lena", new_ticket(impact="extreme")),
        InvalidInput,
        "impact",
        ["'extreme' is not one of: high, medium, low"],
    ),
    "create: unknown urgency": (
        lambda t, s: t.create("lena", new_ticket(urgency="asap")),
        InvalidInput,
        "urgency",
        ["'asap' is not one of"],
    ),
    "create: unknown priority": (
        lambda t, s: t.create("lena", new_ticket(priority="P0")),
        InvalidInput,
        "priority",
        ["'P0' is not one of: P1, P2, P3, P4"],
    ),
    "create: empty title": (
        lambda t, s: t.create("lena", new_ticket(title="")),
        InvalidInput,
        "title",
        ["must not be empty"],
    ),
    "create: blank title": (
        lambda t, s: t.create("lena", new_ticket(title=" \t ")),
        InvalidInput,
        "title",
        ["must not be empty"],
    ),
    "create: over-long title": (
        lambda t, s: t.create("lena", new_ticket(title="t" * 201)),
        InvalidInput,
        "title",
        ["is 201 characters long; at most 200 allowed"],
    ),
    "create: empty requester": (
        lambda t, s: t.create("lena", new_ticket(requester="")),
        InvalidInput,
        "requester",
        ["must not be empty"],
    ),
    "create: over-long requester": (
        lambda t, s: t.create("lena", new_ticket(requester="r" * 121)),
        InvalidInput,
        "requester",
        ["is 121 characters long; at most 120 allowed"],
    ),
    "create: over-long description": (
        lambda t, s: t.create("lena", new_ticket(description="d" * 20_001)),
        InvalidInput,
        "description",
        ["at most 20000 allowed"],
    ),
    "create: NUL in title": (
        lambda t, s: t.create("lena", new_ticket(title="bad\x00title")),
        InvalidInput,
        "title",
        ["contains a NUL character"],
    ),
    "create: unknown actor": (
        lambda t, s: t.create("nobody", new_ticket()),
        NotFound,
        None,
        ["actor: no user with login 'nobody'"],
    ),
    # --------------------------------------------------------------------------- editing
    "edit: unknown category": (
        lambda t, s: t.edit("lena", s.new, 1, TicketChanges(category="Plumbing")),
        InvalidInput,
        "category",
        ["no category called 'Plumbing'", CATEGORIES],
    ),
    "edit: empty title": (
        lambda t, s: t.edit("lena", s.new, 1, TicketChanges(title="  ")),
        InvalidInput,
        "title",
        ["must not be empty"],
    ),
    "edit: over-long requester": (
        lambda t, s: t.edit("lena", s.new, 1, TicketChanges(requester="r" * 121)),
        InvalidInput,
        "requester",
        ["at most 120 allowed"],
    ),
    "edit: unknown priority": (
        lambda t, s: t.edit("lena", s.new, 1, TicketChanges(priority="urgent")),
        InvalidInput,
        "priority",
        ["'urgent' is not one of"],
    ),
    "edit: a valid field with an invalid one writes neither": (
        lambda t, s: t.edit("lena", s.new, 1, TicketChanges(title="Fine", urgency="whenever")),
        InvalidInput,
        "urgency",
        ["'whenever'"],
    ),
    "edit: nothing to change": (
        lambda t, s: t.edit(
            "lena", s.new, 1, TicketChanges(title="new", category="Password Reset")
        ),
        InvalidInput,
        "changes",
        ["nothing to change"],
    ),
    "edit: unknown ticket": (
        lambda t, s: t.edit("lena", "TD-9999", 1, TicketChanges(title="x")),
        NotFound,
        None,
        ["no ticket 'TD-9999'"],
    ),
    # ---------------------------------------------------------------------------- moving
    "move: unknown tier": (
        lambda t, s: t.move("lena", s.new, 1, "L9"),
        InvalidInput,
        "to_tier",
        ["no active tier called 'L9'", TIERS],
    ),
    "move: to the tier it is at": (
        lambda t, s: t.move("lena", s.new, 1, "L1"),
        InvalidInput,
        "to_tier",
        ["is already at L1"],
    ),
    "escalate: above the top": (
        lambda t, s: t.escalate("vic", s.top, current(t, s.top)),
        NotAllowed,
        None,
        ["is at Vendor, the top of the ladder"],
    ),
    "hand back: below the bottom": (
        lambda t, s: t.hand_back("lena", s.new, 1, "nowhere to go"),
        NotAllowed,
        None,
        ["is at L1, the bottom of the ladder"],
    ),
    "hand back: over-long note": (
        lambda t, s: t.hand_back("vic", s.top, current(t, s.top), "n" * 2_001),
        InvalidInput,
        "note",
        ["is 2001 characters long; at most 2000 allowed"],
    ),
    "move: a resolved ticket": (
        lambda t, s: t.escalate("lena", s.resolved, current(t, s.resolved)),
        NotAllowed,
        None,
        ["is resolved; reopen it before moving it"],
    ),
    # -------------------------------------------------------------------------- statuses
    "status: unknown": (
        lambda t, s: t.change_status("lena", s.taken, 2, "done"),
        InvalidInput,
        "status",
        ["'done' is not one of"],
    ),
    "status: resolved by status": (
        lambda t, s: t.change_status("lena", s.taken, 2, "resolved"),
        InvalidInput,
        "status",
        ["cannot set a ticket back to resolved; use resolve"],
    ),
    "status: closed by status": (
        lambda t, s: t.change_status("lena", s.taken, 2, "closed"),
        InvalidInput,
        "status",
        ["use close"],
    ),
    "status: back to new": (
        lambda t, s: t.change_status("lena", s.taken, 2, "new"),
        InvalidInput,
        "status",
        ["cannot set a ticket back to new"],
    ),
    "status: the one it has": (
        lambda t, s: t.change_status("lena", s.taken, 2, "open"),
        InvalidInput,
        "status",
        ["is already open"],
    ),
    "status: of a resolved ticket": (
        lambda t, s: t.change_status("lena", s.resolved, current(t, s.resolved), "open"),
        NotAllowed,
        None,
        ["is resolved; reopen it first"],
    ),
    "resolve: without a resolution": (
        lambda t, s: t.resolve("lena", s.taken, 2, None),
        InvalidInput,
        "resolution",
        ["must not be empty"],
    ),
    "resolve: blank resolution": (
        lambda t, s: t.resolve("lena", s.taken, 2, "   "),
        InvalidInput,
        "resolution",
        ["must not be empty"],
    ),
    "resolve: twice": (
        lambda t, s: t.resolve("lena", s.resolved, current(t, s.resolved), "again"),
        NotAllowed,
        None,
        ["is already resolved"],
    ),
    "close: an open ticket": (
        lambda t, s: t.close("lena", s.taken, 2),
        NotAllowed,
        None,
        ["is open; only resolved tickets close"],
    ),
    "reopen: an open ticket": (
        lambda t, s: t.reopen("lena", s.taken, 2),
        NotAllowed,
        None,
        ["is open, not resolved or closed"],
    ),
    "reopen: over-long note": (
        lambda t, s: t.reopen("lena", s.resolved, current(t, s.resolved), "n" * 2_001),
        InvalidInput,
        "note",
        ["at most 2000 allowed"],
    ),
    # ------------------------------------------------------------- assigning, commenting
    "assign: unknown person": (
        lambda t, s: t.assign("lena", s.new, 1, "ghost"),
        NotFound,
        None,
        ["assignee: no user with login 'ghost'"],
    ),
    "assign: to whoever has it": (
        lambda t, s: t.assign("lena", s.taken, 2, "lena"),
        InvalidInput,
        "assignee",
        ["is already assigned to lena"],
    ),
    "assign: nobody to nobody": (
        lambda t, s: t.assign("lena", s.new, 1, None),
        InvalidInput,
        "assignee",
        ["is already assigned to nobody"],
    ),
    "comment: empty": (
        lambda t, s: t.comment("lena", s.new, ""),
        InvalidInput,
        "comment",
        ["must not be empty"],
    ),
    "comment: over-long": (
        lambda t, s: t.comment("lena", s.new, "c" * 20_001),
        InvalidInput,
        "comment",
        ["is 20001 characters long; at most 20000 allowed"],
    ),
    "comment: unknown ticket": (
        lambda t, s: t.comment("lena", "TD-0", "hello"),
        NotFound,
        None,
        ["no ticket 'TD-0'"],
    ),
    "take: unknown actor": (
        lambda t, s: t.take("ghost", s.new, 1),
        NotFound,
        None,
        ["actor: no user with login 'ghost'"],
    ),
    # ---------------------------------------------------------------------------- reading
    "list: unknown tier": (
        lambda t, s: t.list(tier="L7"),
        InvalidInput,
        "tier",
        ["no active tier called 'L7'"],
    ),
    "list: unknown status": (
        lambda t, s: t.list(status="pending"),
        InvalidInput,
        "status",
        ["'pending' is not one of"],
    ),
    "show: unknown ticket": (
        lambda t, s: t.get("TD-4242"),
        NotFound,
        None,
        ["no ticket 'TD-4242'"],
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_ticket_input_is_refused_clearly_and_writes_nothing(desk, scene, case):
    call, error_type, field, fragments = case
    before = database_snapshot(desk.database)
    with pytest.raises(error_type) as caught:
        call(desk.tickets, scene)
    assert type(caught.value) is error_type
    if field is not None:
        assert caught.value.field == field
        assert str(caught.value).startswith(f"{field}: ")
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert database_snapshot(desk.database) == before


DESK_CASES = {
    "category: over-long name": (
        lambda d: d.add_category("c" * 81, "L1"),
        "name",
        "is 81 characters long; at most 80 allowed",
    ),
    "category: empty name": (lambda d: d.add_category("  ", "L1"), "name", "must not be empty"),
    "category: duplicate name": (
        lambda d: d.add_category("printer", "L2"),
        "name",
        "a category called 'printer' already exists",
    ),
    "category: unknown tier": (
        lambda d: d.add_category("Phones", "L5"),
        "min_tier",
        "no active tier called 'L5'",
    ),
    "user: over-long login": (
        lambda d: d.add_user("u" * 65, "U", Role.AGENT, ["L1"]),
        "login",
        "is 65 characters long; at most 64 allowed",
    ),
    "user: login with a space": (
        lambda d: d.add_user("lena l", "Lena", Role.AGENT, ["L1"]),
        "login",
        "'lena l' must be one word without spaces",
    ),
    "user: duplicate login": (
        lambda d: d.add_user("lena", "Lena Again", Role.AGENT, ["L1"]),
        "login",
        "a user with login 'lena' already exists",
    ),
    "user: over-long display name": (
        lambda d: d.add_user("newbie", "n" * 121, Role.AGENT, ["L1"]),
        "display_name",
        "at most 120 allowed",
    ),
    "user: unknown tier": (
        lambda d: d.add_user("newbie", "Newbie", Role.AGENT, ["L1", "L4"]),
        "tiers",
        "no active tier called 'L4'",
    ),
    "ladder: a second one": (
        lambda d: d.create_default_ladder(),
        "tiers",
        "already has a tier ladder",
    ),
}


@pytest.mark.parametrize("case", DESK_CASES.values(), ids=DESK_CASES.keys())
def test_bad_desk_set_up_is_refused_clearly_and_writes_nothing(desk, case):
    call, field, fragment = case
    before = database_snapshot(desk.database)
    with pytest.raises(InvalidInput) as caught:
        call(desk.desk)
    assert caught.value.field == field
    assert fragment in str(caught.value)
    assert database_snapshot(desk.database) == before


# ---------------------------------------------------------------------------- databases
@pytest.mark.parametrize(
    "raw",
    [
        "desk.db",
        "sqlite://",
        "sqlite:///:memory:",
        "mysql://root@localhost/desk",
        "postgresql://root@127.0.0.1:notaport/test",
        "postgresql://root@127.0.0.1:5432/",
    ],
    ids=["bare path", "no file", "in-memory", "mysql", "bad port", "no database"],
)
def test_malformed_database_url_is_refused_before_anything_is_created(raw, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DatabaseError, match="database URL"):
        open_database(raw)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "content",
    [b"just some notes, not a database\n", bytes(range(256)) * 20],
    ids=["text", "binary"],
)
def test_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as caught:
        open_database(f"sqlite:///{path}")
    assert str(caught.value) == (
        f"{path} is not a TierDesk database or is damaged; restore it from a backup "
        '(see README, "Backing up and restoring")'
    )
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_folder_given_as_database_file_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match=f"cannot open embedded file {tmp_path}"):
        open_database(f"sqlite:///{tmp_path}")


def test_database_file_in_a_place_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseError, match="cannot create the database file"):
        open_database(f"sqlite:///{blocker / 'desk.db'}")


def test_unreachable_server_is_reported_quickly_naming_it():
    started = time.monotonic()
    with pytest.raises(DatabaseError) as caught:
        open_database("postgresql://root@127.0.0.1:1/test")
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert message.startswith("cannot open server 127.0.0.1:1/test: ")
    assert "refused" in message.lower()


def test_server_that_never_answers_times_out_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(database_module, "POSTGRES_CONNECT_TIMEOUT_S", 1)
    with socket.socket() as silent:  # accepts connections, then says nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(DatabaseError) as caught:
            open_database(f"postgresql://root@127.0.0.1:{port}/test")
        assert time.monotonic() - started < 10
    assert str(caught.value).startswith(f"cannot open server 127.0.0.1:{port}/test: ")
    assert "timeout" in str(caught.value)


@pytest.mark.postgres
@pytest.mark.usefixtures("postgres_schema_url")  # skips without a server
@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("postgresql://root@127.0.0.1:5432/no_such_desk", 'database "no_such_desk" does not exist'),
        ("postgresql://no_such_role@127.0.0.1:5432/test", 'role "no_such_role" does not exist'),
    ],
    ids=["unknown database", "unknown role"],
)
def test_server_refusing_the_database_or_user_is_reported(url, fragment):
    with pytest.raises(DatabaseError, match=fragment):
        open_database(url)
