"""The rules engine on both databases: the created and updated triggers in the ticket's own
transaction, every condition and action, order and stop, the cap on rule-driven moves, the
history's record of each firing (rule id and version), a stored rule set that no longer
validates (disabled as a whole, with a warning), conflicts between two supervisors' saves, and
the rules as a JSON file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select, update

from app.models import MoveReason, Rule, RuleNotification, RuleSetState, Tier, User
from app.services.errors import NotAllowed
from app.services.rules import engine
from app.services.rules.conditions import TicketSnapshot
from app.services.rules.definition import definition_to_json
from app.services.rules.engine import TriggerEvent, compile_rule_set, evaluate, new_token
from app.services.rules.notices import RuleNoticeService
from app.services.rules.service import (
    RuleService,
    RuleSetConflict,
    rules_from_json,
    rules_to_json,
)
from app.services.rules.validation import DeskFacts, InvalidRuleSet
from app.services.tickets import TicketChanges


def rule(
    name: str,
    actions: list[dict[str, Any]],
    conditions: list[dict[str, Any]] | None = None,
    trigger: dict[str, Any] | None = None,
    stop: bool = False,
) -> dict[str, Any]:
    return {
        "name": name,
        "trigger": trigger or {"on": "created"},
        "conditions": conditions or [],
        "actions": actions,
        "stop": stop,
    }


def test(field: str, op: str, value: Any = None) -> dict[str, Any]:
    found = {"field": field, "op": op}
    return found if value is None else {**found, "value": value}


test.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def save_rules(desk, *rules: dict[str, Any], actor: str = "sara"):
    service = RuleService(desk.database, desk.clock)
    return service.save(actor, service.list().version, rules_from_json(list(rules)))


def rule_events(desk, key: str):
    return [e for e in desk.tickets.get(key).events if e.reason == MoveReason.RULE]


def notified(desk) -> list[tuple[str, str]]:
    with desk.database.read() as session:
        rows = session.execute(
            select(User.login, RuleNotification.message)
            .join(User, User.id == RuleNotification.user_id)
            .order_by(RuleNotification.id)
        )
        return [tuple(row) for row in rows]


# ------------------------------------------------------------------------------- triggers
def test_created_rule_moves_a_new_ticket_in_its_transaction_and_history_names_the_rule(desk):
    view = save_rules(
        desk,
        rule(
            "Databases start at L3",
            [{"do": "move", "to": "L3"}],
            [test("category", "in", ["Database"])],
        ),
    )
    rule_id = view.rules[0].id
    made = desk.ticket(category="Database")
    other = desk.ticket(category="Printer")
    assert made.tier == "L3"
    assert other.tier == "L1"
    (moved,) = rule_events(desk, made.key)
    assert (moved.from_tier, moved.to_tier, moved.rule_id) == ("L1", "L3", rule_id)
    assert moved.details["rule_version"] == 1
    assert moved.actor is None  # TierDesk acted, not the person who opened the ticket
    assert rule_events(desk, other.key) == []


def test_updated_rule_fires_only_on_the_fields_it_watches(desk):
    save_rules(
        desk,
        rule(
            "P1 goes to L2",
            [{"do": "move", "to": "up"}],
            [test("priority", "in", ["P1"])],
            {"on": "updated", "fields": ["priority"]},
        ),
    )
    made = desk.ticket(impact="high", urgency="high", title="Outage")  # P1 but created
    assert made.tier == "L1"
    edited = desk.tickets.edit("lena", made.key, made.version, TicketChanges(title="Outage!"))
    assert edited.tier == "L1"  # the title is not a watched field
    other = desk.ticket()
    raised = desk.tickets.edit(
        "lena", other.key, other.version, TicketChanges(impact="high", urgency="high")
    )
    assert (raised.priority, raised.tier) == ("P1", "L2")


def test_updated_rule_without_fields_fires_on_any_change_and_sees_a_comment(desk):
    save_rules(
        desk,
        rule(
            "Comments on waiting tickets reopen them",
            [{"do": "set_status", "to": "open"}],
            [test("status", "in", ["waiting_on_customer"])],
            {"on": "updated", "fields": ["comment"]},
        ),
    )
    made = desk.ticket()
    waiting = desk.tickets.change_status("lena", made.key, made.version, "waiting_on_customer")
    assert waiting.status == "waiting_on_customer"  # a status change is not a comment
    commented = desk.tickets.comment("lena", made.key, "here is the log", waiting.version)
    assert commented.status == "open"


def test_a_rule_version_change_is_what_history_records(desk):
    view = save_rules(desk, rule("Tag", [{"do": "set_priority", "to": "P2"}]))
    first = desk.ticket()
    service = RuleService(desk.database, desk.clock)
    changed = replace(
        view.rules[0].spec,
        definition=replace(view.rules[0].definition, stop=True),
    )
    view = service.save("sara", view.version, [changed])
    assert view.rules[0].version == 2
    second = desk.ticket()
    assert rule_events(desk, first.key)[0].details["rule_version"] == 1
    assert rule_events(desk, second.key)[0].details["rule_version"] == 2
    assert rule_events(desk, second.key)[0].rule_id == view.rules[0].id


def test_rules_run_in_the_transaction_of_the_change_and_fail_with_it(desk, monkeypatch):
    save_rules(
        desk,
        rule("Retitled goes up", [{"do": "move", "to": "up"}], trigger={"on": "updated"}),
    )
    made = desk.ticket()
    real_apply = engine.apply_evaluation

    def apply_then_fail(*args, **kwargs):
        real_apply(*args, **kwargs)  # the rule's move is written ...
        raise RuntimeError("the disk is full")  # ... then the transaction fails

    monkeypatch.setattr(engine, "apply_evaluation", apply_then_fail)
    with pytest.raises(RuntimeError):
        desk.tickets.edit("lena", made.key, made.version, TicketChanges(title="Renamed"))
    after = desk.tickets.get(made.key)
    assert (after.ticket.title, after.ticket.tier, after.ticket.version) == (
        made.title, "L1", made.version,
    )  # fmt: skip
    assert rule_events(desk, made.key) == []


# ----------------------------------------------------------------------------- conditions
BASE = TicketSnapshot(
    key="TD-1",
    title="VPN drops every hour",
    description="Since Monday the VPN disconnects; error 809",
    requester="Anna Rossi",
    category="Laptop",
    impact="high",
    urgency="medium",
    priority="P2",
    status="open",
    tier="L2",
    assignee="tom",
    reopened_count=1,
    escalations=2,
)

CONDITIONS = [
    (test("category", "in", ["laptop", "Printer"]), True),
    (test("category", "not_in", ["Laptop"]), False),
    (test("priority", "in", ["P1"]), False),
    (test("priority", "at_least", "P2"), True),
    (test("priority", "at_most", "P2"), True),  # P2, P3 or P4: no more urgent than P2
    (test("priority", "at_most", "P3"), False),
    (test("priority", "at_least", "P1"), False),
    (test("impact", "in", ["high"]), True),
    (test("impact", "at_most", "medium"), False),
    (test("urgency", "at_least", "medium"), True),
    (test("urgency", "not_in", ["medium"]), False),
    (test("tier", "in", ["L2"]), True),
    (test("tier", "at_least", "L3"), False),
    (test("tier", "at_most", "L2"), True),
    (test("status", "in", ["open", "new"]), True),
    (test("status", "not_in", ["open"]), False),
    (test("assignee", "in", ["tom"]), True),
    (test("assignee", "not_in", ["tom"]), False),
    (test("assignee", "is_none"), False),
    (test("assignee", "is_set"), True),
    (test("requester", "equals", "anna rossi"), True),
    (test("requester", "contains", "Ross"), True),
    (test("requester", "regex", "^Bob"), False),
    (test("title", "contains", "vpn"), True),
    (test("title", "regex", r"every \w+$"), True),
    (test("description", "contains", "error 800"), False),
    (test("description", "regex", r"error 8\d\d"), True),
    (test("reopened_count", ">=", 1), True),
    (test("reopened_count", "=", 0), False),
    (test("escalations", ">", 2), False),
    (test("escalations", "<=", 2), True),
    (test("escalations", "!=", 3), True),
    ({"all": [test("tier", "in", ["L2"]), test("priority", "in", ["P1"])]}, False),
    ({"any": [test("tier", "in", ["L3"]), test("priority", "in", ["P2"])]}, True),
    ({"not": test("category", "in", ["Laptop"])}, False),
    ({"not": {"any": [test("tier", "in", ["L3"]), test("assignee", "is_none")]}}, True),
]


@pytest.mark.parametrize(("condition", "holds"), CONDITIONS)
def test_each_condition(desk, condition, holds):
    with desk.database.read() as session:
        facts = DeskFacts.load(session)
    specs = rules_from_json([rule("Probe", [{"do": "comment", "text": "hit"}], [condition])])
    specs = [replace(specs[0], id=1)]
    evaluation = evaluate(compile_rule_set(specs, facts), BASE, TriggerEvent("created"))
    assert bool(evaluation.firings) is holds


def test_conditions_on_a_stored_ticket_see_its_assignee_reopens_and_escalations(desk):
    save_rules(
        desk,
        rule(
            "Bounced tickets to supervisors",
            [{"do": "notify", "supervisors": True, "text": "bounced"}],
            [test("escalations", ">=", 2), test("reopened_count", ">=", 1)],
            {"on": "updated", "fields": ["status"]},
        ),
    )
    made = desk.ticket(category="Laptop")
    made = desk.tickets.escalate("lena", made.key, made.version)
    made = desk.tickets.move("sara", made.key, made.version, "L3")
    made = desk.tickets.resolve("ines", made.key, made.version, "fixed")
    assert notified(desk) == []  # escalated twice, but never reopened
    desk.tickets.reopen("ines", made.key, made.version, "back again")
    assert sorted(login for login, _ in notified(desk)) == ["ada", "sara"]


# -------------------------------------------------------------------------------- actions
def test_move_up_down_and_to_a_named_tier(desk):
    save_rules(
        desk,
        rule("Laptops up", [{"do": "move", "to": "up"}], [test("category", "in", ["Laptop"])]),
        rule(
            "Printers to the vendor",
            [{"do": "move", "to": "Vendor"}],
            [test("category", "in", ["Printer"])],
        ),
        rule(
            "Password resets back down",
            [{"do": "move", "to": "down"}],
            [test("category", "in", ["Password reset"])],
        ),
    )
    assert desk.ticket(category="Laptop").tier == "L2"
    # A rule acts as TierDesk: it may jump tiers where the person who opened it may not.
    assert desk.ticket(category="Printer").tier == "Vendor"
    down = desk.ticket("sara", category="Password reset", tier="L3")
    assert down.tier == "L2"
    (moved,) = rule_events(desk, down.key)
    assert "Password resets back down" in moved.note  # a move down says why


def test_move_at_the_top_or_bottom_changes_nothing_and_is_no_firing(desk):
    save_rules(desk, rule("Down", [{"do": "move", "to": "down"}]))
    made = desk.ticket()
    assert made.tier == "L1"
    assert rule_events(desk, made.key) == []


def test_assign_unassign_priority_status_and_comment(desk):
    save_rules(
        desk,
        rule(
            "Printers to Omar, urgent",
            [
                {"do": "assign", "to": "omar"},
                {"do": "set_priority", "to": "P1"},
                {"do": "comment", "text": "Omar looks after printers"},
            ],
            [test("category", "in", ["Printer"])],
        ),
        rule(
            "Waiting on the vendor means nobody here",
            [{"do": "unassign"}, {"do": "set_status", "to": "waiting_on_vendor"}],
            [test("title", "contains", "warranty")],
            {"on": "updated", "fields": ["title"]},
        ),
    )
    made = desk.ticket(category="Printer")
    assert (made.assignee, made.priority, made.priority_overridden) == ("omar", "P1", True)
    assert made.status == "open"  # assigning a new ticket opens it
    detail = desk.tickets.get(made.key)
    assert [c.body for c in detail.comments] == ["Omar looks after printers"]
    assert detail.comments[0].author == "sara"  # written as whoever saved the rule
    edited = desk.tickets.edit(
        "omar", made.key, made.version, TicketChanges(title="Printer warranty case")
    )
    assert (edited.assignee, edited.status) == (None, "waiting_on_vendor")
    kinds = {(e.kind.value, e.rule_id is not None) for e in rule_events(desk, made.key)}
    assert kinds == {
        ("assigned", True), ("priority_changed", True), ("commented", True),
        ("status_changed", True),
    }  # fmt: skip


def test_assign_is_skipped_where_the_person_does_not_work_the_tier(desk):
    save_rules(desk, rule("To Tom", [{"do": "assign", "to": "tom"}]))  # tom works L2
    made = desk.ticket()  # at L1
    assert made.assignee is None
    assert rule_events(desk, made.key) == []


def test_notify_users_a_tier_and_supervisors(desk):
    save_rules(
        desk,
        rule(
            "Tell people",
            [
                {"do": "notify", "users": ["ines"], "text": "FYI"},
                {"do": "notify", "tiers": ["L1"]},
                {"do": "notify", "supervisors": True, "text": "look"},
            ],
        ),
    )
    made = desk.ticket()
    told = notified(desk)
    assert ("ines", "FYI") in told
    assert {login for login, _ in told} == {"ines", "lena", "omar", "sara", "ada"}
    assert (("lena", f"{made.key}: rule “Tell people” fired")) in told
    assert "max" not in {login for login, _ in told}  # managers read reports
    notices = RuleNoticeService(desk.database)
    (for_ines,) = notices.for_user("ines", 0)
    assert (for_ines.key, for_ines.message, for_ines.rule_version) == (made.key, "FYI", 1)
    assert notices.for_user("ines", for_ines.id) == []
    assert notices.latest_id() >= for_ines.id


# ------------------------------------------------------------------------- order and stop
def test_rules_run_in_order_later_ones_seeing_earlier_changes(desk):
    save_rules(
        desk,
        rule("First P2", [{"do": "set_priority", "to": "P2"}]),
        rule(
            "P2 gets noticed",
            [{"do": "comment", "text": "P2 now"}],
            [test("priority", "in", ["P2"])],
        ),
        rule("Then P4", [{"do": "set_priority", "to": "P4"}]),
    )
    made = desk.ticket()
    assert made.priority == "P4"
    assert [c.body for c in desk.tickets.get(made.key).comments] == ["P2 now"]
    names = [e.details["rule"] for e in rule_events(desk, made.key)]
    assert names == ["First P2", "P2 gets noticed", "Then P4"]


def test_stop_ends_processing(desk):
    save_rules(
        desk,
        rule("First P2", [{"do": "set_priority", "to": "P2"}], stop=True),
        rule("Then P4", [{"do": "set_priority", "to": "P4"}]),
    )
    assert desk.ticket().priority == "P2"


def test_a_rule_whose_conditions_fail_does_not_stop_the_others(desk):
    save_rules(
        desk,
        rule(
            "Only printers, stop",
            [{"do": "set_priority", "to": "P2"}],
            [test("category", "in", ["Printer"])],
            stop=True,
        ),
        rule("Then P4", [{"do": "set_priority", "to": "P4"}]),
    )
    assert desk.ticket().priority == "P4"


def test_a_rule_change_triggers_the_updated_rules_once_each(desk):
    save_rules(
        desk,
        rule(
            "Escalated tickets get a note",
            [{"do": "comment", "text": "moved by a rule"}],
            trigger={"on": "updated", "fields": ["tier"]},
        ),
        rule("Laptops up", [{"do": "move", "to": "up"}], [test("category", "in", ["Laptop"])]),
    )
    made = desk.ticket(category="Laptop")
    assert made.tier == "L2"
    assert [c.body for c in desk.tickets.get(made.key).comments] == ["moved by a rule"]


# ------------------------------------------------------------------------ the runtime cap
def store_unchecked(desk, *rules: dict[str, Any]) -> None:
    """Rules written straight into the database, past the save's checks (as an older
    TierDesk or a hand edit might have left them)."""
    specs = rules_from_json(list(rules))
    with desk.database.write() as session:
        sara = session.scalar(select(User.id).where(User.login == "sara"))
        for position, spec in enumerate(specs):
            session.add(
                Rule(
                    position=position, name=spec.name, enabled=True, version=1,
                    definition=definition_to_json(spec.definition),
                    updated_at=desk.clock.instant, updated_by=sara,
                )
            )  # fmt: skip
        session.add(RuleSetState(id=1, version=1, token=new_token(), summary=""))


def test_the_cap_on_rule_moves_stops_a_loop_and_tells_supervisors(desk):
    ping = [test("tier", "in", ["L1"])]
    pong = [test("tier", "in", ["L2"])]
    any_change = {"on": "updated", "fields": []}
    looping = [
        rule("Ping", [{"do": "move", "to": "L2"}], ping, any_change),
        rule("Pong", [{"do": "move", "to": "L1"}], pong, any_change),
        rule("Ping again", [{"do": "move", "to": "L2"}], ping, any_change),
        rule("Pong again", [{"do": "move", "to": "L1"}], pong, any_change),
    ]
    with pytest.raises(InvalidRuleSet, match="loop"):
        save_rules(desk, *looping)  # refused on save ...
    store_unchecked(desk, *looping)  # ... but were it stored anyway:
    made = desk.ticket()
    changed = desk.tickets.comment("lena", made.key, "hello", made.version)
    moves = [e for e in rule_events(desk, made.key) if e.kind.value == "tier_changed"]
    assert [e.details["rule"] for e in moves] == ["Ping", "Pong", "Ping again"]
    assert changed.tier == "L2"
    told = notified(desk)
    assert {login for login, _ in told} == {"sara", "ada"}
    assert "Pong again" in told[0][1] and "loop" in told[0][1]


# ------------------------------------------------------------------- validity and saving
def test_a_stored_rule_set_that_no_longer_validates_is_disabled_as_a_whole(desk):
    save_rules(
        desk,
        rule("P2 for all", [{"do": "set_priority", "to": "P2"}]),
        rule(
            "Printers to the vendor",
            [{"do": "move", "to": "Vendor"}],
            [test("category", "in", ["Printer"])],
        ),
    )
    assert desk.ticket().priority == "P2"
    with desk.database.write() as session:  # the vendor tier is retired
        session.execute(update(Tier).where(Tier.code == "Vendor").values(retired=True))
    view = RuleService(desk.database, desk.clock).list()
    assert view.warning is not None
    assert 'rule "Printers to the vendor": actions[0].to' in view.warning
    made = desk.ticket()
    assert made.priority == "P3"  # not even the rule that is still fine runs
    assert rule_events(desk, made.key) == []


def test_validate_lists_every_problem_and_save_refuses_saving_nothing(desk):
    service = RuleService(desk.database, desk.clock)
    typo = rule("Typo", [{"do": "move", "to": "L9"}], [test("category", "in", ["Pasword"])])
    problems = [str(p) for p in service.validate([typo, rule("Nothing", [])])]
    assert problems == [
        "rule \"Typo\": conditions[0].value[0]: unknown category 'Pasword'",
        "rule \"Typo\": actions[0].to: unknown or retired tier 'L9' (tiers: L1, L2, L3, Vendor)",
        'rule "Nothing": actions: a rule needs at least one action',
    ]
    with pytest.raises(InvalidRuleSet) as refused:
        save_rules(desk, rule("Fine", [{"do": "unassign"}]), typo)
    assert refused.value.field == 'rule "Typo": conditions[0].value[0]'
    assert len(refused.value.problems) == 2
    assert service.list().rules == ()
    assert service.list().version == 0


def test_only_supervisors_and_admins_save_rules(desk):
    with pytest.raises(NotAllowed):
        save_rules(desk, rule("P2", [{"do": "set_priority", "to": "P2"}]), actor="lena")
    assert save_rules(desk, rule("P2", [{"do": "set_priority", "to": "P2"}]), actor="ada").rules


def test_a_second_supervisor_saving_over_a_changed_rule_set_sees_the_change(desk):
    service = RuleService(desk.database, desk.clock)
    read_by_ada = service.list()
    read_by_sara = service.list()
    service.save(
        "sara", read_by_sara.version, rules_from_json([rule("Sara's", [{"do": "unassign"}])])
    )
    with pytest.raises(RuleSetConflict) as conflict:
        service.save(
            "ada", read_by_ada.version, rules_from_json([rule("Ada's", [{"do": "unassign"}])])
        )
    assert "sara" in str(conflict.value) and "added “Sara's”" in str(conflict.value)
    assert [r.name for r in service.list().rules] == ["Sara's"]


def test_enable_disable_and_reorder_bump_what_they_should(desk):
    view = save_rules(
        desk,
        rule("First P2", [{"do": "set_priority", "to": "P2"}]),
        rule("Then P4", [{"do": "set_priority", "to": "P4"}]),
    )
    service = RuleService(desk.database, desk.clock)
    first, second = view.rules
    view = service.reorder("sara", view.version, [second.id, first.id])
    assert [r.name for r in view.rules] == ["Then P4", "First P2"]
    assert [r.version for r in view.rules] == [1, 1]  # the order is not the rule's content
    assert desk.ticket().priority == "P2"
    view = service.set_enabled("sara", view.version, first.id, False)
    assert [r.version for r in view.rules] == [1, 2]
    assert desk.ticket().priority == "P4"


def test_rules_round_trip_through_json(desk):
    save_rules(
        desk,
        rule(
            "Long waits",
            [{"do": "notify", "tiers": ["L2"], "supervisors": True, "users": [], "text": "x"}],
            [{"any": [test("priority", "at_least", "P2"), {"not": test("tier", "in", ["L1"])}]}],
            {"on": "time", "measure": "in_tier", "minutes": 90, "calendar": None},
        ),
    )
    with desk.database.read() as session:
        exported = rules_to_json(session)
        facts = DeskFacts.load(session)
    again = rules_from_json(exported, facts)
    assert [(s.name, s.definition) for s in again] == [
        (r.name, r.definition) for r in RuleService(desk.database).list().rules
    ]
