"""Rule definitions fuzzed: a valid rule set with parts dropped, retyped, blown up or nested deep
goes through ``RuleService.validate``, ``rules_from_json`` and ``RuleService.save``. Each either
accepts it or refuses it naming the rule and the field, consistently (a set ``validate`` finds
no problem in is one ``rules_from_json`` and ``save`` accept), and a refused save writes
nothing."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from app.services.database import open_database
from app.services.errors import InvalidInput, NotAllowed
from app.services.rules.service import RuleService, rules_from_json
from tests.factories import make_desk
from tests.fuzz.conftest import (
    Counter,
    assert_names_the_problem,
    fuzz_settings,
    refused_without_writing,
)
from tests.fuzz.mutations import Nested, expand, mutated

#: a rule set using every trigger, most condition forms and every action
VALID_RULES: list[dict[str, Any]] = [
    {
        "name": "Databases start at L3",
        "enabled": True,
        "trigger": {"on": "created"},
        "conditions": [{"field": "category", "op": "in", "value": ["Database"]}],
        "actions": [{"do": "move", "to": "L3"}],
        "stop": False,
    },
    {
        "name": "Urgent printers",
        "trigger": {"on": "updated", "fields": ["priority", "tier"]},
        "conditions": [
            {
                "any": [
                    {"field": "priority", "op": "at_least", "value": "P2"},
                    {"not": {"field": "title", "op": "regex", "value": "^(test|demo)"}},
                ]
            },
            {"all": [{"field": "assignee", "op": "is_none"}]},
            {"field": "reopened_count", "op": ">=", "value": 1},
        ],
        "actions": [
            {"do": "assign", "to": "omar"},
            {"do": "set_priority", "to": "P1"},
            {"do": "set_status", "to": "in_progress"},
            {"do": "comment", "text": "Omar looks after printers"},
            {"do": "notify", "users": ["sara"], "tiers": ["L1"], "supervisors": True},
        ],
    },
    {
        "name": "Stale at L2",
        "enabled": False,
        "trigger": {"on": "time", "measure": "in_tier", "minutes": 240, "calendar": None},
        "conditions": [{"field": "tier", "op": "in", "value": ["L2"]}],
        "actions": [{"do": "move", "to": "up"}, {"do": "unassign"}],
        "stop": True,
    },
    {
        "name": "Before the breach",
        "trigger": {"on": "time", "measure": "until_breach", "minutes": 30, "clock": "tier"},
        "conditions": [],
        "actions": [{"do": "notify", "supervisors": True, "text": "breach soon"}],
    },
]

#: inputs that once crashed the rule parser (kept as regression examples)
UNHASHABLE_FIELD = [{**VALID_RULES[0], "conditions": [{"field": ["category"], "op": "in"}]}]


def check_rule_set(service: RuleService, data: Any, counter: Counter) -> None:
    """The property: consistent verdicts, problems that name the rule and field, refused saves
    that write nothing."""
    rules = data.get("rules") if isinstance(data, dict) else data
    problems = None
    if isinstance(rules, list):
        problems = service.validate(rules)
        for problem in problems:
            assert problem.field.strip() and problem.message.strip(), problem
    facts = service.desk_facts()
    try:
        specs = rules_from_json(data, facts)
    except InvalidInput as error:
        assert_names_the_problem(error)
        assert problems != [], f"validate found no problem, rules_from_json: {error}"
        counter.count("refused by rules_from_json")
        return
    assert problems in (None, []), problems
    before_version = service.list().version
    _, refusal = refused_without_writing(
        service.database, lambda: service.save("lena", before_version, specs), Counter("agents")
    )
    assert isinstance(refusal, NotAllowed), "an agent saved rules"
    _, error = refused_without_writing(
        service.database, lambda: service.save("sara", before_version, specs), counter
    )
    assert error is None, f"a rule set that validates was refused on save: {error}"


@pytest.fixture
def rule_desk(database_url: str) -> Any:
    database = open_database(database_url)
    yield make_desk(database)
    database.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(150)
@given(data=mutated(VALID_RULES, max_mutations=3))
@example(data=UNHASHABLE_FIELD)
@example(data={"format": "tierdesk-rules", "rules": VALID_RULES})
@example(data=[{**VALID_RULES[2], "trigger": {"on": "time", "measure": 10**5000, "minutes": 5}}])
@example(data=[{**VALID_RULES[0], "conditions": [Nested(2_000, None, "dict")]}])
@example(data=[{**VALID_RULES[3], "trigger": {"on": "time", "measure": "x", "minutes": 10**5000}}])
def test_mutated_rule_sets_are_accepted_or_refused_naming_the_rule(
    rule_desk: Any, fuzz_counter: Counter, data: Any
) -> None:
    check_rule_set(RuleService(rule_desk.database, rule_desk.clock), expand(data), fuzz_counter)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@fuzz_settings(40)
@given(depths=st.lists(st.integers(1, 5_000), min_size=1, max_size=2))
@example(depths=[21])
@example(depths=[20])
def test_deeply_nested_conditions_are_refused_or_accepted_not_crashed(
    rule_desk: Any, fuzz_counter: Counter, depths: list[int]
) -> None:
    data = [
        {
            "name": f"Deep {number}",
            "trigger": {"on": "created"},
            "conditions": [deeply_nested_condition(depth)],
            "actions": [{"do": "comment", "text": "deep"}],
        }
        for number, depth in enumerate(depths)
    ]
    check_rule_set(RuleService(rule_desk.database, rule_desk.clock), data, fuzz_counter)


def deeply_nested_condition(depth: int) -> dict[str, Any]:
    """``not`` / ``all`` / ``any`` groups ``depth`` deep around one test."""
    condition: dict[str, Any] = {"field": "tier", "op": "in", "value": ["L1"]}
    for level in range(depth):
        group = ("not", "all", "any")[level % 3]
        condition = {group: condition} if group == "not" else {group: [condition]}
    return condition


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@fuzz_settings(25)
@given(data=mutated(VALID_RULES, max_mutations=3))
@example(data=UNHASHABLE_FIELD)
@example(data=[{**VALID_RULES[0], "name": "Nul\x00rule"}])
@example(
    data=[
        {
            **VALID_RULES[0],
            "conditions": [{"field": "category", "op": "in", "value": ["Data\x00base"]}],
        }
    ]
)
@example(data=[{**VALID_RULES[1], "actions": [{"do": "assign", "to": "om\x00ar"}]}])
@example(
    data=[
        {
            **VALID_RULES[2],
            "trigger": {"on": "time", "measure": "in_tier", "minutes": 5, "calendar": "Off\x00ice"},
        }
    ]
)
def test_mutated_rule_sets_on_postgresql(rule_desk: Any, fuzz_counter: Counter, data: Any) -> None:
    check_rule_set(RuleService(rule_desk.database, rule_desk.clock), expand(data), fuzz_counter)
