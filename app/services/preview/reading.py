"""What previews and replays read, as plain objects, in a transaction that cannot write.

- ``read_only``: turns the read transaction read-only at the database (PostgreSQL ``SET
  TRANSACTION READ ONLY``, SQLite ``PRAGMA query_only``), so that no code path of a preview
  can write, whatever it calls.
- ``DeskData``: the ladder (every tier, retired ones too, for old history), names by id.
- ``draft_rule_set``: a draft rule set checked (shape, references, loops) and compiled.
- ``DraftPolicy`` / ``policy_terms``: a draft SLA change merged over the current policy.
- ``stream_events``: the history of a set of tickets in one streamed query, ordered by ticket
  and id, straight from the driver (an ORM object per event costs ten times the replay).
- ``TermsSession``: hands ``ClockKeeper`` the terms it measures against without a database.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.models import (
    CalendarRecord,
    ClockKind,
    EventKind,
    MoveReason,
    Priority,
    SlaPolicy,
    Tier,
)
from app.services.business_time import BusinessCalendar
from app.services.desk import Ladder
from app.services.errors import InvalidInput
from app.services.rules.definition import RuleSpec
from app.services.rules.engine import RuleSet, compile_rule_set
from app.services.rules.service import problems_of
from app.services.rules.validation import DeskFacts, InvalidRuleSet
from app.services.sla_policy import PolicyTerms, calendar_of, checked_minutes, current_terms

#: The id a draft policy's terms go by (no stored policy has a negative id).
DRAFT_POLICY_ID = -1
EVENT_COLUMNS = (
    "id", "ticket_id", "ticket_version", "kind", "at", "actor_id", "reason", "rule_id",
    "from_tier_id", "to_tier_id", "field", "new_value", "details",
)  # fmt: skip
_KINDS = {kind.value: kind for kind in EventKind}
_REASONS = {reason.value: reason for reason in MoveReason}
FETCH = 20_000


@contextmanager
def read_only(session: Session) -> Iterator[None]:
    """Make the caller's read transaction refuse writes for as long as it lasts."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET TRANSACTION READ ONLY"))
        yield
        return
    session.execute(text("PRAGMA query_only = ON"))
    try:
        yield
    finally:
        # A reader connection left query-only would still only read; a failure here must not
        # hide the error that ended the preview.
        with contextlib.suppress(SQLAlchemyError):
            session.execute(text("PRAGMA query_only = OFF"))


@dataclass(frozen=True)
class DeskData:
    """The desk as a replay needs it: ``ladder`` the active tiers (moves go up and down it),
    ``every_tier`` all of them (history may name a retired tier), names by id."""

    ladder: Ladder
    every_tier: Ladder
    facts: DeskFacts
    tier_code: Mapping[int, str]
    tier_position: Mapping[int, int]
    tier_id: Mapping[str, int]
    category_name: Mapping[int, str]
    login: Mapping[int, str]
    user_id: Mapping[str, int]

    @classmethod
    def load(cls, session: Session) -> DeskData:
        tiers = tuple(session.scalars(select(Tier).order_by(Tier.position, Tier.id)))
        facts = DeskFacts.load(session)
        logins = dict(facts.user_ids)
        return cls(
            ladder=Ladder.load(session),
            every_tier=Ladder(tiers),
            facts=facts,
            tier_code={tier.id: tier.code for tier in tiers},
            tier_position={tier.id: tier.position for tier in tiers},
            tier_id={tier.code: tier.id for tier in tiers if not tier.retired},
            category_name=dict(facts.category_ids),
            login=logins,
            user_id={login: user_id for user_id, login in logins.items()},
        )

    def code(self, tier_id: int | None) -> str:
        return "" if tier_id is None else self.tier_code.get(tier_id, f"#{tier_id}")

    def next_up(self, tier_id: int) -> Tier | None:
        """The tier above on the active ladder (None at the top, or off the ladder)."""
        tiers = self.ladder.tiers
        for index, tier in enumerate(tiers[:-1]):
            if tier.id == tier_id:
                return tiers[index + 1]
        return None


def draft_rule_set(specs: Sequence[RuleSpec], desk: DeskFacts) -> RuleSet:
    """``specs`` checked as a save would check them (refused with every problem listed) and
    compiled. Rules not saved yet get ids of their own (negative), so that time triggers can
    name them."""
    problems = problems_of(specs, desk)
    if problems:
        raise InvalidRuleSet(problems)
    named = [
        spec if spec.id is not None else replace(spec, id=-(index + 1))
        for index, spec in enumerate(specs)
    ]
    return compile_rule_set(named, desk)


# ------------------------------------------------------------------------ SLA policy drafts
@dataclass(frozen=True)
class DraftPolicy:
    """A draft SLA change, in the form ``SlaPolicy.targets`` stores: ``{"tier": {tier:
    {priority: minutes}}, "response": {...}, "customer": {"first_response" | "resolution":
    {priority: minutes}}}``, tiers named by code (or by id, as stored). Only the targets named
    change; the others, the calendar and (when ``warning_percent`` is None) the warning share
    stay as in the current policy."""

    targets: Mapping[str, Any]
    warning_percent: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> DraftPolicy:
        """``{"targets": {...}, "warning_percent": 80}``, or just the targets."""
        if not isinstance(data, Mapping):
            raise InvalidInput("policy", "a draft policy is a JSON object of targets")
        if "targets" in data:
            unknown = set(data) - {"targets", "warning_percent"}
            if unknown:
                raise InvalidInput(f"policy.{sorted(unknown)[0]}", "unknown field")
            percent = data.get("warning_percent")
            if percent is not None and (not isinstance(percent, int) or isinstance(percent, bool)):
                raise InvalidInput("policy.warning_percent", f"{percent!r} is not a whole number")
            return cls(data["targets"], percent)
        return cls(data)


_TABLES = {"tier": ClockKind.TIER, "response": ClockKind.TIER_RESPONSE}


def policy_terms(session: Session, draft: DraftPolicy | None, desk: DeskData) -> PolicyTerms:
    """The current policy's terms, or ``draft`` merged over them (as ``DRAFT_POLICY_ID``)."""
    current = current_terms(session)
    if current is None:
        raise InvalidInput("policy", "this desk has no SLA policy")
    if draft is None:
        return current
    minutes = dict(current.minutes)
    targets = draft.targets
    if not isinstance(targets, Mapping):
        raise InvalidInput("targets", "must be an object of tier, response and customer targets")
    for key, rows in targets.items():
        if key not in ("tier", "response", "customer"):
            raise InvalidInput(f"targets.{key}", "unknown table (tier, response, customer)")
        if not isinstance(rows, Mapping):
            raise InvalidInput(f"targets.{key}", "must be an object of rows")
        for row, by_priority in rows.items():
            where = f"targets.{key}.{row}"
            if key == "customer":
                if row not in (ClockKind.FIRST_RESPONSE.value, ClockKind.RESOLUTION.value):
                    raise InvalidInput(where, "not a customer clock (first_response, resolution)")
                kind, tier_id = ClockKind(row), None
            else:
                kind, tier_id = _TABLES[key], _tier_of(str(row), desk, where)
            for priority, value in _checked(where, by_priority).items():
                minutes[kind, tier_id, Priority(priority)] = value
    percent = current.warning_percent if draft.warning_percent is None else draft.warning_percent
    if not 1 <= percent <= 99:
        raise InvalidInput("warning_percent", f"{percent} is not between 1 and 99")
    return replace(
        current, policy_id=DRAFT_POLICY_ID, name=f"{current.name} (draft)", minutes=minutes,
        warning_percent=percent,
    )  # fmt: skip


def _tier_of(row: str, desk: DeskData, where: str) -> int:
    if row.isdigit() and int(row) in desk.tier_code:
        return int(row)
    code = desk.facts.tier(row)
    if code is None:
        known = ", ".join(desk.facts.tiers)
        raise InvalidInput(where, f"no active tier called {row!r} (tiers: {known})")
    return desk.tier_id[code]


def _checked(where: str, by_priority: Any) -> dict[str, int]:
    if not isinstance(by_priority, Mapping):
        raise InvalidInput(where, "must be an object of priority: minutes")
    return checked_minutes(where, by_priority)


def calendar_named(session: Session, name: str | None) -> BusinessCalendar | None:
    if name is None:
        return None
    record = session.scalars(select(CalendarRecord).where(CalendarRecord.name == name)).one()
    return calendar_of(record)


def current_policy_id(session: Session) -> int | None:
    return session.scalar(
        select(SlaPolicy.id).where(SlaPolicy.current.is_(True)).order_by(SlaPolicy.id.desc())
    )


class TermsSession:
    """What ``ClockKeeper`` asks of its session, and nothing else: the terms of the policies it
    measures against (``session.info``, as ``sla_policy.terms_of`` caches them) and which one is
    current. A replay runs the real clock rules against the current policy or a draft, with no
    database behind them."""

    def __init__(self, terms: Sequence[PolicyTerms], current: PolicyTerms | None) -> None:
        self.info: dict[str, Any] = {
            "sla_terms": {t.policy_id: t for t in terms},
            "sla_current": None if current is None else current.policy_id,
        }

    def get_one(self, *_args: Any) -> Any:
        raise LookupError("a replay measures only against the policies it was given")

    def as_session(self) -> Session:
        return cast(Session, self)


def only_clocks(terms: PolicyTerms, kinds: frozenset[ClockKind]) -> PolicyTerms:
    """``terms`` running only clocks of ``kinds`` (the others have no target, so none start):
    a replay measures the tier clocks, and what time rules look at."""
    return replace(terms, minutes={k: v for k, v in terms.minutes.items() if k[0] in kinds})


# ------------------------------------------------------------------------------- history
@dataclass(slots=True)
class RecordedEvent:
    """A history event as a plain object, with the columns of ``TicketEvent`` that ``history``
    and ``ClockInputs`` read, ``details`` decoded only when asked for."""

    id: int
    ticket_id: int
    ticket_version: int
    kind: EventKind
    at: datetime
    actor_id: int | None
    reason: MoveReason | None
    rule_id: int | None
    from_tier_id: int | None
    to_tier_id: int | None
    field: str | None
    new_value: str | None
    raw_details: Any

    @property
    def details(self) -> dict[str, Any] | None:
        raw = self.raw_details
        decoded = json.loads(raw) if isinstance(raw, str) else raw
        return cast(dict[str, Any] | None, decoded)


def stream_events(
    session: Session, ticket_filter: str, params: dict[str, Any]
) -> Generator[RecordedEvent, None, None]:
    """The events of the tickets ``ticket_filter`` (SQL on ``tickets``) selects, ordered by
    ticket, version and id (the order of the index on ticket and version), fetched in chunks
    (a server-side cursor on PostgreSQL)."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    sql = (
        f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM ticket_events e "
        f"JOIN tickets t ON t.id = e.ticket_id WHERE {ticket_filter} "
        "ORDER BY e.ticket_id, e.ticket_version, e.id"
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    if sqlite:
        cursor = driver.cursor()
        cursor.execute(sql.replace("%(", ":").replace(")s", ""), params)
        moment: Callable[[Any], datetime] = _utc_from_text
    else:
        cursor = driver.cursor(name="tierdesk_replay")
        cursor.execute(sql, params)
        moment = _utc_from_naive
    kinds, reasons = _KINDS, _REASONS
    try:
        while rows := cursor.fetchmany(FETCH):
            for row in rows:
                reason = row[6]
                yield RecordedEvent(
                    row[0], row[1], row[2], kinds[row[3]], moment(row[4]), row[5],
                    None if reason is None else reasons[reason], row[7], row[8], row[9],
                    row[10], row[11], row[12],
                )  # fmt: skip
    finally:
        cursor.close()


def _utc_from_text(stored: str) -> datetime:
    return datetime.fromisoformat(stored + "+00:00")  # five times faster than .replace()


def _utc_from_naive(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC)


def stored_instant(session: Session, instant: datetime) -> Any:
    """An instant as the database compares it: naive UTC (on SQLite in SQLAlchemy's text
    form, which is how ``UtcDateTime`` stores it)."""
    naive = instant.astimezone(UTC).replace(tzinfo=None)
    if session.get_bind().dialect.name == "sqlite":
        return naive.strftime("%Y-%m-%d %H:%M:%S.%f")
    return naive
