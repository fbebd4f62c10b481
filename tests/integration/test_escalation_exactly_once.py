"""Exactly once under load: eight escalation passes, each an OS process of its own, run over
hundreds of due tickets at the same time while a ninth process moves some of those tickets by
hand. Afterwards every expired tier clock escalated its ticket once (or a person moved the
ticket first, stopping the clock), no alert fired twice, every manual move told "saved" is in
the history once and every refused one is not, conflicts came as ``ConflictError`` (never a raw
database error), no ticket runs two tier clocks, and the history replays to every ticket.

On PostgreSQL the passes really overlap (row locks, ``SKIP LOCKED``); on SQLite they share one
file and take turns at its write lock. Run against deliberately broken passes, this test failed
on PostgreSQL without the ticket lock (the same clock escalating a ticket up to 8 times) and with
the clocks read before the lock instead of after it (double breach flags and warnings), and on
SQLite with deferred write transactions ("database is locked"); waiting for locks instead of
skipping them is still exactly once, and passes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from app.models import Level
from app.services.sla_policy import SlaPolicyService
from tests.factories import Desk
from tests.integration.escalation_load_worker import (
    check_exactly_once,
    expired_tier_clocks,
    overlapping_passes,
    run_load,
    summary,
)

PASSES = 8
DUE = 600  # opened on Monday morning: every tier clock below the vendor's P4 has expired ...
NOT_DUE = 60  # ... while these, opened half an hour before the passes run, still have time
AT = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)  # Thursday, 17:00: when the passes run
OPENED_LATE = datetime(2026, 3, 5, 16, 30, tzinfo=UTC)
BATCH = 40  # small batches: many passes, so that they overlap again and again
#: tier: (share of the due tickets, the agent who opens them there)
OPENED_AT = {"L1": (50, "lena"), "L2": (25, "tom"), "L3": (15, "ines"), "Vendor": (10, "vic")}


def open_tickets(desk: Desk) -> list[str]:
    """The due tickets spread over the ladder and the priorities, then the ones not yet due."""
    rng = random.Random(7)
    tiers = rng.choices(list(OPENED_AT), weights=[share for share, _ in OPENED_AT.values()], k=DUE)
    keys = []
    for number, tier in enumerate(tiers):
        impact, urgency = rng.choice(list(Level)), rng.choice(list(Level))
        agent = OPENED_AT[tier][1]
        made = desk.ticket(agent, title=f"Due {number}", tier=tier, impact=impact, urgency=urgency)
        keys.append(made.key)
    desk.clock.instant = OPENED_LATE
    keys += [desk.ticket(title=f"Not due {number}").key for number in range(NOT_DUE)]
    return keys


@pytest.mark.slow
def test_passes_in_eight_processes_and_a_person_moving_tickets_act_exactly_once(
    desk, database_url, tmp_path
):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    keys = open_tickets(desk)
    expired = expired_tier_clocks(desk.database, AT)
    assert len(expired) > DUE * 0.9  # the scenario is what it says (vendor P4 is not yet due)

    run = run_load(
        database_url, AT, keys, tmp_path, passes=PASSES, batch=BATCH, seconds=45, think_ms=5
    )

    check = check_exactly_once(desk.database, AT, expired, run)
    print(f"{desk.database.describe()}: {summary(check, run)}")
    assert check.problems() == {}
    # The load was real: passes escalated while other processes' passes ran (or waited for
    # their turn), and the person's moves both went through and were turned down.
    assert overlapping_passes(run) > 0, "no pass ran alongside another: nothing was tested"
    assert check.moves["ok"] > 0
    assert check.moves["conflict"] + check.moves["refused"] > 0
