"""The command line over a real store and a local feed server (click's runner, in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from monitor.cli import cli
from tests.feedgen import Item, items_for, rss
from tests.httpserver import LocalHTTPServer, Response


@pytest.fixture
def config_file(tmp_path: Path, http_server: LocalHTTPServer) -> Path:
    items = items_for(http_server.base_url, 1, 2) + [
        Item("Le CSP-DPA revendique une attaque", http_server.base_url + "/a/csp.html", guid="csp",
             summary="Le Cadre stratégique permanent (CSP-DPA) affirme avoir visé un convoi."),
        Item("Tensions dans l'Azawad", http_server.base_url + "/a/azawad.html", guid="azawad",
             summary="Des combats sont signalés au nord de Kidal, dans l'Azawad."),
    ]
    http_server.route("/feed.xml", Response(body=rss(items), headers={"Content-Type": "application/rss+xml"}))
    http_server.route("/other.xml", Response(503, b"down", headers={"Retry-After": "60"}))
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({
        "database": "monitor.db",
        "feeds": [
            {"name": "local", "url": http_server.url("/feed.xml"), "language": "fr", "interval": "10m"},
            {"name": "down", "url": http_server.url("/other.xml"), "language": "en", "interval": "10m"},
        ],
        "fetch": {"allow_private_addresses": True, "fetch_pages": False},
        "alerts": {"urls": ["json://bot:hunter2@127.0.0.1:9/hook"]},
    }))
    return path


def invoke(*args: str) -> "click.testing.Result":  # type: ignore[name-defined]  # noqa: F821
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_poll_once_then_search_and_feeds(config_file: Path) -> None:
    result = invoke("--config", str(config_file), "poll", "--once")
    assert result.exit_code == 0, result.output
    assert "2 feeds polled, 1 ok" in result.output and "4 new articles" in result.output

    for query, title in [("CSP-DPA", "Le CSP-DPA revendique une attaque"),
                         ("l'Azawad", "Tensions dans l'Azawad"),
                         ("strategique", "Le CSP-DPA revendique une attaque")]:
        found = invoke("--config", str(config_file), "search", query)
        assert found.exit_code == 0, found.output
        assert title in found.output, (query, found.output)

    rows = [json.loads(line) for line in invoke("--config", str(config_file), "search", "--json", "Mopti").output.splitlines()]
    assert len(rows) == 2 and all("Mopti" in r["title"] for r in rows)

    health = invoke("--config", str(config_file), "feeds")
    assert health.exit_code == 0
    assert "local" in health.output and "down" in health.output
    assert "why: HTTP 503" in health.output


def test_poll_one_feed_by_name(config_file: Path) -> None:
    result = invoke("--config", str(config_file), "poll", "--once", "--feed", "local")
    assert "1 feeds polled, 1 ok" in result.output
    missing = CliRunner().invoke(cli, ["--config", str(config_file), "poll", "--once", "--feed", "nope"])
    assert missing.exit_code == 2 and "no feed named 'nope'" in missing.output


def test_check_config_masks_secrets(config_file: Path) -> None:
    result = invoke("--config", str(config_file), "check-config")
    assert result.exit_code == 0
    shown = yaml.safe_load(result.stdout)
    assert shown["alerts"]["urls"] == ["json://bot:***@127.0.0.1:9/hook"]
    assert shown["fetch"]["allow_private_addresses"] is True
    assert "hunter2" not in result.output


def test_opml_round_trip(config_file: Path, tmp_path: Path) -> None:
    invoke("--config", str(config_file), "poll", "--once", "--feed", "local")
    out = tmp_path / "feeds.opml"
    assert invoke("--config", str(config_file), "feeds", "export-opml", str(out)).exit_code == 0
    assert b"/feed.xml" in out.read_bytes()

    other_db = tmp_path / "other.db"
    added = invoke("--db", str(other_db), "--config", str(tmp_path / "absent.yaml"), "feeds", "import-opml", str(out))
    assert added.exit_code == 0, added.output
    assert "2 feeds added, 0 already present" in added.output
    again = invoke("--db", str(other_db), "--config", str(tmp_path / "absent.yaml"), "feeds", "import-opml", str(out))
    assert "0 feeds added, 2 already present" in again.output


def test_hostile_opml_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>')
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "--config", str(tmp_path / "none.yaml"),
                                      "feeds", "import-opml", str(bad)])
    assert result.exit_code == 1
    assert "bad.opml" in result.output


def test_config_errors_exit_2_with_the_key(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "config.yaml"
    path.write_text("fetch:\n  max_bytes: huge\n")
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(path), "check-config"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "fetch.max_bytes: 'huge' is not a size" in proc.stderr


def test_the_incident_table_never_cuts_a_number() -> None:
    """An incident told by 2,000 outlets is not shown as told by 200; text is cut to its column."""
    from monitor.cli.incidents import incident_table

    row = {
        "id": 1234567, "event_date": "2025-06-01", "date_precision": "day", "place": "Boulkessi",
        "admin1": "Mopti", "event_type": "Battles", "actors": "JNIM, FAMa", "killed_low": 30,
        "killed_best": 30, "killed_high": 60, "publishers": 2000, "state": "ESCALATED",
    }  # fmt: skip
    header, line = incident_table([row]).splitlines()
    assert line.split()[0] == "1234567" and " 2000 " in line
    assert header.index("pub") == line.index("2000") and header.index("date") == line.index("2025-06-01")
    assert incident_table([row | {"place": "X" * 60}]).count("X") == 28
