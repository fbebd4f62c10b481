"""The operation runner: work off the GUI thread, outcome delivered on it."""

from __future__ import annotations

import threading

from sqlalchemy.exc import OperationalError

from app.services.errors import NotAllowed
from app.views.operations import OperationRunner, SynchronousOperationRunner, describe_error


def test_threaded_runner_works_off_the_gui_thread_and_answers_on_it(qtbot):
    runner = OperationRunner()
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def operation():
        seen["worker"] = threading.get_ident()
        return 42

    def delivered(result):
        seen["result"] = result
        seen["handler"] = threading.get_ident()

    runner.run(operation, delivered)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["worker"] != gui_thread
    assert seen["handler"] == gui_thread
    assert runner.pending == 0
    runner.wait_for_done()


def test_threaded_runner_hands_an_error_to_its_handler(qtbot):
    runner = OperationRunner()
    errors: list[Exception] = []

    def refused():
        raise NotAllowed("lena works L1, so cannot change TD-1001 at L3")

    runner.run(refused, lambda _: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], NotAllowed)
    runner.wait_for_done()


def test_an_error_without_handler_goes_to_operation_failed(qtbot):
    runner = SynchronousOperationRunner()
    results: list[object] = []
    with qtbot.waitSignal(runner.operation_failed) as blocker:
        runner.run(lambda: 1 / 0, results.append)
    assert isinstance(blocker.args[0], ZeroDivisionError)
    assert results == []


def test_synchronous_runner_delivers_at_once():
    runner = SynchronousOperationRunner()
    results: list[object] = []
    runner.run(lambda: "done", results.append)
    assert results == ["done"]
    assert runner.pending == 0


def test_errors_read_as_words():
    assert describe_error(NotAllowed("TD-1 is closed")) == "TD-1 is closed"
    lost = OperationalError("SELECT 1", {}, Exception("server closed the connection\nmore"))
    assert describe_error(lost).startswith("Unexpected error (OperationalError): ")
    assert "\n" not in describe_error(lost)
