"""Imbalance insights: plain-language findings read off the report tables against thresholds,
e.g. "L2 holds 48% of open tickets (target under 30%)".

The thresholds are a frozen dataclass with the defaults below; a caller passes its own to
``ReportService``. (A supervisor-settable store for them, in the database, may come later.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from app.services.report_tables import Insight, ReportTable


def _frozen(values: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(values)


@dataclass(frozen=True)
class ReportThresholds:
    """Where a figure becomes a finding. Shares are fractions (0.3 is 30%). A finding needs at
    least ``min_tickets`` tickets behind its share, so that three tickets make no trend."""

    #: Highest healthy share of the open tickets per tier code (tiers not named: no check).
    max_open_share: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"L2": 0.30, "L3": 0.15, "Vendor": 0.10})
    )
    #: Highest share of a category's tickets escalated past its lowest authorised tier.
    max_escalated_past_lowest: float = 0.25
    #: Highest share of escalated tickets that come back down.
    max_bounce_rate: float = 0.10
    #: Lowest share of decided tier clocks (and customer SLA clocks) that should be met.
    min_sla_met: float = 0.90
    #: Lowest share of resolved tickets that the entry tier should resolve.
    min_resolved_at_entry: float = 0.60
    min_tickets: int = 10


def find_insights(
    tables: Mapping[str, ReportTable],
    thresholds: ReportThresholds,
    entry_tier: str,
    *,
    tiers_filtered: bool = False,
) -> tuple[Insight, ...]:
    """Every finding, in the order of the checks below (``entry_tier``: the ladder's lowest).

    With ``tiers_filtered`` (only tickets at the tiers chosen) the tiers' shares of
    the desk's tickets are not checked: within the filter, one tier chosen holds 100%."""
    found: list[Insight] = []
    if not tiers_filtered:
        found += _open_shares(tables["distribution_now"], thresholds)
        found += _resolved_at_entry(tables["resolved_at_tier"], thresholds, entry_tier)
    found += _past_lowest_tier(tables["escalation_by_category"], thresholds)
    found += _bounces(tables["bounce_rate"], thresholds)
    found += _sla(tables["sla_compliance_summary"], thresholds)
    return tuple(found)


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _open_shares(table: ReportTable, thresholds: ReportThresholds) -> list[Insight]:
    records = list(table.records())
    total = sum(record["open_tickets"] for record in records)
    if total < thresholds.min_tickets:
        return []
    found = []
    for record in records:
        limit = thresholds.max_open_share.get(record["tier"])
        measured = record["share"]
        if limit is not None and measured is not None and measured > limit:
            found.append(
                Insight(
                    "tier_share",
                    f"{record['tier']} holds {_percent(measured)} of open tickets "
                    f"(target under {_percent(limit)})",
                    measured,
                    limit,
                )
            )
    return found


def _resolved_at_entry(
    table: ReportTable, thresholds: ReportThresholds, entry_tier: str
) -> list[Insight]:
    records = list(table.records())
    resolved = sum(record["resolved"] for record in records)
    entry = next((record for record in records if record["tier"] == entry_tier), None)
    if entry is None or resolved < thresholds.min_tickets:
        return []
    measured = entry["share_of_resolved"]
    limit = thresholds.min_resolved_at_entry
    if measured is None or measured >= limit:
        return []
    text = (
        f"Only {_percent(measured)} of resolved tickets were resolved at {entry['tier']} "
        f"(target {_percent(limit)} or more)"
    )
    return [Insight("resolved_at_entry", text, measured, limit)]


def _past_lowest_tier(table: ReportTable, thresholds: ReportThresholds) -> list[Insight]:
    found = []
    limit = thresholds.max_escalated_past_lowest
    for record in table.records():
        measured = record["beyond_lowest_share"]
        if record["tickets"] < thresholds.min_tickets or measured is None or measured <= limit:
            continue
        text = (
            f"{_percent(measured)} of '{record['category']}' tickets are escalated past "
            f"{record['lowest_tier']}, which is authorised to resolve them "
            f"(target under {_percent(limit)})"
        )
        found.append(Insight("escalated_past_lowest", text, measured, limit))
    return found


def _bounces(table: ReportTable, thresholds: ReportThresholds) -> list[Insight]:
    overall = list(table.records())[-1]
    measured, limit = overall["bounce_rate"], thresholds.max_bounce_rate
    if overall["escalated_in"] < thresholds.min_tickets or measured is None or measured <= limit:
        return []
    text = (
        f"{_percent(measured)} of escalated tickets came back down a tier "
        f"(bounce rate; target under {_percent(limit)})"
    )
    return [Insight("bounce_rate", text, measured, limit)]


def _sla(table: ReportTable, thresholds: ReportThresholds) -> list[Insight]:
    found = []
    limit = thresholds.min_sla_met
    for record in table.records():
        measured = record["share_met"]
        decided = record["met"] + record["breached"]
        if decided < thresholds.min_tickets or measured is None or measured >= limit:
            continue
        clock = record["clock"]
        customer = {"First response": "The first-response SLA", "Resolution": "The resolution SLA"}
        name = customer.get(clock, f"{clock}'s tier clock")
        text = (
            f"{name} was met for {_percent(measured)} of tickets (target {_percent(limit)} or more)"
        )
        found.append(Insight("sla_met", text, measured, limit))
    return found
