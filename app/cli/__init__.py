"""The command line: ``python main.py [--db URL] [--as LOGIN] COMMAND ...``.

Without a command TierDesk starts the desktop app. Every command prints a line for people, or
JSON with ``--json``. Errors go to stderr as one message naming the offending value, with an
exit code per kind (see ``EXIT_CODES``); no traceback is shown for a user's mistake.

This module holds the entry point, the parser and the ticket, people and desk commands;
``output`` prints results and errors, ``arguments`` checks typed values, and ``configuration``
has the set-up commands (``config``, and ``rules`` / ``sla`` preview and replay).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select

from app import __version__
from app.cli.arguments import instant, whole_number
from app.cli.configuration import add_config_commands, add_preview_commands
from app.cli.output import print_error, print_result, write_utf8
from app.models import Role, User
from app.services import errors
from app.services.clock import FixedClock
from app.services.database import Database, current_revisions, database_url_from, open_database
from app.services.demo import MAX_DEMO_TICKETS
from app.services.desk import DeskService
from app.services.dto import TicketView
from app.services.history import HistoryCheck, check_history
from app.services.people import PeopleService
from app.services.tickets import NewTicket, TicketChanges, TicketService

EXIT_CODES: dict[type[errors.TierDeskError], int] = {
    errors.InvalidInput: 2,
    errors.NotAllowed: 3,
    errors.NotFound: 4,
    errors.ConflictError: 5,
    errors.DatabaseError: 6,
}

Handler = Callable[[argparse.Namespace, Database], Any]


#: Commands that may create a database; the others refuse a missing one (a mistyped --db).
CREATING_COMMANDS = frozenset({"migrate", "demo"})
#: Commands that work on the database file itself, which may be missing or damaged: they get
#: the URL, not an opened database.
FILE_COMMANDS = frozenset({"restore"})
#: Commands that copy the database as it is: a backup taken before an upgrade must not be one.
COPYING_COMMANDS = frozenset({"backup"})


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        write_utf8(stream)
    parser = build_parser()
    args = parser.parse_args(argv)
    _refuse_undecodable_arguments(parser, args)
    if args.smoke:
        if args.command is not None:
            parser.error("--smoke takes no command")
        from app.views.smoke import run_smoke  # Qt loads only for the GUI

        return run_smoke(database_url_from(args.db))
    if args.command is None:
        # Qt loads only for the GUI
        from app.views.application import run_desktop
        from app.views.connection_dialog import remembered_database_url

        return int(run_desktop(database_url_from(args.db, remembered=remembered_database_url)))
    try:
        url = database_url_from(args.db)
        if args.command in FILE_COMMANDS:
            result = args.handler(args, url)
        else:
            database = open_database(
                url,
                create=args.command in CREATING_COMMANDS,
                migrate=args.command not in COPYING_COMMANDS,
            )
            if not (args.actor or os.environ.get("TIERDESK_USER")):
                args.actor = _login_user(database)  # on a server, you are your login
            try:
                result = args.handler(args, database)
            finally:
                database.close()
        print_result(args, result)
    except errors.TierDeskError as error:
        print_error(args, error)
        return next((code for kind, code in EXIT_CODES.items() if isinstance(error, kind)), 1)
    except KeyboardInterrupt:
        print("tierdesk: interrupted; nothing of the unfinished step was saved", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``... | head``): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug of ours: one line for the user, the trace on request
        if os.environ.get("TIERDESK_DEBUG"):
            raise
        print(f"tierdesk: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def _refuse_undecodable_arguments(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> None:
    """Bytes that are not valid text in the system's encoding reach Python as lone surrogates;
    refuse them here, naming the option, rather than deep inside the database driver."""
    for name, value in vars(args).items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                option = "--as" if name == "actor" else f"--{name.replace('_', '-')}"
                parser.error(f"{option}: {value!r} contains bytes that are not valid text")


# ---------------------------------------------------------------------------------- handlers
def _login_user(database: Database) -> str | None:
    """On PostgreSQL, the TierDesk user whose login is the database login, if there is one (as
    the desktop signs people in); on the embedded file nobody: name them with ``--as``."""
    login = database.url.username
    if database.is_sqlite or not login:
        return None
    with database.read() as session:
        found = session.scalar(select(User.login).where(User.login == login, User.active))
    return str(found) if found else None


def _actor(args: argparse.Namespace) -> str:
    actor = args.actor or os.environ.get("TIERDESK_USER")
    if not actor:
        raise errors.InvalidInput(
            "--as", "name the user this change is made as (--as LOGIN or TIERDESK_USER)"
        )
    return str(actor)


def _version(args: argparse.Namespace, tickets: TicketService) -> int:
    """The version the caller read (``--expect-version``), or the current one."""
    if args.expect_version is not None:
        return int(args.expect_version)
    return tickets.get(args.key).ticket.version


def _migrate(args: argparse.Namespace, database: Database) -> dict[str, Any]:
    return {"database": database.describe(), "revision": ",".join(current_revisions(database))}


def _demo(args: argparse.Namespace, database: Database) -> Any:
    from app.services.demo import DemoService

    return DemoService(database).load(
        tickets=args.tickets, seed=args.seed, time_zone=args.time_zone
    )


def _worker(args: argparse.Namespace, database: Database) -> Any:
    from app.services.escalation import EscalationService
    from app.services.worker import describe_pass, run_worker

    if args.at is not None and not args.once:
        raise errors.InvalidInput("--at", "reading the clock as another instant needs --once")
    clock = FixedClock(args.at) if args.at is not None else None
    service = EscalationService(database, clock)
    if args.once:
        report = service.run_pass()
        return report if args.json else "\n".join(describe_pass(report)) or "nothing due"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    run_worker(service, args.interval, mailer=_mailer(args, database))
    return None


def _mailer(args: argparse.Namespace, database: Database) -> Any:
    """The worker's alert mailer, when ``--smtp-host`` is given."""
    from app.services.mailer import AlertMailer, MailSettings

    if args.smtp_host is None:
        return None
    if not args.mail_from:
        raise errors.InvalidInput("--mail-from", "mailing alerts needs a sender address")
    settings = MailSettings(
        host=args.smtp_host,
        port=args.smtp_port,
        sender=args.mail_from,
        starttls=args.smtp_starttls,
        username=args.smtp_user,
        password=os.environ.get("TIERDESK_SMTP_PASSWORD"),
        time_zone=args.mail_time_zone,
    )
    return AlertMailer(database, settings)


def _tickets(args: argparse.Namespace, database: Database) -> list[TicketView]:
    return TicketService(database).list(tier=args.tier, status=args.status, limit=args.limit)


def _show(args: argparse.Namespace, database: Database) -> Any:
    return TicketService(database).get(args.key)


def _create(args: argparse.Namespace, database: Database) -> TicketView:
    new = NewTicket(
        title=args.title,
        requester=args.requester,
        category=args.category,
        impact=args.impact,
        urgency=args.urgency,
        description=args.description or "",
        priority=args.priority,
        tier=args.tier,
    )
    return TicketService(database).create(_actor(args), new)


def _edit(args: argparse.Namespace, database: Database) -> TicketView:
    tickets = TicketService(database)
    auto = args.priority == "auto"
    changes = TicketChanges(
        title=args.title,
        description=args.description,
        requester=args.requester,
        category=args.category,
        impact=args.impact,
        urgency=args.urgency,
        priority=None if auto else args.priority,
        priority_from_matrix=auto,
    )
    return tickets.edit(_actor(args), args.key, _version(args, tickets), changes)


def _ticket_action(action: str) -> Handler:
    """A handler for the ticket commands that take a key, a version and a few options."""

    def handler(args: argparse.Namespace, database: Database) -> TicketView:
        tickets = TicketService(database)
        actor, key = _actor(args), args.key
        if action == "comment":
            return tickets.comment(actor, key, args.body, args.expect_version)
        version = _version(args, tickets)
        calls: dict[str, Callable[[], TicketView]] = {
            "move": lambda: tickets.move(actor, key, version, args.to, args.note),
            "escalate": lambda: tickets.escalate(actor, key, version, args.note),
            "hand-back": lambda: tickets.hand_back(actor, key, version, args.note),
            "assign": lambda: tickets.assign(actor, key, version, args.to),
            "take": lambda: tickets.take(actor, key, version),
            "status": lambda: tickets.change_status(actor, key, version, args.to),
            "resolve": lambda: tickets.resolve(actor, key, version, args.note),
            "close": lambda: tickets.close(actor, key, version),
            "reopen": lambda: tickets.reopen(actor, key, version, args.note),
        }
        return calls[action]()

    return handler


def _user_email(args: argparse.Namespace, database: Database) -> Any:
    return DeskService(database).set_email(args.login, args.address)


def _admin_create_user(args: argparse.Namespace, database: Database) -> Any:
    tiers = None if args.tiers is None else [c for c in args.tiers.split(",") if c.strip()]
    change = PeopleService(database).create_user(
        args.login, args.name or "", Role(args.role), tiers
    )
    return change if args.json else change.summary


def _admin_disable_user(args: argparse.Namespace, database: Database) -> Any:
    change = PeopleService(database).disable_user(args.login)
    return change if args.json else change.summary


def _verify(args: argparse.Namespace, database: Database) -> HistoryCheck:
    report = check_history(database)
    if report.mismatches:
        detail = "; ".join(f"{m.key}: {', '.join(m.differences)}" for m in report.mismatches[:20])
        raise errors.TierDeskError(
            f"{len(report.mismatches)} of {report.checked} tickets disagree with their history: "
            f"{detail}"
        )
    return report


def _backup(args: argparse.Namespace, database: Database) -> Any:
    """``backup FILE``: a consistent copy of the embedded file while desktops use it."""
    from pathlib import Path

    from app.services.backup import backup_file

    report = backup_file(database, Path(args.file), force=args.force, progress=_pages_copied())
    if args.json:
        return report
    return (
        f"backed up {report.source} to {report.target}: {report.pages} pages, {report.bytes} bytes"
    )


def _restore(args: argparse.Namespace, database: Database | str) -> Any:
    """``restore FILE``: the backup FILE in place of the embedded file, while nothing uses it.
    Given the URL instead of an open database, it restores over a missing or damaged file."""
    from pathlib import Path

    from app.services.backup import embedded_path, restore_file

    path = embedded_path(database, "restore")
    if not isinstance(database, str):
        database.close()  # our own connections must not count as the database being in use
    report = restore_file(Path(args.file), path, force=args.force, progress=_pages_copied())
    if args.json:
        return report
    aside = f"; the damaged file was kept as {report.set_aside}" if report.set_aside else ""
    return f"restored {report.target} from {report.source}: {report.pages} pages{aside}"


def _pages_copied() -> Callable[[int, int], None] | None:
    """A progress line on stderr, rewritten in place, for a person watching a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rcopying: {done}/{total} pages ({done / max(total, 1):.0%})", end=end,
              file=sys.stderr, flush=True)  # fmt: skip

    return show


def _report(args: argparse.Namespace, database: Database) -> Any:
    """The distribution reports (``report``): printed as text, as JSON, or written to Excel."""
    from pathlib import Path

    from app.services.report_tables import ReportQuery
    from app.services.reports import ReportService, report_as_json, report_as_text

    query = ReportQuery(
        start=_report_date("--from", args.start),
        end=_report_date("--to", args.end),
        categories=tuple(args.category or ()),
        priorities=tuple(args.priority or ()),
        tiers=tuple(args.tier or ()),
        period=args.period,
    )
    options = {"start": "--from", "category": "--category", "priority": "--priority"}
    options |= {"tier": "--tier", "period": "--period"}
    service = ReportService(database)
    try:
        report = service.build(query)
        if args.xlsx is None:
            return report_as_json(report) if args.json else report_as_text(report)
        from app.services.excel_export import export_workbook

        count = service.count_tickets(query)
        columns, rows = service.ticket_rows(query)
        with contextlib.closing(rows):  # ends the read transaction even if the export fails
            export_workbook(report, columns, rows, Path(args.xlsx), ticket_count=count)
    except errors.InvalidInput as error:
        if error.field not in options:
            raise
        raise errors.InvalidInput(options[error.field], error.message) from None
    if args.json:
        return {"workbook": args.xlsx, "reports": len(report.tables), "tickets": count}
    return f"wrote {len(report.tables)} reports and {count:,} tickets to {args.xlsx}"


def _report_date(option: str, text: str | None) -> Any:
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise errors.InvalidInput(option, f"{text!r} is not a date like 2026-03-31") from None


def _import_history(args: argparse.Namespace, database: Database) -> Any:
    from app.services.history_import.importer import HistoryImporter, describe_import

    actor = args.actor or os.environ.get("TIERDESK_USER") or None
    report = HistoryImporter(database).run(args.file, args.mapping, actor=actor)
    result = report if args.json else "\n".join(describe_import(report))
    if not report.applied:  # the bad rows on stdout, then the error and its exit code
        print_result(args, result)
        raise errors.InvalidInput("file", f"{report.rows_rejected} bad rows; nothing imported")
    return result


# ------------------------------------------------------------------------------------ parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tierdesk",
        description="TierDesk service desk. Without a command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"TierDesk {__version__}")
    parser.add_argument("--db", help="database URL (default: $TIERDESK_DB, else the embedded file)")
    parser.add_argument(
        "--as", dest="actor", metavar="LOGIN", help="act as this user ($TIERDESK_USER)"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="self-check: migrate the database (use a scratch one: an empty one gets a starter "
        "desk), build the main window offscreen, print one line, exit 0 or 1",
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str, parent: Any = commands) -> Any:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--json", action="store_true", help="print JSON")
        # --db and --as are accepted after the command too; SUPPRESS keeps an earlier value.
        sub.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.add_argument("--as", dest="actor", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.set_defaults(handler=handler)
        return sub

    command("migrate", _migrate, "create or upgrade the database schema")
    demo = command("demo", _demo, "load a realistic demo desk into an empty database")
    demo.add_argument("--tickets", type=whole_number(0, MAX_DEMO_TICKETS), default=500, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--time-zone", metavar="ZONE", help="IANA zone of the desk's office hours (default: local)"
    )
    listing = command("tickets", _tickets, "list tickets, newest first")
    listing.add_argument("--tier", metavar="T")
    listing.add_argument("--status", metavar="S")
    listing.add_argument("--limit", type=whole_number(1, 10_000_000), metavar="N")
    command("tiers", lambda a, d: DeskService(d).tiers(), "list the tier ladder")
    command("categories", lambda a, d: DeskService(d).categories(), "list categories")
    command("users", lambda a, d: DeskService(d).users(), "list active users")
    email = command(
        "user-email", _user_email, "set where a person's SLA alerts are mailed (worker --smtp-host)"
    )
    email.add_argument("login", metavar="LOGIN")
    email.add_argument("address", metavar="ADDRESS", nargs="?", help="omit to stop mailing")
    command("verify", _verify, "check that every ticket agrees with its history")
    for name, handler, help_text in (
        ("backup", _backup, "copy the embedded database file to FILE, consistently, while "
         "desktops use it (PostgreSQL: see README, pg_dump)"),
        ("restore", _restore, "put the backup FILE in place of the embedded database file "
         "(refused while a desktop or the worker has it open)"),
    ):  # fmt: skip
        copying = command(name, handler, help_text)
        copying.add_argument("file", metavar="FILE")
        copying.add_argument(
            "--force", action="store_true", help="replace an existing file (restore: the desk)"
        )
    worker = command("worker", _worker, "run the escalation pass headless (or --once)")
    worker.add_argument("--once", action="store_true", help="run one pass and print it")
    worker.add_argument(
        "--at", type=instant, metavar="ISO", help="with --once: read the clock as this instant"
    )
    worker.add_argument(
        "--interval",
        type=whole_number(1, 3600),
        default=60,
        metavar="S",
        help="seconds between safety sweeps (passes also run at each deadline; default 60)",
    )
    worker.add_argument("--smtp-host", metavar="HOST", help="mail SLA alerts through this server")
    worker.add_argument("--smtp-port", type=whole_number(1, 65535), default=25, metavar="PORT")
    worker.add_argument("--smtp-starttls", action="store_true", help="upgrade to TLS first")
    worker.add_argument(
        "--smtp-user", metavar="USER", help="log in as USER ($TIERDESK_SMTP_PASSWORD)"
    )
    worker.add_argument("--mail-from", metavar="ADDRESS", help="sender of the alert mails")
    worker.add_argument(
        "--mail-time-zone", default="UTC", metavar="ZONE", help="zone of times in mails"
    )
    history = command("import-history", _import_history, "import ticket histories from a log")
    history.add_argument("file", metavar="FILE", help="CSV (maybe .gz) or XLSX event log")
    history.add_argument("--mapping", required=True, metavar="MAPPING.json")
    _add_ticket_commands(command, commands)
    _add_report_command(command)
    add_config_commands(command, commands)
    add_preview_commands(command, commands)
    _add_admin_commands(command, commands)
    return parser


def _add_admin_commands(command: Callable[..., Any], commands: Any) -> None:
    admin = commands.add_parser(
        "admin", help="manage people: their TierDesk user and (on PostgreSQL) database login"
    )
    actions = admin.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = command(
        "create-user", _admin_create_user, "create or update a person and their database "
        "login (on PostgreSQL), in one transaction", parent=actions,
    )  # fmt: skip
    create.add_argument("login", metavar="LOGIN")
    create.add_argument("--name", metavar="NAME", help="display name (default: the login)")
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--tiers", metavar="L1,L2", help="tiers they work (default: keep)")
    command(
        "disable-user", _admin_disable_user, "take away a person's sign-in; their history "
        "stays", parent=actions,
    ).add_argument("login", metavar="LOGIN")  # fmt: skip


def _add_report_command(command: Callable[..., Any]) -> None:
    report = command(
        "report",
        _report,
        "distribution reports by tier (text, --json, or an Excel workbook with --xlsx)",
    )
    report.add_argument("--from", dest="start", metavar="DATE", help="first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", metavar="DATE", help="last day (YYYY-MM-DD)")
    for option, metavar in (("category", "C"), ("priority", "P"), ("tier", "T")):
        report.add_argument(
            f"--{option}", action="append", metavar=metavar, help="only these (repeatable)"
        )
    report.add_argument("--period", choices=("day", "week"), default="day")
    report.add_argument("--xlsx", metavar="OUT.xlsx", help="write an Excel workbook")


def _add_ticket_commands(command: Callable[..., Any], commands: Any) -> None:
    ticket = commands.add_parser("ticket", help="show or change one ticket")
    actions = ticket.add_subparsers(dest="action", metavar="ACTION", required=True)

    def keyed(name: str, handler: Handler, help_text: str) -> Any:
        sub = command(name, handler, help_text, parent=actions)
        sub.add_argument("key", metavar="KEY", help="ticket key, e.g. TD-1042")
        if name not in ("show",):
            sub.add_argument(
                "--expect-version",
                type=whole_number(1, 2**31 - 1),
                metavar="V",
                help="the version you read; refused if the ticket changed since",
            )
        return sub

    keyed("show", _show, "a ticket with its comments, history and SLA clock timelines")
    create = command("create", _create, "open a ticket", parent=actions)
    create.add_argument("--title", required=True)
    create.add_argument("--requester", required=True)
    create.add_argument("--category", required=True)
    create.add_argument("--impact", default="medium", help="high, medium or low")
    create.add_argument("--urgency", default="medium", help="high, medium or low")
    create.add_argument("--priority", help="P1-P4, overriding impact x urgency")
    create.add_argument("--tier", help="entry tier (default: the lowest)")
    create.add_argument("--description")
    edit = keyed("edit", _edit, "change fields of a ticket")
    for field in ("title", "description", "requester", "category", "impact", "urgency"):
        edit.add_argument(f"--{field}")
    edit.add_argument("--priority", help="P1-P4 to override, or 'auto' for impact x urgency")
    keyed("move", _ticket_action("move"), "move to a tier").add_argument(
        "--to", required=True, metavar="TIER"
    )
    for name, help_text in (
        ("escalate", "move one tier up"),
        ("hand-back", "move one tier down (with --note why)"),
        ("reopen", "reopen a resolved or closed ticket"),
    ):
        keyed(name, _ticket_action(name), help_text)
    keyed("assign", _ticket_action("assign"), "assign to a user").add_argument(
        "--to", metavar="LOGIN", help="omit to unassign"
    )
    keyed("take", _ticket_action("take"), "assign to yourself")
    keyed("status", _ticket_action("status"), "set a working status").add_argument(
        "--to", required=True, metavar="STATUS"
    )
    keyed("resolve", _ticket_action("resolve"), "resolve, with --note saying how")
    keyed("close", _ticket_action("close"), "close a resolved ticket")
    keyed("comment", _ticket_action("comment"), "add a comment").add_argument(
        "--body", required=True
    )
    for action in ("move", "escalate", "hand-back", "resolve", "reopen"):
        actions.choices[action].add_argument("--note", help="why (needed to hand back or resolve)")
