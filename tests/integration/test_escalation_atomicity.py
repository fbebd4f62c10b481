"""Crash safety of the escalation pass: a pass that fails midway (here: the third ticket's move
raises, as a killed process or a dropped connection would stop it) leaves every ticket either
fully escalated or untouched, and here untouched, since the pass commits as one transaction.
A later pass then escalates them all, once. (Killing the worker process itself with SIGKILL is
the security-and-reliability issue's fault test.)"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services import escalation_batch
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
    insert_rows = escalation_batch.insert_rows
    written: list[str] = []

    def insert_then_crash(session: object, table: str, *args: object) -> None:
        if table == "ticket_events":
            raise Crash("the connection dropped here")
        written.append(table)
        insert_rows(session, table, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(escalation_batch, "insert_rows", insert_then_crash)
    with pytest.raises(Crash):
        EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert written == ["ticket_clocks"]  # the moves and the new clocks were written first
    assert database_snapshot(desk.database) == before
    monkeypatch.setattr(escalation_batch, "insert_rows", insert_rows)
    report = EscalationService(desk.database, FixedClock(MONDAY_13)).run_pass()
    assert sorted(item.key for item in report.escalations) == sorted(keys)
    assert history_mismatches(desk.database) == []
