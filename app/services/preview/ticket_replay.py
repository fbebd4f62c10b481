"""One ticket's history replayed twice: as it happened (``actual``) and under the draft
(``replayed``). See ``replay`` for the rules of the replay; this module is its engine.

The two tracks are one until the draft makes the ticket differ (in tier, status, priority or
assignee): most tickets never do, and cost one fold of their events. The actual track keeps its
tier clock as a ``TierClock`` (business time banked and since when it runs: all compliance
needs). From the instant the draft makes a difference, the replayed track is a copy of the
actual one with clocks of its own, ``ClockRow`` objects moved by the real ``ClockKeeper`` (its
expiries escalate the replayed ticket as the escalation pass would). The draft's rules run
through the engine's own, pure ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from app.models import ClockKind, EventKind, MoveReason, Priority, TicketStatus, TierKind
from app.services.preview.fold import LiveState
from app.services.preview.outcome import ACTUAL, REPLAYED
from app.services.preview.reading import RecordedEvent
from app.services.preview.tracks import (
    CLOCK_STANDING,
    FINISHED,
    MAX_DEADLINES,
    Change,
    ClockList,
    Op,
    ReplaySetup,
    TierClock,
    TimeRule,
    Track,
    group_kind,
    moves_clocks,
)
from app.services.preview_results import ReplayedMove
from app.services.rules.conditions import TicketSnapshot
from app.services.rules.engine import Evaluation, TriggerEvent, evaluate
from app.services.sla_clocks import (
    AnyClock,
    ClockInputs,
    ClockRow,
    clock_paused,
    remembered_due,
)


class TicketReplay:
    """Replays one ticket (all its events, oldest first) under ``setup``."""

    def __init__(self, setup: ReplaySetup, key: str, events: Sequence[RecordedEvent]) -> None:
        self.setup, self.key = setup, key
        self.ticket_id = events[0].ticket_id if events else 0
        self.groups: list[list[RecordedEvent]] = []
        version = None
        for event in events:
            if event.ticket_version == version:
                self.groups[-1].append(event)
            else:
                self.groups.append([event])
                version = event.ticket_version
        self.kinds = [group_kind(group) for group in self.groups]
        self.actual: Track | None = None
        self.replayed: Track | None = None  # None: the same as ``actual``
        self.looked: set[tuple[int, datetime]] = set()
        self.pending: list[Op] | None = None  # the actual track's tally while undecided
        self.pre_ops: list[Op] | None = None  # a candidate replayed track's tally

    @property
    def forked(self) -> bool:
        return self.replayed is not None

    # ------------------------------------------------------------------------ the replay
    def run(self) -> tuple[list[ReplayedMove], list[ReplayedMove]] | None:
        """(actual moves, replayed moves) in the window when they may differ, ([], []) when the
        draft changed nothing; None for a history that does not start with ``created``."""
        setup, groups = self.setup, self.groups
        if not groups or groups[0][0].kind is not EventKind.CREATED:
            return None
        index = 0
        while index < len(groups) and groups[index][0].at < setup.start:
            self._actual_step(groups[index])
            index += 1
        if self.actual is not None and setup.policy_mode:
            self._fork(self.actual.copy(), [], setup.start)
        timed = bool(setup.time_rules)
        while index < len(groups):
            at = groups[index][0].at
            if at > setup.end:
                break
            if self.actual is not None and (timed or self.replayed is not None):
                self._deadlines(at, inclusive=False)
            index = self._step(index)
        self._deadlines(setup.end, inclusive=True)
        return self._finish()

    def _step(self, index: int) -> int:
        """Replay the recorded change at ``index`` (and the stored rules' changes of the same
        instant that follow it); returns the index of the next one."""
        setup = self.setup
        group = self.groups[index]
        kind = self.kinds[index]
        at = group[0].at
        setup.events_replayed += len(group)
        created = group[0].kind is EventKind.CREATED
        left_out = kind == "sla" or (kind == "rule" and not setup.policy_mode)
        if self.replayed is not None:
            self._actual_step(group)
            if left_out:
                return index + 1
            self._apply_recorded(self.replayed, group)
            if moves_clocks(group):
                self._advance_replayed(group, at)
            made = self._draft_on(self.replayed, group, created, at)
            if made:
                self._advance_replayed(made, at)
            return self._stored_rules_after(index + 1, at)
        if kind == "sla":
            self._actual_step(group)
            return index + 1
        if kind == "rule" and not setup.policy_mode:
            candidate = self._candidate()
            self.pending = []
            self._actual_step(group)
            self._decide(candidate, [], at)
            return index + 1
        self._actual_step(group)
        if setup.policy_mode:  # created in the window: its own clocks from the start
            assert self.actual is not None
            self._fork(self.actual.copy(), [], at)
            return index + 1
        following = self._stored_rules_at(index + 1, at)
        trigger = setup.trigger_for(group, created)
        if trigger is None and following == index + 1:
            return following
        evaluation = None
        if trigger is not None and setup.rule_set is not None:
            assert self.actual is not None
            evaluation = evaluate(setup.rule_set, self._snapshot(self.actual), trigger)
            if not evaluation.firings and following == index + 1:
                return following
        candidate = self._candidate()
        made = self._fire(candidate, evaluation, at) if evaluation is not None else []
        self.pending = []
        self._stored_rules_after(index + 1, at)
        self._decide(candidate, made, at)
        return following

    def _stored_rules_at(self, index: int, at: datetime) -> int:
        """The index after the stored rules' recorded changes of instant ``at`` from ``index``."""
        groups, kinds = self.groups, self.kinds
        if self.setup.policy_mode:
            return index
        while index < len(groups) and kinds[index] == "rule" and groups[index][0].at == at:
            index += 1
        return index

    def _stored_rules_after(self, index: int, at: datetime) -> int:
        """The stored rules' changes right after a person's: the actual track only."""
        following = self._stored_rules_at(index, at)
        for group in self.groups[index:following]:
            self.setup.events_replayed += len(group)
            self._actual_step(group)
        return following

    # ------------------------------------------------------------------- sharing, forking
    def _candidate(self) -> Track:
        """A copy of the actual track, to try the draft on."""
        assert self.actual is not None
        self.pre_ops = []
        return self.actual.copy()

    def _decide(self, candidate: Track, made: Sequence[Any], at: datetime) -> None:
        """After one change: the draft's track differs from the actual one, and goes its own
        way from here, or it does not, and is dropped."""
        actual = self.actual
        assert actual is not None
        a, c = actual.state, candidate.state
        differs = (a.tier_id, a.status, a.priority, a.assignee_id) != (
            c.tier_id, c.status, c.priority, c.assignee_id,
        )  # fmt: skip
        pending, self.pending = self.pending or [], None
        if differs:
            self._fork(candidate, made, at)
            for op in pending:
                self._apply(ACTUAL, op)
        else:
            self.pre_ops = None
            for op in pending:
                self._apply(ACTUAL, op)
                self._apply(REPLAYED, op)

    def _fork(self, track: Track, made: Sequence[Any], at: datetime) -> None:
        """From now on the replayed ticket is ``track``, with clocks of its own (the draft
        policy's, in policy mode) starting from the actual tier clock as it stood."""
        setup = self.setup
        terms = setup.draft_terms
        clocks: list[AnyClock] = []
        light = track.clock
        if light is not None and terms is not None:
            clocks.append(
                ClockRow(
                    None, self.ticket_id, ClockKind.TIER, light.tier_id, terms.policy_id,
                    light.target, light.started_at, light.used, light.running_since, None, None,
                    None, None, None,
                )
            )  # fmt: skip
        track.clock, track.clocks, track.sink = None, clocks, ClockList(list(clocks))
        self.replayed = track
        for op in self.pre_ops or []:
            self._apply(REPLAYED, op)
        self.pre_ops = None
        self._advance_replayed(made, at)

    # --------------------------------------------------------------------- the two tracks
    def _actual_step(self, group: list[RecordedEvent]) -> None:
        setup = self.setup
        at = group[0].at
        if self.actual is None:
            state = LiveState.created(group[0])
            self.actual = Track(state, at, since=at)
            self._tier_clock(self.actual, at)
            self._mark(self.actual, at)
            if len(group) == 1:
                return
        actual = self.actual
        state = actual.state
        before = (state.tier_id, state.priority, CLOCK_STANDING[state.status])
        for event in group:
            kind = event.kind
            if kind is EventKind.CREATED:
                continue
            if kind is EventKind.TIER_CHANGED:
                if at >= setup.start:
                    actual.moves.append(self._recorded_move(event, event.from_tier_id))
                self._entered(actual, event.from_tier_id, event.to_tier_id, at)
            state.apply(event)
        # Most changes (taking a ticket, starting work) leave the tier clock as it stands.
        if before != (state.tier_id, state.priority, CLOCK_STANDING[state.status]):
            self._tier_clock(actual, at)
            self._mark(actual, at)

    def _tier_clock(self, track: Track, at: datetime) -> None:
        """The actual tier clock after a change (``ClockKeeper``'s rules for a tier clock)."""
        setup = self.setup
        if setup.actual_terms is None:
            return
        state = track.state
        finished = state.status in FINISHED
        clock = track.clock
        if clock is not None and (finished or clock.tier_id != state.tier_id):
            self._stop(track, clock, at)
            track.clock = clock = None
        if finished:
            return
        target = setup.tier_target(state.tier_id, state.priority)
        if clock is None:
            if target is None:
                return
            clock = track.clock = TierClock(state.tier_id, at, 0, None, 0)
        if target is not None:
            clock.target = target
        tier_kind = self.setup.tier_kind.get(state.tier_id, TierKind.INTERNAL)
        if clock_paused(ClockKind.TIER, state.status, tier_kind):
            if clock.running_since is not None:
                clock.used += self._business(clock.running_since, at)
                clock.running_since = None
        elif clock.running_since is None:
            clock.running_since = at

    def _stop(self, track: Track, clock: TierClock, at: datetime) -> None:
        if clock.running_since is not None:
            clock.used += self._business(clock.running_since, at)
            clock.running_since = None
        if self.setup.start <= at <= self.setup.end:
            self._op(track, ("clock", clock.tier_id, clock.used < clock.target))

    def _apply_recorded(self, replayed: Track, group: list[RecordedEvent]) -> None:
        """A recorded change applied to the replayed ticket as recorded; a move to the tier
        the replayed ticket is already at changes nothing."""
        at = group[0].at
        state = replayed.state
        for event in group:
            kind = event.kind
            if kind is EventKind.CREATED:
                continue
            if kind is EventKind.TIER_CHANGED:
                if event.to_tier_id == state.tier_id:
                    continue
                replayed.moves.append(self._recorded_move(event, state.tier_id))
                self._entered(replayed, state.tier_id, event.to_tier_id, at)
            state.apply(event)
        self._mark(replayed, at)

    def _advance_replayed(self, events: Sequence[Any], at: datetime) -> None:
        replayed = self.replayed
        assert replayed is not None
        keeper = self.setup.draft_keeper
        keeper.sink = replayed.sink
        inputs = ClockInputs.after(replayed.state, self.setup.desk.every_tier, events)
        replayed.clocks = keeper.advance(self.ticket_id, replayed.clocks, inputs, at)

    # ---------------------------------------------------------------------- the draft
    def _draft_on(
        self,
        track: Track,
        group: Sequence[RecordedEvent],
        created: bool,
        at: datetime,
        trigger: TriggerEvent | None = None,
    ) -> list[Change]:
        rule_set = self.setup.rule_set
        if rule_set is None:
            return []
        trigger = trigger or self.setup.trigger_for(group, created)
        if trigger is None:
            return []
        return self._fire(track, evaluate(rule_set, self._snapshot(track), trigger), at)

    def _snapshot(self, track: Track) -> TicketSnapshot:
        state, desk = track.state, self.setup.desk
        return TicketSnapshot(
            key=self.key, title=state.title, description=state.description,
            requester=state.requester, category=desk.category_name.get(state.category_id, ""),
            impact=state.impact.value, urgency=state.urgency.value,
            priority=state.priority.value, status=state.status.value,
            tier=desk.tier_code.get(state.tier_id, "") if state.tier_id in desk.tier_id.values()
            else "",
            assignee=desk.login.get(state.assignee_id) if state.assignee_id else None,
            reopened_count=state.reopen_count, escalations=track.escalations,
        )  # fmt: skip

    def _fire(self, track: Track, evaluation: Evaluation, at: datetime) -> list[Change]:
        """What the draft's firings change on ``track`` (and the moves they make)."""
        if not evaluation.firings:
            return []
        desk = self.setup.desk
        for firing in evaluation.firings:
            for planned in firing.actions:
                if planned.kind == "move":
                    track.moves.append(
                        ReplayedMove(
                            at, self.key, planned.source or "", planned.target or "",
                            f"rule “{firing.rule_name}”",
                        )
                    )  # fmt: skip
        after, state = evaluation.after, track.state
        tier_id = desk.tier_id.get(after.tier, state.tier_id)
        assignee = desk.user_id.get(after.assignee) if after.assignee else None
        made = []
        if tier_id != state.tier_id:
            made.append(Change(EventKind.TIER_CHANGED))
            self._entered(track, state.tier_id, tier_id, at)
        if assignee != state.assignee_id:
            made.append(Change(EventKind.ASSIGNED, new_value=str(assignee) if assignee else None))
        if after.status != state.status.value:
            made.append(Change(EventKind.STATUS_CHANGED))
        if after.priority != state.priority.value:
            made.append(Change(EventKind.PRIORITY_CHANGED))
        if made:
            state.tier_id, state.assignee_id, state.updated_at = tier_id, assignee, at
            state.status, state.priority = TicketStatus(after.status), Priority(after.priority)
            track.escalations = after.escalations
            self._mark(track, at)
        return made

    # ------------------------------------------------------------------------ deadlines
    def _deadlines(self, until: datetime, inclusive: bool) -> None:
        """The replayed ticket's deadlines before ``until``: a tier clock expiring (once its
        clocks are its own) and the draft's time rules falling due, earliest first."""
        if self.actual is None or (self.replayed is None and not self.setup.time_rules):
            return
        for _ in range(MAX_DEADLINES):
            track = self.replayed or self.actual
            if track.state.status.is_finished:
                return
            found = self._next_deadline(track)
            if found is None:
                return
            at, what, episode = found
            if at > until or (at == until and not inclusive):
                return
            if isinstance(what, TimeRule):
                self._time_rule(what, at, episode)
            else:
                self._escalate(what, at)

    def _next_deadline(self, track: Track) -> tuple[datetime, TimeRule | AnyClock, datetime] | None:
        best: tuple[datetime, TimeRule | AnyClock, datetime] | None = None
        now = max(track.state.updated_at, self.setup.start)  # nothing replayed before the window
        if self.replayed is not None:
            for clock in track.clocks:
                if (
                    clock.kind is ClockKind.TIER
                    and clock.breached_at is None
                    and clock.due_at is not None
                    and clock.tier_id == track.state.tier_id
                ):
                    instant = max(clock.due_at, now)
                    if best is None or instant < best[0]:
                        best = (instant, clock, clock.started_at)
        for rule in self.setup.time_rules:
            found = self._time_rule_due(rule, track)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], rule, found[1])
        return best

    def _time_rule_due(self, rule: TimeRule, track: Track) -> tuple[datetime, datetime] | None:
        """When ``rule`` falls due for the ticket, and its episode's start."""
        trigger = rule.rule.trigger
        state = track.state
        if trigger.measure == "until_breach":
            found = self._running_tier_clock(track)
            if found is None:
                return None
            episode, breach, running_since, left = found
            if (rule.index, episode) in self.looked:
                return None
            if rule.calendar is None:
                instant = breach - rule.span
            else:
                start, span = running_since, max(left - rule.span, timedelta(0))
                instant = remembered_due(rule.calendar, start, span)
        else:
            episode = {
                "without_resolution": state.created_at,
                "since_update": state.updated_at,
                "in_tier": track.entered_tier_at,
            }[trigger.measure or ""]
            if (rule.index, episode) in self.looked:
                return None
            instant = (
                episode + rule.span if rule.calendar is None
                else remembered_due(rule.calendar, episode, rule.span)
            )  # fmt: skip
        if instant < self.setup.start:
            self.looked.add((rule.index, episode))  # due before the window: not replayed
            return None
        return max(instant, state.updated_at), episode

    def _running_tier_clock(
        self, track: Track
    ) -> tuple[datetime, datetime, datetime, timedelta] | None:
        """The running tier clock: (started, breach instant, running since, business time
        left), or None."""
        if self.replayed is None:
            light, terms = track.clock, self.setup.actual_terms
            if light is None or light.running_since is None or terms is None:
                return None
            left = timedelta(seconds=light.target - light.used)
            breach = remembered_due(terms.calendar, light.running_since, max(left, timedelta(0)))
            return light.started_at, breach, light.running_since, left
        for clock in track.clocks:
            if (
                clock.kind is ClockKind.TIER
                and clock.breached_at is None
                and clock.due_at is not None
                and clock.running_since is not None
            ):
                left = timedelta(seconds=clock.target_seconds - clock.used_seconds)
                return clock.started_at, clock.due_at, clock.running_since, left
        return None

    def _time_rule(self, rule: TimeRule, at: datetime, episode: datetime) -> None:
        """The time pass's look at the replayed ticket, once per rule and episode."""
        rule_set = self.setup.rule_set
        assert rule_set is not None
        self.looked.add((rule.index, episode))
        rule_id = rule.rule.spec.id
        track = self.replayed
        candidate = None
        if track is None:
            track = candidate = self._candidate()
        trigger = TriggerEvent("time", rule_id=rule_id)
        evaluation = evaluate(rule_set, self._snapshot(track), trigger)
        made: list[Change] = []
        if evaluation.firings and evaluation.firings[0].rule_id == rule_id:
            made = self._fire(track, evaluation, at)
        if candidate is not None:
            self._decide(candidate, made, at)
        elif made:
            self._advance_replayed(made, at)

    def _escalate(self, clock: AnyClock, at: datetime) -> None:
        """The escalation pass's move: up one tier (at the top of the ladder the clock is only
        flagged as breached)."""
        replayed = self.replayed
        assert replayed is not None
        clock.breached_at = at
        state, desk = replayed.state, self.setup.desk
        above = desk.next_up(state.tier_id)
        if above is None:
            return
        terms = self.setup.draft_keeper.session.info["sla_terms"][clock.policy_id]
        source = desk.code(state.tier_id)
        replayed.moves.append(
            ReplayedMove(
                at, self.key, source, above.code,
                f"{source} tier clock expired ({terms.name} v{terms.version})",
            )
        )  # fmt: skip
        made = [Change(EventKind.TIER_CHANGED)]
        if state.assignee_id is not None:
            made.append(Change(EventKind.ASSIGNED))
        if state.status is TicketStatus.IN_PROGRESS:
            made.append(Change(EventKind.STATUS_CHANGED))
            state.status = TicketStatus.OPEN
        self._entered(replayed, state.tier_id, above.id, at)
        state.tier_id, state.assignee_id, state.updated_at = above.id, None, at
        self._advance_replayed(made, at)
        self._mark(replayed, at)

    # ------------------------------------------------------------------------ bookkeeping
    def _business(self, start: datetime, end: datetime) -> int:
        business = self.setup.business
        assert business is not None
        return business.between(start, end)

    def _entered(self, track: Track, source: int | None, target: int | None, at: datetime) -> None:
        track.entered_tier_at = at
        positions = self.setup.desk.tier_position
        if positions.get(target or 0, 0) > positions.get(source or 0, 0):
            track.escalations += 1

    def _recorded_move(self, event: RecordedEvent, source: int | None) -> ReplayedMove:
        desk = self.setup.desk
        cause = event.reason.value if event.reason else "recorded"
        if event.reason is MoveReason.RULE:
            cause = f"rule #{event.rule_id}"
        target = desk.code(event.to_tier_id)
        return ReplayedMove(event.at, self.key, desk.code(source), target, cause)

    def _mark(self, track: Track, at: datetime) -> None:
        """Close the open stretch when the ticket changes tier or finishes."""
        state = track.state
        tier = None if state.status in FINISHED else state.tier_id
        if tier == track.open_tier and track.since is not None:
            return
        if track.since is not None and track.open_tier is not None:
            self._op(track, ("stretch", track.open_tier, track.since, at))
        track.since, track.open_tier = at, tier

    def _op(self, track: Track, op: Op) -> None:
        """A tally entry of ``track``: the actual track's counts for the replayed one too while
        they are one; a candidate's wait until it is known whether it forks."""
        if track is self.actual:
            if self.pending is not None:
                self.pending.append(op)
                return
            self._apply(ACTUAL, op)
            if self.replayed is None:
                self._apply(REPLAYED, op)
        elif track is self.replayed:
            self._apply(REPLAYED, op)
        elif self.pre_ops is not None:
            self.pre_ops.append(op)

    def _apply(self, which: int, op: Op) -> None:
        tally = self.setup.tally
        if op[0] == "stretch":
            tally.stretch(which, op[1], op[2], op[3])
        else:
            tally.clock(which, op[1], op[2])

    def _finish(self) -> tuple[list[ReplayedMove], list[ReplayedMove]]:
        setup = self.setup
        actual, replayed = self.actual, self.replayed
        assert actual is not None
        after_end = setup.end + timedelta(microseconds=1)
        for track in (actual, replayed):
            if track is not None and track.since is not None and track.open_tier is not None:
                self._op(track, ("stretch", track.open_tier, track.since, after_end))
        light, terms = actual.clock, setup.actual_terms
        if light is not None and terms is not None:
            used = light.used
            if light.running_since is not None and light.running_since < setup.end:
                used += self._business(light.running_since, setup.end)
            if used >= light.target:
                self._op(actual, ("clock", light.tier_id, False))
        if replayed is None:
            return [], []
        setup.tally.count_clocks(REPLAYED, replayed.sink.made)
        return actual.moves, replayed.moves
