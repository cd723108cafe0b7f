"""Page fetches on a bounded pool, fair between hosts, none started after its deadline.

A plain thread pool takes jobs in order: ten pages of one slow site fill it, the fetcher
makes the extra workers wait for that host's slots, and every other site's pages queue
behind. Here a worker takes the first waiting job whose host has fewer than ``per_host``
jobs running, so one site holds at most ``per_host`` workers and the others go on.

A job not started by its deadline is not started: its future gets ``NOT_STARTED``, so the
caller can keep it for later. Each worker loops until no job it may take is left; a job
left waiting has a host at its limit, whose running workers take it when they finish.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NOT_STARTED", "HostQueue"]

NOT_STARTED = object()  # a job's result when its deadline came before a worker did


@dataclass
class _Job:
    host: str
    run: Callable[[], Any]
    deadline: float  # time.monotonic()
    future: Future[Any] = field(default_factory=Future)


class HostQueue:
    """Runs jobs on ``workers`` threads, at most ``per_host`` at once for one host."""

    def __init__(self, workers: int, per_host: int, name: str = "page") -> None:
        self._workers = workers
        self._per_host = per_host
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._waiting: list[_Job] = []
        self._running: Counter[str] = Counter()
        self._active = 0  # workers looping
        self._closed = False

    def submit(self, host: str, run: Callable[[], Any], deadline: float) -> Future[Any]:
        """``run()`` once a worker and a slot of ``host`` are free, if that is before ``deadline``."""
        job = _Job(host, run, deadline)
        with self._lock:
            if self._closed:
                job.future.set_result(NOT_STARTED)
                return job.future
            self._waiting.append(job)
            spawn = self._active < self._workers
            self._active += spawn
        if spawn:
            self._pool.submit(self._work)
        return job.future

    def close(self) -> None:
        """Start nothing more (waiting jobs get NOT_STARTED); wait for the running ones."""
        with self._lock:
            self._closed = True
            waiting, self._waiting = self._waiting, []
        for job in waiting:
            job.future.set_result(NOT_STARTED)
        self._pool.shutdown(wait=True)

    def _work(self) -> None:
        while True:
            job, expired = self._take()
            for late in expired:
                late.future.set_result(NOT_STARTED)
            if job is None:
                return
            try:
                job.future.set_result(job.run())
            except BaseException as exc:  # noqa: BLE001 - the caller's future carries it
                job.future.set_exception(exc)
            finally:
                with self._lock:
                    self._running[job.host] -= 1
                    if not self._running[job.host]:
                        del self._running[job.host]

    def _take(self) -> tuple[_Job | None, list[_Job]]:
        """The next job this worker may run, and the jobs whose deadline passed (to settle)."""
        now = time.monotonic()
        with self._lock:
            expired = [job for job in self._waiting if job.deadline <= now]
            if expired:
                self._waiting = [job for job in self._waiting if job.deadline > now]
            for index, job in enumerate(self._waiting):
                if self._running[job.host] < self._per_host:
                    del self._waiting[index]
                    self._running[job.host] += 1
                    return job, expired
            self._active -= 1
            return None, expired
