"""Faults survived: the headless worker killed with SIGKILL in the middle of an escalation pass,
and the database connection failing while a dropped card's move runs.

The worker test starts ``main.py worker`` on a desk with thousands of due tickets, waits until
one pass has committed and the next one holds its write transaction (PostgreSQL: the worker's
backend has a transaction id, i.e. it has locked or written rows; SQLite: the file's write lock
is taken), and kills it with SIGKILL there. Every ticket must then be either fully escalated
(move, events, new clocks, alert) or untouched, the history must replay to every row, and a
new pass must finish the work exactly once.

The drop tests drop a card on the board while the connection fails in the middle of the move
(after its first write): on both databases the driver's own ``OperationalError`` is raised where
the driver runs the statement; on PostgreSQL also for real, by cutting the TCP connection
through a proxy. The card stays in its column, the board says why in the database's words
(never "Unexpected error"), nothing is half-moved, and the same drop succeeds once the
connection is back.

(The PostgreSQL server restarted under open desktops is ``tests/gui/test_server_restart.py``.)
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from app.models import (
    AlertKind,
    ClockKind,
    EventKind,
    Level,
    MoveReason,
    SlaAlert,
    Ticket,
    TicketEvent,
)
from app.services.board import BoardService
from app.services.database import Database, open_database
from app.services.desk import Ladder
from app.services.escalation import EscalationService
from app.services.history import check_history
from app.services.sla_policy import SlaPolicyService
from app.services.tickets import TicketService
from app.views.board_view import BoardView
from app.views.operations import SynchronousOperationRunner
from tests.factories import T0, Desk, database_snapshot, make_desk
from tests.integration.soak_desktop import desk_invariant_problems

REPO = Path(__file__).resolve().parents[2]
DUE_TICKETS = 2_400
#: tier: the agent who opens tickets there (the desk's clock is months behind the database's,
#: so every clock of every ticket is long due when the worker, on the database's clock, starts)
OPENER = {"L1": "lena", "L2": "tom", "L3": "ines", "Vendor": "vic"}
CATCH_TIMEOUT_S = 120


# ------------------------------------------------------------------ what must always hold
@dataclass(frozen=True)
class Before:
    """A ticket as it was before the worker ran."""

    version: int
    tier_id: int


def open_due_tickets(desk: Desk, count: int) -> dict[int, Before]:
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    rng = random.Random(11)
    tiers = rng.choices(list(OPENER), weights=[50, 25, 15, 10], k=count)
    for number, tier in enumerate(tiers):
        desk.ticket(
            OPENER[tier],
            title=f"Due {number}",
            tier=tier,
            impact=rng.choice(list(Level)),
            urgency=rng.choice(list(Level)),
        )
    with desk.database.read() as session:
        rows = session.execute(select(Ticket.id, Ticket.version, Ticket.tier_id))
        return {ticket_id: Before(version, tier) for ticket_id, version, tier in rows}


def ticket_outcomes(database: Database, before: dict[int, Before]) -> Counter[str]:
    """Each ticket counted as ``untouched``, ``escalated`` (one tier up, one version on, one
    SLA move), ``flagged`` (at the top: breach recorded, not moved) or ``HALF: ...``."""
    with database.read() as session:
        ladder = Ladder.load(session)
        rows = session.execute(select(Ticket.id, Ticket.version, Ticket.tier_id))
        now = {ticket_id: (version, tier) for ticket_id, version, tier in rows}
        moves = Counter(
            session.scalars(
                select(TicketEvent.ticket_id).where(
                    TicketEvent.kind == EventKind.TIER_CHANGED,
                    TicketEvent.reason == MoveReason.SLA,
                )
            )
        )
        flagged = set(
            session.scalars(
                select(SlaAlert.ticket_id).where(
                    SlaAlert.kind == AlertKind.BREACH, SlaAlert.clock_kind == ClockKind.TIER
                )
            )
        )
    outcomes: Counter[str] = Counter()
    top = ladder.tiers[-1].id
    for ticket_id, was in before.items():
        version, tier = now[ticket_id]
        if (version, tier, moves[ticket_id]) == (was.version, was.tier_id, 0):
            outcomes["flagged" if ticket_id in flagged and tier == top else "untouched"] += 1
            continue
        up = ladder.tiers[ladder.index_of(was.tier_id) + 1].id if was.tier_id != top else None
        if (version, tier, moves[ticket_id]) == (was.version + 1, up, 1):
            outcomes["escalated"] += 1
        else:
            outcomes[f"HALF: v{was.version}->v{version}, tier {was.tier_id}->{tier}"] += 1
    return outcomes


# ---------------------------------------------------------------------- the killed worker
def _sqlite_write_lock_taken(path: str) -> bool:
    probe = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:  # "database is locked": a writer is in its transaction
        return True
    finally:
        probe.close()


def _committed_alerts(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(SlaAlert)) or 0


def kill_mid_pass(database: Database, url: str, folder: Path) -> tuple[float, str]:
    """Start the worker, SIGKILL it inside its second (or later) pass; the seconds it ran, and
    how far that pass had come (on PostgreSQL, at best after it had begun to write)."""
    log = (folder / "worker.log").open("w")
    started = time.monotonic()
    worker = subprocess.Popen(
        [sys.executable, "main.py", "--db", url, "worker", "--interval", "1"],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = started + CATCH_TIMEOUT_S
        while time.monotonic() < deadline:
            assert worker.poll() is None, (folder / "worker.log").read_text()
            if _committed_alerts(database) and _in_a_pass(database):
                stage = _wait_for_its_writes(database)
                os.kill(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
                return time.monotonic() - started, stage
            time.sleep(0.005)
        pytest.fail("the worker never held a pass open after a first one had committed")
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        log.close()


#: Row locks some other session holds on this schema's tickets (the pass's ``FOR UPDATE``
#: takes ROW SHARE on the table; the test itself only reads) ...
OTHERS_TICKET_LOCKS = (
    "SELECT count(*) FROM pg_locks WHERE relation = 'tickets'::regclass "
    "AND pid <> pg_backend_pid() AND mode = 'RowShareLock'"
)
#: ... and, once the pass writes its batch (``UPDATE tickets`` first), ROW EXCLUSIVE.
OTHERS_TICKET_WRITES = OTHERS_TICKET_LOCKS.replace("RowShareLock", "RowExclusiveLock")


def _in_a_pass(database: Database) -> bool:
    """Whether the worker is inside a pass's write transaction right now."""
    if database.is_sqlite:
        return _sqlite_write_lock_taken(str(database.url.database))
    with database.read() as session:
        return bool(session.scalar(text(OTHERS_TICKET_LOCKS)))


def _wait_for_its_writes(database: Database, within_s: float = 5.0) -> str:
    """On PostgreSQL, wait (a while) until the pass has begun writing: the kill then lands
    between its first write and its commit. SQLite does not show it: a short random delay."""
    if database.is_sqlite:
        time.sleep(random.uniform(0, 0.05))
        return "inside the write transaction"
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        with database.read() as session:
            if session.scalar(text(OTHERS_TICKET_WRITES)):
                return "after its first writes, before its commit"
            if not session.scalar(text(OTHERS_TICKET_LOCKS)):
                break  # that pass ended; kill wherever the next one is
    return "with its tickets locked"


def _wait_for_server_side_rollback(database: Database) -> None:
    """PostgreSQL notices the dead client's socket at once, but give it a moment."""
    if database.is_sqlite:
        return
    for _ in range(100):
        with database.read() as session:
            if not session.scalar(text(OTHERS_TICKET_LOCKS)):
                return
        time.sleep(0.1)
    pytest.fail("the killed worker's transaction still holds its locks after 10 s")


@pytest.mark.slow
def test_worker_killed_mid_pass_leaves_each_ticket_whole_and_a_new_pass_finishes_once(
    desk, database_url, tmp_path
):
    before = open_due_tickets(desk, DUE_TICKETS)
    assert desk_invariant_problems(desk.database) == []

    ran, stage = kill_mid_pass(desk.database, database_url, tmp_path)
    _wait_for_server_side_rollback(desk.database)

    # Killed in mid-work: some tickets escalated, some not yet, and none half-way.
    assert desk_invariant_problems(desk.database) == []
    outcomes = ticket_outcomes(desk.database, before)
    print(f"{desk.database.describe()}: killed after {ran:.1f} s, {stage}: {dict(outcomes)}")
    assert all(not name.startswith("HALF") for name in outcomes), outcomes
    assert outcomes["escalated"] + outcomes["flagged"] > 0
    assert outcomes["untouched"] > 0, "the worker finished before it was killed"
    verify = subprocess.run(
        [sys.executable, "main.py", "--db", database_url, "verify"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr

    # A new worker's passes finish the work: each ticket escalated (or flagged) exactly once.
    service = EscalationService(desk.database)  # the database's clock, as the worker's
    while service.run_pass().did_something:
        pass
    assert desk_invariant_problems(desk.database) == []
    outcomes = ticket_outcomes(desk.database, before)
    with desk.database.read() as session:
        top_tier = Ladder.load(session).tiers[-1].id
    top = sum(1 for was in before.values() if was.tier_id == top_tier)
    assert outcomes == Counter({"escalated": len(before) - top, "flagged": top}), outcomes


# ------------------------------------------------------------ a network drop on a drop
@contextmanager
def network_drop(database: Database, at_write: int = 2) -> Iterator[list[str]]:
    """The connection fails in the middle of the next change: its ``at_write``-th INSERT or
    UPDATE raises the driver's own OperationalError (what psycopg raises when the server's
    socket goes away, what sqlite3 raises on an I/O error), after the earlier statements of the
    transaction ran. Yields the statements seen, for the test to show where the drop came."""
    seen: list[str] = []
    driver_error = database.engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def execute(_cursor: Any, statement: str, *_rest: Any) -> None:
        # Runs where the driver would: SQLAlchemy handles what it raises as the driver's error.
        seen.append(" ".join(statement.split())[:60].upper())
        writes = [s for s in seen if s.startswith(("INSERT", "UPDATE"))]
        if seen[-1].startswith(("INSERT", "UPDATE")) and len(writes) == at_write:
            raise driver_error("server closed the connection unexpectedly")

    hooks = ("do_execute", "do_executemany")
    for hook in hooks:
        event.listen(database.write_engine, hook, execute)
    try:
        yield seen
    finally:
        for hook in hooks:
            event.remove(database.write_engine, hook, execute)


def test_a_network_drop_during_a_drop_puts_the_card_back_and_moves_nothing(qtbot, desk):
    made = desk.ticket(title="Printer on fire")
    view = BoardView(
        BoardService(desk.database, desk.clock),
        desk.tickets,
        desk.desk.user("lena"),
        SynchronousOperationRunner(),
        now=lambda: T0 + timedelta(hours=1),
    )
    qtbot.addWidget(view)
    view.load()
    assert _keys(view, "L1") == [made.key]
    before = database_snapshot(desk.database)

    data = _drag(view, "L1", made.key)
    with network_drop(desk.database) as seen, qtbot.waitSignal(view.move_refused) as refused:
        _drop(view, "L2", data)

    assert any(s.startswith(("INSERT", "UPDATE")) for s in seen[:-1]), seen  # it was mid-move
    assert "server closed the connection unexpectedly" in refused.args[0]
    assert "Unexpected error" not in refused.args[0]  # a database error in words, no traceback
    assert _keys(view, "L1") == [made.key] and _keys(view, "L2") == []
    assert view.column("L1").model.card_at(0).version == made.version
    assert database_snapshot(desk.database) == before  # nothing half-moved

    # The network is back: the same drop goes through.
    with qtbot.waitSignal(view.tickets_moved):
        _drop(view, "L2", _drag(view, "L1", made.key))
    assert _keys(view, "L2") == [made.key]
    assert check_history(desk.database).mismatches == ()


def _keys(view: BoardView, code: str) -> list[str]:
    model = view.column(code).model
    return [model.card_at(row).key for row in range(model.rowCount())]


def _drag(view: BoardView, code: str, key: str) -> QMimeData:
    model = view.column(code).model
    rows = [row for row in range(model.rowCount()) if model.card_at(row).key == key]
    return model.mimeData([model.index(row) for row in rows])


def _drop(view: BoardView, code: str, data: QMimeData) -> bool:
    model = view.column(code).model
    return model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, QModelIndex())


class CuttableProxy:
    """A TCP proxy in front of the PostgreSQL server whose connections the test can cut, as a
    pulled cable would: the client's next read or write on them fails in the driver itself."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.pairs.append((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=_pump, args=(source, target), daemon=True).start()

    def cut(self) -> None:
        """Every connection through the proxy dies now (new ones may follow)."""
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for end in pair:
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def close(self) -> None:
        self.listener.close()
        self.cut()


def _pump(source: socket.socket, target: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with suppress(OSError):
        target.shutdown(socket.SHUT_RDWR)


@pytest.mark.postgres
def test_a_cable_pulled_during_a_drop_puts_the_card_back_and_moves_nothing(qtbot, postgres_url):
    """The same on a real network drop: the connection to the server is cut (through a proxy)
    just before the move's second write, so the driver itself fails mid-transaction."""
    direct = open_database(postgres_url)
    url = make_url(postgres_url)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    over_proxy = open_database(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
    try:
        desk = make_desk(direct)
        made = desk.ticket(title="Printer on fire")
        view = BoardView(
            BoardService(over_proxy, desk.clock),
            TicketService(over_proxy, desk.clock),
            desk.desk.user("lena"),
            SynchronousOperationRunner(),
            now=lambda: T0 + timedelta(hours=1),
        )
        qtbot.addWidget(view)
        view.load()
        before = database_snapshot(direct)
        writes: list[str] = []

        def cut_before_second_write(_cursor: Any, statement: str, *_rest: Any) -> None:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE")):
                writes.append(statement)
                if len(writes) == 2:
                    proxy.cut()  # then the driver sends the statement on a dead socket

        event.listen(over_proxy.engine, "do_execute", cut_before_second_write)
        data = _drag(view, "L1", made.key)
        with qtbot.waitSignal(view.move_refused) as refused:
            _drop(view, "L2", data)
        event.remove(over_proxy.engine, "do_execute", cut_before_second_write)

        assert len(writes) == 2, "the cable was not pulled in the middle of the move"
        assert refused.args[0].startswith(f"{made.key} was not moved: server 127.0.0.1:")
        assert _keys(view, "L1") == [made.key] and _keys(view, "L2") == []
        assert database_snapshot(direct) == before  # the server rolled the half-move back

        # The cable is back (new connections go through): the same drop goes through.
        with qtbot.waitSignal(view.tickets_moved):
            _drop(view, "L2", _drag(view, "L1", made.key))
        assert desk.tickets.get(made.key).ticket.tier == "L2"
        assert check_history(direct).mismatches == ()
    finally:
        over_proxy.close()
        proxy.close()
        direct.close()
