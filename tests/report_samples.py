"""Realistic ``DeskReport``s and ticket rows, shaped like the reports service's output, for the
tests, the benchmark and the screenshots of the Excel export and the reports view (which render
whatever report they are given and need no database)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from app.services.report_tables import (
    ChartKind,
    ChartSpec,
    Column,
    ColumnKind,
    DeskReport,
    Insight,
    ReportQuery,
    ReportTable,
)

TIERS = ("L1", "L2", "L3", "Vendor")
CATEGORIES = ("Password", "Network & VPN", "Email", "Hardware", "Software")
PRIORITIES = ("P1", "P2", "P3", "P4")
GENERATED_AT = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
START = date(2026, 1, 5)
QUERY = ReportQuery(start=START, end=date(2026, 3, 1), period="week")

TEXT, COUNT, SHARE, HOURS, DATE = (
    ColumnKind.TEXT,
    ColumnKind.COUNT,
    ColumnKind.SHARE,
    ColumnKind.HOURS,
    ColumnKind.DATE,
)


def distribution_now() -> ReportTable:
    counts = {"L1": 212, "L2": 318, "L3": 97, "Vendor": 35}
    total = sum(counts.values())
    return ReportTable(
        key="distribution_now",
        title="Open tickets by tier",
        description="Open tickets at each tier at the end of the range, and their share.",
        columns=(
            Column("tier", "Tier", TEXT),
            Column("open", "Open tickets", COUNT),
            Column("share", "Share", SHARE),
        ),
        rows=tuple((tier, n, n / total) for tier, n in counts.items()),
        chart=ChartSpec(ChartKind.PIE, category="tier", series=("open",)),
    )


def distribution_over_time(weeks: int = 8) -> ReportTable:
    rnd = random.Random(6)
    rows = []
    for week in range(weeks):
        start = START + timedelta(weeks=week)
        rows.append(
            (
                start,
                150 + rnd.randint(-20, 30),
                120 + week * 18 + rnd.randint(-10, 10),
                60 + rnd.randint(-10, 15),
                20 + rnd.randint(-5, 8),
            )
        )
    return ReportTable(
        key="distribution_over_time",
        title="Open tickets by tier over time",
        description="Open tickets at each tier at the start of each week.",
        columns=(Column("period", "Week of", DATE),)
        + tuple(Column(tier, tier, COUNT) for tier in TIERS),
        rows=tuple(rows),
        chart=ChartSpec(ChartKind.STACKED_BAR, "period", TIERS, y_title="Open tickets"),
    )


def time_in_tier() -> ReportTable:
    return ReportTable(
        key="time_in_tier",
        title="Time in tier",
        description="How long tickets stayed at each tier: median and 90th percentile, in hours.",
        columns=(
            Column("tier", "Tier", TEXT),
            Column("median_hours", "Median (h)", HOURS),
            Column("p90_hours", "90th percentile (h)", HOURS),
            Column("median_business_hours", "Median, business (h)", HOURS),
            Column("p90_business_hours", "90th percentile, business (h)", HOURS),
        ),
        rows=(
            ("L1", 2.4, 9.75, 1.9, 6.5),
            ("L2", 14.2, 61.0, 8.1, 30.25),
            ("L3", 30.5, 140.0, 17.0, 66.0),
            ("Vendor", 96.0, 310.4, 41.0, 120.0),
        ),
        chart=ChartSpec(ChartKind.BAR, "tier", ("median_hours", "p90_hours"), y_title="Hours"),
    )


def sla_compliance() -> ReportTable:
    return ReportTable(
        key="sla_compliance",
        title="SLA compliance",
        description="Share of tier clocks and customer SLAs met in the range.",
        columns=(
            Column("clock", "Clock", TEXT),
            Column("met", "Met", COUNT),
            Column("breached", "Breached", COUNT),
            Column("compliance", "Compliance", SHARE),
        ),
        rows=(
            ("L1", 1830, 120, 1830 / 1950),
            ("L2", 905, 210, 905 / 1115),
            ("L3", 301, 44, 301 / 345),
            ("Vendor", 60, 31, 60 / 91),
            ("Customer", 1712, 238, 1712 / 1950),
        ),
        chart=ChartSpec(ChartKind.BAR, "clock", ("compliance",), y_title="Met"),
    )


def escalation_rates() -> ReportTable:
    return ReportTable(
        key="escalation_rates",
        title="Escalation rates",
        description="Tickets that moved up each step of the ladder, and those handed back.",
        columns=(
            Column("transition", "Transition", TEXT),
            Column("tickets", "Tickets at the lower tier", COUNT),
            Column("escalated", "Escalated", COUNT),
            Column("rate", "Escalation rate", SHARE),
            Column("handed_back", "Handed back", COUNT),
        ),
        rows=(
            ("L1 → L2", 1950, 1115, 1115 / 1950, 88),
            ("L2 → L3", 1115, 345, 345 / 1115, 41),
            ("L3 → Vendor", 345, 91, 91 / 345, None),
        ),
    )


def backlog_ageing() -> ReportTable:
    return ReportTable(
        key="backlog_ageing",
        title="Backlog ageing",
        description="Open tickets at each tier by how long they have been open.",
        columns=(
            Column("tier", "Tier", TEXT),
            Column("under_1d", "Under 1 day", COUNT),
            Column("d1_3", "1-3 days", COUNT),
            Column("d3_7", "3-7 days", COUNT),
            Column("over_7d", "Over 7 days", COUNT),
        ),
        rows=(
            ("L1", 120, 61, 22, 9),
            ("L2", 98, 110, 71, 39),
            ("L3", 18, 30, 27, 22),
            ("Vendor", 2, 8, 11, 14),
        ),
        chart=ChartSpec(
            ChartKind.STACKED_BAR, "tier", ("under_1d", "d1_3", "d3_7", "over_7d"), "Open tickets"
        ),
    )


def escalation_trend(weeks: int = 8) -> ReportTable:
    return ReportTable(
        key="escalation_trend",
        title="Escalation rate over time",
        description="Share of tickets escalated past L1, per week.",
        columns=(Column("period", "Week of", DATE), Column("rate", "Escalated past L1", SHARE)),
        rows=tuple((START + timedelta(weeks=week), 0.48 + 0.02 * week) for week in range(weeks)),
        chart=ChartSpec(ChartKind.LINE, "period", ("rate",), y_title="Escalated"),
    )


def insights() -> tuple[Insight, ...]:
    return (
        Insight("tier_share", "L2 holds 48% of open tickets (target under 30%).", 0.48, 0.30),
        Insight(
            "escalated_past_authorised",
            "62% of 'Password' tickets are escalated past L1, which is authorised to resolve "
            "them (target under 20%).",
            0.62,
            0.20,
        ),
        Insight("bounce_rate", "9% of L2 tickets bounced back down (target under 5%).", 0.09, 0.05),
    )


def sample_report(query: ReportQuery = QUERY) -> DeskReport:
    """A desk report with every kind of table and chart the service produces."""
    return DeskReport(
        query=query,
        generated_at=GENERATED_AT,
        tables=(
            distribution_now(),
            distribution_over_time(),
            time_in_tier(),
            sla_compliance(),
            escalation_rates(),
            backlog_ageing(),
            escalation_trend(),
        ),
        insights=insights(),
    )


TICKET_COLUMNS = (
    Column("key", "Key", TEXT),
    Column("title", "Title", TEXT),
    Column("category", "Category", TEXT),
    Column("priority", "Priority", TEXT),
    Column("tier", "Tier", TEXT),
    Column("status", "Status", TEXT),
    Column("highest_tier", "Highest tier", TEXT),
    Column("opened", "Opened", DATE),
    Column("resolved", "Resolved", DATE),
    Column("escalations", "Escalations", COUNT),
    Column("hand_backs", "Hand-backs", COUNT),
    Column("hours_open", "Hours open", HOURS),
)


def ticket_rows(count: int, seed: int = 7) -> Iterator[tuple[object, ...]]:
    """``count`` ticket rows in ``TICKET_COLUMNS`` order; every third one still open."""
    rnd = random.Random(seed)
    start = datetime(2026, 1, 5, 8, 0)
    for number in range(1, count + 1):
        opened = start + timedelta(minutes=number)
        hours = round(rnd.random() * 120, 2)
        resolved = None if number % 3 == 0 else opened + timedelta(hours=hours)
        yield (
            f"TD-{number}",
            f"{rnd.choice(('VPN drops', 'Password reset', 'Laptop slow', 'No email'))} #{number}",
            rnd.choice(CATEGORIES),
            rnd.choice(PRIORITIES),
            rnd.choice(TIERS),
            "open" if resolved is None else "resolved",
            rnd.choice(TIERS[:3]),
            opened,
            resolved,
            rnd.randint(0, 3),
            rnd.randint(0, 1),
            hours,
        )
