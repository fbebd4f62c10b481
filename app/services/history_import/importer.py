"""Importing another service desk's ticket history (``main.py import-history``, the import dialog).

``HistoryImporter.run(file, mapping)`` reads the whole log first (``rows.parse_log``, no
database), then in ONE write transaction: looks up what is already there, resolves tiers,
categories and people (creating those the mapping allows), checks every ticket, and only then
writes tickets and events with the bulk writer the demo desk uses, starts the SLA clocks of open
tickets from their history (``sla_clocks.rebuild_clocks``) and tells other desktops. One
transaction rather than resumable chunks: the real 141,712-event log writes in seconds, a failure
or a cancel leaves the desk exactly as it was, and other desktops never see half an import.

Tickets whose key is already on the desk are skipped (a second import of the same file adds
nothing). With ``"bad_rows": "abort"`` (the default) any bad row means nothing is written and
the report lists every bad row; with ``"skip_ticket"`` the tickets with a bad row are left out
whole and the rest is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Level, Role, Ticket, TicketEvent, TicketStatus
from app.services.change_feed import announce_ticket_changes
from app.services.database import Database, serialise_setup_changes
from app.services.desk import Ladder, add_default_ladder, find_user
from app.services.errors import InvalidInput, NotAllowed, TierDeskError
from app.services.history_import.desk_names import DeskNames, used_by
from app.services.history_import.histories import (
    DeskIds,
    RowFailure,
    build_ticket,
    new_comments,
)
from app.services.history_import.mapping import Mapping, load_mapping
from app.services.history_import.readers import open_event_log
from app.services.history_import.rows import BadRow, ParsedLog, SourceRow, TicketHead, parse_log
from app.services.history_import.writing import ImportRows, present_keys, reserve_ids, write_rows
from app.services.sla_clocks import rebuild_clocks
from app.services.validation import REQUESTER_MAX, TITLE_MAX

KEY_MAX = 32
FINISHED = tuple(status.value for status in TicketStatus if status.is_finished)


@dataclass(frozen=True)
class ImportProgress:
    """Where an import is: ``phase`` is ``reading`` (``done``/``total`` in bytes of the file,
    or rows of a workbook), ``checking``, ``writing`` or ``clocks`` (in tickets)."""

    phase: str
    done: int
    total: int


ProgressCallback = Callable[[ImportProgress], None]
CancelHook = Callable[[], bool]


class ImportCancelled(TierDeskError):
    """The import was cancelled; nothing was written."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did, or (``applied`` false) would have done had no row been bad."""

    file: str
    applied: bool
    rows_read: int
    tickets_created: int
    events_created: int
    comments_created: int
    tickets_already_present: int
    rows_rejected: int
    tickets_rejected: int
    categories_created: tuple[str, ...]
    users_created: tuple[str, ...]
    open_tickets_with_clocks: int
    bad_rows: tuple[BadRow, ...]


class _Rejected(Exception):
    """Rolls the transaction back when bad rows stop an ``abort`` import."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("bad rows")
        self.report = report


#: Who may import another tool's history into the desk (it creates tickets by the thousand).
IMPORTING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class HistoryImporter:
    """Imports ticket histories from a CSV / XLSX event log through a mapping."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def run(
        self,
        file: str | Path,
        mapping: Mapping | str | Path,
        progress: ProgressCallback | None = None,
        cancelled: CancelHook | None = None,
        actor: str | None = None,
    ) -> ImportReport:
        """Import ``file`` as ``actor`` (a login), who must be an active supervisor or admin;
        without one, as whoever may write the database (the embedded file's owner, or a server
        login that is no TierDesk user, such as the desk's owner). ``progress`` is told how far
        it is; ``cancelled`` is asked between chunks, and when it answers True the import stops
        with ``ImportCancelled``, writing nothing. Invalid mapping or unreadable file:
        ``InvalidInput``; an actor who may not import: ``NotAllowed``, before anything is read."""
        if actor is not None:
            self.check_may_import(actor)
        if not isinstance(mapping, Mapping):
            mapping = load_mapping(mapping)
        job = _Job(str(file), mapping, progress, cancelled)
        log = open_event_log(file, mapping.format)
        try:
            parsed = parse_log(log, mapping, lambda: job.checkpoint("reading", *log.progress()))
            job.checkpoint("reading", *log.progress())
        finally:
            log.close()
        try:
            with self.database.write() as session:
                return _Import(session, job, parsed).run()
        except _Rejected as rejected:
            return rejected.report

    def check_may_import(self, actor: str) -> None:
        """Refuse anyone but an active supervisor or admin, naming who they are."""
        if "\x00" in actor:  # not text: no login has it (and PostgreSQL refuses to look it up)
            raise InvalidInput("--as", "a login contains no NUL character (byte 0x00)")
        with self.database.read() as session:
            user = find_user(session, actor, field="--as")
            if user.active and user.role in IMPORTING_ROLES:
                return
            state = user.role.value if user.active else f"inactive {user.role.value}"
        raise NotAllowed(
            f"{user.login} ({state}) may not import history; supervisors and admins do"
        )


@dataclass
class _Job:
    file: str
    mapping: Mapping
    progress: ProgressCallback | None
    cancelled: CancelHook | None

    def checkpoint(self, phase: str, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled("import cancelled; nothing was written")
        if self.progress is not None:
            self.progress(ImportProgress(phase, done, total))


@dataclass
class _Import:
    """The database half of one import, inside its transaction."""

    session: Session
    job: _Job
    parsed: ParsedLog
    bad_rows: list[BadRow] = field(default_factory=list)

    def run(self) -> ImportReport:
        session, mapping = self.session, self.job.mapping
        serialise_setup_changes(session)
        self.ladder = Ladder.load(session)
        if not self.ladder.tiers:  # a new desk: the default ladder, as the first start makes
            add_default_ladder(session)
            self.ladder = Ladder.load(session)
        self._check_mapping_tiers()
        self.names = names = DeskNames(session, self.ladder, mapping)
        present = present_keys(session, list(self.parsed.tickets))
        self.bad_rows = [row for row in self.parsed.bad_rows if row.key not in present]
        # Every new ticket is checked, even one already refused, so that the report lists
        # every bad row at once; only the names of the tickets kept are created.
        new = {key: rows for key, rows in self.parsed.tickets.items() if key not in present}
        for key, rows in new.items():
            if len(key) > KEY_MAX:
                self._reject_rows(key, rows, f"key longer than {KEY_MAX} characters")
        self.job.checkpoint("checking", 0, len(new))
        tier_ids = self._resolve_tiers(new)
        categories = self._known_or_allowed(new, "category", mapping.category.create_missing)
        people = self._known_or_allowed(
            new, "assignee", mapping.assignee is not None and mapping.assignee.create_missing
        )
        tickets = self._candidates(present)
        self._stop_if_rejected(present)
        first_rows_lack_category = any(rows[0].category is None for rows in tickets.values())
        ids = DeskIds(
            tier_ids=tier_ids,
            category_ids=names.create_categories(used_by(categories, tickets, "category")),
            user_ids=names.create_users(used_by(people, tickets, "assignee"), tickets, tier_ids),
            lowest_tier_id=self.ladder.tiers[0].id,
            default_category_id=names.default_category() if first_rows_lack_category else None,
            default_impact=Level(mapping.impact.default or Level.MEDIUM.value),
            default_urgency=Level(mapping.urgency.default or Level.MEDIUM.value),
            priority_from_column=mapping.priority is not None,
            actor_id=names.importing_user(),
        )
        built = self._build(tickets, ids)
        self._stop_if_rejected(present)
        write_rows(session, built, lambda done, total: self.job.checkpoint("writing", done, total))
        open_ids = [row[0] for row in built.tickets if row[10] not in FINISHED]
        self._start_clocks(open_ids)
        announce_ticket_changes(session, [row[0] for row in built.tickets])
        return self._report(True, present, built, len(open_ids))

    # --------------------------------------------------------------------------- checking
    def _check_mapping_tiers(self) -> None:
        mapping = self.job.mapping
        for code in sorted(mapping.tier.tier_codes()):
            self.ladder.find(code, field="tier")
        if mapping.category.min_tier:
            self.ladder.find(mapping.category.min_tier, field="category.min_tier")

    def _candidates(self, present: set[str]) -> dict[str, list[SourceRow]]:
        """Tickets to import: not on the desk yet, without a bad row."""
        rejected = {row.key for row in self.bad_rows}
        return {
            key: rows
            for key, rows in self.parsed.tickets.items()
            if key not in present and key not in rejected and rows
        }

    def _reject_rows(self, key: str, rows: Iterable[SourceRow], reason: str) -> None:
        self.bad_rows.extend(BadRow(row.number, key, reason) for row in rows)

    def _resolve_tiers(self, tickets: dict[str, list[SourceRow]]) -> dict[str, int]:
        """Each tier text the rows use -> tier id (code or name, any case)."""
        ids: dict[str, int] = {}
        unknown: set[str] = set()
        for text_value in {row.tier for rows in tickets.values() for row in rows if row.tier}:
            try:
                ids[text_value] = self.ladder.find(text_value).id
            except InvalidInput:
                unknown.add(text_value)
        codes = ", ".join(tier.code for tier in self.ladder.tiers)
        self._reject_unknown(tickets, unknown, "tier", f"the desk's tiers are {codes}")
        return ids

    def _known_or_allowed(
        self, tickets: dict[str, list[SourceRow]], name: str, create: bool
    ) -> dict[str, int | None]:
        """The category (or assignee) texts with their ids; unless the mapping lets the
        import create what the desk lacks, the rows naming it are bad."""
        resolved = self.names.find(tickets, name)
        if not create:
            unknown = {text for text, found in resolved.items() if found is None}
            hint = f"not on the desk; add it, map it in {name}.values or set create_missing"
            self._reject_unknown(tickets, unknown, name, hint)
        return resolved

    def _reject_unknown(
        self, tickets: dict[str, list[SourceRow]], unknown: set[str], name: str, hint: str
    ) -> None:
        if not unknown:
            return
        for key, rows in tickets.items():
            for row in rows:
                value = getattr(row, name)
                if value in unknown:
                    self.bad_rows.append(BadRow(row.number, key, f"{name} {value!r}: {hint}"))

    def _stop_if_rejected(self, present: set[str]) -> None:
        if self.bad_rows and self.job.mapping.bad_rows == "abort":
            raise _Rejected(self._report(False, present, ImportRows(), 0))

    # ---------------------------------------------------------------------------- writing
    def _build(self, tickets: dict[str, list[SourceRow]], ids: DeskIds) -> ImportRows:
        built = ImportRows()
        ticket_ids = reserve_ids(self.session, "tickets", len(tickets))
        planned = sum(new_comments(rows) for rows in tickets.values())
        comment_ids = iter(reserve_ids(self.session, "comments", planned))
        for ticket_id, (key, rows) in zip(ticket_ids, tickets.items(), strict=True):
            head = _clipped(self.parsed.heads[key], key)
            try:
                ticket = build_ticket(ticket_id, key, head, rows, ids, comment_ids)
            except RowFailure as failure:
                self.bad_rows.append(BadRow(failure.row, key, str(failure)))
                continue
            built.tickets.append(ticket.ticket)
            built.events.extend(ticket.events)
            built.comments.extend(ticket.comments)
        return built

    def _start_clocks(self, open_ids: Sequence[int]) -> None:
        """The SLA clocks of open imported tickets (running, and stopped on the way), rebuilt
        from their history. Finished tickets get none: at about 1.5 ms a ticket that would be
        some 37 s for the real log's 24,918 tickets, three times the import's own time, for
        clocks measured against a policy they never had."""
        session = self.session
        for start in range(0, len(open_ids), 500):
            self.job.checkpoint("clocks", start, len(open_ids))
            batch = open_ids[start : start + 500]
            history: dict[int, list[TicketEvent]] = {ticket_id: [] for ticket_id in batch}
            events = session.scalars(
                select(TicketEvent)
                .where(TicketEvent.ticket_id.in_(batch))
                .order_by(TicketEvent.ticket_id, TicketEvent.id)
            )
            for event in events:
                history[event.ticket_id].append(event)
            tickets = session.scalars(select(Ticket).where(Ticket.id.in_(batch)))
            for ticket in tickets:
                rebuild_clocks(session, ticket, history[ticket.id], self.ladder)
        session.flush()

    def _report(
        self, applied: bool, present: set[str], built: ImportRows, open_tickets: int
    ) -> ImportReport:
        bad = tuple(sorted(self.bad_rows, key=lambda row: row.row))
        return ImportReport(
            file=self.job.file,
            applied=applied,
            rows_read=self.parsed.rows_read,
            tickets_created=len(built.tickets),
            events_created=len(built.events),
            comments_created=len(built.comments),
            tickets_already_present=len(present),
            rows_rejected=len({row.row for row in bad}),
            tickets_rejected=len({row.key for row in bad}),
            categories_created=tuple(self.names.categories_created) if applied else (),
            users_created=tuple(self.names.users_created) if applied else (),
            open_tickets_with_clocks=open_tickets,
            bad_rows=bad,
        )


def _clipped(head: TicketHead, key: str) -> TicketHead:
    """The ticket's texts within the columns' widths (a blank title becomes the key)."""
    return TicketHead(
        title=(head.title.strip() or key)[:TITLE_MAX],
        description=head.description.strip(),
        requester=(head.requester.strip() or "Imported requester")[:REQUESTER_MAX],
        created_at=head.created_at,
    )


def describe_import(report: ImportReport, bad_rows_shown: int = 50) -> list[str]:
    """The report in lines for people: counts, then up to ``bad_rows_shown`` bad rows (the CLI;
    the dialog shows the counts and lists the bad rows in a table)."""
    done = "imported" if report.applied else "nothing imported because of bad rows; would import"
    lines = [
        f"{done} {_count(report.tickets_created, 'ticket')} with "
        f"{_count(report.events_created, 'event')}"
        + (f" and {_count(report.comments_created, 'comment')}" if report.comments_created else "")
        + f" from {_count(report.rows_read, 'row')}; "
        f"{_count(report.tickets_already_present, 'ticket')} already present; "
        f"{_count(report.rows_rejected, 'row')} rejected "
        f"({_count(report.tickets_rejected, 'ticket')})"
    ]
    if report.categories_created or report.users_created:
        lines.append(
            f"created {_count(len(report.categories_created), 'category', 'categories')} and "
            f"{_count(len(report.users_created), 'user')}"
        )
    if bad_rows_shown > 0:
        for bad in report.bad_rows[:bad_rows_shown]:
            lines.append(f"  row {bad.row} ({bad.key or 'no key'}): {bad.reason}")
        if len(report.bad_rows) > bad_rows_shown:
            more = len(report.bad_rows) - bad_rows_shown
            lines.append(f"  ... and {more:,} more (--json lists all)")
    return lines


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"
