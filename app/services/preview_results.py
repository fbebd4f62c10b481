"""What a preview or a replay of a draft change (a rule set, an SLA policy) reports, before the
draft goes live. The preview/replay service fills these; the supervisors' dialogs show them.
Tables use the reports' contract (``report_tables``), so the same table model and charts draw
them, and a replay's "how would the distribution and compliance have differed" reads like a
report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.report_tables import ReportTable


@dataclass(frozen=True)
class PlannedAction:
    """One thing the draft would do to one open ticket now, in words."""

    key: str
    title: str
    tier: str  # where the ticket is now
    cause: str  # the rule's name, or the clock ("L1 tier clock, P2: 4 h")
    action: str  # e.g. "move to L2", "assign to tom", "flag as breached at L3"


@dataclass(frozen=True)
class PreviewResult:
    """(a): which open tickets the draft would act on now, and what it would do to each."""

    at: datetime
    tickets_examined: int
    actions: tuple[PlannedAction, ...]


@dataclass(frozen=True)
class ReplayedMove:
    """A tier move that would have happened under the draft and did not, or the reverse."""

    at: datetime
    key: str
    from_tier: str
    to_tier: str
    cause: str  # the rule or clock behind it (for a move that happened: its recorded reason)


@dataclass(frozen=True)
class ReplayResult:
    """(b): the last ``days`` of history replayed under the draft, without writing anything.

    ``added`` are moves the draft would have made that did not happen; ``removed`` moves that
    happened and the draft would not have made. ``distribution`` compares open tickets per tier
    per day (actual and replayed columns per tier), ``compliance`` the share of clocks met per
    tier (actual and replayed)."""

    start: datetime
    end: datetime
    tickets_replayed: int
    events_replayed: int
    added: tuple[ReplayedMove, ...]
    removed: tuple[ReplayedMove, ...]
    distribution: ReportTable
    compliance: ReportTable
    cancelled: bool = False
