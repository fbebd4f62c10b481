"""Export and import of the whole configuration as a file (``config export`` / ``config import``).

An import is all or nothing: the file is read and checked as a whole against the desk, in the
transaction that writes it; any problem refuses it with every problem listed (its path in the
file and what is wrong) and the database untouched. Importing the file a desk exported changes
nothing.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.services.clock import Clock
from app.services.configuration.checks import StoredFacts, check_configuration
from app.services.configuration.file_format import configuration_to_data, draft_from_data
from app.services.configuration.rules_section import (
    export_rules,
    import_rules,
    rules_shape_problems,
)
from app.services.configuration.service import (
    ConfigurationInvalid,
    ConfigurationService,
    SaveResult,
    require_editor,
)
from app.services.configuration.snapshot import Problem, load_configuration
from app.services.database import Database, serialise_setup_changes
from app.services.desk import lock_tiers


class ConfigurationFiles:
    """Turns the desk's configuration into file data and applies file data to the desk."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.service = ConfigurationService(database, clock)

    def export_data(self) -> dict[str, Any]:
        """Everything a desk's set-up is, rules included where the rules engine is installed."""
        with self.database.read() as session:
            return configuration_to_data(load_configuration(session), export_rules(session))

    def import_data(self, actor: str | None, data: Any) -> SaveResult:
        """Make the desk's configuration the file's, or refuse with every problem listed.
        ``actor`` must be a supervisor or admin (on a desk without people yet: anyone)."""
        with self.database.write() as session:
            actor_id = require_editor(session, actor)
            serialise_setup_changes(session)
            lock_tiers(session)  # as ``ConfigurationService.save`` does
            facts = StoredFacts.read(session)
            draft, problems = draft_from_data(data, facts.stored)
            problems += _not_yet_reported(check_configuration(draft, facts), problems)
            rules = data.get("rules") if isinstance(data, dict) else None
            if rules is not None:
                problems += rules_shape_problems(rules)
            if problems:
                raise ConfigurationInvalid(problems, "the file")
            result = self.service.save_in(session, facts, draft, actor_id)
            if rules is None:
                return result
            # the rules are checked against the desk as the file leaves it, written above
            rule_problems, rule_change = import_rules(
                session, actor, rules, self.service.clock.now(session)
            )
            if rule_problems:
                raise ConfigurationInvalid(rule_problems, "the file")
            if rule_change is None:
                return result
            return replace(result, changes=(*result.changes, rule_change))


def _not_yet_reported(found: list[Problem], reported: list[Problem]) -> list[Problem]:
    """``found`` less problems at a field (or inside one) the file's reading already reported:
    a value that could not be read is not also "empty"."""
    fields = {problem.field for problem in reported}

    def covered(where: str) -> bool:
        return any(where == f or where.startswith((f + ".", f + "[")) for f in fields)

    return [problem for problem in found if not covered(problem.field)]
