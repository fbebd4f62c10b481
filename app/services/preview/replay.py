"""Preview (b): the last N days of history replayed under a draft rule set or SLA policy, in a
read-only transaction (nothing is, or can be, written).

How a replay works, and what it approximates (``ASSUMPTIONS`` says it in the result):

- Each ticket open at some point of the window is replayed from its recorded history (events in
  order, the ticket as ``history.TicketState``). Before the window both tracks are the history.
- People's recorded changes apply to the replayed ticket as recorded, even after it diverged:
  a person's move sends it to the tier they moved it to (nothing, if it is there already),
  their assignments, statuses, priorities and edits are applied as they were made.
- Rules replay (``replay_rules``): the draft replaces the stored rule set. The stored rules'
  recorded changes are left out of the replayed ticket; the draft's rules run on every recorded
  person's change (``updated``, with the fields it changed) and on creation (``created``), and
  its time rules whenever they fall due between changes, through the engine's own ``evaluate``.
  Recorded SLA escalations stand while the replayed ticket is in the same tier, status and
  priority as the real one; once the draft made it differ, its tier clocks are its own (copied
  at that instant) and expiring escalates it as the escalation pass does (up one tier at the
  clock's due instant; at the top of the ladder only flagged as breached).
- Policy replay (``replay_policy``): recorded changes of people and rules apply as recorded;
  recorded SLA escalations are left out and the replayed ticket's clocks run against the draft
  from the start of the window (clocks then running re-measured against it; one already past
  the draft's target escalates at the start of the window, as the pass would on going live).
- A draft time rule's episode that fell due before the window is not replayed.
- Clocks run against the current policy (rules) or the draft (policy), whichever version the
  tickets' clocks really used; only tier clocks are run (compliance is per tier clock), so a
  draft time rule "until breach" of another clock is not replayed.
- A replayed move and a recorded one between the same tiers within ``SAME_MOVE`` (15 minutes)
  are the same move; only the differences are listed.
- Rules do not run after an SLA escalation (as in the escalation pass); comments and
  notifications are not replayed (they move nothing). Assignments and comments are not even
  read when the draft cannot see them (``_kinds_left_out``).

Cancelling (``cancelled()`` true when checked, every ``CHECK_EVERY`` tickets) returns the
result so far, flagged ``cancelled=True``: tickets not reached are left out of every figure.

A large replay (``PARALLEL_FROM`` tickets or more) is shared out, in chunks of ticket ids,
between this process and helper processes, one per further core (``parallel``); ``processes``
sets their number instead (1: all in this process). The result is the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.errors import InvalidInput
from app.services.preview.parallel import Helpers
from app.services.preview.reading import DeskData, DraftPolicy, read_only
from app.services.preview.share import (
    ReplayJob,
    ShareOutcome,
    Tick,
    chunks_of,
    local_claims,
    prepare,
    replay_share,
    sorted_moves,
    tickets_in_window,
)
from app.services.preview_results import ReplayResult
from app.services.rules.definition import RuleSpec

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
MAX_DAYS = 366
#: From this many tickets a replay is shared out between processes (below it, starting a
#: helper process costs more than it saves).
PARALLEL_FROM = 20_000
MAX_PROCESSES = 4
#: Chunks per process: enough that a process slowed down by others takes fewer of them.
CHUNKS_PER_PROCESS = 8
#: How often, in seconds, progress and cancel are looked at while waiting for helpers.
WAIT_STEP_S = 0.1
ASSUMPTIONS = (
    "Replay assumptions: people's recorded changes still apply to the replayed ticket (a "
    "recorded move sends it to the tier the person chose); the draft decides what rules or "
    "tier clocks would have done; clocks are measured against the current policy (or the "
    "draft policy) throughout; moves within 15 minutes of each other count as the same."
)


def replay_rules(
    database: Database,
    draft_rules: Sequence[RuleSpec],
    days: int = 30,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    at: datetime | None = None,
    clock: Clock | None = None,
    processes: int | None = None,
) -> ReplayResult:
    """The last ``days`` of history replayed with ``draft_rules`` in place of the stored rule
    set (see the module docstring). Raises ``InvalidRuleSet`` when the draft would not save."""
    request = _Request(tuple(draft_rules), None, days, at, clock, processes)
    return _replay(database, request, progress, cancelled)


def replay_policy(
    database: Database,
    draft: DraftPolicy,
    days: int = 30,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    at: datetime | None = None,
    clock: Clock | None = None,
    processes: int | None = None,
) -> ReplayResult:
    """The last ``days`` of history replayed with the tier clocks measured against ``draft``
    (see the module docstring). Raises ``InvalidInput`` naming a wrong target."""
    request = _Request(None, draft, days, at, clock, processes)
    return _replay(database, request, progress, cancelled)


class _Request:
    """A replay's arguments, before the window is known."""

    def __init__(
        self,
        draft_rules: tuple[RuleSpec, ...] | None,
        draft_policy: DraftPolicy | None,
        days: int,
        at: datetime | None,
        clock: Clock | None,
        processes: int | None,
    ) -> None:
        if not 1 <= days <= MAX_DAYS:
            raise InvalidInput("days", f"{days} is not between 1 and {MAX_DAYS}")
        if processes is not None and processes < 1:
            raise InvalidInput("processes", f"{processes} is not 1 or more")
        self.draft_rules, self.draft_policy, self.days = draft_rules, draft_policy, days
        self.at, self.clock, self.processes = at, clock, processes


def _replay(
    database: Database, request: _Request, progress: Progress | None, cancelled: Cancelled | None
) -> ReplayResult:
    with database.read() as session, read_only(session):
        end = request.at or (request.clock or DatabaseClock()).now(session)
        job = ReplayJob(
            request.draft_rules, request.draft_policy, end - timedelta(days=request.days), end,
            request.days,
        )  # fmt: skip
        setup = prepare(session, job)  # the draft checked before any helper starts
        ids = tickets_in_window(session, job)
        total = len(ids)
        count = request.processes or _processes_for(total)
        chunks = chunks_of(ids, count * CHUNKS_PER_PROCESS if count > 1 else 1)
        if count == 1 or len(chunks) <= 1:
            tick = _watch(progress, cancelled, total)
            outcome = replay_share(session, setup, job, chunks, local_claims(len(chunks)), tick)
        else:
            url = database.engine.url.render_as_string(hide_password=False)  # a file: resolved
            with Helpers(url, job, chunks, min(count, len(chunks)) - 1) as helpers:
                tick = _watch(progress, cancelled, total, helpers)
                outcome = replay_share(session, setup, job, chunks, helpers.claim, tick)
                _wait_for(helpers, outcome, progress, cancelled, total)
                for other in helpers.outcomes_when_done():
                    outcome.absorb(other)
    if progress is not None and not outcome.stopped:
        progress(total, total)
    return _result(job, setup.desk, outcome)


def _processes_for(total: int) -> int:
    """How many processes share a replay of ``total`` tickets: one per core (up to
    ``MAX_PROCESSES``) for a large replay, else one. (The installed app starts its helpers
    as itself again: ``main.py`` calls ``multiprocessing.freeze_support`` for that.)"""
    if total < PARALLEL_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_PROCESSES, cores or 1))


def _watch(
    progress: Progress | None,
    cancelled: Cancelled | None,
    total: int,
    helpers: Helpers | None = None,
) -> Tick:
    """This process's check every ``CHECK_EVERY`` tickets: progress of every process (helpers'
    errors raised here), and cancel (passed on to the helpers)."""

    def tick(done: int) -> bool:
        if helpers is not None:
            helpers.collect()
            done += helpers.tickets_done
        if progress is not None:
            progress(done, total)
        if cancelled is not None and cancelled():
            if helpers is not None:
                helpers.stop()
            return True
        return False

    return tick


def _wait_for(
    helpers: Helpers,
    outcome: ShareOutcome,
    progress: Progress | None,
    cancelled: Cancelled | None,
    total: int,
) -> None:
    """Wait for the helpers' outcomes, reporting progress and passing cancel on."""
    stopping = outcome.stopped  # told to the helpers already; each reports if it stopped
    helpers.let_idle_go()  # every chunk is taken by now, or none is handed out any more
    shown = -1
    while not helpers.finished:
        helpers.collect(WAIT_STEP_S)
        done = outcome.tickets + helpers.tickets_done
        if progress is not None and done != shown:
            progress(done, total)
            shown = done
        if cancelled is not None and not stopping and cancelled():
            helpers.stop()
            helpers.let_idle_go()
            stopping = True


def _result(job: ReplayJob, desk: DeskData, outcome: ShareOutcome) -> ReplayResult:
    tally = outcome.tally
    assert tally is not None  # this process's own
    return ReplayResult(
        start=job.start,
        end=job.end,
        tickets_replayed=outcome.tickets,
        events_replayed=outcome.events,
        added=sorted_moves(outcome.added),
        removed=sorted_moves(outcome.removed),
        distribution=tally.distribution(desk, ASSUMPTIONS),
        compliance=tally.compliance(desk),
        cancelled=outcome.stopped,
    )
