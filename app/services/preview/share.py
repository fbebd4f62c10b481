"""One share of a replay's tickets, replayed in the caller's read-only transaction.

A replay is described by a ``ReplayJob`` (plain data: a helper process can be handed it);
``prepare`` checks the draft and builds what every ticket's replay shares. ``chunks_of`` cuts
the window's tickets into ranges of ids; ``replay_share`` replays the chunks handed to one
process (``Claim``: all of them in turn, or, shared between processes, the next one not yet
taken, so that a process slowed down by others on the machine simply takes fewer) and
returns a ``ShareOutcome`` that merges with the other processes' (``ShareOutcome.absorb``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import ClockKind
from app.services.errors import InvalidInput
from app.services.preview.outcome import Tally, differing_moves
from app.services.preview.reading import (
    DeskData,
    DraftPolicy,
    TermsSession,
    calendar_named,
    draft_rule_set,
    only_clocks,
    policy_terms,
    stored_instant,
    stream_events,
)
from app.services.preview.ticket_replay import TicketReplay
from app.services.preview.tracks import ReplaySetup, TimeRule
from app.services.preview_results import ReplayedMove
from app.services.rules.definition import RuleSpec, walk_tests
from app.services.rules.engine import RuleSet
from app.services.sla_clocks import ClockKeeper
from app.services.sla_policy import current_terms

#: Called every ``CHECK_EVERY`` tickets with the tickets done so far; True stops the share.
Tick = Callable[[int], bool]
CHECK_EVERY = 500
#: The fewest tickets in a chunk (a query each).
MIN_CHUNK = 100
#: The window's tickets as ranges of ids: (lowest, highest) of each chunk.
Chunks = tuple[tuple[int, int], ...]
#: The tickets a replay looks at: those open at some point of the window.
TICKETS = (
    "t.created_at <= %(end)s AND (t.updated_at >= %(start)s "
    "OR t.status NOT IN ('resolved', 'closed'))"
)


@dataclass(frozen=True)
class ReplayJob:
    """What to replay: the draft (rules, or an SLA policy) and the window."""

    draft_rules: tuple[RuleSpec, ...] | None
    draft_policy: DraftPolicy | None
    start: datetime
    end: datetime
    days: int


#: Hands out the next chunk's index, or None when every chunk has been taken.
Claim = Callable[[], int | None]


def local_claims(count: int) -> Claim:
    """Claims of ``count`` chunks by this process alone."""
    numbers = iter(range(count))
    return lambda: next(numbers, None)


@dataclass
class ShareOutcome:
    """What a share's replay found: ticket and event counts, the moves added and removed (in
    ticket order), the tally of open tickets and clocks; ``stopped``: cancelled on the way."""

    tickets: int
    events: int
    added: list[ReplayedMove]
    removed: list[ReplayedMove]
    tally: Tally | None  # None: no ticket replayed (``nothing``)
    stopped: bool

    @classmethod
    def nothing(cls) -> ShareOutcome:
        """The outcome of a process that replayed no ticket."""
        return cls(0, 0, [], [], None, False)

    def absorb(self, other: ShareOutcome) -> None:
        """Add another process's outcome to this one."""
        self.tickets += other.tickets
        self.events += other.events
        self.added += other.added
        self.removed += other.removed
        if self.tally is not None and other.tally is not None:
            self.tally.absorb(other.tally)
        self.stopped = self.stopped or other.stopped


def tickets_in_window(session: Session, job: ReplayJob) -> list[int]:
    """The ids of the tickets the replay of ``job`` looks at, in order."""
    listed = text(f"SELECT t.id FROM tickets t WHERE {_sql(TICKETS)} ORDER BY t.id")
    return list(session.execute(listed, _window(session, job)).scalars())


def chunks_of(ids: Sequence[int], parts: int) -> Chunks:
    """``ids`` (in order) cut into about ``parts`` ranges of as many tickets each (at least
    ``MIN_CHUNK``, or all of them for one part)."""
    if not ids:
        return ()
    size = len(ids) if parts <= 1 else max(MIN_CHUNK, -(-len(ids) // parts))
    return tuple((ids[k], ids[min(k + size, len(ids)) - 1]) for k in range(0, len(ids), size))


def prepare(session: Session, job: ReplayJob) -> ReplaySetup:
    """The desk, the draft checked (``InvalidRuleSet`` / ``InvalidInput`` when it would not
    save) and what every ticket's replay shares."""
    desk = DeskData.load(session)
    rule_set = None
    if job.draft_rules is not None:
        rule_set = draft_rule_set(job.draft_rules, desk.facts)
    return _setup(session, desk, rule_set, job)


def replay_share(
    session: Session, setup: ReplaySetup, job: ReplayJob, chunks: Chunks, claim: Claim, tick: Tick
) -> ShareOutcome:
    """Replay the chunks ``claim`` hands this process, one ticket at a time as their history
    streams in; ``tick`` (see ``Tick``) reports progress and may stop it."""
    outcome = ShareOutcome(0, 0, [], [], setup.tally, False)
    params = _window(session, job)
    while not outcome.stopped and (index := claim()) is not None:
        low, high = chunks[index]
        _replay_chunk(session, setup, {**params, "low": low, "high": high}, outcome, tick)
    outcome.events = setup.events_replayed
    return outcome


def _replay_chunk(
    session: Session,
    setup: ReplaySetup,
    params: dict[str, object],
    outcome: ShareOutcome,
    tick: Tick,
) -> None:
    chunk = TICKETS + " AND t.id BETWEEN %(low)s AND %(high)s"
    listed = text(f"SELECT t.id, t.key FROM tickets t WHERE {_sql(chunk)}")
    keys: dict[int, str] = dict(session.execute(listed, params).tuples().all())
    # the same range on the events too: their index on ticket is read from ``low`` only
    chunk += " AND e.ticket_id BETWEEN %(low)s AND %(high)s" + _kinds_left_out(setup.rule_set)
    events = stream_events(session, chunk, params)
    try:
        for ticket_id, history in groupby(events, key=attrgetter("ticket_id")):
            if outcome.tickets % CHECK_EVERY == 0 and tick(outcome.tickets):
                outcome.stopped = True
                return
            outcome.tickets += 1
            moves = TicketReplay(setup, keys.get(ticket_id, f"#{ticket_id}"), list(history)).run()
            if moves is not None:
                more, fewer = differing_moves(*moves)
                outcome.added += more
                outcome.removed += fewer
    finally:
        events.close()


def _window(session: Session, job: ReplayJob) -> dict[str, object]:
    return {"start": stored_instant(session, job.start), "end": stored_instant(session, job.end)}


def _kinds_left_out(rule_set: RuleSet | None) -> str:
    """SQL leaving out assignments and comments when the draft cannot see them: they move no
    tier clock, and a draft whose rules neither test nor set the assignee, nor watch
    assignments or comments, nor count time since the last update, never reads them (a
    third of a desk's history, the replay's largest cost)."""
    if rule_set is not None and any(_sees_people(rule.spec) for rule in rule_set.rules):
        return ""
    return " AND e.kind NOT IN ('assigned', 'commented')"


def _sees_people(spec: RuleSpec) -> bool:
    definition = spec.definition
    trigger = definition.trigger
    if trigger.on == "updated" and (
        not trigger.fields or {"assignee", "comment"} & set(trigger.fields)
    ):
        return True
    if trigger.measure == "since_update":
        return True
    if any(action.kind in ("assign", "unassign") for action in definition.actions):
        return True
    return any(test.field == "assignee" for _path, test in walk_tests(definition.conditions))


def _sql(sql: str) -> str:
    """``%(name)s`` parameters as SQLAlchemy's ``text`` takes them."""
    return sql.replace("%(", ":").replace(")s", "")


def _setup(
    session: Session, desk: DeskData, rule_set: RuleSet | None, job: ReplayJob
) -> ReplaySetup:
    time_rules = []
    kinds = {ClockKind.TIER}  # and, through it, the vendor clock's target
    if rule_set is not None:
        for index, rule in enumerate(rule_set.time_rules()):
            trigger = rule.trigger
            calendar = calendar_named(session, trigger.calendar)
            span = timedelta(minutes=trigger.minutes or 0)
            if trigger.measure == "until_breach" and trigger.clock != ClockKind.TIER.value:
                continue  # a replay runs tier clocks only (see ``replay``'s docstring)
            time_rules.append(TimeRule(rule, index, span, calendar))
    current = current_terms(session)
    if current is None and job.draft_policy is not None:
        raise InvalidInput("policy", "this desk has no SLA policy to compare a draft with")
    actual_terms = None if current is None else only_clocks(current, frozenset(kinds))
    draft_terms = actual_terms
    if job.draft_policy is not None:
        draft_terms = only_clocks(policy_terms(session, job.draft_policy, desk), frozenset(kinds))
    measured = [terms for terms in (actual_terms, draft_terms) if terms is not None]
    draft_session = TermsSession(measured, draft_terms).as_session()
    draft_keeper = ClockKeeper(draft_session, desk.every_tier, record_breaches=False)
    return ReplaySetup(
        desk=desk,
        start=job.start,
        end=job.end,
        tally=Tally(job.start, job.end, job.days),
        actual_terms=actual_terms,
        draft_keeper=draft_keeper,
        draft_terms=draft_terms,
        rule_set=rule_set,
        time_rules=tuple(time_rules),
    )


def sorted_moves(moves: Sequence[ReplayedMove]) -> tuple[ReplayedMove, ...]:
    """Moves by instant, then ticket key (a ticket's own moves keep their order)."""
    return tuple(sorted(moves, key=attrgetter("at", "key")))
