"""History import fuzzed: mappings with keys dropped, retyped or blown up, and event logs with
random bytes, wrong encodings, byte-order marks, broken quoting, missing columns, dates in the
wrong format, damaged gzip and "workbooks" that are not zip archives. ``HistoryImporter.run``
returns a report (bad rows named by file row number) or raises a ``TierDeskError`` naming the
mapping key or the file; whatever is not imported leaves the database as it was, and whatever
is imported agrees with its history."""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.services.database import open_database
from app.services.history_import import HistoryImporter
from app.services.history_import.importer import ImportReport
from tests.factories import Desk, database_snapshot, history_mismatches, make_desk
from tests.fuzz.conftest import Counter, fuzz_settings, refused_without_writing
from tests.fuzz.mutations import AWKWARD_TEXTS, Nested, expand, mutated
from tests.integration.test_history_import import HEADER, KNOWN, mapping_for

SEED_MAPPING = mapping_for()
#: a fresh key prefix per example, so that accepted logs always write new tickets (always of
#: the same length: hypothesis replays an example's draws and needs the same sizes)
PREFIXES = (f"F{number % 1_000_000:06d}-" for number in itertools.count())


@pytest.fixture
def import_desk(database_url: str) -> Any:
    database = open_database(database_url)
    yield make_desk(database)
    database.close()


def log_text(rows: list[list[str]], header: list[str] = HEADER, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows([header, *rows])
    return buffer.getvalue()


def dumps_unbounded(value: Any) -> str:
    """``json.dumps``, numbers of any length included (the file is what a user could write)."""
    limit, depth = sys.get_int_max_str_digits(), sys.getrecursionlimit()
    sys.set_int_max_str_digits(0)
    sys.setrecursionlimit(20_000)  # the fuzzers nest up to 3,000 deep
    try:
        return json.dumps(value)
    finally:
        sys.set_int_max_str_digits(limit)
        sys.setrecursionlimit(depth)


def fresh_rows() -> list[list[str]]:
    prefix = next(PREFIXES)
    return [[prefix + row[0], *row[1:]] for row in KNOWN]


def check_import(desk: Desk, log: Path, mapping: Path, counter: Counter) -> None:
    """The property: a report or a named refusal; nothing written unless applied; what is
    written replays from its history."""
    report, error = refused_without_writing(
        desk.database,
        lambda: _run_or_refuse(desk, log, mapping),
        counter,
        lambda report: "imported" if report.applied else "bad rows listed, nothing imported",
    )
    if error is not None:
        return
    assert isinstance(report, ImportReport)
    for bad in report.bad_rows:
        assert bad.row >= 2 and bad.reason.strip(), bad
    if report.applied:
        assert history_mismatches(desk.database) == []


def _run_or_refuse(desk: Desk, log: Path, mapping: Path) -> ImportReport:
    """``run``, turned into a refusal (checked for writing nothing) when it applied nothing."""
    before = database_snapshot(desk.database)
    report = HistoryImporter(desk.database).run(log, mapping)
    if not report.applied:
        assert database_snapshot(desk.database) == before, "an import not applied wrote"
    return report


# ------------------------------------------------------------------------------ mappings
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(120)
@given(raw=mutated(SEED_MAPPING, max_mutations=3))
@example(raw=SEED_MAPPING)
@example(raw={**SEED_MAPPING, "format": {"date_format": 10**5000}})
@example(raw={**SEED_MAPPING, "tier": {"column": "tier", "counts": {"1": ["L1"]}}})
@example(raw={**SEED_MAPPING, "status": {"column": "state", "values": {"New": ["new"]}}})
@example(raw={**SEED_MAPPING, "format": {"encoding": "rot13"}})
@example(raw={**SEED_MAPPING, "format": {"date_format": "%Q"}})
@example(raw={**SEED_MAPPING, "order": ["time"]})
@example(raw={**SEED_MAPPING, "order": 10**5000})
@example(raw={**SEED_MAPPING, "tier": {"column": "tier", "counts": {"9" * 5_000: "L1"}}})
@example(raw={**SEED_MAPPING, "": None})
@example(raw={**SEED_MAPPING, "tier": Nested(3_000, "tier", "dict")})
def test_mutated_mappings_import_or_are_refused_naming_the_key(
    import_desk: Desk, fuzz_counter: Counter, tmp_path: Path, raw: Any
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(log_text(fresh_rows()), encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(dumps_unbounded(expand(raw)), encoding="utf-8")
    check_import(import_desk, log, mapping, fuzz_counter)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@fuzz_settings(20)
@given(raw=mutated(SEED_MAPPING, max_mutations=3))
@example(raw={**SEED_MAPPING, "imported_by": "a\x00da"})
@example(raw={**SEED_MAPPING, "category": {"default": "Print\x00er", "create_missing": True}})
@example(
    raw={
        **SEED_MAPPING,
        "category": {
            "column": "category",
            "create_missing": True,
            "values": {"Printer": "Prin\x00ter"},
        },
    }
)
@example(
    raw={
        **SEED_MAPPING,
        "assignee": {"column": "owner", "create_missing": True, "values": {"lena": "le\x00na"}},
    }
)
@example(raw={**SEED_MAPPING, "tier": {"column": "tier", "values": {"L1": "L\x001"}}})
def test_mutated_mappings_on_postgresql(
    import_desk: Desk, fuzz_counter: Counter, tmp_path: Path, raw: Any
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(log_text(fresh_rows()), encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(dumps_unbounded(expand(raw)), encoding="utf-8")
    check_import(import_desk, log, mapping, fuzz_counter)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(30)
@given(content=st.one_of(st.binary(max_size=100), st.sampled_from([
    b"[" * 100_000 + b"]" * 100_000, b'{"key": ' + b"9" * 5_000 + b"}", b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00", b"null", b"",
])))  # fmt: skip
@example(content=b"[" * 100_000 + b"]" * 100_000)
@example(content=b'{"key": ' + b"9" * 5_000 + b"}")
def test_mapping_files_that_are_not_json_objects_are_refused(
    import_desk: Desk, fuzz_counter: Counter, tmp_path: Path, content: bytes
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(log_text(fresh_rows()), encoding="utf-8")
    mapping = tmp_path / "mapping.json"
    mapping.write_bytes(content)
    check_import(import_desk, log, mapping, fuzz_counter)


# ------------------------------------------------------------------------------ event logs
awkward_cell = st.one_of(
    st.sampled_from(AWKWARD_TEXTS),
    st.sampled_from(["2026-02-31 10:00", "31/01/2026 10:00", "2026-01-05", "yesterday",
                     "2026-01-05T09:00:00+25:00", "99999-01-01 00:00", "2026-13-01 00:00"]),
    st.text(max_size=10),
)  # fmt: skip


@st.composite
def damaged_logs(draw: st.DrawFn) -> bytes:
    """The known log, its cells, header and bytes damaged."""
    rows = fresh_rows()
    header = list(HEADER)
    for _ in range(draw(st.integers(0, 4))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, len(header) - 1))
        rows[row][column] = draw(awkward_cell)
    if draw(st.booleans()):
        rows[draw(st.integers(0, len(rows) - 1))] = draw(st.lists(awkward_cell, max_size=10))
    if draw(st.integers(0, 4)) == 0:
        del header[draw(st.integers(0, len(header) - 1))]
    if draw(st.integers(0, 6)) == 0:
        header[draw(st.integers(0, len(header) - 1))] = draw(awkward_cell)
    text = log_text(rows, header, delimiter=draw(st.sampled_from([",", ",", ";", "\t"])))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")
    damage = draw(st.sampled_from(
        ["none", "bom", "bytes", "quote", "cut", "gzip", "bad-gzip", "not-a-zip", "nul"]
    ))  # fmt: skip
    if damage == "bom":
        data = draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + data
    elif damage == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    elif damage == "quote":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b'"' + data[at:]
    elif damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif damage == "gzip":
        data = gzip.compress(data)
    elif damage == "bad-gzip":
        packed = gzip.compress(data)
        # a share of the length, not a position: the compressed size varies with the keys
        at = 10 + int(draw(st.floats(0, 1)) * (len(packed) - 10))
        data = packed[:at] + draw(st.binary(max_size=8)) + packed[at + 8 :]
    elif damage == "not-a-zip":
        data = b"PK\x03\x04" + draw(st.binary(max_size=50))
    elif damage == "nul":
        data = data.replace(b"Printer", b"Prin\x00ter")
    return data


LONG_FIELD = log_text([["K-1", "2026-01-05 09:00", "New", "L1", "?", "Printer", "x" * 200_000]])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(120)
@given(content=damaged_logs())
@example(content=b"PK\x03\x04not a zip at all")
@example(content=gzip.compress(log_text(KNOWN).encode())[:-20] + b"\x00" * 8 + b"garbage")
@example(content=log_text(KNOWN).encode().replace(b"Printer", b"Prin\x00ter"))
@example(content=LONG_FIELD.encode())
@example(content=log_text(KNOWN).encode("utf-16"))
def test_damaged_event_logs_import_or_are_refused_naming_the_row(
    import_desk: Desk, fuzz_counter: Counter, tmp_path: Path, content: bytes
) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(content)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(SEED_MAPPING), encoding="utf-8")
    check_import(import_desk, log, mapping, fuzz_counter)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@fuzz_settings(20)
@given(content=damaged_logs())
@example(content=log_text(KNOWN).encode().replace(b"Printer", b"Prin\x00ter"))
@example(content=log_text(KNOWN).encode().replace(b"HIST-", b"N\x00UL-"))
def test_damaged_event_logs_on_postgresql(
    import_desk: Desk, fuzz_counter: Counter, tmp_path: Path, content: bytes
) -> None:
    log = tmp_path / "log.csv"
    log.write_bytes(content)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(SEED_MAPPING), encoding="utf-8")
    check_import(import_desk, log, mapping, fuzz_counter)
