"""The soak test: 20 simulated desktops (OS processes) creating, taking, commenting, moving,
resolving, reopening and editing the same tickets with the version they read, for a bounded
time on PostgreSQL, while two more processes run the escalation pass in a loop on a fast clock
(an office day passes, so tier clocks expire under the people's feet). Each desktop signs in
with its person's own database login, so the database's roles are enforced throughout.

Afterwards: every ticket's history replays to its row; no expired clock escalated twice; every
write a desktop was told succeeded is in the history under its version and author, every write
it was told was refused (a ``ConflictError`` naming a newer version, or ``NotAllowed``) is not;
no write is in the history that no desktop was told of; no raw database error or crash reached
a simulated person, and the database refused nothing the app allowed. ``TIERDESK_SOAK_SECONDS``
sets the length (15 s by default); the full 60 s run is ``bench/soak.py``.
"""

from __future__ import annotations

import os

import pytest

from app.services.database import open_database
from tests.integration.soak_desktop import check_soak, prepare_desk, run_soak, summary

SECONDS = float(os.environ.get("TIERDESK_SOAK_SECONDS", "15"))
DESKTOPS = 20


@pytest.mark.slow
@pytest.mark.postgres
def test_twenty_desktops_and_two_workers_lose_nothing_and_escalate_once(postgres_url, tmp_path):
    database = open_database(postgres_url)
    try:
        keys = prepare_desk(database)
        run = run_soak(postgres_url, keys, tmp_path, desktops=DESKTOPS, seconds=SECONDS)
        check = check_soak(database, run)
    finally:
        database.close()
    print("\n".join(summary(check, run)))

    assert check.problems() == {}
    # The load was what it says: people wrote, collided, and deadlines escalated meanwhile.
    outcomes = {a["outcome"] for a in run.attempts}
    assert {"ok", "conflict", "not_allowed"} <= outcomes
    assert len({a["actor"] for a in run.attempts if a["outcome"] == "ok"}) == 6
    assert check.escalation_alerts > 0
