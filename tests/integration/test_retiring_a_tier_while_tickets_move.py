"""A supervisor retiring a tier while an agent moves a ticket into it: one of the two waits for
the other, so the tier is never retired with a ticket that just entered it (``Ladder.held``,
``lock_tiers``). On SQLite writers take turns; on PostgreSQL the tier rows' locks do it."""

from __future__ import annotations

import threading
import time

import pytest

from app.services.configuration import ConfigurationService
from app.services.configuration.edits import retire_tier
from app.services.configuration.service import ConfigurationInvalid
from app.services.errors import InvalidInput
from app.services.ticket_change import TicketChange


def test_a_retirement_waits_for_a_move_into_the_tier_and_is_then_refused(desk):
    ticket = desk.ticket("vic", tier="Vendor")
    ticket = desk.tickets.hand_back("vic", ticket.key, ticket.version, "Not a vendor case")
    configuration = ConfigurationService(desk.database, desk.clock)
    read = configuration.load()
    outcome: list[BaseException | None] = []

    def retire_the_vendor_tier() -> None:
        try:
            configuration.save("sara", read, retire_tier(read, "Vendor"))
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 (reported to the test below)
            outcome.append(error)

    with TicketChange(desk.database, desk.clock, "sara", ticket.key, ticket.version) as move:
        move.move_to(move.ladder.find("Vendor"), note=None)
        saving = threading.Thread(target=retire_the_vendor_tier)
        saving.start()
        time.sleep(0.5)
        assert saving.is_alive(), "the retirement did not wait for the move in progress"
    saving.join(timeout=30)

    [error] = outcome
    assert isinstance(error, ConfigurationInvalid)
    assert "open ticket" in str(error)
    assert desk.tickets.get(ticket.key).ticket.tier == "Vendor"
    assert [t.code for t in desk.desk.tiers()][-1] == "Vendor"


def test_a_move_into_a_retired_tier_is_refused_naming_the_tiers_there_are(desk):
    ticket = desk.ticket("lena")
    configuration = ConfigurationService(desk.database, desk.clock)
    read = configuration.load()
    configuration.save("sara", read, retire_tier(read, "Vendor"))
    with pytest.raises(InvalidInput, match=r"no active tier called 'Vendor' \(tiers: L1, L2, L3\)"):
        desk.tickets.move("sara", ticket.key, ticket.version, "Vendor", note=None)
