"""Configuration as a file: ``config export FILE.json`` and ``config import FILE.json``. An import
is checked whole and refused whole (every problem listed, exit code 2, database unchanged) or
applied whole; importing what a desk exported changes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.services.configuration import ConfigurationService
from app.services.configuration.edits import change_tier, with_public_holidays
from app.services.database import open_database
from app.services.rules.service import RuleService, rules_from_json
from app.services.sla_policy import SlaPolicyService
from tests.factories import Desk, database_snapshot, make_desk

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``main([...])`` in-process; returns (exit code, stdout, stderr)."""
    monkeypatch.delenv("TIERDESK_USER", raising=False)
    monkeypatch.delenv("TIERDESK_DB", raising=False)

    def run(url: str, *args: str) -> tuple[int, str, str]:
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def configured(desk: Desk) -> Desk:
    """The standard desk with an SLA policy and a few supervisor's changes on top."""
    SlaPolicyService(desk.database, desk.clock).install_default("Europe/Berlin")
    service = ConfigurationService(desk.database, desk.clock)
    before = service.load()
    draft = change_tier(before, "L2", name="Desktop support", wip_limit=30)
    office = with_public_holidays(before.calendars[0], "DE", 2026)
    night = replace(office, id=None, name="Night shift", holidays=())
    night = replace(night, hours=(((time(22), time(0)),),) * 5 + ((), ()))
    draft = replace(draft, calendars=(office, night))
    service.save("sara", before, draft)
    return desk


def write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return str(path)


def fresh_sqlite(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    open_database(url).close()
    return url


def test_export_is_readable_versioned_json(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    target = tmp_path / "desk.json"
    code, out, err = cli(database_url, "config", "export", str(target))
    assert (code, err) == (0, "")
    assert "exported 4 tiers, 4 categories, 2 calendars, 0 rules and policy Standard" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == 1
    assert [tier["code"] for tier in data["tiers"]] == ["L1", "L2", "L3", "Vendor"]
    assert data["tiers"][1] == {
        "code": "L2",
        "name": "Desktop support",
        "description": "Diagnosis on devices and business apps.",
        "kind": "internal",
        "wip_limit": 30,
        "retired": False,
    }
    night = next(c for c in data["calendars"] if c["name"] == "Night shift")
    assert night["hours"]["monday"] == [["22:00", "00:00"]] and night["hours"]["sunday"] == []
    assert "2026-12-25" in data["calendars"][1]["holidays"]
    assert data["policy"]["tier_minutes"]["L1"]["P1"] == 30
    assert data["policy"]["pause_all"] == ["waiting_on_customer"]
    assert data["rules"] == {"format": "tierdesk-rules", "rules": []}
    assert "\n  " in target.read_text(encoding="utf-8")  # indented, for people and diffs


def test_round_trip_into_a_fresh_desk_gives_the_same_configuration(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    fresh = fresh_sqlite(tmp_path, "fresh.db")

    code, out, err = cli(fresh, "config", "import", str(exported))  # nobody there yet

    assert (code, err) == (0, "")
    assert "added tier L2 ('Desktop support')" in out
    again = tmp_path / "again.json"
    assert cli(fresh, "config", "export", str(again))[0] == 0
    assert json.loads(again.read_text()) == json.loads(exported.read_text())


def test_a_file_from_another_desk_imports_into_this_one(
    desk: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    """The other way round: made on an embedded file, imported into this database, which
    has tickets: tiers match by code, so the tickets stay where they are."""
    ticket = desk.ticket()
    other_url = fresh_sqlite(tmp_path, "other.db")
    other = open_database(other_url)
    try:
        SlaPolicyService(other, make_desk(other).clock).install_default("Asia/Tokyo")
    finally:
        other.close()
    source = tmp_path / "other.json"
    assert cli(other_url, "config", "export", str(source))[0] == 0
    data = json.loads(source.read_text())
    data["tiers"][0]["name"] = "Front desk"
    data["categories"].append({"name": "Phones", "min_tier": "L2", "description": "Desk phones"})

    code, out, err = cli(database_url, "--as", "ada", "config", "import", write(source, data))

    assert (code, err) == (0, "")
    assert "renamed tier L1 to 'Front desk'" in out
    assert "added the SLA policy 'Standard'" in out
    config = ConfigurationService(desk.database).load()
    assert config.calendars[0].time_zone == "Asia/Tokyo"
    assert "Phones" in {category.name for category in config.categories}
    assert desk.tickets.get(ticket.key).ticket.tier == "L1"


def test_importing_the_same_file_twice_changes_nothing(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    snapshot = database_snapshot(configured.database)

    code, out, err = cli(database_url, "--as", "sara", "config", "import", str(exported), "--json")

    assert (code, err) == (0, "")
    assert json.loads(out) == {"file": str(exported), "changed": False, "changes": []}
    assert database_snapshot(configured.database) == snapshot


def broken_file(data: dict[str, Any]) -> dict[str, Any]:
    """Several mistakes at once, in several sections."""
    data = json.loads(json.dumps(data))
    data["tiers"][1]["wip_limit"] = -3
    data["tiers"][2]["kind"] = "outsourced"
    data["tiers"].append({"code": "L1", "name": "Again"})
    data["categories"][0]["min_tier"] = "L7"
    data["categories"][1]["colour"] = "red"
    data["calendars"][0]["time_zone"] = "Berlin"
    data["calendars"][0]["hours"]["monday"] = [["8am", "18:00"]]
    data["calendars"][0]["holidays"].append("2026-02-30")
    data["policy"]["warning_percent"] = 0
    data["policy"]["tier_minutes"]["L1"]["P1"] = "thirty"
    data["surprise"] = True
    return data


BROKEN_PATHS = (
    "tiers[1].wip_limit",
    "tiers[2].kind",
    "tiers[4].code",
    "categories[0].min_tier",
    "categories[1].colour",
    "calendars[0].time_zone",
    "calendars[0].hours.monday[0]",
    "calendars[0].holidays[",
    "policy.warning_percent",
    "policy.tier_minutes.L1.P1",
    "surprise",
)


def test_a_broken_file_lists_every_problem_and_changes_nothing(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    broken = write(tmp_path / "broken.json", broken_file(json.loads(exported.read_text())))
    snapshot = database_snapshot(configured.database)

    code, out, err = cli(database_url, "--as", "sara", "config", "import", broken)

    assert (code, out) == (2, "")
    assert "12 problems; nothing was saved" in err  # the extra tier also tops the vendor
    for path in BROKEN_PATHS:
        assert f"\n  {path}" in err, path
    assert "'Berlin' is not an IANA time zone" in err
    assert "'8am' is not a time of day HH:MM" in err
    assert database_snapshot(configured.database) == snapshot

    code, out, err = cli(database_url, "--as", "sara", "config", "import", broken, "--json")
    assert code == 2
    report = json.loads(err)
    assert report["error"] == "ConfigurationInvalid"
    assert all(path in report["message"] for path in BROKEN_PATHS)
    fields = [problem["field"] for problem in report["problems"]]  # one entry per problem
    assert len(fields) == 12
    assert all(any(field.startswith(path) for field in fields) for path in BROKEN_PATHS)
    assert database_snapshot(configured.database) == snapshot


def test_leaving_out_a_tier_with_open_tickets_is_refused(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    ticket = configured.ticket()
    configured.tickets.escalate("lena", ticket.key, ticket.version)
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    data = json.loads(exported.read_text())
    data["tiers"] = [tier for tier in data["tiers"] if tier["code"] != "L2"]
    data["categories"] = [c for c in data["categories"] if c["min_tier"] != "L2"]
    data["policy"]["tier_minutes"].pop("L2")
    data["policy"]["response_minutes"].pop("L2")
    snapshot = database_snapshot(configured.database)

    code, _, err = cli(database_url, "--as", "ada", "config", "import", write(exported, data))

    assert code == 2
    assert "tier L2 (Desktop support) has 1 open ticket; move them" in err
    assert "category 'Laptop' is used by" not in err  # unused categories may go
    assert database_snapshot(configured.database) == snapshot


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "is not JSON: line 1 column 2"),
        ("[1, 2]", "a configuration file is a JSON object"),
        ('{"tiers": [], "categories": [], "calendars": []}', "format: missing"),
        ('{"format": 9, "tiers": [], "categories": [], "calendars": []}', "format 9"),
    ],
)
def test_files_that_are_not_configurations_are_refused(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(content, encoding="utf-8")
    snapshot = database_snapshot(configured.database)
    code, out, err = cli(database_url, "--as", "sara", "config", "import", str(path))
    assert (code, out) == (2, "")
    assert words in err
    assert database_snapshot(configured.database) == snapshot


def test_only_supervisors_and_admins_import(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    for login, expected in (("lena", 3), ("max", 3), ("nobody", 4)):
        code, _, err = cli(database_url, "--as", login, "config", "import", str(exported))
        assert code == expected, err
    code, _, err = cli(database_url, "config", "import", str(exported))
    assert code == 2 and "--as" in err
    assert cli(database_url, "config", "import", str(tmp_path / "missing.json"))[0] == 2


def test_export_to_standard_output(configured: Desk, database_url: str, cli: Cli) -> None:
    code, out, err = cli(database_url, "config", "export", "-")
    assert (code, err) == (0, "")
    assert json.loads(out)["format"] == 1


DATABASE_RULE = {
    "name": "Databases start at L3",
    "trigger": {"on": "created"},
    "conditions": [{"field": "category", "op": "in", "value": ["Database"]}],
    "actions": [{"do": "move", "to": "L3"}],
    "stop": False,
}


def with_rules(desk: Desk, *rules: dict[str, Any]) -> None:
    service = RuleService(desk.database, desk.clock)
    service.save("sara", service.list().version, rules_from_json(list(rules)))


def test_rules_travel_with_the_file(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    with_rules(configured, DATABASE_RULE)
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    data = json.loads(exported.read_text())
    assert [rule["name"] for rule in data["rules"]["rules"]] == ["Databases start at L3"]
    snapshot = database_snapshot(configured.database)
    # the same desk: nothing changes, the rule set version included
    code, out, err = cli(database_url, "--as", "ada", "config", "import", str(exported))
    assert (code, err) == (0, "") and "nothing changed" in out
    assert database_snapshot(configured.database) == snapshot
    # another desk with people: the rule arrives and acts there
    other_url = fresh_sqlite(tmp_path, "other.db")
    other = open_database(other_url)
    try:
        other_desk = make_desk(other)
        code, out, err = cli(other_url, "--as", "ada", "config", "import", str(exported))
        assert (code, err) == (0, ""), err
        assert "replaced the rules with the file's 1" in out
        ticket = other_desk.ticket(category="Database")
        assert ticket.tier == "L3"
    finally:
        other.close()


def test_rules_problems_are_listed_with_the_rest_and_nothing_changes(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    data = json.loads(exported.read_text())
    data["tiers"][0]["wip_limit"] = 0
    data["rules"]["rules"] = [{**DATABASE_RULE, "actions": [{"do": "teleport"}]}]
    snapshot = database_snapshot(configured.database)

    code, _, err = cli(database_url, "--as", "ada", "config", "import", write(exported, data))

    assert code == 2
    assert "tiers[0].wip_limit" in err
    assert "rules.rules[0].actions[0]" in err and "'Databases start at L3'" in err
    assert database_snapshot(configured.database) == snapshot


def test_rules_are_checked_against_the_desk_the_file_makes(
    configured: Desk, database_url: str, cli: Cli, tmp_path: Path
) -> None:
    """A rule that moves tickets to a tier the same file retires is refused, whole."""
    exported = tmp_path / "desk.json"
    assert cli(database_url, "config", "export", str(exported))[0] == 0
    data = json.loads(exported.read_text())
    data["rules"]["rules"] = [DATABASE_RULE]
    data["categories"] = [c for c in data["categories"] if c["min_tier"] != "L3"]
    data["tiers"][2]["retired"] = True
    data["policy"]["tier_minutes"].pop("L3")
    data["policy"]["response_minutes"].pop("L3")
    snapshot = database_snapshot(configured.database)

    code, _, err = cli(database_url, "--as", "ada", "config", "import", write(exported, data))

    assert code == 2, err
    assert "rules.rules[0].actions[0].to" in err
    assert "unknown or retired tier 'L3'" in err
    assert database_snapshot(configured.database) == snapshot
