from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import (
    CEILINGS,
    ConfigError,
    load_config,
    masked_dump,
    parse_config,
    parse_duration,
    parse_size,
    spoken_duration,
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


# --- ceilings: every duration and size has one -----------------------------------------


def data_for(key: str, value: object) -> dict:  # type: ignore[type-arg]
    """The config data that sets ``key`` ("fetch.timeout", "feeds[].interval") to ``value``."""
    if key == "feeds[].interval":
        return {"feeds": [{**FEED, "interval": value}]}
    section, name = key.split(".")
    return {section: {name: value}}


@pytest.mark.parametrize("key", sorted(CEILINGS))
def test_every_ceiling_is_enforced_with_the_key_named(key: str) -> None:
    limit = CEILINGS[key]
    parse_config(data_for(key, limit))  # the ceiling itself is allowed
    with pytest.raises(ConfigError) as caught:
        parse_config(data_for(key, limit * 2 + 1), "config.yaml")
    shown = key.replace("feeds[]", "feeds[0]")
    assert f"config.yaml: {shown}: must be " in str(caught.value)
    assert "\n" not in str(caught.value)


def test_every_duration_and_size_of_the_config_has_a_ceiling() -> None:
    """A new duration or size key without a ceiling fails here, not at a user's tick."""
    def bounded_keys(model: type, prefix: str) -> set[str]:  # type: ignore[type-arg]
        keys: set[str] = set()
        for name, field in model.model_fields.items():
            annotation = str(field.annotation) + str(field.metadata)
            if "parse_duration" in annotation or "parse_size" in annotation:
                keys.add(f"{prefix}.{name}")
        return keys

    from monitor.config import (
        AlertsConfig,
        FeedConfig,
        FetchConfig,
        RetentionConfig,
        SchedulerConfig,
    )

    found = (bounded_keys(FeedConfig, "feeds[]") | bounded_keys(FetchConfig, "fetch")
             | bounded_keys(SchedulerConfig, "scheduler") | bounded_keys(RetentionConfig, "retention")
             | bounded_keys(AlertsConfig, "alerts"))
    assert found == set(CEILINGS), sorted(found ^ set(CEILINGS))


def test_the_interval_of_the_issue_names_its_key() -> None:
    with pytest.raises(ConfigError, match=r"feeds\[0\]\.interval: must be at most 30 days \(got 3000000 days\)"):
        parse_config({"feeds": [{**FEED, "interval": "3000000d"}]}, "config.yaml")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fetch": {"max_bytes": float("inf")}}, "fetch.max_bytes: must be a finite size"),
        ({"fetch": {"max_bytes": "6GB"}}, "fetch.max_bytes: must be at most 50MB (got 6000MB)"),
        ({"alerts": {"cooldown": float("nan")}}, "alerts.cooldown: must be a finite duration"),
        ({"scheduler": {"jitter": -5}}, "scheduler.jitter: must not be negative (got -5)"),
        ({"fetch": {"max_backoff": "10s"}}, "fetch.max_backoff: must be at least 1 minute"),
        ({"fetch": {"page_deadline": "0.5s"}}, "fetch.page_deadline: must be at least 1 second"),
        ({"alerts": {"retry_max": 0}}, "alerts.retry_max: must be more than 0 seconds"),
    ],
)
def test_numbers_no_duration_or_size_can_be(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError) as caught:
        parse_config(data, "config.yaml")
    assert message in str(caught.value)


def test_yaml_infinity_is_refused_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("scheduler:\n  stall_limit: .inf\n")
    with pytest.raises(ConfigError, match="scheduler.stall_limit: must be a finite duration"):
        load_config(path)


@pytest.mark.parametrize(("seconds", "spoken"), [(60, "1 minute"), (90, "90 seconds"), (2 * 86400, "2 days"),
                                                 (7200, "2 hours"), (0.5, "0.5 seconds"), (1, "1 second")])
def test_spoken_durations(seconds: float, spoken: str) -> None:
    assert spoken_duration(seconds) == spoken


# --- files that are no YAML mapping: one line naming the file, through the real command --------


def check_config(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(path), "check-config"],
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 4, "a binary file (byte 0x80 at offset 128)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file (byte 0x89 at offset 0)"),
        ("database: café.db\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 13)"),
        ("database: x.db\n".encode("utf-16"), "UTF-16 text, not UTF-8 (byte 0xff at offset 0)"),
        (b"feeds: []\n\x01\x02\x03", "not a YAML text file: character U+0001 at offset 10"),
        (b"[" * 20000, "nested too deeply"),
        (b"just a sentence\n", "the top level must be a mapping of keys (got text)"),
        (b"- a\n- list\n", "the top level must be a mapping of keys (got a list)"),
        (b"42\n", "the top level must be a mapping of keys (got a number)"),
    ],
)
def test_a_file_that_is_no_yaml_mapping_gets_one_line_naming_it(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)

    proc = check_config(path)

    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0] and message in lines[0]
    assert proc.stdout == ""


def test_a_byte_order_mark_is_no_error(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes("\ufefflog:\n  level: DEBUG\n".encode())
    assert load_config(path).config.log.level == "DEBUG"


@pytest.mark.parametrize(
    ("fetch", "feeds", "pages"),
    [
        ({}, False, False),
        ({"allow_private_addresses": True}, True, True),
        ({"allow_private_addresses": "true", "allow_private_page_addresses": False}, True, False),
        ({"allow_private_feed_addresses": True}, True, False),
    ],
)
def test_the_feed_and_page_switches_default_to_the_common_one(fetch: dict, feeds: bool, pages: bool) -> None:  # type: ignore[type-arg]
    shown = parse_config({"fetch": fetch}).config.fetch
    assert (shown.allow_private_feed_addresses, shown.allow_private_page_addresses) == (feeds, pages)
