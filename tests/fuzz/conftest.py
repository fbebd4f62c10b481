"""Fuzzing budget and helpers shared by the fuzzers (see the package docstring for how to run
many more examples locally)."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from app.cli import main
from app.services.errors import InvalidInput, TierDeskError
from tests.factories import database_snapshot

DEEP_PROFILE = "tierdesk-fuzz-deep"
settings.register_profile(DEEP_PROFILE, max_examples=1_000)

#: exit codes a user may see: success, then one per kind of error (``app.cli.EXIT_CODES``)
DOCUMENTED_EXIT_CODES = {0, 2, 3, 4, 5, 6}


def budget(ci: int) -> int:
    """Examples per test: ``ci`` by default, more with the deep profile or the variable."""
    wanted = os.environ.get("TIERDESK_FUZZ_EXAMPLES")
    if wanted:
        return int(wanted)
    if settings.get_current_profile_name() == DEEP_PROFILE:
        return settings.default.max_examples
    return ci


def fuzz_settings(ci: int) -> settings:
    """Settings of a fuzzer reusing one desk across its examples (hence the health check
    about function-scoped fixtures is off: the reuse is deliberate)."""
    return settings(
        max_examples=budget(ci),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
        print_blob=True,
    )


def assert_names_the_problem(error: TierDeskError) -> None:
    """The error's message is one a user can act on: not empty, no traceback, and for invalid
    input it says where (a field, row, rule or option)."""
    message = str(error)
    assert message.strip(), f"{type(error).__name__} with an empty message"
    assert "Traceback" not in message
    if isinstance(error, InvalidInput):
        assert str(error.field).strip(), f"InvalidInput without a field: {message!r}"
        for problem in getattr(error, "problems", ()):
            assert str(problem.field).strip(), f"a problem without a field: {problem!r}"
            assert str(problem.message).strip(), f"a problem without a message: {problem!r}"


class Counter:
    """How many examples a fuzzer ran and how they ended (printed with ``-s``, for the
    closing note's "fuzz cases run")."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes: dict[str, int] = {}

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def report(self) -> str:
        total = sum(self.outcomes.values())
        parts = ", ".join(f"{key} {value}" for key, value in sorted(self.outcomes.items()))
        return f"fuzz cases run: {self.name}: {total} ({parts})"


COUNTERS: list[Counter] = []


@pytest.fixture
def fuzz_counter(request: pytest.FixtureRequest) -> Counter:
    counter = Counter(request.node.name)
    COUNTERS.append(counter)
    return counter


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The examples each fuzzer ran, and in all, after the run."""
    if not COUNTERS:
        return
    terminalreporter.section("fuzz cases run")
    for counter in COUNTERS:
        terminalreporter.write_line(counter.report())
    total = sum(sum(counter.outcomes.values()) for counter in COUNTERS)
    terminalreporter.write_line(f"fuzz cases run: all: {total}")


def refused_without_writing(
    database: Any,
    attempt: Callable[[], Any],
    counter: Counter,
    outcome: Callable[[Any], str] = lambda result: "accepted",
) -> tuple[Any, TierDeskError | None]:
    """Run ``attempt``: it returns, or raises a ``TierDeskError`` naming the problem after which
    the database is exactly as before. Returns (its result, the error); ``outcome`` names how
    a returned result ended, for the counts."""
    before = database_snapshot(database)
    try:
        result = attempt()
    except TierDeskError as error:
        assert_names_the_problem(error)
        assert database_snapshot(database) == before, f"refused ({error}) but wrote"
        counter.count("refused")
        return None, error
    counter.count(outcome(result))
    return result, None


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``app.cli.main(argv)`` in this process: (exit code, stdout, stderr); argparse's own
    exits (usage errors, ``--help``, ``--version``) included."""
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    return code, out.getvalue(), err.getvalue()
