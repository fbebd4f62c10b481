"""The embedded database file, hardened: owner-only permissions, a consistent backup while
others write, a restore that waits for nobody to be using the file, and a read-only, locked,
full or damaged file met with a message that names the file, exit code 6, and no damage.

SQLite only, except the refusal to back up a PostgreSQL database (that is pg_dump's job)."""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from app import cli
from app.cli import main
from app.services import backup as backup_module
from app.services import database as database_module
from app.services.backup import restore_file
from app.services.database import Database, open_database
from app.services.errors import DatabaseError
from app.services.tickets import NewTicket
from tests.factories import database_snapshot, make_desk

REPO = Path(__file__).resolve().parents[2]
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="Windows has no owner-only mode bits")

#: Edits and comments tickets as fast as it can until killed: a desktop (or the worker) busy
#: on the file while it is backed up.
BUSY_WRITER = """
import sys
from app.services.database import open_database
from app.services.tickets import TicketChanges, TicketService
database = open_database(sys.argv[1], create=False)
tickets = TicketService(database)
keys = [ticket.key for ticket in tickets.list(limit=20)]
round = 0
print("writing", flush=True)
while True:
    round += 1
    for key in keys:
        version = tickets.get(key).ticket.version
        tickets.edit("lena", key, version, TicketChanges(title=f"Cannot log in, round {round}"))
        tickets.comment("lena", key, f"still broken, round {round}")
"""

#: Holds SQLite's exclusive lock on the file until its standard input closes.
LOCK_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA locking_mode=EXCLUSIVE")
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path | str) -> int:
    return os.stat(path).st_mode & 0o777


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def desk_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A closed desk file with 30 tickets, every change in the main file (no -wal left)."""
    monkeypatch.delenv("TIERDESK_USER", raising=False)
    monkeypatch.delenv("TIERDESK_DB", raising=False)
    path = tmp_path / "desk.db"
    database = open_database(f"sqlite:///{path}")
    desk = make_desk(database)
    for number in range(30):
        desk.ticket(title=f"Cannot log in {number}", description="x" * 2000)
    database.close()
    assert not Path(f"{path}-wal").exists()
    yield path


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def ticket_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("SELECT count(*) FROM tickets").fetchone()[0])


# ------------------------------------------------------------------------------ permissions
@POSIX_ONLY
def test_a_new_database_file_and_its_write_ahead_log_are_owner_only(tmp_path):
    path = tmp_path / "new" / "desk.db"
    database = open_database(url(path))
    make_desk(database).ticket()  # a write: the -wal and -shm companions exist now
    modes = {name: mode(f"{path}{name}") for name in ("", "-wal", "-shm")}
    database.close()
    assert modes == {"": 0o600, "-wal": 0o600, "-shm": 0o600}


@POSIX_ONLY
def test_an_existing_file_keeps_the_permissions_its_owner_gave_it(desk_file):
    os.chmod(desk_file, 0o640)
    database = open_database(url(desk_file))
    make_desk_ticket(database)
    database.close()
    assert mode(desk_file) == 0o640


def make_desk_ticket(database: Database) -> None:
    from app.services.tickets import TicketService

    TicketService(database).create(
        "lena", NewTicket(title="Printer jam", requester="Carla", category="Printer")
    )


# ----------------------------------------------------------------------------------- backup
@POSIX_ONLY
def test_backup_is_owner_only_and_never_overwrites_unless_forced(desk_file, capsys):
    target = desk_file.parent / "copies" / "monday.db"
    target.parent.mkdir()
    code, out, err = run(capsys, "--db", url(desk_file), "backup", str(target))
    assert (code, err) == (0, "")
    assert f"to {target}" in out
    assert mode(target) == 0o600
    assert ticket_count(target) == 30
    assert sorted(os.listdir(target.parent)) == ["monday.db"]  # no temporary file left

    target.write_bytes(b"last week's backup")
    code, out, err = run(capsys, "--db", url(desk_file), "backup", str(target))
    assert code == 2
    assert f"{target} exists; name a new file, or add --force" in err
    assert target.read_bytes() == b"last week's backup"

    code, out, err = run(capsys, "--db", url(desk_file), "backup", str(target), "--force")
    assert code == 0
    assert ticket_count(target) == 30


def test_backup_refuses_to_write_over_the_database_itself(desk_file, capsys):
    before = digest(desk_file)
    code, _, err = run(capsys, "--db", url(desk_file), "backup", str(desk_file), "--force")
    assert code == 2
    assert "is the database itself" in err
    assert digest(desk_file) == before


def test_backup_while_another_process_writes_is_consistent(desk_file, capsys, monkeypatch):
    """A busy writer edits and comments tickets throughout; each backup, copied 4 pages at a
    time with a pause after each step, spans many of its commits, yet is a sound database whose
    every ticket agrees with its history, holding the desk as it was at one instant."""
    monkeypatch.setattr(backup_module, "PAGES_PER_STEP", 4)  # many steps, many chances to tear
    writer = subprocess.Popen(
        [sys.executable, "-c", BUSY_WRITER, url(desk_file)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    steps: list[tuple[int, int]] = []

    def slowly(done: int, total: int) -> None:
        steps.append((done, total))
        time.sleep(0.005)

    copies: list[tuple[Path, int, int]] = []  # the copy, live comments before and after it
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        for number in range(3):
            copy = desk_file.parent / f"copy-{number}.db"
            database = open_database(url(desk_file), create=False)
            before = comment_count(desk_file)
            report = backup_module.backup_file(database, copy, progress=slowly)
            copies.append((copy, before, comment_count(desk_file)))
            database.close()
            assert report.pages > 4 * 10
        assert writer.poll() is None, writer.stderr.read() if writer.stderr else ""
    finally:
        writer.kill()
        writer.wait()
    assert len(steps) >= 3 * 10
    assert all(done <= total for done, total in steps)
    for copy, before, after in copies:
        assert after > before  # the writer committed while this backup was being copied
        with contextlib.closing(sqlite3.connect(copy)) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert before <= comment_count(copy) <= after
        assert not Path(f"{copy}-wal").exists()
        code, out, err = run(capsys, "--db", url(copy), "verify", "--json")
        assert (code, err) == (0, "")
        assert json.loads(out)["mismatches"] == []


def comment_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path, timeout=15)) as connection:
        return int(connection.execute("SELECT count(*) FROM comments").fetchone()[0])


@pytest.mark.postgres
def test_backup_of_a_postgresql_database_points_to_pg_dump(postgres_url, capsys, tmp_path):
    code, out, err = run(capsys, "--db", postgres_url, "backup", str(tmp_path / "desk.db"))
    assert code == 2
    assert "pg_dump" in err and 'README, "Backing up and restoring"' in err
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------- restore
def test_restore_waits_for_nobody_to_have_the_file_open(desk_file, capsys):
    backup = desk_file.parent / "backup.db"
    assert run(capsys, "--db", url(desk_file), "backup", str(backup))[0] == 0
    desktop = open_database(url(desk_file), create=False)
    make_desk_ticket(desktop)  # made after the backup; the desktop keeps its connection
    before = digest(desk_file)

    code, _, err = run(capsys, "--db", url(desk_file), "restore", str(backup), "--force")
    assert code == 6
    assert "is in use" in err and "Nothing was changed" in err
    assert digest(desk_file) == before

    desktop.close()
    code, _, err = run(capsys, "--db", url(desk_file), "restore", str(backup))
    assert code == 2
    assert "add --force" in err
    code, out, err = run(capsys, "--db", url(desk_file), "restore", str(backup), "--force")
    assert (code, err) == (0, "")
    assert ticket_count(desk_file) == 30  # the ticket made after the backup is gone
    assert run(capsys, "--db", url(desk_file), "verify")[0] == 0


def test_restore_over_a_damaged_file_keeps_the_damaged_one_aside(desk_file, capsys):
    """The restore handler given the URL, not an open database (a damaged file cannot be
    opened; see ``cli._restore``)."""
    backup = desk_file.parent / "backup.db"
    assert run(capsys, "--db", url(desk_file), "backup", str(backup))[0] == 0
    damage_the_header(desk_file)
    damaged = digest(desk_file)
    arguments = argparse.Namespace(file=str(backup), force=True, json=False)
    said = cli._restore(arguments, url(desk_file))
    assert said == (
        f"restored {desk_file} from {backup}: {page_count(backup)} pages; the damaged file "
        f"was kept as {desk_file}.damaged"
    )
    assert digest(Path(f"{desk_file}.damaged")) == damaged
    assert ticket_count(desk_file) == 30
    assert run(capsys, "--db", url(desk_file), "verify")[0] == 0


def test_restore_into_a_missing_file_makes_it_owner_only(desk_file):
    backup = desk_file.parent / "backup.db"
    shutil.copyfile(desk_file, backup)
    target = desk_file.parent / "elsewhere.db"
    report = restore_file(backup, str(target))
    assert (report.target, report.set_aside) == (str(target), None)
    assert ticket_count(target) == 30
    if os.name == "posix":
        assert mode(target) == 0o600


def page_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("PRAGMA page_count").fetchone()[0])


def test_restore_refuses_a_file_that_is_not_a_tierdesk_backup(desk_file, capsys):
    other = desk_file.parent / "bookmarks.db"
    with contextlib.closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE bookmarks (url TEXT)")
    before = digest(desk_file)
    code, _, err = run(capsys, "--db", url(desk_file), "restore", str(other), "--force")
    assert code == 2
    assert "is not a TierDesk backup or is damaged; nothing was changed" in err
    assert digest(desk_file) == before


# ----------------------------------------------------------- read-only, locked, full, damaged
@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` (a file or a folder) read-only for this process, then writable again.

    Root ignores mode bits, so as root the file is made immutable (``chattr +i``), which root
    must respect too; where that is impossible (no chattr, no CAP_LINUX_IMMUTABLE, a file
    system without the flag) the test is skipped: a chmod'ed file would prove nothing."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        previous = mode(path)
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            os.chmod(path, previous)
        return
    chattr = shutil.which("chattr")
    made = chattr and subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode
    if made != 0:
        pytest.skip("running as root and cannot make the file immutable (chattr +i)")
    try:
        yield
    finally:
        subprocess.run([str(chattr), "-i", str(path)], check=True)


def test_a_read_only_file_is_refused_naming_it_and_left_unchanged(desk_file, capsys):
    before = digest(desk_file)
    with read_only(desk_file):
        code, out, err = run(capsys, "--db", url(desk_file), "tickets")
    assert code == 6
    assert f"the database file {desk_file} is read-only: " in err
    assert digest(desk_file) == before
    assert sorted(os.listdir(desk_file.parent)) == ["desk.db"]


def test_a_file_in_a_read_only_folder_is_refused_naming_the_folder(desk_file, capsys):
    before = digest(desk_file)
    with read_only(desk_file.parent):
        code, out, err = run(capsys, "--db", url(desk_file), "tickets")
    assert code == 6
    assert f"the database file {desk_file} is read-only: its folder" in err
    assert digest(desk_file) == before


def test_a_file_that_turns_read_only_while_open_refuses_the_change(desk_file):
    """The file becomes read-only under a running desktop: simulated with SQLite's
    ``PRAGMA query_only`` on the writing connections (root ignores chmod, and the check at
    opening would refuse the file before any write). The save is refused with the file named
    and nothing is written."""
    database = open_database(url(desk_file), create=False)
    database.write_engine.dispose()
    event.listen(
        database.write_engine,
        "connect",
        lambda connection, _record: connection.execute("PRAGMA query_only=ON"),
    )
    before = database_snapshot(database)
    with pytest.raises(DatabaseError, match=f"the database file {desk_file} is read-only: "):
        make_desk_ticket(database)
    assert database_snapshot(database) == before
    database.close()


def test_a_file_locked_by_another_program_says_so_and_exits_6(desk_file, capsys, monkeypatch):
    monkeypatch.setattr(database_module, "SQLITE_BUSY_TIMEOUT_MS", 300)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(desk_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        for command in (
            ["tickets"],
            ["--as", "lena", "ticket", "comment", "TD-1001", "--body", "x"],
        ):
            code, out, err = run(capsys, "--db", url(desk_file), *command)
            assert (code, out) == (6, "")
            assert err == f"tierdesk: {desk_file} is locked by another program; try again\n"
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert ticket_count(desk_file) == 30
    code, _, _ = run(capsys, "--db", url(desk_file), "tickets")
    assert code == 0  # once the other program lets go, all is well


def test_a_full_disk_refuses_the_change_and_leaves_the_desk_as_it_was(
    desk_file, capsys, monkeypatch
):
    """A full disk, simulated: ``PRAGMA max_page_count`` stops the file growing past its
    size, which SQLite reports exactly as a full disk ("database or disk is full")."""
    configure = database_module._configure_sqlite

    def no_room_to_grow(engine, begin_statement, cache_kib):
        configure(engine, begin_statement, cache_kib)

        @event.listens_for(engine, "connect")
        def _cap(connection, _record):
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count={pages}")

    with contextlib.closing(sqlite3.connect(desk_file)) as connection:
        connection.execute("VACUUM")  # no free pages inside the file to fill instead
    monkeypatch.setattr(database_module, "_configure_sqlite", no_room_to_grow)
    database = open_database(url(desk_file), create=False)
    before = database_snapshot(database)
    database.close()
    code, out, err = run(
        capsys,
        *("--db", url(desk_file), "--as", "lena", "ticket", "create", "--title", "Big"),
        *("--requester", "Carla", "--category", "Printer", "--description", "y" * 20_000),
    )
    assert (code, out) == (6, "")
    assert f"{desk_file} cannot grow: database or disk is full; nothing was saved" in err
    monkeypatch.setattr(database_module, "_configure_sqlite", configure)
    database = open_database(url(desk_file), create=False)
    assert database_snapshot(database) == before
    database.close()


def damage_the_header(path: Path) -> None:
    with open(path, "r+b") as stream:
        stream.write(b"this is no database at all")


def damage_the_tickets_table(path: Path) -> None:
    """Garbage over every page of the tickets table but its root: the file opens, the schema
    reads, and the damage shows only when tickets are read."""
    with contextlib.closing(sqlite3.connect(path)) as connection:
        size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = [
            row[0]
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = 'tickets' AND pagetype = 'leaf'"
            )
        ]
    assert pages, "the desk has tickets on leaf pages"
    with open(path, "r+b") as stream:
        for page in pages:
            stream.seek((page - 1) * size)
            stream.write(b"\xa5" * size)


@pytest.mark.parametrize("damage", [damage_the_header, damage_the_tickets_table])
def test_a_damaged_file_is_named_left_byte_for_byte_and_points_to_the_backup(
    desk_file, capsys, damage
):
    damage(desk_file)
    before = digest(desk_file)
    code, out, err = run(capsys, "--db", url(desk_file), "tickets", "--json")
    assert (code, out) == (6, "")
    assert json.loads(err) == {
        "error": "DatabaseError",
        "message": f"{desk_file} is not a TierDesk database or is damaged; restore it from a "
        'backup (see README, "Backing up and restoring")',
    }
    assert digest(desk_file) == before


def test_the_desk_is_untouched_by_a_refused_backup_of_a_damaged_file(desk_file, capsys):
    damage_the_tickets_table(desk_file)
    before = digest(desk_file)
    target = desk_file.parent / "copy.db"
    code, _, err = run(capsys, "--db", url(desk_file), "backup", str(target))
    assert code == 6
    assert "is not a TierDesk database or is damaged" in err
    assert digest(desk_file) == before
    assert sorted(os.listdir(desk_file.parent)) == ["desk.db"]
