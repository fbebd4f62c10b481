"""Excel export benchmark: a desk report plus N ticket rows through ``export_workbook`` (styles,
number formats, charts, the Summary, the atomic rename) against openpyxl's write-only mode
writing the same cells alone (the same values, no styles, no charts). Prints both times and
their ratio; passes or fails nothing.

    python bench/bench_excel_export.py [--rows 100000] [--repeat 3]

Target (issue 6): the export takes no more than 1.2 times the bare write-only time. Each side
runs ``--repeat`` times, alternating, and the best time of each counts (the machine is shared).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine  # noqa: E402

from app.services.excel_export import export_workbook  # noqa: E402
from app.services.report_tables import DeskReport  # noqa: E402
from tests.report_samples import TICKET_COLUMNS, sample_report, ticket_rows  # noqa: E402


def bare_write_only(report: DeskReport, rows: list[tuple[Any, ...]], path: Path) -> None:
    """The same cells, values only: each table's title, description, header and rows, the
    tickets' header and rows."""
    workbook = Workbook(write_only=True)
    for table in report.tables:
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append([table.title])
        sheet.append([table.description])
        sheet.append([])
        sheet.append([column.title for column in table.columns])
        for row in table.rows:
            sheet.append(row)
    sheet = workbook.create_sheet("Tickets")
    sheet.append([column.title for column in TICKET_COLUMNS])
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def full_export(report: DeskReport, rows: list[tuple[Any, ...]], path: Path) -> None:
    export_workbook(report, TICKET_COLUMNS, rows, path, progress=lambda _d, _t: None)


def best_of(repeat: int, runs: dict[str, Callable[[], None]]) -> dict[str, float]:
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    report = sample_report()
    rows = list(ticket_rows(options.rows))  # made before timing: both sides get the same list
    print(f"machine: {machine()}")
    shape = f"{len(TICKET_COLUMNS)} columns, {len(report.tables)} report sheets"
    print(f"{options.rows:,} ticket rows x {shape}")
    with tempfile.TemporaryDirectory() as folder:
        bare, full = Path(folder, "bare.xlsx"), Path(folder, "export.xlsx")
        best = best_of(
            options.repeat,
            {
                "write-only, values alone": lambda: bare_write_only(report, rows, bare),
                "export_workbook": lambda: full_export(report, rows, full),
            },
        )
        sizes = {
            "write-only, values alone": bare.stat().st_size,
            "export_workbook": full.stat().st_size,
        }
    for name, seconds in best.items():
        print(f"{name:>26}: {seconds:6.2f} s  ({sizes[name] / 2**20:.1f} MiB)")
    ratio = best["export_workbook"] / best["write-only, values alone"]
    print(f"{'ratio':>26}: {ratio:6.3f}  (target <= 1.2)")


if __name__ == "__main__":
    main()
