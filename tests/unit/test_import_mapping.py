"""History import without a database: the mapping file's checks (each refusal names the key),
the readers (plain and gzip CSV, byte-order marks, encodings, XLSX) and the first step that
reads rows through a mapping (missing values, bad values and order, with file row numbers)."""

from __future__ import annotations

import gzip
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from app.models import EventKind, Level, Priority, TicketEvent, TicketStatus
from app.services.demo_story import EVENT_COLUMNS, TICKET_COLUMNS
from app.services.errors import InvalidInput
from app.services.history import replay
from app.services.history_import.histories import DeskIds, build_ticket, new_comments
from app.services.history_import.mapping import load_mapping, parse_mapping
from app.services.history_import.readers import TimeParser, open_event_log
from app.services.history_import.rows import SourceRow, TicketHead, parse_log

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "uci-incident-mapping.json"
HEADER = ["id", "when", "state", "group", "who"]


def minimal(**overrides: Any) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        "format": {"date_format": "%d/%m/%Y %H:%M", "missing": ["?"]},
        "key": "id",
        "time": "when",
        "status": {"column": "state", "values": {"Open": "open", "Done": "resolved"}},
        "category": {"default": "Printer"},
        "tier": "group",
        "assignee": {"column": "who"},
    }
    mapping.update(overrides)
    return mapping


def refusal(raw: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        parse_mapping(raw)
    return caught.value


# ------------------------------------------------------------------------------ the mapping
def test_a_minimal_mapping_gets_documented_defaults():
    mapping = parse_mapping(minimal())
    assert mapping.order == "file"
    assert mapping.bad_rows == "abort"
    assert mapping.impact.default == "medium" and mapping.urgency.default == "medium"
    assert mapping.priority is None  # from impact x urgency
    assert mapping.title == "{id}"
    assert mapping.format.encoding == "utf-8"
    assert mapping.format.missing == {"", "?"}
    assert mapping.columns() == {"id", "when", "state", "group", "who"}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (minimal(colour="blue"), "colour"),
        (minimal(status={"column": "state", "values": {"Open": "opened"}}), "status.values.Open"),
        (minimal(status={"column": "state", "valeus": {}}), "status.valeus"),
        (minimal(format={"time_zone": "Mars/Olympus"}), "format.time_zone"),
        (minimal(format={"encoding": "klingon-8"}), "format.encoding"),
        (minimal(format={"delimiter": ";;"}), "format.delimiter"),
        (minimal(format={"date_format": 5}), "format.date_format"),
        (minimal(order="random"), "order"),
        (minimal(bad_rows="ignore"), "bad_rows"),
        (minimal(priority={"column": "p", "values": {"1": "P9"}}), "priority.values.1"),
        (minimal(tier={"column": "group", "values": {}, "counts": {"0": "L1"}}), "tier"),
        (minimal(tier={"column": "n", "counts": {"one": "L1"}}), "tier.counts.one"),
        (
            minimal(tier={"column": "g", "otherwise": {"values": {"x": "L2"}}}),
            "tier.otherwise.column",
        ),
        (minimal(category={"column": "c", "create_missing": "yes"}), "category.create_missing"),
        ({k: v for k, v in minimal().items() if k != "status"}, "status"),
        ({k: v for k, v in minimal().items() if k != "tier"}, "tier"),
        (minimal(key=""), "key"),
        (minimal(comments={"colum": "notes"}), "comments.colum"),
        (minimal(comments="notes"), "comments"),
        ([1, 2], "mapping"),
    ],
)
def test_an_invalid_mapping_is_refused_naming_the_key(raw, field):
    assert refusal(raw).field == field


def test_a_mapping_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "mapping.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_mapping(path)
    assert caught.value.field == "mapping"
    with pytest.raises(InvalidInput, match="cannot read"):
        load_mapping(tmp_path / "absent.json")


def test_the_shipped_uci_mapping_is_valid():
    mapping = load_mapping(EXAMPLE)
    assert mapping.key == "number" and mapping.order == "time"
    assert mapping.status.values is not None and mapping.status.values["-100"] is None
    assert mapping.tier.tier_codes() == {"L1", "L2", "L3"}


# ------------------------------------------------------------------------------ the readers
ROWS = [
    HEADER,
    ["T-1", "02/03/2026 09:00", "Open", "L1", "?"],
    ["T-1", "02/03/2026 10:30", "Done", "L2", "tom"],
]  # noqa: E501


def write_csv(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", bom: bool = False
) -> Path:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return path


def read_all(path: Path, **fmt: Any) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    mapping = parse_mapping(minimal(format={"date_format": "%d/%m/%Y %H:%M", **fmt}))
    log = open_event_log(path, mapping.format)
    try:
        return log.columns, [(number, list(cells)) for number, cells in log.rows()]
    finally:
        log.close()


def test_gzip_csv_reads_like_the_plain_file_whatever_its_name(tmp_path):
    plain = read_all(write_csv(tmp_path / "log.csv", ROWS))
    compressed = read_all(write_csv(tmp_path / "log.csv.gz", ROWS))
    assert compressed == plain
    assert plain[0] == HEADER
    assert [number for number, _ in plain[1]] == [2, 3]  # the header is row 1
    renamed = tmp_path / "export.dat"
    renamed.write_bytes((tmp_path / "log.csv.gz").read_bytes())
    assert read_all(renamed) == plain


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path):
    columns, _ = read_all(write_csv(tmp_path / "bom.csv", ROWS, bom=True))
    assert columns[0] == "id"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_other_encodings_read_when_declared(tmp_path, encoding):
    rows = [HEADER, ["T-1", "02/03/2026 09:00", "Open", "L1", "José Núñez"]]
    _, read = read_all(write_csv(tmp_path / "enc.csv", rows, encoding=encoding), encoding=encoding)
    assert read[0][1][4] == "José Núñez"


def test_a_wrong_encoding_is_refused_naming_the_row(tmp_path):
    rows = [HEADER, ["T-1", "02/03/2026 09:00", "Open", "L1", "ok"]] + [
        ["T-2", "02/03/2026 09:00", "Open", "L1", "Zoë"]
    ]
    path = write_csv(tmp_path / "latin.csv", rows, encoding="latin-1")
    with pytest.raises(InvalidInput) as caught:
        read_all(path)
    assert caught.value.field == "format.encoding"
    assert "line 3" in caught.value.message


def test_xlsx_rows_keep_dates_and_lose_the_point_zero_of_whole_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Other"
    data = book.create_sheet("Events")
    data.append(["id", "when", "state", "group", "who", "count"])
    data.append(["T-1", datetime(2026, 3, 2, 9, 0), "Open", "L1", None, 3.0])
    data.append([None] * 6)  # blank rows are skipped, numbering is kept
    data.append(["T-1", "02/03/2026 10:30", "Done", "L2", "tom", 4])
    path = tmp_path / "log.xlsx"
    book.save(path)
    columns, rows = read_all(path, sheet="Events")
    assert columns == ["id", "when", "state", "group", "who", "count"]
    assert rows[0] == (2, ["T-1", datetime(2026, 3, 2, 9, 0), "Open", "L1", None, "3"])
    assert rows[1][0] == 4
    with pytest.raises(InvalidInput) as caught:
        read_all(path, sheet="Missing")
    assert caught.value.field == "format.sheet"


def test_times_parse_by_any_listed_format_in_the_mapping_time_zone():
    mapping = parse_mapping(
        minimal(format={"date_format": ["%d/%m/%Y %H:%M", "iso"], "time_zone": "Europe/Berlin"})
    )
    parse = TimeParser(mapping.format)
    assert parse("29/2/2016 01:16") == datetime(2016, 2, 29, 0, 16, tzinfo=UTC)
    assert parse("2016-07-01T12:00:00") == datetime(2016, 7, 1, 10, 0, tzinfo=UTC)
    assert parse(datetime(2016, 7, 1, 12, 0)) == datetime(2016, 7, 1, 10, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a date"):
        parse("yesterday")


# ------------------------------------------------------------------------------ reading rows
def parse_rows(tmp_path: Path, rows: list[list[str]], **overrides: Any):
    mapping = parse_mapping(minimal(**overrides))
    log = open_event_log(write_csv(tmp_path / "log.csv", rows), mapping.format)
    try:
        return parse_log(log, mapping)
    finally:
        log.close()


def test_rows_become_desk_values_and_a_missing_marker_means_no_change(tmp_path):
    rows = [
        HEADER + ["impact", "prio"],
        ["T-1", "02/03/2026 09:00", "Open", "L1", "?", "1 - High", "?"],
        ["T-1", "02/03/2026 10:30", "?", "?", "tom", "?", "2"],
    ]
    parsed = parse_rows(
        tmp_path,
        rows,
        impact={"column": "impact", "values": {"1 - High": "high"}},
        priority={"column": "prio", "values": {"2": "P2"}},
    )
    first, second = parsed.tickets["T-1"]
    assert (first.status, first.tier, first.assignee, first.impact) == (
        TicketStatus.OPEN, "L1", None, Level.HIGH,
    )  # fmt: skip
    assert (second.status, second.tier, second.assignee, second.impact, second.priority) == (
        None, None, "tom", None, Priority.P2,
    )  # fmt: skip
    assert parsed.bad_rows == []


def test_bad_rows_are_reported_with_their_file_row_numbers_and_reasons(tmp_path):
    rows = [
        HEADER,
        ["T-1", "02/03/2026 09:00", "Open", "L1", "?"],
        ["T-1", "31/02/2026 10:00", "Open", "L1", "?"],  # row 3: no such date
        ["T-2", "02/03/2026 09:00", "Paused", "L1", "?"],  # row 4: unknown status
        ["T-2", "02/03/2026 11:00", "Open", "L1", "?"],
        ["T-2", "02/03/2026 10:00", "Done", "L1", "?"],  # row 6: before row 5
        ["", "02/03/2026 10:00", "Done", "L1", "?"],  # row 7: no key
    ]
    parsed = parse_rows(tmp_path, rows)
    reasons = {bad.row: (bad.key, bad.reason) for bad in parsed.bad_rows}
    assert sorted(reasons) == [3, 4, 6, 7]
    assert "31/02/2026 10:00" in reasons[3][1]
    assert reasons[4][0] == "T-2" and "'Paused'" in reasons[4][1]
    assert "out of order" in reasons[6][1] and "row 5" in reasons[6][1]
    assert "no ticket key" in reasons[7][1]


def test_time_order_sorts_each_ticket_instead_of_refusing(tmp_path):
    rows = [
        HEADER,
        ["T-1", "02/03/2026 11:00", "Done", "L2", "?"],
        ["T-1", "02/03/2026 09:00", "Open", "L1", "?"],
    ]
    parsed = parse_rows(tmp_path, rows, order="time")
    assert parsed.bad_rows == []
    assert [row.number for row in parsed.tickets["T-1"]] == [3, 2]


def test_tier_rules_table_suffix_count_and_otherwise(tmp_path):
    rows = [
        ["id", "when", "state", "group", "who", "moves"],
        ["A", "02/03/2026 09:00", "Open", "Service Desk", "?", "0"],
        ["A", "02/03/2026 09:10", "Open", "Network-L3", "?", "1"],
        ["A", "02/03/2026 09:20", "Open", "Apps", "?", "1"],
        ["A", "02/03/2026 09:30", "Open", "Apps", "?", "4"],
        ["A", "02/03/2026 09:40", "Open", "?", "?", "4"],
    ]
    tier = {
        "column": "group",
        "values": {"Service Desk": "L1"},
        "missing": "L1",
        "otherwise": {
            "column": "group",
            "suffixes": {"-L3": "L3"},
            "otherwise": {"column": "moves", "counts": {"0": "L2", "3": "L3"}},
        },
    }
    parsed = parse_rows(tmp_path, rows, tier=tier)
    assert [row.tier for row in parsed.tickets["A"]] == ["L1", "L3", "L2", "L3", "L1"]


def test_a_column_the_file_lacks_is_refused_naming_the_mapping_key(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        parse_rows(tmp_path, [HEADER, ROWS[1]], assignee={"column": "owner"})
    assert caught.value.field == "assignee.column"
    assert "'owner'" in caught.value.message


def test_the_example_mapping_reads_the_real_log_header(tmp_path):
    mapping = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert parse_mapping(mapping).columns() <= {
        "number", "incident_state", "reassignment_count", "opened_at", "sys_updated_at",
        "caller_id", "contact_type", "location", "category", "subcategory", "u_symptom",
        "impact", "urgency", "priority", "assignment_group", "assigned_to",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        ("%d/%m/%Y %H:%M", "29/2/2016 01:16"),
        ("%d/%m/%Y %H:%M", "29/2/2015 01:16"),  # no 29 February in 2015
        ("%d/%m/%Y %H:%M", "1/1/2016 24:00"),
        ("%d/%m/%Y %H:%M", "1/1/2016 01:16 trailing"),
        ("%d/%m/%Y  %H:%M", "1/1/2016   01:16"),
        ("%Y-%m-%dT%H:%M:%S", "2026-01-05T09:00:07"),
        ("%H:%M %d.%m.%Y", "9:05 05.01.2026"),
        ("%b %d %Y", "Jan 05 2026"),  # not numeric: strptime itself
    ],
)
def test_the_fast_date_parser_agrees_with_strptime(pattern, text):
    mapping = parse_mapping(minimal(format={"date_format": pattern}))
    try:
        expected = datetime.strptime(text, pattern).replace(tzinfo=UTC)
    except ValueError:
        with pytest.raises(ValueError):
            TimeParser(mapping.format)(text)
    else:
        assert TimeParser(mapping.format)(text) == expected


# ------------------------------------------------------------------- rebuilt histories
def optional(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | values


source_rows = st.lists(
    st.tuples(
        st.integers(0, 90),  # minutes after the previous row
        optional(st.sampled_from(list(TicketStatus))),
        optional(st.sampled_from(["L1", "L2", "L3"])),
        optional(st.sampled_from(["ann", "bob"])),
        optional(st.sampled_from(list(Level))),
        optional(st.sampled_from(list(Level))),
        optional(st.sampled_from(list(Priority))),
        optional(st.sampled_from(["Printer", "Laptop"])),
        optional(st.sampled_from(["first note", "second note"])),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(source_rows, st.booleans())
def test_a_rebuilt_history_replays_to_its_ticket_row(rows, priority_column):
    """Whatever a log says, in whatever order of statuses (closed then active, resolved twice),
    the ticket row is exactly what its history replays to: ``verify`` holds for any import."""
    ids = DeskIds(
        tier_ids={"L1": 1, "L2": 2, "L3": 3},
        category_ids={"Printer": 10, "Laptop": 11},
        user_ids={"ann": 20, "bob": 21},
        lowest_tier_id=1,
        default_category_id=12,
        default_impact=Level.MEDIUM,
        default_urgency=Level.MEDIUM,
        priority_from_column=priority_column,
        actor_id=99,
    )
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    source = []
    for number, row in enumerate(rows, start=2):
        minutes, status, tier, who, impact, urgency, priority, category, note = row
        at += timedelta(minutes=minutes)
        priority = priority if priority_column else None
        values = (status, impact, urgency, priority, category, who, tier, note)
        source.append(SourceRow(number, at, *values))
    head = TicketHead("Title", "", "Requester", None)
    built = build_ticket(7, "K-1", head, source, ids, itertools.count(1))
    events = [
        TicketEvent(
            **dict(zip(EVENT_COLUMNS[1:], row, strict=True))
            | {"kind": EventKind(row[2]), "details": json.loads(row[13]) if row[13] else None}
        )
        for row in built.events
    ]
    replayed = replay(events)
    ticket = dict(zip(TICKET_COLUMNS, built.ticket, strict=True))
    for name in (
        "category_id", "impact", "urgency", "priority", "priority_overridden", "status",
        "tier_id", "assignee_id", "reopen_count", "created_at", "updated_at", "resolved_at",
        "closed_at", "version",
    ):  # fmt: skip
        assert getattr(replayed, name) == ticket[name], name
    versions = [event.ticket_version for event in events]
    assert versions == sorted(versions) and versions[-1] == ticket["version"]
    assert len(built.comments) == new_comments(source)
