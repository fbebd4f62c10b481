"""The deadline timer: the pass runs when the earliest deadline comes (the safety sweep is set to
ten minutes, so nothing here is found by polling), sooner when another connection brings a
deadline closer; database errors are retried; stop() lets a pass under way finish."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from app.models import ClockKind, Ticket, TicketClock, Tier
from app.services.change_feed import announce_ticket_change
from app.services.clock import DatabaseClock
from app.services.database import SQLITE_AUTOCHECKPOINT_PAGES, Database, open_database
from app.services.deadline_timer import DeadlineTimer, TimerState
from app.services.errors import DatabaseError
from app.services.escalation import EscalationService, PassReport
from app.services.sla_policy import SlaPolicyService
from app.services.tickets import NewTicket, TicketService

LONG_SWEEP = 600.0  # longer than any test: a pass that runs was armed for


@pytest.fixture
def tickets(desk) -> TicketService:
    """Tickets stamped by the database's clock (the desk's fixed clock stands months ago), on a
    desk with the default policy."""
    SlaPolicyService(desk.database).install_default("UTC")
    return TicketService(desk.database)


@pytest.fixture
def other_desktop(database_url: str) -> Iterator[Database]:
    """The same database opened a second time: another desktop's connections."""
    database = open_database(database_url, migrate=False)
    yield database
    database.close()


def new_ticket(tickets: TicketService, title: str = "Cannot log in") -> int:
    new = NewTicket(title=title, requester="Carla Customer", category="Password reset")
    return tickets.create("lena", new).id


def database_now(database: Database) -> datetime:
    with database.read() as session:
        return DatabaseClock().now(session)


def set_tier_deadline(database: Database, ticket_id: int, seconds_from_now: float) -> datetime:
    """Make the ticket's tier clock expire ``seconds_from_now`` on the database's clock.

    Policy targets are whole minutes of business time, too coarse for a test that measures
    seconds, so the deadline is written straight into ``ticket_clocks.due_at``: the very
    column the escalation pass and ``next_deadline`` read. The change is announced as any
    ticket change is, so that other desktops hear of it."""
    with database.write() as session:
        due = DatabaseClock().now(session) + timedelta(seconds=seconds_from_now)
        session.execute(
            update(TicketClock)
            .where(
                TicketClock.ticket_id == ticket_id,
                TicketClock.kind == ClockKind.TIER,
                TicketClock.stopped_at.is_(None),
            )
            .values(due_at=due)
        )
        announce_ticket_change(session, ticket_id)
    return due


def tier_of(database: Database, ticket_id: int) -> str:
    with database.read() as session:
        ticket = session.get_one(Ticket, ticket_id)
        return session.get_one(Tier, ticket.tier_id).code


class Reports:
    """Collects what the timer hands to its callbacks, and lets a test wait for it."""

    def __init__(self) -> None:
        self.reports: list[PassReport] = []
        self.states: list[TimerState] = []
        self.changed = threading.Condition()

    def on_report(self, report: PassReport) -> None:
        with self.changed:
            self.reports.append(report)
            self.changed.notify_all()

    def on_state(self, state: TimerState) -> None:
        with self.changed:
            self.states.append(state)
            self.changed.notify_all()

    def escalation_of(self, ticket_key: str, timeout: float) -> PassReport:
        """The report of the pass that escalated the ticket, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for report in self.reports:
                    if any(item.key == ticket_key for item in report.escalations):
                        return report
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"{ticket_key} was not escalated within {timeout} s"
                self.changed.wait(remaining)


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    give_up = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > give_up:
            return False
        time.sleep(0.02)
    return True


def armed_near(timer: DeadlineTimer, instant: datetime) -> bool:
    armed_for = timer.state.armed_for
    return armed_for is not None and abs((armed_for - instant).total_seconds()) < 0.05


def key_of(database: Database, ticket_id: int) -> str:
    with database.read() as session:
        return session.get_one(Ticket, ticket_id).key


def test_the_timer_escalates_a_ticket_at_its_deadline_without_polling(desk, tickets):
    ticket_id = new_ticket(tickets)
    due = set_tier_deadline(desk.database, ticket_id, 3)
    seen = Reports()
    service = EscalationService(desk.database)
    with DeadlineTimer(
        service, sweep_seconds=LONG_SWEEP, on_report=seen.on_report, on_state=seen.on_state
    ) as timer:
        time.sleep(0.5)  # the first pass (at start) is over: armed for the deadline
        assert armed_near(timer, due)
        assert tier_of(desk.database, ticket_id) == "L1"
        report = seen.escalation_of(key_of(desk.database, ticket_id), timeout=10)
    assert 0 <= (report.at - due).total_seconds() < 2  # not before its deadline, nor long after
    assert tier_of(desk.database, ticket_id) == "L2"
    assert seen.states[-1].running is False


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_embedded_log_is_copied_back_after_a_pass_not_in_its_commit(desk, tickets, monkeypatch):
    """A commit checkpoints the write-ahead log only once it is large; the timer checkpoints
    after each pass, once the pass's results are out."""
    with desk.database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
    assert pages == SQLITE_AUTOCHECKPOINT_PAGES
    checkpointed_after: list[int] = []
    seen = Reports()
    original = desk.database.checkpoint

    def checkpoint() -> None:
        checkpointed_after.append(len(seen.reports))
        original()

    monkeypatch.setattr(desk.database, "checkpoint", checkpoint)
    ticket_id = new_ticket(tickets)
    set_tier_deadline(desk.database, ticket_id, 2)
    with DeadlineTimer(
        EscalationService(desk.database), sweep_seconds=LONG_SWEEP, on_report=seen.on_report
    ):
        seen.escalation_of(key_of(desk.database, ticket_id), timeout=10)
        deadline = time.monotonic() + 5
        while 1 not in checkpointed_after and time.monotonic() < deadline:
            time.sleep(0.05)
    assert 1 in checkpointed_after  # after the escalating pass, its report handed out first


def test_a_change_by_another_desktop_that_brings_a_deadline_closer_rearms_the_timer(
    desk, tickets, other_desktop
):
    ticket_id = new_ticket(tickets)
    service = EscalationService(desk.database)
    seen = Reports()
    with DeadlineTimer(service, sweep_seconds=LONG_SWEEP, on_report=seen.on_report) as timer:
        time.sleep(0.5)
        first = timer.state.armed_for
        assert first is not None and first == service.next_deadline()
        assert (first - database_now(desk.database)).total_seconds() > 60  # minutes away
        due = set_tier_deadline(other_desktop, ticket_id, 2)
        assert wait_until(lambda: armed_near(timer, due), timeout=1.5)  # re-armed for it
        report = seen.escalation_of(key_of(desk.database, ticket_id), timeout=10)
        assert 0 <= (report.at - due).total_seconds() < 2
        # then armed again for whatever comes next (the L2 clocks), not left at the past
        time.sleep(0.3)
        armed_again = timer.state.armed_for
        assert armed_again is not None and armed_again > report.at


def test_the_safety_sweep_catches_a_change_nobody_announced(desk, tickets):
    ticket_id = new_ticket(tickets)
    service = EscalationService(desk.database)
    seen = Reports()
    deaf = DeafWatcher()
    with DeadlineTimer(service, watcher=deaf, sweep_seconds=1, on_report=seen.on_report):
        time.sleep(0.3)
        set_tier_deadline(desk.database, ticket_id, -1)  # heard by nobody: the watcher is deaf
        seen.escalation_of(key_of(desk.database, ticket_id), timeout=5)
    assert deaf.closed


def test_recheck_rearms_at_once_for_a_change_made_in_this_process(desk, tickets):
    ticket_id = new_ticket(tickets)
    service = EscalationService(desk.database)
    seen = Reports()
    with DeadlineTimer(
        service, watcher=DeafWatcher(), sweep_seconds=LONG_SWEEP, on_report=seen.on_report
    ) as timer:
        time.sleep(0.3)
        due = set_tier_deadline(desk.database, ticket_id, 2)
        started = time.monotonic()
        timer.recheck()
        assert time.monotonic() - started < 0.05  # the caller (a GUI thread) does not wait
        assert wait_until(lambda: armed_near(timer, due), timeout=1)
        report = seen.escalation_of(key_of(desk.database, ticket_id), timeout=10)
    assert 0 <= (report.at - due).total_seconds() < 2


class DeafWatcher:
    """A change feed that never hears anything."""

    closed = False

    def wait(self, timeout: float) -> bool:
        time.sleep(timeout)
        return False

    def close(self) -> None:
        self.closed = True


class FlakyService(EscalationService):
    """The escalation service of a database that fails the first ``failures`` passes."""

    def __init__(self, database: Database, failures: int) -> None:
        super().__init__(database)
        self.failures = failures

    def run_pass(self, batch: int = 1000) -> PassReport:
        if self.failures > 0:
            self.failures -= 1
            raise DatabaseError("server 127.0.0.1:5432/test: connection refused")
        return super().run_pass(batch)


def test_database_errors_are_retried_and_shown_but_do_not_stop_the_timer(desk, tickets):
    ticket_id = new_ticket(tickets)
    set_tier_deadline(desk.database, ticket_id, -1)
    seen = Reports()
    service = FlakyService(desk.database, failures=2)
    with DeadlineTimer(
        service, sweep_seconds=LONG_SWEEP, on_report=seen.on_report, on_state=seen.on_state
    ) as timer:
        seen.escalation_of(key_of(desk.database, ticket_id), timeout=15)  # after 1 s + 2 s
        time.sleep(0.2)
        assert timer.state.last_error is None
    errors = [state.last_error for state in seen.states if state.last_error]
    assert errors and "connection refused" in errors[0]


class SlowService(EscalationService):
    """Passes that take a second, so that stop() can be called while one is under way."""

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self.started = threading.Event()

    def run_pass(self, batch: int = 1000) -> PassReport:
        self.started.set()
        time.sleep(1)
        return super().run_pass(batch)


def test_stop_lets_the_pass_under_way_finish_and_leaves_no_thread_behind(desk, tickets):
    ticket_id = new_ticket(tickets)
    set_tier_deadline(desk.database, ticket_id, -1)
    before = set(threading.enumerate())
    service = SlowService(desk.database)
    seen = Reports()
    timer = DeadlineTimer(service, sweep_seconds=LONG_SWEEP, on_state=seen.on_state)
    timer.start()
    assert service.started.wait(5)
    timer.stop()
    assert tier_of(desk.database, ticket_id) == "L2"  # the pass finished, and committed
    assert timer.state == TimerState(
        running=False, armed_for=None, last_pass_at=timer.state.last_pass_at
    )
    assert timer.state.last_pass_at is not None
    leftover = [thread for thread in threading.enumerate() if thread not in before]
    assert leftover == []
    with pytest.raises(RuntimeError):
        timer.start()
