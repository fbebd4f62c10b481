"""The rule schema: frozen dataclasses, read from and written to JSON.

A rule as JSON (the ``definition`` column holds all of it but ``name`` and ``enabled``)::

    {"name": "Password resets stay at L1", "enabled": true,
     "trigger": {"on": "updated", "fields": ["tier"]},
     "conditions": [{"field": "category", "op": "in", "value": ["Password reset"]}],
     "actions": [{"do": "move", "to": "L1"}, {"do": "notify", "supervisors": true}],
     "stop": false}

``parse_rule`` checks the shape (known keys, fields, operators, enum values, types) and reports
every problem it finds with its path (``conditions[0].value``) to a ``Problems`` list; the checks
against the desk (tiers, categories, people, calendars) and of regular expressions are in
``validation``. See docs/rules.md for every field, operator and action.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from app.models import ClockKind, Level, Priority, TicketStatus

# ---------------------------------------------------------------------------- vocabulary
SET_OPS = ("in", "not_in")
ORDER_OPS = ("at_least", "at_most")
NUMBER_OPS = ("=", "!=", "<", "<=", ">", ">=")
#: field: the operators it takes
OPERATORS: dict[str, tuple[str, ...]] = {
    "category": SET_OPS,
    "priority": SET_OPS + ORDER_OPS,
    "impact": SET_OPS + ORDER_OPS,
    "urgency": SET_OPS + ORDER_OPS,
    "tier": SET_OPS + ORDER_OPS,
    "status": SET_OPS,
    "assignee": (*SET_OPS, "is_none", "is_set"),
    "requester": ("equals", "contains", "regex"),
    "title": ("contains", "regex"),
    "description": ("contains", "regex"),
    "reopened_count": NUMBER_OPS,
    "escalations": NUMBER_OPS,
}
#: fields whose values are fixed by TierDesk itself (the others name things of the desk)
ENUM_VALUES: dict[str, tuple[str, ...]] = {
    "priority": tuple(p.value for p in Priority),
    "impact": tuple(v.value for v in Level),
    "urgency": tuple(v.value for v in Level),
    "status": tuple(s.value for s in TicketStatus),
}
TEXT_FIELDS = frozenset({"requester", "title", "description"})
NUMBER_FIELDS = frozenset({"reopened_count", "escalations"})
#: what an ``updated`` trigger can watch
UPDATE_FIELDS = (
    "title", "description", "requester", "category", "impact", "urgency", "priority",
    "status", "tier", "assignee", "comment",
)  # fmt: skip
MEASURES = ("without_resolution", "in_tier", "since_update", "until_breach")
CLOCKS = tuple(kind.value for kind in ClockKind)
TRIGGERS = ("created", "updated", "time")
ACTIONS = ("move", "assign", "unassign", "set_priority", "set_status", "comment", "notify")
#: statuses a rule may set (resolving and closing need a person and a note)
RULE_STATUSES = ("open", "in_progress", "waiting_on_customer", "waiting_on_vendor")
TEXT_MAX = 2_000
NAME_MAX = 120
MAX_MINUTES = 366 * 24 * 60


# ---------------------------------------------------------------------------- the schema
@dataclass(frozen=True)
class Trigger:
    """When a rule is considered: ``created``; ``updated`` (``fields`` watched, empty for any
    change); or ``time``: ``minutes`` of ``measure`` have passed (``until_breach``: at most
    ``minutes`` are left on ``clock``), in business time of ``calendar`` or wall time (None)."""

    on: str
    fields: tuple[str, ...] = ()
    measure: str | None = None
    minutes: int | None = None
    calendar: str | None = None
    clock: str | None = None


@dataclass(frozen=True)
class Test:
    """One comparison: ``field`` ``op`` ``value`` (a tuple for in / not_in, text, a number, or
    None for is_none / is_set)."""

    field: str
    op: str
    value: tuple[str, ...] | str | int | None = None


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Union[Test, AllOf, AnyOf, Not]  # noqa: UP007 (a runtime alias)


@dataclass(frozen=True)
class Action:
    """One thing a rule does. ``target``: a tier code or ``up``/``down`` (move), a login
    (assign), a priority or status; ``text``: a comment, or a notification's message;
    ``users``/``tiers``/``supervisors``: whom ``notify`` tells."""

    kind: str
    target: str | None = None
    text: str | None = None
    users: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    supervisors: bool = False


@dataclass(frozen=True)
class RuleDefinition:
    trigger: Trigger
    conditions: tuple[Condition, ...]  # all must hold
    actions: tuple[Action, ...]
    stop: bool = False


@dataclass(frozen=True)
class RuleSpec:
    """A rule of a rule set, as stored or drafted. ``id`` is None for a rule not saved yet;
    ``version`` is the stored version (0 for a draft), ``updated_by`` the user id who saved it."""

    name: str
    definition: RuleDefinition
    enabled: bool = True
    id: int | None = None
    version: int = 0
    updated_by: int | None = field(default=None, compare=False)


# ------------------------------------------------------------------------------ problems
class Problems:
    """Problems found while reading one rule, each with its path inside the rule."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))

    def __bool__(self) -> bool:
        return bool(self.items)


# ------------------------------------------------------------------------------ reading
#: conditions nest (all / any / not) at most this deep: deeper is a mistake, and would exhaust
#: the reader's recursion
MAX_DEPTH = 20
SHOWN_MAX = 60


def shown(value: Any) -> str:
    """A value as a problem quotes it: its ``repr``, cut short. A file's text may be huge, and
    Python refuses to print a number of more than 4,300 digits or a list nested too deep."""
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        text = f"a {type(value).__name__} too large to show"
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def nul_paths(value: Any, prefix: str = "") -> list[str]:
    """Where a JSON value holds text with a NUL character (byte 0x00): not text, and no
    database stores it (PostgreSQL refuses it), so it is refused on reading, with its path."""
    found: list[str] = []
    pending: list[tuple[str, Any]] = [(prefix, value)]
    while pending:
        path, node = pending.pop()
        if isinstance(node, str):
            if "\x00" in node:
                found.append(path or "(value)")
        elif isinstance(node, Mapping):
            for key, item in node.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and "\x00" in key:
                    found.append(where.replace("\x00", "\\x00"))
                pending.append((where, item))
        elif isinstance(node, list | tuple):
            pending.extend((f"{path}[{index}]", item) for index, item in enumerate(node))
    return sorted(found)


NUL_MESSAGE = "contains a NUL character (byte 0x00), which is not text"


def parse_rule(raw: Any, problems: Problems) -> RuleSpec | None:
    """A rule from its JSON form; None (with ``problems`` filled in) when it has any problem."""
    if not isinstance(raw, Mapping):
        problems.add("rule", "must be an object")
        return None
    for path in nul_paths(raw):
        problems.add(path, NUL_MESSAGE)
    _unknown_keys(
        raw, {"id", "name", "enabled", "trigger", "conditions", "actions", "stop", "version"},
        "", problems,
    )  # fmt: skip
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add("name", "must be a non-empty text")
        name = ""
    elif len(name.strip()) > NAME_MAX:
        problems.add("name", f"is {len(name.strip())} characters long; at most {NAME_MAX}")
    enabled = _boolean(raw, "enabled", "", problems, default=True)
    definition = parse_definition(raw, problems)
    rule_id = raw.get("id")
    if rule_id is not None and (not isinstance(rule_id, int) or isinstance(rule_id, bool)):
        problems.add("id", "must be a whole number or absent")
        rule_id = None
    if problems or definition is None:
        return None
    return RuleSpec(name=name.strip(), definition=definition, enabled=enabled, id=rule_id)


def parse_definition(raw: Mapping[str, Any], problems: Problems) -> RuleDefinition | None:
    trigger = _trigger(raw.get("trigger"), problems)
    raw_conditions = raw.get("conditions", [])
    conditions: list[Condition] = []
    if not isinstance(raw_conditions, list):
        problems.add("conditions", "must be a list (all of them must hold)")
    else:
        for index, item in enumerate(raw_conditions):
            condition = _condition(item, f"conditions[{index}]", problems)
            if condition is not None:
                conditions.append(condition)
    raw_actions = raw.get("actions")
    actions: list[Action] = []
    if not isinstance(raw_actions, list) or not raw_actions:
        problems.add("actions", "a rule needs at least one action")
    else:
        for index, item in enumerate(raw_actions):
            action = _action(item, f"actions[{index}]", problems)
            if action is not None:
                actions.append(action)
        moves = [index for index, a in enumerate(actions) if a.kind == "move"]
        if len(moves) > 1:
            problems.add(f"actions[{moves[1]}]", "a rule moves a ticket once; one move only")
    stop = _boolean(raw, "stop", "", problems, default=False)
    if trigger is None or problems:
        return None
    return RuleDefinition(trigger, tuple(conditions), tuple(actions), stop)


def _trigger(raw: Any, problems: Problems) -> Trigger | None:
    if not isinstance(raw, Mapping):
        problems.add("trigger", 'must be an object such as {"on": "created"}')
        return None
    on = raw.get("on")
    if on not in TRIGGERS:
        problems.add("trigger.on", f"{shown(on)} is not one of: {', '.join(TRIGGERS)}")
        return None
    if on == "created":
        _unknown_keys(raw, {"on"}, "trigger.", problems)
        return Trigger("created")
    if on == "updated":
        _unknown_keys(raw, {"on", "fields"}, "trigger.", problems)
        fields = _texts(raw.get("fields", []), "trigger.fields", problems, allow_empty=True)
        for index, name in enumerate(fields):
            if name not in UPDATE_FIELDS:
                problems.add(
                    f"trigger.fields[{index}]",
                    f"unknown field {shown(name)} (fields: {', '.join(UPDATE_FIELDS)})",
                )
        return Trigger("updated", fields=tuple(dict.fromkeys(fields)))
    _unknown_keys(raw, {"on", "measure", "minutes", "calendar", "clock"}, "trigger.", problems)
    measure = raw.get("measure")
    if measure not in MEASURES:
        problems.add("trigger.measure", f"{shown(measure)} is not one of: {', '.join(MEASURES)}")
    minutes = raw.get("minutes")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= MAX_MINUTES:
        problems.add(
            "trigger.minutes", f"{shown(minutes)} is not a whole number from 1 to {MAX_MINUTES}"
        )
    calendar = raw.get("calendar")
    if calendar is not None and (not isinstance(calendar, str) or not calendar.strip()):
        problems.add("trigger.calendar", "must name a business calendar, or be null for wall time")
    clock = raw.get("clock")
    if measure == "until_breach" and clock not in CLOCKS:
        problems.add("trigger.clock", f"{shown(clock)} is not one of: {', '.join(CLOCKS)}")
    elif measure != "until_breach" and clock is not None:
        problems.add("trigger.clock", "only an until_breach trigger names a clock")
    return Trigger(
        "time",
        measure=measure if isinstance(measure, str) else "",  # not str(): may be a huge int
        minutes=minutes if isinstance(minutes, int) else None,
        calendar=calendar.strip() if isinstance(calendar, str) else None,
        clock=clock if isinstance(clock, str) else None,
    )


def _condition(raw: Any, path: str, problems: Problems, depth: int = 1) -> Condition | None:
    if depth > MAX_DEPTH:
        problems.add(path, f"conditions nest more than {MAX_DEPTH} deep")
        return None
    if not isinstance(raw, Mapping):
        problems.add(path, "must be an object: a test {field, op, value}, or all / any / not")
        return None
    for group, kind in (("all", AllOf), ("any", AnyOf)):
        if group in raw:
            _unknown_keys(raw, {group}, f"{path}.", problems)
            items = raw[group]
            if not isinstance(items, list) or not items:
                problems.add(f"{path}.{group}", "must be a non-empty list of conditions")
                return None
            parsed = [
                _condition(item, f"{path}.{group}[{i}]", problems, depth + 1)
                for i, item in enumerate(items)
            ]
            kept = tuple(item for item in parsed if item is not None)
            return kind(kept) if len(kept) == len(parsed) else None
    if "not" in raw:
        _unknown_keys(raw, {"not"}, f"{path}.", problems)
        inner = _condition(raw["not"], f"{path}.not", problems, depth + 1)
        return Not(inner) if inner is not None else None
    _unknown_keys(raw, {"field", "op", "value"}, f"{path}.", problems)
    name = raw.get("field")
    if not isinstance(name, str) or name not in OPERATORS:
        problems.add(
            f"{path}.field", f"unknown field {shown(name)} (fields: {', '.join(OPERATORS)})"
        )
        return None
    op = raw.get("op")
    if op not in OPERATORS[name]:
        problems.add(
            f"{path}.op",
            f"unknown operator {shown(op)} for {name} (use {', '.join(OPERATORS[name])})",
        )
        return None
    value = _test_value(name, op, raw.get("value"), f"{path}.value", problems)
    return Test(name, op, value)


def _test_value(
    name: str, op: str, raw: Any, path: str, problems: Problems
) -> tuple[str, ...] | str | int | None:
    if op in ("is_none", "is_set"):
        if raw is not None:
            problems.add(path, f"{op} takes no value")
        return None
    if name in NUMBER_FIELDS:
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
            problems.add(path, f"{shown(raw)} is not a whole number of 0 or more")
            return 0
        return raw
    if name in TEXT_FIELDS:
        if not isinstance(raw, str) or not raw.strip():
            problems.add(path, "must be a non-empty text")
            return ""
        if len(raw) > TEXT_MAX:
            problems.add(path, f"is {len(raw)} characters long; at most {TEXT_MAX}")
        return raw
    values: tuple[str, ...]
    if op in ORDER_OPS:
        if not isinstance(raw, str) or not raw.strip():
            problems.add(path, f"{op} takes one value")
            return ""
        values = (raw.strip(),)
    else:
        values = tuple(_texts(raw, path, problems))
    known = ENUM_VALUES.get(name)
    if known is not None:
        for index, value in enumerate(values):
            if value not in known:
                where = path if op in ORDER_OPS else f"{path}[{index}]"
                problems.add(where, f"unknown {name} {shown(value)} (one of: {', '.join(known)})")
    return values[0] if op in ORDER_OPS and values else values


def _action(raw: Any, path: str, problems: Problems) -> Action | None:
    if not isinstance(raw, Mapping):
        problems.add(path, 'must be an object such as {"do": "move", "to": "up"}')
        return None
    kind = raw.get("do")
    if kind not in ACTIONS:
        problems.add(f"{path}.do", f"unknown action {shown(kind)} (actions: {', '.join(ACTIONS)})")
        return None
    if kind == "unassign":
        _unknown_keys(raw, {"do"}, f"{path}.", problems)
        return Action("unassign")
    if kind == "comment":
        _unknown_keys(raw, {"do", "text"}, f"{path}.", problems)
        return Action("comment", text=_text(raw.get("text"), f"{path}.text", problems))
    if kind == "notify":
        _unknown_keys(raw, {"do", "users", "tiers", "supervisors", "text"}, f"{path}.", problems)
        users = _texts(raw.get("users", []), f"{path}.users", problems, allow_empty=True)
        tiers = _texts(raw.get("tiers", []), f"{path}.tiers", problems, allow_empty=True)
        supervisors = _boolean(raw, "supervisors", f"{path}.", problems, default=False)
        if not (users or tiers or supervisors):
            problems.add(path, "notify names nobody: give users, tiers or supervisors: true")
        text = raw.get("text")
        message = None if text is None else _text(text, f"{path}.text", problems)
        return Action("notify", text=message, users=users, tiers=tiers, supervisors=supervisors)
    _unknown_keys(raw, {"do", "to"}, f"{path}.", problems)
    target = _text(raw.get("to"), f"{path}.to", problems)
    if kind == "set_priority" and target not in ENUM_VALUES["priority"]:
        problems.add(f"{path}.to", f"unknown priority {shown(target)} (one of: P1, P2, P3, P4)")
    if kind == "set_status" and target not in RULE_STATUSES:
        problems.add(
            f"{path}.to",
            f"a rule cannot set status {shown(target)} (one of: {', '.join(RULE_STATUSES)})",
        )
    return Action(kind, target=target)


def _unknown_keys(raw: Mapping[str, Any], known: set[str], prefix: str, problems: Problems) -> None:
    for key in raw:
        if key not in known:
            problems.add(f"{prefix}{key}", f"unknown field {shown(key)}")


def _text(raw: Any, path: str, problems: Problems) -> str:
    if not isinstance(raw, str) or not raw.strip():
        problems.add(path, "must be a non-empty text")
        return ""
    if len(raw) > TEXT_MAX:
        problems.add(path, f"is {len(raw)} characters long; at most {TEXT_MAX}")
    return raw.strip()


def _texts(raw: Any, path: str, problems: Problems, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        problems.add(path, "must be a list of non-empty texts")
        return ()
    if not raw and not allow_empty:
        problems.add(path, "must not be empty")
    return tuple(value.strip() for value in raw)


def _boolean(
    raw: Mapping[str, Any], key: str, prefix: str, problems: Problems, *, default: bool
) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        problems.add(f"{prefix}{key}", f"{shown(value)} is not true or false")
        return default
    return value


# ------------------------------------------------------------------------------ writing
def rule_to_json(rule: RuleSpec) -> dict[str, Any]:
    """The rule as JSON (``parse_rule`` reads it back to an equal ``RuleSpec``)."""
    return {"name": rule.name, "enabled": rule.enabled, **definition_to_json(rule.definition)}


def definition_to_json(definition: RuleDefinition) -> dict[str, Any]:
    return {
        "trigger": _trigger_json(definition.trigger),
        "conditions": [condition_to_json(c) for c in definition.conditions],
        "actions": [_action_json(a) for a in definition.actions],
        "stop": definition.stop,
    }


def _trigger_json(trigger: Trigger) -> dict[str, Any]:
    if trigger.on == "created":
        return {"on": "created"}
    if trigger.on == "updated":
        return {"on": "updated", "fields": list(trigger.fields)}
    out: dict[str, Any] = {"on": "time", "measure": trigger.measure, "minutes": trigger.minutes}
    out["calendar"] = trigger.calendar
    if trigger.clock is not None:
        out["clock"] = trigger.clock
    return out


def condition_to_json(condition: Condition) -> dict[str, Any]:
    if isinstance(condition, AllOf):
        return {"all": [condition_to_json(c) for c in condition.items]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_to_json(c) for c in condition.items]}
    if isinstance(condition, Not):
        return {"not": condition_to_json(condition.item)}
    out: dict[str, Any] = {"field": condition.field, "op": condition.op}
    if condition.value is not None:
        out["value"] = (
            list(condition.value) if isinstance(condition.value, tuple) else condition.value
        )
    return out


def _action_json(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"do": action.kind}
    if action.kind == "notify":
        out.update(users=list(action.users), tiers=list(action.tiers))
        out["supervisors"] = action.supervisors
    if action.target is not None:
        out["to"] = action.target
    if action.text is not None:
        out["text"] = action.text
    return out


def walk_tests(conditions: Sequence[Condition]) -> list[tuple[str, Test]]:
    """Every test of ``conditions`` with its path (``conditions[1].any[0]``), depth first."""
    found: list[tuple[str, Test]] = []

    def visit(condition: Condition, path: str) -> None:
        if isinstance(condition, Test):
            found.append((path, condition))
        elif isinstance(condition, Not):
            visit(condition.item, f"{path}.not")
        else:
            group = "all" if isinstance(condition, AllOf) else "any"
            for index, item in enumerate(condition.items):
                visit(item, f"{path}.{group}[{index}]")

    for index, condition in enumerate(conditions):
        visit(condition, f"conditions[{index}]")
    return found
