from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import monitor.store.schema as schema_module
from monitor.config import FeedConfig
from monitor.models import ArticleRecord, FetchErrorKind, FetchResult
from monitor.store import MIGRATIONS, NewFeed, Store, StoreError, fts_query
from tests.conftest import ROOT

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)

# A test of an old migration fills a file built by the first migrations with today's code,
# which writes an article's publisher (migration 8): the old file gets that one column first.
OLD_FILE_WRITTEN_BY_TODAYS_CODE = "ALTER TABLE articles ADD COLUMN publisher TEXT"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "monitor.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as s:
        yield s


def feed_config(name: str, url: str | None = None, **extra: Any) -> FeedConfig:
    return FeedConfig(name=name, url=url or f"https://{name}.example/rss", **extra)


def make_feed(store: Store, name: str = "tamani", **extra: Any) -> int:
    store.sync_feeds([*_configured(store), feed_config(name, **extra)], NOW)
    feed = store.feed(name)
    assert feed is not None
    return feed.id


def _configured(store: Store) -> list[FeedConfig]:
    rows = store.db.query("SELECT name, config_url FROM feeds WHERE origin = 'config' AND state != 'removed'")
    return [feed_config(row["name"], row["config_url"]) for row in rows]


def record(n: int = 1, **overrides: Any) -> ArticleRecord:
    text = overrides.pop("text", f"Attaque à Bamako numéro {n}: des soldats tués.")
    values: dict[str, Any] = dict(
        guid=f"guid-{n}",
        url=f"https://news.example/a/{n}",
        link=f"https://news.example/a/{n}?utm_source=rss",
        title=f"Article {n}",
        summary=f"Résumé {n}",
        text=text,
        published=NOW - timedelta(hours=n),
        fetched=NOW,
        language="fr",
        extraction_status="ok",
        extraction_error=None,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    values.update(overrides)
    return ArticleRecord(**values)


def ok_result(url: str = "https://tamani.example/rss", **extra: Any) -> FetchResult:
    values: dict[str, Any] = dict(url=url, final_url=url, status=200, body=b"<rss/>", elapsed=0.25)
    values.update(extra)
    return FetchResult(**values)


def feed_row(store: Store, name: str) -> dict[str, Any]:
    return next(store.db.query("SELECT * FROM feeds WHERE name = ?", [name]))


def fetch_log(store: Store) -> list[dict[str, Any]]:
    return list(store.db.query("SELECT * FROM fetch_log ORDER BY id"))


# --- opening and migrations ------------------------------------------------------


def test_migrates_an_empty_file_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "monitor.db"
    with Store(path) as first:
        assert first.schema_version() == len(MIGRATIONS)
        assert {"feeds", "articles", "article_feeds", "fetch_log", "articles_fts"} <= set(first.db.table_names())
        first.sync_feeds([feed_config("tamani")], NOW)
    with Store(path) as again:
        assert again.schema_version() == len(MIGRATIONS)
        assert [f.name for f in again.all_feeds()] == ["tamani"]
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    raw.close()


def test_an_appended_migration_runs_once_on_an_existing_file(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db_path).close()
    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, "CREATE TABLE extra (x INTEGER);"])
    with Store(db_path) as s:
        assert s.schema_version() == len(MIGRATIONS) + 1
        assert "extra" in s.db.table_names()
    with Store(db_path) as s:  # would fail with "table extra already exists" if run twice
        assert s.schema_version() == len(MIGRATIONS) + 1


def test_a_store_opened_while_another_process_migrates_waits_for_the_version_it_lacks(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An ``ingest`` started while the upgraded daemon migrates waits, and its log names the
    migration it waits to run: a register at version 6 is not being taken to version 1."""
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:6])
    Store(db_path).close()
    monkeypatch.undo()
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA journal_mode = WAL")  # as the store leaves it while open
    holder.execute("BEGIN IMMEDIATE")  # the other process, in the middle of its migration
    releasing = threading.Timer(0.8, lambda: holder.execute("ROLLBACK"))
    releasing.start()
    try:
        with Store(db_path, busy_timeout_ms=100) as s:
            assert s.schema_version() == len(MIGRATIONS)
    finally:
        releasing.join()
        holder.close()
    waits = [r.getMessage() for r in caplog.records if "waits for another writer" in r.getMessage()]
    assert waits and all(w.startswith("migrate the schema to version 7 waits") for w in waits), waits


def test_a_failing_migration_leaves_no_trace(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db_path).close()
    broken = "CREATE TABLE half (x INTEGER); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(sqlite3.OperationalError):
        Store(db_path)
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0
    raw.close()


def test_a_function_migration_gets_the_database(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def add_notes(db: Any) -> None:
        db["notes"].create({"id": int, "body": str}, pk="id")

    monkeypatch.setattr(schema_module, "MIGRATIONS", [*MIGRATIONS, add_notes])
    with Store(db_path) as s:
        assert s.db["notes"].columns_dict == {"id": int, "body": str}
        assert s.schema_version() == len(MIGRATIONS) + 1


def test_migration_5_gives_existing_feeds_a_category_and_a_disabled_time_both_empty(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:4])
    with Store(db_path) as old:
        make_feed(old, "tamani")
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS)
    with Store(db_path) as new:
        assert new.schema_version() == len(MIGRATIONS) >= 5
        row = feed_row(new, "tamani")
        assert (row["category"], row["disabled_at"], row["enabled"]) == (None, None, 1)
        assert new.db.execute("SELECT count(*) FROM v_incidents").fetchone()[0] == 0


def test_pragmas_wal_and_friends(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_closing_leaves_a_plain_file_that_readers_open_without_writing(db_path: Path) -> None:
    with Store(db_path) as s:
        s.save_article(make_feed(s), record(1))
    siblings = sorted(p.name for p in db_path.parent.iterdir())
    assert siblings == [db_path.name]  # no -wal, no -shm: nothing a reader would have to create
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert reader.execute("SELECT title FROM articles").fetchall() == [("Article 1",)]
    finally:
        reader.close()
    with Store(db_path) as again:  # the next writer turns WAL on again
        assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_closing_while_another_connection_reads_keeps_wal_and_does_not_wait(db_path: Path) -> None:
    store = Store(db_path, busy_timeout_ms=600_000)
    store.save_article(make_feed(store), record(1))
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # holds a read lock
        closing = threading.Thread(target=store.close)
        closing.start()
        closing.join(timeout=20)  # it would wait out the busy timeout (10 min) for the reader's lock
        assert not closing.is_alive(), "close() waits for a reader"
        assert reader.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        reader.execute("COMMIT")
    finally:
        reader.close()
    assert {p.name for p in db_path.parent.iterdir()} >= {db_path.name, f"{db_path.name}-wal"}


def test_datasette_finds_the_full_text_index(store: Store) -> None:
    assert store.db["articles"].detect_fts() == "articles_fts"


def test_an_unopenable_path_raises_store_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unable to open") as caught:
        Store(tmp_path)  # a directory
    assert str(tmp_path) in str(caught.value)


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.feeds_due(datetime(2024, 5, 1, 12, 0))


def test_times_are_stored_as_sortable_utc_text(store: Store) -> None:
    paris_afternoon = datetime(2024, 5, 1, 16, 30, 15, 999, tzinfo=timezone(timedelta(hours=2)))
    store.sync_feeds([feed_config("tamani")], paris_afternoon)
    row = feed_row(store, "tamani")
    assert row["created"] == "2024-05-01T14:30:15Z"
    feed = store.feed("tamani")
    assert feed is not None and feed.next_poll == datetime(2024, 5, 1, 14, 30, 15, tzinfo=UTC)
    assert feed.next_poll.tzinfo is not None


# --- feeds -----------------------------------------------------------------------


def test_sync_feeds_inserts_new_feeds_due_now(store: Store) -> None:
    store.sync_feeds([feed_config("tamani", language="fr", interval="15m")], NOW)
    feed = store.feed("tamani")
    assert feed is not None
    assert (feed.url, feed.language, feed.interval, feed.enabled) == ("https://tamani.example/rss", "fr", 900, True)
    assert feed.next_poll == NOW and feed.error_count == 0
    row = feed_row(store, "tamani")
    assert (row["origin"], row["state"], row["items_total"]) == ("config", "new", 0)


def test_sync_feeds_updates_by_name_and_a_new_url_starts_afresh(store: Store) -> None:
    feed_id = make_feed(store, "tamani")
    store.record_poll_failure(feed_id, now=NOW, next_poll=NOW + timedelta(hours=1), result=None,
                              error="boom", error_kind="http")
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW + timedelta(hours=1),
                              result=ok_result(etag='"v1"', last_modified="Wed, 01 May 2024 10:00:00 GMT"),
                              items=1, new_items=1)
    store.record_poll_failure(feed_id, now=NOW, next_poll=NOW + timedelta(hours=1), result=None,
                              error="boom", error_kind="http")
    later = NOW + timedelta(minutes=5)
    store.sync_feeds([feed_config("tamani", language="fr", interval=3600)], later)
    feed = store.feed("tamani")
    assert feed is not None
    assert (feed.language, feed.interval, feed.etag, feed.error_count) == ("fr", 3600, '"v1"', 1)

    store.sync_feeds([feed_config("tamani", "https://new.example/feed", language="fr")], later)
    feed = store.feed("tamani")
    assert feed is not None
    assert feed.url == "https://new.example/feed"
    assert (feed.etag, feed.last_modified, feed.error_count, feed.next_poll) == (None, None, 0, later)
    assert feed.id == feed_id


def test_sync_feeds_removes_unlisted_config_feeds_and_revives_them(store: Store) -> None:
    store.sync_feeds([feed_config("tamani"), feed_config("maliweb")], NOW)
    store.add_feeds([NewFeed("opml-one", "https://opml.example/rss", "en", 1800)], NOW)
    store.sync_feeds([feed_config("tamani")], NOW)
    row = feed_row(store, "maliweb")
    assert (row["state"], row["enabled"]) == ("removed", 0)
    assert feed_row(store, "opml-one")["state"] == "new"  # OPML feeds are not the config's business
    assert [f.name for f in store.feeds_due(NOW)] == ["tamani", "opml-one"]

    later = NOW + timedelta(hours=1)
    store.sync_feeds([feed_config("tamani"), feed_config("maliweb")], later)
    row = feed_row(store, "maliweb")
    assert (row["state"], row["enabled"], row["next_poll"]) == ("new", 1, "2024-05-01T13:00:00Z")
    assert len(store.all_feeds()) == 3


def test_sync_feeds_with_no_feeds_removes_all_config_feeds(store: Store) -> None:
    store.sync_feeds([feed_config("tamani")], NOW)
    store.sync_feeds([], NOW)
    assert feed_row(store, "tamani")["state"] == "removed"
    assert store.feeds_due(NOW) == []


def test_add_feeds_keeps_every_feed_renaming_a_taken_name_and_skips_a_known_url(store: Store) -> None:
    store.sync_feeds([feed_config("tamani")], NOW)
    results = store.add_feeds(
        [
            NewFeed("tamani", "https://other.example/rss", None, 900),  # name taken, another feed
            NewFeed("copy", "https://tamani.example/rss", None, 900),  # url taken
            NewFeed("abamako", "https://abamako.example/rss", "fr", 1800, "Mali / Presse"),
            NewFeed("abamako-again", "https://abamako.example/rss", "fr", 1800),  # url taken in this batch
            NewFeed("tamani", "https://third.example/rss", None, 900),  # name taken twice now
        ],
        NOW,
    )
    assert [(r.outcome, r.stored_as) for r in results] == [
        ("renamed", "tamani (2)"), ("present", "tamani"), ("added", "abamako"), ("present", "abamako"),
        ("renamed", "tamani (3)"),
    ]
    row = feed_row(store, "abamako")
    assert (row["origin"], row["state"], row["interval_s"], row["language"]) == ("opml", "new", 1800, "fr")
    assert row["category"] == "Mali / Presse"
    assert feed_row(store, "tamani (2)")["url"] == "https://other.example/rss"
    again = store.add_feeds([NewFeed("abamako", "https://abamako.example/rss", "fr", 1800)], NOW)
    assert [(r.outcome, r.stored_as) for r in again] == [("present", "abamako")]


def test_a_disabled_feed_stays_off_through_every_sync_until_enabled(store: Store) -> None:
    listed = [feed_config("tamani"), feed_config("maliweb")]
    store.sync_feeds(listed, NOW)
    assert store.disable_feed("tamani", NOW) == "disabled"
    assert store.disable_feed("tamani", NOW) == "already"
    assert [f.name for f in store.feeds_due(NOW)] == ["maliweb"]
    later = NOW + timedelta(hours=1)
    store.sync_feeds(listed, later)  # a restart, a reload
    store.sync_feeds([feed_config("tamani", "https://moved.example/rss"), feed_config("maliweb")], later)  # a new URL
    store.sync_feeds([feed_config("maliweb")], later)  # dropped from the config...
    store.sync_feeds(listed, later)  # ... and listed again
    row = feed_row(store, "tamani")
    assert (row["enabled"], row["disabled_at"]) == (0, "2024-05-01T12:00:00Z")
    assert [f.name for f in store.feeds_due(later)] == ["maliweb"]
    assert store.enable_feed("tamani", later) == "enabled"
    assert sorted(f.name for f in store.feeds_due(later)) == ["maliweb", "tamani"]
    assert store.enable_feed("tamani", later) == "already"


def test_enable_brings_back_a_gone_feed_afresh_but_not_one_dropped_from_the_config(store: Store) -> None:
    feed_id = make_feed(store, "tamani")
    store.record_poll_failure(feed_id, now=NOW, next_poll=NOW, result=None, error="HTTP 410", error_kind="gone",
                              disable=True)
    assert (feed_row(store, "tamani")["state"], store.feeds_due(NOW)) == ("disabled", [])
    assert store.enable_feed("tamani", NOW) == "enabled"
    row = feed_row(store, "tamani")
    assert (row["state"], row["enabled"], row["error_count"]) == ("new", 1, 0)
    store.sync_feeds([], NOW)
    assert store.enable_feed("tamani", NOW) == "config_removed"
    assert store.enable_feed("nope", NOW) is None and store.disable_feed("nope", NOW) is None


def test_remove_drops_an_imported_feed_keeps_its_history_and_refuses_a_config_feed(store: Store) -> None:
    make_feed(store, "tamani")
    store.add_feeds([NewFeed("abamako", "https://abamako.example/rss", "fr", 1800)], NOW)
    feed_id = store.feed("abamako").id  # type: ignore[union-attr]
    store.save_article(feed_id, record(1))
    assert store.remove_feed("tamani") == "config"
    assert feed_row(store, "tamani")["enabled"] == 1
    assert store.disable_feed("abamako", NOW) == "disabled"
    assert store.remove_feed("abamako") == "removed"
    assert store.remove_feed("abamako") == "already" and store.remove_feed("nope") is None
    assert (feed_row(store, "abamako")["state"], store.feeds_due(NOW + timedelta(days=1))[0].name) == ("removed", "tamani")
    assert store.db["article_feeds"].count == 1  # its articles still say where they came from
    assert store.disable_feed("abamako", NOW) == "removed"
    [revived] = store.add_feeds([NewFeed("Abamako", "https://abamako.example/rss", "fr", 1800, "Mali")], NOW)
    assert (revived.outcome, revived.stored_as) == ("revived", "abamako")
    row = feed_row(store, "abamako")
    assert (row["state"], row["enabled"], row["category"]) == ("new", 1, "Mali")


def test_subscriptions_are_every_feed_not_removed_nor_gone(store: Store) -> None:
    store.sync_feeds([feed_config("tamani"), feed_config("gone"), feed_config("paused")], NOW)
    store.add_feeds([NewFeed("abamako", "https://abamako.example/rss", "fr", 1800, "Mali / Presse")], NOW)
    store.record_poll_failure(store.feed("gone").id, now=NOW, next_poll=NOW, result=None,  # type: ignore[union-attr]
                              error="HTTP 410", error_kind="gone", disable=True)
    store.disable_feed("paused", NOW)
    assert [(r["name"], r["category"]) for r in store.subscriptions()] == [
        ("tamani", None), ("paused", None), ("abamako", "Mali / Presse"),
    ]


def test_feed_of_an_unknown_name_is_none(store: Store) -> None:
    assert store.feed("nope") is None


def test_feeds_due_filters_by_next_poll_and_orders_by_it(store: Store) -> None:
    store.sync_feeds([feed_config(n) for n in ("a", "b", "c", "d", "e")], NOW)
    ids = {f.name: f.id for f in store.all_feeds()}
    for name, minutes in (("a", 30), ("b", -10), ("c", -20), ("d", 0)):
        store.record_poll_success(ids[name], now=NOW - timedelta(hours=1), next_poll=NOW + timedelta(minutes=minutes),
                                  result=ok_result(), items=0, new_items=0)
    store.db.execute("UPDATE feeds SET next_poll = NULL WHERE name = 'e'")  # never scheduled

    due = store.feeds_due(NOW)
    assert [f.name for f in due] == ["e", "c", "b", "d"]
    assert [f.name for f in store.feeds_due(NOW, limit=2)] == ["e", "c"]
    assert [f.name for f in store.feeds_due(NOW + timedelta(hours=1))] == ["e", "c", "b", "d", "a"]

    store.record_poll_failure(ids["c"], now=NOW, next_poll=NOW, result=None, error="gone",
                              error_kind="gone", disable=True)
    assert "c" not in [f.name for f in store.feeds_due(NOW + timedelta(days=1))]


def test_poll_success_bookkeeping(store: Store) -> None:
    feed_id = make_feed(store)
    store.record_poll_failure(feed_id, now=NOW, next_poll=NOW, result=None, error="timed out", error_kind="timeout")
    result = ok_result(etag='"abc"', last_modified="Wed, 01 May 2024 10:00:00 GMT", body=b"x" * 1234, elapsed=0.5)
    later = NOW + timedelta(minutes=1)
    store.record_poll_success(feed_id, now=later, next_poll=later + timedelta(minutes=15), result=result,
                              items=20, new_items=3)
    row = feed_row(store, "tamani")
    assert row["state"] == "ok" and row["error_count"] == 0
    assert row["last_error"] is None and row["last_error_kind"] is None
    assert (row["etag"], row["last_modified"]) == ('"abc"', "Wed, 01 May 2024 10:00:00 GMT")
    assert row["last_status"] == 200
    assert row["last_success"] == row["last_attempt"] == "2024-05-01T12:01:00Z"
    assert (row["next_poll"], row["items_new_last"]) == ("2024-05-01T12:16:00Z", 3)
    log = fetch_log(store)[-1]
    del log["id"]
    assert log == {
        "feed_id": feed_id, "url": "https://tamani.example/rss", "at": "2024-05-01T12:01:00Z", "status": 200,
        "outcome": "ok", "error_kind": None, "error": None, "elapsed_ms": 500, "bytes": 1234,
        "items": 20, "new_items": 3,
    }


def test_not_modified_keeps_the_validators_it_did_not_repeat(store: Store) -> None:
    feed_id = make_feed(store)
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, items=5, new_items=5,
                              result=ok_result(etag='"abc"', last_modified="Wed, 01 May 2024 10:00:00 GMT"))
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, items=0, new_items=0,
                              result=ok_result(status=304, body=b"", not_modified=True))
    feed = store.feed("tamani")
    assert feed is not None and (feed.etag, feed.last_modified) == ('"abc"', "Wed, 01 May 2024 10:00:00 GMT")
    assert fetch_log(store)[-1]["outcome"] == "not_modified"

    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, items=0, new_items=0,
                              result=ok_result(status=304, not_modified=True, etag='"def"'))
    feed = store.feed("tamani")
    assert feed is not None and (feed.etag, feed.last_modified) == ('"def"', "Wed, 01 May 2024 10:00:00 GMT")

    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, items=1, new_items=0, result=ok_result())
    feed = store.feed("tamani")  # a 200 without validators means the server stopped sending them
    assert feed is not None and (feed.etag, feed.last_modified) == (None, None)


def test_a_permanent_redirect_moves_the_feed_and_survives_a_restart(store: Store) -> None:
    feed_id = make_feed(store)
    moved = "https://www.tamani.example/feed/"
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, items=0, new_items=0,
                              result=ok_result(final_url=moved, permanent_redirect=moved, etag='"1"'))
    feed = store.feed("tamani")
    assert feed is not None and feed.url == moved
    store.sync_feeds([feed_config("tamani")], NOW)  # config still says the old URL: not a change
    feed = store.feed("tamani")
    assert feed is not None and (feed.url, feed.etag) == (moved, '"1"')


def test_poll_failure_bookkeeping(store: Store) -> None:
    feed_id = make_feed(store)
    result = ok_result(status=500, body=b"oops", error="HTTP 500 from https://tamani.example/rss",
                       error_kind=FetchErrorKind.HTTP, elapsed=1.0)
    retry = NOW + timedelta(minutes=30)
    store.record_poll_failure(feed_id, now=NOW, next_poll=retry, result=result, error=result.error or "",
                              error_kind=FetchErrorKind.HTTP)
    store.record_poll_failure(feed_id, now=NOW, next_poll=retry, result=result, error=result.error or "",
                              error_kind="http")
    row = feed_row(store, "tamani")
    assert (row["state"], row["enabled"], row["error_count"]) == ("failing", 1, 2)
    assert (row["last_error"], row["last_error_kind"], row["last_status"]) == (
        "HTTP 500 from https://tamani.example/rss", "http", 500)
    assert (row["last_attempt"], row["next_poll"]) == ("2024-05-01T12:00:00Z", "2024-05-01T12:30:00Z")
    assert row["last_success"] is None
    log = fetch_log(store)[-1]
    assert (log["outcome"], log["error_kind"], log["status"]) == ("error", "http", 500)
    assert (log["elapsed_ms"], log["bytes"], log["items"]) == (1000, 4, None)


def test_a_failure_that_is_not_the_feeds_fault_is_not_counted(store: Store) -> None:
    feed_id = make_feed(store)
    store.record_poll_failure(feed_id, now=NOW, next_poll=NOW, result=None, error="network down",
                              error_kind=FetchErrorKind.DNS, count_error=False)
    row = feed_row(store, "tamani")
    assert (row["error_count"], row["state"], row["last_error_kind"]) == (0, "failing", "dns")
    log = fetch_log(store)[-1]
    assert log["url"] == "https://tamani.example/rss"  # no result: the feed's own URL
    assert (log["status"], log["bytes"], log["error"]) == (None, None, "network down")


def test_a_gone_feed_is_disabled(store: Store) -> None:
    feed_id = make_feed(store)
    store.record_poll_failure(feed_id, now=NOW, next_poll=NOW, result=ok_result(status=410, error="gone"),
                              error="HTTP 410 Gone", error_kind="gone", disable=True)
    row = feed_row(store, "tamani")
    assert (row["state"], row["enabled"], row["error_count"]) == ("disabled", 0, 1)
    assert store.feeds_due(NOW + timedelta(days=30)) == []


def test_feed_health_rows(store: Store) -> None:
    feed_id = make_feed(store)
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW + timedelta(minutes=15), result=ok_result(),
                              items=2, new_items=2)
    store.save_articles(feed_id, [record(1), record(2)])
    (row,) = store.feed_health()
    assert {"name", "url", "state", "error_count", "last_error", "last_status", "last_success", "last_attempt",
            "next_poll", "items_total", "items_new_last"} <= set(row)
    assert (row["name"], row["state"], row["items_total"], row["items_new_last"]) == ("tamani", "ok", 2, 2)
    assert row["last_success"] == NOW and row["next_poll"] == NOW + timedelta(minutes=15)


# --- articles --------------------------------------------------------------------


def test_save_article_inserts_and_reads_back(store: Store) -> None:
    feed_id = make_feed(store)
    article_id, created = store.save_article(feed_id, record(1))
    assert created
    item = store.article(article_id)
    assert item is not None
    assert (item["guid"], item["url"]) == ("guid-1", "https://news.example/a/1")
    assert (item["title"], item["language"], item["extraction_status"]) == ("Article 1", "fr", "ok")
    assert item["published"] == NOW - timedelta(hours=1) and item["fetched"] == NOW
    assert (item["relevant"], item["relevance"], item["text_pruned"]) == (None, None, False)
    assert item["feeds"] == ["tamani"]
    assert store.article(999) is None


def test_dedup_by_guid(store: Store) -> None:
    feed_id = make_feed(store)
    first, _ = store.save_article(feed_id, record(1))
    again = record(1, url="https://news.example/moved", text="Different text entirely")
    assert store.save_article(feed_id, again) == (first, False)
    assert store.db["articles"].count == 1
    assert feed_row(store, "tamani")["items_total"] == 1


def test_dedup_by_canonical_url_when_the_guid_is_unstable(store: Store) -> None:
    feed_id = make_feed(store)
    first, _ = store.save_article(feed_id, record(1))
    assert store.save_article(feed_id, record(1, guid="regenerated-123", text="Autre texte")) == (first, False)
    assert store.db["articles"].count == 1


def test_dedup_by_content_hash(store: Store) -> None:
    feed_id = make_feed(store)
    first, _ = store.save_article(feed_id, record(1))
    syndicated = record(1, guid="other-site-9", url="https://other.example/copy", link="https://other.example/copy")
    assert store.save_article(feed_id, syndicated) == (first, False)


def test_empty_text_is_never_a_duplicate_by_hash(store: Store) -> None:
    feed_id = make_feed(store)
    empty = record(1, text="", extraction_status="empty")
    store.save_article(feed_id, empty)
    _, created = store.save_article(feed_id, record(2, text="", extraction_status="empty"))
    assert created and store.db["articles"].count == 2


def test_the_same_article_from_two_feeds_is_one_article_with_both_feeds(store: Store) -> None:
    tamani = make_feed(store, "tamani")
    rfi = make_feed(store, "rfi")
    first, created_first = store.save_article(tamani, record(1, guid=None))
    second, created_second = store.save_article(rfi, record(1, guid="rfi-77"))
    assert (first, created_first, second, created_second) == (first, True, first, False)
    assert store.db["articles"].count == 1
    links = list(store.db.query("SELECT article_id, feed_id, entry_guid FROM article_feeds ORDER BY feed_id"))
    assert links == [
        {"article_id": first, "feed_id": tamani, "entry_guid": None},
        {"article_id": first, "feed_id": rfi, "entry_guid": "rfi-77"},
    ]
    item = store.article(first)
    assert item is not None and item["guid"] == "rfi-77"  # the missing guid was filled
    assert sorted(item["feeds"]) == ["rfi", "tamani"]
    assert feed_row(store, "tamani")["items_total"] == 1 and feed_row(store, "rfi")["items_total"] == 1


def test_an_extracted_page_replaces_a_summary_but_not_the_reverse(store: Store) -> None:
    feed_id = make_feed(store)
    article_id, _ = store.save_article(feed_id, record(1, text="Résumé court", extraction_status="skipped"))
    store.save_article(feed_id, record(1, text="Le texte complet de l'article.", extraction_status="ok"))
    item = store.article(article_id)
    assert item is not None and (item["text"], item["extraction_status"]) == ("Le texte complet de l'article.", "ok")
    store.save_article(feed_id, record(1, text="Résumé court", extraction_status="skipped"))
    item = store.article(article_id)
    assert item is not None and item["text"] == "Le texte complet de l'article."


def test_save_articles_returns_one_result_per_record_and_dedups_within_the_batch(store: Store) -> None:
    feed_id = make_feed(store)
    saved = store.save_articles(feed_id, [record(1), record(2), record(1)])
    assert [created for _, created in saved] == [True, True, False]
    assert saved[0][0] == saved[2][0]
    assert feed_row(store, "tamani")["items_total"] == 2
    assert store.save_articles(feed_id, []) == []


def test_save_articles_is_all_or_nothing(store: Store) -> None:
    feed_id = make_feed(store)
    store.save_article(feed_id, record(1))
    broken = record(3, published=datetime(2024, 5, 1))  # naive: a bug upstream
    with pytest.raises(ValueError):
        store.save_articles(feed_id, [record(2), broken])
    assert [row["guid"] for row in store.db.query("SELECT guid FROM articles")] == ["guid-1"]
    assert store.db["article_feeds"].count == 1
    assert store.save_articles(feed_id, [record(2)])[0][1] is True  # the connection is usable again


def test_known_entries(store: Store) -> None:
    feed_id = make_feed(store)
    store.save_articles(feed_id, [record(1), record(2, guid=None)])
    guids = ["guid-1", "guid-2"] + [f"unknown-{i}" for i in range(1500)]  # more than 999 parameters
    urls = ["https://news.example/a/2", "https://news.example/a/9"] + [f"https://x.example/{i}" for i in range(1200)]
    assert store.known_entries(guids, urls) == ({"guid-1"}, {"https://news.example/a/2"})
    assert store.known_entries([], []) == (set(), set())


def test_set_relevance(store: Store) -> None:
    feed_id = make_feed(store)
    article_id, _ = store.save_article(feed_id, record(1))
    store.set_relevance(article_id, 0.87, True)
    item = store.article(article_id)
    assert item is not None and (item["relevance"], item["relevant"]) == (0.87, True)
    store.set_relevance(article_id, 0.1, False)
    item = store.article(article_id)
    assert item is not None and item["relevant"] is False


# --- search ----------------------------------------------------------------------


@pytest.fixture
def searchable(store: Store) -> Store:
    feed_id = make_feed(store)
    store.save_articles(
        feed_id,
        [
            record(1, title="Attaque à Bamako", text="La sécurité se dégrade près de Kati."),
            record(2, title="Le CSP-DPA revendique", text="Les rebelles de l'Azawad ont pris Anéfis."),
            record(3, title="Securite at the border", text="Talks AND ceasefire near Menaka."),
        ],
    )
    return store


def titles(results: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in results]


def test_search_ignores_accents_and_case_both_ways(searchable: Store) -> None:
    assert titles(searchable.search("bamako")) == ["Attaque à Bamako"]
    assert set(titles(searchable.search("securite"))) == {"Attaque à Bamako", "Securite at the border"}
    assert set(titles(searchable.search("SÉCURITÉ"))) == {"Attaque à Bamako", "Securite at the border"}
    assert titles(searchable.search("anefis")) == ["Le CSP-DPA revendique"]


def test_search_results_carry_a_marked_snippet(searchable: Store) -> None:
    (hit,) = searchable.search("Kati")
    assert set(hit) == {"id", "title", "url", "published", "snippet"}
    assert "[Kati]" in hit["snippet"]
    assert hit["published"] == NOW - timedelta(hours=1)


def test_search_takes_punctuation_literally(searchable: Store) -> None:
    assert titles(searchable.search("CSP-DPA")) == ["Le CSP-DPA revendique"]
    assert titles(searchable.search("l'Azawad")) == ["Le CSP-DPA revendique"]
    assert titles(searchable.search("l’Azawad")) == ["Le CSP-DPA revendique"]
    assert titles(searchable.search("AND ceasefire")) == ["Securite at the border"]


@pytest.mark.parametrize("query", ['"', "AND", "*", "NEAR(", "OR OR", 'a"b', "(", "-", "^", ":", "col:x", "NOT", "'"])
def test_search_never_raises_on_odd_input(searchable: Store, query: str) -> None:
    assert isinstance(searchable.search(query), list)


def test_search_prefix_and_empty_queries(searchable: Store) -> None:
    assert titles(searchable.search("revendi*")) == ["Le CSP-DPA revendique"]
    assert searchable.search("") == [] and searchable.search("   ") == []
    assert len(searchable.search("ville", limit=1)) == 0
    assert len(searchable.search("securite", limit=1)) == 1


@pytest.mark.parametrize("query, found", [
    ("Kati OR Menaka", ["Attaque à Bamako", "Securite at the border"]),
    ("Kidal OR Ménaka", ["Securite at the border"]),
    ("NEAR(rebelles Anéfis, 5)", ["Le CSP-DPA revendique"]),
    ("NEAR(rebelles Kati, 5)", []),
    ('"ont pris"', ["Le CSP-DPA revendique"]),
    ('"pris ont"', []),  # a phrase, in its order
    ("revendi* AND rebelles", ["Le CSP-DPA revendique"]),
    ("securite NOT Kati", ["Securite at the border"]),
    ("title:securite", ["Securite at the border"]),
])
def test_search_takes_fts5_syntax(searchable: Store, query: str, found: list[str]) -> None:
    assert sorted(titles(searchable.search(query))) == found


@pytest.mark.parametrize("query, found", [
    ("CSP-DPA", ["Le CSP-DPA revendique"]),  # FTS5 would read "-DPA" as a column
    ("l'Azawad", ["Le CSP-DPA revendique"]),
    ("Bamako: sécurité", ["Attaque à Bamako"]),  # "Bamako:" would be a column filter
    ('Kati "', ["Attaque à Bamako"]),
    ("AND ceasefire", ["Securite at the border"]),
    ("NEAR(", ["Securite at the border"]),  # the word "near", as typed
])
def test_search_that_is_not_fts5_looks_for_every_word_as_typed(searchable: Store, query: str, found: list[str]) -> None:
    assert sorted(titles(searchable.search(query))) == found


def test_fts_query_quotes_every_token() -> None:
    assert fts_query('CSP-DPA "x" AND') == '"CSP-DPA" """x""" "AND"'
    assert fts_query("attaq*") == '"attaq"*'
    assert fts_query("*") == '"*"'


def test_search_follows_updates(store: Store) -> None:
    feed_id = make_feed(store)
    article_id, _ = store.save_article(feed_id, record(1, text="Embuscade à Boni"))
    store.set_relevance(article_id, 0.0, False)
    assert titles(store.search("boni")) == ["Article 1"]
    store.prune_text(NOW)
    assert store.search("boni") == []
    assert titles(store.search("article")) == ["Article 1"]  # the title is still indexed


# --- retention -------------------------------------------------------------------


def test_prune_text_drops_old_irrelevant_text_only(store: Store) -> None:
    feed_id = make_feed(store)
    old = NOW - timedelta(days=100)
    saved = store.save_articles(
        feed_id,
        [
            record(1, published=old),  # irrelevant and old: pruned
            record(2, published=old),  # relevant: kept
            record(3, published=old),  # not judged yet: kept
            record(4, published=NOW),  # irrelevant but recent: kept
        ],
    )
    ids = [article_id for article_id, _ in saved]
    store.set_relevance(ids[0], 0.0, False)
    store.set_relevance(ids[1], 0.9, True)
    store.set_relevance(ids[3], 0.0, False)
    store.record_poll_success(feed_id, now=old, next_poll=old, result=ok_result(), items=0, new_items=0)
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, result=ok_result(), items=0, new_items=0)

    assert store.prune_text(NOW - timedelta(days=90)) == 1
    pruned = store.article(ids[0])
    assert pruned is not None and pruned["text"] == "" and pruned["text_pruned"] is True
    assert pruned["title"] == "Article 1" and pruned["content_hash"] and pruned["url"]
    assert all(store.article(i)["text"] for i in ids[1:])  # type: ignore[index]
    assert [row["at"] for row in fetch_log(store)] == ["2024-05-01T12:00:00Z"]
    assert store.prune_text(NOW - timedelta(days=90)) == 0  # already done

    # a pruned article still recognises its repeats
    repeat = record(1, guid="new", url="https://new.example/1", published=old)
    assert store.save_article(feed_id, repeat) == (ids[0], False)
    again = store.article(ids[0])
    assert again is not None and again["text"] == ""


# --- concurrency and failure -----------------------------------------------------


def test_a_database_locked_beyond_the_write_patience_raises_store_error_and_loses_nothing(db_path: Path) -> None:
    with Store(db_path, busy_timeout_ms=100, write_patience=0.3) as s:
        feed_id = make_feed(s)
        s.save_article(feed_id, record(1))
        holder = sqlite3.connect(db_path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError) as caught:
                s.save_article(feed_id, record(2))
            message = str(caught.value)
            assert "locked" in message and str(db_path) in message
            assert "https://news.example/a/2" in message
            with pytest.raises(StoreError, match="locked"):
                s.record_poll_failure(feed_id, now=NOW, next_poll=NOW, result=None, error="x", error_kind="http")
            assert len(s.all_feeds()) == 1  # reading still works while another writer holds the lock
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert s.save_article(feed_id, record(2))[1] is True
        assert s.db["articles"].count == 2


def test_a_write_waits_for_another_writer_longer_than_the_busy_timeout(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process's write lock held past SQLite's busy timeout is waited for, and said in the log."""
    with Store(db_path, busy_timeout_ms=100) as s:
        feed_id = make_feed(s)
        holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")
        releasing = threading.Timer(0.8, lambda: holder.execute("ROLLBACK"))
        releasing.start()
        try:
            assert s.save_article(feed_id, record(1))[1] is True
        finally:
            releasing.join()
            holder.close()
        assert s.db["articles"].count == 1
    waits = [r.getMessage() for r in caplog.records if "waits for another writer" in r.getMessage()]
    assert waits and all(str(db_path) in w and "is locked" in w for w in waits)


def test_a_transaction_reads_and_writes_as_one_and_rolls_back_as_one(store: Store, db_path: Path) -> None:
    feed_id = make_feed(store)
    other = sqlite3.connect(db_path, timeout=0.1)
    try:
        with store.transaction("save two articles"):
            store.save_article(feed_id, record(1))
            assert store.db["articles"].count == 1  # its own reads see its writes
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("INSERT INTO articles (title) VALUES ('another writer')")  # the lock is held
            store.save_article(feed_id, record(2))
        assert other.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        with pytest.raises(RuntimeError), store.transaction("save a third"):
            store.save_article(feed_id, record(3))
            raise RuntimeError("the plan was wrong")
        assert store.db["articles"].count == 2  # nothing of it stays, though its write had finished
    finally:
        other.close()


def test_a_full_disk_raises_store_error_and_rolls_back(store: Store, db_path: Path) -> None:
    feed_id = make_feed(store)
    store.save_article(feed_id, record(1))
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up
    big = [record(n, text=f"{n} " + "sécurité " * 20_000) for n in range(2, 5)]
    with pytest.raises(StoreError, match="full") as caught:
        store.save_articles(feed_id, big)
    assert str(db_path) in str(caught.value)
    assert [row["guid"] for row in store.db.query("SELECT guid FROM articles")] == ["guid-1"]
    assert titles(store.search("bamako")) == ["Article 1"]


def test_a_read_only_database_raises_store_error(store: Store, db_path: Path) -> None:
    feed_id = make_feed(store)
    store.db.execute("PRAGMA query_only = 1")
    with pytest.raises(StoreError, match="readonly") as caught:
        store.set_relevance(1, 0.5, True)
    assert f"cannot set the relevance of article 1 in {db_path}" in str(caught.value)
    assert store.feed("tamani") is not None and store.feed("tamani").id == feed_id  # type: ignore[union-attr]


def test_readers_on_other_connections_are_not_blocked_by_a_write(store: Store, db_path: Path) -> None:
    feed_id = make_feed(store)
    store.save_article(feed_id, record(1))
    reader = sqlite3.connect(db_path, timeout=0.1)
    try:
        with store._write("hold a write open") as cur:
            cur.execute("UPDATE articles SET title = 'changed'")
            # a user's sqlite3 shell reads the last committed state, without waiting
            assert reader.execute("SELECT title FROM articles").fetchall() == [("Article 1",)]
        assert reader.execute("SELECT title FROM articles").fetchall() == [("changed",)]
    finally:
        reader.close()


def test_threads_share_one_store(store: Store) -> None:
    feed_ids = [make_feed(store, f"feed{n}") for n in range(4)]
    errors: list[BaseException] = []

    def work(n: int, feed_id: int) -> None:
        try:
            for i in range(25):
                store.save_articles(feed_id, [record(n * 100 + i)])
                store.search("bamako")
                store.record_poll_success(feed_id, now=NOW, next_poll=NOW, result=ok_result(), items=1, new_items=1)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n, f)) for n, f in enumerate(feed_ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.db["articles"].count == 100
    assert [row["items_total"] for row in store.feed_health()] == [25, 25, 25, 25]


# --- documentation ---------------------------------------------------------------


def schema_doc_sections() -> dict[str, str]:
    """docs/schema.md split at its `## ` headings, keyed by the name in backquotes."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    for chunk in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        heading, _, body = chunk.partition("\n")
        match = re.search(r"`([^`]+)`", heading)
        if match:
            sections[match.group(1)] = body
    return sections


def test_docs_schema_describes_every_table_column_index_view_and_trigger(store: Store) -> None:
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    sections = schema_doc_sections()
    missing = []
    objects = store.db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    shadow_name = re.compile(r"\w+_fts_(data|idx|docsize|config)")
    shadow = {name for kind, name in objects if kind == "table" and shadow_name.fullmatch(name)}
    for kind, name in objects:
        if f"`{name}`" not in doc:
            missing.append(f"{kind} {name}")
        if kind in ("table", "view") and name not in shadow:
            section = sections.get(name, "")
            if not section:
                missing.append(f"section ## `{name}`")
            columns = [row[1] for row in store.db.execute(f"PRAGMA table_info([{name}])").fetchall()]
            missing += [f"column {name}.{column}" for column in columns if f"`{column}`" not in section]
    assert missing == [], "docs/schema.md does not mention: " + ", ".join(missing)


def test_docs_example_queries_run(store: Store) -> None:
    """Every ```sql block in docs/schema.md runs against the live schema."""
    feed_id = make_feed(store)
    store.save_articles(feed_id, [record(1), record(2)])
    store.record_poll_success(feed_id, now=NOW, next_poll=NOW, result=ok_result(), items=2, new_items=2)
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", doc, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        for statement in filter(str.strip, block.split(";")):
            store.db.execute(statement).fetchall()
