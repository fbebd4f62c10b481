"""Opening a database: several desktops starting at once, someone else's database, a newer
schema left byte for byte as it was, and commands that must not create a desk by mistake."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from app.services.database import current_revisions, latest_revision, open_database
from app.services.errors import DatabaseError, SchemaTooNew

REPO = Path(__file__).resolve().parents[2]
OPEN_AND_CLOSE = (
    "import sys; from app.services.database import open_database; "
    "open_database(sys.argv[1]).close()"
)


def test_several_desktops_starting_on_a_new_database_at_once_all_open_it(empty_database_url):
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_CLOSE, empty_database_url],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    failures = [p.stderr.read() for p in starters if p.wait(timeout=120) != 0]  # type: ignore
    assert failures == []
    database = open_database(empty_database_url, migrate=False)
    assert current_revisions(database) == (latest_revision(),)
    database.close()


def test_an_empty_database_is_refused_when_not_creating_and_stays_empty(empty_database_url):
    with pytest.raises(DatabaseError, match="no TierDesk database at .*; create it"):
        open_database(empty_database_url, create=False)
    if empty_database_url.startswith("sqlite"):
        assert not Path(empty_database_url.removeprefix("sqlite:///")).exists()
        return
    engine = create_engine(empty_database_url)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()


def test_another_applications_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "bookmarks.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE bookmarks (url TEXT)")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseError, match=r"holds tables of another application \(bookmarks\)"):
        open_database(f"sqlite:///{path}")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_newer_schema_leaves_the_file_byte_for_byte_as_it_was(tmp_path):
    path = tmp_path / "newer.db"
    open_database(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:  # as a newer TierDesk would leave it
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNew, match="'0099'"):
        open_database(f"sqlite:///{path}")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not Path(f"{path}-wal").exists()


def test_the_embedded_file_uses_write_ahead_logging(sqlite_url):
    open_database(sqlite_url).close()
    engine = create_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_a_desktop_starting_while_another_is_migrating_still_switches_to_the_log(tmp_path):
    """SQLite refuses the switch to write-ahead logging at once, without waiting, while another
    connection holds the write lock (as a desktop migrating the same new file does)."""
    path = tmp_path / "desk.db"
    open_database(f"sqlite:///{path}").close()
    other_desktop = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_desktop.execute("PRAGMA journal_mode=DELETE")
    other_desktop.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, other_desktop.execute, ["COMMIT"])
    release.start()
    try:
        open_database(f"sqlite:///{path}").close()
    finally:
        release.join()
        other_desktop.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_password_in_a_bad_url_is_not_repeated(tmp_path):
    with pytest.raises(DatabaseError) as refused:
        open_database("postgresql://ann:s3cret@db.example:notaport/desk")
    assert "s3cret" not in str(refused.value)
    assert "ann:***@" in str(refused.value)
