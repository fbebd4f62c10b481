"""Crash safety of the escalation pass: a pass that fails midway (here: the third ticket's move
raises, as a killed process or a dropped connection would stop it) leaves every ticket either
fully escalated or untouched, and here untouched, since the pass commits as one transaction.
A later pass then escalates them all, once. (Killing the worker process itself with SIGKILL is
the security-and-reliability issue's fault test.)"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import text

from app.services import bulk, escalation, escalation_batch
from app.services.clock import FixedClock
from app.services.escalation import EscalationService
from app.services.sla_clocks import ClockKeeper
from app.services.sla_policy import SlaPolicyService
from tests.factories import database_snapshot, history_mismatches

MONDAY_13 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)


class Crash(Exception):
    """Stands for whatever stops a pass in the middle."""


def test_a_pass_that_fails_midway_leaves_every_ticket_untouched(desk, monkeypatch):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    keys = [desk.ticket(title=f"Due {n}").key for n in range(5)]
    before = database_snapshot(desk.database)
    advance = ClockKeeper.advance
    calls = 0

    def advance_then_crash(keeper: ClockKeeper, *args: object) -> object:
        nonlocal calls
        calls += 1
        result = advance(keeper, *args)
        if calls == 3:
            raise Crash("the process died here")
        return result

    monkeypatch.setattr(ClockKeeper, "advance", advance_then_crash)
    with pytest.raises(Crash):
        EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert calls == 3  # two tickets were fully escalated in the transaction, the third half
    assert database_snapshot(desk.database) == before  # ... and none of it was kept
    monkeypatch.setattr(ClockKeeper, "advance", advance)
    report = EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert sorted(item.key for item in report.escalations) == sorted(keys)
    assert history_mismatches(desk.database) == []


def test_a_pass_that_fails_while_writing_leaves_every_ticket_untouched(desk, monkeypatch):
    """The moves and clocks are written, then the history insert fails: nothing is kept."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    keys = [desk.ticket(title=f"Due {n}").key for n in range(3)]
    before = database_snapshot(desk.database)
    insert_batch = escalation_batch.insert_batch
    written: list[str] = []

    def insert_then_crash(session: object, table: str, *args: object) -> None:
        if table == "ticket_events":
            raise Crash("the connection dropped here")
        written.append(table)
        insert_batch(session, table, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(escalation_batch, "insert_batch", insert_then_crash)
    with pytest.raises(Crash):
        EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert written == ["ticket_clocks"]  # the moves and the new clocks were written first
    assert database_snapshot(desk.database) == before
    monkeypatch.setattr(escalation_batch, "insert_batch", insert_batch)
    report = EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert sorted(item.key for item in report.escalations) == sorted(keys)
    assert history_mismatches(desk.database) == []


def test_a_pass_written_slice_by_slice_keeps_nothing_when_a_later_slice_fails(desk, monkeypatch):
    """The pass writes the tickets it has acted on a slice at a time (on PostgreSQL while it
    works out the next slice); a failure in a later slice still leaves the earlier slices'
    moves, already sent, uncommitted."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    keys = [desk.ticket(title=f"Due {n}").key for n in range(5)]
    before = database_snapshot(desk.database)
    monkeypatch.setattr(escalation, "WRITE_EVERY", 2)
    write = escalation_batch.EscalationBatch.write
    slices: list[int] = []

    def write_then_crash(batch: object, ticket_ids: list[int], *args: object) -> None:
        slices.append(len(ticket_ids))
        if len(slices) == 3:
            raise Crash("the process died while writing the last slice")
        write(batch, ticket_ids, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(escalation_batch.EscalationBatch, "write", write_then_crash)
    with pytest.raises(Crash):
        EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert slices == [2, 2, 1]
    assert database_snapshot(desk.database) == before
    monkeypatch.setattr(escalation_batch.EscalationBatch, "write", write)
    report = EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert sorted(item.key for item in report.escalations) == sorted(keys)
    assert history_mismatches(desk.database) == []


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_write_the_server_refuses_mid_pipeline_keeps_nothing(desk, monkeypatch):
    """On PostgreSQL the slices' writes are pipelined: the server's refusal of one of them (here
    an alert naming a clock that does not exist) surfaces as the pass's error, and nothing of
    the pass, before or after that statement, is kept."""
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    keys = [desk.ticket(title=f"Due {n}").key for n in range(5)]
    before = database_snapshot(desk.database)
    monkeypatch.setattr(escalation, "WRITE_EVERY", 2)
    alert_row = escalation_batch._ALERT_ROW
    calls = 0

    def unknown_clock_in_second_slice(row: tuple[object, ...]) -> tuple[object, ...]:
        nonlocal calls
        calls += 1
        converted = alert_row(row)
        return (converted[0], -1, *converted[2:]) if calls == 3 else converted

    monkeypatch.setattr(escalation_batch, "_ALERT_ROW", unknown_clock_in_second_slice)
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert database_snapshot(desk.database) == before
    monkeypatch.setattr(escalation_batch, "_ALERT_ROW", alert_row)
    report = EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert sorted(item.key for item in report.escalations) == sorted(keys)
    assert history_mismatches(desk.database) == []


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_nothing_is_read_through_the_session_while_writes_are_pipelined(database):
    """A query's result would only come at the end of the pipeline: refused, not misread."""
    with (
        database.write() as session,
        bulk.pipelined(session),
        pytest.raises(RuntimeError, match="pipelined"),
    ):
        session.scalar(text("SELECT 1"))
