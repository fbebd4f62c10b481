"""Loop detection, before a rule set is saved: rules that could move a ticket round in a circle
(A moves L1 → L2 while B, under conditions that can hold at the same time, moves L2 → L1; or
three rules L1 → L2 → L3 → L1) are refused, naming the rules.

Each enabled rule that moves and can fire more than once per ticket (an ``updated`` or ``time``
trigger; a ``created`` rule fires once) becomes edges of a graph over the tiers, one per
alternative of its conditions (conditions are put in disjunctive normal form, negations pushed
down to the tests). A cycle of edges of distinct rules is a loop when the rules' conditions,
tier aside, can all hold together. Finite fields (category, priority, impact, urgency, status,
assignee) are intersected as sets, counts as ranges, and text tests only contradict their own
negation: so ``category in {A}`` against ``category in {B}`` or ``priority P1`` against
``priority P4`` is no loop, while anything undecidable counts as "can hold" (a false alarm is
safer than a loop). The runtime cap on moves (``engine.MAX_RULE_MOVES``) backs this up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.models import TicketStatus
from app.services.rules.conditions import allowed_values, domain
from app.services.rules.definition import AllOf, Condition, Not, RuleSpec, Test
from app.services.rules.validation import DeskFacts, RuleProblem

MAX_ALTERNATIVES = 64  # beyond this many, a rule's conditions count as "can always hold"
SEARCH_BUDGET = 200_000
_FLIPPED = {"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_UNFINISHED = frozenset(s.value for s in TicketStatus if not s.is_finished)


@dataclass(frozen=True)
class Conjunction:
    """Constraints that all hold: allowed values per finite field, an inclusive range (and
    excluded values) per count, and text tests with their polarity."""

    sets: tuple[tuple[str, frozenset[str]], ...] = ()
    ranges: tuple[tuple[str, int, int | None, frozenset[int]], ...] = ()
    texts: frozenset[tuple[str, str, str, bool]] = field(default_factory=frozenset)

    def merged(self, other: Conjunction) -> Conjunction | None:
        """Both at once, or None when they cannot both hold."""
        sets = dict(self.sets)
        for name, allowed in other.sets:
            sets[name] = sets[name] & allowed if name in sets else allowed
            if not sets[name]:
                return None
        ranges = {name: (low, high, out) for name, low, high, out in self.ranges}
        for name, low, high, out in other.ranges:
            if name in ranges:
                low0, high0, out0 = ranges[name]
                low, out = max(low, low0), out | out0
                high = high0 if high is None else high if high0 is None else min(high, high0)
            if high is not None and (low > high or (high - low < 64 and _all_out(low, high, out))):
                return None
            ranges[name] = (low, high, out)
        texts = self.texts | other.texts
        if any((f, op, value, not positive) in texts for f, op, value, positive in texts):
            return None
        return Conjunction(
            tuple(sorted(sets.items())),
            tuple(sorted((n, lo, hi, out) for n, (lo, hi, out) in ranges.items())),
            texts,
        )

    def without(self, name: str) -> Conjunction:
        return Conjunction(tuple(s for s in self.sets if s[0] != name), self.ranges, self.texts)

    def allowed(self, name: str) -> frozenset[str] | None:
        return dict(self.sets).get(name)


def _all_out(low: int, high: int, out: frozenset[int]) -> bool:
    return all(value in out for value in range(low, high + 1))


def alternatives(conditions: Sequence[Condition], desk: DeskFacts) -> list[Conjunction]:
    """The conditions (all of them) in disjunctive normal form; impossible alternatives left
    out. More than ``MAX_ALTERNATIVES``: one unconstrained alternative."""
    result = _dnf(AllOf(tuple(conditions)), False, desk)
    return [Conjunction()] if result is None else result


def _dnf(condition: Condition, negated: bool, desk: DeskFacts) -> list[Conjunction] | None:
    if isinstance(condition, Not):
        return _dnf(condition.item, not negated, desk)
    if isinstance(condition, Test):
        return [_literal(condition, negated, desk)]
    conjunctive = isinstance(condition, AllOf) != negated
    parts = [_dnf(item, negated, desk) for item in condition.items]
    if any(part is None for part in parts):
        return None
    if not conjunctive:
        union = [alt for part in parts for alt in part or []]
        return union if len(union) <= MAX_ALTERNATIVES else None
    product = [Conjunction()]
    for part in parts:
        product = [m for a in product for b in part or [] if (m := a.merged(b)) is not None]
        if len(product) > MAX_ALTERNATIVES:
            return None
    return product


def _literal(test: Test, negated: bool, desk: DeskFacts) -> Conjunction:
    allowed = allowed_values(test, desk)
    if allowed is not None:
        everything = frozenset(domain(test.field, desk) or ())
        return Conjunction(sets=((test.field, everything - allowed if negated else allowed),))
    if isinstance(test.value, int) and not isinstance(test.value, bool):
        op = _FLIPPED[test.op] if negated else test.op
        bound = test.value
        low, high, out = {
            "=": (bound, bound, frozenset()),
            "!=": (0, None, frozenset({bound})),
            "<": (0, bound - 1, frozenset()),
            "<=": (0, bound, frozenset()),
            ">": (bound + 1, None, frozenset()),
            ">=": (bound, None, frozenset()),
        }[op]
        if high is not None and high < low:
            low, high = 1, 0  # impossible (below zero)
        return Conjunction(ranges=((test.field, low, high, out),))
    return Conjunction(texts=frozenset({(test.field, test.op, str(test.value), not negated)}))


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    rule: int
    rule_name: str
    conditions: Conjunction


def find_loops(specs: Sequence[RuleSpec], desk: DeskFacts) -> list[RuleProblem]:
    """One problem per loop found (cycles of two or more rules), naming every rule in it."""
    edges = _edges(specs, desk)
    by_source: dict[str, list[_Edge]] = {}
    for edge in edges:
        by_source.setdefault(edge.source, []).append(edge)
    reaches = _reachable(by_source)
    loops: dict[frozenset[int], list[_Edge]] = {}
    budget = [SEARCH_BUDGET]

    def search(start: str, path: list[_Edge], together: Conjunction) -> None:
        here = path[-1].target
        for edge in by_source.get(here, []):
            budget[0] -= 1
            if budget[0] < 0 or edge.rule in {e.rule for e in path}:
                continue
            if edge.target != start and start not in reaches.get(edge.target, set()):
                continue  # no way back from there: no cycle through this edge
            merged = together.merged(edge.conditions)
            if merged is None:
                continue
            if edge.target == start:
                loops.setdefault(frozenset(e.rule for e in [*path, edge]), [*path, edge])
            elif len(path) + 1 < len(desk.tiers) and edge.target not in {e.source for e in path}:
                search(start, [*path, edge], merged)

    for edge in edges:
        search(edge.source, [edge], edge.conditions)
    return [_problem(cycle) for cycle in loops.values()]


def _reachable(by_source: dict[str, list[_Edge]]) -> dict[str, set[str]]:
    """For each tier, the tiers some chain of moves leads to (conditions aside)."""
    reaches: dict[str, set[str]] = {}
    for tier in by_source:
        seen: set[str] = set()
        todo = [tier]
        while todo:
            for edge in by_source.get(todo.pop(), []):
                if edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        reaches[tier] = seen
    return reaches


def _edges(specs: Sequence[RuleSpec], desk: DeskFacts) -> list[_Edge]:
    edges: list[_Edge] = []
    for index, spec in enumerate(specs):
        definition = spec.definition
        move = next((a for a in definition.actions if a.kind == "move"), None)
        if not spec.enabled or move is None or definition.trigger.on == "created":
            continue
        for alternative in alternatives(definition.conditions, desk):
            statuses = alternative.allowed("status")
            if statuses is not None and not statuses & _UNFINISHED:
                continue  # only finished tickets: they are never moved
            sources = alternative.allowed("tier")
            rest = alternative.without("tier")
            for source in desk.tiers:
                if sources is not None and source not in sources:
                    continue
                target = _target(move.target or "", source, desk)
                if target is not None and target != source:
                    edges.append(_Edge(source, target, index, spec.name, rest))
    return edges


def _target(target: str, source: str, desk: DeskFacts) -> str | None:
    here = desk.tiers.index(source)
    if target in ("up", "down"):
        there = here + (1 if target == "up" else -1)
        return desk.tiers[there] if 0 <= there < len(desk.tiers) else None
    return desk.tier(target)


def _problem(cycle: list[_Edge]) -> RuleProblem:
    steps = ", ".join(f"“{e.rule_name}” moves {e.source} → {e.target}" for e in cycle)
    names = " and ".join(f"“{e.rule_name}”" for e in cycle)
    first = cycle[0]
    return RuleProblem(
        first.rule,
        first.rule_name,
        "actions",
        f"rules {names} can move a ticket round in a loop ({steps}) under conditions that can "
        "hold at the same time; make their conditions exclusive or remove a move",
    )
