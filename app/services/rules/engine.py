"""The rules engine: which rules fire on a ticket for one triggering event, and applying them.

Evaluation (``evaluate``) is pure: rules in order, each seeing the ticket as the rules before it
left it. A rule is considered when its trigger matches the event (``created``; ``updated`` when
a field it watches changed, by the person or by an earlier rule; ``time`` when the time pass
found it due); it fires when its conditions hold and at least one of its actions would change
something. Passes over the rule set repeat while rules fire, so that a change made by a later
rule reaches the earlier ones, but each rule fires at most once per event, and a rule with
``stop`` ends the processing of the event. As a backstop against loops the loop check missed,
at most ``MAX_RULE_MOVES`` rule-driven moves happen per ticket and event: the move that would
exceed it is not made, processing ends, and supervisors are told (``Evaluation.capped``).

A rule set that does not validate (a tier retired, a category renamed, a person removed since
it was saved) is disabled as a whole: ``RuleSet.problems`` says why and nothing is applied.

``apply_evaluation`` writes each firing as one system change of the ticket (its own version),
every event marked with reason ``rule``, the rule's id, and ``{"rule", "rule_version"}`` in
the details.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Category,
    EventKind,
    Rule,
    RuleSetState,
    Ticket,
    TicketEvent,
    Tier,
    User,
)
from app.services.desk import Ladder
from app.services.rules.actions import (
    FiringContext,
    PlannedAction,
    apply_action,
    changes_ticket,
    notify,
    plan_action,
)
from app.services.rules.conditions import Predicate, TicketSnapshot, compile_conditions
from app.services.rules.definition import Problems, RuleSpec, Trigger, parse_rule, walk_tests
from app.services.rules.validation import (
    DeskFacts,
    RuleProblem,
    check_references,
    desk_fingerprint,
)

MAX_RULE_MOVES = 3
log = logging.getLogger("tierdesk.rules")


@dataclass(frozen=True)
class TriggerEvent:
    """What happened to the ticket: ``created``, ``updated`` (``fields`` changed) or ``time``
    (the time pass found ``rule_id`` due)."""

    kind: str
    fields: frozenset[str] = frozenset()
    rule_id: int | None = None


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    predicate: Predicate = field(compare=False)

    @property
    def trigger(self) -> Trigger:
        return self.spec.definition.trigger

    def considered_for(self, event: TriggerEvent, changed: set[str]) -> bool:
        on = self.trigger.on
        if on == "updated":
            watched = self.trigger.fields
            return bool(changed) and (not watched or not changed.isdisjoint(watched))
        if on == "created":
            return event.kind == "created"
        return event.kind == "time" and event.rule_id == self.spec.id


@dataclass(frozen=True)
class RuleSet:
    """A rule set compiled against the desk. ``problems`` non-empty: it is disabled."""

    rules: tuple[CompiledRule, ...]
    desk: DeskFacts
    problems: tuple[RuleProblem, ...] = ()
    token: str = ""
    #: whether a condition counts escalations (a query per ticket, made only then)
    needs_escalations: bool = False

    @property
    def valid(self) -> bool:
        return not self.problems

    def time_rules(self) -> list[CompiledRule]:
        if not self.valid:
            return []
        return [r for r in self.rules if r.spec.enabled and r.trigger.on == "time"]


@dataclass(frozen=True)
class Firing:
    rule_id: int | None
    rule_name: str
    rule_version: int
    author_id: int | None
    actions: tuple[PlannedAction, ...]

    @property
    def context(self) -> FiringContext:
        return FiringContext(self.rule_id, self.rule_name, self.rule_version, self.author_id)


@dataclass(frozen=True)
class Evaluation:
    """What the rules would do for one event: the firings in order, the ticket after them, and
    ``capped``: why processing stopped at the move cap (None when it did not)."""

    firings: tuple[Firing, ...]
    after: TicketSnapshot
    capped: str | None = None
    capped_rule: Firing | None = None

    @property
    def moves(self) -> int:
        return sum(1 for f in self.firings for a in f.actions if a.kind == "move")


def compile_rule_set(specs: Sequence[RuleSpec], desk: DeskFacts, token: str = "") -> RuleSet:
    """Check ``specs`` against ``desk`` and compile them; an invalid set compiles to no rules."""
    problems: list[RuleProblem] = []
    for index, spec in enumerate(specs):
        found = Problems()
        check_references(spec, desk, found)
        problems += [RuleProblem(index, spec.name, path, msg) for path, msg in found.items]
    if problems:
        return RuleSet((), desk, tuple(problems), token)
    rules = tuple(
        CompiledRule(spec, compile_conditions(spec.definition.conditions, desk)) for spec in specs
    )
    counts = any(
        test.field == "escalations"
        for spec in specs
        for _path, test in walk_tests(spec.definition.conditions)
    )
    return RuleSet(rules, desk, (), token, counts)


def evaluate(
    rule_set: RuleSet,
    ticket: TicketSnapshot,
    trigger: TriggerEvent,
    max_moves: int = MAX_RULE_MOVES,
) -> Evaluation:
    """What the enabled rules of ``rule_set`` would do to ``ticket`` for ``trigger``, without
    writing anything (see the module docstring for the order, stop and the cap)."""
    if not rule_set.valid:
        return Evaluation((), ticket)
    changed = set(trigger.fields)
    fired: set[int] = set()
    firings: list[Firing] = []
    moves = 0
    progress = True
    while progress:
        progress = False
        for index, rule in enumerate(rule_set.rules):
            if index in fired or not rule.spec.enabled:
                continue
            if not rule.considered_for(trigger, changed) or not rule.predicate(ticket):
                continue
            planned, after, fields = _plan(rule, ticket, rule_set.desk)
            if not planned:
                continue
            firing = Firing(
                rule.spec.id, rule.spec.name, rule.spec.version, rule.spec.updated_by,
                tuple(planned),
            )  # fmt: skip
            rule_moves = sum(1 for action in planned if action.kind == "move")
            if rule_moves and moves + rule_moves > max_moves:
                reason = (
                    f"{ticket.key}: rules already moved it {moves} times for one change; "
                    f"rule “{rule.spec.name}” was not applied and rule processing stopped "
                    "(the rules may form a loop)"
                )
                return Evaluation(tuple(firings), ticket, reason, firing)
            moves += rule_moves
            fired.add(index)
            firings.append(firing)
            ticket = after
            changed |= fields
            progress = True
            if rule.spec.definition.stop:
                return Evaluation(tuple(firings), ticket)
    return Evaluation(tuple(firings), ticket)


def _plan(
    rule: CompiledRule, ticket: TicketSnapshot, desk: DeskFacts
) -> tuple[list[PlannedAction], TicketSnapshot, set[str]]:
    planned: list[PlannedAction] = []
    changed: set[str] = set()
    for action in rule.spec.definition.actions:
        step, ticket, fields = plan_action(action, ticket, desk)
        if step is not None:
            planned.append(step)
            changed |= fields
    return planned, ticket, changed


# ------------------------------------------------------------------------ from the database
_CACHE: dict[tuple[str, str, tuple[Any, ...]], RuleSet] = {}
_CACHE_SIZE = 16
_EMPTY_TOKEN = "none"


def new_token() -> str:
    return uuid.uuid4().hex


def stored_specs(session: Session) -> tuple[list[RuleSpec], list[RuleProblem]]:
    """The stored rules in order, and the problems of their shape (a definition written by a
    newer TierDesk, or edited by hand in the database)."""
    specs: list[RuleSpec] = []
    problems: list[RuleProblem] = []
    for index, row in enumerate(session.scalars(select(Rule).order_by(Rule.position, Rule.id))):
        found = Problems()
        spec = parse_rule({"name": row.name, "enabled": row.enabled, **row.definition}, found)
        if spec is None:
            problems += [RuleProblem(index, row.name, p, m) for p, m in found.items]
            continue
        specs.append(
            RuleSpec(spec.name, spec.definition, row.enabled, row.id, row.version, row.updated_by)
        )
    return specs, problems


@lru_cache(maxsize=1)
def _token_and_desk() -> Select[Any]:
    """The rule set's token and the desk's fingerprint, in one statement (built once)."""
    return select(RuleSetState.token, *desk_fingerprint()).where(RuleSetState.id == 1)


def load_rule_set(session: Session) -> RuleSet:
    """The stored rule set compiled against the desk as it is now, cached per process by the
    rule set's save token and the desk's facts (so a retired tier disables it at once)."""
    found = session.execute(_token_and_desk()).first()
    if found is None:
        return RuleSet((), DeskFacts((), frozenset(), (), frozenset()), (), _EMPTY_TOKEN)
    bind = session.get_bind()
    url = bind.url if isinstance(bind, Engine) else bind.engine.url
    key = (str(url), found[0], tuple(found[1:]))
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    token = found[0]
    desk = DeskFacts.load(session)
    specs, problems = stored_specs(session)
    rule_set = compile_rule_set(specs, desk, token)
    if problems:
        rule_set = RuleSet((), desk, tuple(problems) + rule_set.problems, token)
    if not rule_set.valid:
        log.warning(
            "the rule set no longer validates and is disabled: %s",
            "; ".join(str(p) for p in rule_set.problems),
        )
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.clear()
    _CACHE[key] = rule_set
    return rule_set


def snapshot_of(
    session: Session,
    ticket: Ticket,
    ladder: Ladder,
    with_escalations: bool = True,
    desk: DeskFacts | None = None,
) -> TicketSnapshot:
    """The ticket as rules see it (escalations are counted only when asked for); names come
    from ``desk`` when it knows them, else from the database."""
    category = desk.category_name(ticket.category_id) if desk else None
    if category is None:
        category = session.get_one(Category, ticket.category_id).name
    assignee = None
    if ticket.assignee_id is not None:
        assignee = desk.login(ticket.assignee_id) if desk else None
        if assignee is None:
            assignee = session.get_one(User, ticket.assignee_id).login
    return TicketSnapshot(
        key=ticket.key,
        title=ticket.title,
        description=ticket.description,
        requester=ticket.requester,
        category=category,
        impact=ticket.impact.value,
        urgency=ticket.urgency.value,
        priority=ticket.priority.value,
        status=ticket.status.value,
        tier=ladder.by_id(ticket.tier_id).code if _on_ladder(ladder, ticket) else "",
        assignee=assignee,
        reopened_count=ticket.reopen_count,
        escalations=escalations_of(session, ticket.id) if with_escalations else 0,
        ticket_id=ticket.id,
    )


def _on_ladder(ladder: Ladder, ticket: Ticket) -> bool:
    return any(tier.id == ticket.tier_id for tier in ladder.tiers)


def escalations_of(session: Session, ticket_id: int) -> int:
    """How many times the ticket moved up the ladder so far (by anyone or anything)."""
    from_tier, to_tier = aliased(Tier), aliased(Tier)
    count = session.scalar(
        select(func.count())
        .select_from(TicketEvent)
        .join(from_tier, from_tier.id == TicketEvent.from_tier_id)
        .join(to_tier, to_tier.id == TicketEvent.to_tier_id)
        .where(
            TicketEvent.ticket_id == ticket_id,
            TicketEvent.kind == EventKind.TIER_CHANGED,
            to_tier.position > from_tier.position,
        )
    )
    return int(count or 0)


def run_rules(
    session: Session,
    ticket: Ticket,
    ladder: Ladder,
    at: datetime,
    trigger: TriggerEvent,
    rule_set: RuleSet | None = None,
) -> Evaluation:
    """Evaluate the stored rules for ``trigger`` on ``ticket`` (locked by the caller) and apply
    what fires, in the caller's transaction."""
    rule_set = rule_set if rule_set is not None else load_rule_set(session)
    if not rule_set.rules:
        return Evaluation((), _EMPTY_SNAPSHOT)
    snapshot = snapshot_of(session, ticket, ladder, rule_set.needs_escalations, rule_set.desk)
    evaluation = evaluate(rule_set, snapshot, trigger)
    apply_evaluation(session, ticket, ladder, at, evaluation)
    return evaluation


def apply_evaluation(
    session: Session, ticket: Ticket, ladder: Ladder, at: datetime, evaluation: Evaluation
) -> None:
    """Write what ``evaluation`` planned: one system change of the ticket per firing that
    changes it, notifications, and the cap's report to supervisors."""
    from app.services.ticket_change import TicketChange  # it imports this package's hooks

    for firing in evaluation.firings:
        context = firing.context
        changes = [a for a in firing.actions if changes_ticket(a)]
        if changes:
            change = TicketChange.by_system(session, ticket, ladder, at)
            for planned in changes:
                apply_action(change, planned, context)
            change.finish()
        for planned in firing.actions:
            if planned.kind == "notify":
                notify(session, ticket.id, ticket.key, planned, context, at)
    if evaluation.capped is not None and evaluation.capped_rule is not None:
        log.warning("%s", evaluation.capped)
        report = PlannedAction("notify", text=evaluation.capped, supervisors=True)
        notify(session, ticket.id, ticket.key, report, evaluation.capped_rule.context, at)


_EMPTY_SNAPSHOT = TicketSnapshot("", "", "", "", "", "", "", "", "open", "", None)
