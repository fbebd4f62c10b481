"""Conditions: what a rule looks at on a ticket (``TicketSnapshot``), compiled once per rule set
into plain Python predicates so that evaluating hundreds of rules on a change costs little.

Fields with a finite set of values (category, priority, impact, urgency, tier, status, assignee)
turn every operator into the set of values it allows (``allowed_values``): ``priority at_least
P2`` is ``{P1, P2}``. The loop check (``loops``) reasons over the same sets.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.models import Level, Priority, TicketStatus
from app.services.rules.definition import AllOf, AnyOf, Condition, Not, Test
from app.services.rules.validation import REGEX_INPUT_MAX, DeskFacts

#: The value of ``assignee`` for an unassigned ticket, in allowed-value sets.
NOBODY = ""
LEVEL_ORDER = (Level.HIGH.value, Level.MEDIUM.value, Level.LOW.value)  # most first
PRIORITY_ORDER = tuple(p.value for p in Priority)  # P1 (most urgent) first
NUMBER_COMPARISONS: dict[str, Callable[[int, int], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class TicketSnapshot:
    """A ticket as rules see it: names rather than ids (tier code, category name, assignee
    login or None), so that rules and previews need no database."""

    key: str
    title: str
    description: str
    requester: str
    category: str
    impact: str
    urgency: str
    priority: str
    status: str
    tier: str
    assignee: str | None
    reopened_count: int = 0
    escalations: int = 0
    ticket_id: int | None = None

    @property
    def finished(self) -> bool:
        return TicketStatus(self.status).is_finished


Predicate = Callable[[TicketSnapshot], bool]


def domain(field: str, desk: DeskFacts) -> tuple[str, ...] | None:
    """Every value a finite field can take, "at least" order first; None for other fields."""
    if field == "category":
        return tuple(sorted(desk.categories))
    if field == "priority":
        return PRIORITY_ORDER
    if field in ("impact", "urgency"):
        return LEVEL_ORDER
    if field == "tier":
        return tuple(reversed(desk.tiers))  # the highest tier is the "most"
    if field == "status":
        return tuple(status.value for status in TicketStatus)
    if field == "assignee":
        return (NOBODY, *(login for login, _facts in desk.users))
    return None


def allowed_values(test: Test, desk: DeskFacts) -> frozenset[str] | None:
    """The values of a finite field for which ``test`` holds (None: not a finite field)."""
    values = domain(test.field, desk)
    if values is None:
        return None
    if test.op == "is_none":
        return frozenset({NOBODY})
    if test.op == "is_set":
        return frozenset(values) - {NOBODY}
    named = test.value if isinstance(test.value, tuple) else (str(test.value),)
    wanted = {_canonical(test.field, value, desk) for value in named}
    if test.op == "in":
        return frozenset(wanted)
    if test.op == "not_in":
        return frozenset(values) - wanted
    position = values.index(next(iter(wanted))) if wanted & set(values) else 0
    if test.op == "at_least":
        return frozenset(values[: position + 1])
    return frozenset(values[position:])  # at_most


def _canonical(field: str, value: str, desk: DeskFacts) -> str:
    if field == "category":
        return desk.category(value) or value
    if field == "tier":
        return desk.tier(value) or value
    return value


def compile_conditions(conditions: Sequence[Condition], desk: DeskFacts) -> Predicate:
    """One predicate that holds when every condition holds (no conditions: always)."""
    return _all([compile_condition(c, desk) for c in conditions])


def compile_condition(condition: Condition, desk: DeskFacts) -> Predicate:
    if isinstance(condition, AllOf):
        return _all([compile_condition(c, desk) for c in condition.items])
    if isinstance(condition, AnyOf):
        parts = [compile_condition(c, desk) for c in condition.items]
        return lambda ticket: any(part(ticket) for part in parts)
    if isinstance(condition, Not):
        inner = compile_condition(condition.item, desk)
        return lambda ticket: not inner(ticket)
    return _compile_test(condition, desk)


def _all(parts: list[Predicate]) -> Predicate:
    if not parts:
        return lambda ticket: True
    if len(parts) == 1:
        return parts[0]
    return lambda ticket: all(part(ticket) for part in parts)


def _compile_test(test: Test, desk: DeskFacts) -> Predicate:
    allowed = allowed_values(test, desk)
    field = test.field
    if allowed is not None:
        if field == "assignee":
            return lambda ticket: (ticket.assignee or NOBODY) in allowed
        if field == "category":
            folded = frozenset(value.casefold() for value in allowed)
            return lambda ticket: ticket.category.casefold() in folded
        return lambda ticket: getattr(ticket, field) in allowed
    if field in ("reopened_count", "escalations"):
        compare = NUMBER_COMPARISONS[test.op]
        bound = test.value if isinstance(test.value, int) else 0
        return lambda ticket: compare(int(getattr(ticket, field)), bound)
    text = str(test.value)
    if test.op == "regex":
        pattern = re.compile(text)
        return lambda ticket: pattern.search(getattr(ticket, field)[:REGEX_INPUT_MAX]) is not None
    folded_text = text.casefold()
    if test.op == "equals":
        return lambda ticket: getattr(ticket, field).strip().casefold() == folded_text.strip()
    return lambda ticket: folded_text in getattr(ticket, field).casefold()  # contains
