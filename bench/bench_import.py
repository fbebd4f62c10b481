"""History import benchmark: the real ServiceNow log (141,712 rows of 24,918 incidents) imported
with the shipped mapping into a fresh, migrated SQLite file (and a fresh PostgreSQL schema),
timed per phase. Prints figures; passes or fails nothing.

    python bench/bench_import.py [--log PATH] [--postgres URL | --no-postgres]

Target (issue 6): the 141,712 events in 30 s or less on SQLite.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine, with_postgres_schema  # noqa: E402

from app.services.database import open_database  # noqa: E402
from app.services.history import check_history  # noqa: E402
from app.services.history_import import HistoryImporter, ImportProgress  # noqa: E402

LOG = ROOT.parent / "shared" / "data" / "uci_incident_event_log.csv.gz"
MAPPING = ROOT / "examples" / "uci-incident-mapping.json"
POSTGRES = os.environ.get("TIERDESK_TEST_POSTGRES", "postgresql+psycopg://root@127.0.0.1:5432/test")


def import_once(url: str, log: Path) -> None:
    database = open_database(url)
    phases: dict[str, float] = {}
    started = time.perf_counter()

    def progress(step: ImportProgress) -> None:
        phases.setdefault(step.phase, time.perf_counter() - started)

    try:
        report = HistoryImporter(database).run(log, MAPPING, progress=progress)
        elapsed = time.perf_counter() - started
        checked_at = time.perf_counter()
        check = check_history(database)
        verify = time.perf_counter() - checked_at
    finally:
        database.close()
    marks = sorted(phases.items(), key=lambda item: item[1]) + [("done", elapsed)]
    spans = zip(marks, marks[1:], strict=False)
    steps = ", ".join(f"{name} {end - begin:.1f} s" for (name, begin), (_, end) in spans)
    print(
        f"  {report.rows_read:,} rows -> {report.tickets_created:,} tickets, "
        f"{report.events_created:,} events, {report.rows_rejected} rows rejected"
    )
    print(
        f"  import {elapsed:.1f} s = {report.rows_read / elapsed:,.0f} log events/s "
        f"({report.events_created / elapsed:,.0f} history events written/s); {steps}"
    )
    mismatches = len(check.mismatches)
    print(f"  verify: {check.checked:,} tickets, {mismatches} mismatches, {verify:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, default=LOG)
    parser.add_argument("--postgres", default=POSTGRES, metavar="URL")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if not args.log.exists():
        raise SystemExit(f"the real log is not at {args.log}")
    print(f"machine: {machine()}")
    print(f"log: {args.log} ({args.log.stat().st_size / 2**20:.1f} MiB compressed)")
    with tempfile.TemporaryDirectory() as folder:
        print("SQLite (fresh file):")
        import_once(f"sqlite:///{Path(folder) / 'import.db'}", args.log)
    if not args.no_postgres:
        print("PostgreSQL (fresh schema):")
        with_postgres_schema(args.postgres, lambda url: import_once(url, args.log))


if __name__ == "__main__":
    main()
