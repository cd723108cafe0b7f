"""Failures are values at the command line: ``extract``, ``ingest``, ``poll --once``, ``articles``, ``feeds``.

The reading failures here happen for real inside the reader: one step of it (the watch-list
scan, ``Matcher.scan``) is patched in process to raise on texts marked POISON, as a bug in the
reader would on some text. The articles are our own sentences; the store a real SQLite file.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from monitor.cli import cli
from monitor.daemon.cycle import CATCH_UP_BATCH
from monitor.models import ArticleRecord
from monitor.reading import Matcher
from monitor.store import Store
from tests.conftest import ROOT
from tests.daemon.poisoned import BrokenScan, attack


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> BrokenScan:
    broken = BrokenScan()
    monkeypatch.setattr(Matcher, "scan", broken.wrap(Matcher.scan))
    return broken


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    write_config(tmp_path)
    yield tmp_path


def write_config(folder: Path, **extra: Any) -> Path:
    path = folder / "config.yaml"
    data = {"database": "register.db", "incidents": {"load_seeds": False}, **extra}
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def run(workdir: Path, *args: str, status: int = 0, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(cli, ["--config", str(workdir / "config.yaml"), *args], input=stdin, catch_exceptions=False)
    assert result.exit_code == status, result.output
    return result


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


# --- extract --------------------------------------------------------------------------------


def test_extract_prints_the_error_of_the_failing_item_goes_on_and_exits_3(workdir: Path, scans: BrokenScan) -> None:
    items = [{"id": n, "text": attack(n, poisoned=n == 2), "published": "2025-06-06"} for n in (1, 2, 3)]
    result = run(workdir, "extract", "--jsonl", "-", status=3, stdin="\n".join(json.dumps(i) for i in items))
    first, failed, third = json_lines(result.stdout)
    assert failed["id"] == 2 and set(failed) == {"id", "error"}
    assert failed["error"].startswith("ValueError: unbalanced figure in the text (")
    assert first["relevant"] and third["relevant"] and first["reports"] and third["reports"]
    assert "Error: 2: reading failed: ValueError" in result.stderr


def test_extract_says_a_reading_failed_even_beside_a_bad_input(workdir: Path, scans: BrokenScan) -> None:
    bad = workdir / "missing.txt"
    poisoned = workdir / "poisoned.txt"
    poisoned.write_text(attack(1, poisoned=True), encoding="utf-8")
    result = run(workdir, "extract", str(bad), str(poisoned), status=3)
    assert [set(line) for line in json_lines(result.stdout)] == [{"id", "error"}]
    assert "missing.txt: cannot read" in result.stderr


def test_extract_reads_a_json_line_with_half_a_surrogate_pair(workdir: Path) -> None:
    """JSON can escape what no output can encode: once it cost the whole run."""
    items = ['{"id": 1, "text": "Des hommes armés ont tué 12 soldats à Gao \\ud800 lundi."}', json.dumps({"id": 2, "text": attack(2)})]
    result = run(workdir, "extract", "--jsonl", "-", "--published", "2025-06-06", stdin="\n".join(items))
    assert [line["id"] for line in json_lines(result.stdout)] == [1, 2]
    assert all(line["relevant"] for line in json_lines(result.stdout))


# --- ingest, articles, feeds ---------------------------------------------------------------


def test_ingest_records_a_failure_shows_it_and_retries_it_only_with_another_reader(workdir: Path, scans: BrokenScan) -> None:
    files = []
    for n in (1, 2, 3):
        path = workdir / f"a{n}.txt"
        path.write_text(attack(n, poisoned=n == 2), encoding="utf-8")
        files.append(str(path))

    first = run(workdir, "ingest", "--published", "2025-06-06", *files, status=3)
    assert "a1.txt: article 1, relevant" in first.stdout and "a3.txt: article 3, relevant" in first.stdout
    assert "a2.txt: article 2 stored, reading failed: ValueError: unbalanced figure in the text" in first.stdout

    listed = run(workdir, "articles", "--failed")
    assert "failed" in listed.stdout and "why: ValueError: unbalanced figure in the text" in listed.stdout
    assert "read again when the reader changes" in listed.stdout
    assert "3 articles stored: 2 read (2 relevant), reading failed for 1" in listed.stderr
    (failed,) = json_lines(run(workdir, "articles", "--failed", "--json").stdout)
    assert (failed["id"], failed["state"], failed["retry_next_cycle"]) == (2, "failed", False)
    assert "reading failed for 1 (sahel-monitor articles --failed)" in run(workdir, "feeds").stdout

    scanned = len(scans.seen)
    again = run(workdir, "ingest", "--published", "2025-06-06", *files, status=3)
    assert len(scans.seen) == scanned  # nothing read again: the same reader would fail the same way
    assert "a2.txt: article 2 stored; its reading failed before: ValueError" in again.stdout
    assert "a1.txt: already stored and read (article 1), nothing to do" in again.stdout

    # another reader (the config extends the watch list; the bug is fixed): it is read now
    scans.fixed = True
    write_config(workdir, watchlist={"extra_terms": {"context": ["Boucle du Niger"]}})
    assert json_lines(run(workdir, "articles", "--failed", "--json").stdout)[0]["retry_next_cycle"] is True
    fixed = run(workdir, "ingest", "--json", "--published", "2025-06-06", files[1].replace("a2", "a1"), status=0)
    assert json_lines(fixed.stdout)[0]["state"] == "relevant"
    assert "caught up 1 articles stored earlier but not read: 1 relevant, reading failed for 0" in fixed.stderr
    with Store(workdir / "register.db") as store:
        assert store.reading_counts() == {"stored": 3, "read": 3, "relevant": 3, "unread": 0, "failed": 0}


# --- poll --once ----------------------------------------------------------------------------


def test_250_failing_articles_do_not_keep_poll_once_from_later_articles(workdir: Path, scans: BrokenScan) -> None:
    long_ago = datetime(2025, 1, 10, 8, tzinfo=UTC)
    with Store(workdir / "register.db") as store:
        records = [_record(attack(n, poisoned=True), long_ago) for n in range(250)]
        records += [_record(attack(1000 + n), long_ago + timedelta(days=1)) for n in range(40)]
        saved = store.save_local_articles(records)
    good = [article_id for article_id, _ in saved[250:]]

    first = run(workdir, "poll", "--once")
    assert f"{CATCH_UP_BATCH} articles stored earlier read; reading failed for {CATCH_UP_BATCH}" in first.stdout
    second = run(workdir, "poll", "--once")
    assert "90 articles stored earlier read; reading failed for 50" in second.stdout
    scanned = len(scans.seen)
    third = run(workdir, "poll", "--once")
    assert "stored earlier" not in third.stdout and len(scans.seen) == scanned  # nothing read twice

    with Store(workdir / "register.db") as store:
        states = store.reading_states(good)
        assert {states[i]["state"] for i in good} == {"relevant"}
        assert store.reading_counts()["failed"] == 250


def _record(text: str, published: datetime) -> ArticleRecord:
    return ArticleRecord(
        guid=None, url=None, link=None, title=text.split("\n")[0], summary="", text=text, published=published,
        fetched=published, language="fr", extraction_status="local", extraction_error=None, content_hash=f"h {text}",
    )  # fmt: skip


# --- an interrupted ingest ------------------------------------------------------------------


def read_count(db: Path, which: str = "relevant IS NOT NULL") -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(conn.execute(f"SELECT count(*) FROM articles WHERE {which}").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet
    finally:
        conn.close()


def ingest_command(workdir: Path, files: list[str]) -> list[str]:
    # published long ago: once such articles, left unread, were never read again
    return [sys.executable, "-m", "monitor", "--config", str(workdir / "config.yaml"), "--log-level", "WARNING",
            "ingest", "--published", "2025-01-15", "--batch", str(len(files)), *files]  # fmt: skip


def everyday_news(n: int) -> str:
    return f"Le marché numéro {n} de Bamako rouvre\nLe marché numéro {n} de Bamako a rouvert ce matin après des travaux, a indiqué la mairie.\n"


def kill_when_reading(proc: subprocess.Popen[bytes], db: Path) -> None:
    """SIGKILL as soon as the first article is read: the articles are stored, most are not read."""
    deadline = time.monotonic() + 60
    while not db.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    conn = sqlite3.connect(db, timeout=5)
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if conn.execute("SELECT 1 FROM articles WHERE relevant IS NOT NULL LIMIT 1").fetchone():
                    break
            except sqlite3.OperationalError:
                pass  # the schema is not there yet
            time.sleep(0.002)
    finally:
        conn.close()
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


TOTAL = 600


def test_an_ingest_killed_midway_run_again_reads_everything_and_says_so(workdir: Path) -> None:
    files = []
    for n in range(TOTAL):
        path = workdir / f"article{n:03}.txt"
        path.write_text(attack(n) if n % 100 == 0 else everyday_news(n), encoding="utf-8")
        files.append(str(path))
    db = workdir / "register.db"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}

    proc = subprocess.Popen(ingest_command(workdir, files), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kill_when_reading(proc, db)
    read_before = read_count(db)
    assert 0 < read_before < TOTAL, f"the kill came too late to test anything: {read_before} read"
    assert read_count(db, "1") == TOTAL  # one batch: all were stored before any was read

    again = subprocess.run(ingest_command(workdir, files), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-2000:]
    assert read_count(db) == TOTAL
    lines = again.stdout.splitlines()
    assert sum("already stored and read" in line for line in lines) == read_before
    unread = TOTAL - read_before
    assert sum("stored earlier but not read; read now: " in line for line in lines) == unread
    assert f"caught up {unread} articles stored earlier but not read" in again.stderr
