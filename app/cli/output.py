"""What the command line prints: a line (or a few) for people, or JSON with ``--json``; errors as
one message on stderr, or a JSON object scripts can read."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from dataclasses import is_dataclass
from datetime import datetime
from typing import Any

from app.services import errors
from app.services.dto import ClockTimeline, TicketDetail, TicketView, as_json
from app.services.sla_timeline import duration_text


def write_utf8(stream: Any) -> None:
    """JSON and history summaries carry any script (and arrows); a console or a redirect in a
    legacy code page must not turn a committed change into an error while printing it."""
    with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def print_error(args: argparse.Namespace, error: errors.TierDeskError) -> None:
    """One message on stderr; with ``--json`` a JSON object that scripts can read."""
    if not getattr(args, "json", False):
        print(f"tierdesk: {error}", file=sys.stderr)
        return
    report: dict[str, Any] = {"error": type(error).__name__, "message": str(error)}
    if isinstance(error, errors.InvalidInput):
        report["field"] = error.field
        problems = getattr(error, "problems", None)  # a whole file or rule set refused at once
        if problems is not None:
            report["problems"] = [{"field": p.field, "message": p.message} for p in problems]
    if isinstance(error, errors.ConflictError):
        report["expected_version"] = error.expected_version
        report["current_version"] = error.current_version
        report["changes"] = as_json(error.changes)
    json.dump(report, sys.stderr, ensure_ascii=False)
    sys.stderr.write("\n")


def print_result(args: argparse.Namespace, result: Any) -> None:
    if result is None:
        return
    if getattr(args, "json", False):
        json.dump(as_json(result), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif isinstance(result, list):
        for item in result:
            print(one_line(item))
    else:
        print(one_line(result))


def one_line(item: Any) -> str:
    if isinstance(item, TicketView):
        cells = (item.key, item.tier, item.status.value, item.priority.value, item.assignee)
        return "\t".join(cell or "unassigned" for cell in cells) + f"\t{item.title}"
    if isinstance(item, TicketDetail):
        lines = [one_line(item.ticket)] + [
            f"  {instant_text(event.at)} {event.summary()}" for event in item.events
        ]
        if item.clocks:
            lines.append("SLA clocks")
            for clock in item.clocks:
                lines.extend(clock_lines(clock))
        return "\n".join(lines)
    if is_dataclass(item):
        item = as_json(item)
    if isinstance(item, dict):
        return ", ".join(f"{key}: {value}" for key, value in item.items())
    return str(item)


def instant_text(instant: datetime | None) -> str:
    return "-" if instant is None else instant.isoformat(timespec="seconds")


def clock_lines(clock: ClockTimeline) -> list[str]:
    """One line for the clock, then its marks and pauses in time order, indented."""
    head = (
        f"  {clock.kind.value} {clock.tier or '-'}  {clock.policy} v{clock.policy_version}  "
        f"target {duration_text(clock.target_minutes)}  used {duration_text(clock.used_minutes)}"
        f"  {clock.state}  due {instant_text(clock.due_at)}"
    )
    happened = [
        (mark.at, f"{mark.headline()} — {mark.note}" + _recorded(mark.at, mark.fired_at))
        for mark in clock.marks
    ]
    for part in clock.segments:
        if part.kind == "paused":
            happened.append((part.start, f"paused until {instant_text(part.end)} ({part.reason})"))
        elif part.kind == "collapsed":
            counted = duration_text(part.counted_seconds / 60)
            text = f"{part.reason} collapsed until {instant_text(part.end)} ({counted} counted)"
            happened.append((part.start, text))
    happened.sort(key=lambda pair: pair[0])
    return [head] + [f"    {instant_text(at)} {text}" for at, text in happened]


def _recorded(at: datetime, fired_at: datetime | None) -> str:
    """When the escalation pass recorded an alert, if noticeably after its threshold."""
    if fired_at is None or (fired_at - at).total_seconds() < 60:
        return ""
    return f" (recorded {instant_text(fired_at)})"
