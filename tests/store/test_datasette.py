"""Datasette, which analysts use on the register: the shipped datasette.yaml, served for real.

datasette.yaml's table and column descriptions are docs/schema.md's (scripts/build_datasette.py
writes them); its canned queries are fetched as JSON from a real Datasette started as a
subprocess on 127.0.0.1 over a filled register.
"""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from monitor.alerts import sample_draft
from monitor.config import FeedConfig
from monitor.daemon import Register
from monitor.models import FetchResult
from monitor.store import Store
from tests.alertkit import free_port
from tests.conftest import ROOT
from tests.daemonkit import wait_for
from tests.incidentkit import NOW, RULES

METADATA = ROOT / "datasette.yaml"


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_datasette", ROOT / "scripts" / "build_datasette.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_datasette_yaml_describes_tables_and_columns_as_docs_schema_does() -> None:
    shipped = METADATA.read_text(encoding="utf-8")
    assert shipped == build_script().built(yaml.safe_load(shipped)), (
        "datasette.yaml is stale against docs/schema.md: run python scripts/build_datasette.py"
    )


def test_every_table_and_view_of_the_register_is_described(tmp_path: Path) -> None:
    tables = yaml.safe_load(METADATA.read_text(encoding="utf-8"))["databases"]["sahel-monitor"]["tables"]
    with Store(tmp_path / "sahel-monitor.db") as store:
        names = {row[0] for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'articles_fts_%'")}
        assert names == set(tables)
        for name in names:
            columns = {row[1] for row in store.db.execute(f"PRAGMA table_info([{name}])")}
            described = set(tables[name].get("columns", {}))
            assert described <= columns, name
    assert tables["v_incidents"]["columns"]["lat"] == "latitude"


# --- a real Datasette --------------------------------------------------------------


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register with feeds in every state, the known incidents, and an alert to deliver."""
    db = tmp_path_factory.mktemp("datasette") / "sahel-monitor.db"  # Datasette names it sahel-monitor
    with Store(db) as store:
        store.sync_feeds([FeedConfig(name=name, url=f"https://{name}.example/rss") for name in ("tamani", "malijet", "kibaru")], NOW)
        tamani = store.feed("tamani")
        malijet = store.feed("malijet")
        assert tamani is not None and malijet is not None
        polled = FetchResult(url=tamani.url, final_url=tamani.url, status=200, body=b"<rss/>", elapsed=0.2)
        store.record_poll_success(tamani.id, now=NOW, next_poll=NOW + timedelta(minutes=15), result=polled,
                                  items=3, new_items=1)
        store.record_poll_failure(malijet.id, now=NOW, next_poll=NOW + timedelta(hours=1), result=None,
                                  error="HTTP 503 from https://malijet.example/rss", error_kind="http")
        store.disable_feed("kibaru", NOW)
        Register(store, RULES, lambda: None, lambda _c: [], lambda: NOW).load_seeds()  # type: ignore[arg-type, return-value]
        store.add_alerts([sample_draft(NOW)])
    return db


@pytest.fixture(scope="module")
def datasette(register: Path) -> Iterator[str]:
    """`datasette serve sahel-monitor.db -m datasette.yaml` on 127.0.0.1; its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", str(register), "-m", str(METADATA),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _up(base) or proc.poll() is not None, timeout=60, what="Datasette listening")
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


def fetch(base: str, path: str) -> Any:
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
        return json.loads(response.read())


def incidents(db: Path) -> list[dict[str, Any]]:
    with Store(db) as store:
        return [dict(row) for row in store.db.query(
            "SELECT id, event_date, lat, lon, historical FROM incidents WHERE merged_into IS NULL")]


def test_latest_incidents_lists_the_current_ones_newest_first(datasette: str, register: Path) -> None:
    rows = fetch(datasette, "/sahel-monitor/latest_incidents.json?_shape=array")
    expected = {i["id"] for i in incidents(register) if not i["historical"]}
    assert len(expected) >= 8 and {row["id"] for row in rows} == expected
    dates = [row["event_date"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert {"place", "killed_low", "killed_best", "killed_high", "lat", "lon"} <= set(rows[0])


def kilometres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance, computed here apart from the query's SQL."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


@pytest.mark.parametrize("km, at_least", [(10, 2), (300, 3)])
def test_incidents_near_a_place_are_those_within_the_distance_nearest_first(
    datasette: str, register: Path, km: int, at_least: int
) -> None:
    lat, lon = 16.7735, -3.0074  # Timbuktu; Asday is 5 km away
    rows = fetch(datasette, f"/sahel-monitor/incidents_near.json?lat={lat}&lon={lon}&km={km}&_shape=array")
    everywhere = {i["id"]: kilometres(lat, lon, i["lat"], i["lon"]) for i in incidents(register) if i["lat"] is not None}
    assert {row["id"] for row in rows} == {id_ for id_, distance in everywhere.items() if distance <= km}
    assert at_least <= len(rows) < len(everywhere)
    assert [row["km"] for row in rows] == sorted(round(everywhere[row["id"]], 1) for row in rows)


def test_feed_health_puts_the_feeds_in_trouble_first(datasette: str) -> None:
    rows = fetch(datasette, "/sahel-monitor/feed_health.json?_shape=array")
    assert [(r["name"], r["state"], r["error_count"]) for r in rows] == [
        ("malijet", "failing", 1), ("tamani", "ok", 0), ("kibaru", "disabled", 0),
    ]
    assert rows[0]["last_error"] == "HTTP 503 from https://malijet.example/rss"


def test_pending_alerts_lists_the_outbox_not_delivered_yet(datasette: str) -> None:
    rows = fetch(datasette, "/sahel-monitor/pending_alerts.json?_shape=array")
    assert [(r["id"], r["state"]) for r in rows] == [(sample_draft(NOW).alert_id, "pending")]


def test_datasette_shows_the_descriptions_of_docs_schema(datasette: str) -> None:
    metadata = fetch(datasette, "/-/metadata.json")
    columns = metadata["databases"]["sahel-monitor"]["tables"]["v_incidents"]["columns"]
    assert columns["killed_best"] == "killed, best count"
