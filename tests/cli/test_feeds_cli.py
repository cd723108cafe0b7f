"""`sahel-monitor feeds import-opml|export-opml|disable|enable|remove` over a real store and feed server."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.store import Store
from tests.feedgen import items_for, rss
from tests.httpserver import LocalHTTPServer, Response

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Veille</title></head><body>
  <outline text="Mali">
    <outline text="Le Monde" xmlUrl="https://www.lemonde.fr/afrique/rss_full.xml"/>
    <outline text="Presse">
      <outline text="Maliweb" xmlUrl="https://www.maliweb.net/feed"/>
    </outline>
  </outline>
  <outline text="Le Monde" xmlUrl="https://www.lemonde.fr/international/rss_full.xml"/>
  <outline text="Piège" xmlUrl="javascript:alert(1)"/>
  <outline text="Fichier" xmlUrl="file:///etc/shadow"/>
  <outline text="Maliweb again" xmlUrl="https://www.maliweb.net/feed"/>
</body></opml>
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def db(tmp_path: Path) -> list[str]:
    """Global options for a store without a config file."""
    return ["--db", str(tmp_path / "monitor.db"), "--config", str(tmp_path / "absent.yaml")]


def test_import_keeps_same_named_feeds_refuses_other_schemes_and_keeps_folders(db: list[str], tmp_path: Path) -> None:
    opml = tmp_path / "veille.opml"
    opml.write_text(OPML, encoding="utf-8")
    result = run(*db, "feeds", "import-opml", str(opml))
    assert result.exit_code == 0, result.output
    assert result.stdout == "3 feeds added, 1 already present, 1 renamed, 2 refused\n"
    assert result.stderr.splitlines() == [
        f"{opml}: refused 'Piège' (javascript:alert(1)): not an http(s) URL, not added",
        f"{opml}: refused 'Fichier' (file:///etc/shadow): not an http(s) URL, not added",
        "renamed: 'Le Monde' (https://www.lemonde.fr/international/rss_full.xml) added as 'Le Monde (2)': the name was taken",
        "already present: 'Maliweb again' (https://www.maliweb.net/feed) is polled as 'Maliweb'",
    ]
    with Store(tmp_path / "monitor.db") as store:
        assert [(r["name"], r["category"]) for r in store.subscriptions()] == [
            ("Le Monde", "Mali"), ("Maliweb", "Mali / Presse"), ("Le Monde (2)", None),
        ]

    exported = tmp_path / "out.opml"
    assert run(*db, "feeds", "export-opml", str(exported)).exit_code == 0
    body = ET.fromstring(exported.read_bytes()).find("body")
    assert body is not None
    assert [o.get("text") for o in body] == ["Mali", "Le Monde (2)"]
    assert [o.get("text") for o in body.iterfind("outline[@text='Mali']/outline[@text='Presse']/outline")] == ["Maliweb"]

    again = run(*db, "feeds", "import-opml", str(exported))
    assert again.stdout == "0 feeds added, 3 already present\n"


@pytest.fixture
def config(tmp_path: Path, http_server: LocalHTTPServer) -> list[str]:
    for path in ("/a.xml", "/b.xml"):
        http_server.route(path, Response(body=rss(items_for(http_server.base_url, 1, 1))))
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({
        "database": "monitor.db",
        "feeds": [{"name": "alpha", "url": http_server.url("/a.xml")}, {"name": "beta", "url": http_server.url("/b.xml")}],
        "fetch": {"allow_private_addresses": True, "fetch_pages": False},
    }), encoding="utf-8")
    return ["--config", str(tmp_path / "config.yaml")]


def test_a_feed_disabled_by_command_stays_off_while_the_config_lists_it(
    config: list[str], http_server: LocalHTTPServer
) -> None:
    assert run(*config, "poll", "--once").exit_code == 0
    disabled = run(*config, "feeds", "disable", "alpha")
    assert disabled.exit_code == 0
    assert disabled.stdout == (
        "feed 'alpha' disabled: not polled from the daemon's next tick, and it stays off through restarts and"
        " reloads, even while config.yaml lists it, until `sahel-monitor feeds enable alpha`\n"
    )
    assert "already disabled, since" in run(*config, "feeds", "disable", "alpha").stdout
    polls = len(http_server.requests_to("/a.xml"))
    assert "1 feeds polled" in run(*config, "poll", "--once").stdout  # the config was synced first: alpha stays off
    assert len(http_server.requests_to("/a.xml")) == polls
    health = run(*config, "feeds").stdout
    assert "alpha                     disabled" in health and "why: `sahel-monitor feeds disable` on" in health

    assert run(*config, "feeds", "enable", "alpha").stdout == "feed 'alpha' enabled: polled at the daemon's next tick\n"
    assert "2 feeds polled" in run(*config, "poll", "--once").stdout
    assert run(*config, "feeds", "enable", "alpha").stdout == "feed 'alpha' is already enabled\n"


def test_remove_refuses_a_config_feed_and_unknown_names_are_errors(config: list[str]) -> None:
    assert run(*config, "poll", "--once").exit_code == 0  # the config's feeds enter the register
    refused = run(*config, "feeds", "remove", "alpha")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: feed 'alpha' comes from config.yaml: delete it there and reload (`systemctl reload sahel-monitor`);"
        " `sahel-monitor feeds disable alpha` stops polling it now\n"
    )
    for command in ("disable", "enable", "remove"):
        unknown = run(*config, "feeds", command, "nope")
        assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: no feed named 'nope' in the register")
