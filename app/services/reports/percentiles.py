"""Median and 90th percentile per group, in SQL that SQLite runs too (it has no
``percentile_cont``): each group's values are ranked with ``ROW_NUMBER`` and counted with
``COUNT`` over the same window (one sort), and only the few rows around each wanted rank come
back. The result is ``percentile_cont``'s: linear interpolation between the two nearest ranks.

PostgreSQL has ``percentile_cont`` and computes the same figures with it, in one sort. On
SQLite, whose window functions cost twice the sort itself, the values are sorted once into a
temporary table whose row ids are then their ranks, and the few wanted ranks are read by key.
The window form stays for any other database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.reports.scope import ReportScope

MEDIAN, P90 = 0.5, 0.9


@dataclass(frozen=True)
class Spread:
    count: int
    median: float
    p90: float


def spreads(
    session: Session, scope: ReportScope, ctes: str, values: str, **binds: Any
) -> dict[Any, Spread]:
    """``{group: Spread}`` for ``values``, a SELECT of ``(grp, value)`` rows that may use the
    common table expressions ``ctes`` (without ``WITH``; empty for none)."""
    # rank p * (n - 1) + 1 lies strictly between these bounds; whole numbers keep PostgreSQL
    # off numeric arithmetic (a share of ``tenths`` / 10)
    wanted = " OR ".join(
        f"(rn * 10 > {tenths} * (n - 1) - 10 AND rn * 10 < {tenths} * (n - 1) + 30)"
        for tenths in (round(MEDIAN * 10), round(P90 * 10))
    )
    prefix = f"{ctes}," if ctes else ""
    if scope.dialect == "postgresql":
        return _native(session, scope, prefix, values, binds)
    if scope.dialect == "sqlite":
        return _ranked_in_temp_table(session, scope, prefix, values, binds)
    rows = scope.run(
        session,
        f"""WITH {prefix}
        measured AS ({values}),
        ranked AS (
            SELECT grp, value,
                ROW_NUMBER() OVER ordered AS rn,
                COUNT(*) OVER (ordered ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                    AS n
            FROM measured WHERE value IS NOT NULL
            WINDOW ordered AS (PARTITION BY grp ORDER BY value)
        )
        SELECT grp, n, rn, value FROM ranked WHERE {wanted}""",
        **binds,
    )
    ranks: dict[Any, dict[int, float]] = {}
    counts: dict[Any, int] = {}
    for group, count, rank, value in rows:
        ranks.setdefault(group, {})[int(rank)] = float(value)
        counts[group] = int(count)
    return {
        group: Spread(count, _at(ranks[group], count, MEDIAN), _at(ranks[group], count, P90))
        for group, count in counts.items()
    }


def _at(by_rank: dict[int, float], count: int, share: float) -> float:
    position = 1 + share * (count - 1)
    low = math.floor(position + 1e-9)
    fraction = position - low
    if fraction <= 1e-9 or low + 1 not in by_rank:
        return by_rank[low]
    return by_rank[low] + fraction * (by_rank[low + 1] - by_rank[low])


def _native(
    session: Session, scope: ReportScope, prefix: str, values: str, binds: dict[str, Any]
) -> dict[Any, Spread]:
    rows = scope.run(
        session,
        f"""WITH {prefix}
        measured AS ({values})
        SELECT grp, COUNT(*),
            percentile_cont(ARRAY[{MEDIAN}, {P90}]) WITHIN GROUP (ORDER BY value)
        FROM measured WHERE value IS NOT NULL GROUP BY grp""",
        **binds,
    )
    return {group: Spread(int(count), float(p[0]), float(p[1])) for group, count, p in rows}


def _ranked_in_temp_table(
    session: Session, scope: ReportScope, prefix: str, values: str, binds: dict[str, Any]
) -> dict[Any, Spread]:
    """Sorted once into ``temp.report_ranks`` (private to this connection, dropped after):
    row id = rank over (group, value), so a group is a run of consecutive ids, found by
    bisecting on ids, and a rank within it is one lookup by key."""
    session.execute(text("DROP TABLE IF EXISTS temp.report_ranks"))
    session.execute(text("CREATE TEMP TABLE report_ranks (rank INTEGER PRIMARY KEY, grp, value)"))
    try:
        statement = f"""WITH {prefix} measured AS ({values})
            INSERT INTO temp.report_ranks (grp, value)
            SELECT grp, value FROM measured WHERE value IS NOT NULL ORDER BY grp, value"""
        session.execute(scope.sql(statement), scope.params(**binds))
        return _spreads_from_ranks(session)
    finally:
        session.execute(text("DROP TABLE temp.report_ranks"))


def _spreads_from_ranks(session: Session) -> dict[Any, Spread]:
    def at(rank: int) -> tuple[Any, float]:
        row = session.execute(
            text("SELECT grp, value FROM temp.report_ranks WHERE rank = :rank"), {"rank": rank}
        ).one()
        return row[0], float(row[1])

    last = session.scalar(text("SELECT MAX(rank) FROM temp.report_ranks")) or 0
    found: dict[Any, Spread] = {}
    first = 1
    while first <= last:
        group = at(first)[0]
        low, high = first, last  # the group's last rank: the highest rank still in it
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if at(middle)[0] == group else (low, middle - 1)
        count = low - first + 1
        by_rank = {}
        for share in (MEDIAN, P90):
            position = math.floor(1 + share * (count - 1) + 1e-9)
            for rank in (position, position + 1):
                if rank <= count:
                    by_rank[rank] = at(first + rank - 1)[1]
        found[group] = Spread(count, _at(by_rank, count, MEDIAN), _at(by_rank, count, P90))
        first = low + 1
    return found
