"""Checking a rule set before it is saved or used: its shape (``definition``), its references to
the desk (tiers, categories, people, calendars) and the cost of its regular expressions.

Every problem is reported, not just the first, as a ``RuleProblem`` naming the rule and the
field: ``rule "Password resets stay at L1": conditions[1].value[0]: unknown category
'Pasword'``. ``InvalidRuleSet`` carries them all; it is an ``InvalidInput``, so the CLI and the
GUI show it like any other refused input.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, String, cast, func, select
from sqlalchemy.orm import Session

from app.models import CalendarRecord, Category, Role, Tier, User, user_tiers
from app.services.errors import InvalidInput
from app.services.rules.definition import (
    Problems,
    RuleSpec,
    Test,
    parse_rule,
    rule_to_json,
    walk_tests,
)

#: The longest pattern accepted, the largest repeat count, and how much text a pattern reads.
REGEX_MAX_LENGTH = 200
REGEX_MAX_REPEAT = 1_000
REGEX_INPUT_MAX = 10_000

_parser: Any = importlib.import_module("re._parser")  # the stdlib's own regex parser
_REPEATS = {
    _parser.MAX_REPEAT,
    _parser.MIN_REPEAT,
    *([_parser.POSSESSIVE_REPEAT] if hasattr(_parser, "POSSESSIVE_REPEAT") else []),
}


@dataclass(frozen=True)
class UserFacts:
    role: Role
    active: bool
    tiers: tuple[str, ...]  # tier codes worked


@dataclass(frozen=True)
class DeskFacts:
    """What rules may refer to: the active tiers in ladder order, categories, people by login
    and calendars by name. Equal facts compare equal, so a compiled rule set can be reused."""

    tiers: tuple[str, ...]
    categories: frozenset[str]
    users: tuple[tuple[str, UserFacts], ...]
    calendars: frozenset[str]
    #: ids of categories and users by name (for snapshots without a query)
    category_ids: tuple[tuple[int, str], ...] = ()
    user_ids: tuple[tuple[int, str], ...] = ()

    @classmethod
    def load(cls, session: Session) -> DeskFacts:
        tiers = session.execute(
            select(Tier.id, Tier.code).where(Tier.retired.is_(False)).order_by(Tier.position)
        ).all()
        code_of = {tier_id: code for tier_id, code in tiers}
        worked: dict[int, list[str]] = {}
        for user_id, tier_id in session.execute(select(user_tiers.c.user_id, user_tiers.c.tier_id)):
            if tier_id in code_of:
                worked.setdefault(user_id, []).append(code_of[tier_id])
        people = session.execute(
            select(User.id, User.login, User.role, User.active).order_by(User.login)
        ).all()
        users = tuple(
            (login, UserFacts(role, active, tuple(sorted(worked.get(user_id, [])))))
            for user_id, login, role, active in people
        )
        categories = session.execute(select(Category.id, Category.name)).tuples().all()
        return cls(
            tiers=tuple(code for _id, code in tiers),
            categories=frozenset(name for _id, name in categories),
            users=users,
            calendars=frozenset(session.scalars(select(CalendarRecord.name))),
            category_ids=tuple(sorted(categories)),
            user_ids=tuple(sorted((user_id, login) for user_id, login, _r, _a in people)),
        )

    def category_name(self, category_id: int) -> str | None:
        return dict(self.category_ids).get(category_id)

    def login(self, user_id: int) -> str | None:
        return dict(self.user_ids).get(user_id)

    def tier(self, name: str) -> str | None:
        """The tier code for a code written in any case."""
        wanted = name.casefold()
        return next((code for code in self.tiers if code.casefold() == wanted), None)

    def category(self, name: str) -> str | None:
        wanted = name.casefold()
        return next((c for c in self.categories if c.casefold() == wanted), None)

    def user(self, login: str) -> UserFacts | None:
        return dict(self.users).get(login)


@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong with one rule: ``index`` in the set, ``rule`` its name, ``path`` the
    field inside it."""

    index: int
    rule: str
    path: str
    message: str

    @property
    def field(self) -> str:
        who = f'rule "{self.rule}"' if self.rule else f"rules[{self.index}]"
        return f"{who}: {self.path}"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidRuleSet(InvalidInput):
    """A rule set refused as a whole; ``problems`` lists everything wrong with it."""

    def __init__(self, problems: Sequence[RuleProblem]) -> None:
        first = problems[0]
        super().__init__(first.field, first.message)
        self.problems = tuple(problems)
        self.args = ("\n".join(str(problem) for problem in problems),)

    def __str__(self) -> str:
        return str(self.args[0])


def desk_fingerprint() -> list[ScalarSelect[Any]]:
    """SQL: the desk's tiers, categories, people and calendars as a few strings, read together
    with the rule set's token in one statement: a compiled rule set is reused while they stay
    the same (a change in row order only costs a recompilation)."""

    def rows(*columns: Any) -> ScalarSelect[Any]:
        text: ColumnElement[str] = cast(columns[0], String)
        for column in columns[1:]:
            text = text + ":" + cast(column, String)
        return select(func.aggregate_strings(text, ",")).scalar_subquery()

    return [
        rows(Tier.id, Tier.code, Tier.retired, Tier.position),
        rows(Category.id, Category.name),
        rows(User.id, User.login, User.role, User.active),
        rows(user_tiers.c.user_id, user_tiers.c.tier_id),
        rows(CalendarRecord.id, CalendarRecord.name),
    ]


def parse_rule_set(
    raw_rules: Any, desk: DeskFacts | None
) -> tuple[list[RuleSpec], list[RuleProblem]]:
    """Rules from their JSON form, and every problem of the set (shape, references when
    ``desk`` is given, regular expressions, duplicate names). Rules are usable only when the
    problem list is empty."""
    if not isinstance(raw_rules, list):
        return [], [RuleProblem(0, "", "rules", "must be a list of rules")]
    specs: list[RuleSpec] = []
    problems: list[RuleProblem] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_rules):
        found = Problems()
        spec = parse_rule(raw, found)
        name = raw.get("name") if isinstance(raw, Mapping) else None
        name = name.strip() if isinstance(name, str) else ""
        if spec is not None:
            check_references(spec, desk, found)
            specs.append(spec)
        if name:
            if name.casefold() in seen:
                found.add(
                    "name", f"another rule (number {seen[name.casefold()] + 1}) has this name"
                )
            seen.setdefault(name.casefold(), index)
        problems += [RuleProblem(index, name, path, message) for path, message in found.items]
    return specs, problems


def validate_specs(specs: Iterable[RuleSpec], desk: DeskFacts | None) -> list[RuleProblem]:
    """Every problem of rules already in dataclass form (as a dialog's builder makes them)."""
    return parse_rule_set([rule_to_json(spec) for spec in specs], desk)[1]


def require_valid(problems: Sequence[RuleProblem]) -> None:
    if problems:
        raise InvalidRuleSet(problems)


def check_references(spec: RuleSpec, desk: DeskFacts | None, problems: Problems) -> None:
    """Regular expressions always; tiers, categories, people and calendars when ``desk`` is
    known (they must exist: a rule naming a retired tier or a disabled person is refused)."""
    for path, test in walk_tests(spec.definition.conditions):
        if test.op == "regex" and isinstance(test.value, str):
            message = regex_problem(test.value)
            if message:
                problems.add(f"{path}.value", message)
        if desk is not None:
            _check_test(test, path, desk, problems)
    if desk is None:
        return
    trigger = spec.definition.trigger
    if trigger.calendar is not None and trigger.calendar not in desk.calendars:
        known = ", ".join(sorted(desk.calendars)) or "none defined"
        problems.add("trigger.calendar", f"unknown calendar {trigger.calendar!r} ({known})")
    for index, action in enumerate(spec.definition.actions):
        path = f"actions[{index}]"
        if action.kind == "move" and action.target not in ("up", "down"):
            _check_tier(action.target or "", f"{path}.to", desk, problems)
        if action.kind == "assign":
            user = _check_user(action.target or "", f"{path}.to", desk, problems, active=True)
            if user is not None and user.role == Role.MANAGER:
                problems.add(f"{path}.to", f"{action.target} is a manager and works no tickets")
        for number, login in enumerate(action.users):
            _check_user(login, f"{path}.users[{number}]", desk, problems, active=True)
        for number, code in enumerate(action.tiers):
            _check_tier(code, f"{path}.tiers[{number}]", desk, problems)


def _check_test(test: Test, path: str, desk: DeskFacts, problems: Problems) -> None:
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    for number, value in enumerate(values):
        where = f"{path}.value" if not isinstance(test.value, tuple) else f"{path}.value[{number}]"
        if not isinstance(value, str):
            continue
        if test.field == "category" and desk.category(value) is None:
            problems.add(where, f"unknown category {value!r}")
        elif test.field == "tier":
            _check_tier(value, where, desk, problems)
        elif test.field == "assignee" and test.op in ("in", "not_in"):
            _check_user(value, where, desk, problems, active=False)


def _check_tier(code: str, path: str, desk: DeskFacts, problems: Problems) -> None:
    if desk.tier(code) is None:
        known = ", ".join(desk.tiers) or "none"
        problems.add(path, f"unknown or retired tier {code!r} (tiers: {known})")


def _check_user(
    login: str, path: str, desk: DeskFacts, problems: Problems, *, active: bool
) -> UserFacts | None:
    user = desk.user(login)
    if user is None:
        problems.add(path, f"no user with login {login!r}")
    elif active and not user.active:
        problems.add(path, f"{login} is disabled")
    return user


# ------------------------------------------------------------------------------- regexes
def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused (invalid, too long, or costly: nested quantifiers such as
    ``(a+)+``, overlapping alternatives repeated such as ``(a|ab)*``, huge repeat counts), or
    None. Accepted patterns run on at most ``REGEX_INPUT_MAX`` characters of text."""
    if len(pattern) > REGEX_MAX_LENGTH:
        return (
            f"the regular expression is {len(pattern)} characters long; at most {REGEX_MAX_LENGTH}"
        )
    try:
        re.compile(pattern)
        tree = _parser.parse(pattern)
    except (re.error, RecursionError) as error:
        return f"invalid regular expression: {error}"
    return _costly(list(tree), inside_repeat=False)


def _costly(items: list[Any], inside_repeat: bool) -> str | None:
    for op, argument in items:
        if op in _REPEATS:
            low, high, sub = argument
            if high != _parser.MAXREPEAT and high > REGEX_MAX_REPEAT or low > REGEX_MAX_REPEAT:
                return f"repeat counts above {REGEX_MAX_REPEAT} are too costly"
            repeats = high == _parser.MAXREPEAT or high > 1
            if inside_repeat and repeats:
                return "nested quantifiers (such as (a+)+) can take exponential time; simplify it"
            found = _costly(list(sub), inside_repeat or repeats)
        elif op == _parser.BRANCH:
            alternatives = argument[1]
            if inside_repeat and not _distinct_first_literals(alternatives):
                return (
                    "alternatives that can match the same text inside a repetition (such as "
                    "(a|ab)*) can take exponential time; simplify it"
                )
            found = next(
                (m for alt in alternatives if (m := _costly(list(alt), inside_repeat))), None
            )
        elif op == _parser.SUBPATTERN:
            found = _costly(list(argument[3]), inside_repeat)
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            found = _costly(list(argument[1]), inside_repeat)
        else:
            found = None
        if found:
            return found
    return None


def _distinct_first_literals(alternatives: list[Any]) -> bool:
    firsts = []
    for alternative in alternatives:
        items = list(alternative)
        if not items or items[0][0] != _parser.LITERAL:
            return False
        firsts.append(items[0][1])
    return len(set(firsts)) == len(firsts)
