"""The distribution reports, computed in the database, checked figure by figure against a story
with known answers: eight tickets written through the ticket service and one escalation pass
with fixed clocks (escalations, a bounce L1 -> L2 -> L1, a vendor hand-back, a reopened ticket,
tier clocks met and breached, a breached resolution SLA). Every expected figure is computed
here again in plain Python from the story itself (``Story``), or worked out by hand where said.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.services.clock import FixedClock
from app.services.errors import InvalidInput
from app.services.escalation import EscalationService
from app.services.report_tables import DeskReport, ReportQuery
from app.services.reports import REPORT_KEYS, ReportService, ReportThresholds, report_as_json
from app.services.sla_policy import DEFAULT_TARGETS, SlaPolicyService
from tests.factories import Desk

LADDER = ("L1", "L2", "L3", "Vendor")
LOWEST = {"Password reset": "L1", "Laptop": "L2", "Database": "L3", "Printer": "L1"}
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)  # Thursday noon: the reports' "now"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# Monday 2 March 2026 onwards; the policy's office hours are Mon-Fri 08:00-18:00 UTC.
SCRIPT: list[tuple[datetime, str, str, Any]] = [
    (utc(2, 9), "create", "A", ("Password reset", "P3")),
    (utc(2, 9), "create", "B", ("Password reset", "P3")),
    (utc(2, 9), "create", "C", ("Laptop", "P2")),
    (utc(2, 9), "create", "D", ("Database", "P3")),
    (utc(2, 9), "create", "E", ("Printer", "P4")),
    (utc(2, 9), "create", "F", ("Password reset", "P3")),
    (utc(2, 9), "create", "H", ("Password reset", "P1")),
    (utc(2, 10), "resolve", "A", None),
    (utc(2, 10), "move", "D", "L2"),
    (utc(2, 10, 30), "close", "A", None),
    (utc(2, 11), "move", "B", "L2"),
    (utc(2, 11), "resolve", "F", None),
    (utc(2, 11), "move", "H", "L2"),
    (utc(2, 12), "move", "B", "L1"),  # the bounce
    (utc(2, 12), "move", "D", "L3"),
    (utc(2, 13), "resolve", "B", None),
    (utc(2, 14, 30), "move", "C", "L2"),  # L1 P2 allows 2 h: breached at 5.5 h
    (utc(2, 15), "resolve", "H", None),  # L2 P1 allows 2 h: breached at 4 h
    (utc(3, 8), "pass", "E", "L2"),  # E's L1 clock (P4, 8 h) expired Monday 17:00
    (utc(3, 9), "reopen", "F", None),
    (utc(3, 9), "move", "D", "Vendor"),
    (utc(3, 10), "resolve", "C", None),
    (utc(3, 10), "move", "F", "L2"),
    (utc(3, 11), "resolve", "F", None),
    (utc(3, 12), "move", "D", "L3"),  # the vendor hands back
    (utc(4, 9), "create", "G", ("Laptop", "P3")),
    (utc(4, 10), "move", "G", "L2"),
]


@dataclass
class Told:
    """One ticket as the story tells it."""

    category: str
    priority: str
    created: datetime
    entries: list[tuple[datetime, str]] = field(default_factory=list)  # (when, tier) entered
    finishes: list[tuple[datetime, bool]] = field(default_factory=list)  # (when, finished)
    moves: list[tuple[str, str]] = field(default_factory=list)
    reopened: int = 0

    def tier_at(self, instant: datetime) -> str:
        return [tier for at, tier in self.entries if at < instant][-1]

    def finished_at(self, instant: datetime) -> bool:
        states = [finished for at, finished in self.finishes if at < instant]
        return bool(states) and states[-1]

    @property
    def tier(self) -> str:
        return self.entries[-1][1]

    @property
    def finished(self) -> bool:
        return bool(self.finishes) and self.finishes[-1][1]

    def stints(self) -> list[tuple[str, datetime, datetime | None]]:
        """(tier, from, to) for each stay open at a tier; ``to`` None while it lasts."""
        marks = sorted(
            [(at, "enter", tier) for at, tier in self.entries]
            + [(at, "finish" if done else "reopen", None) for at, done in self.finishes],
            key=lambda mark: mark[0],
        )
        stays: list[tuple[str, datetime, datetime | None]] = []
        current: tuple[str, datetime] | None = None
        tier = self.entries[0][1]
        for at, what, entered in marks:
            if what in ("enter", "reopen"):
                if current is not None:
                    stays.append((current[0], current[1], at))
                tier = entered or tier
                current = (tier, at)
            elif current is not None:
                stays.append((current[0], current[1], at))
                current = None
        if current is not None:
            stays.append((current[0], current[1], None))
        return stays


class Story:
    """Plays ``SCRIPT`` on a desk and keeps its own account of what happened."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.told: dict[str, Told] = {}
        self.keys: dict[str, str] = {}
        SlaPolicyService(desk.database, desk.clock).install_default("UTC")
        for at, action, name, arg in SCRIPT:
            desk.clock.instant = at
            self._play(at, action, name, arg)

    def _play(self, at: datetime, action: str, name: str, arg: Any) -> None:
        tickets = self.desk.tickets
        if action == "create":
            category, priority = arg
            made = self.desk.ticket("sara", title=f"Ticket {name}", category=category,
                                    priority=priority)  # fmt: skip
            self.keys[name] = made.key
            self.told[name] = Told(category, priority, at, entries=[(at, "L1")])
            return
        key, told = self.keys[name], self.told[name]
        version = self.desk.version(key)
        if action in ("move", "pass"):
            if action == "move":
                tickets.move("sara", key, version, arg, note="story")
            else:
                report = EscalationService(self.desk.database, FixedClock(at)).run_pass()
                assert [e.key for e in report.escalations] == [key]
            told.moves.append((told.tier, arg))
            told.entries.append((at, arg))
        elif action == "resolve":
            tickets.resolve("sara", key, version, "done")
            told.finishes.append((at, True))
        elif action == "close":
            tickets.close("sara", key, version)
        elif action == "reopen":
            tickets.reopen("sara", key, version)
            told.finishes.append((at, False))
            told.reopened += 1

    def report(self, query: ReportQuery | None = None, **thresholds: Any) -> DeskReport:
        service = ReportService(self.desk.database, FixedClock(NOW), ReportThresholds(**thresholds))
        return service.build(query or ReportQuery())


@pytest.fixture
def story(desk: Desk) -> Story:
    return Story(desk)


def rows(report: DeskReport, key: str) -> list[dict[str, Any]]:
    return list(report.table(key).records())


def by(report: DeskReport, key: str, column: str) -> dict[Any, dict[str, Any]]:
    return {record[column]: record for record in rows(report, key)}


def up(low: str, high: str) -> bool:
    return LADDER.index(high) > LADDER.index(low)


# ----------------------------------------------------------------------- independent maths
def percentile_cont(values: list[float], share: float) -> float:
    ordered = sorted(values)
    position = share * (len(ordered) - 1)
    low = int(position)
    if low + 1 == len(ordered):
        return ordered[low]
    return ordered[low] + (position - low) * (ordered[low + 1] - ordered[low])


def office_hours(start: datetime, end: datetime) -> float:
    """Hours of Mon-Fri 08:00-18:00 UTC between two instants."""
    total = 0.0
    day = start.date()
    while day <= end.date():
        if day.weekday() < 5:
            opens = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
            closes = opens + timedelta(hours=10)
            overlap = min(end, closes) - max(start, opens)
            total += max(overlap.total_seconds(), 0) / 3600
        day += timedelta(days=1)
    return total


def handed_back_after_arriving(moves: list[tuple[str, str]], tier: str) -> bool:
    """Whether, after first being escalated into ``tier``, the ticket was moved down from it."""
    arrived = next(i for i, (a, b) in enumerate(moves) if b == tier and up(a, b))
    return any(a == tier and not up(a, b) for a, b in moves[arrived:])


# ----------------------------------------------------------------------------- the tests
def test_every_report_is_built_with_its_stable_key(story):
    report = story.report()
    assert [table.key for table in report.tables] == list(REPORT_KEYS)
    assert report.generated_at == NOW
    for table in report.tables:
        for row in table.rows:
            assert len(row) == len(table.columns)


def test_open_tickets_per_tier_now(story):
    told = story.told.values()
    expected = {tier: sum(1 for t in told if not t.finished and t.tier == tier) for tier in LADDER}
    assert expected == {"L1": 0, "L2": 2, "L3": 1, "Vendor": 0}  # E, G at L2; D at L3
    now = by(story.report(), "distribution_now", "tier")
    assert {tier: now[tier]["open_tickets"] for tier in LADDER} == expected
    assert now["L2"]["share"] == pytest.approx(2 / 3)
    assert now["L1"]["share"] == 0


def test_open_tickets_per_tier_at_the_end_of_each_day(story):
    series = rows(story.report(ReportQuery(start=date(2026, 3, 2))), "distribution_over_time")
    assert [row["period"] for row in series] == [date(2026, 3, d) for d in (2, 3, 4, 5)]
    for row in series:
        end = datetime.combine(row["period"] + timedelta(days=1), datetime.min.time(), UTC)
        end = min(end, NOW + timedelta(seconds=1))
        for tier in LADDER:
            expected = sum(
                1
                for t in story.told.values()
                if t.created < end and not t.finished_at(end) and t.tier_at(end) == tier
            )
            assert row[tier] == expected, (row["period"], tier)
        assert row["total"] == sum(row[tier] for tier in LADDER)
    # By hand: Monday night C (L2), D (L3), E (L1) are open; Tuesday night E (L2), D (L3).
    assert [(r["L1"], r["L2"], r["L3"]) for r in series[:2]] == [(1, 1, 1), (0, 1, 1)]


def test_weekly_periods_start_on_monday_and_count_at_the_week_end(story):
    series = rows(
        story.report(ReportQuery(start=date(2026, 3, 1), period="week")), "distribution_over_time"
    )
    assert [row["period"] for row in series] == [date(2026, 2, 23), date(2026, 3, 2)]
    assert (series[0]["total"], series[1]["L2"], series[1]["L3"]) == (0, 2, 1)


def test_highest_tier_reached_and_where_tickets_were_resolved(story):
    report = story.report()
    told = story.told.values()
    top = [max((tier for _, tier in t.entries), key=LADDER.index) for t in told]
    highest = by(report, "highest_tier", "tier")
    assert {tier: highest[tier]["tickets"] for tier in LADDER} == {
        tier: top.count(tier) for tier in LADDER
    }
    assert highest["L2"]["tickets"] == 6 and highest["Vendor"]["tickets"] == 1
    resolved = by(report, "resolved_at_tier", "tier")
    finished = [t.tier for t in told if t.finished]
    for tier in LADDER:
        assert resolved[tier]["resolved"] == finished.count(tier)
    assert resolved["L1"]["share_of_resolved"] == pytest.approx(2 / 5)  # A and B
    assert resolved["L2"]["share_of_tickets"] == pytest.approx(3 / 8)  # C, F, H


def test_escalation_rate_per_step_of_the_ladder(story):
    told = story.told.values()
    rates = by(story.report(), "escalation_rates", "transition")
    assert list(rates) == ["L1 → L2", "L2 → L3", "L3 → Vendor"]
    for low, high in zip(LADDER, LADDER[1:], strict=False):
        reached = [t for t in told if low in (tier for _, tier in t.entries)]
        escalated = [t for t in reached if any(a == low and up(a, b) for a, b in t.moves)]
        row = rates[f"{low} → {high}"]
        assert (row["reached"], row["escalated"]) == (len(reached), len(escalated))
        assert row["rate"] == pytest.approx(len(escalated) / len(reached))
    assert (rates["L1 → L2"]["escalated"], rates["L1 → L2"]["reached"]) == (7, 8)


def test_escalation_by_category_counts_tickets_past_their_lowest_tier(story):
    categories = by(story.report(), "escalation_by_category", "category")
    assert list(categories) == sorted(LOWEST, key=str.casefold)
    for name, lowest in LOWEST.items():
        mine = [t for t in story.told.values() if t.category == name]
        escalated = [t for t in mine if any(up(a, b) for a, b in t.moves)]
        beyond = [
            t for t in escalated if max(LADDER.index(tier) for _, tier in t.entries) >
            LADDER.index(lowest)
        ]  # fmt: skip
        row = categories[name]
        assert (row["lowest_tier"], row["tickets"], row["escalated"], row["beyond_lowest"]) == (
            lowest, len(mine), len(escalated), len(beyond)
        )  # fmt: skip
    assert categories["Password reset"]["beyond_lowest_share"] == pytest.approx(3 / 4)


def test_hand_backs_and_the_bounce_rate(story):
    report = story.report()
    told = story.told.values()
    backs = by(report, "hand_backs", "transition")
    assert list(backs) == ["L2 → L1", "L3 → L2", "Vendor → L3"]
    for transition, row in backs.items():
        high, low = transition.split(" → ")
        moves = [t for t in told for move in t.moves if move == (high, low)]
        assert (row["hand_backs"], row["tickets"]) == (len(moves), len(set(map(id, moves))))
    bounces = by(report, "bounce_rate", "tier")
    for tier in LADDER[1:]:
        came_in = [t for t in told if any(b == tier and up(a, b) for a, b in t.moves)]
        went_down = [t for t in came_in if handed_back_after_arriving(t.moves, tier)]
        assert (bounces[tier]["escalated_in"], bounces[tier]["bounced"]) == (
            len(came_in), len(went_down)
        )  # fmt: skip
    overall = bounces["All tiers"]
    assert (overall["escalated_in"], overall["bounced"]) == (7, 2)  # B (L2 -> L1), D (Vendor)
    assert overall["bounce_rate"] == pytest.approx(2 / 7)


def test_time_in_tier_median_and_90th_percentile(story):
    stays: dict[str, list[tuple[datetime, datetime]]] = {tier: [] for tier in LADDER}
    for told in story.told.values():
        for tier, start, end in told.stints():
            if end is not None:
                stays[tier].append((start, end))
    times = by(story.report(), "time_in_tier", "tier")
    for tier, spans in stays.items():
        wall = [(end - start).total_seconds() / 3600 for start, end in spans]
        business = [office_hours(start, end) for start, end in spans]
        row = times[tier]
        assert row["stays"] == len(wall) == row["clocked_stays"]
        assert row["median_hours"] == pytest.approx(percentile_cont(wall, 0.5))
        assert row["p90_hours"] == pytest.approx(percentile_cont(wall, 0.9))
        assert row["median_business_hours"] == pytest.approx(percentile_cont(business, 0.5))
        assert row["p90_business_hours"] == pytest.approx(percentile_cont(business, 0.9))
    # By hand: ten finished L1 stays of 1, 2, 1, 5.5, 1, 23, 2, 1, 1, 2 hours.
    assert (times["L1"]["stays"], times["L1"]["median_hours"]) == (10, 1.5)
    assert times["L1"]["p90_hours"] == pytest.approx(5.5 + 0.1 * (23 - 5.5))
    assert times["L3"]["median_business_hours"] == pytest.approx(7.0)  # Mon 12-18, Tue 8-9


def test_time_in_tier_comes_from_the_history_where_no_tier_clock_ran(desk):
    """A desk without an SLA policy has no clocks: wall hours from the history, no business."""
    first = desk.ticket("sara", title="first")
    second = desk.ticket("sara", title="second")
    steps = [(30, second.key, "resolve", None), (120, first.key, "move", "L2"),
             (300, first.key, "move", "L1"), (360, first.key, "resolve", None)]  # fmt: skip
    for minutes, key, action, tier in steps:
        desk.clock.instant = desk.clock.instant.replace(hour=9, minute=0) + timedelta(
            minutes=minutes
        )
        if action == "move":
            desk.tickets.move("sara", key, desk.version(key), tier, note="why")
        else:
            desk.tickets.resolve("sara", key, desk.version(key), "done")
    times = by(
        ReportService(desk.database, FixedClock(NOW)).build(ReportQuery()), "time_in_tier", "tier"
    )
    # L1: 0.5 h (second), 2 h then 1 h (first); L2: 3 h.
    assert (times["L1"]["stays"], times["L1"]["median_hours"]) == (3, pytest.approx(1.0))
    assert times["L1"]["p90_hours"] == pytest.approx(1 + 0.8 * (2 - 1))
    assert (times["L2"]["stays"], times["L2"]["median_hours"]) == (1, pytest.approx(3.0))
    assert (times["L1"]["clocked_stays"], times["L1"]["median_business_hours"]) == (0, None)


OUTCOMES = ("met", "breached", "running")


def test_tier_clock_compliance_met_breached_and_running(story):
    expected = {tier: [0, 0, 0] for tier in LADDER}
    for told in story.told.values():
        for tier, start, end in told.stints():
            target = DEFAULT_TARGETS.tier_minutes[tier][told.priority] / 60
            if end is None:
                expected[tier][2] += 1  # still running (no pass has looked since Tuesday)
            else:
                expected[tier][0 if office_hours(start, end) < target else 1] += 1
    assert expected["L1"] == [7, 3, 0]  # breached: C (P2), E (P4, by the pass), H (P1)
    summary = by(story.report(), "sla_compliance_summary", "clock")
    for tier, (met, breached, running) in expected.items():
        row = summary[tier]
        assert (row["met"], row["breached"], row["running"]) == (met, breached, running)
    assert summary["L2"]["share_met"] == pytest.approx(3 / 5)
    detail = rows(story.report(), "sla_compliance")
    l1_tier_clock = [row for row in detail if row["clock"] == "Tier clock" and row["tier"] == "L1"]
    assert [sum(row[outcome] for row in l1_tier_clock) for outcome in OUTCOMES] == [7, 3, 0]
    assert {row["clock"] for row in detail} >= {"Tier clock", "First response", "Resolution"}


def test_customer_resolution_sla_per_priority(story):
    # By hand, in office hours: H (P1) took 6 h of its 4 h; A, B, F (P3) and C (P2, 11 h of
    # 15 h) were met; D, G (P3) and E (P4) are still open.
    detail = [row for row in rows(story.report(), "sla_compliance") if row["clock"] == "Resolution"]
    outcome = {row["priority"]: (row["met"], row["breached"], row["running"]) for row in detail}
    assert outcome == {"P1": (0, 1, 0), "P2": (1, 0, 0), "P3": (3, 0, 2), "P4": (0, 0, 1)}
    assert all(row["tier"] is None for row in detail)
    summary = by(story.report(), "sla_compliance_summary", "clock")["Resolution"]
    assert (summary["met"], summary["breached"], summary["running"]) == (4, 1, 3)


def test_backlog_ageing_buckets_open_tickets_by_age(story):
    ageing = by(story.report(), "backlog_ageing", "tier")
    # E (L2) and D (L3) are 3 days 3 hours old; G (L2) 1 day 3 hours.
    assert (ageing["L2"]["1_to_3d"], ageing["L2"]["3_to_7d"], ageing["L2"]["total"]) == (1, 1, 2)
    assert (ageing["L3"]["3_to_7d"], ageing["L1"]["total"]) == (1, 0)


def test_insights_name_the_imbalance_against_the_thresholds(story):
    report = story.report(min_tickets=1)
    texts = [insight.text for insight in report.insights]
    assert "L2 holds 67% of open tickets (target under 30%)" in texts
    assert (
        "75% of 'Password reset' tickets are escalated past L1, which is authorised to "
        "resolve them (target under 25%)"
    ) in texts
    assert "29% of escalated tickets came back down a tier (bounce rate; target under 10%)" in texts
    assert "L1's tier clock was met for 70% of tickets (target 90% or more)" in texts
    share = next(i for i in report.insights if i.key == "tier_share" and "L2" in i.text)
    assert (share.measured, share.threshold) == (pytest.approx(2 / 3), 0.30)
    relaxed = story.report(min_tickets=1, max_bounce_rate=0.5, min_sla_met=0.2)
    assert not [i for i in relaxed.insights if i.key in ("bounce_rate", "sla_met")]
    # by default a finding needs ten tickets behind it: only L1's ten decided tier clocks do
    assert [i.text for i in story.report().insights] == [
        "L1's tier clock was met for 70% of tickets (target 90% or more)"
    ]


def test_a_report_of_one_tier_does_not_find_that_it_holds_all_the_tickets(story):
    everything = story.report(min_tickets=1, max_open_share={"L2": 0.3})
    assert "tier_share" in {insight.key for insight in everything.insights}
    l2 = story.report(ReportQuery(tiers=("L2",)), min_tickets=1, max_open_share={"L2": 0.3})
    assert by(l2, "distribution_now", "tier")["L2"]["share"] == 1.0
    kinds = {insight.key for insight in l2.insights}
    assert not kinds & {"tier_share", "resolved_at_entry"}  # shares of the filter's own tier
    assert kinds  # the other findings still read the filtered tickets


def test_filters_by_category_priority_and_current_tier(story):
    passwords = story.report(ReportQuery(categories=("password RESET",)))
    highest = by(passwords, "highest_tier", "tier")
    assert (highest["L1"]["tickets"], highest["L2"]["tickets"]) == (1, 3)  # A; B, F, H
    assert [row["category"] for row in rows(passwords, "escalation_by_category")] == [
        "Password reset"
    ]
    urgent = story.report(ReportQuery(priorities=("P1",)))
    assert sum(row["tickets"] for row in rows(urgent, "highest_tier")) == 1  # H
    # only C (P2): at L2 on Monday night, resolved on Tuesday
    laptops = story.report(ReportQuery(start=date(2026, 3, 2), priorities=("P2",)))
    series = [(r["L1"], r["L2"]) for r in rows(laptops, "distribution_over_time")]
    assert series == [(0, 1), (0, 0), (0, 0), (0, 0)]
    at_l2 = story.report(ReportQuery(tiers=("L2",)))
    assert [(r["tier"], r["open_tickets"]) for r in rows(at_l2, "distribution_now")] == [("L2", 2)]
    assert [(r["tier"], r["resolved"]) for r in rows(at_l2, "resolved_at_tier")] == [("L2", 3)]
    series = rows(at_l2, "distribution_over_time")
    assert [column.key for column in at_l2.table("distribution_over_time").columns] == [
        "period", "L2", "total"
    ]  # fmt: skip
    assert series[0]["L2"] == 1  # Monday night: C


def test_the_date_range_selects_tickets_created_in_it(story):
    wednesday = story.report(ReportQuery(start=date(2026, 3, 4), end=date(2026, 3, 4)))
    assert sum(row["tickets"] for row in rows(wednesday, "highest_tier")) == 1  # G
    assert [(r["period"], r["L2"], r["L3"]) for r in rows(wednesday, "distribution_over_time")] == [
        (date(2026, 3, 4), 2, 1)
    ]
    # the backlog now does not depend on the range
    assert sum(row["open_tickets"] for row in rows(wednesday, "distribution_now")) == 3
    before = story.report(ReportQuery(end=date(2026, 3, 1)))
    assert sum(row["tickets"] for row in rows(before, "highest_tier")) == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (ReportQuery(start=date(2026, 3, 5), end=date(2026, 3, 1)), "start"),
        (ReportQuery(categories=("Plumbing",)), "category"),
        (ReportQuery(priorities=("P9",)), "priority"),
        (ReportQuery(tiers=("L7",)), "tier"),
        (ReportQuery(period="month"), "period"),
    ],
)
def test_bad_queries_are_refused_naming_the_field(desk, query, field):
    with pytest.raises(InvalidInput) as refused:
        ReportService(desk.database, FixedClock(NOW)).build(query)
    assert refused.value.field == field


def test_ticket_rows_stream_every_ticket_with_its_history_counts(story):
    columns, stream = ReportService(story.desk.database, FixedClock(NOW)).ticket_rows(ReportQuery())
    keys = [column.key for column in columns]
    got = {row[0]: dict(zip(keys, row, strict=True)) for row in stream}
    assert len(got) == len(story.told)
    for name, told in story.told.items():
        row = got[story.keys[name]]
        assert row["title"] == f"Ticket {name}"
        assert (row["category"], row["priority"], row["tier"]) == (
            told.category, told.priority, told.tier
        )  # fmt: skip
        assert row["escalations"] == sum(up(a, b) for a, b in told.moves)
        assert row["hand_backs"] == sum(not up(a, b) for a, b in told.moves)
        assert row["reopened"] == told.reopened
        assert row["highest_tier"] == max((t for _, t in told.entries), key=LADDER.index)
        assert row["created"] == told.created.replace(tzinfo=None)  # the desk's zone is UTC
    assert got[story.keys["F"]]["resolved"] == datetime(2026, 3, 3, 11)
    assert got[story.keys["D"]]["resolved"] is None


def test_days_are_the_desks_local_days(database):
    """Kolkata is UTC+05:30: 18:00 UTC is 23:30 the same day there, 20:00 UTC already the next."""
    from tests.factories import make_desk

    desk = make_desk(database, FixedClock(utc(2, 18)))
    SlaPolicyService(database, desk.clock).install_default("Asia/Kolkata")
    desk.ticket("lena")
    desk.clock.instant = utc(2, 20)
    desk.ticket("lena")
    service = ReportService(database, FixedClock(utc(4, 12)))
    query = ReportQuery(start=date(2026, 3, 2), end=date(2026, 3, 3))
    series = rows(service.build(query), "distribution_over_time")
    assert [(row["period"], row["L1"]) for row in series] == [
        (date(2026, 3, 2), 1),
        (date(2026, 3, 3), 2),
    ]
    monday = ReportQuery(start=date(2026, 3, 2), end=date(2026, 3, 2))
    assert sum(r["tickets"] for r in rows(service.build(monday), "highest_tier")) == 1


def test_an_empty_desk_reports_zeros_and_no_insights(desk):
    report = ReportService(desk.database, FixedClock(NOW)).build(ReportQuery())
    assert rows(report, "distribution_over_time") == []
    assert all(row["open_tickets"] == 0 for row in rows(report, "distribution_now"))
    assert report.insights == ()
    assert (
        json.loads(json.dumps(report_as_json(report)))["reports"]["time_in_tier"]["rows"][0][
            "median_hours"
        ]
        is None
    )


# ------------------------------------------------------------------------------------ CLI
def run_cli(database_url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple:
    code = main(["--db", database_url, "report", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_has_the_documented_keys(story, database_url, capsys):
    code, out, _ = run_cli(database_url, capsys, "--json", "--from", "2026-03-02",
                           "--category", "Password reset", "--period", "week")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"query", "generated_at", "reports", "insights"}
    assert data["query"]["start"] == "2026-03-02"
    assert data["query"]["categories"] == ["Password reset"]
    assert list(data["reports"]) == list(REPORT_KEYS)
    for table in data["reports"].values():
        assert set(table) == {"title", "description", "columns", "rows", "chart"}
        keys = [column["key"] for column in table["columns"]]
        assert all(list(row) == keys for row in table["rows"])
    highest = {row["tier"]: row["tickets"] for row in data["reports"]["highest_tier"]["rows"]}
    assert (highest["L1"], highest["L2"]) == (1, 3)


def test_cli_prints_the_tables_readably(story, database_url, capsys):
    code, out, _ = run_cli(database_url, capsys)
    assert code == 0
    assert "Highest tier reached [highest_tier]" in out
    assert "Insights" in out


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--from", "2026-03-05", "--to", "2026-03-01"), "--from"),
        (("--from", "2026-02-30"), "--from"),
        (("--to", "yesterday"), "--to"),
        (("--category", "Plumbing"), "--category"),
        (("--tier", "L9"), "--tier"),
        (("--priority", "urgent"), "--priority"),
    ],
)
def test_cli_bad_input_names_the_option(desk, database_url, capsys, args, option):
    code, _, err = run_cli(database_url, capsys, "--json", *args)
    assert code == 2
    assert json.loads(err)["field"] == option


def test_cli_writes_the_workbook(story, database_url, capsys, tmp_path: Path):
    pytest.importorskip("app.services.excel_export")
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "report.xlsx"
    code, out, err = run_cli(database_url, capsys, "--xlsx", str(target), "--json")
    assert code == 0, err
    assert json.loads(out)["tickets"] == len(story.told)
    workbook = openpyxl.load_workbook(target, read_only=True)
    assert len(workbook.sheetnames) >= len(REPORT_KEYS) + 1
