"""Page jobs: fair between hosts, bounded per host, none started after its deadline."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from monitor.collect.hostqueue import NOT_STARTED, HostQueue


@pytest.fixture
def queue() -> Iterator[HostQueue]:
    made = HostQueue(workers=4, per_host=2)
    yield made
    made.close()


class Tally:
    """Jobs that record how many ran at once for each host, and when each ended."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.ended: dict[str, float] = {}

    def job(self, host: str, name: str, seconds: float) -> Callable[[], str]:
        def run() -> str:
            with self.lock:
                self.running[host] += 1
                self.most[host] = max(self.most[host], self.running[host])
            time.sleep(seconds)
            with self.lock:
                self.running[host] -= 1
                self.ended[name] = time.monotonic()
            return name

        return run


def test_one_slow_host_holds_at_most_its_share_of_the_workers(queue: HostQueue) -> None:
    tally, later = Tally(), time.monotonic() + 30
    slow = [queue.submit("slow.example", tally.job("slow.example", f"s{i}", 0.3), later) for i in range(10)]
    fast = [queue.submit("fast.example", tally.job("fast.example", f"f{i}", 0.01), later) for i in range(4)]

    assert [f.result() for f in fast] == ["f0", "f1", "f2", "f3"]
    assert [f.result() for f in slow] == [f"s{i}" for i in range(10)]
    assert tally.most["slow.example"] == 2 and tally.most["fast.example"] <= 2
    # the fast site's jobs, queued behind ten slow ones, ended before most of those
    assert max(tally.ended[f"f{i}"] for i in range(4)) < sorted(tally.ended[f"s{i}"] for i in range(10))[3]


def test_a_job_not_started_by_its_deadline_is_not_started(queue: HostQueue) -> None:
    tally, soon = Tally(), time.monotonic() + 0.2
    jobs = [queue.submit("one.example", tally.job("one.example", f"j{i}", 0.3), soon) for i in range(5)]

    results = [f.result(timeout=5) for f in jobs]

    assert results[:2] == ["j0", "j1"]  # the host's two slots, started at once
    assert results[2:] == [NOT_STARTED] * 3


def test_every_job_is_settled_whatever_the_mix(queue: HostQueue) -> None:
    tally, later = Tally(), time.monotonic() + 30
    hosts = [f"h{i % 5}.example" for i in range(60)]
    jobs = [queue.submit(host, tally.job(host, f"j{i}", 0.002 * (i % 7)), later) for i, host in enumerate(hosts)]
    assert [f.result(timeout=10) for f in jobs] == [f"j{i}" for i in range(60)]
    assert max(tally.most.values()) <= 2


def test_a_failing_job_costs_only_its_own_future(queue: HostQueue) -> None:
    def broken() -> str:
        raise RuntimeError("bug")

    later = time.monotonic() + 30
    bad = queue.submit("a.example", broken, later)
    good = queue.submit("a.example", lambda: "fine", later)
    assert good.result(timeout=5) == "fine"
    with pytest.raises(RuntimeError, match="bug"):
        bad.result(timeout=5)


def test_close_settles_what_waits_and_refuses_what_comes() -> None:
    queue = HostQueue(workers=1, per_host=1)
    later = time.monotonic() + 30
    running = queue.submit("a.example", lambda: time.sleep(0.2) or "done", later)
    waiting = queue.submit("a.example", lambda: "never", later)
    time.sleep(0.05)

    queue.close()

    assert (running.result(), waiting.result()) == ("done", NOT_STARTED)
    assert queue.submit("a.example", lambda: "never", later).result() is NOT_STARTED
