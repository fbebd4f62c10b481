"""A replay shared out between processes (helper processes each replaying a share of the
tickets) gives the very result of a replay in one process, reports progress to the end, can be
cancelled, and a helper that fails or dies is a clear error, not a hang or a partial result."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.services import demo_profile
from app.services.clock import FixedClock
from app.services.database import Database
from app.services.demo import DemoService
from app.services.errors import DatabaseError
from app.services.preview import DraftPolicy, parallel, replay_policy, replay_rules, share
from app.services.preview.parallel import ReplayFailed
from tests.factories import Desk
from tests.integration.test_preview import END, P1_TO_L2, History, build_history, drafts

DEMO_NOW = datetime(2026, 3, 5, 13, 0, tzinfo=UTC)
DEMO_TICKETS = 1_500
HELPERS_START_S = 3.0
HELPER_FAILS_IN_S = 60.0
TIME_RULE = {
    "name": "P3 stuck in its tier moves up",
    "trigger": {"on": "time", "measure": "in_tier", "minutes": 480, "calendar": "Office hours"},
    "conditions": [{"field": "priority", "op": "in", "value": ["P3"]}],
    "actions": [{"do": "move", "to": "up"}],
}
P1_P2_TO_L2 = {
    **P1_TO_L2,
    "conditions": [{"field": "priority", "op": "in", "value": ["P1", "P2"]}],
}


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few tickets, so that even the small test desk is shared out (this process
    cuts the chunks; the helpers take them as cut)."""
    monkeypatch.setattr(share, "MIN_CHUNK", 4)


@pytest.fixture
def history(desk: Desk) -> History:
    return build_history(desk)


@pytest.fixture
def demo_database(database: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The demo desk's history squeezed into the last 30 days, as the replay benchmark has it."""
    monkeypatch.setattr(demo_profile, "HISTORY_DAYS", 30)
    DemoService(database, FixedClock(DEMO_NOW)).load(DEMO_TICKETS, time_zone="UTC")
    return database


def _wait_for_helpers(done: int, _total: int) -> None:
    """This process's first check waits, so that the helpers start and take chunks (else,
    on a desk this small, this process would have replayed them all by then)."""
    if done == 0:
        time.sleep(HELPERS_START_S)


def test_a_replay_in_three_processes_is_the_replay_in_one(demo_database):
    rules = drafts(P1_P2_TO_L2, TIME_RULE)
    alone = replay_rules(demo_database, rules, days=30, at=DEMO_NOW, processes=1)
    shared = replay_rules(
        demo_database, rules, days=30, at=DEMO_NOW, processes=3, progress=_wait_for_helpers
    )

    assert alone.tickets_replayed > 1000 and alone.added and alone.removed
    assert shared == alone


def test_a_policy_replay_in_two_processes_is_the_replay_in_one(demo_database):
    draft = DraftPolicy({"tier": {"L1": {"P3": 30, "P2": 20}}})
    alone = replay_policy(demo_database, draft, days=30, at=DEMO_NOW, processes=1)
    shared = replay_policy(
        demo_database, draft, days=30, at=DEMO_NOW, processes=2, progress=_wait_for_helpers
    )

    assert alone.added
    assert shared == alone


def test_a_shared_replay_reports_progress_from_nothing_to_every_ticket(desk, history):
    progress: list[tuple[int, int]] = []
    result = replay_rules(
        desk.database, drafts(P1_TO_L2), days=10, at=END, processes=2,
        progress=lambda done, total: progress.append((done, total)),
    )  # fmt: skip

    assert result.tickets_replayed == 32 and not result.cancelled
    assert progress[0] == (0, 32) and progress[-1] == (32, 32)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_a_shared_replay_cancelled_stops_every_process_and_says_so(desk, history):
    result = replay_rules(
        desk.database, drafts(P1_TO_L2), days=10, at=END, processes=2, cancelled=lambda: True
    )

    assert result.cancelled
    assert result.tickets_replayed == 0  # stopped at the first check, before any helper began
    assert not _helpers_alive()


@pytest.fixture
def started_helpers(monkeypatch: pytest.MonkeyPatch) -> list[parallel.Helpers]:
    """The ``Helpers`` each replay starts, as they start."""
    started: list[parallel.Helpers] = []
    start = parallel.Helpers.__init__

    def keep(self: parallel.Helpers, *args: Any) -> None:
        start(self, *args)
        started.append(self)

    monkeypatch.setattr(parallel.Helpers, "__init__", keep)
    return started


def test_a_helper_process_that_dies_with_chunks_taken_is_a_clear_error(
    desk, history, started_helpers
):
    def helper_takes_a_chunk_and_dies(done: int, _total: int) -> None:
        if done == 0:
            helpers = started_helpers[-1]
            parallel.shared_claims(helpers.next_chunk, helpers.claimed, 1, helpers.chunk_count)()
            helper = helpers.processes[0]
            os.kill(helper.pid or 0, signal.SIGKILL)
            helper.join()

    with pytest.raises(ReplayFailed, match=r"helper process .* ended without its result"):
        replay_rules(
            desk.database, drafts(P1_TO_L2), days=10, at=END, processes=2,
            progress=helper_takes_a_chunk_and_dies,
        )  # fmt: skip
    assert not _helpers_alive()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the file is moved away
def test_a_helper_process_error_is_raised_as_it_was(database_url, desk, history):
    path = Path(database_url.removeprefix("sqlite:///"))
    moved = path.with_suffix(".away")

    def move_the_file_away(done: int, _total: int) -> None:
        if done == 0:  # before the helper, still starting, opens it; then let it fail
            path.rename(moved)
            for child in multiprocessing.active_children():
                child.join(HELPER_FAILS_IN_S)

    try:
        with pytest.raises(DatabaseError, match="no TierDesk database") as raised:
            replay_rules(
                desk.database, drafts(P1_TO_L2), days=10, at=END, processes=2,
                progress=move_the_file_away,
            )  # fmt: skip
    finally:
        moved.rename(path)
    assert any("helper process" in note for note in raised.value.__notes__)
    assert not _helpers_alive()


def _helpers_alive() -> bool:
    return any(c.name.startswith("tierdesk-replay-") for c in multiprocessing.active_children())
