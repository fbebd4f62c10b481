"""Checks against the real ServiceNow incident log in ``../shared/data`` (UCI data set 498).
Skipped, with the reason, where the log is absent; never copied into the repository."""

from __future__ import annotations

import csv
import gzip
import os
from collections import Counter
from pathlib import Path

import pytest

from app.models import Level, Priority
from app.services import demo_profile
from app.services.priority import priority_for

SHARED_DATA = Path(
    os.environ.get(
        "TIERDESK_SHARED_DATA", Path(__file__).resolve().parents[2].parent / "shared" / "data"
    )
)
LOG = SHARED_DATA / "uci_incident_event_log.csv.gz"
LEVELS = {"1 - High": Level.HIGH, "2 - Medium": Level.MEDIUM, "3 - Low": Level.LOW}
PRIORITIES = {
    "1 - Critical": Priority.P1,
    "2 - High": Priority.P2,
    "3 - Moderate": Priority.P3,
    "4 - Low": Priority.P4,
}

pytestmark = pytest.mark.skipif(not LOG.exists(), reason=f"real incident log not found at {LOG}")


@pytest.fixture(scope="module")
def last_rows() -> dict[str, dict[str, str]]:
    """The last event row of each incident (its final values)."""
    with gzip.open(LOG, "rt", encoding="utf-8", newline="") as handle:
        return {row["number"]: row for row in csv.DictReader(handle)}


def test_the_log_has_the_documented_size(last_rows):
    assert len(last_rows) == 24_918


def test_priority_matrix_matches_the_real_log(last_rows):
    """TierDesk's impact x urgency matrix gives the priority the real desk recorded."""
    agree = sum(
        priority_for(LEVELS[row["impact"]], LEVELS[row["urgency"]]) == PRIORITIES[row["priority"]]
        for row in last_rows.values()
    )
    assert agree / len(last_rows) > 0.999


def test_demo_opening_hours_follow_the_real_log(last_rows):
    """The demo's hour-of-day weights are the log's: the busiest hours are the same."""
    hours = Counter(int(row["opened_at"].split()[1].split(":")[0]) for row in last_rows.values())
    log_top = {hour for hour, _ in hours.most_common(4)}
    weights = demo_profile.HOUR_WEIGHTS
    demo_top = set(sorted(range(24), key=lambda hour: weights[hour], reverse=True)[:4])
    assert log_top == demo_top
