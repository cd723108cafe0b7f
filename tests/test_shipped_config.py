"""The config.yaml shipped at the project root is valid and sensible."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import Config, LoadedConfig, load_config

SHIPPED = Path(__file__).resolve().parent.parent / "config.yaml"


@pytest.fixture(scope="module")
def shipped() -> Config:
    loaded: LoadedConfig = load_config(SHIPPED)
    return loaded.config


def test_shipped_config_loads_with_many_feeds(shipped: Config) -> None:
    assert len(shipped.feeds) >= 10


def test_shipped_feeds_cover_french_and_english(shipped: Config) -> None:
    languages = {feed.language for feed in shipped.feeds}

    assert {"fr", "en"} <= languages
    assert None not in languages


def test_shipped_feed_names_and_urls_are_unique(shipped: Config) -> None:
    names = [feed.name for feed in shipped.feeds]
    urls = [feed.url for feed in shipped.feeds]

    assert len(set(names)) == len(names)
    assert len(set(urls)) == len(urls)


def test_shipped_feeds_poll_between_fifteen_minutes_and_an_hour(shipped: Config) -> None:
    assert all(15 * 60 <= feed.interval <= 60 * 60 for feed in shipped.feeds)


def test_shipped_config_refuses_private_addresses(shipped: Config) -> None:
    assert shipped.fetch.allow_private_addresses is False


def test_shipped_database_sits_in_the_ignored_data_folder(shipped: Config) -> None:
    assert Path(shipped.database) == SHIPPED.parent / "data" / "sahel-monitor.db"


def test_shipped_alerts_go_to_the_console(shipped: Config) -> None:
    # examples stay commented out: a fresh install must not try to reach anyone
    assert shipped.alerts.urls == []
