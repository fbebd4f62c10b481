"""Helper processes that replay chunks of a replay's tickets alongside the calling process.

Folding histories is pure Python and takes most of a large replay's time, so the tickets of a
large replay are cut into chunks of ids (``share.chunks_of``) that the calling process and its
helpers take one at a time from a shared counter (``Helpers.claim``), each reading its chunks
in a read-only transaction of its own; the outcomes merge (``ShareOutcome.absorb``). A helper
that starts late, or gets little of the machine, takes fewer chunks: the replay is then no
slower than in one process, by much. Helpers are spawned, not forked: forking a process that
runs Qt and database threads is unsafe.

- Progress: a helper sends its count of tickets done at each check (``CHECK_EVERY``);
  ``Helpers.tickets_done`` sums them.
- Cancel: ``Helpers.stop`` asks every helper to stop at its next check; each then sends what
  it has done, flagged stopped.
- Failure: a helper sends its error, which is raised in the caller as it was (with the
  helper's traceback as a note) or, when it cannot travel between processes, as
  ``ReplayFailed``; a helper that ends without a word (killed, crashed) is ``ReplayFailed``
  with its exit code. ``Helpers.close`` ends any helper still running.

Each process reads in its own transaction, so they may see the desk a moment apart; the
window's end is fixed before any of them starts, and nothing recorded after it is replayed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import traceback
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from app.services.database import open_database
from app.services.errors import TierDeskError
from app.services.preview.reading import read_only
from app.services.preview.share import (
    Chunks,
    Claim,
    ReplayJob,
    ShareOutcome,
    prepare,
    replay_share,
)

STOP = "stop"
#: How long a helper that ended without its result is given to report its exit code.
EXIT_WAIT_S = 5.0
_SPAWN = multiprocessing.get_context("spawn")


class ReplayFailed(TierDeskError):
    """A replay's helper process failed, or ended without sending its result."""


class Helpers:
    """``count`` helper processes replaying chunks of ``job``'s tickets from the database at
    ``url``, claimed through ``claim`` (which the calling process uses too). Use as a context
    manager (or call ``close``) so that none outlives the replay."""

    def __init__(self, url: str, job: ReplayJob, chunks: Chunks, count: int) -> None:
        self.next_chunk = _SPAWN.Value("i", 0)
        self.claimed = _SPAWN.Array("i", count + 1)  # chunks taken: this process, each helper
        self.chunk_count = len(chunks)
        self.claim = shared_claims(self.next_chunk, self.claimed, 0, len(chunks))
        self.done = [0] * count
        self.outcomes: list[ShareOutcome | None] = [None] * count
        self.sent_result = [False] * count
        self.processes: list[BaseProcess] = []
        self.pipes: list[Connection] = []
        try:
            for number in range(1, count + 1):
                ours, theirs = _SPAWN.Pipe()
                self.pipes.append(ours)
                process = _SPAWN.Process(
                    target=work,
                    args=(url, job, chunks, self.next_chunk, self.claimed, number, theirs),
                    name=f"tierdesk-replay-{number}",
                    daemon=True,  # ends with the app, whatever happens
                )
                process.start()
                theirs.close()
                self.processes.append(process)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def tickets_done(self) -> int:
        return sum(self.done)

    @property
    def finished(self) -> bool:
        return all(outcome is not None for outcome in self.outcomes)

    def let_idle_go(self) -> None:
        """Once every chunk is taken (or the replay stopped), a helper that took none will do
        nothing more: its outcome is not waited for (a small or cancelled replay need not wait
        for a helper to start), and ``close`` ends it."""
        self.collect()  # an error a helper has sent is raised all the same
        with self.next_chunk.get_lock():
            idle = [k for k in range(len(self.outcomes)) if self.claimed[k + 1] == 0]
        for index in idle:
            if self.outcomes[index] is None:
                self.outcomes[index] = ShareOutcome.nothing()

    def collect(self, timeout: float = 0.0) -> None:
        """Read what the helpers have sent (waiting up to ``timeout`` seconds for something);
        raises a helper's error, or ``ReplayFailed`` for a helper that ended without a word."""
        running = [i for i, outcome in enumerate(self.outcomes) if outcome is None]
        watched: list[Any] = [self.pipes[i] for i in running]
        watched += [self.processes[i].sentinel for i in running]
        ready = set(wait(watched, timeout))
        for index in running:
            if self.pipes[index] in ready or self.processes[index].sentinel in ready:
                self._read(index)

    def stop(self) -> None:
        """Ask every helper still running to stop at its next check; no chunk is handed out
        after this (so a helper still starting is let go, see ``let_idle_go``)."""
        with self.next_chunk.get_lock():
            self.next_chunk.value = self.chunk_count
        for index, pipe in enumerate(self.pipes):
            if self.outcomes[index] is None:
                with contextlib.suppress(OSError):
                    pipe.send(STOP)

    def outcomes_when_done(self) -> list[ShareOutcome]:
        assert self.finished
        return [outcome for outcome in self.outcomes if outcome is not None]

    def close(self) -> None:
        """End the helpers: those done are reaped, any other terminated (one let go idle is
        most likely still starting; by now no helper is left to take a chunk, so none can be
        left waiting for the counter's lock)."""
        for index, process in enumerate(self.processes):
            if not self.sent_result[index] and process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(EXIT_WAIT_S)
        for pipe in self.pipes:
            pipe.close()

    def _read(self, index: int) -> None:
        pipe, name = self.pipes[index], self.processes[index].name
        silent = False  # the helper closed its end without sending its result
        try:
            while self.outcomes[index] is None and pipe.poll():
                message = pipe.recv()
                if message[0] == "progress":
                    self.done[index] = message[1]
                elif message[0] == "done":
                    self.outcomes[index] = outcome = message[1]
                    self.sent_result[index] = True
                    self.done[index] = outcome.tickets
                else:
                    _, error, trace = message
                    error.add_note(f"in the replay's helper process {name}:\n{trace}")
                    raise error
        except EOFError:
            silent = True
        process = self.processes[index]
        if self.outcomes[index] is None and (silent or not process.is_alive()):
            process.join(EXIT_WAIT_S)
            raise ReplayFailed(
                f"the replay stopped: its helper process {name} ended without its result "
                f"(exit code {process.exitcode})"
            )


def shared_claims(next_chunk: Any, claimed: Any, slot: int, count: int) -> Claim:
    """Claims of ``count`` chunks shared between processes through the counter
    ``next_chunk`` (a ``multiprocessing.Value``), counted in ``claimed[slot]``."""

    def claim() -> int | None:
        with next_chunk.get_lock():
            index = int(next_chunk.value)
            if index >= count:
                return None
            next_chunk.value = index + 1
            claimed[slot] += 1
        return index

    return claim


def work(
    url: str,
    job: ReplayJob,
    chunks: Chunks,
    next_chunk: Any,
    claimed: Any,
    slot: int,
    pipe: Connection,
) -> None:
    """A helper process's life: replay the chunks it claims and send its outcome, or its
    error."""

    def tick(done: int) -> bool:
        pipe.send(("progress", done))
        return bool(pipe.poll()) and pipe.recv() == STOP

    try:
        database = open_database(url, migrate=False, create=False)
        try:
            with database.read() as session, read_only(session):
                setup = prepare(session, job)
                claim = shared_claims(next_chunk, claimed, slot, len(chunks))
                outcome = replay_share(session, setup, job, chunks, claim, tick)
        finally:
            database.close()
        pipe.send(("done", outcome))
    except BaseException as error:  # whatever it is, the caller must hear of it
        pipe.send(("failed", _portable(error), traceback.format_exc()))
    finally:
        pipe.close()


def _portable(error: BaseException) -> BaseException:
    """``error`` if it survives the trip between processes unchanged, else a ``ReplayFailed``
    saying what it was (an exception whose constructor takes other arguments than it keeps
    cannot be rebuilt on the other side)."""
    with contextlib.suppress(Exception):
        copy = pickle.loads(pickle.dumps(error))
        if type(copy) is type(error) and str(copy) == str(error):
            return error
    return ReplayFailed(f"the replay failed in a helper process: {type(error).__name__}: {error}")
