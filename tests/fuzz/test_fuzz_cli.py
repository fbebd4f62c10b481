"""Every command and option of the CLI fuzzed, in this process (``app.cli.main``): argument
lists built from the parser's own commands and options (so new commands are fuzzed as soon as
they exist), with values that are right, slightly wrong or absurd. The CLI exits 0 or with a
documented code (2-6), prints no traceback and no "internal error", and a refused command leaves
the database as it was. (tests/integration/test_cli_robustness.py covers what needs a real
process: bytes in argv, a broken pipe, a console that cannot print.)"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.cli import build_parser
from app.services.database import open_database
from app.services.sla_policy import SlaPolicyService
from tests.factories import STANDARD_PEOPLE, Desk, database_snapshot, make_desk
from tests.fuzz.conftest import DOCUMENTED_EXIT_CODES, Counter, fuzz_settings, run_cli
from tests.fuzz.mutations import AWKWARD_TEXTS
from tests.fuzz.test_fuzz_config import SEED_TEXT
from tests.fuzz.test_fuzz_import import SEED_MAPPING, fresh_rows, log_text
from tests.fuzz.test_fuzz_rules import VALID_RULES

SKIPPED_OPTIONS = {"-h", "--help", "--smoke", "--db"}  # --smoke starts Qt; --db is drawn apart


def leaf_commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every runnable command (``ticket move``, ``config import``...) with its parser."""
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        return [(path, parser)]
    found = []
    for group in groups:
        for name, sub in group.choices.items():
            found += leaf_commands(sub, (*path, name))
    return found


COMMANDS = [
    (path, parser)
    for path, parser in leaf_commands(build_parser())
    if path  # no path: the GUI
]

#: files in the working folder (the test's temporary one) that FILE arguments may name
FILES = ["config.json", "rules.json", "mapping.json", "log.csv", "broken.json", "empty.json",
         "missing.json", "out.xlsx", "out.json", "-", ".", "sub/missing.csv"]  # fmt: skip
TEXTS_IN_ARGV = [text for text in AWKWARD_TEXTS if "\x00" not in text]  # argv cannot hold NUL
HINTS: dict[str, list[str]] = {
    "key": ["TD-1001", "TD-1002", "TD-1003", "td-1001", "TD-99999", "TD-", "1001"],
    "actor": [*STANDARD_PEOPLE, "nobody", "LENA"],
    "login": [*STANDARD_PEOPLE, "nobody"],
    "to": ["L1", "L2", "L3", "Vendor", "up", "lena", "tom", "in_progress", "resolved", "open"],
    "tier": ["L1", "L2", "l3", "Vendor", "L9"],
    "status": ["new", "open", "in_progress", "resolved", "closed", "bogus"],
    "priority": ["P1", "P4", "P5", "auto", "p2"],
    "impact": ["high", "medium", "low", "huge"],
    "urgency": ["high", "medium", "low", "huge"],
    "category": ["Printer", "Laptop", "Database", "Password reset", "Nope"],
    "start": ["2026-03-01", "2026-02-31", "01/03/2026", "2026-03-01T00:00"],
    "end": ["2026-03-31", "1999-01-01", "9999-12-31", "tomorrow"],
    "at": ["2026-03-02T09:00:00+00:00", "2026-03-02T09:00:00", "2026-03-02T09:00Z", "never"],
    "period": ["day", "week", "month"],
    "file": FILES,
    "mapping": FILES,
    "xlsx": FILES,
    "address": ["lena@example.com", "not an address", "@", "a@b"],
    "time_zone": ["Europe/Berlin", "UTC", "Mars/Olympus", "../../etc/passwd"],
    "mail_time_zone": ["UTC", "Mars/Olympus"],
}
NUMBERS = ["0", "1", "2", "-1", "30", "366", "367", "99999999999999999999", "1.5", "1e3", "x"]


def values_for(action: argparse.Action) -> st.SearchStrategy[str]:
    hinted = HINTS.get(action.dest, [])
    if action.choices:
        hinted = [*hinted, *map(str, action.choices)]
    if action.type is not None and action.type is not str:
        hinted = [*hinted, *NUMBERS]
    pool = st.sampled_from(hinted) if hinted else st.nothing()
    return st.one_of(pool, pool, pool, st.sampled_from(TEXTS_IN_ARGV), st.text(max_size=8))


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[list[str], bool]:
    """(argv after ``--db URL``, whether it may write): a command, its positionals (rarely
    left out), some of its options with values, now and then an unknown option or a value
    too many."""
    path, parser = draw(st.sampled_from(COMMANDS))
    argv: list[str] = []
    if draw(st.booleans()):
        argv += ["--as", draw(values_for(_action(build_parser(), "actor")))]
    argv += list(path)
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        given = draw(st.booleans()) if action.nargs == "?" else draw(st.integers(0, 9)) > 0
        if given:
            argv.append(draw(values_for(action)))
    options = [
        a for a in parser._actions
        if a.option_strings and not set(a.option_strings) & SKIPPED_OPTIONS
    ]  # fmt: skip
    for action in options:
        if not (action.required or draw(st.integers(0, 2)) == 0):
            continue
        argv.append(draw(st.sampled_from(action.option_strings)))
        if action.nargs != 0:
            argv.append(draw(values_for(action)))
    if path == ("worker",) and "--once" not in argv:
        argv.append("--once")  # without it the worker runs until stopped
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(st.sampled_from(
            ["--bogus", "extra", "--json", "--version", "--help", "--", "-"]
        )))  # fmt: skip
    return argv, True


def _action(parser: argparse.ArgumentParser, dest: str) -> argparse.Action:
    return next(action for action in parser._actions if action.dest == dest)


@pytest.fixture
def cli_desk(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The standard desk with an SLA policy and three tickets, and the files FILE arguments
    name, in a working folder of its own (commands write their outputs there)."""
    database = open_database(sqlite_url)
    desk = make_desk(database)
    SlaPolicyService(database, desk.clock).install_default("Europe/Berlin")
    for category in ("Password reset", "Printer", "Laptop"):
        desk.ticket(category=category)
    work = tmp_path / "work"
    work.mkdir()
    (work / "config.json").write_text(SEED_TEXT, encoding="utf-8")
    (work / "rules.json").write_text(json.dumps(VALID_RULES), encoding="utf-8")
    (work / "mapping.json").write_text(json.dumps(SEED_MAPPING), encoding="utf-8")
    (work / "log.csv").write_text(log_text(fresh_rows()), encoding="utf-8")
    (work / "broken.json").write_text('{"format": 1, "tiers": [', encoding="utf-8")
    (work / "empty.json").write_text("", encoding="utf-8")
    monkeypatch.chdir(work)
    for name in ("TIERDESK_USER", "TIERDESK_DB", "TIERDESK_DEBUG", "TIERDESK_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    yield desk, sqlite_url
    database.close()


def check_command(desk: Desk, url: str, argv: list[str], counter: Counter) -> None:
    before = database_snapshot(desk.database)
    code, out, err = run_cli(["--db", url, *argv])
    shown = f"argv={argv!r}\nexit {code}\nstdout: {out[-2000:]}\nstderr: {err[-2000:]}"
    assert code in DOCUMENTED_EXIT_CODES, shown
    assert "Traceback" not in out + err, shown
    assert "internal error" not in err, shown
    if code == 0:
        counter.count("exit 0")
        return
    assert err.strip(), f"refused without a word: {shown}"
    assert database_snapshot(desk.database) == before, f"refused but wrote: {shown}"
    counter.count(f"exit {code}")


@fuzz_settings(150)
@given(line=command_lines())
@example(line=(["rules", "preview", "broken.json"], True))
@example(line=(["config", "import", "config.json"], True))
def test_every_command_with_random_arguments_exits_cleanly(
    cli_desk: Any, fuzz_counter: Counter, line: tuple[list[str], bool]
) -> None:
    desk, url = cli_desk
    check_command(desk, url, line[0], fuzz_counter)


def test_the_fuzzer_reaches_every_command() -> None:
    """A command added to the parser is fuzzed without anyone listing it here."""
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"tickets", "ticket move", "config import", "import-history", "report"} <= names
    assert len(names) >= 25, sorted(names)


@pytest.mark.parametrize(
    "argv",
    [["backup", "y" * 300], ["restore", "y" * 300], ["import-history", "y" * 300, "--mapping",
     "mapping.json"], ["config", "import", "y" * 300], ["rules", "preview", "y" * 300],
     ["report", "--xlsx", "y" * 300 + ".xlsx"], ["config", "export", "y" * 300]],
)  # fmt: skip
def test_a_file_name_too_long_for_the_system_is_refused_naming_it(
    cli_desk: Any, fuzz_counter: Counter, argv: list[str]
) -> None:
    """Found by the fuzzer: names over 255 bytes made ``Path.is_dir`` raise (ENAMETOOLONG)."""
    desk, url = cli_desk
    check_command(desk, url, ["--as", "ada", *argv], fuzz_counter)
