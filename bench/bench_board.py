"""Tier board benchmark: loading and painting a board of many open tickets. Prints figures;
passes or fails nothing.

    python bench/bench_board.py [--open 100000] [--runs 5] [--databases sqlite,postgres]
        [--postgres URL] [--keep PATH]

Targets (issue 4): with 100,000 open tickets, from launch to a painted board in 1.5 s or less
and resident memory of 500 MB or less; scrolling a 50,000-card column creates no widgets.

The desk is built once with ``bench_escalation_pass.build_open_desk`` (bulk inserts of open
tickets with their SLA clocks). Each measured run is a fresh process (``--child``): it times
``BoardService.load()`` alone, then, from the process's start (interpreter and imports
included), opening the database, building a ``BoardView`` offscreen, loading it and painting
it (``grab()``); then it scrolls the biggest column to its end and counts widgets before and
after, and reports its peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()  # as early as this process can tell: launch-to-paint starts here
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/test"


# ------------------------------------------------------------------------------- child
def child(url: str) -> dict[str, float]:
    """One launch: load, build, paint, scroll; figures as JSON on stdout."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from app.services.board import BoardService
    from app.services.database import open_database
    from app.services.desk import DeskService
    from app.services.tickets import TicketService
    from app.views.board_view import BoardView
    from app.views.card_delegate import CARD_HEIGHT
    from app.views.operations import OperationRunner

    app = QApplication.instance() or QApplication([])
    database = open_database(url, migrate=False)
    board = BoardService(database)
    user = DeskService(database).user("sara")
    runner = OperationRunner()
    view = BoardView(board, TicketService(database), user, runner)
    view.resize(1400, 900)
    view.show()
    waiting = QEventLoop()
    view.board_loaded.connect(waiting.quit)
    asked = time.perf_counter()
    view.load()  # on a worker thread, as in the app
    waiting.exec()
    image = view.grab()
    painted = time.perf_counter()
    assert not image.isNull()
    peak_at_paint_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    service_runs = []
    open_cards = 0
    for _ in range(3):
        started = time.perf_counter()
        snapshot = board.load()
        service_runs.append(time.perf_counter() - started)
        open_cards = sum(len(cards) for cards in snapshot.columns.values())
        del snapshot  # one snapshot at a time, as the app holds
    biggest = max(view.columns, key=lambda column: column.model.rowCount())
    bar = biggest.view.verticalScrollBar()
    started = time.perf_counter()
    # The rest of the column is laid out in batches after the paint; the scroll range is set
    # when the last batch is done.
    full = biggest.model.rowCount() * CARD_HEIGHT - biggest.view.viewport().height()
    while bar.maximum() < full and time.perf_counter() - started < 30:
        app.processEvents()
    laid_out = time.perf_counter() - started
    widgets_before = len(QApplication.allWidgets())
    started = time.perf_counter()
    for step in range(0, 21):
        bar.setValue(bar.maximum() * step // 20)
        assert not biggest.view.viewport().grab().isNull()
    scrolled = time.perf_counter() - started
    widgets_after = len(QApplication.allWidgets())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    runner.wait_for_done()
    view.close()
    view.deleteLater()
    app.processEvents()
    database.close()
    return {
        "launch_to_painted_s": painted - STARTED,
        "load_to_painted_s": painted - asked,
        "service_load_s": min(service_runs),
        "open_cards": open_cards,
        "biggest_column": biggest.model.rowCount(),
        "scroll_21_pages_s": scrolled,
        "rest_laid_out_s": laid_out,
        "scroll_range_px": bar.maximum(),
        "widgets_before_scroll": widgets_before,
        "widgets_after_scroll": widgets_after,
        "peak_rss_at_paint_mib": peak_at_paint_kib / 1024,
        "peak_rss_mib": peak_kib / 1024,
    }


# ------------------------------------------------------------------------------ parent
def build(url: str, open_tickets: int) -> float:
    from bench_escalation_pass import build_open_desk

    from app.services.database import open_database

    database = open_database(url)
    try:
        return build_open_desk(database, open_tickets, due=0).build_seconds
    finally:
        database.close()


def measure(url: str, runs: int) -> list[dict[str, float]]:
    results = []
    for _ in range(runs):
        output = subprocess.run(
            [sys.executable, __file__, "--child", url],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return results


def report(name: str, results: list[dict[str, float]]) -> None:
    first = results[0]
    print(
        f"\n{name}: {first['open_cards']:,} open cards, biggest column {first['biggest_column']:,}"
    )
    for label, field, unit in (
        ("BoardService.load()", "service_load_s", "s"),
        ("load asked -> painted", "load_to_painted_s", "s"),
        ("launch -> painted board", "launch_to_painted_s", "s"),
        ("rest of columns laid out", "rest_laid_out_s", "s"),
        ("scroll biggest column", "scroll_21_pages_s", "s"),
        ("peak RSS at paint", "peak_rss_at_paint_mib", "MiB"),
        ("peak RSS after reloads", "peak_rss_mib", "MiB"),
    ):
        values = [r[field] for r in results]
        print(
            f"  {label:<26} median {statistics.median(values):7.3f} {unit}"
            f"  (min {min(values):.3f}, max {max(values):.3f})"
        )
    print(
        f"  widgets before/after scrolling: {first['widgets_before_scroll']:.0f} / "
        f"{first['widgets_after_scroll']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--keep", help="SQLite file to build once and reuse")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return

    from bench_foundation import machine

    print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    for name in args.databases.split(","):
        if name == "sqlite":
            path = Path(args.keep) if args.keep else Path(tempfile.mkdtemp()) / "board.db"
            url = f"sqlite:///{path}"
            if not path.exists():
                print(
                    f"building {args.open:,} open tickets on SQLite: {build(url, args.open):.1f} s"
                )
            report("SQLite", measure(url, args.runs))
        else:
            from bench_foundation import with_postgres_schema

            def on_postgres(url: str) -> None:
                seconds = build(url, args.open)
                print(f"built {args.open:,} open tickets on PostgreSQL in {seconds:.1f} s")
                report("PostgreSQL", measure(url, args.runs))

            with_postgres_schema(args.postgres, on_postgres)


if __name__ == "__main__":
    main()
