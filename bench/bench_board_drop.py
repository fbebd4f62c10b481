"""Board drop benchmark: from a card dropped on the next tier's column to the move committed and
the board repainted. Prints figures; passes or fails nothing.

    python bench/bench_board_drop.py [--open 10000,100000] [--drops 200]
        [--databases sqlite,postgres] [--postgres URL]

Target (issue 4): drop to committed and repainted, p95 100 ms or less (SQLite and PostgreSQL).

The desk is built with ``bench_escalation_pass.build_open_desk``. A ``BoardView`` signed in as
the supervisor is shown offscreen with the real threaded ``OperationRunner`` and loaded (its
columns fully laid out first). Each drop takes a card of L1 (spread over the column), asks the
L1 model for its drag data (``mimeData``) and gives it to the L2 model (``dropMimeData``), as
Qt does at the end of a drag; the clock stops once the card is a row of L2 (the escalation
committed on a worker, the card reloaded and moved between the models) and both columns'
viewports are repainted (``repaint()``, synchronous). A few drops warm up first, uncounted.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_escalation_pass import (  # noqa: E402
    POSTGRES,
    build_open_desk,
    code_state,
    with_postgres_schema,
)
from bench_foundation import machine  # noqa: E402
from PySide6.QtCore import QEventLoop, QModelIndex, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services.board import BoardService  # noqa: E402
from app.services.database import open_database  # noqa: E402
from app.services.desk import DeskService  # noqa: E402
from app.services.tickets import TicketService  # noqa: E402
from app.views.board_view import BoardView  # noqa: E402
from app.views.card_delegate import CARD_HEIGHT  # noqa: E402
from app.views.operations import OperationRunner  # noqa: E402

WARM_UP = 5
TIMEOUT_S = 30.0


@dataclass
class Result:
    database: str
    open_tickets: int
    l1_cards: int
    l2_cards: int
    build_s: float
    load_s: float
    drops_ms: list[float]

    #: Medians of the parts of a drop: to the move committed and delivered (``commit``),
    #: reading the moved card again (``reload``), moving it between the models (``apply``),
    #: and repainting both columns (``repaint``).
    parts_ms: dict[str, float]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.drops_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class _Stopwatch:
    """Instants of one drop's stages, taken by wrapping the board's reload and apply."""

    def __init__(self, view: BoardView) -> None:
        self.marks: dict[str, float] = {}
        cards, apply = view.board.cards, view.apply_cards

        def timed_cards(ids: object) -> object:
            self.marks.setdefault("committed", time.perf_counter())
            try:
                return cards(ids)  # type: ignore[arg-type]
            finally:
                self.marks.setdefault("reloaded", time.perf_counter())

        def timed_apply(ids: object, found: object) -> None:
            apply(ids, found)  # type: ignore[arg-type]
            self.marks.setdefault("applied", time.perf_counter())

        view.board.cards = timed_cards  # type: ignore[method-assign,assignment]
        view.apply_cards = timed_apply  # type: ignore[method-assign,assignment]


def _wait(app: QApplication, done: object, what: str) -> None:
    """Process events until ``done()`` (polling: for set-up only)."""
    started = time.perf_counter()
    while not done():  # type: ignore[operator]
        app.processEvents()
        if time.perf_counter() - started > TIMEOUT_S:
            raise SystemExit(f"timed out waiting for {what}")


def _sleep_until(done: object, signals: list[object], what: str) -> None:
    """Run an event loop, idle as the app's is (the worker gets the interpreter), until
    ``done()``, checking after each of ``signals``."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)

    def check(*_: object) -> None:
        if done():  # type: ignore[operator]
            loop.quit()

    for signal in signals:
        signal.connect(check)  # type: ignore[attr-defined]
    try:
        timer.start(int(TIMEOUT_S * 1000))
        while not done():  # type: ignore[operator]
            if not timer.isActive():
                raise SystemExit(f"timed out waiting for {what}")
            loop.exec()
    finally:
        for signal in signals:
            signal.disconnect(check)  # type: ignore[attr-defined]


def measure(name: str, url: str, open_tickets: int, drops: int, freeze_gc: bool = False) -> Result:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    database = open_database(url)
    try:
        build_s = build_open_desk(database, open_tickets, due=0).build_seconds
        runner = OperationRunner()
        view = BoardView(
            BoardService(database),
            TicketService(database),
            DeskService(database).user("sara"),
            runner,
        )
        view.resize(1400, 900)
        view.show()
        started = time.perf_counter()
        loaded: list[bool] = []
        view.board_loaded.connect(lambda: loaded.append(True))
        view.load()
        _wait(app, lambda: loaded, "the board")
        load_s = time.perf_counter() - started
        source, target = view.column("L1"), view.column("L2")
        for column in (source, target):  # the batched layout done, as a person would find it
            bar, model = column.view.verticalScrollBar(), column.model
            full = model.rowCount() * CARD_HEIGHT - column.view.viewport().height()
            _wait(app, lambda b=bar, f=full: b.maximum() >= f, "the layout")
        l1_cards, l2_cards = source.model.rowCount(), target.model.rowCount()
        if freeze_gc:  # an experiment: the loaded board out of the cycle collector's passes
            gc.collect()
            gc.freeze()
        refused: list[str] = []
        view.move_refused.connect(refused.append)
        step = max(1, (l1_cards - 1) // (drops + WARM_UP))
        times: list[float] = []
        parts: dict[str, list[float]] = {"commit": [], "reload": [], "apply": [], "repaint": []}
        watch = _Stopwatch(view)
        for n in range(drops + WARM_UP):
            row = min(n * step, source.model.rowCount() - 1)
            card = source.model.card_at(row)
            index = source.model.index(row)
            source.view.scrollTo(index)  # the card is where the person grabbed it
            app.processEvents()
            watch.marks.clear()
            started = time.perf_counter()
            data = source.model.mimeData([index])
            move = Qt.DropAction.MoveAction
            assert target.model.dropMimeData(data, move, -1, -1, QModelIndex())
            _sleep_until(
                lambda c=card.id: target.model.row_of(c) is not None or bool(refused),
                [target.model.rowsInserted, view.move_refused],
                f"{card.key} in L2",
            )
            if refused:
                raise SystemExit(f"refused: {refused}")
            source.view.viewport().repaint()
            target.view.viewport().repaint()
            ended = time.perf_counter()
            if n >= WARM_UP:
                times.append((ended - started) * 1000)
                marks = watch.marks
                stages = (started, marks["committed"], marks["reloaded"], marks["applied"], ended)
                for name_, before, after in zip(parts, stages, stages[1:], strict=False):
                    parts[name_].append((after - before) * 1000)
            _sleep_until(lambda: runner.pending == 0, [runner.pending_changed], "the runner")
        runner.wait_for_done()
        view.close()
        view.deleteLater()
        app.processEvents()
        medians = {part: statistics.median(values) for part, values in parts.items()}
        gc.unfreeze()
        return Result(name, open_tickets, l1_cards, l2_cards, build_s, load_s, times, medians)
    finally:
        database.close()


def report(result: Result) -> None:
    times = result.drops_ms
    print(
        f"{result.database:<10} {result.open_tickets:>8,} open  L1 {result.l1_cards:>6,}  "
        f"L2 {result.l2_cards:>6,}  drops {len(times)}  "
        f"p50 {result.percentile(0.50):6.1f} ms  p95 {result.percentile(0.95):6.1f} ms  "
        f"p99 {result.percentile(0.99):6.1f} ms  max {max(times):6.1f} ms  "
        f"mean {statistics.fmean(times):6.1f} ms  (built {result.build_s:.0f} s, "
        f"loaded {result.load_s:.2f} s)",
        flush=True,
    )
    parts = ", ".join(f"{part} {ms:.1f}" for part, ms in result.parts_ms.items())
    print(f"{'':<10} median parts (ms): {parts}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", default="10000,100000", help="open tickets, comma-separated")
    parser.add_argument("--drops", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument(
        "--freeze-gc", action="store_true", help="gc.freeze() once the board is loaded"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"code: {code_state()}")
    for open_tickets in (int(value) for value in args.open.split(",")):
        for name in args.databases.split(","):
            if name == "sqlite":
                with tempfile.TemporaryDirectory() as folder:
                    url = f"sqlite:///{folder}/drop.db"
                    report(measure(name, url, open_tickets, args.drops, args.freeze_gc))
            elif name == "postgres":

                def on_postgres(url: str, n: int = open_tickets) -> Result:
                    return measure("postgres", url, n, args.drops, args.freeze_gc)

                report(with_postgres_schema(args.postgres, on_postgres))
            else:
                raise SystemExit(f"unknown database {name!r}: sqlite or postgres")


if __name__ == "__main__":
    main()
