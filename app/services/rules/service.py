"""``RuleService``: the rule set as supervisors see and change it, and the rules as a JSON file.

The rule set is saved as a whole, in one transaction, after every check (shape, references,
regular expressions, loops): refused entirely, with every problem listed, or saved entirely.
Each save names the rule set version it read; a save over someone else's newer one raises
``RuleSetConflict`` showing what they changed. A rule's own ``version`` grows when its name,
enabled flag or definition changes (not when it is only moved in the order).
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import Role, Rule, RuleSetState, User
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database, serialise_setup_changes
from app.services.errors import ConflictError, InvalidInput, NotAllowed, TierDeskError
from app.services.rules.conditions import TicketSnapshot
from app.services.rules.definition import (
    RuleDefinition,
    RuleSpec,
    definition_to_json,
    rule_to_json,
)
from app.services.rules.engine import (
    Evaluation,
    TriggerEvent,
    compile_rule_set,
    evaluate,
    new_token,
    stored_specs,
)
from app.services.rules.loops import find_loops
from app.services.rules.validation import (
    DeskFacts,
    InvalidRuleSet,
    RuleProblem,
    parse_rule_set,
)
from app.services.ticket_change import active_user

RULE_EDITORS = frozenset({Role.SUPERVISOR, Role.ADMIN})
FILE_FORMAT = "tierdesk-rules"


@dataclass(frozen=True)
class RuleView:
    id: int
    position: int
    name: str
    enabled: bool
    version: int
    definition: RuleDefinition
    updated_at: datetime
    updated_by: str | None  # login

    @property
    def spec(self) -> RuleSpec:
        """The rule as a draft to edit and save back."""
        return RuleSpec(self.name, self.definition, self.enabled, self.id, self.version)


@dataclass(frozen=True)
class RuleSetView:
    """The stored rule set. ``problems`` non-empty: it no longer validates (a tier, category or
    person it names is gone) and is disabled as a whole until fixed; ``warning`` says so."""

    version: int
    rules: tuple[RuleView, ...]
    problems: tuple[RuleProblem, ...]
    updated_at: datetime | None
    updated_by: str | None

    @property
    def warning(self) -> str | None:
        if not self.problems:
            return None
        listed = "; ".join(str(problem) for problem in self.problems)
        return f"the rules are disabled: the rule set no longer validates ({listed})"


class RuleSetConflict(ConflictError):
    """Someone else saved the rule set since it was read; nothing was saved. ``summary`` is
    what their save changed."""

    def __init__(
        self,
        expected_version: int,
        current_version: int,
        changed_by: str | None,
        changed_at: datetime | None,
        summary: str,
    ) -> None:
        when = f" at {changed_at:%Y-%m-%d %H:%M} UTC" if changed_at else ""
        TierDeskError.__init__(
            self,
            f"the rules were changed by {changed_by or 'someone else'}{when} since you read them "
            f"(you read version {expected_version}, they are now at version {current_version});"
            f" nothing was saved. Their change: {summary or 'none recorded'}",
        )
        self.ticket_key = "rules"
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes = ()
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.summary = summary


class RuleService:
    """Reading, checking and saving the desk's rule set (saving: supervisors and admins)."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def list(self) -> RuleSetView:
        with self.database.read() as session:
            return rule_set_view(session)

    def validate(self, rules: Sequence[RuleSpec | Mapping[str, Any]]) -> builtins.list[RuleProblem]:
        """Every problem of a draft rule set (shape, references, regexes, loops); [] if none."""
        with self.database.read() as session:
            desk = DeskFacts.load(session)
        return problems_of(rules, desk)

    @staticmethod
    def evaluate(
        rules: Sequence[RuleSpec], desk: DeskFacts, ticket: TicketSnapshot, trigger: TriggerEvent
    ) -> Evaluation:
        """What ``rules`` (a draft) would do to ``ticket`` for ``trigger``; writes nothing."""
        return evaluate(compile_rule_set(rules, desk), ticket, trigger)

    def desk_facts(self) -> DeskFacts:
        with self.database.read() as session:
            return DeskFacts.load(session)

    def save(
        self, actor: str, expected_version: int | None, rules: Sequence[RuleSpec]
    ) -> RuleSetView:
        """Replace the rule set by ``rules`` (in order; ``id`` None for new rules, rules left
        out are deleted). Raises ``InvalidRuleSet`` or ``RuleSetConflict``, saving nothing."""
        with self.database.write() as session:
            save_rule_set(session, actor, expected_version, rules, self.clock.now(session))
            return rule_set_view(session)

    def set_enabled(
        self, actor: str, expected_version: int | None, rule_id: int, enabled: bool
    ) -> RuleSetView:
        def change(specs: list[RuleSpec]) -> list[RuleSpec]:
            _require_ids(specs, [rule_id])
            return [replace(s, enabled=enabled) if s.id == rule_id else s for s in specs]

        return self._edit(actor, expected_version, change)

    def reorder(
        self, actor: str, expected_version: int | None, rule_ids: Sequence[int]
    ) -> RuleSetView:
        """Put the rules in the order of ``rule_ids`` (every rule, once)."""

        def change(specs: list[RuleSpec]) -> list[RuleSpec]:
            if sorted(rule_ids) != sorted(s.id for s in specs if s.id is not None):
                raise InvalidInput("rule_ids", "name every rule of the rule set exactly once")
            by_id = {s.id: s for s in specs}
            return [by_id[rule_id] for rule_id in rule_ids]

        return self._edit(actor, expected_version, change)

    def _edit(self, actor: str, expected_version: int | None, change: Any) -> RuleSetView:
        with self.database.write() as session:
            specs, problems = stored_specs(session)
            if problems:
                raise InvalidRuleSet(problems)
            save_rule_set(session, actor, expected_version, change(specs), self.clock.now(session))
            return rule_set_view(session)


def _require_ids(specs: Sequence[RuleSpec], ids: Sequence[int]) -> None:
    known = {s.id for s in specs}
    for rule_id in ids:
        if rule_id not in known:
            raise InvalidInput("rule_id", f"no rule with id {rule_id}")


def problems_of(
    rules: Sequence[RuleSpec | Mapping[str, Any]], desk: DeskFacts
) -> list[RuleProblem]:
    raw = [rule_to_json(r) if isinstance(r, RuleSpec) else r for r in rules]
    specs, problems = parse_rule_set(raw, desk)
    if not problems:
        problems = find_loops(specs, desk)
    return problems


def rule_set_view(session: Session) -> RuleSetView:
    state = session.get(RuleSetState, 1)
    logins = dict(session.execute(select(User.id, User.login)).tuples().all())
    rows = list(session.scalars(select(Rule).order_by(Rule.position, Rule.id)))
    specs, problems = stored_specs(session)
    desk = DeskFacts.load(session)
    if not problems:
        problems = list(compile_rule_set(specs, desk).problems) or find_loops(specs, desk)
    by_id = {spec.id: spec for spec in specs}
    views = []
    for position, row in enumerate(rows):
        spec = by_id.get(row.id)
        if spec is None:
            continue  # unreadable: reported in problems
        views.append(
            RuleView(
                row.id, position, row.name, row.enabled, row.version, spec.definition,
                row.updated_at, logins.get(row.updated_by) if row.updated_by else None,
            )
        )  # fmt: skip
    return RuleSetView(
        version=state.version if state else 0,
        rules=tuple(views),
        problems=tuple(problems),
        updated_at=state.updated_at if state else None,
        updated_by=logins.get(state.updated_by) if state and state.updated_by else None,
    )


def save_rule_set(
    session: Session,
    actor: str,
    expected_version: int | None,
    rules: Sequence[RuleSpec],
    at: datetime,
) -> int:
    """Check and save a whole rule set in the caller's transaction (also for ``config
    import``); returns the new rule set version. ``expected_version`` None: no conflict check."""
    user = active_user(session, actor)
    if user.role not in RULE_EDITORS:
        raise NotAllowed(
            f"{user.login} is a {user.role.value}; only supervisors and admins edit rules"
        )
    serialise_setup_changes(session)  # saves take turns (PostgreSQL advisory lock)
    state = session.get(RuleSetState, 1, with_for_update=True)
    if state is None:
        state = RuleSetState(id=1, version=0, token=new_token(), summary="")
        session.add(state)
    if expected_version is not None and expected_version != state.version:
        by = session.get(User, state.updated_by) if state.updated_by else None
        raise RuleSetConflict(
            expected_version, state.version, by.login if by else None, state.updated_at,
            state.summary,
        )  # fmt: skip
    desk = DeskFacts.load(session)
    problems = problems_of(rules, desk)
    if problems:
        raise InvalidRuleSet(problems)
    summary = _write_rules(session, rules, user.id, at)
    state.version += 1
    state.token = new_token()
    state.updated_at, state.updated_by = at, user.id
    state.summary = summary or "no change"
    session.flush()
    return state.version


def _write_rules(session: Session, rules: Sequence[RuleSpec], user_id: int, at: datetime) -> str:
    """Insert, update and delete rule rows to match ``rules``; returns the change in words."""
    existing = {row.id: row for row in session.scalars(select(Rule))}
    for spec in rules:
        if spec.id is not None and spec.id not in existing:
            raise InvalidInput("rules", f"no rule with id {spec.id} (deleted meanwhile?)")
    before = {
        rule_id: (row.name, row.enabled, row.definition, row.position, row.version)
        for rule_id, row in existing.items()
    }
    kept = [spec.id for spec in rules if spec.id is not None]
    said = [f"removed “{row.name}”" for rule_id, row in existing.items() if rule_id not in kept]
    gone = [rule_id for rule_id in existing if rule_id not in kept]
    if gone:
        session.execute(delete(Rule).where(Rule.id.in_(gone)))
    if any(spec.id is not None and spec.name != before[spec.id][0] for spec in rules):
        for rule_id in kept:  # names are unique: free them before renaming (A <-> B)
            existing[rule_id].name = f"~renaming~{rule_id}"
        session.flush()
    for position, spec in enumerate(rules):
        definition = definition_to_json(spec.definition)
        if spec.id is None:
            session.add(
                Rule(
                    position=position, name=spec.name, enabled=spec.enabled, version=1,
                    definition=definition, updated_at=at, updated_by=user_id,
                )
            )  # fmt: skip
            said.append(f"added “{spec.name}”")
            continue
        row = existing[spec.id]
        name, enabled, old_definition, _position, version = before[spec.id]
        if (name, enabled, old_definition) != (spec.name, spec.enabled, definition):
            row.version = version + 1
            row.updated_at, row.updated_by = at, user_id
            only_switched = (name, old_definition) == (spec.name, definition)
            what = ("enabled" if spec.enabled else "disabled") if only_switched else "changed"
            said.append(f"{what} “{spec.name}” (v{row.version})")
        row.name, row.enabled, row.definition = spec.name, spec.enabled, definition
        row.position = position
    old_positions = [before[rule_id][3] for rule_id in kept]
    if old_positions != sorted(old_positions):
        said.append("reordered")
    return "; ".join(said)


# ------------------------------------------------------------------------- the config file
def rules_to_json(session: Session) -> dict[str, Any]:
    """The stored rule set as the ``rules`` part of a configuration file (by names, not ids,
    so that it can be imported at another site)."""
    specs, _problems = stored_specs(session)
    return {"format": FILE_FORMAT, "rules": [rule_to_json(spec) for spec in specs]}


def rules_from_json(data: Any, desk: DeskFacts | None = None) -> list[RuleSpec]:
    """A rule set from a configuration file (``rules_to_json``'s form, or just the list),
    checked as a whole: raises ``InvalidRuleSet`` listing every problem. ``desk``: the desk the
    rules will run on (for ``config import``, the desk as the file will leave it); without
    it, tiers, categories, people and calendars are not checked, nor loops. Ids in the file
    are ignored: imported rules are new rules (save them with ``save_rule_set``)."""
    raw = data.get("rules") if isinstance(data, Mapping) else data
    specs, problems = parse_rule_set(raw, desk)
    if not problems and desk is not None:
        problems = find_loops(specs, desk)
    if problems:
        raise InvalidRuleSet(problems)
    return [replace(spec, id=None) for spec in specs]
