"""The configuration service: load the desk's set-up, check a draft, save it in one transaction.

How a dialog uses it::

    snapshot = service.load()                     # anyone may read
    draft = replace(snapshot, tiers=...)          # or the helpers of ``edits``
    problems = service.check(draft)               # every problem, each at its field
    result = service.save("sara", snapshot, draft)

``save`` checks again inside its transaction and refuses with ``ConfigurationConflict`` when the
stored configuration is no longer ``snapshot`` (someone saved meanwhile; the error lists what
they changed), with ``ConfigurationInvalid`` listing every problem, or with ``NotAllowed`` for
anyone but supervisors and admins. Whatever it refuses, nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Role, User
from app.services.clock import Clock, DatabaseClock
from app.services.configuration.apply import apply_configuration
from app.services.configuration.audit import authors_since, record_changes
from app.services.configuration.checks import StoredFacts, check_configuration
from app.services.configuration.differences import describe_changes
from app.services.configuration.rules_section import stored_rule_problems
from app.services.configuration.snapshot import DeskConfiguration, Problem, load_configuration
from app.services.database import Database, serialise_setup_changes
from app.services.desk import find_user, lock_tiers
from app.services.errors import ConflictError, InvalidInput, NotAllowed, TierDeskError

#: Who may change the configuration; everyone else may read it.
EDITING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class ConfigurationInvalid(InvalidInput):
    """A draft (or file) with problems; ``problems`` lists every one, each at its field.
    ``field`` and ``message`` are the first problem's; ``str()`` lists them all."""

    def __init__(self, problems: Sequence[Problem], what: str = "the configuration") -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        super().__init__(first.field, first.message)
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        plural = "s" if count != 1 else ""
        self.args = (f"{what}: {count} problem{plural}; nothing was saved:\n{lines}",)

    def __str__(self) -> str:
        return str(self.args[0])


class ConfigurationConflict(ConflictError):
    """Someone saved the configuration after the writer loaded it; nothing was written.
    ``changes`` says, one line each, what they changed."""

    def __init__(self, changes: Sequence[str]) -> None:
        lines = [
            "the configuration was changed by someone else since you loaded it; nothing was "
            "saved. Their changes:",
            *(f"  {line}" for line in changes),
        ]
        TierDeskError.__init__(self, "\n".join(lines))
        self.ticket_key = "configuration"
        self.expected_version = 0
        self.current_version = 0
        self.changes = tuple(changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class SaveResult:
    """The configuration as saved and what the save changed, one line each (none: a no-op)."""

    configuration: DeskConfiguration
    changes: tuple[str, ...]


#: Extra checks and writes run in the save's transaction (the rules section of a file).
ExtraStep = Callable[[Session], list[Problem]]


class ConfigurationService:
    """Loads, checks and saves the desk's configuration (see the module's docstring)."""

    def __init__(self, database: Database, clock: Clock | None = None) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()

    def load(self) -> DeskConfiguration:
        with self.database.read() as session:
            return load_configuration(session)

    def may_edit(self, login: str) -> bool:
        """Whether this person may save (supervisors and admins); others see it read-only."""
        with self.database.read() as session:
            user = find_user(session, login)
            return user.active and user.role in EDITING_ROLES

    def check(self, draft: DeskConfiguration) -> list[Problem]:
        """Every problem of ``draft`` against the database as it is now; empty: it would save."""
        with self.database.read() as session:
            return check_configuration(draft, StoredFacts.read(session))

    def save(
        self, actor: str, read_snapshot: DeskConfiguration, draft: DeskConfiguration
    ) -> SaveResult:
        """Write ``draft`` in one transaction, if nobody saved since ``read_snapshot``."""
        with self.database.write() as session:
            actor_id = require_editor(session, actor)
            serialise_setup_changes(session)
            lock_tiers(session)  # changes placing tickets hold them (``Ladder.held``): wait
            facts = StoredFacts.read(session)
            if facts.stored != read_snapshot:
                authors = authors_since(session, read_snapshot.revision)
                raise ConfigurationConflict(
                    [
                        f"{authors[line]} {line}" if line in authors else line
                        for line in describe_changes(read_snapshot, facts.stored)
                    ]
                )
            rules_before = stored_rule_problems(session)
            result = self.save_in(session, facts, draft, actor_id)
            broken = [p for p in stored_rule_problems(session) if p not in rules_before]
            if broken:  # the rules would stop: refused, and the transaction rolls back
                raise ConfigurationInvalid(broken)
            return result

    def save_in(
        self,
        session: Session,
        facts: StoredFacts,
        draft: DeskConfiguration,
        actor_id: int | None,
        extra_problems: Sequence[Problem] = (),
    ) -> SaveResult:
        """The save's work in the caller's write transaction, set-up changes serialised:
        check (with any ``extra_problems`` found by the caller), then write."""
        problems = [*check_configuration(draft, facts), *extra_problems]
        if problems:
            raise ConfigurationInvalid(problems)
        if draft == facts.stored:
            return SaveResult(facts.stored, ())
        apply_configuration(session, facts.stored, draft, self.clock)
        changes = describe_changes(facts.stored, load_configuration(session))
        record_changes(session, actor_id, self.clock.now(session), changes)
        return SaveResult(load_configuration(session), tuple(changes))


def require_editor(session: Session, actor: str | None) -> int | None:
    """Refuse anyone but an active supervisor or admin. A desk without any people yet (just
    created) takes its first set-up from anyone: there is nobody to protect it from."""
    if actor is None and not session.scalar(select(func.count()).select_from(User)):
        return None
    if actor is None:
        raise InvalidInput("--as", "name the supervisor or admin making this change")
    if "\x00" in actor:  # not text: no login has it (and PostgreSQL refuses to look it up)
        raise InvalidInput("--as", "a login contains no NUL character (byte 0x00)")
    user = find_user(session, actor)
    if not user.active or user.role not in EDITING_ROLES:
        state = user.role.value if user.active else f"inactive {user.role.value}"
        raise NotAllowed(
            f"{user.login} ({state}) may only read the desk's configuration; "
            "supervisors and admins change it"
        )
    return user.id
