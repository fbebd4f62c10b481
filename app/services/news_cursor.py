"""Where a reader of an append-only table (SLA alerts, rule notices) is, so that it shows every
new row once, including rows that commit late.

Ids are handed out when a row is written, not when its transaction commits: on PostgreSQL a
transaction holding id 100 can commit after another one's id 105 has been read, and a reader
that asks only for ids above the highest it has seen would never show 100. So the reader asks
for every id above a *settled* mark, leaving out those it has shown. The mark moves to the
table's highest id as it was ``settle_seconds`` ago: every transaction that held a lower id then
has finished by now (the app's writes take seconds; ten minutes is the default margin). The ids
shown above the mark are remembered until the mark passes them.

Qt-free and free of the database: the caller reads the table's highest id (its *horizon*) and
the rows, and tells the cursor what it found (``advance``).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable

#: How long after a row's id was seen as the table's highest every lower id has committed.
DEFAULT_SETTLE_SECONDS = 600.0


class NewsCursor:
    """A reader's place in one append-only table; see the module docstring."""

    def __init__(
        self,
        start_id: int,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """Start after ``start_id``: rows up to it are history, not news."""
        self._settled = start_id
        self._settle_seconds = settle_seconds
        self._monotonic = monotonic
        self._shown: set[int] = set()
        self._horizons: deque[tuple[float, int]] = deque()

    @property
    def after_id(self) -> int:
        """Ask for ids above this one..."""
        return self._settled

    @property
    def shown(self) -> frozenset[int]:
        """...except these, shown already."""
        return frozenset(self._shown)

    def advance(self, horizon: int, found: Iterable[int]) -> list[int]:
        """Record a reading: ``horizon`` is the table's highest id, read before the rows, and
        ``found`` the ids read. Returns those of ``found`` not shown before, in order (a
        reading begun before the previous one was recorded may repeat ids)."""
        fresh = sorted(set(found) - self._shown)
        self._shown.update(fresh)
        now = self._monotonic()
        self._horizons.append((now, horizon))
        while self._horizons and now - self._horizons[0][0] >= self._settle_seconds:
            _, settled = self._horizons.popleft()
            self._settled = max(self._settled, settled)
        self._shown = {shown for shown in self._shown if shown > self._settled}
        return fresh
