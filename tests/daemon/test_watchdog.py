"""The progress check behind the watchdog pings, on a hand-driven clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from monitor.config import ConfigError, FetchConfig, parse_config
from monitor.daemon.watchdog import (
    STALL_MARGIN,
    Progress,
    Watchdog,
    default_stall_limit,
    stall_limit_for,
)

TICK = 30.0
LIMIT = 100.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def progress(clock: Clock) -> Progress:
    return Progress(clock)


def test_idle_between_ticks_is_fine_until_a_tick_is_overdue(progress: Progress, clock: Clock) -> None:
    clock.now += TICK + LIMIT
    assert progress.stall(TICK, LIMIT) is None
    clock.now += 1
    stall = progress.stall(TICK, LIMIT)
    assert stall is not None and stall.reason.startswith("no poll tick has started for 131s")


def test_a_tick_that_finishes_work_keeps_moving(progress: Progress, clock: Clock) -> None:
    with progress.tick():
        for _ in range(5):  # five slow requests, each inside the limit: 450 s in all
            with progress.working("http://example.org/feed.xml"):
                clock.now += 90
            assert progress.stall(TICK, LIMIT) is None


def test_a_request_that_never_ends_is_a_stall_naming_it(progress: Progress, clock: Clock) -> None:
    progress.name_requests({"http://example.org/feed.xml": "feed Example"})
    with progress.tick(), progress.working("http://example.org/feed.xml"):
        clock.now += LIMIT
        assert progress.stall(TICK, LIMIT) is None
        clock.now += 5
        stall = progress.stall(TICK, LIMIT)
        assert stall is not None
        assert "no progress for 105s" in stall.reason
        assert "feed Example (http://example.org/feed.xml), started 105s ago" in stall.reason
        assert "test_watchdog.py" in stall.describe()  # this thread's stack: where it is stuck


def test_a_tick_stuck_outside_any_request_is_a_stall(progress: Progress, clock: Clock) -> None:
    with progress.tick():
        clock.now += LIMIT + 1
        stall = progress.stall(TICK, LIMIT)
        assert stall is not None and stall.reason == "the poll tick has made no progress for 101s"


def test_the_end_of_a_tick_is_progress(progress: Progress, clock: Clock) -> None:
    with progress.tick():
        clock.now += LIMIT - 1
    clock.now += TICK + LIMIT - 1
    assert progress.stall(TICK, LIMIT) is None


@contextmanager
def watchdog(progress: Progress, timeout: float | None) -> Iterator[tuple[Watchdog, list[dict[str, object]]]]:
    sent: list[dict[str, object]] = []
    yield Watchdog(progress, TICK, LIMIT, timeout=timeout, send=lambda **f: sent.append(f) or True), sent


def test_pings_only_while_moving_and_says_why_once(progress: Progress, clock: Clock,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    with watchdog(progress, timeout=120) as (dog, sent):
        assert dog.period == 60
        assert dog.check() and sent == [{"WATCHDOG": 1}]

        with progress.tick(), progress.working("http://example.org/slow"):
            clock.now += LIMIT + 1
            assert not dog.check() and not dog.check()
        assert [f for f in sent if "WATCHDOG" in f] == [{"WATCHDOG": 1}]
        assert [f["STATUS"] for f in sent if "STATUS" in f] == [
            ("hung: the poll tick has made no progress for 101s; the oldest request in flight, "
             "http://example.org/slow, started 101s ago"),
        ]
        errors = [r for r in caplog.records if r.levelname == "ERROR"]
        assert len(errors) == 1 and "systemd restarts the service within 120s" in errors[0].getMessage()

        assert dog.check()  # the request ended: moving again
        assert sent[-1] == {"WATCHDOG": 1}
        assert "moving again" in caplog.records[-1].getMessage()


def test_without_a_watchdog_a_stall_is_still_logged(progress: Progress, clock: Clock,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    with watchdog(progress, timeout=None) as (dog, sent):
        dog.timeout = None
        assert dog.check() and sent == []
        with progress.tick():
            clock.now += LIMIT + 1
            assert not dog.check()
    assert "no watchdog is armed" in caplog.records[-1].getMessage()


def test_stall_limit_default_covers_the_slowest_fetch() -> None:
    fetch = FetchConfig(timeout=20, max_redirects=5)
    assert default_stall_limit(fetch) == 6 * 4 * 20 + STALL_MARGIN  # every hop at its 4x deadline
    assert stall_limit_for(parse_config({}).config) == default_stall_limit(FetchConfig())
    assert stall_limit_for(parse_config({"scheduler": {"stall_limit": "5m"}}).config) == 300


def test_stall_limit_below_a_second_is_refused_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"scheduler.stall_limit: must be at least 1 second"):
        parse_config({"scheduler": {"stall_limit": "500ms"}})


def test_a_beat_from_a_long_stage_is_progress(progress: Progress, clock: Clock) -> None:
    with progress.tick():
        for _ in range(3):
            clock.now += LIMIT - 1
            progress.beat()
        assert progress.stall(TICK, LIMIT) is None
