"""roles enforced by PostgreSQL, and history that cannot be rewritten

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

Append-only history (both databases): ``ticket_events`` (since 0001), ``config_changes`` and
the new ``rule_versions`` (every insert, update or delete of a rule, before and after as JSON,
written by a trigger on ``rules``, so a change made outside TierDesk is recorded too) refuse
UPDATE and DELETE through triggers; triggers bind the table owner and superusers as well.
TRUNCATE is not refused (the test suite empties tables with it); no app role is granted it.

Roles (PostgreSQL only; a no-op on SQLite). Each person signs in with their own login, a member
of one group role of this desk (database and schema): ``tierdesk_<database>_<schema>_agent``,
``_supervisor``, ``_manager``, ``_admin``, plus ``_worker`` for a headless escalation worker's
login (a digest of database and schema replaces the two where the name would pass PostgreSQL's
63 bytes). The SQL function ``tierdesk_role_name(kind)`` names them for the current desk.

- managers: SELECT on everything, nothing else;
- agents: SELECT on everything; INSERT/UPDATE on tickets, comments, ticket_clocks, sla_alerts,
  rule_firings, rule_notifications, key_counters; INSERT on ticket_events; no write on the
  configuration (tiers, categories, SLA policies, calendars, rules) nor on people;
- supervisors: agents' rights, plus the configuration tables and INSERT on config_changes;
- admins: supervisors' rights, plus people (users, user_tiers);
- worker: agents' rights, on every ticket.

Row-level security on ``tickets``: everyone reads every ticket; an agent UPDATEs only tickets
at the tiers they work (``user_tiers`` of the active user whose login is ``current_user``) and
INSERTs tickets at the entry tier or a tier they work; supervisors, admins and the worker change
any ticket. Table owners and superusers bypass it. ``comments`` and ``ticket_events`` are
checked by triggers instead (PostgreSQL refuses COPY, which the app's bulk writer uses, on a
table with row-level security): an agent comments as themselves on tickets of their tiers (or
writes a rule's comment: word for word a comment action of an enabled rule, as the person who
saved it, which is how rules comment), adds history naming themselves or no one (the entries of
a pass or a rule), and writes clocks, alerts, rule firings and notices, only for tickets at
their tiers or one their own transaction has just changed (moved up a tier, say).

The escalation pass and time rules, run by a desktop. The simplest sound design is to let
row-level security scope them: the pass finds its work with ``SELECT ... FOR UPDATE SKIP
LOCKED``, and for FOR UPDATE PostgreSQL applies the UPDATE policies, so an agent's desktop
silently skips tickets at tiers the agent does not work and escalates the others exactly as
before (an agent may move a ticket they may change to another tier, as they may by hand). The
tickets nobody's desktop may change are escalated by supervisors' and admins' desktops and by
the headless worker (``main.py worker``) logged in as a member of the desk's ``_worker`` role
or as the desk's owner. No agent can thereby change a ticket outside their tiers, and no
SECURITY DEFINER function has to re-check the pass's arguments.

``Ladder.held`` locks the tier rows (``FOR SHARE``), which PostgreSQL allows only with an UPDATE
privilege on the table: agents get UPDATE on the column ``tiers.id`` only, and a trigger refuses
any change of a tier's id, so that privilege changes nothing.

Roles are cluster-wide: the migrating login must be a superuser or have CREATEROLE; without
that, roles are left out (with a notice) and only the triggers protect the data. Tables added
by later migrations must be granted there. ``downgrade`` drops what this revision made,
including the desk's group roles.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("agent", "supervisor", "manager", "admin", "worker")
TICKET_WORK = (
    "tickets",
    "comments",
    "ticket_clocks",
    "sla_alerts",
    "rule_firings",
    "rule_notifications",
    "key_counters",
)
CONFIGURATION = (
    "tiers",
    "categories",
    "sla_policies",
    "business_calendars",
    "rules",
    "rule_set_state",
)
PEOPLE = ("users", "user_tiers")
#: Tables of a ticket's records an agent writes, and what they may do there (grants above): each
#: checked per row by ``tierdesk_check_ticket_work``.
TICKET_RECORDS = {
    "ticket_events": "INSERT",
    "ticket_clocks": "INSERT OR UPDATE",
    "sla_alerts": "INSERT OR UPDATE",
    "rule_firings": "INSERT OR UPDATE",
    "rule_notifications": "INSERT OR UPDATE",
}
APPEND_ONLY = ("config_changes", "rule_versions")
#: Checked in the triggers' WHEN, without calling PL/pgSQL: bulk loads by a superuser cost nothing.
NOT_SUPERUSER = "current_setting('is_superuser') <> 'on'"
AUDIT_MESSAGE = "the configuration audit is append-only: its rows cannot be changed or deleted"


def upgrade() -> None:
    op.create_table(
        "rule_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("database_login", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_rule_versions_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_versions")),
    )
    with op.batch_alter_table("rule_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_versions_rule_id"), ["rule_id"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_audit()
    else:
        _postgres_audit()
        if _may_create_roles():
            _postgres_roles()
        else:
            op.execute(
                "DO $$ BEGIN RAISE NOTICE 'TierDesk: this login may not create roles; "
                "database roles were not set up'; END $$"
            )
        _pin_search_paths()


def _pin_search_paths() -> None:
    """Every function of this desk reads its tables from the desk's schema, never from the
    session's: otherwise a login could shadow ``users`` or ``user_tiers`` with a temporary
    table of its own (``pg_temp`` is searched first) and pass the checks. ``pg_temp`` last."""
    bind = op.get_bind()
    schema = _quoted(str(bind.scalar(sa.text("SELECT current_schema()"))))
    signatures = bind.scalars(
        sa.text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'tierdesk%'"
        )
    ).all()
    for signature in signatures:
        op.execute(f"ALTER FUNCTION {signature} SET search_path = {schema}, pg_temp")


# ------------------------------------------------------------------------- append-only audit
_SQLITE_RULE_JSON = (
    "json_object('name', {r}.name, 'position', {r}.position, 'enabled', {r}.enabled, "
    "'version', {r}.version, 'definition', json({r}.definition), "
    "'updated_at', {r}.updated_at, 'updated_by', {r}.updated_by)"
)


def _sqlite_audit() -> None:
    for table in APPEND_ONLY:
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END"
            )
    old, new = _SQLITE_RULE_JSON.format(r="OLD"), _SQLITE_RULE_JSON.format(r="NEW")
    columns = "rule_id, at, actor_id, database_login, before, after"
    op.execute(
        "CREATE TRIGGER rules_audit_insert AFTER INSERT ON rules BEGIN "
        f"INSERT INTO rule_versions ({columns}) "
        f"VALUES (NEW.id, NEW.updated_at, NEW.updated_by, '', NULL, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER rules_audit_update AFTER UPDATE ON rules BEGIN "
        f"INSERT INTO rule_versions ({columns}) "
        f"VALUES (NEW.id, NEW.updated_at, NEW.updated_by, '', {old}, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER rules_audit_delete AFTER DELETE ON rules BEGIN "
        f"INSERT INTO rule_versions ({columns}) "
        f"VALUES (OLD.id, datetime('now'), NULL, '', {old}, NULL); END"
    )


def _postgres_audit() -> None:
    op.execute(
        "CREATE FUNCTION tierdesk_refuse_audit_rewrite() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE} (%)', TG_TABLE_NAME "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION tierdesk_refuse_audit_rewrite()"
        )
    # SECURITY DEFINER: the audit is written whoever saves the rule; nobody else may write it.
    op.execute(
        "CREATE FUNCTION tierdesk_record_rule_version() RETURNS trigger LANGUAGE plpgsql "
        "SECURITY DEFINER SET search_path FROM CURRENT AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN "
        "  INSERT INTO rule_versions (rule_id, at, actor_id, database_login, before, after) "
        "  VALUES (OLD.id, now() AT TIME ZONE 'UTC', NULL, session_user, "
        "          to_json(OLD), NULL); "
        "  RETURN OLD; "
        "END IF; "
        "INSERT INTO rule_versions (rule_id, at, actor_id, database_login, before, after) "
        "VALUES (NEW.id, NEW.updated_at, NEW.updated_by, session_user, "
        "        CASE WHEN TG_OP = 'UPDATE' THEN to_json(OLD) END, to_json(NEW)); "
        "RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER rules_audit AFTER INSERT OR UPDATE OR DELETE ON rules "
        "FOR EACH ROW EXECUTE FUNCTION tierdesk_record_rule_version()"
    )
    op.execute(
        "CREATE FUNCTION tierdesk_keep_tier_ids() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN IF NEW.id <> OLD.id THEN "
        "RAISE EXCEPTION 'a tier''s id never changes' USING ERRCODE = 'insufficient_privilege'; "
        "END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER tiers_keep_ids BEFORE UPDATE ON tiers "
        "FOR EACH ROW EXECUTE FUNCTION tierdesk_keep_tier_ids()"
    )


# ------------------------------------------------------------------------------------ roles
def _may_create_roles() -> bool:
    return bool(
        op.get_bind().scalar(
            sa.text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        )
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _group_roles() -> dict[str, str]:
    """The desk's group roles by kind, quoted, created when missing."""
    bind = op.get_bind()
    roles: dict[str, str] = {}
    for kind in KINDS:
        name = str(bind.scalar(sa.text("SELECT tierdesk_role_name(:kind)"), {"kind": kind}))
        exists = bind.scalar(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name})
        if not exists:
            op.execute(f"CREATE ROLE {_quoted(name)} NOLOGIN")
        roles[kind] = _quoted(name)
    return roles


def _postgres_roles() -> None:
    # Roles are cluster-wide: the name carries the database and the schema, so that two desks
    # on one server never share one. A name too long for PostgreSQL (63 bytes), which would be
    # cut short and could then clash, becomes a digest of the two instead.
    op.execute(
        "CREATE FUNCTION tierdesk_role_name_for(database text, schema text, kind text) "
        "RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT CASE WHEN octet_length(name) <= 63 "
        "THEN name ELSE 'tierdesk_' || left(md5(database || '/' || schema), 12) || '_' || kind "
        "END FROM (SELECT 'tierdesk_' || database || '_' || schema || '_' || kind AS name) n $$"
    )
    op.execute(
        "CREATE FUNCTION tierdesk_role_name(kind text) RETURNS text LANGUAGE sql STABLE AS "
        "$$ SELECT tierdesk_role_name_for(current_database(), current_schema(), kind) $$"
    )
    roles = _group_roles()
    agent, supervisor, manager, admin, worker = (roles[kind] for kind in KINDS)
    everyone = ", ".join(roles.values())
    schema = _quoted(str(op.get_bind().scalar(sa.text("SELECT current_schema()"))))
    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {everyone}")
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {everyone}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {everyone}")
    for grantee in (agent, worker):
        op.execute(f"GRANT INSERT, UPDATE ON {', '.join(TICKET_WORK)} TO {grantee}")
        op.execute(f"GRANT INSERT ON ticket_events TO {grantee}")
        op.execute(f"GRANT UPDATE (id) ON tiers TO {grantee}")  # for Ladder.held's FOR SHARE
    op.execute(f"GRANT {agent} TO {supervisor}")
    op.execute(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(CONFIGURATION)} TO {supervisor}")
    op.execute(f"GRANT INSERT ON config_changes TO {supervisor}")
    op.execute(f"GRANT {supervisor} TO {admin}")
    op.execute(f"GRANT INSERT, UPDATE ON users TO {admin}")
    op.execute(f"GRANT INSERT, DELETE ON user_tiers TO {admin}")
    _row_level_security(agent, f"{supervisor}, {admin}, {worker}")
    del manager  # SELECT only: nothing more to grant


def _row_level_security(agent: str, staff: str) -> None:
    op.execute(
        "CREATE FUNCTION tierdesk_current_user_id() RETURNS integer LANGUAGE sql STABLE AS "
        "$$ SELECT id FROM users WHERE login = current_user AND active $$"
    )
    op.execute(
        "CREATE FUNCTION tierdesk_works_tier(tier integer) RETURNS boolean LANGUAGE sql STABLE "
        "AS $$ SELECT EXISTS (SELECT 1 FROM user_tiers ut JOIN users u ON u.id = ut.user_id "
        "WHERE u.login = current_user AND u.active AND ut.tier_id = tier) $$"
    )
    entry_tier = "(SELECT id FROM tiers WHERE NOT retired ORDER BY position LIMIT 1)"
    op.execute("ALTER TABLE tickets ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY tickets_read ON tickets FOR SELECT USING (true)")
    op.execute(
        f"CREATE POLICY tickets_staff ON tickets FOR ALL TO {staff} USING (true) WITH CHECK (true)"
    )
    op.execute(
        f"CREATE POLICY tickets_agent_insert ON tickets FOR INSERT TO {agent} "
        f"WITH CHECK (tier_id = {entry_tier} OR tierdesk_works_tier(tier_id))"
    )
    op.execute(
        f"CREATE POLICY tickets_agent_update ON tickets FOR UPDATE TO {agent} "
        "USING (tierdesk_works_tier(tier_id)) WITH CHECK (true)"
    )
    _checked_authorship()


def _checked_authorship() -> None:
    """Comments and history name their author truthfully, and an agent writes a ticket's
    records (comments, history, clocks, alerts, rule firings and notices) only for tickets at
    their tiers or a ticket their transaction has just changed (its row's ``xmin`` is the
    transaction's own id, which nobody can forge): a ticket they moved up a tier gets its move's
    history and new clocks, and nothing else outside their tiers. Triggers, not row-level
    security, because the app writes these tables with COPY, which PostgreSQL refuses on tables
    with row-level security."""
    op.execute(
        "CREATE FUNCTION tierdesk_is_restricted(owner oid) RETURNS boolean LANGUAGE sql STABLE "
        "AS $$ SELECT current_setting('is_superuser') <> 'on' "
        "AND NOT pg_has_role(current_user, owner, 'MEMBER') "
        "AND NOT pg_has_role(current_user, tierdesk_role_name('supervisor'), 'MEMBER') "
        "AND NOT pg_has_role(current_user, tierdesk_role_name('worker'), 'MEMBER') $$"
    )
    refuse = "RAISE EXCEPTION '%', message USING ERRCODE = 'insufficient_privilege'"
    op.execute(
        "CREATE FUNCTION tierdesk_may_work_ticket(ticket bigint) RETURNS boolean LANGUAGE sql "
        "STABLE AS $$ SELECT EXISTS (SELECT 1 FROM tickets t WHERE t.id = ticket "
        "AND (t.xmin = pg_current_xact_id()::xid OR tierdesk_works_tier(t.tier_id))) $$"
    )
    op.execute(
        "CREATE FUNCTION tierdesk_check_ticket_work() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE message text := 'permission denied: an agent writes ' || TG_TABLE_NAME || "
        "' only for tickets at the tiers they work, or a ticket changed in the same "
        "transaction'; "
        "BEGIN IF NOT tierdesk_is_restricted((SELECT relowner FROM pg_class WHERE oid = TG_RELID)) "
        "THEN RETURN NEW; END IF; "
        "IF TG_TABLE_NAME = 'ticket_events' THEN IF NEW.actor_id IS NOT NULL AND NEW.actor_id "
        "IS DISTINCT FROM tierdesk_current_user_id() THEN "
        "message := 'permission denied: history names its author truthfully'; "
        f"{refuse}; END IF; END IF; "
        "IF (TG_OP = 'INSERT' OR OLD.ticket_id = NEW.ticket_id) "
        "AND tierdesk_may_work_ticket(NEW.ticket_id) THEN RETURN NEW; END IF; "
        f"{refuse}; END $$"
    )
    for table, actions in TICKET_RECORDS.items():
        op.execute(
            f"CREATE TRIGGER {table}_check_ticket_work BEFORE {actions} ON {table} FOR EACH ROW "
            f"WHEN ({NOT_SUPERUSER}) EXECUTE FUNCTION tierdesk_check_ticket_work()"
        )
    # A rule's ``comment`` action writes as whoever last saved the rule, in the transaction of
    # the change that fired it (an agent's too): such a comment, word for word a comment action
    # of an enabled rule that person saved, is the rule's, whatever the ticket's tier.
    op.execute(
        "CREATE FUNCTION tierdesk_check_comment_author() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "DECLARE message text := 'permission denied: an agent comments as themselves, on "
        "tickets at the tiers they work'; "
        "BEGIN IF NOT tierdesk_is_restricted((SELECT relowner FROM pg_class WHERE oid = TG_RELID)) "
        "THEN RETURN NEW; END IF; "
        "IF NEW.author_id = tierdesk_current_user_id() AND tierdesk_may_work_ticket(NEW.ticket_id) "
        "AND (TG_OP = 'INSERT' OR OLD.author_id = NEW.author_id) THEN RETURN NEW; END IF; "
        "IF TG_OP = 'INSERT' AND EXISTS (SELECT 1 FROM rules r WHERE r.enabled "
        "AND r.updated_by = NEW.author_id AND jsonb_path_exists(r.definition::jsonb, "
        "'$.actions[*] ? (@.do == \"comment\" && @.text == $body)', "
        "jsonb_build_object('body', NEW.body))) THEN RETURN NEW; END IF; "
        f"{refuse}; END $$"
    )
    op.execute(
        "CREATE TRIGGER comments_check_author BEFORE INSERT OR UPDATE ON comments FOR EACH ROW "
        f"WHEN ({NOT_SUPERUSER}) EXECUTE FUNCTION tierdesk_check_comment_author()"
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for table in APPEND_ONLY:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_no_{action}")
        for action in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER rules_audit_{action}")
    else:
        _drop_postgres_roles()
        op.execute("DROP TRIGGER rules_audit ON rules")
        op.execute("DROP TRIGGER tiers_keep_ids ON tiers")
        op.execute("DROP TRIGGER config_changes_append_only ON config_changes")
        op.execute("DROP FUNCTION tierdesk_record_rule_version()")
        op.execute("DROP FUNCTION tierdesk_keep_tier_ids()")
    with op.batch_alter_table("rule_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_versions_rule_id"))
    op.drop_table("rule_versions")
    if bind.dialect.name != "sqlite":
        op.execute("DROP FUNCTION tierdesk_refuse_audit_rewrite()")


def _drop_postgres_roles() -> None:
    bind = op.get_bind()
    if not bind.scalar(sa.text("SELECT to_regproc('tierdesk_role_name') IS NOT NULL")):
        return  # the roles were never set up (see ``upgrade``)
    for table in TICKET_RECORDS:
        op.execute(f"DROP TRIGGER {table}_check_ticket_work ON {table}")
    op.execute("DROP TRIGGER comments_check_author ON comments")
    for policy in ("read", "staff", "agent_insert", "agent_update"):
        op.execute(f"DROP POLICY tickets_{policy} ON tickets")
    op.execute("ALTER TABLE tickets DISABLE ROW LEVEL SECURITY")
    for function in (
        "tierdesk_check_comment_author()",
        "tierdesk_check_ticket_work()",
        "tierdesk_may_work_ticket(bigint)",
        "tierdesk_is_restricted(oid)",
        "tierdesk_works_tier(integer)",
        "tierdesk_current_user_id()",
    ):
        op.execute(f"DROP FUNCTION {function}")
    for kind in KINDS:
        name = _quoted(str(bind.scalar(sa.text("SELECT tierdesk_role_name(:k)"), {"k": kind})))
        op.execute(f"DROP OWNED BY {name}")
        op.execute(f"DROP ROLE {name}")
    op.execute("DROP FUNCTION tierdesk_role_name(text)")
    op.execute("DROP FUNCTION tierdesk_role_name_for(text, text, text)")
