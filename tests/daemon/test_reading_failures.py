"""Failures are values: an article whose reading fails is recorded as failed, never blocks the
others, is not read again at every cycle, and is read again once the reader changes.

A real SQLite file, the real extractor behind a reader that raises on the articles we poison
(``Register`` and ``Poller`` take the reader they are given), the real poll cycle.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.collect.fetch import Fetcher
from monitor.config import Config, IncidentsConfig, WatchlistConfig
from monitor.daemon import (
    NewArticle,
    Poller,
    Register,
    incident_step,
    reader_version,
    shared_extractor,
)
from monitor.daemon.cycle import CATCH_UP_BATCH
from monitor.models import ArticleRecord
from monitor.resources import SEEDS_DIR
from monitor.store import Store
from tests.daemon.poisoned import POISON, attack
from tests.daemonkit import ROOT, query, stop_daemon, wait_for, write_config

NOW = datetime(2025, 6, 6, 12, 0, tzinfo=UTC)
class PoisonedReader:
    """The real extractor, except that it raises on a poisoned text, as a reader's bug would."""

    def __init__(self) -> None:
        self.real = shared_extractor()
        self.calls: list[str] = []

    def read(self, text: str, published: date, lang: str | None = None, title: str = "") -> Any:
        self.calls.append(text)
        if POISON in text:
            raise ValueError(f"cannot read a count in {text.split(chr(10))[0]!r}")
        return self.real.read(text, published, lang=lang, title=title)

    def calls_on(self, text: str) -> int:
        return self.calls.count(text)


def local_record(text: str, published: datetime = NOW) -> ArticleRecord:
    return ArticleRecord(
        guid=None, url=None, link=None, title=text.split("\n")[0], summary="", text=text,
        published=published, fetched=published, language="fr", extraction_status="local",
        extraction_error=None, content_hash=f"hash {text}",
    )  # fmt: skip


def store_unread(store: Store, texts: list[str], published: datetime = NOW) -> list[int]:
    """Articles stored and never read: a stop or a crash came in between."""
    return [article_id for article_id, _ in store.save_local_articles([local_record(t, published) for t in texts])]


def state(store: Store, article_id: int) -> dict[str, Any]:
    return store.reading_states([article_id])[article_id]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "monitor.db") as s:
        yield s


def poller_for(store: Store, reader: PoisonedReader, extra: dict[str, Any] | None = None) -> Poller:
    config = Config(
        database=str(store.path),
        incidents=IncidentsConfig(load_seeds=False),
        watchlist=WatchlistConfig(extra_terms=extra or {}),
    )
    return Poller(config, store, Fetcher(config.fetch), clock=lambda: NOW, extractor=reader)


def test_the_reader_version_follows_the_package_the_reading_data_and_the_extension(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds, ignore=shutil.ignore_patterns("__pycache__"))
    shipped = reader_version()
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*\+[0-9a-f]{12}", shipped)
    assert reader_version(seeds) == shipped == reader_version()  # a copy is the same reader
    os.utime(seeds / "gazetteer.csv", ns=(1, 1))
    assert reader_version(seeds) == shipped  # content, not times

    assert reader_version(extra={"context": ["Boucle du Niger"]}) != shipped
    watchlist = seeds / "watchlist.yaml"
    watchlist.write_text(watchlist.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert reader_version(seeds) != shipped
    (seeds / "watchlist.yaml").unlink()
    shutil.copy(SEEDS_DIR / "watchlist.yaml", seeds / "watchlist.yaml")
    with (seeds / "gazetteer.csv").open("a", encoding="utf-8") as gazetteer:
        gazetteer.write("9999999,Nowhere,,PPL,ML,Mopti,Douentza,15.0,-2.0,0\n")
    assert reader_version(seeds) != shipped
    monkeypatch.setattr(incident_step, "__version__", "9.9.9")
    assert reader_version().startswith("9.9.9+")


def test_a_failing_article_is_recorded_and_the_rest_of_its_batch_is_read_and_linked(store: Store) -> None:
    texts = [attack(1), attack(2, poisoned=True), attack(3)]
    ids = store_unread(store, texts)
    reader = PoisonedReader()
    register = Register(store, IncidentsConfig(), lambda: reader, lambda _changes: [], lambda: NOW, version="r1")
    articles = [NewArticle(i, t.split("\n")[0], t, NOW, "fr", "Tamani") for i, t in zip(ids, texts)]

    done = register.process(articles)

    assert [p.failed for p in done] == [False, True, False]
    assert done[1].error is not None and done[1].error.startswith("ValueError: cannot read a count")
    failed = state(store, ids[1])
    assert (failed["state"], failed["reader_version"]) == ("failed", "r1")
    assert failed["read_error"] == done[1].error
    assert re.search(r" \(incident_step\.py:\d+ in process_one\)$", failed["read_error"])  # our last line: for a bug report
    assert store.reports_of_article(ids[1]) == []
    for article_id in (ids[0], ids[2]):
        assert state(store, article_id)["state"] == "relevant"
        linked = store.reports_of_article(article_id)
        assert linked and all(r["incident_id"] is not None for r in linked)
    assert store.article(ids[1])["read_failed_at"] == NOW  # type: ignore[index]


def test_a_failed_article_waits_for_another_reader_then_is_read(store: Store) -> None:
    poisoned = attack(2, poisoned=True)
    ids = store_unread(store, [attack(1), poisoned])
    reader = PoisonedReader()
    poller = poller_for(store, reader)
    try:
        first = poller.run_cycle([])
        assert (first.caught_up, first.unreadable) == (2, 1)
        assert reader.calls_on(poisoned) == 1
        for _ in range(3):
            again = poller.run_cycle([])
            assert (again.caught_up, again.unreadable) == (0, 0)
        assert reader.calls_on(poisoned) == 1  # not tried again at every cycle
        assert state(store, ids[1])["state"] == "failed"
    finally:
        poller.close()

    # the reader changes (here: the config's watch list extension, as a reload brings it) and
    # is fixed: the failed article is read at the next cycle, and its failure is gone
    extra = {"context": ["Boucle du Niger"]}
    assert reader_version(extra=extra) != reader_version()
    fixed = PoisonedReader()
    fixed.read = lambda text, published, lang=None, title="": fixed.real.read(  # type: ignore[method-assign]
        text.replace(POISON, ""), published, lang=lang, title=title
    )
    poller = poller_for(store, fixed, extra)
    try:
        summary = poller.run_cycle([])
        assert (summary.caught_up, summary.unreadable) == (1, 0)
    finally:
        poller.close()
    after = store.article(ids[1])
    assert after is not None
    assert (after["relevant"], after["read_error"], after["reader_version"]) == (True, None, reader_version(extra=extra))
    assert store.reports_of_article(ids[1])[0]["incident_id"] is not None


def test_the_catch_up_pages_through_unread_articles_whatever_their_age(store: Store) -> None:
    """250 failing articles first, then 30 good ones, published long ago: the good ones are read."""
    long_ago = NOW - timedelta(days=90)
    poisoned = store_unread(store, [attack(n, poisoned=True) for n in range(250)], long_ago)
    good = store_unread(store, [attack(1000 + n) for n in range(30)], long_ago)
    reader = PoisonedReader()
    poller = poller_for(store, reader)
    try:
        first = poller.run_cycle([])
        assert (first.caught_up, first.unreadable) == (CATCH_UP_BATCH, CATCH_UP_BATCH)
        second = poller.run_cycle([])  # takes up where the first stopped
        assert (second.caught_up, second.unreadable) == (80, 50)
        third = poller.run_cycle([])
        assert third.caught_up == 0
    finally:
        poller.close()
    assert all(state(store, i)["state"] == "relevant" for i in good)
    assert all(state(store, i)["state"] == "failed" for i in poisoned)
    assert len(reader.calls) == 280  # each read once


def test_an_ingested_article_read_later_is_told_by_the_publisher_ingest_was_given(store: Store) -> None:
    """ingest stored it and a stop came before reading: the catch-up keeps its publisher, not
    the URL's host, so that the same source is not counted as two."""
    given = dataclasses.replace(
        local_record(attack(7)), url="https://www.maliweb.example/a/7", publisher="Studio Tamani"
    )
    [(article_id, _)] = store.save_local_articles([given])
    poller = poller_for(store, PoisonedReader())
    try:
        assert [p.article_id for p in poller.catch_up()] == [article_id]
    finally:
        poller.close()
    reports = store.reports_of_article(article_id)
    assert reports and {r["publisher"] for r in reports} == {"Studio Tamani"}


def test_catch_up_starts_again_from_the_oldest_once_it_has_seen_them_all(store: Store) -> None:
    """An article left unread below the catch-up's place (the register was busy) is not forgotten."""
    ids = store_unread(store, [attack(n) for n in range(5)])
    reader = PoisonedReader()
    poller = poller_for(store, reader)
    try:
        assert len(poller.catch_up(batch=3)) == 3
        left_behind = store_unread(store, [attack(99)])  # newer: found on the next page
        assert [p.article_id for p in poller.catch_up(batch=3)] == [ids[3], ids[4], left_behind[0]]
        assert poller.catch_up(batch=3) == []  # a full page came last: one empty look, then from the start
        store.db.execute("UPDATE articles SET relevant = NULL, relevance = NULL WHERE id = ?", [ids[0]])
        assert [p.article_id for p in poller.catch_up(batch=3)] == [ids[0]]
    finally:
        poller.close()


# --- the real daemon --------------------------------------------------------------------------


@pytest.mark.daemon
def test_the_daemon_reads_past_failing_articles_and_does_not_retry_them_at_every_tick(tmp_path: Path) -> None:
    """250 failing articles, then 30 good ones, all stored long ago and never read; no feed is due."""
    config = write_config(tmp_path / "config.yaml", [], incidents={"load_seeds": False})
    db = tmp_path / "monitor.db"
    long_ago = NOW - timedelta(days=90)
    with Store(db) as prepared:
        poisoned = store_unread(prepared, [attack(n, poisoned=True) for n in range(250)], long_ago)
        good = store_unread(prepared, [attack(1000 + n) for n in range(30)], long_ago)

    log = tmp_path / "daemon.log"  # a file, not a pipe: 250 tracebacks would fill a pipe and block it
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.daemon.poisoned", "--config", str(config), "run"],
            cwd=ROOT, stdout=sink, stderr=sink, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        try:
            wait_for(lambda: query(db, f"select count(*) from articles where relevant is not null and id >= {good[0]}") == [(30,)],
                     timeout=60, what="the 30 good articles read")  # fmt: skip
            failed_then = query(db, "select count(*) from articles where read_error is not null")
            time.sleep(2.0)  # four more ticks of 0.5 s
        finally:
            status, _, _ = stop_daemon(proc)
    err = log.read_text(encoding="utf-8")
    assert status == 0, err[-3000:]
    assert failed_then == [(250,)]
    failures = re.findall(r"article (\d+): reading failed \(reader ([^)]+)\)", err)
    assert sorted(int(article_id) for article_id, _ in failures) == poisoned  # each once, not at every tick
    assert {version for _, version in failures} == {reader_version()}
    assert query(db, "select count(*) from articles where relevant is null and read_error is null") == [(0,)]
