"""The demo desk: realistic, consistent with its own history, repeatable, and only for empty
databases."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import EventKind, MoveReason, Ticket, TicketEvent, TicketStatus
from app.services.clock import FixedClock
from app.services.database import Database, open_database
from app.services.demo import DemoService
from app.services.desk import DeskService
from app.services.errors import InvalidInput
from app.services.history import find_mismatches
from app.services.rules.service import RuleService
from app.services.tickets import NewTicket, TicketService
from tests.factories import T0


def _load(database: Database, tickets: int = 400, seed: int = 3, time_zone: str = "Europe/Berlin"):
    return DemoService(database, FixedClock(T0)).load(
        tickets=tickets, seed=seed, time_zone=time_zone
    )


def test_demo_desk_has_the_default_ladder_categories_and_people(database):
    summary = _load(database)
    desk = DeskService(database)
    assert [tier.code for tier in desk.tiers()] == ["L1", "L2", "L3", "Vendor"]
    assert 10 <= len(desk.categories()) <= 15
    people = desk.users()
    assert 8 <= len(people) <= 12
    assert {person.role.value for person in people} == {"agent", "supervisor", "manager", "admin"}
    assert all(person.tiers for person in people if person.role.value == "agent")
    assert summary.tickets == 400


def test_the_demo_desk_ships_working_escalation_rules(database):
    """A supervisor opening the rules dialog on the demo finds a valid rule set that acts."""
    _load(database, tickets=50)
    rules = RuleService(database).list()
    assert (len(rules.rules), rules.warning) == (4, None)
    incident = TicketService(database, FixedClock(T0 + timedelta(days=100))).create(
        "lena.lindqvist",
        NewTicket(title="Phishing mail opened", requester="Anna Rossi",
                  category="Security incident"),
    )  # fmt: skip
    assert TicketService(database).get(incident.key).ticket.tier == "L3"


def test_every_demo_ticket_agrees_with_its_history(database):
    _load(database)
    with database.read() as session:
        assert list(find_mismatches(session)) == []


def test_demo_history_spreads_over_90_days_and_includes_escalations_and_hand_backs(database):
    _load(database, tickets=1500)
    with database.read() as session:
        first, last = session.execute(
            select(func.min(Ticket.created_at), func.max(Ticket.updated_at))
        ).one()
        moves = session.execute(
            select(TicketEvent.from_tier_id, TicketEvent.to_tier_id).where(
                TicketEvent.kind == EventKind.TIER_CHANGED,
                TicketEvent.reason == MoveReason.MANUAL,
            )
        ).all()
        statuses = Counter(session.scalars(select(Ticket.status)))
    assert T0 - first >= timedelta(days=85)
    assert last <= T0
    ups = sum(1 for source, target in moves if target > source)
    downs = sum(1 for source, target in moves if target < source)
    assert ups > downs > 0
    # Most tickets of a 90-day history are finished, some are still being worked.
    finished = statuses[TicketStatus.RESOLVED] + statuses[TicketStatus.CLOSED]
    assert 0.8 < finished / 1500 < 0.995


def test_demo_resolves_no_ticket_below_its_category_tier(database):
    _load(database, tickets=1000)
    with database.read() as session:
        rows = session.execute(
            select(Ticket.key, Ticket.tier_id, Ticket.category_id).where(
                Ticket.status.in_([TicketStatus.RESOLVED, TicketStatus.CLOSED])
            )
        ).all()
    lowest = {c.id: c.min_tier for c in DeskService(database).categories()}
    position = {t.id: t.position for t in DeskService(database).tiers()}
    by_code = {t.code: t.position for t in DeskService(database).tiers()}
    too_low = [key for key, tier, category in rows if position[tier] < by_code[lowest[category]]]
    assert too_low == []


def test_same_seed_gives_the_same_desk_and_another_seed_another(tmp_path):
    def snapshot(name: str, seed: int) -> list[tuple]:
        database = open_database(f"sqlite:///{tmp_path / name}")
        _load(database, tickets=200, seed=seed)
        with database.read() as session:
            rows = session.execute(
                select(
                    Ticket.key, Ticket.title, Ticket.status, Ticket.tier_id, Ticket.created_at
                ).order_by(Ticket.id)
            ).all()
        database.close()
        return [tuple(row) for row in rows]

    assert snapshot("a.db", 5) == snapshot("b.db", 5)
    assert snapshot("c.db", 5) != snapshot("d.db", 6)


def test_demo_is_refused_on_a_desk_in_use_and_writes_nothing(database):
    DeskService(database).create_default_ladder()
    with pytest.raises(InvalidInput, match="only into an empty database"):
        _load(database)
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 0
    assert len(DeskService(database).categories()) == 0


def test_cli_demo_then_tickets_json_lists_tickets_that_agree_with_their_histories(
    database_url, capsys
):
    assert main(["--db", database_url, "demo", "--tickets", "300", "--seed", "2", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tickets"] == 300
    assert main(["--db", database_url, "tickets", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 300
    assert (
        sum(1 for t in listed if t["status"] not in ("resolved", "closed"))
        == summary["open_tickets"]
    )
    for ticket in listed[:25]:
        assert main(["--db", database_url, "ticket", "show", ticket["key"], "--json"]) == 0
        detail = json.loads(capsys.readouterr().out)
        moves = [e for e in detail["events"] if e["kind"] in ("created", "tier_changed")]
        statuses = [e for e in detail["events"] if e["field"] == "status"]
        assert moves[-1]["to_tier"] == ticket["tier"]
        assert (statuses[-1]["new_value"] if statuses else "new") == ticket["status"]
    assert main(["--db", database_url, "verify"]) == 0


def test_cli_demo_rejects_a_negative_count(sqlite_url, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--db", sqlite_url, "demo", "--tickets", "-5"])
    assert stopped.value.code == 2
    assert "'-5' must be at least 0" in capsys.readouterr().err


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_demo_tickets_are_opened_at_office_hours_of_the_desks_zone(sqlite_url, zone):
    database = open_database(sqlite_url)
    _load(database, tickets=600, time_zone=zone)
    with database.read() as session:
        opened = [
            at.astimezone(ZoneInfo(zone)) for at in session.scalars(select(Ticket.created_at))
        ]
    database.close()
    office_hours = sum(1 for at in opened if 8 <= at.hour < 18 and at.weekday() < 5)
    assert office_hours / len(opened) > 0.75  # the real log's weights give about 81%


def test_demo_refuses_an_unknown_time_zone_and_writes_nothing(database):
    with pytest.raises(InvalidInput, match="'Mars/Olympus' is not an IANA time zone"):
        _load(database, time_zone="Mars/Olympus")
    assert DeskService(database).is_empty()
