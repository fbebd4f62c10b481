"""Preview and replay of draft rules and SLA policies, on both databases: what a draft would do
to the open tickets now, and ten days of history replayed under it, with a known answer; and
that none of it writes (the SQLite file byte for byte, PostgreSQL row for row)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.cli import main
from app.models import Ticket
from app.services.business_time import BusinessCalendar, elapsed
from app.services.database import Database, open_database
from app.services.errors import InvalidInput
from app.services.history import state_of
from app.services.preview import (
    DraftPolicy,
    preview_policy,
    preview_rules,
    replay_policy,
    replay_rules,
)
from app.services.preview.business_seconds import BusinessSeconds
from app.services.preview.fold import LiveState
from app.services.preview.reading import stored_instant, stream_events
from app.services.rules.definition import RuleSpec
from app.services.rules.service import RuleService, rules_from_json
from app.services.rules.validation import InvalidRuleSet
from app.services.sla_policy import SlaPolicyService
from tests.factories import T0, Desk, database_snapshot

END = T0 + timedelta(days=10)  # Thursday 12 March, 09:00 UTC
P1_TO_L2 = {
    "name": "P1 straight to L2",
    "trigger": {"on": "created"},
    "conditions": [{"field": "priority", "op": "in", "value": ["P1"]}],
    "actions": [{"do": "move", "to": "L2"}],
}
P2_TO_L2 = {**P1_TO_L2, "name": "P2 straight to L2", "conditions": [
    {"field": "priority", "op": "in", "value": ["P2"]}
]}  # fmt: skip


def drafts(*rules: dict[str, Any]) -> list[RuleSpec]:
    return rules_from_json(list(rules))


@dataclass
class History:
    """Ten days of a desk's life: each day at 10:00 one P1, P2 and P3 ticket opened at L1 and
    resolved ten minutes later (the stored rule sends P2 to L2 first, where tom resolves it);
    on the last evening a P3 (17:00) and a P1 (17:30) are left open at L1."""

    p1: list[str] = field(default_factory=list)
    p2: list[str] = field(default_factory=list)
    p3: list[str] = field(default_factory=list)
    created: dict[str, datetime] = field(default_factory=dict)
    open_p1: str = ""
    open_p3: str = ""


def at(desk: Desk, instant: datetime) -> None:
    desk.clock.instant = instant


def build_history(desk: Desk) -> History:
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    rules = RuleService(desk.database, desk.clock)
    rules.save("sara", rules.list().version, drafts(P2_TO_L2))
    history = History()
    for day in range(10):
        opened = T0 + timedelta(days=day, hours=1)
        for priority, resolver in (("P1", "lena"), ("P2", "tom"), ("P3", "lena")):
            at(desk, opened)
            ticket = desk.ticket("lena", title=f"{priority} of day {day}", priority=priority)
            getattr(history, priority.lower()).append(ticket.key)
            history.created[ticket.key] = opened
            at(desk, opened + timedelta(minutes=10))
            desk.tickets.resolve(resolver, ticket.key, desk.version(ticket.key), "Done")
    evening = T0 + timedelta(days=9, hours=8)  # Wednesday 11 March, 17:00
    at(desk, evening)
    history.open_p3 = desk.ticket("lena", title="Open P3", priority="P3").key
    history.created[history.open_p3] = evening
    at(desk, evening + timedelta(minutes=30))
    history.open_p1 = desk.ticket("lena", title="Open P1", priority="P1").key
    history.created[history.open_p1] = evening + timedelta(minutes=30)
    return history


@pytest.fixture
def history(desk: Desk) -> History:
    return build_history(desk)


# ------------------------------------------------------------------------------- preview now
def test_a_draft_rules_preview_lists_exactly_the_open_tickets_it_would_act_on(desk):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    p1 = desk.ticket(title="Server down", priority="P1")
    desk.later(5)
    p3 = desk.ticket(title="Mouse", priority="P3")
    desk.resolved_ticket(title="Resolved P1", priority="P1")
    desk.later(30)
    young_p3 = desk.ticket(title="New mouse", priority="P3")
    stale = {
        "name": "Stale P3 to L2",
        "trigger": {"on": "time", "measure": "without_resolution", "minutes": 30},
        "conditions": [{"field": "priority", "op": "in", "value": ["P3"]}],
        "actions": [{"do": "move", "to": "up"}],
    }
    result = preview_rules(desk.database, drafts(P1_TO_L2, stale), at=desk.clock.instant)

    assert result.tickets_examined == 3
    found = sorted((a.key, a.tier, a.action, a.cause) for a in result.actions)
    assert found == [
        (p1.key, "L1", "move L1 → L2", "rule “P1 straight to L2” (had it been created like this)"),
        (p3.key, "L1", "move L1 → L2",
         "rule “Stale P3 to L2” (30 min without resolution, wall time)"),
    ]  # fmt: skip
    assert young_p3.key not in {a.key for a in result.actions}


def test_a_draft_that_would_not_save_is_refused_with_the_rule_named(desk):
    broken = {**P1_TO_L2, "actions": [{"do": "move", "to": "L9"}]}
    with pytest.raises(InvalidRuleSet, match="P1 straight to L2"):
        preview_rules(desk.database, drafts(broken), at=desk.clock.instant)


def test_a_tighter_sla_draft_lists_the_tickets_it_would_escalate_and_warn_now(desk):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    late = desk.ticket(title="Since nine", priority="P3")  # Monday 09:00
    desk.later(20)
    warned = desk.ticket(title="Since twenty past", priority="P3")
    desk.later(20)
    fresh = desk.ticket(title="Since twenty to ten", priority="P3")
    now = T0 + timedelta(minutes=45)
    draft = DraftPolicy({"tier": {"L1": {"P3": 30}}})

    result = preview_policy(desk.database, draft, at=now)

    tier_clock = sorted(
        (a.key, a.action) for a in result.actions if a.cause.startswith("L1 tier clock")
    )
    assert tier_clock == [
        (late.key, "move L1 → L2 (45 min used)"),
        (warned.key, "warn at 75% (25 min used)"),
    ]
    assert fresh.key not in {key for key, _action in tier_clock}
    current = preview_policy(desk.database, DraftPolicy({}), at=now)
    assert not [a for a in current.actions if a.cause.startswith("L1 tier clock")]


def test_a_draft_policy_naming_an_unknown_tier_is_refused_with_the_field(desk):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    with pytest.raises(InvalidInput, match=r"targets\.tier\.L7"):
        preview_policy(desk.database, DraftPolicy({"tier": {"L7": {"P1": 5}}}), at=T0)


# ------------------------------------------------------------------------------------ replay
def test_replaying_ten_days_under_a_draft_rule_adds_and_removes_exactly_its_moves(desk, history):
    progress: list[tuple[int, int]] = []
    result = replay_rules(
        desk.database,
        drafts(P1_TO_L2),
        days=10,
        at=END,
        progress=lambda d, t: progress.append((d, t)),
    )

    assert not result.cancelled
    assert result.tickets_replayed == 32
    added = [(m.key, m.from_tier, m.to_tier, m.at, m.cause) for m in result.added]
    expected = [
        (key, "L1", "L2", history.created[key], "rule “P1 straight to L2”")
        for key in [*history.p1, history.open_p1]
    ]
    assert added == sorted(expected, key=lambda move: move[3])
    removed = [(m.key, m.from_tier, m.to_tier, m.at) for m in result.removed]
    assert removed == [(key, "L1", "L2", history.created[key]) for key in history.p2]
    assert progress[0] == (0, 32) and progress[-1] == (32, 32)


def test_the_replayed_distribution_counts_open_tickets_per_tier_per_day(desk, history):
    result = replay_rules(desk.database, drafts(P1_TO_L2), days=10, at=END)
    table = result.distribution
    records = list(table.records())

    assert [r["day"] for r in records] == [(T0 + timedelta(days=d)).date() for d in range(1, 11)]
    for record in records[:-1]:  # every ticket of those days was resolved within ten minutes
        assert all(value == 0 for key, value in record.items() if key != "day")
    last = records[-1]
    assert (last["L1_actual"], last["L1_replayed"]) == (2, 1)
    assert (last["L2_actual"], last["L2_replayed"]) == (0, 1)
    assert (last["L3_actual"], last["L3_replayed"]) == (0, 0)


def test_replay_compliance_counts_the_tier_clocks_decided_in_the_window(desk, history):
    result = replay_rules(desk.database, drafts(P1_TO_L2), days=10, at=END)
    rows = {r["tier"]: r for r in result.compliance.records()}

    # Actual: 30 L1 clocks met (P2s left L1 at once, the others resolved in 10 minutes), the
    # open P1's L1 clock ran out at 18:00. Replayed: every L1 clock stopped in time; the P1s
    # were resolved at L2 in 10 minutes; the P2s stayed at L1 and were resolved there.
    assert (rows["L1"]["actual_clocks"], rows["L1"]["actual_met"]) == (31, 30 / 31)
    assert (rows["L1"]["replayed_clocks"], rows["L1"]["replayed_met"]) == (31, 1.0)
    assert (rows["L2"]["actual_clocks"], rows["L2"]["actual_met"]) == (10, 1.0)
    assert (rows["L2"]["replayed_clocks"], rows["L2"]["replayed_met"]) == (10, 1.0)


def test_replaying_the_stored_rules_themselves_changes_nothing(desk, history):
    result = replay_rules(desk.database, drafts(P2_TO_L2), days=10, at=END)

    assert result.added == () and result.removed == ()
    for record in result.distribution.records():
        assert record["L1_actual"] == record["L1_replayed"]
        assert record["L2_actual"] == record["L2_replayed"]


def test_replaying_a_tighter_policy_escalates_what_would_have_run_out(desk, history):
    draft = DraftPolicy({"tier": {"L1": {"P3": 5}}})
    result = replay_policy(desk.database, draft, days=10, at=END)

    weekdays = [k for k in history.p3 if history.created[k].weekday() < 5]
    moved = sorted((m.key, m.from_tier, m.to_tier) for m in result.added)
    # every weekday P3 (its five business minutes ran out before it was resolved), the open
    # P3, and the open P1 whose 30 minutes ran out at 18:00 (no pass ran in the history)
    expected = [(k, "L1", "L2") for k in [*weekdays, history.open_p3, history.open_p1]]
    assert moved == sorted(expected)
    escalations = {m.key: m.at for m in result.added}
    first = weekdays[0]
    assert escalations[first] == history.created[first] + timedelta(minutes=5)
    assert result.removed == ()


def test_a_cancelled_replay_returns_a_partial_result_flagged_cancelled(desk, history):
    result = replay_rules(desk.database, drafts(P1_TO_L2), days=10, at=END, cancelled=lambda: True)

    assert result.cancelled
    assert result.tickets_replayed == 0
    assert result.added == ()


def test_days_out_of_range_are_refused(desk):
    with pytest.raises(InvalidInput, match="days"):
        replay_rules(desk.database, drafts(P1_TO_L2), days=0, at=END)


# -------------------------------------------------------------------------- nothing written
def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_everything(database: Database) -> None:
    rules = drafts(P1_TO_L2)
    policy = DraftPolicy({"tier": {"L1": {"P3": 5}}})
    preview_rules(database, rules, at=END)
    preview_policy(database, policy, at=END)
    replay_rules(database, rules, days=10, at=END)
    replay_policy(database, policy, days=10, at=END)


def test_previews_and_replays_leave_the_database_unchanged(database_url, desk, history):
    if database_url.startswith("sqlite"):
        desk.database.close()  # the last connection closing checkpoints the write-ahead log
        path = Path(database_url.removeprefix("sqlite:///"))
        before = _file_hash(path)
        database = open_database(database_url, migrate=False)
        _run_everything(database)
        database.close()
        assert _file_hash(path) == before
    else:
        before_rows = database_snapshot(desk.database)
        _run_everything(desk.database)
        assert database_snapshot(desk.database) == before_rows


def test_the_replays_fold_agrees_with_the_history_fold_on_every_ticket(desk, history):
    with desk.database.read() as session:
        params = {"start": stored_instant(session, T0), "end": stored_instant(session, END)}
        events = list(stream_events(session, "TRUE", params))
        tickets = {t.id: state_of(t) for t in session.scalars(select(Ticket))}
    folded: dict[int, LiveState] = {}
    for event in events:
        if event.ticket_id not in folded:
            folded[event.ticket_id] = LiveState.created(event)
        else:
            folded[event.ticket_id].apply(event)
    assert len(folded) == len(tickets) == 32
    assert all(folded[ticket_id].frozen() == state for ticket_id, state in tickets.items())


# ------------------------------------------------------------------------------------- CLI
def test_the_cli_previews_and_replays_a_draft_rule_file_as_json(
    desk, history, database_url, tmp_path, capsys
):
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps({"format": "tierdesk-rules", "rules": [P1_TO_L2]}))

    assert (
        main(
            [
                "--db",
                database_url,
                "rules",
                "preview",
                str(draft),
                "--at",
                END.isoformat(),
                "--json",
            ]
        )
        == 0
    )
    preview = json.loads(capsys.readouterr().out)
    assert [(a["key"], a["action"]) for a in preview["actions"]] == [
        (history.open_p1, "move L1 → L2")
    ]
    replaying = ["rules", "replay", str(draft), "--at", END.isoformat(), "--days", "10", "--json"]
    assert main(["--db", database_url, *replaying]) == 0
    replay = json.loads(capsys.readouterr().out)
    added = sorted((m["key"], m["from_tier"], m["to_tier"]) for m in replay["added"])
    assert added == sorted((key, "L1", "L2") for key in [*history.p1, history.open_p1])
    assert sorted(m["key"] for m in replay["removed"]) == sorted(history.p2)
    last = replay["replay_distribution"]["rows"][-1]
    assert (last["day"], last["L1_actual"], last["L1_replayed"], last["L2_replayed"]) == (
        END.date().isoformat(), 2, 1, 1,
    )  # fmt: skip


def test_the_cli_refuses_a_draft_policy_naming_an_unknown_tier_with_the_field(
    desk, database_url, tmp_path, capsys
):
    SlaPolicyService(desk.database, desk.clock).install_default("UTC")
    draft = tmp_path / "sla.json"
    draft.write_text(json.dumps({"targets": {"tier": {"L7": {"P1": 5}}}}))

    assert main(["--db", database_url, "sla", "preview", str(draft)]) == 2
    assert "targets.tier.L7: no active tier called 'L7'" in capsys.readouterr().err

    # The same limit as the configuration's: a year of minutes (it once overflowed instead).
    draft.write_text(json.dumps({"targets": {"tier": {"L1": {"P1": 10**13}}}}))
    assert main(["--db", database_url, "sla", "preview", str(draft)]) == 2
    assert "10000000000000 minutes is more than a year" in capsys.readouterr().err


# ------------------------------------------------------------------- business time, faster
_CALENDARS = (
    BusinessCalendar.weekdays(time(8), time(18), "Europe/Berlin", {date(2026, 3, 30)}),
    BusinessCalendar.weekdays(time(9), time(17), "America/New_York"),
    BusinessCalendar.always("UTC"),
)
_SECONDS = {id(calendar): BusinessSeconds(calendar) for calendar in _CALENDARS}


@settings(max_examples=300, deadline=None)
@given(
    calendar=st.sampled_from(_CALENDARS),
    start=st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
    span=st.timedeltas(timedelta(0), timedelta(days=40)),
)
@example(  # a float sum a hair under a whole second (found in CI)
    calendar=next(c for c in _CALENDARS if c.time_zone == "UTC" and len(c.hours) == 7),
    start=datetime(2026, 1, 5, 0, 0, 0, 252, tzinfo=UTC),
    span=timedelta(days=36),
)
def test_business_seconds_agree_with_elapsed_across_daylight_saving_and_holidays(
    calendar, start, span
):
    """The replay's running sum of working seconds gives what ``elapsed`` gives."""
    expected = int(elapsed(calendar, start, start + span).total_seconds())
    assert _SECONDS[id(calendar)].between(start, start + span) == expected
