"""Median and 90th percentile per group, in SQL that SQLite runs too (it has no
``percentile_cont``): each group's values are ranked with ``ROW_NUMBER`` and counted with
``COUNT`` over the same window (one sort), and only the few rows around each wanted rank come
back. The result is ``percentile_cont``'s: linear interpolation between the two nearest ranks
(PostgreSQL, which has ``percentile_cont``, computes the same figures with it, in one sort)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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
