"""Soak run: 20 simulated desktops (OS processes) doing realistic work on the same tickets with
the version they read, and two processes running the escalation pass in a loop on a fast clock
(one office day passes during the run), against PostgreSQL. Prints figures and the invariants
checked; exits 1 if any invariant broke.

    python bench/soak.py [--seconds 60] [--desktops 20] [--workers 2] [--think-ms 30]
        [--postgres URL]

The scenario and its checks are ``tests/integration/soak_desktop.py`` (``test_soak`` runs a
shorter one): every ticket's history replays to its row; 0 double escalations (no expired
clock escalated twice, every escalation alert has exactly one SLA move); 0 lost updates (every
write a desktop was told succeeded is in the history under its version and author; every
refused one is not, and was reported as a ``ConflictError`` naming a newer version or as
``NotAllowed``); no write in the history that no desktop was told of.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_foundation import machine, with_postgres_schema  # noqa: E402

from app.services.database import open_database  # noqa: E402
from tests.integration.soak_desktop import (  # noqa: E402
    SoakCheck,
    check_soak,
    prepare_desk,
    run_soak,
    summary,
)

POSTGRES = "postgresql+psycopg://root@127.0.0.1:5432/test"


def soak(url: str, args: argparse.Namespace) -> SoakCheck:
    database = open_database(url)
    try:
        started = time.perf_counter()
        keys = prepare_desk(database)
        built = time.perf_counter() - started
        print(
            f"desk: {len(keys)} tickets opened at 08:00 in {built:.1f} s; {args.desktops} "
            f"desktops and {args.workers} pass processes start",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as folder:
            run = run_soak(
                url,
                keys,
                Path(folder),
                desktops=args.desktops,
                workers=args.workers,
                seconds=args.seconds,
                think_ms=args.think_ms,
            )
        checked = time.perf_counter()
        check = check_soak(database, run)
        for line in summary(check, run):
            print(line)
        print(f"checks took {time.perf_counter() - checked:.1f} s")
        for kind, found in check.problems().items():
            for line in found[:5]:
                print(f"  {kind}: {line.strip().splitlines()[-1]}")
        return check
    finally:
        database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--desktops", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--think-ms", type=float, default=30)
    parser.add_argument("--postgres", default=POSTGRES)
    args = parser.parse_args()
    print(machine())
    check = with_postgres_schema(args.postgres, lambda url: soak(url, args))
    sys.exit(1 if check.problems() else 0)


if __name__ == "__main__":
    main()
