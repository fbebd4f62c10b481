"""The "rules" section of a configuration file: the one place that talks to the rules engine.

The section is what ``app.services.rules.rules_to_json(session)`` writes. On import it is read
twice: for its shape first, alongside the rest of the file (so that one refusal lists every
problem), then, once the file's tiers, categories and calendars are written in the import's
transaction, against the desk as the file leaves it (references, loops), and saved as the rule
set with ``save_rule_set``. Rules are matched by name, so importing the same file again changes
nothing. Where the rules engine is not installed, an export has no "rules" key and a file that
has one is refused (a file's rules are never silently dropped).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session

from app.services.configuration.snapshot import Problem


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def rules_available() -> bool:
    return _module("app.services.rules.service") is not None


def export_rules(session: Session) -> Any | None:
    """The rules as JSON-ready data, or ``None`` where the rules engine is not there."""
    service = _module("app.services.rules.service")
    return None if service is None else service.rules_to_json(session)


def rules_shape_problems(data: Any) -> list[Problem]:
    """Problems of the section's own shape (no desk needed), each at its path in the file."""
    service = _module("app.services.rules.service")
    if service is None:
        return [Problem("rules", "rules", "this TierDesk has no rules engine to import rules into")]
    validation = importlib.import_module("app.services.rules.validation")
    try:
        service.rules_from_json(data)
    except validation.InvalidRuleSet as refused:
        return _problems(refused.problems)
    return []


def import_rules(
    session: Session, actor: str | None, data: Any, at: datetime
) -> tuple[list[Problem], str | None]:
    """Check the file's rules against the desk as it now is in ``session`` and save them as
    the rule set (unless they are the rules it has): their problems, and the change in words
    (``None``: the desk already had these rules)."""
    service = importlib.import_module("app.services.rules.service")
    validation = importlib.import_module("app.services.rules.validation")
    engine = importlib.import_module("app.services.rules.engine")
    try:
        specs = service.rules_from_json(data, validation.DeskFacts.load(session))
    except validation.InvalidRuleSet as refused:
        return _problems(refused.problems), None
    stored, _unreadable = engine.stored_specs(session)
    ids = {spec.name.casefold(): spec.id for spec in stored}
    specs = [_with_id(spec, ids.get(spec.name.casefold())) for spec in specs]
    if [_content(spec) for spec in specs] == [_content(spec) for spec in stored]:
        return [], None
    if actor is None:
        needs = "saving rules needs a supervisor or admin (--as LOGIN)"
        return [Problem("rules", "rules", needs)], None
    try:
        version = service.save_rule_set(session, actor, None, specs, at)
    except validation.InvalidRuleSet as refused:
        return _problems(refused.problems), None
    return [], f"replaced the rules with the file's {len(specs)} (rule set version {version})"


def _with_id(spec: Any, rule_id: int | None) -> Any:
    return replace(spec, id=rule_id)


def _content(spec: Any) -> tuple[Any, ...]:
    return (spec.name, spec.enabled, spec.definition)


def _problems(found: Sequence[Any]) -> list[Problem]:
    """The rules engine's problems at their paths in the file: ``rules.rules[2].actions[0]``."""
    return [
        Problem(
            "rules",
            f"rules.rules[{problem.index}]" + (f".{problem.path}" if problem.path else ""),
            f"rule {problem.rule!r}: {problem.message}" if problem.rule else problem.message,
        )
        for problem in found
    ]


def stored_rule_problems(session: Session) -> list[Problem]:
    """What is wrong with the saved rule set against the desk as it is now in this transaction
    (a rule naming a tier, category or calendar the configuration changed): such a rule set is
    disabled as a whole, so a configuration save must not cause it without saying so."""
    from app.services.rules.engine import compile_rule_set, stored_specs
    from app.services.rules.validation import DeskFacts

    specs, shape = stored_specs(session)
    found = [*shape, *compile_rule_set(specs, DeskFacts.load(session)).problems]
    return [
        Problem(
            "rules",
            f"rules[{problem.index}].{problem.path}",
            f'rule "{problem.rule}": {problem.message}; change the rule first (a rule set with '
            "a problem stops every rule)",
        )
        for problem in found
    ]
