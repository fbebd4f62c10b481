"""Loop detection before a rule set is saved: cycles of two and three rules whose conditions
can hold together are refused, naming the rules; rules whose conditions exclude each other,
created-only rules and disabled rules make no loop."""

from __future__ import annotations

from typing import Any

from app.models import Role
from app.services.rules.loops import find_loops
from app.services.rules.validation import DeskFacts, UserFacts, parse_rule_set

DESK = DeskFacts(
    tiers=("L1", "L2", "L3", "Vendor"),
    categories=frozenset({"Password reset", "Laptop", "Printer"}),
    users=(("lena", UserFacts(Role.AGENT, True, ("L1",))),),
    calendars=frozenset(),
)
ANY_CHANGE = {"on": "updated", "fields": []}


def mover(name: str, to: str, *conditions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "trigger": extra.pop("trigger", ANY_CHANGE),
        "conditions": list(conditions),
        "actions": [{"do": "move", "to": to}],
        **extra,
    }


def at(*tiers: str) -> dict[str, Any]:
    return {"field": "tier", "op": "in", "value": list(tiers)}


def category(*names: str, op: str = "in") -> dict[str, Any]:
    return {"field": "category", "op": op, "value": list(names)}


def loops(*rules: dict[str, Any]) -> list[str]:
    specs, problems = parse_rule_set(list(rules), DESK)
    assert problems == []
    return [str(problem) for problem in find_loops(specs, DESK)]


def test_two_rules_moving_back_and_forth_are_a_loop_naming_both():
    found = loops(mover("Up to L2", "L2", at("L1")), mover("Back to L1", "L1", at("L2")))
    assert len(found) == 1
    assert "“Up to L2” moves L1 → L2" in found[0]
    assert "“Back to L1” moves L2 → L1" in found[0]
    assert found[0].startswith('rule "Up to L2": actions: rules “Up to L2” and “Back to L1”')


def test_up_and_down_without_conditions_are_a_loop():
    assert len(loops(mover("Up", "up"), mover("Down", "down"))) == 1


def test_three_rules_in_a_circle_are_a_loop():
    found = loops(
        mover("A", "L2", at("L1")), mover("B", "L3", at("L2")), mover("C", "L1", at("L3"))
    )
    assert len(found) == 1
    assert "“A” moves L1 → L2, “B” moves L2 → L3, “C” moves L3 → L1" in found[0]


def test_three_rules_that_do_not_close_the_circle_are_no_loop():
    assert loops(mover("A", "L2", at("L1")), mover("B", "L3", at("L2")), mover("C", "up")) == []


def test_exclusive_categories_are_no_loop():
    assert (
        loops(
            mover("Laptops up", "L2", at("L1"), category("Laptop")),
            mover("Printers down", "L1", at("L2"), category("Printer")),
        )
        == []
    )


def test_exclusive_priorities_are_no_loop_but_overlapping_ones_are():
    p1 = {"field": "priority", "op": "in", "value": ["P1"]}
    p4 = {"field": "priority", "op": "in", "value": ["P4"]}
    at_least_p2 = {"field": "priority", "op": "at_least", "value": "P2"}
    assert loops(mover("P1 up", "up", at("L1"), p1), mover("P4 down", "down", p4)) == []
    assert len(loops(mover("P1 up", "up", at("L1"), p1), mover("P2+ down", "down", at_least_p2)))


def test_a_negation_excludes_and_an_alternative_may_include():
    assert (
        loops(
            mover("Laptops up", "up", at("L1"), category("Laptop")),
            mover("Others down", "down", {"not": category("Laptop")}),
        )
        == []
    )
    either = {"any": [category("Printer"), {"field": "priority", "op": "in", "value": ["P1"]}]}
    assert len(
        loops(mover("Printers up", "up", at("L1"), category("Printer")), mover("D", "down", either))
    )


def test_counts_that_cannot_both_hold_are_no_loop():
    often = {"field": "reopened_count", "op": ">=", "value": 2}
    never = {"field": "reopened_count", "op": "<", "value": 1}
    assert loops(mover("A", "up", at("L1"), often), mover("B", "down", never)) == []


def test_text_conditions_only_exclude_their_own_negation():
    vpn = {"field": "title", "op": "contains", "value": "VPN"}
    wifi = {"field": "title", "op": "contains", "value": "WiFi"}
    assert loops(mover("A", "up", at("L1"), vpn), mover("B", "down", {"not": vpn})) == []
    assert len(loops(mover("A", "up", at("L1"), vpn), mover("B", "down", wifi))) == 1


def test_created_rules_and_disabled_rules_make_no_loop():
    on_create = {"on": "created"}
    assert loops(mover("A", "up", trigger=on_create), mover("B", "down")) == []
    assert loops(mover("A", "up"), mover("B", "down", enabled=False)) == []


def test_rules_for_finished_tickets_only_make_no_loop():
    finished = {"field": "status", "op": "in", "value": ["resolved", "closed"]}
    assert loops(mover("A", "up"), mover("B", "down", finished)) == []


def test_time_rules_can_loop_too():
    timed = {"on": "time", "measure": "in_tier", "minutes": 60}
    assert len(loops(mover("A", "L2", at("L1"), trigger=timed), mover("B", "L1", at("L2"))))


def test_a_single_rule_moving_up_is_no_loop():
    assert loops(mover("Up", "up")) == []
