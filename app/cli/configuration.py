"""The commands for a desk's set-up: ``config export|import FILE`` (the whole configuration as
a JSON file), and ``rules|sla preview|replay FILE`` (what a draft rule set or SLA policy would
do now, or would have done over the last days; read only)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.arguments import instant, whole_number
from app.cli.output import instant_text
from app.services import errors
from app.services.configuration import ConfigurationFiles
from app.services.database import Database
from app.services.dto import as_json
from app.services.file_beside import move_over, new_file_beside
from app.services.json_files import read_json_file


def _config_export(args: argparse.Namespace, database: Database) -> Any:
    """Write the desk's whole set-up to FILE as JSON (``-``: standard output)."""
    data = ConfigurationFiles(database).export_data()
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if args.file == "-":
        sys.stdout.write(text)
        return None
    target = Path(os.path.abspath(args.file))
    part = new_file_beside(target, "FILE")
    try:  # written beside the target, then moved over it: never a half-written file
        part.write_text(text, encoding="utf-8")
        move_over(part, target, "FILE")
    except OSError as error:
        raise errors.InvalidInput("FILE", f"cannot write {args.file}: {error.strerror}") from None
    finally:
        part.unlink(missing_ok=True)
    summary: dict[str, Any] = {k: len(data[k]) for k in ("tiers", "categories", "calendars")}
    summary["policy"] = data["policy"]["name"] if data["policy"] else None
    rules = data.get("rules")
    if rules is not None:
        summary["rules"] = len(rules.get("rules", [])) if isinstance(rules, dict) else len(rules)
    if args.json:
        return {"file": args.file, "format": data["format"], **summary}
    one = {"tiers": "tier", "categories": "category", "calendars": "calendar", "rules": "rule"}
    counts = ", ".join(
        f"{value} {key if value != 1 else one[key]}"
        for key, value in summary.items()
        if key != "policy"
    )
    policy = f"policy {summary['policy']}" if summary["policy"] else "no SLA policy"
    return f"exported {counts} and {policy} to {args.file}"


def _config_import(args: argparse.Namespace, database: Database) -> Any:
    """Make the desk's set-up the file's, whole, or refuse it whole with every problem."""
    data = read_json_file(args.file, "FILE")
    actor = args.actor or os.environ.get("TIERDESK_USER") or None
    result = ConfigurationFiles(database).import_data(actor, data)
    if args.json:
        return {"file": args.file, "changed": bool(result.changes), "changes": result.changes}
    if not result.changes:
        return f"{args.file}: the desk already has this configuration; nothing changed"
    changes = len(result.changes)
    lines = [f"imported {args.file}: {changes} change{'' if changes == 1 else 's'}"]
    return "\n".join(lines + [f"  {change}" for change in result.changes])


def add_config_commands(command: Callable[..., Any], commands: Any) -> None:
    config = commands.add_parser(
        "config", help="export or import the desk's configuration as a JSON file"
    )
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    command(
        "export", _config_export, "write tiers, categories, calendars, SLA policy (and rules) "
        "to FILE as JSON ('-': standard output)", parent=actions,
    ).add_argument("file", metavar="FILE.json")  # fmt: skip
    command(
        "import", _config_import, "make the desk's configuration FILE's, whole, or refuse it "
        "with every problem listed (supervisors and admins)", parent=actions,
    ).add_argument("file", metavar="FILE.json")  # fmt: skip


def add_preview_commands(command: Callable[..., Any], commands: Any) -> None:
    """``rules preview|replay FILE`` and ``sla preview|replay FILE``: what a draft would do,
    read only. A rules FILE is a rule set in the rules file format (``config export``'s
    ``rules``, or just the list); an sla FILE is ``{"targets": {"tier": {TIER: {PRIORITY:
    minutes}}, "response": {...}, "customer": {"first_response" | "resolution": {...}}},
    "warning_percent": N}`` (or just the targets): targets not named stay as they are."""
    for noun, what in (("rules", "a draft rule set"), ("sla", "a draft SLA policy")):
        group = commands.add_parser(noun, help=f"preview or replay {what} from a JSON file")
        actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
        preview = command(
            "preview", _draft_preview, f"which open tickets {what} in FILE would act on now, "
            "and how (writes nothing)", parent=actions,
        )  # fmt: skip
        preview.add_argument("file", metavar="FILE.json")
        replay = command(
            "replay", _draft_replay, f"the last N days of history replayed under {what} in "
            "FILE: moves added and removed, open tickets per tier, tier clocks met (writes "
            "nothing)", parent=actions,
        )  # fmt: skip
        replay.add_argument("file", metavar="FILE.json")
        replay.add_argument("--days", type=whole_number(1, 366), default=30, metavar="N")
        for sub in (preview, replay):
            sub.add_argument(
                "--at", type=instant, metavar="ISO", help="as if now were this instant"
            )


def _draft_of(args: argparse.Namespace) -> Any:
    """The draft in ``args.file``: rule specs (``rules``) or a ``DraftPolicy`` (``sla``)."""
    from app.services.preview import DraftPolicy
    from app.services.rules.service import rules_from_json

    data = read_json_file(args.file, "FILE")
    return rules_from_json(data) if args.command == "rules" else DraftPolicy.from_json(data)


def _draft_preview(args: argparse.Namespace, database: Database) -> Any:
    from app.services.preview import preview_policy, preview_rules

    draft = _draft_of(args)
    if args.command == "rules":
        result = preview_rules(database, draft, at=args.at)
    else:
        result = preview_policy(database, draft, at=args.at)
    if args.json:
        return result
    actions, examined = len(result.actions), result.tickets_examined
    lines = [
        f"{actions} action{'' if actions == 1 else 's'} on {len({a.key for a in result.actions})}"
        f" of {examined} open ticket{'' if examined == 1 else 's'}, at {instant_text(result.at)}"
    ]
    lines += [f"{a.key}\t{a.tier}\t{a.action}\t{a.cause}\t{a.title}" for a in result.actions]
    return "\n".join(lines)


def _draft_replay(args: argparse.Namespace, database: Database) -> Any:
    from app.services.preview import ASSUMPTIONS, replay_policy, replay_rules

    draft = _draft_of(args)
    replay = replay_rules if args.command == "rules" else replay_policy
    result = replay(database, draft, days=args.days, at=args.at)
    tables = (result.distribution, result.compliance)
    if args.json:
        found = {name: as_json(getattr(result, name)) for name in (
            "start", "end", "tickets_replayed", "events_replayed", "added", "removed",
            "cancelled",
        )}  # fmt: skip
        for table in tables:
            found[table.key] = {
                "title": table.title,
                "description": table.description,
                "rows": [
                    {key: value.isoformat() if hasattr(value, "isoformat") else value
                     for key, value in record.items()}
                    for record in table.records()
                ],
            }  # fmt: skip
        return found
    lines = [
        f"replayed {instant_text(result.start)} to {instant_text(result.end)}: "
        f"{result.tickets_replayed} tickets, {result.events_replayed} events"
    ]
    for moves, heading in (
        (result.added, "moves that would have happened and did not"),
        (result.removed, "moves that happened and would not have"),
    ):
        lines.append(f"{len(moves)} {heading}:")
        lines += [
            f"  {instant_text(m.at)} {m.key} {m.from_tier} → {m.to_tier} ({m.cause})"
            for m in moves[:50]
        ]
        if len(moves) > 50:
            lines.append(f"  ... and {len(moves) - 50} more (--json lists them all)")
    last = list(result.distribution.records())[-1:]
    if last:
        shown = [key.removesuffix("_actual") for key in last[0] if key.endswith("_actual")]
        per_tier = ", ".join(
            f"{tier} {last[0][f'{tier}_actual']}/{last[0][f'{tier}_replayed']}" for tier in shown
        )
        lines.append(f"open tickets at the end, actual/replayed: {per_tier}")
    met = ", ".join(
        f"{row['tier']} {_share(row['actual_met'])}/{_share(row['replayed_met'])}"
        for row in result.compliance.records()
    )
    lines.append(f"tier clocks met, actual/replayed: {met or 'none decided'}")
    lines.append(ASSUMPTIONS)
    return "\n".join(lines)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
