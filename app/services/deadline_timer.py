"""The escalation timer: runs the escalation pass when the earliest deadline comes, not on a poll.

One APScheduler job runs the pass; it is armed (a ``DateTrigger``) for the earliest upcoming
deadline and re-armed after every pass. A change that brings a deadline closer re-arms it
sooner: changes by other desktops arrive through the change feed (``ChangeWatcher``), those made
in this process through ``recheck()``. A slow safety sweep runs a pass anyway now and then, in
case a change went unheard. The headless worker and the desktop app run the same engine::

    with DeadlineTimer(EscalationService(database), on_report=show, on_state=status_bar):
        ...  # passes run on the timer's threads until the block ends; stop() waits for a pass

Deadlines are instants of the database's clock; the local timer fires at the local instant that
corresponds to it (the offset between the two clocks is measured every time the timer is armed).
Errors from the database are logged and the pass is retried after a growing pause (1 s, 2 s, 4 s
... up to a minute): the timer itself never dies of them. Callbacks run on the timer's threads;
a GUI hands them over to its own thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from app.services.change_feed import ChangeWatcher, Watcher
from app.services.errors import TierDeskError
from app.services.escalation import DEFAULT_BATCH, EscalationService, PassReport

DEFAULT_SWEEP_SECONDS = 60.0
MAX_BACKOFF_SECONDS = 60.0
#: When a pass found nothing to do although a deadline is past (its ticket is being changed
#: by someone right now, so the pass skipped it), try again after this long, not at once; then
#: after twice as long each time, up to the sweep interval, should the deadline stay stuck.
STALE_DEADLINE_RETRY_SECONDS = 1.0
#: How long the watcher thread waits for a change before checking whether it should stop.
WATCH_SLICE_SECONDS = 0.5
PASS_JOB = "escalation-pass"
SWEEP_JOB = "escalation-sweep"

log = logging.getLogger("tierdesk.timer")


class _Request(enum.Enum):
    RECHECK = "recheck"
    STOP = "stop"


@dataclass(frozen=True)
class TimerState:
    """What a status bar shows: when the next pass runs (``armed_for``, database time, UTC;
    ``None`` when no clock runs), when the last one ran and the last error (``None`` once a
    pass succeeds again)."""

    running: bool = False
    armed_for: datetime | None = None
    last_pass_at: datetime | None = None
    last_error: str | None = None


class DeadlineTimer:
    """Runs ``service``'s escalation pass at each deadline; see the module docstring.

    ``watcher`` defaults to a ``ChangeWatcher`` on the service's database, opened by
    ``start()`` and closed by ``stop()`` (an injected one is closed too). ``now`` tells the
    current instant on the deadlines' clock; by default the service's clock, read in the
    database. ``on_report`` gets each pass's report when the pass did something, ``on_state``
    every new ``TimerState``.
    """

    def __init__(
        self,
        service: EscalationService,
        *,
        watcher: Watcher | None = None,
        sweep_seconds: float = DEFAULT_SWEEP_SECONDS,
        batch: int = DEFAULT_BATCH,
        now: Callable[[], datetime] | None = None,
        on_report: Callable[[PassReport], Any] | None = None,
        on_state: Callable[[TimerState], Any] | None = None,
    ) -> None:
        if sweep_seconds <= 0:
            raise ValueError(f"sweep_seconds must be positive, not {sweep_seconds}")
        self._service = service
        self._watcher = watcher
        self._sweep_seconds = sweep_seconds
        self._batch = batch
        self._now = now or self._database_now
        self._on_report = on_report
        self._on_state = on_state
        self._lock = threading.RLock()  # arming, and the state below
        self._publish_lock = threading.Lock()  # states reach on_state in the order they arose
        self._stopping = threading.Event()
        self._started = False
        self._scheduler: BackgroundScheduler | None = None
        self._watch_thread: threading.Thread | None = None
        self._rearm_thread: threading.Thread | None = None
        self._work: queue.SimpleQueue[PassReport | BaseException | _Request] = queue.SimpleQueue()
        self._recheck_queued = threading.Event()
        self._offset = 0.0  # database clock minus local clock, in seconds
        self._armed_local: float | None = None  # local epoch seconds the pass job fires at
        self._failures = 0
        self._stale_retries = 0
        self._state = TimerState()
        self._published = TimerState()

    # ------------------------------------------------------------------------------ public
    @property
    def state(self) -> TimerState:
        with self._lock:
            return self._state

    def start(self) -> None:
        """Run a first pass now, then keep the timer armed until ``stop()``. Once per timer."""
        if self._started:
            raise RuntimeError("a deadline timer starts once; make a new one to start again")
        self._started = True
        if self._watcher is None:
            self._watcher = ChangeWatcher(self._service.database)
        scheduler = BackgroundScheduler(
            timezone=UTC, executors={"default": ThreadPoolExecutor(max_workers=2)}
        )
        scheduler.add_listener(self._on_job_done, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        scheduler.add_job(
            self.sweep,
            "interval",
            seconds=self._sweep_seconds,
            id=SWEEP_JOB,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._scheduler = scheduler
        scheduler.start()
        with self._lock:
            self._set(running=True)
            with contextlib.suppress(TierDeskError):  # only for armed_for; the pass will tell
                self._measure_offset()
            self._arm_at(time.time())
        self._publish()
        self._rearm_thread = threading.Thread(
            target=self._rearm_after_passes, name="tierdesk-timer-rearm", daemon=True
        )
        self._rearm_thread.start()
        self._watch_thread = threading.Thread(
            target=self._watch, name="tierdesk-change-watcher", daemon=True
        )
        self._watch_thread.start()

    def stop(self) -> None:
        """Stop arming, let a pass under way finish, join the threads, close the watcher.
        Not from a callback: it waits for the thread that runs them."""
        scheduler = self._scheduler
        if scheduler is None:
            return
        with self._lock:
            self._stopping.set()  # from here on nothing arms or touches the scheduler
        if self._watch_thread is not None:
            self._watch_thread.join()
            self._watch_thread = None
        scheduler.shutdown(wait=True)  # a pass under way finishes; its outcome is queued
        self._scheduler = None
        if self._rearm_thread is not None:
            self._work.put(_Request.STOP)
            self._rearm_thread.join()
            self._rearm_thread = None
        if self._watcher is not None:
            self._watcher.close()
        with self._lock:
            self._armed_local = None
            self._set(running=False, armed_for=None)
        self._publish()

    def __enter__(self) -> DeadlineTimer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def recheck(self) -> None:
        """Have the timer re-read the next deadline and fire sooner if it is sooner than the
        armed time; call it after a change made in this process (other processes' changes come
        by themselves). Returns at once: the reading is done on the timer's thread."""
        if self._rearm_thread is not None and not self._recheck_queued.is_set():
            self._recheck_queued.set()
            self._work.put(_Request.RECHECK)

    def _recheck_now(self) -> None:
        self._recheck_queued.clear()  # a change from now on asks again
        with self._lock:
            if self._pass_pending():
                return  # the pass under way re-reads the next deadline when it ends
            try:
                deadline = self._service.next_deadline()
                if deadline is not None:
                    self._arm_at(self._local_instant(deadline), only_if_sooner=True)
            except Exception as error:  # the pass, when it comes, retries
                if isinstance(error, TierDeskError):
                    log.warning("reading the next deadline failed: %s", error)
                else:
                    log.exception("reading the next deadline failed")
                self._set(last_error=str(error) or type(error).__name__)
        self._publish()

    def sweep(self) -> None:
        """Run a pass now unless one is already due: the backstop for changes not heard."""
        with self._lock:
            self._arm_at(time.time(), only_if_sooner=True)
        self._publish()

    # ------------------------------------------------------------------------------ passes
    def _run_pass(self) -> PassReport | Exception:
        """The job. Its outcome is re-armed upon by another thread, once APScheduler counts the
        job as finished: re-arming inside the job could be refused as a second instance, and
        the listener may run on the scheduler's own thread, before it drops the fired job."""
        try:
            return self._service.run_pass(self._batch)
        except Exception as error:  # a bug must not stop escalation for good either
            return error

    def _on_job_done(self, event: JobExecutionEvent) -> None:
        if event.job_id == PASS_JOB:
            self._work.put(event.retval if event.exception is None else event.exception)

    def _rearm_after_passes(self) -> None:
        """The timer's own thread: re-arms after each pass and on request (``recheck``)."""
        while (outcome := self._work.get()) is not _Request.STOP:
            if outcome is _Request.RECHECK:
                self._recheck_now()
                continue
            with self._lock:
                if isinstance(outcome, PassReport):
                    self._failures = 0
                    self._set(last_pass_at=outcome.at, last_error=None)
                    self._rearm_after(outcome)
                else:
                    self._failed(outcome)
            self._publish()
            if isinstance(outcome, PassReport) and _did_something(outcome) and self._on_report:
                _call_safely(self._on_report, outcome)
            if isinstance(outcome, PassReport):
                self._checkpoint()

    def _checkpoint(self) -> None:
        """After a pass, once its results are out: the embedded file's write-ahead log copied
        back (``Database.checkpoint``), here rather than in the pass's own commit."""
        try:
            self._service.database.checkpoint()
        except Exception as error:  # the next pass checkpoints again; SQLite's own backstop too
            log.warning("checkpointing the database after a pass failed: %s", error)

    def _rearm_after(self, report: PassReport) -> None:
        try:
            deadline = self._service.next_deadline()
            if deadline is not None and deadline <= report.at and not _did_something(report):
                self._stale_retries += 1
                pause = STALE_DEADLINE_RETRY_SECONDS * 2.0 ** (self._stale_retries - 1)
                self._arm_at(time.time() + min(pause, self._sweep_seconds))
                return
            self._stale_retries = 0
            if deadline is None:
                self._disarm()
            else:
                self._arm_at(self._local_instant(deadline))
        except Exception as error:
            self._failed(error, "reading the next deadline")

    def _failed(self, error: BaseException, what: str = "escalation pass") -> None:
        self._failures += 1
        pause = min(2.0 ** (self._failures - 1), MAX_BACKOFF_SECONDS)
        if isinstance(error, TierDeskError):
            log.warning("%s failed: %s; trying again in %.0f s", what, error, pause)
        else:
            log.error("%s failed; trying again in %.0f s", what, pause, exc_info=error)
        self._set(last_error=str(error) or type(error).__name__)
        self._arm_at(time.time() + pause)

    # ------------------------------------------------------------------------------ arming
    def _arm_at(self, local: float, *, only_if_sooner: bool = False) -> None:
        """Fire the pass job at local epoch second ``local`` (or now, if that is past). With
        ``only_if_sooner``, leave a sooner (or already due) arming as it is."""
        if self._stopping.is_set() or self._scheduler is None:
            return
        current = time.time()
        armed = self._armed_local
        if only_if_sooner and armed is not None and (armed <= current or local >= armed):
            return
        local = max(local, current)
        self._scheduler.add_job(
            self._run_pass,
            DateTrigger(run_date=datetime.fromtimestamp(local, UTC)),
            id=PASS_JOB,
            replace_existing=True,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )
        self._armed_local = local
        self._set(armed_for=datetime.fromtimestamp(local + self._offset, UTC))

    def _disarm(self) -> None:
        if self._scheduler is not None and not self._stopping.is_set():
            with contextlib.suppress(JobLookupError):  # a fired DateTrigger job is gone
                self._scheduler.remove_job(PASS_JOB)
        self._armed_local = None
        self._set(armed_for=None)

    def _pass_pending(self) -> bool:
        """Whether the pass job is due or running: it re-arms by itself when done."""
        return self._armed_local is not None and self._armed_local <= time.time()

    def _local_instant(self, deadline: datetime) -> float:
        """The local epoch second at which the database clock shows ``deadline``."""
        self._measure_offset()
        return deadline.timestamp() - self._offset

    def _measure_offset(self) -> None:
        before = time.time()
        database_now = self._now()
        after = time.time()
        self._offset = database_now.timestamp() - (before + after) / 2

    def _database_now(self) -> datetime:
        with self._service.database.read() as session:
            return self._service.clock.now(session)

    # ----------------------------------------------------------------------------- watching
    def _watch(self) -> None:
        assert self._watcher is not None
        while not self._stopping.is_set():
            try:
                changed = self._watcher.wait(WATCH_SLICE_SECONDS)
            except Exception:
                log.exception("the change feed failed; relying on the safety sweep")
                self._stopping.wait(WATCH_SLICE_SECONDS)
                continue
            if changed:
                self.recheck()

    # ------------------------------------------------------------------------------- state
    def _set(self, **changes: Any) -> None:
        self._state = dataclasses.replace(self._state, **changes)

    def _publish(self) -> None:
        with self._publish_lock:
            with self._lock:
                state = self._state
            if state != self._published:
                self._published = state
                if self._on_state is not None:
                    _call_safely(self._on_state, state)


def _did_something(report: PassReport) -> bool:
    """Whether any of the report's lists (escalations, alerts, ...) has an entry."""
    return any(
        getattr(report, field.name) for field in dataclasses.fields(report) if field.name != "at"
    )


def _call_safely(callback: Callable[[Any], Any], value: object) -> None:
    try:
        callback(value)
    except Exception:  # a listener's bug must not stop the timer
        log.exception("a deadline timer callback failed")
