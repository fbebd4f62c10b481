"""``main.py admin create-user`` and ``disable-user`` on the embedded file (no database logins
there: the TierDesk user only, said in the output), and the audit that refuses rewrites there
too: the configuration log and every rule save, before and after."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import exc, select, text

from app.cli import main
from app.models import Role, User
from app.services.database import open_database
from app.services.people import PeopleService
from tests.factories import Desk, make_desk

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def file_desk(sqlite_url: str) -> Desk:
    database = open_database(sqlite_url)
    desk = make_desk(database)
    yield desk
    database.close()


@pytest.fixture
def cli(file_desk: Desk, sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", sqlite_url, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_create_user_adds_a_person_and_says_there_are_no_logins(cli, file_desk):
    code, out, err = cli("admin", "create-user", "nina", "--name", "Nina N", "--role", "agent",
                         "--tiers", "L1,L2")  # fmt: skip
    assert (code, err) == (0, "")
    assert "created nina" in out and "no database logins on SQLite" in out
    nina = file_desk.desk.user("nina")
    assert (nina.display_name, nina.role, nina.tiers, nina.active) == (
        "Nina N", Role.AGENT, ("L1", "L2"), True
    )  # fmt: skip


def test_create_user_again_updates_the_person_and_keeps_unnamed_tiers(cli, file_desk):
    assert cli("admin", "create-user", "lena", "--role", "supervisor")[0] == 0
    lena = file_desk.desk.user("lena")
    assert (lena.display_name, lena.role, lena.tiers) == (
        "Lena Lindqvist", Role.SUPERVISOR, ("L1",)
    )  # fmt: skip


def test_create_user_refuses_an_unknown_tier_and_changes_nothing(cli, file_desk):
    code, out, err = cli("admin", "create-user", "nina", "--role", "agent", "--tiers", "L9")
    assert code == 2 and "L9" in err and out == ""
    assert "nina" not in [user.login for user in file_desk.desk.users(active_only=False)]


def test_create_user_refuses_an_unknown_role(cli):
    with pytest.raises(SystemExit):
        cli("admin", "create-user", "nina", "--role", "boss")


def test_disable_user_keeps_the_person_and_their_history(cli, file_desk):
    ticket = file_desk.ticket("lena")
    code, out, _ = cli("admin", "disable-user", "lena", "--json")
    assert code == 0
    assert json.loads(out)["user"]["active"] is False
    assert file_desk.desk.user("lena").active is False
    assert "lena" not in [user.login for user in file_desk.desk.users()]
    assert file_desk.tickets.get(ticket.key).events[0].actor == "lena"


def test_disable_user_of_nobody_is_not_found(cli):
    code, _, err = cli("admin", "disable-user", "nobody")
    assert code == 4 and "nobody" in err


def test_a_disabled_person_comes_back_with_create_user(file_desk):
    people = PeopleService(file_desk.database)
    people.disable_user("tom")
    change = people.create_user("tom", "", Role.AGENT)
    assert (change.user.active, change.user.tiers, change.database_login) == (True, ("L2",), False)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM config_changes",
        "UPDATE config_changes SET changes = '[]'",
        "DELETE FROM rule_versions",
        "UPDATE rule_versions SET after = NULL",
    ],
)
def test_the_audit_refuses_rewrites_on_the_embedded_file(file_desk, sql):
    with file_desk.database.write() as session:
        session.execute(
            text("INSERT INTO config_changes (at, changes) VALUES ('2026-01-01', '[]')")
        )
        session.execute(
            text(
                "INSERT INTO rules (position, name, enabled, version, definition, updated_at) "
                "VALUES (1, 'r', 1, 1, '{}', '2026-01-01 00:00:00')"
            )
        )
    with pytest.raises(exc.DBAPIError, match="append-only"), file_desk.database.write() as s:
        s.execute(text(sql))


def test_every_rule_save_is_recorded_before_and_after(file_desk):
    with file_desk.database.write() as session:
        ada = session.scalar(select(User.id).where(User.login == "ada"))
        session.execute(
            text(
                "INSERT INTO rules (position, name, enabled, version, definition, updated_at, "
                "updated_by) VALUES (1, 'vip', 1, 1, '{\"a\": 1}', '2026-01-01 00:00:00', :ada)"
            ),
            {"ada": ada},
        )
        session.execute(text("UPDATE rules SET enabled = 0, version = 2"))
        session.execute(text("DELETE FROM rules"))
        audit = session.execute(
            text("SELECT actor_id, before, after FROM rule_versions ORDER BY id")
        ).all()
    before = [json.loads(row.before) if row.before else None for row in audit]
    after = [json.loads(row.after) if row.after else None for row in audit]
    assert [row.actor_id for row in audit] == [ada, ada, None]
    assert [b and b["enabled"] for b in before] == [None, 1, 0]
    assert [a and a["enabled"] for a in after] == [1, 0, None]
    assert after[0]["definition"] == {"a": 1}
