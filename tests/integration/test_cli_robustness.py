"""The command line in a real process with awkward surroundings: a mistyped database path,
bytes that are not text, a reader that stops early, a console that cannot print arrows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.cli import EXIT_CODES
from app.services.errors import DatabaseError

REPO = Path(__file__).resolve().parents[2]


def run(
    *args: str | bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=REPO,
        capture_output=True,
        timeout=60,
        env={**os.environ, "TIERDESK_DB": "", **(env or {})},
    )


def test_a_mistyped_database_path_is_refused_and_not_created(tmp_path):
    path = tmp_path / "tierdeks.db"
    result = run("--db", f"sqlite:///{path}", "tickets")
    assert result.returncode == EXIT_CODES[DatabaseError]
    assert b"no TierDesk database at" in result.stderr
    assert b"Traceback" not in result.stderr
    assert not path.exists()


def test_bytes_that_are_not_text_are_refused_naming_the_option(database_url, desk):
    result = run("--db", database_url, "--as", b"lena\xff", "ticket", "take", "TD-1001")
    assert result.returncode == 2
    assert b"--as:" in result.stderr and b"not valid text" in result.stderr
    assert b"Traceback" not in result.stderr


def test_an_absurd_limit_is_refused(database_url, desk):
    result = run("--db", database_url, "tickets", "--limit", "99999999999999999999")
    assert result.returncode == 2
    assert b"must be at most 10,000,000" in result.stderr


def test_a_reader_that_stops_early_is_not_an_error(database_url, desk):
    for number in range(300):
        desk.ticket(title=f"Ticket number {number} with a reasonably long title to fill a pipe")
    pipeline = subprocess.run(
        f"{sys.executable} main.py --db {database_url} tickets --json | head -c 100 >/dev/null",
        shell=True,
        cwd=REPO,
        capture_output=True,
        timeout=60,
        env={**os.environ, "TIERDESK_DB": ""},
    )
    assert b"Traceback" not in pipeline.stderr
    assert b"BrokenPipe" not in pipeline.stderr


def test_a_console_that_cannot_print_arrows_still_gets_the_result(database_url, desk):
    ticket = desk.ticket(title="Grüße → 東京")
    desk.tickets.escalate("lena", ticket.key, ticket.version)
    shown = run(
        "--db", database_url, "ticket", "show", ticket.key, env={"PYTHONIOENCODING": "ascii"}
    )
    assert shown.returncode == 0, shown.stderr
    assert "moved it L1 → L2" in shown.stdout.decode("utf-8")
    as_json = run("--db", database_url, "ticket", "show", ticket.key, "--json")
    assert json.loads(as_json.stdout)["ticket"]["title"] == "Grüße → 東京"
