"""One desktop in its own OS process, for ``test_concurrent_desktops``: it opens the shared
database itself, says ``ready``, waits for ``go`` on stdin, then reads a random ticket and makes
a random write naming the version it read, again and again, and writes every attempt and its
outcome to a JSON file.

Run as ``python -m tests.integration.concurrent_worker CONFIG_JSON``; ``CONFIG_JSON`` holds
``url``, ``worker``, ``seed``, ``keys``, ``operations``, ``seconds``, ``think_ms`` and ``out``.
"""

from __future__ import annotations

import json
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.services.database import open_database
from app.services.dto import TicketView
from app.services.errors import ConflictError, InvalidInput, NotAllowed
from app.services.tickets import WORKING_STATUSES, TicketChanges, TicketService
from tests.factories import STANDARD_PEOPLE

SUPERVISOR = "sara"
#: tier code: the agents of the standard desk who work it
TIER_AGENTS = {
    tier: tuple(login for login, (_name, _role, tiers) in STANDARD_PEOPLE.items() if tier in tiers)
    for tier in ("L1", "L2", "L3", "Vendor")
}
STATUSES = sorted(status.value for status in WORKING_STATUSES)

Write = Callable[[TicketService, str, str, int, str], TicketView]
WRITES: dict[str, Write] = {
    "take": lambda t, actor, key, version, tag: t.take(actor, key, version),
    "comment": lambda t, actor, key, version, tag: t.comment(actor, key, tag, version),
    "status": lambda t, actor, key, version, tag: t.change_status(
        actor, key, version, random.choice(STATUSES)
    ),
    "escalate": lambda t, actor, key, version, tag: t.escalate(actor, key, version, tag),
    "hand_back": lambda t, actor, key, version, tag: t.hand_back(actor, key, version, tag),
    "edit_title": lambda t, actor, key, version, tag: t.edit(
        actor, key, version, TicketChanges(title=f"Title {tag}")
    ),
}


def attempt(tickets: TicketService, key: str, tag: str, think_s: float) -> dict[str, Any]:
    """Read ``key``, think a moment, then try one random write with the version read."""
    record: dict[str, Any] = {"key": key, "tag": tag, "read_version": None}
    try:
        read = tickets.get(key).ticket
        record["read_version"] = read.version
        actor = random.choice((*TIER_AGENTS[read.tier], SUPERVISOR))
        operation = random.choice(sorted(WRITES))
        record.update(actor=actor, operation=operation, tier=read.tier)
        time.sleep(random.uniform(0, think_s))  # the person looks at the ticket, then acts
        written = WRITES[operation](tickets, actor, key, read.version, tag)
        record.update(outcome="ok", new_version=written.version)
    except ConflictError as error:
        record.update(outcome="conflict", current_version=error.current_version)
        record["changed_by"] = sorted({change.actor or "" for change in error.changes})
    except NotAllowed as error:
        record.update(outcome="not_allowed", error=str(error))
    except InvalidInput as error:
        record.update(outcome="invalid_input", error=str(error))
    except Exception as error:  # anything else is what the test looks for
        record.update(
            outcome="other",
            error=f"{type(error).__module__}.{type(error).__qualname__}: {error}",
            traceback=traceback.format_exc(),
        )
    return record


def main(config: dict[str, Any]) -> None:
    random.seed(config["seed"])
    database = open_database(config["url"])
    tickets = TicketService(database)  # the database's clock, as on a real desktop
    records: list[dict[str, Any]] = []
    try:
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit("the test did not say go")
        deadline = time.monotonic() + config["seconds"]
        for number in range(config["operations"]):
            if time.monotonic() > deadline:
                break
            tag = f"w{config['worker']}#{number}"
            key = random.choice(config["keys"])
            record = attempt(tickets, key, tag, config["think_ms"] / 1000)
            record.update(worker=config["worker"], at=time.monotonic())
            records.append(record)
    finally:
        database.close()
        Path(config["out"]).write_text(json.dumps(records, indent=1))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
