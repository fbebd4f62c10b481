"""The configuration service: load, edit a draft, check every problem at its field, save in one
transaction; conflicts between two supervisors; who may save. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from app.models import SlaPolicy, TicketStatus, TierKind
from app.services.configuration import (
    ConfigurationConflict,
    ConfigurationInvalid,
    ConfigurationService,
    DeskConfiguration,
)
from app.services.configuration.edits import (
    add_category,
    add_tier,
    change_calendar,
    change_category,
    change_tier,
    move_tier,
    public_holidays,
    retire_tier,
    set_vendor_tier,
    with_public_holidays,
)
from app.services.desk import Ladder
from app.services.errors import InvalidInput, NotAllowed
from app.services.rules.service import RuleService, rules_from_json
from app.services.sla_policy import SlaPolicyService
from tests.factories import Desk, database_snapshot


@pytest.fixture
def service(desk: Desk) -> ConfigurationService:
    SlaPolicyService(desk.database, desk.clock).install_default("Europe/Berlin")
    return ConfigurationService(desk.database, desk.clock)


def ladder_codes(desk: Desk) -> list[str]:
    with desk.database.read() as session:
        return [tier.code for tier in Ladder.load(session).tiers]


def test_load_gives_the_whole_set_up(service: ConfigurationService) -> None:
    config = service.load()
    assert [tier.code for tier in config.active_tiers] == ["L1", "L2", "L3", "Vendor"]
    assert config.tiers[-1].kind == TierKind.VENDOR
    assert {c.name: c.min_tier for c in config.categories}["Database"] == "L3"
    assert [calendar.name for calendar in config.calendars] == ["Office hours"]
    assert config.calendars[0].time_zone == "Europe/Berlin"
    assert config.calendars[0].hours[0] == ((time(8), time(18)),)
    assert config.calendars[0].hours[6] == ()
    assert config.policy is not None
    assert config.policy.tier_minutes["L1"]["P1"] == 30
    assert config.policy.pause_all == (TicketStatus.WAITING_ON_CUSTOMER,)
    assert service.check(config) == []


def test_ladder_edits_are_saved_together(service: ConfigurationService, desk: Desk) -> None:
    before = service.load()
    draft = change_tier(before, "L2", name="Desktop support", wip_limit=25)
    draft = add_tier(draft, "L4", "Architecture", description="Design changes")
    draft = move_tier(draft, "L3", 1)
    draft = change_tier(draft, "L1", description="Passwords and how-to")

    result = service.save("sara", before, draft)

    assert ladder_codes(desk) == ["L1", "L3", "L2", "L4", "Vendor"]
    after = service.load()
    assert after == result.configuration
    l2 = next(tier for tier in after.tiers if tier.code == "L2")
    assert (l2.name, l2.wip_limit) == ("Desktop support", 25)
    assert after.tiers[0].description == "Passwords and how-to"
    assert "renamed tier L2 to 'Desktop support'" in result.changes
    assert "added tier L4 ('Architecture')" in result.changes
    assert any(line.startswith("reordered the ladder to L1 → L3 → L2") for line in result.changes)
    # a new ticket escalates along the new order
    ticket = desk.ticket()
    moved = desk.tickets.escalate("lena", ticket.key, ticket.version)
    assert moved.tier == "L3"


def test_two_tiers_may_swap_codes_in_one_save(service: ConfigurationService) -> None:
    before = service.load()
    draft = change_tier(before, "L2", code="X")
    draft = change_tier(draft, "L3", code="L2")
    draft = change_tier(draft, "X", code="L3")
    service.save("ada", before, draft)
    after = service.load()
    assert [(t.code, t.name) for t in after.active_tiers[1:3]] == [
        ("L3", "Desktop & apps"),
        ("L2", "Engineering"),
    ]
    # categories followed their tier, whatever it is called now
    assert {c.name: c.min_tier for c in after.categories}["Laptop"] == "L3"
    # and so did the SLA targets, without a new policy version (nothing measures differently)
    assert after.policy is not None and after.policy.version == 1
    assert after.policy.tier_minutes["L3"]["P1"] == 120  # what was L2's
    assert after.policy.tier_minutes["L2"]["P1"] == 240


def test_retiring_a_tier_with_open_tickets_is_refused_until_they_move(
    service: ConfigurationService, desk: Desk
) -> None:
    for _ in range(2):
        ticket = desk.ticket()
        desk.tickets.escalate("lena", ticket.key, ticket.version)
    desk.resolved_ticket()  # finished tickets do not hold a tier
    before = service.load()
    draft = retire_tier(change_category(before, "Laptop", min_tier="L3"), "L2")
    snapshot = database_snapshot(desk.database)

    with pytest.raises(ConfigurationInvalid) as refused:
        service.save("sara", before, draft)

    (problem,) = refused.value.problems
    assert problem.field == "tiers[1].retired"
    assert "tier L2 (Desktop & apps) has 2 open tickets" in problem.message
    assert database_snapshot(desk.database) == snapshot

    for view in desk.tickets.list(tier="L2"):
        desk.tickets.escalate("sara", view.key, view.version)
    service.save("sara", before, draft)
    assert ladder_codes(desk) == ["L1", "L3", "Vendor"]
    ticket = desk.ticket()
    assert desk.tickets.escalate("lena", ticket.key, ticket.version).tier == "L3"
    # its targets left the policy with it, as a new version
    policy = service.load().policy
    assert policy is not None and "L2" not in policy.tier_minutes and policy.version == 2


def test_a_two_tier_desk(service: ConfigurationService, desk: Desk) -> None:
    before = service.load()
    draft = change_category(before, "Database", min_tier="L2")
    draft = retire_tier(retire_tier(draft, "L3"), "Vendor")
    service.save("sara", before, draft)
    assert ladder_codes(desk) == ["L1", "L2"]
    ticket = desk.ticket(category="Database")
    assert desk.tickets.escalate("lena", ticket.key, ticket.version).tier == "L2"
    # and back: a retired tier can be brought back
    again = service.load()
    brought_back = change_tier(again, "Vendor", retired=False)
    service.save("sara", again, brought_back)
    assert ladder_codes(desk) == ["L1", "L2", "Vendor"]


def test_every_problem_is_reported_at_its_field_and_nothing_is_saved(
    service: ConfigurationService, desk: Desk
) -> None:
    before = service.load()
    policy = before.policy
    assert policy is not None
    draft = change_tier(before, "L2", name="", wip_limit=0)
    draft = change_tier(draft, "L3", code="L1")
    draft = change_tier(draft, "L1", kind=TierKind.VENDOR)
    draft = change_category(draft, "Laptop", min_tier="L9")
    draft = add_category(draft, "printer", "L1")  # "Printer" exists, letter case aside
    draft = change_calendar(
        draft,
        "Office hours",
        time_zone="Mars/Olympus",
        hours=(
            ((time(9), time(12)), (time(11), time(13))),
            ((time(18), time(8)),),
            (),
            (),
            (),
            (),
            (),
        ),
    )
    draft = replace(
        draft,
        policy=replace(
            policy,
            warning_percent=120,
            calendar="Nope",
            tier_minutes={**policy.tier_minutes, "L2": {"P1": -5, "P7": 10}},
            customer_minutes={**policy.customer_minutes, "lunch": {"P1": 10}},
            pause_all=(TicketStatus.RESOLVED,),
        ),
    )
    snapshot = database_snapshot(desk.database)

    problems = service.check(draft)

    expected = {
        "tiers[1].name": "must not be empty",
        "tiers[1].wip_limit": "0 is not a number of tickets",
        "tiers[2].code": "'L1' is already used by tiers[0]",
        "tiers[0].kind": "the lowest tier must be internal",
        "categories[1].min_tier": "no tier 'L9'",
        "categories[4].name": "'printer' is already used by categories[3]",
        "calendars[0].time_zone": "'Mars/Olympus' is not an IANA time zone",
        "calendars[0].hours.monday": "overlap",
        "calendars[0].hours.tuesday": "ends before it starts",
        "policy.calendar": "no calendar called 'Nope'",
        "policy.warning_percent": "120 is not from 1 to 99",
        "policy.tier_minutes.L2.P1": "-5 is not a number of minutes",
        "policy.tier_minutes.L2.P7": "'P7' is not a priority",
        "policy.customer_minutes.lunch": "not a customer SLA clock",
        "policy.pause_all": "cannot pause clocks",
    }
    found: dict[str, str] = {}
    for problem in problems:  # a field may have several problems
        found[problem.field] = found.get(problem.field, "") + " | " + problem.message
    for field, words in expected.items():
        assert field in found, f"no problem reported at {field}: {problems}"
        assert words in found[field], (field, found[field])
    pages = {problem.field.split("[")[0].split(".")[0]: problem.page for problem in problems}
    assert pages == {
        "tiers": "tiers",
        "categories": "categories",
        "calendars": "calendars",
        "policy": "policy",
    }

    with pytest.raises(ConfigurationInvalid) as refused:
        service.save("sara", before, draft)
    assert refused.value.problems == tuple(problems)
    assert database_snapshot(desk.database) == snapshot


def test_the_vendor_tier_is_one_and_at_the_top(service: ConfigurationService) -> None:
    config = service.load()
    two_vendors = change_tier(config, "L3", kind=TierKind.VENDOR)
    assert any(
        p.field == "tiers[2].kind" and "at most one vendor tier" in p.message
        for p in service.check(two_vendors)
    )
    vendor_in_the_middle = set_vendor_tier(config, "L2")
    (problem,) = service.check(vendor_in_the_middle)
    assert problem.field == "tiers[1].kind"
    assert "must be the top of the ladder (above it: L3, Vendor)" in problem.message
    assert service.check(set_vendor_tier(config, None)) == []


def test_categories_and_their_lowest_tier(service: ConfigurationService, desk: Desk) -> None:
    desk.ticket(category="Printer")
    before = service.load()
    draft = change_category(
        before, "Laptop", name="Laptops & docks", min_tier="L1", description="Hardware"
    )
    draft = add_category(draft, "Backups", "L3", "Restores")
    draft = replace(draft, categories=tuple(c for c in draft.categories if c.name != "Database"))
    service.save("sara", before, draft)
    after = {c.name: (c.min_tier, c.description) for c in service.load().categories}
    assert after == {
        "Backups": ("L3", "Restores"),
        "Laptops & docks": ("L1", "Hardware"),
        "Password reset": ("L1", ""),
        "Printer": ("L1", ""),
    }
    # a category tickets use cannot be removed
    again = service.load()
    without_printer = replace(
        again, categories=tuple(c for c in again.categories if c.name != "Printer")
    )
    with pytest.raises(ConfigurationInvalid, match="'Printer' is used by 1 ticket"):
        service.save("sara", again, without_printer)


def test_sla_policy_changes_make_a_new_version(service: ConfigurationService, desk: Desk) -> None:
    ticket = desk.ticket()
    before = service.load()
    assert before.policy is not None
    policy = replace(
        before.policy,
        warning_percent=80,
        tier_minutes={**before.policy.tier_minutes, "L1": {"P1": 20, "P2": 60, "P3": 240}},
        pause_tier=(TicketStatus.WAITING_ON_VENDOR, TicketStatus.NEW),
    )
    result = service.save("sara", before, replace(before, policy=policy))

    assert "set SLA policy 'Standard''s L1 P1 tier target to 20 min (was 30 min)" in result.changes
    saved = service.load().policy
    assert saved is not None
    assert saved.version == 2 and saved.warning_percent == 80
    assert saved.tier_minutes["L1"] == {"P1": 20, "P2": 60, "P3": 240}
    assert set(saved.pause_tier) == {TicketStatus.WAITING_ON_VENDOR, TicketStatus.NEW}
    with desk.database.read() as session:
        versions = session.execute(select(SlaPolicy.version, SlaPolicy.current)).all()
    assert sorted(versions) == [(1, False), (2, True)]
    # the running clock keeps the version it started with
    clocks = desk.tickets.get(ticket.key).clocks
    assert {clock.policy_version for clock in clocks} == {1}
    # saving the same again changes nothing
    assert service.save("sara", service.load(), service.load()).changes == ()


def test_calendar_hours_zone_and_holidays(service: ConfigurationService) -> None:
    before = service.load()
    office = before.calendars[0]
    calendar = with_public_holidays(office, "DE", 2026)
    calendar = replace(
        calendar,
        time_zone="America/New_York",
        hours=(((time(9), time(12)), (time(13), time(17))),) * 5 + ((), ()),
    )
    draft = replace(before, calendars=(calendar,))
    result = service.save("sara", before, draft)

    saved = service.load().calendars[0]
    assert saved.time_zone == "America/New_York"
    assert saved.hours[4] == ((time(9), time(12)), (time(13), time(17)))
    assert date(2026, 12, 25) in saved.holidays and date(2026, 10, 3) in saved.holidays
    assert len(saved.holidays) == len(public_holidays("DE", 2026))
    assert any("added holidays to calendar 'Office hours'" in line for line in result.changes)


def test_a_wrong_time_zone_is_refused_naming_the_field(
    service: ConfigurationService, desk: Desk
) -> None:
    before = service.load()
    draft = change_calendar(before, "Office hours", time_zone="Europe/Atlantis")
    snapshot = database_snapshot(desk.database)
    with pytest.raises(InvalidInput) as refused:
        service.save("sara", before, draft)
    assert refused.value.field == "calendars[0].time_zone"
    assert "'Europe/Atlantis' is not an IANA time zone name" in refused.value.message
    assert "1 problem; nothing was saved" in str(refused.value)
    assert database_snapshot(desk.database) == snapshot


def test_holiday_import_names_a_wrong_country() -> None:
    with pytest.raises(InvalidInput) as refused:
        public_holidays("XX", 2026)
    assert refused.value.field == "country"
    us_days = {day for day, _name in public_holidays("us", 2026)}
    assert date(2026, 9, 7) in us_days  # Labor Day, the first Monday of September
    assert date(2026, 10, 3) in {day for day, _ in public_holidays("DE", 2026)}


def test_a_new_calendar_for_the_policy(service: ConfigurationService) -> None:
    before = service.load()
    assert before.policy is not None
    always = replace(before.calendars[0], id=None, name="24x7", time_zone="UTC")
    always = replace(always, hours=(((time(0), time(0)),),) * 7, holidays=())
    draft = replace(
        before,
        calendars=(*before.calendars, always),
        policy=replace(before.policy, calendar="24x7"),
    )
    service.save("sara", before, draft)
    after = service.load()
    assert after.policy is not None and after.policy.calendar == "24x7"
    assert [c.name for c in after.calendars] == ["24x7", "Office hours"]
    # the old calendar serves version 1 of the policy: it cannot go
    without_office = replace(after, calendars=(after.calendars[0],))
    assert any("used by SLA policy versions" in p.message for p in service.check(without_office))


def test_second_supervisor_sees_the_first_ones_change(
    service: ConfigurationService, desk: Desk
) -> None:
    sara_read = service.load()
    ada_read = service.load()
    service.save("ada", ada_read, change_tier(ada_read, "L2", name="Desktop support"))
    sara_draft = change_tier(sara_read, "L3", wip_limit=5)
    snapshot = database_snapshot(desk.database)

    with pytest.raises(ConfigurationConflict) as conflict:
        service.save("sara", sara_read, sara_draft)

    assert conflict.value.changes == ("ada renamed tier L2 to 'Desktop support'",)
    assert "renamed tier L2 to 'Desktop support'" in str(conflict.value)
    assert database_snapshot(desk.database) == snapshot
    # reloading and redoing the change works
    fresh = service.load()
    service.save("sara", fresh, change_tier(fresh, "L3", wip_limit=5))
    names = {t.code: (t.name, t.wip_limit) for t in service.load().tiers}
    assert names["L2"] == ("Desktop support", None) and names["L3"] == ("Engineering", 5)


@pytest.mark.parametrize("login", ["lena", "max"])
def test_only_supervisors_and_admins_save(
    service: ConfigurationService, desk: Desk, login: str
) -> None:
    config = service.load()  # anyone may read
    assert not service.may_edit(login)
    assert service.may_edit("sara") and service.may_edit("ada")
    snapshot = database_snapshot(desk.database)
    with pytest.raises(NotAllowed, match="may only read"):
        service.save(login, config, change_tier(config, "L2", name="Mine now"))
    assert database_snapshot(desk.database) == snapshot


def test_tiers_cannot_be_deleted_only_retired(service: ConfigurationService) -> None:
    config = service.load()
    draft = DeskConfiguration(config.tiers[:-1], config.categories, config.calendars, config.policy)
    problems = service.check(draft)
    assert [p.field for p in problems if p.page == "tiers"] == ["tiers"]
    assert "tier Vendor cannot be deleted" in problems[0].message
    assert "retire it instead" in problems[0].message


def test_the_conflict_names_who_made_the_change(service: ConfigurationService) -> None:
    sara_read = service.load()
    ada_read = service.load()
    first = service.save("ada", ada_read, change_tier(ada_read, "L2", name="Desktop support"))
    assert first.configuration.revision > sara_read.revision

    with pytest.raises(ConfigurationConflict) as conflict:
        service.save("sara", sara_read, change_tier(sara_read, "L3", wip_limit=5))

    assert conflict.value.changes == ("ada renamed tier L2 to 'Desktop support'",)
    assert "ada renamed tier L2 to 'Desktop support'" in str(conflict.value)
    # saving from what the first save returned is no conflict
    service.save("ada", first.configuration, change_tier(first.configuration, "L3", wip_limit=5))


def test_two_saves_at_once_one_wins_the_other_sees_a_conflict(
    service: ConfigurationService,
) -> None:
    read = service.load()
    drafts = {
        "sara": change_tier(read, "L2", name="Desktop support"),
        "ada": change_tier(read, "L2", name="Apps"),
    }
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(login: str) -> None:
        start.wait()
        try:
            service.save(login, read, drafts[login])
            outcomes[login] = "saved"
        except ConfigurationConflict as conflict:
            outcomes[login] = " ".join(conflict.changes)

    threads = [threading.Thread(target=save, args=(login,)) for login in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winner = next(login for login, outcome in outcomes.items() if outcome == "saved")
    loser = next(login for login in drafts if login != winner)
    assert outcomes[loser] == f"{winner} renamed tier L2 to {drafts[winner].tiers[1].name!r}"
    assert service.load().tiers[1].name == drafts[winner].tiers[1].name


def test_a_change_that_would_stop_the_rules_is_refused_naming_the_rule(
    service: ConfigurationService, desk: Desk
) -> None:
    """A rule names the category "Printer": renaming the category would leave the rule set
    invalid, and an invalid rule set stops every rule, so the save says so and keeps all."""
    rules = RuleService(desk.database, desk.clock)
    printers = {
        "name": "Printers to L2",
        "trigger": {"on": "created"},
        "conditions": [{"field": "category", "op": "in", "value": ["Printer"]}],
        "actions": [{"do": "move", "to": "L2"}],
    }
    rules.save("sara", rules.list().version, rules_from_json([printers]))
    read = service.load()
    snapshot = database_snapshot(desk.database)
    with pytest.raises(ConfigurationInvalid) as refused:
        service.save("sara", read, change_category(read, "Printer", name="Printers"))
    [problem] = refused.value.problems
    assert (problem.page, problem.field) == ("rules", "rules[0].conditions[0].value[0]")
    assert 'rule "Printers to L2"' in problem.message
    assert database_snapshot(desk.database) == snapshot
    assert rules.list().warning is None
