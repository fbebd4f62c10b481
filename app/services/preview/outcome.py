"""What a replay adds up as it goes, and the tables it reports: open tickets per tier per day
(actual and replayed) and the share of tier clocks met per tier (actual and replayed), in the
reports' table contract; and the matching of actual and replayed moves."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from app.models import ClockKind
from app.services.preview.reading import DeskData
from app.services.preview_results import ReplayedMove
from app.services.report_tables import ChartKind, ChartSpec, Column, ColumnKind, ReportTable
from app.services.sla_clocks import AnyClock

ACTUAL, REPLAYED = 0, 1
#: A replayed move and an actual one between the same tiers this close in time are the same
#: move (the escalation pass and the time rules act seconds after the instant they are due).
SAME_MOVE = timedelta(minutes=15)


class Tally:
    """Open tickets per tier at each day's sample instant (``samples``: one a day, the last at
    the replay's end), kept as difference arrays of open stretches so that a ticket costs one
    step per change of its tier or openness, not one per day; and tier clocks met per tier."""

    def __init__(self, start: datetime, end: datetime, days: int) -> None:
        self.start, self.end = start, end
        self.samples = [end - timedelta(days=days - 1 - k) for k in range(days)]
        self.steps: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})
        self.clocks: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})

    def stretch(self, track: int, tier_id: int | None, since: datetime, until: datetime) -> None:
        """The ticket was open at ``tier_id`` from ``since`` up to (not including) ``until``."""
        if tier_id is None:
            return
        first = bisect_left(self.samples, since)
        last = bisect_left(self.samples, until) if until <= self.end else len(self.samples)
        if first >= last:
            return
        steps = self.steps[track].get(tier_id)
        if steps is None:
            steps = self.steps[track][tier_id] = [0] * (len(self.samples) + 1)
        steps[first] += 1
        steps[last] -= 1

    def clock(self, track: int, tier_id: int, met: bool) -> None:
        """One tier clock decided in the window: met, or breached."""
        counts = self.clocks[track].setdefault(tier_id, [0, 0])
        counts[0] += 1
        counts[1] += met

    def absorb(self, other: Tally) -> None:
        """Add another share's tally (same window) to this one."""
        for mine, theirs in zip(self.steps + self.clocks, other.steps + other.clocks, strict=True):
            for tier_id, counts in theirs.items():
                kept = mine.get(tier_id)
                if kept is None:
                    mine[tier_id] = list(counts)
                else:
                    kept[:] = [a + b for a, b in zip(kept, counts, strict=True)]

    def count_clocks(self, track: int, clocks: Iterable[AnyClock]) -> None:
        """Tier clocks decided in the window: stopped in it (met unless breached), or still
        running at its end past their due instant (breached)."""
        for clock in clocks:
            if clock.kind != ClockKind.TIER or clock.tier_id is None:
                continue
            if clock.stopped_at is not None:
                if self.start <= clock.stopped_at <= self.end:
                    self.clock(track, clock.tier_id, clock.breached_at is None)
            elif clock.breached_at is not None or (
                clock.due_at is not None and clock.due_at <= self.end
            ):
                self.clock(track, clock.tier_id, False)

    def distribution(self, desk: DeskData, note: str) -> ReportTable:
        tiers = self._tiers(desk, self.steps)
        columns = [Column("day", "Day", ColumnKind.DATE)]
        for tier_id in tiers:
            code = desk.code(tier_id)
            columns += [
                Column(f"{code}_actual", f"{code} actual", ColumnKind.COUNT),
                Column(f"{code}_replayed", f"{code} replayed", ColumnKind.COUNT),
            ]
        running = {(track, t): 0 for track in (ACTUAL, REPLAYED) for t in tiers}
        rows = []
        for index, sample in enumerate(self.samples):
            row: list[object] = [sample.date()]
            for tier_id in tiers:
                for track in (ACTUAL, REPLAYED):
                    steps = self.steps[track].get(tier_id)
                    running[track, tier_id] += steps[index] if steps else 0
                    row.append(running[track, tier_id])
            rows.append(tuple(row))
        return ReportTable(
            key="replay_distribution",
            title="Open tickets by tier, actual and replayed",
            description=(
                "Open tickets at each tier once a day (at the replay's end time of day), as they "
                f"were and as they would have been under the draft. {note}"
            ),
            columns=tuple(columns),
            rows=tuple(rows),
            chart=ChartSpec(
                ChartKind.LINE, "day", tuple(c.key for c in columns[1:]), "open tickets"
            ),
        )

    def compliance(self, desk: DeskData) -> ReportTable:
        tiers = self._tiers(desk, self.clocks)
        rows = []
        for tier_id in tiers:
            actual = self.clocks[ACTUAL].get(tier_id, [0, 0])
            replayed = self.clocks[REPLAYED].get(tier_id, [0, 0])
            rows.append(
                (
                    desk.code(tier_id),
                    actual[0],
                    _share(actual),
                    replayed[0],
                    _share(replayed),
                )  # fmt: skip
            )
        return ReportTable(
            key="replay_compliance",
            title="Tier clocks met, actual and replayed",
            description=(
                "Of the tier clocks decided in the replayed days (stopped in them, or running "
                "past their due instant at the end), the share met, as it was and as it would "
                "have been under the draft; both measured against the same policy terms."
            ),
            columns=(
                Column("tier", "Tier", ColumnKind.TEXT),
                Column("actual_clocks", "Clocks (actual)", ColumnKind.COUNT),
                Column("actual_met", "Met (actual)", ColumnKind.SHARE),
                Column("replayed_clocks", "Clocks (replayed)", ColumnKind.COUNT),
                Column("replayed_met", "Met (replayed)", ColumnKind.SHARE),
            ),
            rows=tuple(rows),
            chart=ChartSpec(ChartKind.BAR, "tier", ("actual_met", "replayed_met"), "met"),
        )

    @staticmethod
    def _tiers(
        desk: DeskData, tables: tuple[dict[int, list[int]], dict[int, list[int]]]
    ) -> list[int]:
        """The active tiers in ladder order, then any retired tier the history names."""
        active = [tier.id for tier in desk.ladder.tiers]
        named = set(tables[ACTUAL]) | set(tables[REPLAYED])
        return active + sorted(named - set(active), key=lambda t: desk.tier_position.get(t, 0))


def _share(counts: Sequence[int]) -> float | None:
    return counts[1] / counts[0] if counts[0] else None


def differing_moves(
    actual: Sequence[ReplayedMove], replayed: Sequence[ReplayedMove]
) -> tuple[list[ReplayedMove], list[ReplayedMove]]:
    """(added, removed): replayed moves with no actual counterpart (same tiers, within
    ``SAME_MOVE``), and actual moves with no replayed one."""
    remaining = list(actual)
    added = []
    for move in replayed:
        for index, other in enumerate(remaining):
            if (
                other.from_tier == move.from_tier
                and other.to_tier == move.to_tier
                and abs(other.at - move.at) <= SAME_MOVE
            ):
                del remaining[index]
                break
        else:
            added.append(move)
    return added, remaining
