"""The daemon: one APScheduler tick job that polls whatever the store says is due.

The store, not the scheduler, holds each feed's next poll time, so a tick that
runs late or is skipped loses nothing: the next one finds the same feeds due.
Only this module knows about wall-clock time and signals.

SIGTERM and SIGINT stop the daemon: no new feed is started, feeds in flight get
``STOP_GRACE`` seconds to finish, then the process exits 0. Every write is one
short SQLite transaction, so work cut off by the stop is rolled back, never
half-written.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import Config
from monitor.fetch import Fetcher
from monitor.pipeline import CycleSummary, Poller, utcnow
from monitor.store import Store, StoreError

log = logging.getLogger("monitor.daemon")

STOP_GRACE = 6.0  # seconds; well inside systemd's and the tests' 10 s stop budget


class Daemon:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.store = Store(config.database)
        self.fetcher = Fetcher(config.fetch)
        self.poller = Poller(config, self.store, self.fetcher)
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self._stop = threading.Event()
        self._tick_lock = threading.Lock()  # held while a tick runs: stop waits on it
        self.last_cycle: CycleSummary | None = None

    # --- lifecycle -----------------------------------------------------------

    def run(self) -> int:
        """Run until SIGTERM/SIGINT. Returns the exit status."""
        self._install_signal_handlers()
        self.start()
        try:
            while not self._stop.wait(1.0):
                pass
        finally:
            self.shutdown()
        return 0

    def start(self) -> None:
        self.store.sync_feeds(self.config.feeds, utcnow())
        enabled = sum(1 for f in self.store.all_feeds() if f.enabled)
        log.info("starting: %d feeds enabled, database %s", enabled, self.store.path)
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=self.config.scheduler.tick, timezone=UTC),
            id="tick",
            next_run_time=datetime.now(UTC),
            coalesce=True,  # a backlog of missed ticks runs once
            max_instances=1,  # never two cycles at once
            misfire_grace_time=None,  # a late tick still runs: due work is never dropped
        )
        self.scheduler.add_job(
            self.prune, IntervalTrigger(hours=24, timezone=UTC), id="retention",
            next_run_time=datetime.now(UTC) + timedelta(minutes=1),
            coalesce=True, max_instances=1, misfire_grace_time=None,
        )
        self.scheduler.start()

    def stop(self) -> None:
        self._stop.set()

    def shutdown(self) -> None:
        log.info("stopping")
        self.poller.stopping.set()
        self.scheduler.shutdown(wait=False)
        if not self._tick_lock.acquire(timeout=STOP_GRACE):
            # In-flight requests are cut off; their transactions never started or roll back.
            log.warning("in-flight work abandoned after %.0fs; nothing half-written", STOP_GRACE)
            self.store.close()
            logging.shutdown()
            os._exit(0)
        self.poller.close()
        self.fetcher.close()
        self.store.close()
        log.info("stopped")

    def _install_signal_handlers(self) -> None:
        def on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s", signal.Signals(signum).name)
            self._stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    # --- jobs ----------------------------------------------------------------

    def tick(self) -> None:
        with self._tick_lock:
            if self.poller.stopping.is_set():
                return
            try:
                self._poll_due()
            except StoreError as exc:
                # locked by a long reader, disk full: nothing committed is lost and the
                # feeds stay due, so the next tick retries the same work
                log.error("cycle interrupted, will retry: %s", exc)

    def _poll_due(self) -> None:
        due = self.store.feeds_due(utcnow())
        if not due:
            return
        started = time.monotonic()
        summary = self.poller.run_cycle(due)
        self.last_cycle = summary
        log.info("%s", summary.line())
        log.debug("tick took %.2fs", time.monotonic() - started)

    def prune(self) -> None:
        keep = self.config.retention.irrelevant_text_after
        if keep <= 0:
            return
        pruned = self.store.prune_text(utcnow() - timedelta(seconds=keep))
        if pruned:
            log.info("retention: dropped the text of %d old irrelevant articles", pruned)
