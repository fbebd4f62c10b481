"""The scripting command line: ``python main.py --db URL COMMAND ... --json``. Results go to
stdout (JSON with ``--json``); errors go to stderr as one message naming the offending value,
with an exit code per kind of error and no traceback."""

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text, update

from app.cli import EXIT_CODES, main
from app.models import Ticket
from app.services.database import latest_revision
from app.services.errors import ConflictError, DatabaseError, InvalidInput, NotAllowed, NotFound
from tests.factories import database_snapshot

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(desk, database_url, capsys, monkeypatch):
    """Run ``main([...])`` in-process on the standard desk; returns (exit code, stdout, stderr)."""
    monkeypatch.delenv("TIERDESK_USER", raising=False)
    monkeypatch.delenv("TIERDESK_DB", raising=False)

    def run(*args):
        code = main(["--db", database_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def run_json(cli, *args):
    code, out, err = cli(*args, "--json")
    assert (code, err) == (0, "")
    return json.loads(out)


def create(cli, *extra, actor="lena"):
    return run_json(
        cli,
        "--as",
        actor,
        "ticket",
        "create",
        "--title",
        "Cannot log in",
        "--requester",
        "Carla Customer",
        "--category",
        "Password reset",
        *extra,
    )


def assert_clean_error(code, out, err, error_type, *fragments):
    """One message on stderr, plain or (with --json) a JSON object, naming what is wrong."""
    assert code == EXIT_CODES[error_type]
    assert out == ""
    assert "Traceback" not in err
    if err.startswith("{"):
        message = json.loads(err)["message"]
    else:
        assert err.startswith("tierdesk: ")
        message = err
    for fragment in fragments:
        assert fragment in message


def test_create_prints_the_new_ticket_as_json(cli, desk):
    ticket = create(cli, "--impact", "high", "--urgency", "medium", "--description", "VPN too")
    assert ticket["key"] == "TD-1001"
    assert (ticket["tier"], ticket["status"], ticket["priority"]) == ("L1", "new", "P2")
    assert (ticket["impact"], ticket["urgency"], ticket["description"]) == (
        "high",
        "medium",
        "VPN too",
    )
    assert (ticket["version"], ticket["assignee"]) == (1, None)
    assert datetime.fromisoformat(ticket["created_at"]).utcoffset().total_seconds() == 0
    stored = desk.tickets.get("TD-1001").ticket
    assert (stored.title, stored.requester) == ("Cannot log in", "Carla Customer")


def test_create_with_priority_and_tier(cli):
    ticket = create(cli, "--priority", "P1", "--tier", "L2", actor="tom")
    assert (ticket["priority"], ticket["priority_overridden"], ticket["tier"]) == (
        "P1",
        True,
        "L2",
    )


def test_tickets_lists_newest_first_with_filters(cli, desk):
    first = desk.ticket(title="first")
    second = desk.ticket(title="second")
    desk.tickets.escalate("lena", second.key, 1)
    assert [t["key"] for t in run_json(cli, "tickets")] == [second.key, first.key]
    assert [t["key"] for t in run_json(cli, "tickets", "--tier", "L2")] == [second.key]
    assert [t["key"] for t in run_json(cli, "tickets", "--status", "new")] == [
        second.key,
        first.key,
    ]
    assert [t["key"] for t in run_json(cli, "tickets", "--limit", "1")] == [second.key]
    assert run_json(cli, "tickets", "--tier", "L3") == []


def test_tickets_without_json_prints_one_line_per_ticket(cli, desk):
    desk.ticket(title="Printer jams", impact="low", urgency="low")
    desk.tickets.take("omar", "TD-1001", 1)
    code, out, err = cli("tickets")
    assert (code, err) == (0, "")
    assert out == "TD-1001\tL1\topen\tP4\tomar\tPrinter jams\n"


def test_show_prints_ticket_comments_and_history(cli, desk):
    key = desk.ticket().key
    desk.tickets.comment("lena", key, "Asked for the employee number")
    shown = run_json(cli, "ticket", "show", key)
    assert shown["ticket"]["key"] == key
    assert [c["body"] for c in shown["comments"]] == ["Asked for the employee number"]
    assert [e["kind"] for e in shown["events"]] == ["created", "commented"]
    assert shown["events"][0]["actor"] == "lena"


def test_move_then_resolve(cli, desk):
    key = desk.ticket(category="Laptop").key
    moved = run_json(cli, "--as", "lena", "ticket", "move", key, "--to", "L2")
    assert (moved["tier"], moved["version"]) == ("L2", 2)
    resolved = run_json(
        cli, "--as", "tom", "ticket", "resolve", key, "--note", "New disk", "--expect-version", "2"
    )
    assert (resolved["status"], resolved["version"]) == ("resolved", 3)
    assert desk.tickets.get(key).events[-1].note == "New disk"


def test_db_and_as_may_follow_the_command(desk, database_url, capsys, monkeypatch):
    monkeypatch.delenv("TIERDESK_DB", raising=False)
    key = desk.ticket().key
    code = main(["ticket", "take", key, "--db", database_url, "--as", "omar", "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["assignee"] == "omar"


def test_environment_names_the_database_and_the_user(desk, database_url, capsys, monkeypatch):
    monkeypatch.setenv("TIERDESK_DB", database_url)
    monkeypatch.setenv("TIERDESK_USER", "omar")
    key = desk.ticket().key
    assert main(["ticket", "take", key, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["assignee"] == "omar"


# -------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("args", "error_type", "fragments"),
    [
        (
            ["--category", "Plumbing"],
            InvalidInput,
            ["category: no category called 'Plumbing'", "Password reset"],
        ),
        (["--category", "Printer", "--tier", "L9"], InvalidInput, ["no active tier called 'L9'"]),
        (["--category", "Printer", "--impact", "huge"], InvalidInput, ["impact: 'huge'"]),
        (["--category", "Printer", "--title", " "], InvalidInput, ["title: must not be empty"]),
        (
            ["--category", "Printer", "--requester", "r" * 121],
            InvalidInput,
            ["requester: is 121 characters long"],
        ),
        (["--category", "Printer", "--tier", "L3"], NotAllowed, ["lena works L1"]),
    ],
    ids=[
        "unknown category",
        "unknown tier",
        "unknown impact",
        "blank title",
        "over-long requester",
        "tier not worked",
    ],
)
def test_create_errors(cli, desk, args, error_type, fragments):
    before = database_snapshot(desk.database)
    base = ["--as", "lena", "ticket", "create", "--title", "T", "--requester", "R"]
    code, out, err = cli(*base, *args, "--json")
    assert_clean_error(code, out, err, error_type, *fragments)
    assert database_snapshot(desk.database) == before


def test_missing_actor_is_asked_for(cli, desk):
    key = desk.ticket().key
    code, out, err = cli("ticket", "take", key)
    assert_clean_error(code, out, err, InvalidInput, "--as: name the user")


def test_agent_jumping_tiers_is_not_allowed(cli, desk):
    key = desk.ticket().key
    code, out, err = cli("--as", "lena", "ticket", "move", key, "--to", "Vendor", "--json")
    assert_clean_error(code, out, err, NotAllowed, "only supervisors may jump tiers")
    assert desk.tickets.get(key).ticket.tier == "L1"


def test_hand_back_without_a_note_is_refused(cli, desk):
    key = desk.ticket().key
    desk.tickets.escalate("lena", key, 1)
    code, out, err = cli("--as", "tom", "ticket", "hand-back", key)
    assert_clean_error(code, out, err, InvalidInput, "note: handing", "needs a reason")


def test_resolve_without_a_note_is_refused(cli, desk):
    key = desk.ticket().key
    code, out, err = cli("--as", "lena", "ticket", "resolve", key)
    assert_clean_error(code, out, err, InvalidInput, "resolution: must not be empty")
    assert desk.version(key) == 1


def test_unknown_ticket_is_not_found(cli):
    code, out, err = cli("ticket", "show", "TD-9999", "--json")
    assert_clean_error(code, out, err, NotFound, "no ticket 'TD-9999'")


def test_stale_expected_version_is_a_conflict_naming_the_other_change(cli, desk):
    key = desk.ticket().key
    desk.tickets.take("omar", key, 1)
    before = database_snapshot(desk.database)
    code, out, err = cli(
        "--as", "lena", "ticket", "move", key, "--to", "L2", "--expect-version", "1", "--json"
    )
    assert_clean_error(
        code,
        out,
        err,
        ConflictError,
        f"{key} was changed by someone else",
        "Omar Haddad assigned it to omar",
    )
    assert database_snapshot(desk.database) == before


def test_closed_ticket_cannot_be_commented(cli, desk):
    closed = desk.closed_ticket()
    code, out, err = cli("--as", "lena", "ticket", "comment", closed.key, "--body", "hi")
    assert_clean_error(code, out, err, NotAllowed, "closed and read-only")


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("not-a-url", "database URL 'not-a-url' is not a URL"),
        ("mysql://root@localhost/desk", "'mysql' is not supported"),
        ("sqlite://", "names no file"),
        ("postgresql://root@127.0.0.1:port/test", "is not a URL"),
    ],
    ids=["not a url", "mysql", "in-memory", "bad port"],
)
def test_malformed_db_url(url, fragment, capsys):
    code = main(["--db", url, "tickets", "--json"])
    out, err = capsys.readouterr()
    assert_clean_error(code, out, err, DatabaseError, fragment, "expected sqlite:///")


def test_unreachable_server(capsys):
    started = time.monotonic()
    code = main(["--db", "postgresql://root@127.0.0.1:1/test", "tickets", "--json"])
    assert time.monotonic() - started < 10
    out, err = capsys.readouterr()
    assert_clean_error(code, out, err, DatabaseError, "cannot open server 127.0.0.1:1/test")


@pytest.fixture
def stamped_newer(desk):
    """The desk's database as a newer TierDesk left it; put back afterwards, as the PostgreSQL
    schema is shared by the whole test session."""
    stamp = "UPDATE alembic_version SET version_num = :revision"
    with desk.database.engine.begin() as connection:
        connection.execute(text(stamp), {"revision": "0999_future"})
    yield desk
    with desk.database.engine.begin() as connection:
        connection.execute(text(stamp), {"revision": latest_revision()})


def test_newer_schema_is_refused(cli, stamped_newer):
    before = database_snapshot(stamped_newer.database)
    code, out, err = cli("migrate", "--json")
    assert_clean_error(code, out, err, DatabaseError, "'0999_future'", "newer than this TierDesk")
    assert database_snapshot(stamped_newer.database) == before


def test_verify_passes_on_an_honest_database(cli, desk):
    desk.tickets.take("lena", desk.ticket().key, 1)
    assert run_json(cli, "verify") == {"checked": 1, "mismatches": []}


def test_verify_reports_a_tampered_ticket_without_a_traceback(cli, desk):
    key = desk.ticket().key
    with desk.database.write() as session:
        session.execute(update(Ticket).values(title="tampered"))
    code, out, err = cli("verify")
    assert code != 0
    assert out == ""
    assert err == f"tierdesk: 1 of 1 tickets disagree with their history: {key}: title\n"


def test_migrate_reports_the_revision(cli):
    result = run_json(cli, "migrate")
    assert result["revision"] == latest_revision()


# -------------------------------------------------------------------- a real process
def run_main(*args, env=None):
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_command_line_in_a_real_process(desk, database_url):
    desk.ticket(title="From the fixture")
    created = run_main(
        "--db",
        database_url,
        "--as",
        "omar",
        "ticket",
        "create",
        "--title",
        "Printer jams",
        "--requester",
        "Carla",
        "--category",
        "Printer",
        "--json",
    )
    assert (created.returncode, created.stderr) == (0, "")
    assert json.loads(created.stdout)["key"] == "TD-1002"
    listed = run_main("--db", database_url, "tickets", "--json")
    assert listed.returncode == 0
    assert [t["title"] for t in json.loads(listed.stdout)] == ["Printer jams", "From the fixture"]


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("postgresql://root@127.0.0.1:1/test", "cannot open server 127.0.0.1:1/test"),
        ("oracle://scott@db/orcl", "'oracle' is not supported"),
    ],
    ids=["unreachable server", "unsupported backend"],
)
def test_real_process_reports_database_errors_in_one_line(url, fragment):
    started = time.monotonic()
    result = run_main("--db", url, "tickets", env={"TIERDESK_DB": ""})
    assert time.monotonic() - started < 30
    assert result.returncode == EXIT_CODES[DatabaseError]
    assert result.stdout == ""
    assert result.stderr.startswith("tierdesk: ")
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_with_json_an_error_is_a_json_object_on_stderr(database_url, desk):
    result = run_main("--db", database_url, "--as", "lena", "ticket", "take", "TD-9", "--json")
    assert result.returncode == EXIT_CODES[NotFound]
    assert result.stdout == ""
    assert json.loads(result.stderr) == {"error": "NotFound", "message": "no ticket 'TD-9'"}
