"""The daemon: one APScheduler tick job that polls whatever the store says is due.

The store, not the scheduler, holds each feed's next poll time, so a tick that
runs late or is skipped loses nothing: the next one finds the same feeds due.
Only this module knows about wall-clock time and signals.

SIGTERM and SIGINT stop the daemon: no new feed is started, feeds in flight get
``STOP_GRACE`` seconds to finish, then the process exits 0. Every write is one
short SQLite transaction, so work cut off by the stop is rolled back, never
half-written.

SIGHUP re-reads the config: a config that does not load is logged and the
running one kept; a good one replaces the fetcher and poller between two ticks
(under the tick lock), so feeds come and go without a restart. Under systemd
the daemon reports READY, STATUS, RELOADING and STOPPING, and pings the
watchdog only while the poll loop makes progress (``monitor.daemon.watchdog``).

Alerts have their own job on their own thread (``alert_round``, every
``alerts.deliver_every``, and at once after a cycle): feed health, the digest,
then delivery of the outbox (``monitor.alerts.delivery``). A slow or dead target
holds up that thread only, never a tick. A stop lets a delivery in flight finish
within the same grace; one cut off is sent again at the next start.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor as JobThreads
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.alerts import Sender
from monitor.collect import Fetcher
from monitor.config import Config, ConfigError
from monitor.daemon import sdnotify
from monitor.daemon.cycle import CycleSummary, Poller, utcnow
from monitor.daemon.reload import describe_changes, load_new_config
from monitor.daemon.watchdog import Progress, Watchdog, WatchedFetcher, stall_limit_for
from monitor.store import Store, StoreError

log = logging.getLogger("monitor.daemon")

STOP_GRACE = 6.0  # seconds; well inside systemd's and the tests' 10 s stop budget


class Daemon:
    def __init__(self, config: Config, reload_config: Callable[[], Config] | None = None) -> None:
        self.config = config
        self._reload_config = reload_config  # SIGHUP calls it; None: SIGHUP keeps the config
        sdnotify.notify(STATUS="opening the store (a schema upgrade may take a while)")
        self.store = Store(config.database)
        self.progress = Progress()
        self.fetcher: Fetcher = WatchedFetcher(config.fetch, self.progress)
        self.poller = Poller(config, self.store, self.fetcher)
        self.sender = Sender(config.alerts, self.store)  # a bad alert target stops the daemon here
        self._next_health_check = 0.0
        self.watchdog = Watchdog(self.progress, config.scheduler.tick, stall_limit_for(config))
        self.scheduler = BackgroundScheduler(timezone=UTC)
        self._stop = threading.Event()
        self._reload_requested = threading.Event()
        self._pending_config: Config | None = None  # a reloaded config waiting for the tick lock
        self._pending_lock = threading.Lock()  # two quick SIGHUPs: the last config wins, none is lost
        self._tick_lock = threading.Lock()  # held while a tick runs: stop waits on it
        self.last_cycle: CycleSummary | None = None

    # --- lifecycle -----------------------------------------------------------

    def run(self) -> int:
        """Run until SIGTERM/SIGINT. Returns the exit status."""
        self._install_signal_handlers()
        self.start()
        self._report_ready()
        try:
            while not self._stop.wait(1.0):
                if self._reload_requested.is_set():
                    self.reload()
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
        self._schedule_alerts()
        self.scheduler.start()

    def stop(self) -> None:
        self._stop.set()

    def shutdown(self) -> None:
        log.info("stopping")
        sdnotify.notify(STOPPING=1, STATUS="stopping")
        self.watchdog.stop()
        self.poller.stopping.set()
        self.sender.stopping.set()
        self.scheduler.shutdown(wait=False)
        deadline = time.monotonic() + STOP_GRACE
        if not self._tick_lock.acquire(timeout=STOP_GRACE) or not self.sender.wait_idle(deadline - time.monotonic()):
            # In-flight requests are cut off; their transactions never started or roll back.
            log.warning("in-flight work abandoned after %.0fs; nothing half-written", STOP_GRACE)
            self.store.close()
            logging.shutdown()
            os._exit(0)
        self.poller.close()
        self.fetcher.close()
        self.sender.close()
        self.store.close()
        log.info("stopped")

    def _install_signal_handlers(self) -> None:
        def on_signal(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s", signal.Signals(signum).name)
            self._stop.set()

        def on_reload(signum: int, _frame: FrameType | None) -> None:
            log.info("received %s: reloading the configuration", signal.Signals(signum).name)
            self._reload_requested.set()  # the main loop reloads: a handler must not wait on locks

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGHUP, on_reload)

    # --- service manager (systemd) and reload ----------------------------------

    def _report_ready(self) -> None:
        sdnotify.notify(READY=1, STATUS=self._status())
        self.watchdog.start()

    def _status(self) -> str:
        """What `systemctl status` shows: the last cycle's summary."""
        if self.last_cycle is None:
            enabled = sum(1 for f in self.store.all_feeds() if f.enabled)
            return f"running: {enabled} feeds enabled, no cycle finished yet"
        return f"last {self.last_cycle.line()} (ended {utcnow():%H:%M:%S} UTC)"

    def reload(self) -> None:
        """SIGHUP: re-read the config; one that does not load leaves the running one in place."""
        self._reload_requested.clear()
        sdnotify.notify(RELOADING=1, MONOTONIC_USEC=sdnotify.monotonic_usec(), STATUS="reloading")
        new = load_new_config(self._reload_config, self.config) if self._reload_config else None
        if new is None:
            sdnotify.notify(READY=1, STATUS=self._status())
            return
        with self._pending_lock:
            self._pending_config = new
        # between cycles the switch is made now; during one, the next tick makes it
        if self._tick_lock.acquire(blocking=False):
            try:
                self._apply_pending_config()
            finally:
                self._tick_lock.release()
        else:
            log.info("reload: the new configuration takes effect when the cycle in progress ends")

    def _apply_pending_config(self) -> None:
        """Switch to a reloaded config: new fetcher and poller (the poller loads the watch list afresh).

        The caller holds the tick lock, so no cycle uses the old ones any more.
        """
        with self._pending_lock:
            new, self._pending_config = self._pending_config, None
        if new is None:
            return
        try:
            fetcher = WatchedFetcher(new.fetch, self.progress)
            poller = Poller(new, self.store, fetcher)
        except Exception:
            log.exception("reload refused, still running on the previous configuration")
            sdnotify.notify(READY=1, STATUS=self._status())
            return
        try:
            self.store.sync_feeds(new.feeds, utcnow())
        except StoreError as exc:
            log.error("reload refused, still running on the previous configuration: %s", exc)
            poller.close()
            fetcher.close()
            sdnotify.notify(READY=1, STATUS=self._status())
            return
        old_config, old_poller, old_fetcher = self.config, self.poller, self.fetcher
        self.config, self.poller, self.fetcher = new, poller, fetcher
        old_poller.close()
        old_fetcher.close()
        self._follow_schedule(old_config, new)
        log.info("configuration reloaded: %s", describe_changes(old_config, new))
        sdnotify.notify(READY=1, STATUS=self._status())

    def _follow_schedule(self, old: Config, new: Config) -> None:
        self.watchdog.tick_every = new.scheduler.tick
        self.watchdog.stall_limit = stall_limit_for(new)
        if new.scheduler.tick != old.scheduler.tick:
            self.scheduler.reschedule_job("tick", trigger=IntervalTrigger(seconds=new.scheduler.tick, timezone=UTC))

    # --- jobs ----------------------------------------------------------------

    def tick(self) -> None:
        with self._tick_lock, self.progress.tick():
            if self._stop.is_set() or self.poller.stopping.is_set():
                return
            self._apply_pending_config()
            try:
                self._poll_due()
            except StoreError as exc:
                # locked by a long reader, disk full: nothing committed is lost and the
                # feeds stay due, so the next tick retries the same work
                log.error("cycle interrupted, will retry: %s", exc)

    def _poll_due(self) -> None:
        due = self.store.feeds_due(utcnow())
        if not due:
            self.poller.catch_up()  # articles stored and not read go on being read between cycles
            return
        self.progress.name_requests({f.url: f"feed {f.name}" for f in due})  # a hang names its feed
        started = time.monotonic()
        summary = self.poller.run_cycle(due)
        self.last_cycle = summary
        self._wake_alerts()  # alerts this cycle wrote go out now, not at the next alert round
        log.info("%s", summary.line())
        sdnotify.notify(STATUS=self._status())
        log.debug("tick took %.2fs", time.monotonic() - started)

    def prune(self) -> None:
        retention, now = self.config.retention, utcnow()
        if retention.irrelevant_text_after > 0:
            pruned = self.store.prune_text(now - timedelta(seconds=retention.irrelevant_text_after))
            if pruned:
                log.info("retention: dropped the text of %d old irrelevant articles", pruned)
        if retention.updated_revisions_after > 0:
            pruned = self.store.prune_revisions(now - timedelta(seconds=retention.updated_revisions_after))
            if pruned:
                log.info("retention: deleted %d old UPDATED revisions of incidents", pruned)

    # --- alerts --------------------------------------------------------------

    def _schedule_alerts(self) -> None:
        self.sender.recover()
        # its own thread: a slow or dead target never holds up a tick
        self.scheduler.add_executor(JobThreads(1), "alerts")
        self.scheduler.add_job(
            self.alert_round, IntervalTrigger(seconds=self.config.alerts.deliver_every, timezone=UTC),
            id="alerts", executor="alerts", next_run_time=datetime.now(UTC),
            coalesce=True, max_instances=1, misfire_grace_time=None,
        )

    def alert_round(self) -> None:
        """Feed health (each minute), the digest when due, then whatever alerts are pending."""
        if self._stop.is_set():
            return
        self.sender.config = self.config.alerts  # follows a reload
        try:
            if time.monotonic() >= self._next_health_check:
                self._next_health_check = time.monotonic() + 60
                self.sender.check_feed_health()
            self.sender.make_digest()
            self.sender.deliver()
        except (StoreError, ConfigError) as exc:
            # nothing is lost: pending alerts stay pending and the next round retries
            log.error("alerts: %s; will retry", exc)

    def _wake_alerts(self) -> None:
        if self.sender.busy or self._stop.is_set():
            return  # the round in progress, or the next one, takes them
        try:
            self.scheduler.modify_job("alerts", next_run_time=datetime.now(UTC))
        except JobLookupError:
            pass
