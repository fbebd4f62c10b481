"""The tier board's data: each tier's open tickets as small card views, and recently resolved ones.

A board shows every open ticket at once, so ``BoardService.load`` reads them with a few set-based
queries (tiers, open tickets with their running tier clock, recent resolutions) and builds the
cards without the ORM: 100,000 open tickets load in a fraction of a second. A card carries its
tier clock's numbers (due, warning and start instants, target, used time, breached, paused), so
that a view can show the time left as it runs down without asking the database again.
``cards(ids)`` reloads only the tickets that changed.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableSequence, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Any, overload

from sqlalchemy import ColumnElement, Row, Select, String, and_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from app.models import Category, ClockKind, Priority, Ticket, TicketClock, TicketStatus, User
from app.services.clock import Clock, DatabaseClock
from app.services.database import Database
from app.services.desk import Ladder, tier_view
from app.services.dto import TierView

#: How many days back the Resolved column reaches, and how many cards it shows at most.
RESOLVED_DAYS = 7
RESOLVED_CAP = 500

FINISHED = (TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value)
_PRIORITIES = {priority.value: priority for priority in Priority}
_STATUSES = {status.value: status for status in TicketStatus}


@dataclass(frozen=True, slots=True)
class CardView:
    """One ticket as a board card. The ``clock_*`` fields describe the ticket's tier clock
    (``has_clock`` False when its tier has no target): ``clock_due_at`` is the breach instant
    while it runs (None while paused), ``clock_used_seconds`` the business time used before it
    last started running, ``clock_breached`` whether its breach was recorded. ``requester`` is
    who asked (the board's search reads it)."""

    id: int
    key: str
    title: str
    priority: Priority
    category: str
    status: TicketStatus
    tier: str
    assignee: str | None
    assignee_name: str | None
    assignee_initials: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    version: int
    has_clock: bool = False
    clock_started_at: datetime | None = None
    clock_due_at: datetime | None = None
    clock_warn_at: datetime | None = None
    clock_target_seconds: int = 0
    clock_used_seconds: int = 0
    clock_breached: bool = False
    clock_paused: bool = False
    requester: str = ""

    @property
    def is_open(self) -> bool:
        return self.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED)


@dataclass(frozen=True)
class BoardSnapshot:
    """One load of the board: the ladder, each tier's open cards (by tier code, by priority
    then age, oldest first; built as they are read, see ``CardList``) and the Resolved column
    (most recently resolved first)."""

    tiers: tuple[TierView, ...]
    columns: Mapping[str, CardList]
    resolved: tuple[CardView, ...]
    loaded_at: datetime

    def count(self, tier: str) -> int:
        return len(self.columns.get(tier, ()))


class CardList(MutableSequence[CardView]):
    """A column's cards, each built from its database row the first time it is read.

    A board of 100,000 open tickets shows a few dozen at a time; building every card up front
    would cost most of a load. Reading ``list[i]`` builds (once) and returns a ``CardView``;
    cards inserted or set are stored as they are. ``ids()`` needs no card built. Copy it
    (``copy()``) before changing one a snapshot holds.
    """

    def __init__(
        self,
        rows: Iterable[Sequence[Any]] = (),
        build: Callable[[Sequence[Any]], CardView] | None = None,
    ) -> None:
        self._rows: list[Sequence[Any] | None] = list(rows)
        self._cards: list[CardView | None] = [None] * len(self._rows)
        self._build = build
        if self._rows and build is None:
            raise ValueError("rows without a build function")

    @classmethod
    def of(cls, cards: Iterable[CardView]) -> CardList:
        made = cls()
        made._cards = list(cards)
        made._rows = [None] * len(made._cards)
        return made

    def copy(self) -> CardList:
        made = CardList()
        made._rows, made._cards, made._build = list(self._rows), list(self._cards), self._build
        return made

    def ids(self) -> list[int]:
        """The tickets' ids, in order."""
        return [
            card.id if card is not None else int(row[0])  # type: ignore[index]
            for row, card in zip(self._rows, self._cards, strict=True)
        ]

    def __len__(self) -> int:
        return len(self._cards)

    @overload
    def __getitem__(self, index: int) -> CardView: ...

    @overload
    def __getitem__(self, index: slice) -> list[CardView]: ...

    def __getitem__(self, index: int | slice) -> CardView | list[CardView]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        card = self._cards[index]
        if card is None:
            row = self._rows[index]
            assert row is not None and self._build is not None
            card = self._cards[index] = self._build(row)
            self._rows[index] = None  # the card holds it all now
        return card

    @overload
    def __setitem__(self, index: int, value: CardView) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[CardView]) -> None: ...

    def __setitem__(self, index: int | slice, value: Any) -> None:
        if isinstance(index, slice):
            cards = list(value)
            self._cards[index] = cards
            self._rows[index] = [None] * len(cards)
            return
        self._cards[index] = value
        self._rows[index] = None

    def __delitem__(self, index: int | slice) -> None:
        del self._cards[index]
        del self._rows[index]

    def insert(self, index: int, value: CardView) -> None:
        self._cards.insert(index, value)
        self._rows.insert(index, None)


def initials(name: str | None) -> str | None:
    """ "Lena Lindqvist" reads "LL", "cher" reads "CH"; None for nobody."""
    if not name:
        return None
    words = name.split()
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return words[0][:2].upper()


def card_order(card: CardView) -> tuple[Any, ...]:
    """How an open tier column is ordered: priority (P1 first), then oldest first."""
    return (card.priority.value, card.created_at, card.id)


def resolved_order(card: CardView) -> tuple[Any, ...]:
    """How the Resolved column is ordered: most recently resolved first."""
    resolved = card.resolved_at or card.updated_at
    return (-resolved.timestamp(), -card.id)


class BoardService:
    """Reads the board. ``clock`` gives "now" for the Resolved column's window (the database's
    clock by default, like every service)."""

    def __init__(
        self,
        database: Database,
        clock: Clock | None = None,
        *,
        resolved_days: int = RESOLVED_DAYS,
        resolved_cap: int = RESOLVED_CAP,
    ) -> None:
        self.database = database
        self.clock = clock or DatabaseClock()
        self.resolved_days = resolved_days
        self.resolved_cap = resolved_cap

    def load(self) -> BoardSnapshot:
        """The whole board in one read transaction: six set-based queries, none per ticket."""
        with self.database.read() as session:
            now = self.clock.now(session)
            ladder = Ladder.load(session)
            codes = {tier.id: tier.code for tier in ladder.tiers}
            builder = _CardBuilder(session, codes)
            columns = _open_rows_by_tier(session, codes)
            since = now - timedelta(days=self.resolved_days)
            resolved_query = (
                _card_query()
                .where(Ticket.status.in_(FINISHED), Ticket.resolved_at >= since)
                .order_by(Ticket.resolved_at.desc(), Ticket.id.desc())
                .limit(self.resolved_cap)
            )
            resolved = tuple(map(builder.card, session.connection().execute(resolved_query)))
            return BoardSnapshot(
                tiers=tuple(tier_view(tier) for tier in ladder.tiers),
                columns={
                    code: CardList(columns[tier_id], builder.card)
                    for tier_id, code in codes.items()
                },
                resolved=resolved,
                loaded_at=now,
            )

    def cards(self, ticket_ids: Iterable[int]) -> list[CardView]:
        """The current cards of these tickets, whatever their status (a ticket that no longer
        exists is left out): what a board needs to update only what changed."""
        wanted = sorted(set(ticket_ids))
        if not wanted:
            return []
        with self.database.read() as session:
            codes = {tier.id: tier.code for tier in Ladder.load(session).tiers}
            builder = _CardBuilder(session, codes)
            cards: list[CardView] = []
            for start in range(0, len(wanted), 500):  # stay under bind-parameter limits
                chunk = wanted[start : start + 500]
                query = _card_query().where(Ticket.id.in_(chunk)).order_by(Ticket.id)
                cards.extend(map(builder.card, session.connection().execute(query)))
            return cards


# ---------------------------------------------------------------------------------- queries
def _raw(column: Any) -> ColumnElement[Any]:
    """A column read as the driver gives it (a string on SQLite, a naive datetime on
    PostgreSQL), skipping the per-value type processing that dominates a 100,000-row read."""
    return type_coerce(column, String())


def _card_query() -> Select[Any]:
    clock = aliased(TicketClock)
    return (
        select(
            Ticket.id,
            Ticket.key,
            Ticket.title,
            _raw(Ticket.priority),
            Ticket.category_id,
            _raw(Ticket.status),
            Ticket.tier_id,
            Ticket.assignee_id,
            _raw(Ticket.created_at),
            _raw(Ticket.updated_at),
            _raw(Ticket.resolved_at),
            Ticket.version,
            clock.id,
            _raw(clock.started_at),
            _raw(clock.due_at),
            _raw(clock.warn_at),
            clock.target_seconds,
            clock.used_seconds,
            _raw(clock.running_since),
            _raw(clock.breached_at),
            Ticket.requester,
        )
        # At most one tier clock of a ticket runs (or stands paused) at a time: the one not
        # stopped. ``ix_ticket_clocks_ticket_kind`` makes the join an index lookup.
        .outerjoin(
            clock,
            and_(
                clock.ticket_id == Ticket.id,
                clock.kind == ClockKind.TIER,
                clock.stopped_at.is_(None),
            ),
        )
    )


_NOBODY: tuple[None, None, None] = (None, None, None)

_CREATED = itemgetter(8)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Hold Python's cycle collector while 100,000 rows are made: they hold no cycles, yet each
    few hundred allocations would trigger a pass over every object of the process, which on a
    desktop already showing a board doubled the load's time. Reference counting still frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _open_rows_by_tier(session: Session, codes: Mapping[int, str]) -> dict[int, list[Row[Any]]]:
    """The open tickets' rows of each tier of the ladder, as the column shows them: by
    priority, then oldest first (then by id).

    Sorted here rather than by the database, which would sort 100,000 rows with a temporary
    B-tree: the rows come by id, are split by tier and priority, and each part is sorted by its
    creation instant alone; the sort is stable, so equal instants stay in id order. (SQLite's
    instants are ISO strings of one width, which sort as the instants do.)"""
    parts: dict[int, dict[str, list[Row[Any]]]] = {
        tier_id: {priority: [] for priority in _PRIORITIES} for tier_id in codes
    }
    query = _card_query().where(Ticket.status.not_in(FINISHED)).order_by(Ticket.id)
    with _cyclic_gc_paused():
        rows = session.connection().execute(query).all()
    for row in rows:
        by_priority = parts.get(row[6])
        if by_priority is not None:  # tickets at a retired tier are on no column
            by_priority[row[3]].append(row)
    columns: dict[int, list[Row[Any]]] = {}
    for tier_id, by_priority in parts.items():
        columns[tier_id] = []
        for priority in sorted(by_priority):
            by_priority[priority].sort(key=_CREATED)
            columns[tier_id] += by_priority[priority]
    return columns


def _instant(value: Any) -> datetime | None:
    """A raw stored instant (naive UTC: an ISO string from SQLite, a datetime from
    PostgreSQL) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class _CardBuilder:
    """Turns result rows into cards, with the desk's few categories and people looked up once."""

    def __init__(self, session: Session, tier_codes: Mapping[int, str]) -> None:
        self.tier_codes = tier_codes
        self.categories: dict[int, str] = {
            category_id: name
            for category_id, name in session.execute(select(Category.id, Category.name)).tuples()
        }
        self.people: dict[int, tuple[str, str, str | None]] = {
            user_id: (login, name, initials(name))
            for user_id, login, name in session.execute(
                select(User.id, User.login, User.display_name)
            ).tuples()
        }

    def card(self, row: Sequence[Any]) -> CardView:
        """The card of one row of ``_card_query``."""
        (
            ticket_id,
            key,
            title,
            priority,
            category_id,
            status,
            tier_id,
            assignee_id,
            created_at,
            updated_at,
            resolved_at,
            version,
            clock_id,
            started_at,
            due_at,
            warn_at,
            target,
            used,
            running_since,
            breached_at,
            requester,
        ) = row
        instant = _instant
        login, name, letters = self.people.get(assignee_id, _NOBODY) if assignee_id else _NOBODY
        created = instant(created_at)
        assert created is not None
        # Positional: a keyword call of a 22-field frozen dataclass costs twice as much,
        # which shows at 100,000 cards. The order is CardView's field order.
        return CardView(
            ticket_id,
            key,
            title,
            _PRIORITIES[priority],
            self.categories.get(category_id, ""),
            _STATUSES[status],
            self.tier_codes.get(tier_id, "?"),
            login,
            name,
            letters,
            created,
            instant(updated_at) or created,
            instant(resolved_at),
            version,
            clock_id is not None,
            instant(started_at),
            instant(due_at),
            instant(warn_at),
            target or 0,
            used or 0,
            breached_at is not None,
            clock_id is not None and running_since is None,
            requester or "",
        )


__all__ = [
    "RESOLVED_CAP",
    "RESOLVED_DAYS",
    "BoardService",
    "BoardSnapshot",
    "CardList",
    "CardView",
    "card_order",
    "initials",
    "resolved_order",
]
