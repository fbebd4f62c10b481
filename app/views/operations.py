"""Running service calls off the GUI thread.

``OperationRunner.run(operation, on_success, on_failure)`` calls ``operation()`` on a worker of
its own ``QThreadPool`` and hands the result to ``on_success``, or the exception to
``on_failure``, on the GUI thread. Without ``on_failure`` the error goes to the runner's
``operation_failed`` signal, which a window connects once to show errors the same way
everywhere. Views take a runner as an argument; tests give them a ``SynchronousOperationRunner``,
which does the same work at once, on the calling thread.

Operations must only touch services and return frozen views; they never touch widgets.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.services.errors import TierDeskError

T = TypeVar("T")
SuccessHandler = Callable[[Any], None]
FailureHandler = Callable[[Exception], None]

log = logging.getLogger(__name__)


def describe_error(error: BaseException) -> str:
    """Words for a person: a TierDesk error's own message; for anything else, what kind of
    failure it was and its first line (the traceback goes to the log, not to the screen)."""
    if isinstance(error, TierDeskError):
        return str(error)
    first_line = (str(error).strip().splitlines() or [""])[0]
    return f"Unexpected error ({type(error).__name__}): {first_line}"


class _Job(QRunnable):
    """Runs one operation on a pool thread and reports through the runner's signals."""

    def __init__(self, runner: OperationRunner, job_id: int, operation: Callable[[], Any]) -> None:
        super().__init__()
        self._runner = runner
        self._job_id = job_id
        self._operation = operation

    def run(self) -> None:
        try:
            result = self._operation()
        except Exception as error:  # every failure must reach the GUI thread, not vanish
            if not isinstance(error, TierDeskError):
                log.exception("operation failed")
            self._runner.job_failed.emit(self._job_id, error)
        else:
            self._runner.job_succeeded.emit(self._job_id, result)


class OperationRunner(QObject):
    """Runs operations on worker threads and delivers their outcome on the GUI thread."""

    #: An operation run without its own failure handler failed; carries the exception.
    operation_failed = Signal(object)
    #: The number of operations still running changed (0 means idle).
    pending_changed = Signal(int)
    # Emitted from worker threads; the runner lives on the GUI thread, so delivery is queued.
    job_succeeded = Signal(int, object)
    job_failed = Signal(int, object)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._ids = itertools.count(1)
        self._handlers: dict[int, tuple[SuccessHandler, FailureHandler | None]] = {}
        self.job_succeeded.connect(self._on_job_succeeded)
        self.job_failed.connect(self._on_job_failed)

    @property
    def pending(self) -> int:
        """How many operations have not delivered their outcome yet."""
        return len(self._handlers)

    def run(
        self,
        operation: Callable[[], T],
        on_success: Callable[[T], None],
        on_failure: FailureHandler | None = None,
    ) -> None:
        """Start ``operation``; its result goes to ``on_success``, an error to ``on_failure``
        (or to ``operation_failed``)."""
        job_id = next(self._ids)
        self._handlers[job_id] = (on_success, on_failure)
        self.pending_changed.emit(self.pending)
        self._start(job_id, operation)

    def wait_for_done(self, timeout_ms: int = 30_000) -> bool:
        """Block until the workers are idle (at shutdown, before the database closes)."""
        return bool(self._pool.waitForDone(timeout_ms))

    def _start(self, job_id: int, operation: Callable[[], Any]) -> None:
        self._pool.start(_Job(self, job_id, operation))

    @Slot(int, object)
    def _on_job_succeeded(self, job_id: int, result: object) -> None:
        handlers = self._handlers.pop(job_id, None)
        self.pending_changed.emit(self.pending)
        if handlers is not None:
            handlers[0](result)

    @Slot(int, object)
    def _on_job_failed(self, job_id: int, error: Exception) -> None:
        handlers = self._handlers.pop(job_id, None)
        self.pending_changed.emit(self.pending)
        if handlers is None:
            return
        if handlers[1] is not None:
            handlers[1](error)
        else:
            self.operation_failed.emit(error)


class SynchronousOperationRunner(OperationRunner):
    """Runs each operation at once on the calling thread; for tests and scripted checks."""

    def _start(self, job_id: int, operation: Callable[[], Any]) -> None:
        _Job(self, job_id, operation).run()
