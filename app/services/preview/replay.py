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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from itertools import groupby
from operator import attrgetter

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.models import ClockKind
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
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
    read_only,
    stored_instant,
    stream_events,
)
from app.services.preview.ticket_replay import TicketReplay
from app.services.preview.tracks import ReplaySetup, TimeRule
from app.services.preview_results import ReplayedMove, ReplayResult
from app.services.rules.definition import RuleSpec, walk_tests
from app.services.rules.engine import RuleSet
from app.services.sla_clocks import ClockKeeper
from app.services.sla_policy import current_terms

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
CHECK_EVERY = 500
MAX_DAYS = 366
ASSUMPTIONS = (
    "Replay assumptions: people's recorded changes still apply to the replayed ticket (a "
    "recorded move sends it to the tier the person chose); the draft decides what rules or "
    "tier clocks would have done; clocks are measured against the current policy (or the "
    "draft policy) throughout; moves within 15 minutes of each other count as the same."
)
_TICKETS = (
    "t.created_at <= %(end)s AND (t.updated_at >= %(start)s "
    "OR t.status NOT IN ('resolved', 'closed'))"
)


def replay_rules(
    database: Database,
    draft_rules: Sequence[RuleSpec],
    days: int = 30,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    at: datetime | None = None,
    clock: Clock | None = None,
) -> ReplayResult:
    """The last ``days`` of history replayed with ``draft_rules`` in place of the stored rule
    set (see the module docstring). Raises ``InvalidRuleSet`` when the draft would not save."""
    return _replay(database, draft_rules, None, days, progress, cancelled, at, clock)


def replay_policy(
    database: Database,
    draft: DraftPolicy,
    days: int = 30,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    at: datetime | None = None,
    clock: Clock | None = None,
) -> ReplayResult:
    """The last ``days`` of history replayed with the tier clocks measured against ``draft``
    (see the module docstring). Raises ``InvalidInput`` naming a wrong target."""
    return _replay(database, None, draft, days, progress, cancelled, at, clock)


def _replay(
    database: Database,
    draft_rules: Sequence[RuleSpec] | None,
    draft_policy: DraftPolicy | None,
    days: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
    at: datetime | None,
    clock: Clock | None,
) -> ReplayResult:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"{days} is not between 1 and {MAX_DAYS}")
    with database.read() as session, read_only(session):
        end = at or (clock or DatabaseClock()).now(session)
        start = end - timedelta(days=days)
        desk = DeskData.load(session)
        rule_set = draft_rule_set(draft_rules, desk.facts) if draft_rules is not None else None
        setup = _setup(session, desk, rule_set, draft_policy, start, end, days)
        params = {"start": stored_instant(session, start), "end": stored_instant(session, end)}
        listed = text(f"SELECT t.id, t.key FROM tickets t WHERE {_sql(_TICKETS)}")
        keys: dict[int, str] = dict(session.execute(listed, params).tuples().all())
        total = len(keys)
        added: list[ReplayedMove] = []
        removed: list[ReplayedMove] = []
        done = 0
        stopped = False
        events = stream_events(session, _TICKETS + _kinds_left_out(rule_set), params)
        try:
            for ticket_id, history in groupby(events, key=attrgetter("ticket_id")):
                if done % CHECK_EVERY == 0:
                    if progress is not None:
                        progress(done, total)
                    if cancelled is not None and cancelled():
                        stopped = True
                        break
                done += 1
                moves = TicketReplay(
                    setup, keys.get(ticket_id, f"#{ticket_id}"), list(history)
                ).run()
                if moves is not None:
                    more, fewer = differing_moves(*moves)
                    added += more
                    removed += fewer
        finally:
            events.close()
        if progress is not None and not stopped:
            progress(total, total)
        by_time = attrgetter("at", "key")
        return ReplayResult(
            start=start,
            end=end,
            tickets_replayed=done,
            events_replayed=setup.events_replayed,
            added=tuple(sorted(added, key=by_time)),
            removed=tuple(sorted(removed, key=by_time)),
            distribution=setup.tally.distribution(desk, ASSUMPTIONS),
            compliance=setup.tally.compliance(desk),
            cancelled=stopped,
        )


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
    session: Session,
    desk: DeskData,
    rule_set: RuleSet | None,
    draft_policy: DraftPolicy | None,
    start: datetime,
    end: datetime,
    days: int,
) -> ReplaySetup:
    time_rules = []
    kinds = {ClockKind.TIER}  # and, through it, the vendor clock's target
    if rule_set is not None:
        for index, rule in enumerate(rule_set.time_rules()):
            trigger = rule.trigger
            calendar = calendar_named(session, trigger.calendar)
            span = timedelta(minutes=trigger.minutes or 0)
            if trigger.measure == "until_breach" and trigger.clock != ClockKind.TIER.value:
                continue  # a replay runs tier clocks only (see the module docstring)
            time_rules.append(TimeRule(rule, index, span, calendar))
    current = current_terms(session)
    if current is None and draft_policy is not None:
        raise InvalidInput("policy", "this desk has no SLA policy to compare a draft with")
    actual_terms = None if current is None else only_clocks(current, frozenset(kinds))
    draft_terms = actual_terms
    if draft_policy is not None:
        draft_terms = only_clocks(policy_terms(session, draft_policy, desk), frozenset(kinds))
    measured = [terms for terms in (actual_terms, draft_terms) if terms is not None]
    draft_session = TermsSession(measured, draft_terms).as_session()
    draft_keeper = ClockKeeper(draft_session, desk.every_tier, record_breaches=False)
    return ReplaySetup(
        desk=desk,
        start=start,
        end=end,
        tally=Tally(start, end, days),
        actual_terms=actual_terms,
        draft_keeper=draft_keeper,
        draft_terms=draft_terms,
        rule_set=rule_set,
        time_rules=tuple(time_rules),
    )
