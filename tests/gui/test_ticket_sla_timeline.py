"""The details pane's SLA section: each clock of the selected ticket with its bar (green while
counting, grey while paused, a red tick at an escalation, an amber one at a warning) and its
marks and pauses as text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from app.services.clock import FixedClock
from app.services.escalation import EscalationService
from app.services.sla_policy import SlaPolicyService
from app.views.ticket_details_view import (
    BAR_HEIGHT,
    BAR_WIDTH,
    MARK_COLOURS,
    SEGMENT_COLOURS,
)

MONDAY_13 = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # an L1 P3 ticket opened at 09:00 is due


@pytest.fixture
def sla_desk(gui_desk):
    """The GUI's standard desk with the default policy (Mon-Fri 08:00-18:00 UTC)."""
    SlaPolicyService(gui_desk.database, gui_desk.clock).install_default("UTC")
    return gui_desk


def colour_at(image: QImage, x: int, y: int = BAR_HEIGHT // 2) -> str:
    ratio = image.devicePixelRatio()
    return QColor(image.pixel(round(x * ratio), round(y * ratio))).name()


def test_the_pane_shows_an_escalated_tickets_clocks_and_why_it_moved(sla_desk, open_window):
    ticket = sla_desk.ticket(title="Cannot log in")
    EscalationService(sla_desk.database, FixedClock(MONDAY_13)).run_pass()
    sla_desk.clock.instant = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    window = open_window("tom")
    assert window.select_ticket(ticket.key)
    view = window.details_view

    shown = view.text()
    assert "SLA clocks (6)" in shown
    assert "Tier clock · L1 escalated · Standard v1 · target 4 h · used 4 h" in shown
    assert "Tier clock · L2 running · Standard v1 · target 8 h · used 1 h" in shown
    assert "Escalated L1 → L2 at " in shown
    assert "— L1 tier clock expired (Standard v1)" in shown
    assert "— 75% of the 4 h target used (Standard v1)" in shown
    assert "Stopped at " in shown and "— ticket moved to L2" in shown

    assert [clock.kind.value for clock in view.detail.clocks][0] == "tier"
    escalated = view.clock_bars[0]
    assert escalated.width() == round(BAR_WIDTH * escalated.devicePixelRatio())
    assert colour_at(escalated, 10) == SEGMENT_COLOURS["counting"]  # four hours of counting
    assert colour_at(escalated, BAR_WIDTH - 1) == MARK_COLOURS["escalation"]  # the tick at 13:00
    assert colour_at(escalated, BAR_WIDTH * 3 // 4, 0) == MARK_COLOURS["warning"]  # 12:00


def test_the_pane_lists_a_pause_and_paints_it_grey(sla_desk, open_window):
    ticket = sla_desk.ticket()
    sla_desk.clock.instant = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    waiting = "waiting_on_customer"
    ticket = sla_desk.tickets.change_status("lena", ticket.key, ticket.version, waiting)
    sla_desk.clock.instant = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    sla_desk.tickets.change_status("lena", ticket.key, ticket.version, "in_progress")
    sla_desk.clock.instant = datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    window = open_window("lena")
    assert window.select_ticket(ticket.key)
    view = window.details_view

    assert "— waiting on customer" in view.text()
    # 09:00 to its due instant 15:00: counting, paused 10:00-12:00, counting up to now (13:00),
    # then empty: the time still to go.
    tier_bar = view.clock_bars[0]
    assert colour_at(tier_bar, BAR_WIDTH // 12) == SEGMENT_COLOURS["counting"]
    assert colour_at(tier_bar, BAR_WIDTH // 3) == SEGMENT_COLOURS["paused"]
    assert colour_at(tier_bar, BAR_WIDTH * 7 // 12) == SEGMENT_COLOURS["counting"]
    time_to_go = QApplication.palette().color(QPalette.ColorRole.Base).name()
    assert colour_at(tier_bar, BAR_WIDTH * 5 // 6) == time_to_go


def test_a_desk_without_a_policy_says_no_clock_runs(gui_desk, open_window):
    ticket = gui_desk.ticket()
    window = open_window("lena")
    assert window.select_ticket(ticket.key)
    assert "No SLA clock runs for this ticket." in window.details_view.text()
    assert window.details_view.clock_bars == []
