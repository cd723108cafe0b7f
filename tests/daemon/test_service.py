"""The daemon as systemd runs it: a real subprocess talking to a stand-in notification socket.

systemd is played by ``NotifyReceiver`` (NOTIFY_SOCKET, WATCHDOG_USEC set by the test);
feeds by a local HTTP server. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import itertools
import json
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.daemonkit import query, start_daemon, wait_for, write_config
from tests.feedgen import article_page, items_for, rss
from tests.httpserver import LocalHTTPServer, Response
from tests.notifysocket import NotifyReceiver

pytestmark = pytest.mark.daemon

WATCHDOG_USEC = 1_000_000  # pings expected every 0.5 s


class Daemon:
    """A running daemon whose stderr is read line by line as it comes."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.started = time.monotonic()
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def log_has(self, *words: str) -> bool:
        return any(all(w in line for w in words) for line in list(self.lines))

    def stop(self, timeout: float = 10.0) -> tuple[int, float]:
        """SIGTERM; the exit status and the seconds it took (-9 when it had to be killed)."""
        if self.proc.poll() is not None:
            return self.proc.returncode, 0.0
        sent = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            status = -9
        took = time.monotonic() - sent
        self._reader.join(timeout=5)
        return status, took

    @property
    def log(self) -> str:
        return "\n".join(self.lines)


@contextmanager
def running(config: Path, systemd: NotifyReceiver, *args: str, watchdog_usec: int | None = WATCHDOG_USEC) -> Iterator[Daemon]:
    daemon = Daemon(start_daemon(config, *args, env=systemd.env(watchdog_usec)))
    try:
        yield daemon
    finally:
        daemon.stop()


def serve_feed(server: LocalHTTPServer, path: str, feed_no: int, count: int = 2) -> str:
    items = items_for(server.base_url, feed_no, count)
    server.route(path, Response(body=rss(items), headers={"Content-Type": "application/rss+xml"}))
    for item in items:
        server.route(item.link.removeprefix(server.base_url), Response(body=article_page(item.title)))
    return server.url(path)


def feed(name: str, url: str) -> dict[str, str]:
    return {"name": name, "url": url, "language": "fr", "interval": "1m"}


@pytest.fixture
def systemd() -> Iterator[NotifyReceiver]:
    with NotifyReceiver() as receiver:
        yield receiver


def test_ready_status_watchdog_and_clean_stop(http_server: LocalHTTPServer, tmp_path: Path,
                                              systemd: NotifyReceiver) -> None:
    url = serve_feed(http_server, "/a.xml", 1)
    config = write_config(tmp_path / "config.yaml", [feed("alpha", url)])

    with running(config, systemd) as daemon:
        ready = systemd.wait_for("READY", "1", timeout=5)
        assert ready - daemon.started < 5
        systemd.wait_for("STATUS", timeout=10, after=ready)
        wait_for(lambda: any("1 feeds polled" in s for s in systemd.values("STATUS")), what="a cycle's STATUS")
        window_start = time.monotonic()
        time.sleep(4.0)
        pings = [t for t in systemd.times("WATCHDOG", "1") if window_start <= t < window_start + 4.0]
        # every 0.5 s: 8 in 4 s; loose bounds for a loaded machine, never zero, never a flood
        assert 5 <= len(pings) <= 10, pings
        gaps = [b - a for a, b in itertools.pairwise(pings)]
        assert max(gaps) < 1.0, gaps  # always inside systemd's 1 s timeout

        status, took = daemon.stop()
    assert status == 0, daemon.log
    assert took < 10
    assert systemd.times("STOPPING", "1"), systemd.messages
    assert "last cycle: 1 feeds polled, 1 ok" in systemd.values("STATUS")[-2]  # before "stopping"


def test_sighup_adds_and_removes_feeds_without_a_restart(http_server: LocalHTTPServer, tmp_path: Path,
                                                          systemd: NotifyReceiver) -> None:
    alpha = serve_feed(http_server, "/a.xml", 1)
    beta = serve_feed(http_server, "/b.xml", 2)
    config = write_config(tmp_path / "config.yaml", [feed("alpha", alpha)])
    db = tmp_path / "monitor.db"

    with running(config, systemd) as daemon:
        wait_for(lambda: len(http_server.requests_to("/a.xml")) == 1, what="alpha polled")
        write_config(config, [feed("beta", beta)])
        sent = time.monotonic()
        daemon.proc.send_signal(signal.SIGHUP)

        wait_for(lambda: len(http_server.requests_to("/b.xml")) == 1, timeout=10, what="beta polled after SIGHUP")
        assert systemd.wait_for("RELOADING", "1", after=sent) <= systemd.wait_for("READY", "1", after=sent)
        wait_for(lambda: daemon.log_has("configuration reloaded", "1 feed added (beta)", "1 feed removed (alpha)"),
                 what="the reload logged")
        wait_for(lambda: query(db, "select name, state, enabled from feeds order by name") == [
            ("alpha", "removed", 0), ("beta", "ok", 1),
        ], what="alpha removed, beta polled, in the store")
        assert daemon.proc.poll() is None  # the same process all along
        status, _ = daemon.stop()
    assert status == 0, daemon.log


@pytest.mark.parametrize(("broken", "named"), [
    ("feeds:\n  - {name: alpha, url: 'http://127.0.0.1:1/a.xml', interval: 10s}\n",
     "feeds[0].interval: must be at least 60 seconds"),
    ("feeds: [\n", "not valid YAML"),
])
def test_sighup_with_a_broken_config_keeps_the_running_one(http_server: LocalHTTPServer, tmp_path: Path,
                                                            systemd: NotifyReceiver, broken: str,
                                                            named: str) -> None:
    alpha = serve_feed(http_server, "/a.xml", 1)
    config = write_config(tmp_path / "config.yaml", [feed("alpha", alpha)])
    db = tmp_path / "monitor.db"

    with running(config, systemd) as daemon:
        wait_for(lambda: len(http_server.requests_to("/a.xml")) == 1, what="alpha polled")
        config.write_text(broken, encoding="utf-8")
        sent = time.monotonic()
        daemon.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: daemon.log_has("ERROR", "reload refused", named), what="the refusal, naming the problem")
        systemd.wait_for("READY", "1", after=sent)  # back to running, on the old config

        # the old config still drives the polls: make alpha due again and watch it come
        with sqlite3.connect(db) as conn:
            conn.execute("update feeds set next_poll = '2000-01-01T00:00:00Z'")
        wait_for(lambda: len(http_server.requests_to("/a.xml")) == 2, what="alpha polled again")
        assert daemon.proc.poll() is None
        status, _ = daemon.stop()
    assert status == 0, daemon.log


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A TCP port that takes connections and never answers (nothing ever accepts them)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/never.xml"
    listener.close()


def test_a_hung_poll_stops_the_watchdog_pings(silent_server: str, tmp_path: Path, systemd: NotifyReceiver) -> None:
    # a real hang: the only feed never answers and the fetch timeout is far longer than the stall limit
    config = write_config(tmp_path / "config.yaml", [feed("silent", silent_server)],
                          fetch={"timeout": "300s", "allow_private_addresses": True},
                          scheduler={"tick": "0.5s", "jitter": 0, "stall_limit": "2s"})

    with running(config, systemd) as daemon:
        systemd.wait_for("READY", "1", timeout=5)
        wait_for(lambda: daemon.log_has("ERROR", "hung:", silent_server), timeout=10, what="the hang reported")
        last_ping = max(systemd.times("WATCHDOG", "1"))  # it did ping while the poll was young
        time.sleep(3.0)  # six ping periods
        assert max(systemd.times("WATCHDOG", "1")) == last_ping, "pings went on while the poll loop was hung"
        assert systemd.values("STATUS")[-1].startswith("hung: the poll tick has made no progress")
        status, took = daemon.stop()
    # the stuck request is abandoned after the stop grace; nothing was written half-way
    assert status == 0, daemon.log
    assert took < 10
    assert query(tmp_path / "monitor.db", "pragma integrity_check") == [("ok",)]


def test_a_healthy_slow_feed_keeps_the_pings_going(http_server: LocalHTTPServer, tmp_path: Path,
                                                    systemd: NotifyReceiver) -> None:
    # slow answers, but each comes within the stall limit: progress, so no false alarm
    for n in range(4):
        http_server.route(f"/slow{n}.xml", Response(body=rss([]), delay=1.5))
    feeds = [feed(f"slow{n}", http_server.url(f"/slow{n}.xml")) for n in range(4)]
    config = write_config(tmp_path / "config.yaml", feeds,
                          fetch={"timeout": "5s", "allow_private_addresses": True, "concurrency": 1},
                          scheduler={"tick": "0.5s", "jitter": 0, "stall_limit": "3s"})

    with running(config, systemd) as daemon:
        ready = systemd.wait_for("READY", "1", timeout=5)
        wait_for(lambda: any("4 feeds polled" in s for s in systemd.values("STATUS")), what="the slow cycle")
        pings = [t for t in systemd.times("WATCHDOG", "1") if t > ready]
        assert len(pings) >= 8  # the cycle took about 6 s, twice the stall limit
        assert not daemon.log_has("hung:")
        status, _ = daemon.stop()
    assert status == 0, daemon.log


def test_json_logs_are_one_object_a_line_and_name_the_failing_feed(http_server: LocalHTTPServer, tmp_path: Path,
                                                                   systemd: NotifyReceiver) -> None:
    good = serve_feed(http_server, "/a.xml", 1)
    config = write_config(tmp_path / "config.yaml",
                          [feed("alpha", good), feed("missing", http_server.url("/missing.xml"))])

    with running(config, systemd, "--log-format", "json", watchdog_usec=None) as daemon:
        wait_for(lambda: daemon.log_has("cycle: 2 feeds polled"), what="a cycle")
        status, _ = daemon.stop()
    assert status == 0, daemon.log

    entries = [json.loads(line) for line in daemon.lines]  # every line parses on its own
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    polls = [e for e in entries if e["logger"] == "monitor.poll"]
    assert any(e["message"].startswith("feed alpha: ok status=200 items=2 new=2") for e in polls), polls
    failure = next(e for e in polls if e["message"].startswith("feed missing failed"))
    assert failure["level"] == "warning" and "404" in failure["message"]
