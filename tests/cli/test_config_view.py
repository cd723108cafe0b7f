"""`sahel-monitor check-config`: the configuration as it takes effect, as written, secrets masked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from monitor.cli import cli
from monitor.cli.config_view import format_duration, format_size, mask_text
from monitor.config import parse_duration, parse_size


def check_config(path: Path) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, ["--config", str(path), "check-config"])
    return result.exit_code, yaml.safe_load(result.stdout), result.stdout


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMTP_PASSWORD", "hunter2")
    monkeypatch.setenv("ALERT_TO", "analysts@example.org")
    secret = tmp_path / "bot_token"
    secret.write_text("AAEhcsdKq81bZyWvN0pLkT3uYd7\n", encoding="utf-8")
    path = tmp_path / "config.yaml"
    path.write_text(f"""
feeds:
  - {{name: tamani, url: "https://tamani.example/rss", interval: 15m}}
  - {{name: kibaru, url: "https://kibaru.example/rss", interval: 900}}
fetch:
  max_bytes: 5MB
  timeout: 20s
alerts:
  urls:
    - "mailto://smtp.example.org:587?to=analysts@example.org"
    - "mailtos://alerts:${{SMTP_PASSWORD}}@smtp.example.org?to=${{ALERT_TO}}"
    - "urgent=tgram://123456789:${{file:{secret}}}/-100123"
    - "json://hooks.example.org/x?token=abc123&format=json"
    - "discord://1234567890/k3ZfQp9Lm2XwR7tYb4NcV8sD"
    - "mailto://user:plain@smtp.example.org:587/?to=x@y.org"
  digest_every: 2h
""", encoding="utf-8")
    return path


def test_durations_and_sizes_print_as_written_and_defaults_in_their_largest_exact_unit(config: Path) -> None:
    code, shown, _ = check_config(config)
    assert code == 0
    assert [f["interval"] for f in shown["feeds"]] == ["15m", 900]  # as the file says them
    assert shown["fetch"]["timeout"] == "20s" and shown["fetch"]["max_bytes"] == "5MB"
    assert shown["alerts"]["digest_every"] == "2h"
    assert shown["alerts"]["cooldown"] == "30m" and shown["retention"]["irrelevant_text_after"] == "90d"  # defaults
    assert shown["fetch"]["max_backoff"] == "1d" and shown["alerts"]["send_interval"] == "0s"


def test_the_effective_stall_limit_is_printed_and_said_to_be_the_default(config: Path) -> None:
    _, shown, text = check_config(config)
    # the slowest request through every redirect at 20 s, plus a minute: what the watchdog uses
    assert shown["scheduler"]["stall_limit"] == "9m"
    assert "stall_limit: 9m  # not set:" in text
    config.write_text(config.read_text(encoding="utf-8") + "scheduler:\n  stall_limit: 4m\n", encoding="utf-8")
    _, shown, text = check_config(config)
    assert shown["scheduler"]["stall_limit"] == "4m" and "not set" not in text


def test_only_secrets_are_masked(config: Path) -> None:
    _, shown, text = check_config(config)
    assert shown["alerts"]["urls"] == [
        "mailto://smtp.example.org:587?to=analysts@example.org",  # a port and a recipient are no secret
        "mailtos://alerts:***@smtp.example.org?to=***",  # each ${...} value, the rest as written
        "urgent=tgram://123456789:***/-100123",
        "json://hooks.example.org/x?token=***&format=json",
        "discord://1234567890/***",
        "mailto://user:***@smtp.example.org:587/?to=x@y.org",
    ]
    for secret in ("hunter2", "AAEhcsdKq81bZyWvN0pLkT3uYd7", "abc123", "k3ZfQp9Lm2XwR7tYb4NcV8sD", "plain"):
        assert secret not in text
    assert shown["feeds"][0]["url"] == "https://tamani.example/rss"


@pytest.mark.parametrize("url, shown", [
    ("https://news.example/2024/05/article-about-mopti-region", "https://news.example/2024/05/article-about-mopti-region"),
    ("ntfy://ntfy.example.org/sahel-alerts", "ntfy://ntfy.example.org/sahel-alerts"),
    ("slack://T1234ABCD/B5678EFGH/x9Yz8Wv7Ut6Sr5Qp4On3/#alerts", "slack://T1234ABCD/B5678EFGH/***/#alerts"),
    ("mailtos://smtp.example.org?user=alerts&pass=s3cr3t&to=a@b.org", "mailtos://smtp.example.org?user=alerts&pass=***&to=a@b.org"),
    ("tags,urgent=json://u:p@h.example:8080/x", "tags,urgent=json://u:***@h.example:8080/x"),
    ("not a url at all", "not a url at all"),
])
def test_mask_text(url: str, shown: str) -> None:
    assert mask_text(url) == shown


@pytest.mark.parametrize("seconds", [0.0, 0.5, 30.0, 90.0, 900.0, 3600.0, 5400.0, 86400.0, 7776000.0])
def test_formatted_durations_read_back_to_the_same_value(seconds: float) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("size", [1024, 1500, 524_288, 5_000_000, 5 * 1024 * 1024, 2 * 1000**3])
def test_formatted_sizes_read_back_to_the_same_value(size: int) -> None:
    assert parse_size(format_size(size)) == size
