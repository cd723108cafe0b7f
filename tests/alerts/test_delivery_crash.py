"""The real daemon, killed with SIGKILL while it delivers, then restarted: no alert lost, none doubled
except the one whose send was in flight, which arrives once more with the same id (docs/alerts.md)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from monitor.store import Store
from tests.alertkit import Webhook
from tests.alerts.test_delivery import urgent_drafts
from tests.daemonkit import query, start_daemon, stop_daemon, wait_for, write_config
from tests.feedgen import Item, rss
from tests.httpserver import LocalHTTPServer, Request, Response

pytestmark = pytest.mark.daemon


def alert_states(db: Path) -> dict[str, str]:
    return dict(query(db, "SELECT id, state FROM alerts"))  # type: ignore[arg-type]


def delivery_states(db: Path) -> dict[str, str]:
    return dict(query(db, "SELECT alert_id, state FROM alert_deliveries"))  # type: ignore[arg-type]


def results(db: Path, alert_id: str) -> list[str]:
    return [r[0] for r in query(db, "SELECT result FROM alert_attempts WHERE alert_id = ? ORDER BY id", alert_id)]


def make_feed_due(db: Path) -> None:
    """As a user would, with their own connection, while the daemon runs."""
    conn = sqlite3.connect(db, timeout=5)
    with conn:
        conn.execute("UPDATE feeds SET next_poll = '2000-01-01T00:00:00Z'")
    conn.close()


def daemon_config(tmp_path: Path, server: LocalHTTPServer, hook: Webhook) -> Path:
    # news with no incident in it: the only alerts are the ones the test puts in the outbox
    quiet = [Item(f"Football : victoire des Aigles à Bamako ({n})", f"{server.base_url}/sport/{n}") for n in (1, 2)]
    server.route("/feed.xml", Response(body=rss(quiet), headers={"Content-Type": "application/rss+xml"}))
    feeds = [{"name": "local", "url": server.url("/feed.xml"), "interval": "1m"}]
    alerts = {"urls": [hook.url()], "deliver_every": "0.3s", "timeout": "30s", "retry_backoff": "1s",
              "digest_every": 0}
    fetch = {"timeout": "3s", "allow_private_addresses": True, "fetch_pages": False}
    config = write_config(tmp_path / "config.yaml", feeds, alerts=alerts, fetch=fetch)
    return config


def test_sigkill_in_the_send_window_then_restart_no_alert_lost_only_the_in_flight_one_repeated(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    db = tmp_path / "monitor.db"
    with Store(db) as store:
        store.add_alerts(urgent_drafts(10))
    hook = Webhook(http_server)
    in_flight = threading.Event()
    release = threading.Event()

    def answer(request: Request) -> Response:
        # the fifth alert reaches the webhook, which keeps the daemon waiting for its answer:
        # the message is delivered, the daemon does not know it yet
        if request.headers.get("x-sahel-alert-id") == "incident-5-new" and not in_flight.is_set():
            in_flight.set()
            release.wait(60)
        return Response(200, b"ok")

    hook.answer = answer
    config = daemon_config(tmp_path, http_server, hook)
    proc = start_daemon(config)
    try:
        wait_for(in_flight.is_set, timeout=20, what="alert 5 in flight")
        # a slow target holds up only the alert thread: polling goes on
        polls = len(query(db, "SELECT id FROM fetch_log"))
        make_feed_due(db)
        wait_for(lambda: len(query(db, "SELECT id FROM fetch_log")) > polls, timeout=10,
                 what="a poll while a delivery hangs")
        assert delivery_states(db)["incident-5-new"] == "sending"
        proc.kill()  # SIGKILL: no handler, no cleanup
        proc.communicate(timeout=10)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    states = alert_states(db)
    assert [states[f"incident-{i}-new"] for i in range(1, 5)] == ["sent"] * 4
    assert delivery_states(db)["incident-5-new"] == "sending"  # the crash left it there
    assert query(db, "pragma integrity_check") == [("ok",)]

    proc = start_daemon(config)
    try:
        wait_for(lambda: set(alert_states(db).values()) == {"sent"}, timeout=30, what="every alert sent")
    finally:
        status, _, err = stop_daemon(proc)
    assert status == 0, err
    assert "cut off by the last stop" in err

    counts = hook.counts()
    assert set(counts) == {f"incident-{i}-new" for i in range(1, 11)}  # none lost
    assert counts.pop("incident-5-new") == 2  # the one in flight at the kill: again, with the same id
    assert set(counts.values()) == {1}  # every other exactly once
    assert results(db, "incident-5-new") == ["interrupted", "sent"]
    assert results(db, "incident-6-new") == ["sent"]


def test_sigkill_at_any_moment_duplicates_only_an_interrupted_attempt(
    http_server: LocalHTTPServer, tmp_path: Path
) -> None:
    db = tmp_path / "monitor.db"
    with Store(db) as store:
        store.add_alerts(urgent_drafts(30))
    hook = Webhook(http_server)
    hook.answer = Response(200, b"ok", delay=0.05)
    config = daemon_config(tmp_path, http_server, hook)
    proc = start_daemon(config)
    try:
        wait_for(lambda: len(hook.posts()) >= 8, timeout=20, what="deliveries under way")
        proc.kill()
        proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()

    proc = start_daemon(config)
    try:
        wait_for(lambda: set(alert_states(db).values()) == {"sent"} and len(alert_states(db)) == 30,
                 timeout=30, what="every alert sent")
    finally:
        status, _, err = stop_daemon(proc)
    assert status == 0, err

    counts = hook.counts()
    assert set(counts) == {f"incident-{i}-new" for i in range(1, 31)}  # none lost
    interrupted = {row[0] for row in query(db, "SELECT alert_id FROM alert_attempts WHERE result = 'interrupted'")}
    assert len(interrupted) <= 1  # one target, one send at a time
    for alert_id, count in counts.items():
        assert count == 1 or (count == 2 and alert_id in interrupted), (alert_id, count)
