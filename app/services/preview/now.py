"""Preview (a): what a draft would do to the open tickets now, in words, writing nothing.

Rules: a time-based rule acts on a ticket whose episode is due now (as the time pass would find
it: ``minutes`` of the measure have passed, not looked at yet by the stored rule of the same
id) and whose conditions hold, with the effects of the rules after it (``evaluate``). A
``created`` or ``updated`` rule cannot act before something happens to the ticket: the preview
lists the open tickets whose conditions hold now and what the rule would do ("on its next
update" / "had it been created like this"), rule by rule.

SLA policy: every running clock of an open ticket is measured against the draft's target from
the business time it has used (banked plus run since it last started): a tier clock past the
target escalates the ticket (at the top of the ladder it is flagged as breached there), any
other clock records a breach, and a clock past the warning share warns. Clocks already
breached or warned under the current policy are not listed again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    ClockKind,
    EventKind,
    RuleFiring,
    Ticket,
    TicketClock,
    TicketEvent,
    TicketStatus,
)
from app.services.business_time import BusinessCalendar, elapsed
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.preview.reading import (
    DeskData,
    DraftPolicy,
    calendar_named,
    draft_rule_set,
    policy_terms,
    read_only,
)
from app.services.preview_results import PlannedAction, PreviewResult
from app.services.rules.actions import plan_action
from app.services.rules.conditions import TicketSnapshot
from app.services.rules.definition import RuleSpec
from app.services.rules.engine import CompiledRule, RuleSet, TriggerEvent, evaluate
from app.services.sla_policy import PolicyTerms

_FINISHED = (TicketStatus.RESOLVED, TicketStatus.CLOSED)


@dataclass(frozen=True)
class _OpenTicket:
    snapshot: TicketSnapshot
    tier_id: int
    created_at: datetime
    updated_at: datetime


def preview_rules(
    database: Database,
    draft_rules: Sequence[RuleSpec],
    at: datetime | None = None,
    clock: Clock | None = None,
) -> PreviewResult:
    """Which open tickets the draft rule set would act on now, and what it would do to each.
    Raises ``InvalidRuleSet`` (every problem listed) when the draft would not save."""
    with database.read() as session, read_only(session):
        now = at or (clock or DatabaseClock()).now(session)
        desk = DeskData.load(session)
        rule_set = draft_rule_set(draft_rules, desk.facts)
        tickets = _open_tickets(session, desk, rule_set.needs_escalations)
        actions: list[PlannedAction] = []
        time_rules = rule_set.time_rules()
        if time_rules:
            actions += _time_rule_actions(session, rule_set, time_rules, tickets, now)
        actions += _event_rule_actions(rule_set, tickets)
        return PreviewResult(now, len(tickets), tuple(actions))


def _open_tickets(session: Session, desk: DeskData, count_escalations: bool) -> list[_OpenTicket]:
    escalations: dict[int, int] = {}
    if count_escalations:
        positions = desk.tier_position
        moves = session.execute(
            select(TicketEvent.ticket_id, TicketEvent.from_tier_id, TicketEvent.to_tier_id)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.kind == EventKind.TIER_CHANGED, Ticket.status.not_in(_FINISHED))
        )
        for ticket_id, source, target in moves:
            if positions.get(target, 0) > positions.get(source, 0):
                escalations[ticket_id] = escalations.get(ticket_id, 0) + 1
    rows = session.execute(
        select(Ticket.__table__).where(Ticket.status.not_in(_FINISHED)).order_by(Ticket.id)
    )
    found = []
    for row in rows:
        snapshot = TicketSnapshot(
            key=row.key, title=row.title, description=row.description, requester=row.requester,
            category=desk.category_name.get(row.category_id, ""), impact=row.impact.value,
            urgency=row.urgency.value, priority=row.priority.value, status=row.status.value,
            tier=desk.code(row.tier_id) if row.tier_id in desk.tier_id.values() else "",
            assignee=desk.login.get(row.assignee_id) if row.assignee_id else None,
            reopened_count=row.reopen_count, escalations=escalations.get(row.id, 0),
            ticket_id=row.id,
        )  # fmt: skip
        found.append(_OpenTicket(snapshot, row.tier_id, row.created_at, row.updated_at))
    return found


def _time_rule_actions(
    session: Session,
    rule_set: RuleSet,
    rules: list[CompiledRule],
    tickets: list[_OpenTicket],
    now: datetime,
) -> list[PlannedAction]:
    entered: dict[int, datetime] = dict(
        session.execute(
            select(TicketEvent.ticket_id, func.max(TicketEvent.at))
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(
                Ticket.status.not_in(_FINISHED),
                TicketEvent.kind.in_((EventKind.CREATED, EventKind.TIER_CHANGED)),
            )
            .group_by(TicketEvent.ticket_id)
        )
        .tuples()
        .all()
    )
    running: dict[tuple[int, ClockKind], tuple[datetime, datetime]] = {}
    for ticket_id, kind, started, due_at in session.execute(
        select(TicketClock.ticket_id, TicketClock.kind, TicketClock.started_at, TicketClock.due_at)
        .where(
            TicketClock.stopped_at.is_(None),
            TicketClock.breached_at.is_(None),
            TicketClock.due_at.is_not(None),
        )
        .order_by(TicketClock.id)
    ):
        running[ticket_id, kind] = (started, due_at)
    stored_ids = [rule.spec.id for rule in rules if rule.spec.id and rule.spec.id > 0]
    looked = set(
        session.execute(
            select(RuleFiring.rule_id, RuleFiring.ticket_id, RuleFiring.episode_at).where(
                RuleFiring.rule_id.in_(stored_ids)
            )
        ).tuples()
    )
    actions: list[PlannedAction] = []
    for rule in rules:
        trigger = rule.trigger
        calendar = calendar_named(session, trigger.calendar)
        span = timedelta(minutes=trigger.minutes or 0)
        for ticket in tickets:
            ticket_id = ticket.snapshot.ticket_id
            assert ticket_id is not None
            episode: datetime | None
            if trigger.measure == "until_breach":
                clock = running.get((ticket_id, ClockKind(trigger.clock or "")))
                episode = clock[0] if clock else None
                due_now = clock is not None and _left(calendar, now, clock[1]) <= span
            else:
                episode = {
                    "without_resolution": ticket.created_at,
                    "since_update": ticket.updated_at,
                    "in_tier": entered.get(ticket_id, ticket.created_at),
                }[trigger.measure or ""]
                due_now = episode <= now and _ran(calendar, episode, now) >= span
            if not due_now or episode is None or (rule.spec.id, ticket_id, episode) in looked:
                continue
            event = TriggerEvent("time", rule_id=rule.spec.id)
            evaluation = evaluate(rule_set, ticket.snapshot, event)
            if not evaluation.firings or evaluation.firings[0].rule_id != rule.spec.id:
                continue
            for firing in evaluation.firings:
                for planned in firing.actions:
                    actions.append(
                        PlannedAction(
                            ticket.snapshot.key,
                            ticket.snapshot.title,
                            ticket.snapshot.tier,
                            f"rule “{firing.rule_name}” ({_measure_words(rule)})",
                            planned.describe(),
                        )
                    )
    return actions


def _ran(calendar: BusinessCalendar | None, start: datetime, end: datetime) -> timedelta:
    return end - start if calendar is None else elapsed(calendar, start, end)


def _left(calendar: BusinessCalendar | None, now: datetime, breach: datetime) -> timedelta:
    if breach <= now:
        return timedelta(0)
    return breach - now if calendar is None else elapsed(calendar, now, breach)


def _measure_words(rule: CompiledRule) -> str:
    trigger = rule.trigger
    amount = _duration(timedelta(minutes=trigger.minutes or 0))
    kind = "business time" if trigger.calendar else "wall time"
    words = {
        "without_resolution": f"{amount} without resolution",
        "in_tier": f"{amount} in its tier",
        "since_update": f"{amount} since its last update",
        "until_breach": f"{amount} or less before its {trigger.clock} clock breaches",
    }[trigger.measure or ""]
    return f"{words}, {kind}"


def _event_rule_actions(rule_set: RuleSet, tickets: list[_OpenTicket]) -> list[PlannedAction]:
    """Each enabled created / updated rule on its own: the tickets its conditions hold for now,
    and what its actions would change on them."""
    actions: list[PlannedAction] = []
    for rule in rule_set.rules:
        on = rule.trigger.on
        if not rule.spec.enabled or on == "time":
            continue
        when = "on its next update" if on == "updated" else "had it been created like this"
        for ticket in tickets:
            if not rule.predicate(ticket.snapshot):
                continue
            current = ticket.snapshot
            for action in rule.spec.definition.actions:
                planned, current, _fields = plan_action(action, current, rule_set.desk)
                if planned is not None:
                    actions.append(
                        PlannedAction(
                            current.key, current.title, ticket.snapshot.tier,
                            f"rule “{rule.spec.name}” ({when})", planned.describe(),
                        )
                    )  # fmt: skip
    return actions


# ---------------------------------------------------------------------------------- SLA
def preview_policy(
    database: Database,
    draft: DraftPolicy,
    at: datetime | None = None,
    clock: Clock | None = None,
) -> PreviewResult:
    """Which open tickets the draft SLA policy would warn, breach or escalate now. Raises
    ``InvalidInput`` naming the target that is wrong."""
    with database.read() as session, read_only(session):
        now = at or (clock or DatabaseClock()).now(session)
        desk = DeskData.load(session)
        terms = policy_terms(session, draft, desk)
        rows = session.execute(
            select(
                Ticket.id,
                Ticket.key,
                Ticket.title,
                Ticket.tier_id,
                Ticket.priority,
                TicketClock.kind,
                TicketClock.tier_id,
                TicketClock.used_seconds,
                TicketClock.running_since,
                TicketClock.warned_at,
                TicketClock.breached_at,
            )  # fmt: skip
            .join(TicketClock, TicketClock.ticket_id == Ticket.id)
            .where(Ticket.status.not_in(_FINISHED), TicketClock.stopped_at.is_(None))
            .order_by(Ticket.id, TicketClock.id)
        ).all()
        examined = session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.status.not_in(_FINISHED))
        )
        actions: list[PlannedAction] = []
        escalated: set[int] = set()
        for row in rows:
            found = _clock_action(terms, desk, row, now, escalated)
            if found is not None:
                actions.append(found)
        return PreviewResult(now, int(examined or 0), tuple(actions))


def _clock_action(
    terms: PolicyTerms, desk: DeskData, row: Any, now: datetime, escalated: set[int]
) -> PlannedAction | None:
    (ticket_id, key, title, tier_id, priority, kind, clock_tier, used, running_since, warned_at,
     breached_at) = row  # fmt: skip
    if breached_at is not None:
        return None
    target = terms.target(kind, clock_tier, priority)
    if target is None:
        return None
    spent = timedelta(seconds=used)
    if running_since is not None and running_since < now:
        spent += elapsed(terms.calendar, running_since, now)
    tier = desk.code(tier_id)
    whose = f"{desk.code(clock_tier)} " if clock_tier is not None else ""
    cause = f"{whose}{kind.value.replace('_', ' ')} clock, {priority.value}: {_duration(target)}"
    used_words = f"{_duration(spent)} used"
    if spent >= target:
        if kind == ClockKind.TIER and clock_tier == tier_id:
            if ticket_id in escalated:
                return None
            escalated.add(ticket_id)
            above = desk.next_up(tier_id)
            action = (
                f"flag as breached at {tier}" if above is None else f"move {tier} → {above.code}"
            )
        else:
            action = f"record a breach of the {kind.value.replace('_', ' ')} clock"
        return PlannedAction(key, title, tier, cause, f"{action} ({used_words})")
    if warned_at is None and spent >= target * terms.warning_percent / 100:
        return PlannedAction(
            key, title, tier, cause, f"warn at {terms.warning_percent}% ({used_words})"
        )
    return None


def _duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"
