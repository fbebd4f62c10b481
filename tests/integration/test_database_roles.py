"""What PostgreSQL itself refuses, whatever program a person connects with: people are made
with ``main.py admin create-user``, then a plain psycopg connection logged in as each of them
tries what the GUI forbids. History and the configuration audit refuse rewrites even to the
table owner (the app's own connection in these tests is a superuser's)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.cli import main
from app.models import Role
from app.services.clock import FixedClock
from app.services.configuration import ConfigurationService
from app.services.configuration.edits import change_tier
from app.services.database import Database, open_database
from app.services.escalation import EscalationService
from app.services.people import group_role
from app.services.rules.service import RuleService, rules_from_json
from app.services.rules.time_pass import TimeRuleService
from app.services.sla_policy import SlaPolicyService
from app.services.tickets import NewTicket, TicketService
from tests.factories import T0, Desk, database_snapshot, make_desk
from tests.integration.test_history_import import KNOWN, mapping_for, write_log

pytestmark = pytest.mark.postgres

Connect = Callable[[str], psycopg.Connection]


@pytest.fixture
def pg_desk(postgres_url: str) -> Iterator[Desk]:
    database = open_database(postgres_url)
    yield make_desk(database)
    database.close()


@pytest.fixture
def people(pg_desk: Desk, postgres_url: str, capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """``people(kind, tiers)`` creates a uniquely named person with the CLI and returns the
    login; every login made is dropped after the test (roles are cluster-wide)."""
    made: list[str] = []

    def create(role: str, tiers: str | None = None, name: str = "Someone") -> str:
        login = f"{role}_{uuid.uuid4().hex[:8]}"
        args = ["--db", postgres_url, "admin", "create-user", login, "--name", name]
        args += ["--role", role] + (["--tiers", tiers] if tiers else [])
        code = main(args)
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), err
        assert f"database login {login!r}" in out
        made.append(login)
        return login

    yield create
    with pg_desk.database.engine.begin() as connection:
        for login in made:
            _end_sessions(connection, login)
            connection.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def _end_sessions(connection: Any, login: str, seconds: float = 20.0) -> None:
    """Ends the login's sessions and waits until their server processes are gone: a process
    drops its temporary tables as it exits, and the role cannot be dropped while they exist."""
    sessions = "FROM pg_stat_activity WHERE usename = :login"
    connection.execute(text(f"SELECT pg_terminate_backend(pid) {sessions}"), {"login": login})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        connection.execute(text("SELECT pg_stat_clear_snapshot()"))  # read afresh, not as of BEGIN
        count = connection.execute(text(f"SELECT count(*) {sessions}"), {"login": login})
        if not count.scalar_one():
            return
        time.sleep(0.05)
    raise AssertionError(f"sessions of {login!r} still open after {seconds} s")


@pytest.fixture
def connect(postgres_url: str) -> Iterator[Connect]:
    """A plain psycopg connection (autocommit) logged in as ``login`` on the desk's schema."""
    url = make_url(postgres_url)
    schema = url.query["options"].split("=", 1)[1]
    opened: list[psycopg.Connection] = []

    def open_as(login: str) -> psycopg.Connection:
        connection = psycopg.connect(
            host=url.host,
            port=url.port or 5432,
            dbname=url.database,
            user=login,
            options=f"-csearch_path={schema}",
            autocommit=True,
        )
        opened.append(connection)
        return connection

    yield open_as
    for connection in opened:
        connection.close()


def as_login(postgres_url: str, login: str) -> Database:
    """The TierDesk services' database, connected as ``login`` (as a desktop would be)."""
    return open_database(str(make_url(postgres_url).set(username=login)))


def refused(connection: psycopg.Connection, sql: str, *fragments: str) -> str:
    with pytest.raises(psycopg.Error) as caught:
        connection.execute(sql)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message
    return message


def rows(connection: psycopg.Connection, sql: str) -> int:
    return connection.execute(sql).rowcount


CONFIGURATION_CHANGES = [
    "UPDATE rules SET name = 'mine'",
    "INSERT INTO rules (position, name, enabled, version, definition, updated_at) "
    "VALUES (1, 'sneaky', true, 1, '{}', now())",
    "UPDATE tiers SET name = 'renamed'",
    "UPDATE sla_policies SET name = 'lenient'",
    "DELETE FROM categories",
    "UPDATE business_calendars SET name = 'x'",
    "UPDATE users SET role = 'admin'",
    "INSERT INTO user_tiers (user_id, tier_id) SELECT 1, id FROM tiers",
]


@pytest.mark.parametrize("sql", CONFIGURATION_CHANGES)
def test_an_agent_cannot_change_configuration_or_people(people, connect, sql):
    agent = connect(people("agent", "L1"))
    refused(agent, sql, "permission denied")


@pytest.mark.parametrize("role", ["agent", "supervisor", "admin"])
@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM ticket_events",
        "UPDATE ticket_events SET note = 'rewritten'",
        "DELETE FROM config_changes",
        "UPDATE config_changes SET changes = '[]'",
        "DELETE FROM rule_versions",
        "UPDATE rule_versions SET database_login = 'nobody'",
    ],
)
def test_history_and_audit_refuse_rewrites_by_every_role(pg_desk, people, connect, role, sql):
    pg_desk.ticket()
    supervisor = connect(people("supervisor"))
    supervisor.execute("INSERT INTO config_changes (at, changes) VALUES (now(), '[\"x\"]')")
    refused(connect(people(role, "L1")), sql, "permission denied")


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("DELETE FROM ticket_events", "append-only"),
        ("UPDATE ticket_events SET note = 'rewritten'", "append-only"),
        ("DELETE FROM config_changes", "append-only"),
        ("UPDATE config_changes SET changes = '[]'", "append-only"),
        ("DELETE FROM rule_versions", "append-only"),
    ],
)
def test_history_refuses_rewrites_even_by_the_table_owner(pg_desk, sql, words):
    pg_desk.ticket()
    with pg_desk.database.engine.begin() as connection:
        connection.execute(text("INSERT INTO config_changes (at, changes) VALUES (now(), '[]')"))
        connection.execute(
            text(
                "INSERT INTO rules (position, name, enabled, version, definition, updated_at) "
                "VALUES (1, 'r', true, 1, '{}', now())"
            )
        )
    with pytest.raises(Exception, match=words), pg_desk.database.engine.begin() as connection:
        connection.execute(text(sql))


def test_an_agent_changes_tickets_of_their_tiers_only(pg_desk, people, connect):
    own = pg_desk.ticket()  # at L1
    other = pg_desk.ticket("tom", category="Laptop", tier="L2")
    agent = connect(people("agent", "L1"))
    assert rows(agent, f"UPDATE tickets SET title = 'x' WHERE key = '{other.key}'") == 0
    assert rows(agent, f"SELECT 1 FROM tickets WHERE key = '{other.key}' FOR UPDATE") == 0
    assert rows(agent, f"UPDATE tickets SET title = 'mine' WHERE key = '{own.key}'") == 1
    assert pg_desk.tickets.get(other.key).ticket.title == "Cannot log in"
    assert rows(agent, "SELECT 1 FROM tickets") == 2  # everyone reads everything


def test_an_agent_cannot_pass_the_checks_with_temporary_tables_of_their_own(
    pg_desk, people, connect
):
    """``pg_temp`` is searched first unless a function says otherwise: an agent who shadows
    ``users`` and ``user_tiers`` with temporary tables claiming every tier gains nothing."""
    other = pg_desk.ticket("tom", category="Laptop", tier="L2")
    login = people("agent", "L1")
    agent = connect(login)
    agent.execute("CREATE TEMP TABLE users (id integer, login text, active boolean)")
    agent.execute(f"INSERT INTO pg_temp.users VALUES (1, '{login}', true)")
    agent.execute("CREATE TEMP TABLE user_tiers (user_id integer, tier_id integer)")
    agent.execute("INSERT INTO pg_temp.user_tiers SELECT 1, id FROM tiers")
    assert rows(agent, f"UPDATE tickets SET title = 'x' WHERE key = '{other.key}'") == 0
    assert pg_desk.tickets.get(other.key).ticket.title == "Cannot log in"


def test_an_agent_cannot_comment_or_write_history_as_someone_else(pg_desk, people, connect):
    ticket = pg_desk.ticket()
    agent = connect(people("agent", "L1"))
    tom = agent.execute("SELECT id FROM users WHERE login = 'tom'").fetchone()[0]
    refused(
        agent,
        f"INSERT INTO comments (ticket_id, author_id, body, created_at) "
        f"VALUES ({ticket.id}, {tom}, 'forged', now())",
        "comments as themselves",
    )
    refused(
        agent,
        f"INSERT INTO ticket_events (ticket_id, ticket_version, kind, at, actor_id) "
        f"VALUES ({ticket.id}, 9, 'commented', now(), {tom})",
        "names its author truthfully",
    )


def test_an_agent_opens_tickets_at_the_entry_tier_or_their_own_only(pg_desk, people, connect):
    agent = connect(people("agent", "L3"))
    insert = (
        "INSERT INTO tickets (key, title, description, requester, category_id, impact, urgency, "
        "priority, priority_overridden, status, tier_id, reopen_count, created_at, updated_at, "
        "version) SELECT '{key}', 't', '', 'r', (SELECT min(id) FROM categories), 'low', 'low', "
        "'P4', false, 'new', id, 0, now(), now(), 1 FROM tiers WHERE code = '{tier}'"
    )
    assert rows(agent, insert.format(key="X-1", tier="L1")) == 1
    assert rows(agent, insert.format(key="X-3", tier="L3")) == 1
    refused(agent, insert.format(key="X-2", tier="L2"), "row-level security")


def test_a_manager_changes_nothing(pg_desk, people, connect):
    ticket = pg_desk.ticket()
    manager = connect(people("manager"))
    assert rows(manager, "SELECT 1 FROM tickets") == 1
    for sql in [
        f"UPDATE tickets SET title = 'x' WHERE id = {ticket.id}",
        "UPDATE tiers SET name = 'x'",
        "UPDATE rules SET name = 'x'",
        "INSERT INTO config_changes (at, changes) VALUES (now(), '[]')",
        f"INSERT INTO comments (ticket_id, author_id, body, created_at) "
        f"VALUES ({ticket.id}, 1, 'x', now())",
    ]:
        refused(manager, sql, "permission denied")


def test_a_supervisor_changes_configuration_and_the_audit_records_it(pg_desk, people, connect):
    login = people("supervisor")
    supervisor = connect(login)
    assert rows(supervisor, "UPDATE tiers SET name = 'Front desk' WHERE code = 'L1'") == 1
    assert rows(supervisor, "UPDATE sla_policies SET name = name") >= 0
    supervisor.execute(
        "INSERT INTO rules (position, name, enabled, version, definition, updated_at) "
        "VALUES (1, 'urgent', true, 1, '{\"a\": 1}', now())"
    )
    supervisor.execute("UPDATE rules SET enabled = false, version = 2 WHERE name = 'urgent'")
    supervisor.execute("DELETE FROM rules WHERE name = 'urgent'")
    audit = supervisor.execute(
        "SELECT database_login, before ->> 'enabled', after ->> 'enabled' "
        "FROM rule_versions ORDER BY id"
    ).fetchall()
    assert audit == [(login, None, "true"), (login, "true", "false"), (login, "false", None)]
    refused(supervisor, "UPDATE users SET role = 'admin'", "permission denied")


def test_a_supervisors_desktop_saves_configuration_and_rules(pg_desk, people, postgres_url):
    """Through the services, as a supervisor's login: the set-up and the rules save, and the
    rule audit names the login; an agent's login is refused by the service first."""
    login = people("supervisor", name="Sara")
    database = as_login(postgres_url, login)
    try:
        configuration = ConfigurationService(database, pg_desk.clock)
        before = configuration.load()
        saved = configuration.save(login, before, change_tier(before, "L2", name="Desk side"))
        assert "renamed tier L2 to 'Desk side'" in saved.changes
        rules = RuleService(database, pg_desk.clock)
        definition = {"name": "vip", "trigger": {"on": "created"}, "conditions": [],
                      "actions": [{"do": "set_priority", "to": "P2"}], "stop": False}  # fmt: skip
        rules.save(login, rules.list().version, rules_from_json([definition]))
    finally:
        database.close()
    with pg_desk.database.engine.connect() as connection:
        audit = connection.execute(
            text("SELECT database_login, before IS NULL FROM rule_versions")
        ).all()
    assert audit == [(login, True)]


def test_rules_run_by_an_agents_change_may_move_the_ticket_away(pg_desk, people, postgres_url):
    """A routing rule moves a new ticket out of the agent's tiers and then changes it again:
    the rule acts for the desk, in the agent's transaction, and must not be cut off halfway."""
    rules = RuleService(pg_desk.database, pg_desk.clock)
    route = {
        "name": "route",
        "trigger": {"on": "created"},
        "stop": False,
        "conditions": [{"field": "category", "op": "in", "value": ["Printer"]}],
        "actions": [
            {"do": "move", "to": "L3"},
            {"do": "set_priority", "to": "P1"},
            {"do": "comment", "text": "routed to engineering"},
        ],
    }
    rules.save("sara", rules.list().version, rules_from_json([route]))
    login = people("agent", "L1")
    database = as_login(postgres_url, login)
    try:
        made = TicketService(database, pg_desk.clock).create(
            login, NewTicket(title="Jam", requester="Carla", category="Printer")
        )
    finally:
        database.close()
    detail = pg_desk.tickets.get(made.key)
    assert (detail.ticket.tier, detail.ticket.priority.value) == ("L3", "P1")
    assert [c.body for c in detail.comments] == ["routed to engineering"]


def test_an_agent_writes_no_records_of_other_tiers_tickets(pg_desk, people, connect):
    """History naming no one, clocks, alerts, rule firings and notices of a ticket at another
    tier: each refused through a plain connection, and nothing of the ticket changed."""
    SlaPolicyService(pg_desk.database, pg_desk.clock).install_default("UTC")
    other = pg_desk.ticket("tom", category="Laptop", tier="L2")
    agent = connect(people("agent", "L1"))
    clock, policy = agent.execute(
        f"SELECT id, policy_id FROM ticket_clocks WHERE ticket_id = {other.id} LIMIT 1"
    ).fetchone()
    before = database_snapshot(pg_desk.database)
    for sql in (
        f"INSERT INTO ticket_events (ticket_id, ticket_version, kind, at) "
        f"VALUES ({other.id}, 9, 'commented', now())",
        f"UPDATE ticket_clocks SET due_at = now() + interval '1 year' WHERE id = {clock}",
        f"INSERT INTO sla_alerts (ticket_id, clock_id, kind, clock_kind, policy_id, "
        f"threshold_at, fired_at) SELECT {other.id}, {clock}, 'warning', kind, {policy}, "
        f"now(), now() FROM ticket_clocks WHERE id = {clock}",
        f"INSERT INTO rule_notifications (ticket_id, user_id, rule_version, message, fired_at) "
        f"SELECT {other.id}, id, 1, 'forged', now() FROM users WHERE login = 'tom'",
        f"INSERT INTO rule_firings (rule_id, rule_version, ticket_id, episode_at, fired_at, "
        f"acted) VALUES (1, 1, {other.id}, now(), now(), true)",
    ):
        refused(agent, sql, "only for tickets at the tiers they work")
    assert database_snapshot(pg_desk.database) == before


def test_an_agent_records_the_move_of_a_ticket_they_sent_up(pg_desk, people, connect):
    """The ticket left the agent's tiers in this very transaction: its move's history is
    theirs to write; once committed, the ticket is another tier's."""
    ticket = pg_desk.ticket()  # at L1
    agent = connect(people("agent", "L1"))
    event = (
        f"INSERT INTO ticket_events (ticket_id, ticket_version, kind, at) "
        f"VALUES ({ticket.id}, 2, 'edited', now())"
    )
    with agent.transaction():
        agent.execute(
            f"UPDATE tickets SET tier_id = (SELECT id FROM tiers WHERE code = 'L2'), "
            f"version = 2 WHERE id = {ticket.id}"
        )
        agent.execute(event)
    assert pg_desk.tickets.get(ticket.key).ticket.tier == "L2"
    refused(agent, event.replace("2, 'edited'", "3, 'edited'"), "tiers they work")


def test_an_agent_cannot_import_history(pg_desk, people, postgres_url, tmp_path, capsys):
    login = people("agent", "L1")
    url = make_url(postgres_url).set(username=login).render_as_string(hide_password=False)
    mapping = tmp_path / "mapping.json"
    mapping.write_text('{"key": "number"}', encoding="utf-8")
    code = main(["--db", url, "import-history", str(tmp_path / "absent.csv"), "--mapping",
                 str(mapping)])  # fmt: skip
    assert code == 3
    assert f"{login} (agent) may not import history" in capsys.readouterr().err


def test_a_supervisor_imports_history_naming_only_people_the_desk_has(
    pg_desk, people, postgres_url, tmp_path, capsys
):
    """Only admins add people: a log naming someone new is refused whole, with their name;
    the same log with known people imports under a supervisor's login."""
    url = make_url(postgres_url).set(username=people("supervisor")).render_as_string(False)
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(mapping_for(assignee={"column": "owner",
                                                        "create_missing": True})))  # fmt: skip
    stranger = [[*row[:4], "zoe", *row[5:]] if row[0] == "HIST-3" else row for row in KNOWN]
    before = database_snapshot(pg_desk.database)
    command = ["--db", url, "import-history", "--mapping", str(mapping)]
    assert main([*command, str(write_log(tmp_path / "new.csv", stranger))]) == 3
    assert "the log names 1 person the desk does not have (first: 'zoe')" in (
        capsys.readouterr().err
    )
    assert database_snapshot(pg_desk.database) == before
    assert main([*command, str(write_log(tmp_path / "known.csv", KNOWN))]) == 0
    assert "imported 3 tickets" in capsys.readouterr().out


def test_an_agent_cannot_run_admin_commands(pg_desk, people, postgres_url, capsys):
    login = people("agent", "L1")
    url = make_url(postgres_url).set(username=login).render_as_string(hide_password=False)
    code = main(["--db", url, "admin", "create-user", "zed", "--role", "admin"])
    assert code == 3
    assert "permission denied" in capsys.readouterr().err
    assert "zed" not in [user.login for user in pg_desk.desk.users()]


@pytest.mark.parametrize(
    "actions", [[{"do": "move", "to": "up"}], [{"do": "comment", "text": "still open"}]]
)
def test_an_agents_time_rules_act_on_their_tiers_and_the_worker_on_the_rest(
    pg_desk, people, postgres_url, actions
):
    rules = RuleService(pg_desk.database, pg_desk.clock)
    timed = {"name": "hourly", "trigger": {"on": "time", "measure": "in_tier", "minutes": 60},
             "actions": actions}  # fmt: skip
    rules.save("sara", rules.list().version, rules_from_json([timed]))
    at_l1 = pg_desk.ticket()
    at_l2 = pg_desk.ticket("tom", category="Laptop", tier="L2")
    later = FixedClock(T0 + timedelta(hours=2))
    agent = as_login(postgres_url, people("agent", "L1"))
    try:
        report = TimeRuleService(agent, later).run_pass()
    finally:
        agent.close()
    assert [(look.key, look.acted) for look in report.looks] == [(at_l1.key, True)]
    report = TimeRuleService(pg_desk.database, later).run_pass()  # the worker, as the owner
    assert (at_l2.key, True) in [(look.key, look.acted) for look in report.looks]


def test_an_admin_manages_people(pg_desk, people, connect):
    admin = connect(people("admin"))
    assert rows(admin, "UPDATE users SET display_name = 'Lena L.' WHERE login = 'lena'") == 1


def test_a_disabled_person_cannot_log_in_and_keeps_their_history(
    pg_desk, people, connect, postgres_url, capsys
):
    login = people("agent", "L1")
    tickets = TicketService(database := as_login(postgres_url, login), pg_desk.clock)
    made = tickets.create(login, NewTicket(title="Printer", requester="Carla", category="Printer"))
    database.close()
    assert main(["--db", postgres_url, "admin", "disable-user", login]) == 0
    assert "disabled" in capsys.readouterr().out
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        connect(login)
    assert pg_desk.desk.user(login).active is False
    assert pg_desk.tickets.get(made.key).events[0].actor == login


def test_the_services_work_as_before_through_an_agents_login(pg_desk, people, postgres_url):
    login = people("agent", "L1", name="Lena")
    database = as_login(postgres_url, login)
    try:
        tickets = TicketService(database, pg_desk.clock)
        new = NewTicket(title="VPN down", requester="Carla", category="Password reset")
        ticket = tickets.create(login, new)
        ticket = tickets.take(login, ticket.key, ticket.version)
        tickets.comment(login, ticket.key, "looking into it")
        moved = tickets.escalate(login, ticket.key, tickets.get(ticket.key).ticket.version)
        assert (moved.tier, moved.assignee) == ("L2", None)
        detail = pg_desk.tickets.get(ticket.key)
        assert [event.actor for event in detail.events] == [login] * len(detail.events)
    finally:
        database.close()


def test_an_agents_escalation_pass_moves_their_tiers_tickets_and_the_worker_the_rest(
    pg_desk, people, postgres_url
):
    """A desktop's pass as an L1 agent escalates the due L1 ticket and skips the due L2 one
    (no error: the lock finds no row it may change); a worker login escalates that one."""
    SlaPolicyService(pg_desk.database, pg_desk.clock).install_default("UTC")
    at_l1 = pg_desk.ticket()
    at_l2 = pg_desk.ticket("tom", category="Laptop", tier="L2")
    much_later = FixedClock(T0 + timedelta(days=3))
    agent = as_login(postgres_url, people("agent", "L1"))
    try:
        report = EscalationService(agent, much_later).run_pass()
    finally:
        agent.close()
    assert [(e.key, e.to_tier) for e in report.escalations] == [(at_l1.key, "L2")]
    assert pg_desk.tickets.get(at_l2.key).ticket.tier == "L2"

    worker_login = f"worker_{uuid.uuid4().hex[:8]}"
    with pg_desk.database.engine.begin() as connection:
        group = connection.execute(text("SELECT tierdesk_role_name('worker')")).scalar_one()
        connection.execute(text(f'CREATE ROLE "{worker_login}" LOGIN IN ROLE "{group}"'))
    worker = as_login(postgres_url, worker_login)
    try:
        report = EscalationService(worker, much_later).run_pass()
    finally:
        worker.close()
        with pg_desk.database.engine.begin() as connection:
            connection.execute(text(f'DROP ROLE "{worker_login}"'))
    assert (at_l2.key, "L3") in [(e.key, e.to_tier) for e in report.escalations]
    assert pg_desk.tickets.get(at_l2.key).ticket.tier == "L3"


def test_group_roles_are_named_per_database_and_schema(pg_desk):
    """Two desks in schema ``public`` of two databases on one server get roles of their own;
    a name past PostgreSQL's 63 bytes becomes a digest rather than being cut into a clash."""
    with pg_desk.database.engine.connect() as connection:
        database, schema = connection.execute(
            text("SELECT current_database(), current_schema()")
        ).one()
        name = connection.execute(text("SELECT tierdesk_role_name('agent')")).scalar_one()
        assert name == group_role(database, schema, "agent")
        assert name == f"tierdesk_{database}_{schema}_agent"

        def in_sql(database: str, schema: str) -> str:
            named = text("SELECT tierdesk_role_name_for(:d, :s, 'supervisor')")
            return str(connection.execute(named, {"d": database, "s": schema}).scalar_one())

        assert in_sql("sales", "public") != in_sql("support", "public")
        long_a, long_b = "desk_" + "a" * 40, "desk_" + "a" * 40 + "b"
        assert in_sql("db", long_a) != in_sql("db", long_b)
        for database, schema in [("sales", "public"), ("db", long_a), ("db", long_b)]:
            made = in_sql(database, schema)
            assert made == group_role(database, schema, "supervisor")
            assert len(made.encode()) <= 63 and made.endswith("_supervisor")
    assert Role.AGENT.value == "agent"
