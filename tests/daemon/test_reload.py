"""What a SIGHUP reload takes from a re-read config, and the line that says what changed."""

from __future__ import annotations

import logging

import pytest

from monitor.config import Config, ConfigError, parse_config
from monitor.daemon.reload import describe_changes, load_new_config


def config(**data: object) -> Config:
    return parse_config({"database": "/var/lib/sahel-monitor/a.db", **data}).config


def feed(name: str, interval: str = "15m") -> dict[str, str]:
    return {"name": name, "url": f"https://example.org/{name}.xml", "interval": interval}


def test_feeds_added_removed_and_changed_are_named() -> None:
    old = config(feeds=[feed("a"), feed("b"), feed("c")])
    new = config(feeds=[feed("a"), feed("c", "30m"), feed("d")], fetch={"timeout": "30s"})
    assert describe_changes(old, new) == (
        "1 feed added (d); 1 feed removed (b); 1 feed changed (c); fetch settings changed"
    )
    assert describe_changes(old, old) == "no change"


def test_a_config_that_does_not_load_keeps_the_running_one(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> Config:
        raise ConfigError("config.yaml: feeds[0].interval: must be at least 60 seconds")

    with caplog.at_level(logging.ERROR):
        assert load_new_config(broken, config()) is None
    assert "still running on the previous configuration: config.yaml: feeds[0].interval" in caplog.text


def test_a_bug_while_reloading_keeps_the_running_one_too(caplog: pytest.LogCaptureFixture) -> None:
    def buggy() -> Config:
        raise RuntimeError("oops")

    assert load_new_config(buggy, config()) is None
    assert "reload refused" in caplog.text and "RuntimeError" in caplog.text


def test_the_database_cannot_move_under_a_running_daemon(caplog: pytest.LogCaptureFixture) -> None:
    current = config()
    moved = parse_config({"database": "/srv/elsewhere.db", "feeds": [feed("a")]}).config

    new = load_new_config(lambda: moved, current)

    assert new is not None and new.database == current.database and [f.name for f in new.feeds] == ["a"]
    assert "needs a restart" in caplog.text
