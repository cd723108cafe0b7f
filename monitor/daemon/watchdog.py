"""Is the poll loop still moving? The answer decides whether systemd's watchdog is pinged.

A process that is alive is not necessarily working: a fetch stuck in a read that
never ends, a deadlock or a parser spinning on a hostile page leave the process
running and the register silently stale. So the watchdog is not pinged by a
timer alone but only while the poll loop shows progress:

- while a tick runs, something must finish (the tick itself, or any request:
  feed or page, answered or failed) at least every ``stall_limit`` seconds;
- between ticks, the next tick must start within ``tick + stall_limit``
  seconds of the last one's end (the scheduler's own thread may have died).

Every fetch is bounded by the fetcher's deadlines, so a healthy loop always
finishes something within ``default_stall_limit``. When the check fails the
pings stop, one log line says what was in flight and where its thread is
stuck, and systemd restarts the service after ``WatchdogSec``.
"""

from __future__ import annotations

import faulthandler
import itertools
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from monitor.collect import EXCHANGE_DEADLINE_FACTOR, Fetcher
from monitor.config import Config, FetchConfig
from monitor.daemon import sdnotify
from monitor.models import FetchResult

__all__ = ["Progress", "Stall", "Watchdog", "WatchedFetcher", "default_stall_limit", "stall_limit_for"]

log = logging.getLogger("monitor.watchdog")

STALL_MARGIN = 60.0  # seconds on top of the longest fetch: parsing, extraction, a busy database
CHECK_EVERY = 10.0  # seconds between checks when systemd arms no watchdog (the stall is still logged)

Clock = Callable[[], float]


def default_stall_limit(fetch: FetchConfig) -> float:
    """The longest one fetch may legitimately take (every redirect hop at its deadline), plus a margin."""
    return (fetch.max_redirects + 1) * EXCHANGE_DEADLINE_FACTOR * fetch.timeout + STALL_MARGIN


def stall_limit_for(config: Config) -> float:
    return config.scheduler.stall_limit or default_stall_limit(config.fetch)


@dataclass(frozen=True)
class _Work:
    what: str
    thread: int
    started: float


@dataclass(frozen=True)
class Stall:
    """Why the poll loop looks hung."""

    idle: float  # seconds without progress
    reason: str
    thread: int | None  # the thread most likely stuck, for its stack

    def describe(self) -> str:
        where = _where(self.thread)
        return f"{self.reason}{f' (stuck at {where})' if where else ''}"


class Progress:
    """When the poll loop last moved forward. Written by the tick and the fetches; read by the watchdog."""

    def __init__(self, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._last_progress = clock()  # the end of a tick or of a request
        self._tick_thread: int | None = None  # set while a tick runs
        self._work: dict[int, _Work] = {}
        self._ids = itertools.count()
        self._names: dict[str, str] = {}  # URL -> what it is, for the stall message

    def name_requests(self, names: dict[str, str]) -> None:
        """Say what the URLs of this tick are ("feed Studio Tamani"); others are shown bare."""
        with self._lock:
            self._names = dict(names)

    @contextmanager
    def tick(self) -> Iterator[None]:
        with self._lock:
            self._last_progress = self._clock()
            self._tick_thread = threading.get_ident()
        try:
            yield
        finally:
            with self._lock:
                self._last_progress = self._clock()
                self._tick_thread = None

    def beat(self) -> None:
        """A unit of work finished outside a request (a stage that may run long can say so)."""
        with self._lock:
            self._last_progress = self._clock()

    @contextmanager
    def working(self, what: str) -> Iterator[None]:
        """One bounded piece of work (a request); its end, however it ends, is progress."""
        key = next(self._ids)
        with self._lock:
            label = f"{self._names[what]} ({what})" if what in self._names else what
            self._work[key] = _Work(label, threading.get_ident(), self._clock())
        try:
            yield
        finally:
            with self._lock:
                del self._work[key]
                self._last_progress = self._clock()

    def stall(self, tick_every: float, limit: float) -> Stall | None:
        """Why the loop looks hung, or None while it moves."""
        with self._lock:
            now = self._clock()
            if self._tick_thread is None:
                # a long cycle makes the scheduler skip runs; the next comes within a tick of its end
                waited = now - self._last_progress
                if waited - tick_every <= limit:
                    return None
                return Stall(waited - tick_every, f"no poll tick has started for {waited:.0f}s "
                                                  f"(one is due every {tick_every:g}s)", None)
            idle = now - self._last_progress
            if idle <= limit:
                return None
            oldest = min(self._work.values(), key=lambda w: w.started, default=None)
            ticking = self._tick_thread
        if oldest is None:
            return Stall(idle, f"the poll tick has made no progress for {idle:.0f}s", ticking)
        return Stall(idle, f"the poll tick has made no progress for {idle:.0f}s; the oldest request in "
                           f"flight, {oldest.what}, started {now - oldest.started:.0f}s ago", oldest.thread)


class WatchedFetcher(Fetcher):
    """A Fetcher whose every finished request, answered or failed, counts as progress."""

    def __init__(self, config: FetchConfig, progress: Progress) -> None:
        super().__init__(config)
        self.progress = progress

    def fetch(self, url: str, **kwargs: object) -> FetchResult:  # type: ignore[override]
        with self.progress.working(url):
            return super().fetch(url, **kwargs)  # type: ignore[arg-type]


class Watchdog:
    """Pings systemd's watchdog every half timeout, but only while the poll loop makes progress."""

    def __init__(
        self,
        progress: Progress,
        tick_every: float,
        stall_limit: float,
        timeout: float | None = None,
        send: Callable[..., bool] = sdnotify.notify,
    ) -> None:
        self.progress = progress
        self.tick_every = tick_every  # both may change on reload
        self.stall_limit = stall_limit
        self.timeout = timeout if timeout is not None else sdnotify.watchdog_seconds()
        self.period = self.timeout / 2 if self.timeout else CHECK_EVERY
        self._send = send
        self._stalled = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="watchdog", daemon=True)

    def start(self) -> None:
        # systemd ends a hung service with SIGABRT: every thread's stack then goes to the journal
        faulthandler.enable()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while True:
            self.check()
            if self._stop.wait(self.period):
                return

    def check(self) -> bool:
        """Ping when the loop moves; on the first failed check say why, once. True when pinged."""
        stall = self.progress.stall(self.tick_every, self.stall_limit)
        if stall is not None:
            self._report_stall(stall)
            return False
        if self._stalled:
            self._stalled = False
            log.warning("the poll loop is moving again; watchdog pings resumed")
        if self.timeout:
            self._send(WATCHDOG=1)
        return True

    def _report_stall(self, stall: Stall) -> None:
        if self._stalled:
            return
        self._stalled = True
        consequence = (
            f"watchdog pings stopped: systemd restarts the service within {self.timeout:g}s"
            if self.timeout else "no watchdog is armed: restart the service"
        )
        log.error("hung: %s; %s", stall.describe(), consequence)
        self._send(STATUS=f"hung: {stall.reason}")


def _where(thread: int | None, depth: int = 3) -> str:
    """The innermost frames of a thread, innermost first, on one line."""
    frame = sys._current_frames().get(thread) if thread is not None else None
    if frame is None:
        return ""
    frames = traceback.extract_stack(frame)[-depth:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
