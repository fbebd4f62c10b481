"""History import on SQLite and PostgreSQL: small logs with known histories become tickets whose
events happened at the original times and whose rows agree with their history; bad rows are
reported with file row numbers and nothing is written; a second import adds nothing; a cancel
leaves nothing; the real ServiceNow log imports with the shipped mapping."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.cli import main
from app.models import Category, ClockKind, EventKind, Ticket, TicketClock, Tier, User
from app.services.database import open_database
from app.services.errors import InvalidInput
from app.services.history import check_history
from app.services.history_import import HistoryImporter, ImportCancelled, parse_mapping
from app.services.sla_policy import SlaPolicyService
from tests.factories import database_snapshot, history_mismatches

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("TIERDESK_SHARED_DATA", REPO.parent / "shared" / "data"))
REAL_LOG = SHARED_DATA / "uci_incident_event_log.csv.gz"

HEADER = ["key", "at", "state", "tier", "owner", "category", "impact", "urgency"]
#: Three tickets with known lives (file rows 2-14): an escalation and hand-back ending closed,
#: an open ticket waiting on the customer at L2 whose impact rises, and a reopened ticket.
KNOWN = [
    ["HIST-1", "2026-01-05 09:00", "New", "L1", "?", "Printer", "medium", "medium"],
    ["HIST-1", "2026-01-05 09:15", "Active", "L1", "lena", "Printer", "medium", "medium"],
    ["HIST-1", "2026-01-05 10:00", "Active", "L2", "tom", "Printer", "medium", "medium"],
    ["HIST-1", "2026-01-05 11:00", "Active", "L1", "lena", "Printer", "medium", "medium"],
    ["HIST-1", "2026-01-05 12:00", "Resolved", "L1", "lena", "Printer", "medium", "medium"],
    ["HIST-1", "2026-01-06 12:00", "Closed", "L1", "lena", "Printer", "medium", "medium"],
    ["HIST-2", "2026-01-05 09:30", "New", "L1", "?", "Laptop", "low", "low"],
    ["HIST-2", "2026-01-05 10:00", "Active", "L2", "tom", "Laptop", "high", "low"],
    ["HIST-2", "2026-01-05 10:30", "Awaiting User", "L2", "tom", "?", "high", "low"],
    ["HIST-3", "2026-01-05 08:00", "New", "L1", "omar", "Password reset", "?", "?"],
    ["HIST-3", "2026-01-05 08:30", "Resolved", "L1", "omar", "Password reset", "?", "?"],
    ["HIST-3", "2026-01-05 09:00", "Active", "L1", "omar", "Password reset", "?", "?"],
    ["HIST-3", "2026-01-05 09:30", "Resolved", "L1", "omar", "Password reset", "?", "?"],
]
STATES = {
    "New": "new",
    "Active": "in_progress",
    "Awaiting User": "waiting_on_customer",
    "Resolved": "resolved",
    "Closed": "closed",
}


def mapping_for(**overrides: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "format": {"date_format": "%Y-%m-%d %H:%M", "missing": ["?"]},
        "key": "key",
        "time": "at",
        "title": "Imported {key}",
        "status": {"column": "state", "values": STATES},
        "impact": {"column": "impact"},
        "urgency": {"column": "urgency"},
        "category": {"column": "category"},
        "assignee": {"column": "owner"},
        "tier": "tier",
        "imported_by": "ada",
    }
    raw.update(overrides)
    return raw


def write_log(
    path: Path, rows: list[list[str]], kind: str = "csv", header: list[str] = HEADER
) -> Path:
    """The rows (after the header) as CSV, gzip CSV with a byte-order mark, or XLSX (times
    as real spreadsheet dates)."""
    if kind == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            cells: list[Any] = list(row)
            cells[1] = datetime.strptime(row[1], "%Y-%m-%d %H:%M")
            sheet.append(cells)
        book.save(path)
        return path
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, *rows])
    data = buffer.getvalue().encode("utf-8")
    if kind == "gz":
        data = gzip.compress(b"\xef\xbb\xbf" + data)
    path.write_bytes(data)
    return path


def run_import(database, path: Path, **overrides: Any):
    return HistoryImporter(database).run(path, parse_mapping(mapping_for(**overrides)))


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


@pytest.mark.parametrize("kind", ["csv", "gz", "xlsx"])
def test_known_histories_are_rebuilt_at_their_original_times(desk, tmp_path, kind):
    path = write_log(tmp_path / f"log.{kind}", KNOWN, kind)
    report = run_import(desk.database, path)
    assert report.applied
    assert (report.rows_read, report.tickets_created, report.rows_rejected) == (13, 3, 0)

    first = desk.tickets.get("HIST-1")
    assert (first.ticket.status.value, first.ticket.tier, first.ticket.assignee) == (
        "closed", "L1", "lena",
    )  # fmt: skip
    assert [(e.kind, e.at, e.ticket_version) for e in first.events] == [
        (EventKind.CREATED, at("2026-01-05 09:00"), 1),
        (EventKind.ASSIGNED, at("2026-01-05 09:15"), 2),
        (EventKind.STATUS_CHANGED, at("2026-01-05 09:15"), 2),
        (EventKind.TIER_CHANGED, at("2026-01-05 10:00"), 3),
        (EventKind.ASSIGNED, at("2026-01-05 10:00"), 3),
        (EventKind.TIER_CHANGED, at("2026-01-05 11:00"), 4),
        (EventKind.ASSIGNED, at("2026-01-05 11:00"), 4),
        (EventKind.STATUS_CHANGED, at("2026-01-05 12:00"), 5),
        (EventKind.STATUS_CHANGED, at("2026-01-06 12:00"), 6),
    ]
    moves = [(e.from_tier, e.to_tier) for e in first.events if e.kind == EventKind.TIER_CHANGED]
    assert moves == [("L1", "L2"), ("L2", "L1")]
    assert all(event.actor == "ada" for event in first.events)
    assert first.ticket.resolved_at == at("2026-01-05 12:00")
    assert first.ticket.closed_at == at("2026-01-06 12:00")
    assert first.ticket.title == "Imported HIST-1" and first.ticket.category == "Printer"

    second = desk.tickets.get("HIST-2").ticket
    assert (second.status.value, second.tier, second.category) == (
        "waiting_on_customer", "L2", "Laptop",
    )  # fmt: skip
    assert (second.impact.value, second.priority.value) == ("high", "P3")  # low/low was P4
    third = desk.tickets.get("HIST-3")
    assert third.ticket.reopen_count == 1 and third.ticket.status.value == "resolved"
    assert [e.kind for e in third.events].count(EventKind.REOPENED) == 1
    assert third.ticket.created_at == at("2026-01-05 08:00")

    assert history_mismatches(desk.database) == []
    assert check_history(desk.database).checked == 3


def test_a_finished_ticket_is_reopened_before_it_moves_and_stays_put_while_finished(desk, tmp_path):
    """As on the desk: a resolved ticket whose log row names another tier does not move (its
    tier is where it was resolved); a row that reopens it and names a tier reopens, then
    moves. (Otherwise the backlog over time counts a finished ticket at the new tier.)"""
    rows = [
        ["MOVE-1", "2026-01-05 09:00", "New", "L1", "?", "Printer", "medium", "medium"],
        ["MOVE-1", "2026-01-05 10:00", "Resolved", "L1", "lena", "Printer", "medium", "medium"],
        ["MOVE-1", "2026-01-05 11:00", "Resolved", "L2", "lena", "Printer", "medium", "medium"],
        ["MOVE-1", "2026-01-05 12:00", "Active", "L2", "tom", "Printer", "medium", "medium"],
    ]
    assert run_import(desk.database, write_log(tmp_path / "log.csv", rows)).applied
    events = desk.tickets.get("MOVE-1").events
    moves = [
        (e.ticket_version, e.from_tier, e.to_tier) for e in events if e.to_tier and e.from_tier
    ]
    reopened = [e.ticket_version for e in events if e.kind == EventKind.REOPENED]
    assert moves == [(reopened[0], "L1", "L2")]  # one move, with the reopening, after it
    kinds = [e.kind for e in events if e.ticket_version == reopened[0]]
    assert kinds.index(EventKind.REOPENED) < kinds.index(EventKind.TIER_CHANGED)
    assert history_mismatches(desk.database) == []


def test_bad_rows_are_reported_by_file_row_and_nothing_is_written(desk, tmp_path):
    rows = [list(row) for row in KNOWN]
    rows[2][1] = "2026-13-05 10:00"  # file row 4: no 13th month
    rows[8][2] = "Parked"  # file row 10: a state the mapping does not know
    rows[12][1] = "2026-01-05 08:45"  # file row 14: before row 13 of HIST-3
    path = write_log(tmp_path / "bad.csv", rows)
    before = database_snapshot(desk.database)
    report = run_import(desk.database, path)
    assert not report.applied
    assert [(bad.row, bad.key) for bad in report.bad_rows] == [
        (4, "HIST-1"), (10, "HIST-2"), (14, "HIST-3"),
    ]  # fmt: skip
    assert "2026-13-05 10:00" in report.bad_rows[0].reason
    assert "'Parked'" in report.bad_rows[1].reason
    assert "out of order" in report.bad_rows[2].reason
    assert (report.rows_rejected, report.tickets_created) == (3, 0)
    assert database_snapshot(desk.database) == before


def test_skip_ticket_imports_the_tickets_without_bad_rows(desk, tmp_path):
    rows = [list(row) for row in KNOWN]
    rows[8][4] = "nobody.here"  # file row 10: a person the desk does not have
    report = run_import(
        desk.database, write_log(tmp_path / "log.csv", rows), bad_rows="skip_ticket"
    )
    assert report.applied
    assert [(bad.row, bad.key) for bad in report.bad_rows] == [(10, "HIST-2")]
    assert "not on the desk" in report.bad_rows[0].reason
    assert (report.tickets_created, report.tickets_rejected) == (2, 1)
    keys = {view.key for view in desk.tickets.list()}
    assert {"HIST-1", "HIST-3"} <= keys and "HIST-2" not in keys


def test_a_second_import_of_the_same_file_adds_nothing(desk, tmp_path):
    path = write_log(tmp_path / "log.csv", KNOWN)
    run_import(desk.database, path)
    before = database_snapshot(desk.database)
    again = run_import(desk.database, path)
    assert again.applied
    assert (again.tickets_created, again.events_created, again.tickets_already_present) == (0, 0, 3)
    assert database_snapshot(desk.database) == before


@pytest.mark.parametrize("phase", ["reading", "checking", "writing"])
def test_a_cancelled_import_writes_nothing(desk, tmp_path, phase):
    path = write_log(tmp_path / "log.csv", KNOWN)
    seen: list[str] = []
    before = database_snapshot(desk.database)
    mapping = parse_mapping(mapping_for(category={"column": "category", "create_missing": True}))
    with pytest.raises(ImportCancelled):
        HistoryImporter(desk.database).run(
            path,
            mapping,
            progress=lambda progress: seen.append(progress.phase),
            cancelled=lambda: phase in seen or phase == "reading",
        )
    assert database_snapshot(desk.database) == before


def test_progress_goes_through_every_phase_up_to_its_total(desk, tmp_path):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    reports: list[tuple[str, int, int]] = []
    HistoryImporter(desk.database).run(
        write_log(tmp_path / "log.csv", KNOWN),
        parse_mapping(mapping_for()),
        progress=lambda p: reports.append((p.phase, p.done, p.total)),
    )
    assert [phase for phase, _, _ in reports][0] == "reading"
    assert {phase for phase, _, _ in reports} == {"reading", "checking", "writing", "clocks"}
    assert ("writing", 3, 3) in reports


def test_names_the_desk_lacks_are_created_only_when_the_mapping_says(desk, tmp_path):
    rows = [list(row) for row in KNOWN]
    rows[6][5] = rows[7][5] = "Monitors"  # HIST-2's category
    rows[7][4] = rows[8][4] = "Resolver 7"  # HIST-2's person at L2
    path = write_log(tmp_path / "log.csv", rows)
    refused = run_import(desk.database, path)
    assert {bad.row for bad in refused.bad_rows} == {8, 9, 10}
    created = run_import(
        desk.database,
        path,
        category={"column": "category", "create_missing": True, "min_tier": "L2"},
        assignee={"column": "owner", "create_missing": True},
    )
    assert created.applied and created.categories_created == ("Monitors",)
    assert created.users_created == ("resolver.7",)
    with desk.database.read() as session:
        category = session.scalar(select(Category).where(Category.name == "Monitors"))
        assert category is not None and category.min_tier.code == "L2"
        person = session.scalar(select(User).where(User.login == "resolver.7"))
        assert person is not None and person.display_name == "Resolver 7"
        assert [tier.code for tier in person.tiers] == ["L2"]
    assert desk.tickets.get("HIST-2").ticket.assignee == "resolver.7"


def test_tiers_derived_by_table_and_count(desk, tmp_path):
    rows = [
        ["INC1", "2026-01-05 09:00", "New", "Service Desk", "?", "Printer", "medium", "0"],
        ["INC1", "2026-01-05 09:10", "Active", "Network", "?", "Printer", "medium", "1"],
        ["INC1", "2026-01-05 09:20", "Active", "Servers", "?", "Printer", "medium", "2"],
    ]
    mapping = mapping_for(
        urgency={"default": "medium"},
        tier={
            "column": "tier",
            "values": {"Service Desk": "L1"},
            "otherwise": {"column": "urgency", "counts": {"0": "L1", "1": "L2", "2": "L3"}},
        },
    )
    report = HistoryImporter(desk.database).run(
        write_log(tmp_path / "log.csv", rows), parse_mapping(mapping)
    )
    assert report.applied
    moves = [
        (e.from_tier, e.to_tier)
        for e in desk.tickets.get("INC1").events
        if e.kind == EventKind.TIER_CHANGED
    ]
    assert moves == [("L1", "L2"), ("L2", "L3")]


def test_an_unknown_tier_in_the_mapping_is_refused_before_anything(desk, tmp_path):
    path = write_log(tmp_path / "log.csv", KNOWN)
    with pytest.raises(InvalidInput) as caught:
        run_import(desk.database, path, tier={"column": "tier", "values": {"x": "L9"}})
    assert caught.value.field == "tier"


def test_comment_texts_become_comments_once_each(desk, tmp_path):
    header = [*HEADER, "notes"]
    rows = [
        [*KNOWN[0], "?"],
        [*KNOWN[1], "Called the user"],
        [*KNOWN[2], "Called the user"],  # a snapshot repeats the latest comment
        [*KNOWN[3], "Back to the desk, known error"],
    ]
    path = write_log(tmp_path / "log.csv", rows, header=header)
    report = run_import(desk.database, path, comments={"column": "notes"})
    assert report.comments_created == 2
    detail = desk.tickets.get("HIST-1")
    assert [(c.body, c.created_at) for c in detail.comments] == [
        ("Called the user", at("2026-01-05 09:15")),
        ("Back to the desk, known error", at("2026-01-05 11:00")),
    ]
    assert [e.kind for e in detail.events].count(EventKind.COMMENTED) == 2
    assert history_mismatches(desk.database) == []


def test_open_imported_tickets_get_their_sla_clocks(desk, tmp_path):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    report = run_import(desk.database, write_log(tmp_path / "log.csv", KNOWN))
    assert report.open_tickets_with_clocks == 1  # HIST-2, waiting on the customer at L2
    with desk.database.read() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.key == "HIST-2"))
        assert ticket is not None
        clocks = session.scalars(
            select(TicketClock).where(
                TicketClock.ticket_id == ticket.id, TicketClock.stopped_at.is_(None)
            )
        ).all()
        l2 = session.scalar(select(Tier.id).where(Tier.code == "L2"))
    tier_clock = next(clock for clock in clocks if clock.kind == ClockKind.TIER)
    assert tier_clock.tier_id == l2
    assert tier_clock.running_since is None  # paused: waiting on the customer
    assert tier_clock.started_at == at("2026-01-05 10:00")


def test_imported_keys_in_the_desk_form_move_the_counter_past_them(desk, tmp_path):
    rows = [["TD-5000", "2026-01-05 09:00", "New", "L1", "?", "Printer", "medium", "medium"]]
    run_import(desk.database, write_log(tmp_path / "log.csv", rows))
    assert desk.ticket().key == "TD-5001"


def test_an_empty_desk_gets_the_default_ladder(database, tmp_path):
    rows = [["A-1", "2026-01-05 09:00", "New", "L2", "?", "Anything", "medium", "medium"]]
    report = run_import(
        database,
        write_log(tmp_path / "log.csv", rows),
        category={"column": "category", "create_missing": True},
        imported_by="import",
    )
    assert report.applied and report.users_created == ("import",)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Tier)) == 4
        importer = session.scalar(select(User).where(User.login == "import"))
        assert importer is not None and not importer.active  # nobody signs in as it


def test_the_command_prints_counts_and_bad_rows_with_exit_codes(
    desk, database_url, tmp_path, capsys
):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(mapping_for()), encoding="utf-8")
    good = write_log(tmp_path / "good.csv", KNOWN)
    code = main(["--db", database_url, "import-history", str(good), "--mapping", str(mapping)])
    out, _ = capsys.readouterr()
    assert code == 0 and "imported 3 tickets with" in out

    bad_rows = [list(row) for row in KNOWN]
    bad_rows[0][0] = "NEW-1"
    bad_rows[0][1] = "soon"
    bad = write_log(tmp_path / "bad.csv", bad_rows)
    args = ["--db", database_url, "import-history", str(bad), "--mapping", str(mapping), "--json"]
    code = main(args)
    out, err = capsys.readouterr()
    assert code == 2
    printed = json.loads(out)
    assert printed["applied"] is False and printed["tickets_already_present"] == 3
    assert [row["row"] for row in printed["bad_rows"]] == [2]
    assert json.loads(err)["field"] == "file"

    mapping.write_text(json.dumps(mapping_for(status={"column": "state", "values": {"A": "x"}})))
    code = main(["--db", database_url, "import-history", str(good), "--mapping", str(mapping)])
    _, err = capsys.readouterr()
    assert code == 2 and "status.values.A" in err


def test_only_supervisors_and_admins_import(desk, database_url, tmp_path, capsys):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(mapping_for()), encoding="utf-8")
    log = write_log(tmp_path / "good.csv", KNOWN)
    before = database_snapshot(desk.database)
    command = ["--db", database_url, "import-history", str(log), "--mapping", str(mapping)]
    for login in ("lena", "max"):  # an agent, a manager
        code = main([*command, "--as", login])
        _, err = capsys.readouterr()
        assert code == 3 and "may not import history; supervisors and admins do" in err
    assert database_snapshot(desk.database) == before
    assert main([*command, "--as", "sara"]) == 0
    assert "imported 3 tickets" in capsys.readouterr().out


@pytest.mark.skipif(not REAL_LOG.exists(), reason=f"real incident log not found at {REAL_LOG}")
def test_the_real_log_imports_with_the_shipped_mapping(sqlite_url):
    database = open_database(sqlite_url)
    try:
        report = HistoryImporter(database).run(
            REAL_LOG, REPO / "examples" / "uci-incident-mapping.json"
        )
        assert report.applied and report.bad_rows == ()
        assert (report.rows_read, report.tickets_created) == (141_712, 24_918)
        check = check_history(database)
        assert (check.checked, check.mismatches) == (24_918, ())
        again = HistoryImporter(database).run(
            REAL_LOG, REPO / "examples" / "uci-incident-mapping.json"
        )
        assert (again.tickets_created, again.tickets_already_present) == (0, 24_918)
    finally:
        database.close()
