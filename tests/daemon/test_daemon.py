"""The real daemon as a subprocess: it polls, stores, stops on SIGTERM and resumes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.daemonkit import query, start_daemon, stop_daemon, wait_for, write_config
from tests.feedgen import article_page, items_for, rss
from tests.httpserver import LocalHTTPServer, Request, Response

pytestmark = pytest.mark.daemon


def serve(server: LocalHTTPServer, count: int = 3) -> None:
    items = items_for(server.base_url, 1, count)
    body = rss(items)

    def feed(req: Request) -> Response:
        if req.headers.get("if-none-match") == '"rev-1"':
            return Response(304, headers={"ETag": '"rev-1"'})
        return Response(body=body, headers={"Content-Type": "application/rss+xml", "ETag": '"rev-1"'})

    server.route("/feed.xml", feed)
    for item in items:
        server.route(item.link.removeprefix(server.base_url), Response(body=article_page(item.title)))


def test_daemon_polls_stops_cleanly_and_resumes(http_server: LocalHTTPServer, tmp_path: Path) -> None:
    serve(http_server)
    config = write_config(tmp_path / "config.yaml",
                          [{"name": "local", "url": http_server.url("/feed.xml"), "language": "fr", "interval": "1m"}])
    db = tmp_path / "monitor.db"

    proc = start_daemon(config)
    try:
        wait_for(lambda: query(db, "select count(*) from articles") == [(3,)], what="3 articles in the store")
    finally:
        status, took, err = stop_daemon(proc)
    assert status == 0, err
    assert took < 10
    assert "local" in err and "new=3" in err  # one log line per poll result

    # a later start finds the feed due and asks conditionally with the validators it stored
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("update feeds set next_poll = '2000-01-01T00:00:00Z'")
    conn.close()
    proc = start_daemon(config)
    try:
        wait_for(lambda: len(http_server.requests_to("/feed.xml")) >= 2, what="a second poll")
        wait_for(lambda: query(db, "select outcome from fetch_log order by id desc limit 1") == [("not_modified",)],
                 what="the 304 recorded")
    finally:
        status, _, err = stop_daemon(proc)
    assert status == 0, err
    assert http_server.requests_to("/feed.xml")[1].headers.get("if-none-match") == '"rev-1"'
    assert query(db, "select count(*) from articles") == [(3,)]


def test_sigterm_during_a_slow_poll_exits_zero_quickly(http_server: LocalHTTPServer, tmp_path: Path) -> None:
    http_server.route("/slow.xml", Response(body=b"<rss/>", delay=2.5))
    config = write_config(tmp_path / "config.yaml",
                          [{"name": "slow", "url": http_server.url("/slow.xml"), "interval": "1m"}])
    proc = start_daemon(config)
    wait_for(lambda: len(http_server.requests_to("/slow.xml")) >= 1, what="the slow request to start")
    status, took, err = stop_daemon(proc)
    assert status == 0, err
    assert took < 10
    assert query(tmp_path / "monitor.db", "pragma integrity_check") == [("ok",)]


def test_bad_config_is_refused_with_the_key_path(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.yaml", [{"name": "x", "url": "http://127.0.0.1/f", "interval": "10s"}])
    proc = start_daemon(config)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 2
    assert "feeds[0].interval: must be at least 60 seconds" in err
