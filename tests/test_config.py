from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import (
    ConfigError,
    load_config,
    masked_dump,
    parse_config,
    parse_duration,
    parse_size,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1w", 604800), (45, 45), ("0.5s", 0.5), ("250ms", 0.25)],
)
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("text", "size"), [("5MB", 5_000_000), ("512KB", 512_000), ("1MiB", 1_048_576), (2048, 2048)])
def test_sizes(text: object, size: int) -> None:
    assert parse_size(text) == size


FEED = {"name": "RFI", "url": "https://www.rfi.fr/fr/afrique/rss", "language": "fr", "interval": "15m"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feeds": [{**FEED, "name": str(i)} for i in range(3)] + [{**FEED, "interval": "30s"}]}, "feeds[3].interval: must be at least 60 seconds"),
        ({"fetch": {"timout": "5s"}}, "fetch.timout: unknown key"),
        ({"fetch": {"max_bytes": "lots"}}, "fetch.max_bytes: 'lots' is not a size"),
        ({"fetch": {"timeout": "forever"}}, "fetch.timeout: 'forever' is not a duration"),
        ({"feeds": [{"url": "https://x.org/rss"}]}, "feeds[0].name: is required"),
        ({"feeds": [{**FEED, "url": "ftp://x.org/rss"}]}, "feeds[0].url: 'ftp://x.org/rss' is not an http(s) URL"),
        ({"feeds": [{**FEED, "language": "French"}]}, "feeds[0].language"),
        ({"alerts": {"urls": "mailto://x"}}, "alerts.urls"),
        ({"log": {"level": "LOUD"}}, "log.level: must be one of"),
        ({"surprise": 1}, "surprise: unknown key"),
    ],
)
def test_bad_values_name_the_key(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "config.yaml")
    assert message in str(caught.value)


def test_duplicate_feed_names_are_refused() -> None:
    with pytest.raises(ConfigError, match="used twice"):
        parse_config({"feeds": [FEED, FEED]})


def test_secrets_from_env_and_file_are_masked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret")
    secret = tmp_path / "token"
    secret.write_text("tok-123\n")
    loaded = parse_config({"alerts": {"urls": [
        "mailtos://alerts:${SMTP_PASSWORD}@mail.example.org",
        "tgram://${file:" + str(secret) + "}/12345",
        "json://user:plain@hooks.example.org/x",
    ]}})
    assert loaded.config.alerts.urls[0] == "mailtos://alerts:s3cret@mail.example.org"
    assert loaded.config.alerts.urls[1] == "tgram://tok-123/12345"
    shown = masked_dump(loaded)["alerts"]["urls"]
    assert shown[:2] == ["***", "***"]
    assert shown[2] == "json://user:***@hooks.example.org/x"
    assert "s3cret" not in str(masked_dump(loaded))


def test_systemd_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "smtp").write_text("pw")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    loaded = parse_config({"alerts": {"urls": ["mailto://a:${credential:smtp}@x.org"]}})
    assert loaded.config.alerts.urls == ["mailto://a:pw@x.org"]


def test_missing_secret_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOPE_NOT_SET", raising=False)
    with pytest.raises(ConfigError, match=r"alerts.urls\[0\]: environment variable NOPE_NOT_SET is not set"):
        parse_config({"alerts": {"urls": ["json://${NOPE_NOT_SET}"]}})


def test_load_resolves_database_beside_the_file_and_db_override(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "config.yaml"
    path.parent.mkdir()
    path.write_text("database: data/x.db\nfeeds: []\n")
    assert load_config(path).config.database == str(path.parent / "data" / "x.db")
    assert load_config(path, db_override="/tmp/other.db").config.database == "/tmp/other.db"


def test_yaml_errors_say_where(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("feeds:\n  - name: a\n    url: [unclosed\n")
    with pytest.raises(ConfigError, match=r"not valid YAML \(line \d+, column \d+\)"):
        load_config(path)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "absent.yaml")
    path.write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match="top level must be a mapping"):
        load_config(path)
