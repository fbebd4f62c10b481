"""Rule validation without a database: every kind of bad input is refused with a message that
names the rule and the field, all problems at once; regular expressions are checked for
validity and cost and read bounded input."""

from __future__ import annotations

from typing import Any

import pytest

from app.models import Role
from app.services.rules.conditions import TicketSnapshot, compile_conditions
from app.services.rules.definition import Problems, parse_rule, rule_to_json
from app.services.rules.validation import (
    REGEX_INPUT_MAX,
    DeskFacts,
    InvalidRuleSet,
    UserFacts,
    parse_rule_set,
    regex_problem,
    require_valid,
)

DESK = DeskFacts(
    tiers=("L1", "L2", "L3", "Vendor"),
    categories=frozenset({"Password reset", "Laptop"}),
    users=(
        ("ada", UserFacts(Role.ADMIN, True, ())),
        ("lena", UserFacts(Role.AGENT, True, ("L1",))),
        ("max", UserFacts(Role.MANAGER, True, ())),
        ("old", UserFacts(Role.AGENT, False, ("L1",))),
    ),
    calendars=frozenset({"Office hours"}),
)


def rule(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "Password resets stay at L1",
        "trigger": {"on": "updated", "fields": ["tier"]},
        "conditions": [{"field": "category", "op": "in", "value": ["Password reset"]}],
        "actions": [{"do": "move", "to": "L1"}],
    }
    base.update(overrides)
    return base


def problems(*rules: dict[str, Any], desk: DeskFacts | None = DESK) -> list[str]:
    return [str(problem) for problem in parse_rule_set(list(rules), desk)[1]]


def test_a_good_rule_has_no_problems_and_round_trips():
    specs, found = parse_rule_set([rule()], DESK)
    assert found == []
    again = Problems()
    assert parse_rule(rule_to_json(specs[0]), again) == specs[0]
    assert not again


def test_the_message_names_the_rule_and_the_field():
    bad = rule(
        conditions=[
            {"field": "tier", "op": "in", "value": ["L1"]},
            {"field": "category", "op": "in", "value": ["Pasword"]},
        ]
    )
    assert problems(bad) == [
        "rule \"Password resets stay at L1\": conditions[1].value[0]: unknown category 'Pasword'"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"colour": "red"}, "colour: unknown field 'colour'"),
        ({"trigger": {"on": "deleted"}}, "trigger.on: 'deleted' is not one of"),
        ({"trigger": {"on": "updated", "fields": ["mood"]}}, "trigger.fields[0]: unknown field"),
        ({"trigger": {"on": "time", "measure": "in_tier", "minutes": 0}}, "trigger.minutes"),
        ({"trigger": {"on": "time", "measure": "ages", "minutes": 5}}, "trigger.measure"),
        (
            {"trigger": {"on": "time", "measure": "until_breach", "minutes": 5}},
            "trigger.clock: None is not one of",
        ),
        ({"conditions": [{"field": "mood", "op": "in", "value": []}]}, "conditions[0].field"),
        (
            {"conditions": [{"field": "priority", "op": "like", "value": ["P1"]}]},
            "conditions[0].op: unknown operator 'like' for priority",
        ),
        (
            {"conditions": [{"field": "priority", "op": "in", "value": ["P7"]}]},
            "conditions[0].value[0]: unknown priority 'P7'",
        ),
        (
            {"conditions": [{"field": "status", "op": "in", "value": "open"}]},
            "conditions[0].value: must be a list",
        ),
        (
            {"conditions": [{"field": "reopened_count", "op": ">", "value": -1}]},
            "conditions[0].value: -1 is not a whole number",
        ),
        (
            {"conditions": [{"any": []}]},
            "conditions[0].any: must be a non-empty list",
        ),
        (
            {"conditions": [{"not": {"field": "tier", "op": "in", "value": ["L7"]}}]},
            "conditions[0].not.value[0]: unknown or retired tier 'L7'",
        ),
        ({"actions": []}, "actions: a rule needs at least one action"),
        ({"actions": [{"do": "explode"}]}, "actions[0].do: unknown action 'explode'"),
        ({"actions": [{"do": "notify"}]}, "actions[0]: notify names nobody"),
        ({"actions": [{"do": "set_status", "to": "resolved"}]}, "cannot set status 'resolved'"),
        ({"actions": [{"do": "set_priority", "to": "urgent"}]}, "unknown priority 'urgent'"),
        ({"actions": [{"do": "move", "to": "L2", "note": "x"}]}, "actions[0].note: unknown"),
        (
            {"actions": [{"do": "move", "to": "up"}, {"do": "move", "to": "down"}]},
            "actions[1]: a rule moves a ticket once",
        ),
        ({"stop": "yes"}, "stop: 'yes' is not true or false"),
        ({"name": " "}, "name: must be a non-empty text"),
    ],
)
def test_bad_shapes_are_refused(change, expected):
    found = problems(rule(**change))
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([{"do": "move", "to": "L9"}], "actions[0].to: unknown or retired tier 'L9'"),
        ([{"do": "assign", "to": "nobody"}], "actions[0].to: no user with login 'nobody'"),
        ([{"do": "assign", "to": "old"}], "actions[0].to: old is disabled"),
        ([{"do": "assign", "to": "max"}], "max is a manager"),
        ([{"do": "notify", "users": ["ghost"]}], "actions[0].users[0]: no user"),
        ([{"do": "notify", "tiers": ["L0"]}], "actions[0].tiers[0]: unknown or retired tier"),
    ],
)
def test_references_to_missing_tiers_and_people_are_refused(actions, expected):
    found = problems(rule(actions=actions))
    assert any(expected in problem for problem in found), found


def test_unknown_calendar_is_refused_and_a_known_one_accepted():
    timed = {"on": "time", "measure": "in_tier", "minutes": 30, "calendar": "Night shift"}
    assert "trigger.calendar: unknown calendar 'Night shift'" in problems(rule(trigger=timed))[0]
    assert problems(rule(trigger={**timed, "calendar": "Office hours"})) == []


def test_without_a_desk_only_the_shape_is_checked():
    assert problems(rule(actions=[{"do": "move", "to": "L9"}]), desk=None) == []


def test_every_problem_of_every_rule_is_listed_and_duplicate_names_refused():
    found = problems(
        rule(actions=[]),
        rule(conditions=[{"field": "title", "op": "regex", "value": "(a+)+$"}]),
        rule(name="Other", actions=[{"do": "assign", "to": "nobody"}]),
    )
    assert len(found) == 4
    assert "another rule (number 1) has this name" in found[1] + found[2]
    with pytest.raises(InvalidRuleSet) as refused:
        require_valid(parse_rule_set([rule(actions=[]), rule(name="X", actions=[])], DESK)[1])
    assert str(refused.value).count("\n") == 1  # both listed
    assert refused.value.field == 'rule "Password resets stay at L1": actions'


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("(a+)+$", "nested quantifiers"),
        ("(x*)*y", "nested quantifiers"),
        ("(?:\\w+\\s?)+$", "nested quantifiers"),
        ("(a|ab)*c", "alternatives that can match the same text"),
        ("a{1,5000}", "repeat counts above 1000"),
        ("([a-z]", "invalid regular expression"),
        ("x" * 201, "at most 200"),
        ("error 8\\d\\d", None),
        ("^(VPN|Wi-?Fi) (drops|fails)", None),
        ("(ab|cd)+", None),
        ("\\b(?i:printer)\\b", None),
    ],
)
def test_regular_expressions_are_checked_for_validity_and_cost(pattern, expected):
    found = regex_problem(pattern)
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


def test_a_regex_reads_at_most_the_bounded_input():
    [spec], _ = parse_rule_set(
        [rule(conditions=[{"field": "description", "op": "regex", "value": "NEEDLE"}])], DESK
    )
    matches = compile_conditions(spec.definition.conditions, DESK)
    ticket = TicketSnapshot(
        "TD-1", "t", "x" * REGEX_INPUT_MAX + "NEEDLE", "r", "Laptop", "low", "low", "P4",
        "open", "L1", None,
    )  # fmt: skip
    assert not matches(ticket)
    assert matches(ticket.__class__(**{**ticket.__dict__, "description": "a NEEDLE"}))
