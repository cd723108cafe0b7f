"""An article's reading state in a real SQLite file: unread, read, failed (migration 4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

import monitor.store.schema as schema_module
from monitor.register import Plan
from monitor.store import MIGRATIONS, Store
from tests.incidentkit import RULES
from tests.store.test_store import (
    NOW,
    OLD_FILE_WRITTEN_BY_TODAYS_CODE,
    make_feed,
    record,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "monitor.db") as s:
        yield s


def read(store: Store, article_id: int, relevant: bool = False, version: str = "r1") -> None:
    """Mark an article read, as the register does: its relevance in the plan's transaction."""
    outcome = store.apply_plan(Plan(version=0), [], NOW, RULES, (article_id, 0.5, relevant), reader_version=version)
    assert outcome == "applied"


def ids(rows: list[dict]) -> list[int]:  # type: ignore[type-arg]
    return [row["id"] for row in rows]


def test_migration_4_adds_the_reading_columns_to_a_store_that_has_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:3])
    with Store(path) as old:
        old.db.execute(OLD_FILE_WRITTEN_BY_TODAYS_CODE)
        feed_id = make_feed(old)
        [(unread_id, _), (read_id, _)] = old.save_articles(feed_id, [record(1), record(2)])
        old.set_relevance(read_id, 0.9, True)
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as new:
        assert new.schema_version() == len(MIGRATIONS)
        columns = {row[1] for row in new.db.execute("PRAGMA table_info(articles)").fetchall()}
        assert {"reader_version", "read_error", "read_failed_at"} <= columns
        assert ids(new.unread_articles("r1")) == [unread_id]  # read before: stays read
        states = new.reading_states([unread_id, read_id])
        assert (states[unread_id]["state"], states[read_id]["state"]) == ("unread", "relevant")
        assert states[read_id]["reader_version"] is None  # read before versions were recorded


def test_a_failure_is_recorded_skipped_by_the_same_reader_and_retried_by_another(store: Store) -> None:
    feed_id = make_feed(store)
    saved = store.save_articles(feed_id, [record(n) for n in (1, 2, 3)])
    first, second, third = (article_id for article_id, _ in saved)
    assert store.record_read_failure(second, "ValueError: bad count (figures.py:12 in find)", "r1", NOW)

    assert ids(store.unread_articles("r1")) == [first, third]
    assert ids(store.unread_articles("r2")) == [first, second, third]
    (failed,) = store.articles_by_state(["failed"])
    assert (failed["id"], failed["read_error"], failed["reader_version"]) == (
        second, "ValueError: bad count (figures.py:12 in find)", "r1",
    )  # fmt: skip
    assert failed["read_failed_at"] == NOW and failed["feed"] == "tamani"

    read(store, second, relevant=True, version="r2")  # another reader read it: the failure is gone
    row = store.article(second)
    assert row is not None
    assert (row["relevant"], row["read_error"], row["read_failed_at"], row["reader_version"]) == (True, None, None, "r2")
    assert store.articles_by_state(["failed"]) == []


def test_a_failure_is_not_recorded_over_a_reading(store: Store) -> None:
    """Another process read the article meanwhile: its reading stands."""
    [(article_id, _)] = store.save_articles(make_feed(store), [record(1)])
    read(store, article_id)
    assert store.record_read_failure(article_id, "RuntimeError: late", "r1", NOW) is False
    assert store.reading_states([article_id])[article_id]["state"] == "irrelevant"


def test_unread_articles_are_found_whatever_their_age_a_page_at_a_time(store: Store) -> None:
    feed_id = make_feed(store)
    old = [record(n, published=NOW - timedelta(days=400 + n)) for n in range(1, 8)]
    saved = [article_id for article_id, _ in store.save_articles(feed_id, old)]
    read(store, saved[2])
    unread = [i for i in saved if i != saved[2]]

    pages, after = [], 0
    while page := store.unread_articles("r1", after=after, limit=4):
        pages.append(ids(page))
        after = page[-1]["id"]
    assert pages == [unread[:4], unread[4:]]
    assert store.unread_articles("r1", limit=1)[0]["publisher"] == "tamani"


def test_an_article_keeps_the_publisher_it_was_stored_with(store: Store) -> None:
    """What ingest or the feed named is what a later reading tells; a second copy changes nothing."""
    feed_id = make_feed(store)
    [(local, _)] = store.save_local_articles([record(1, guid=None, publisher="Studio Tamani")])
    [(fed, _)] = store.save_articles(feed_id, [record(2, publisher="Maliweb")])
    [(older, _)] = store.save_articles(feed_id, [record(3)])  # stored before migration 8: its feed's name
    [(again, created)] = store.save_articles(make_feed(store, "other"), [record(2, publisher="Other")])
    assert (again, created) == (fed, False)
    told = {row["id"]: row["publisher"] for row in store.unread_articles("r1")}
    assert told == {local: "Studio Tamani", fed: "Maliweb", older: "tamani"}


def test_an_ingest_rerun_names_the_publisher_an_older_ingest_did_not_store(store: Store) -> None:
    [(article_id, _)] = store.save_local_articles([record(1, guid=None)])  # as before migration 8
    assert store.unread_articles("r1")[0]["publisher"] is None
    [(again, created)] = store.save_local_articles([record(1, guid=None, publisher="Studio Tamani")])
    assert (again, created) == (article_id, False)
    store.save_local_articles([record(1, guid=None, publisher="Someone else")])  # the first named stays
    assert store.unread_articles("r1")[0]["publisher"] == "Studio Tamani"


def test_the_unread_query_uses_the_partial_index(store: Store) -> None:
    """Finding what is left to read must not scan every article ever stored."""
    feed_id = make_feed(store)
    saved = store.save_articles(feed_id, [record(n) for n in range(1, 301)])
    for article_id, _ in saved[:-5]:
        read(store, article_id)
    store.db.execute("ANALYZE")
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)  # the queries as they run, values in place
    try:
        assert len(store.unread_articles("r1")) == 5
        assert len(store.articles_by_state(["unread", "failed"])) == 5
    finally:
        store.db.conn.set_trace_callback(None)
    unread_sql, listing_sql = (sql for sql in statements if sql.lstrip().upper().startswith("SELECT"))
    for sql in (unread_sql, listing_sql):
        plan = store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
        assert any("idx_articles_unread" in row[-1] for row in plan), (sql, plan)


def test_articles_by_state_and_counts(store: Store) -> None:
    feed_id = make_feed(store)
    saved = [article_id for article_id, _ in store.save_articles(feed_id, [record(n) for n in range(1, 6)])]
    read(store, saved[0], relevant=True)
    read(store, saved[1], relevant=False)
    store.record_read_failure(saved[2], "KeyError: 'x'", "r1", NOW)

    assert store.reading_counts() == {"stored": 5, "read": 2, "relevant": 1, "unread": 2, "failed": 1}
    everything = store.articles_by_state()
    assert ids(everything) == saved  # newest first: record(n) is n hours old
    assert [row["state"] for row in everything] == ["relevant", "irrelevant", "failed", "unread", "unread"]
    assert ids(store.articles_by_state(["unread"])) == [saved[3], saved[4]]
    assert ids(store.articles_by_state(["unread", "failed"], limit=2)) == [saved[2], saved[3]]
    assert ids(store.articles_by_state(["relevant"])) == [saved[0]]


def test_migration_8_gives_older_articles_no_publisher_and_they_keep_their_feed_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:7])
    with Store(path) as old:
        feed_id = make_feed(old)
        old.db.execute(  # as the code before migration 8 stored it: no publisher column to write
            "INSERT INTO articles (guid, url, link, title, summary, text, published, fetched, language,"
            " extraction_status, content_hash) VALUES ('g', 'https://a.example/1', NULL, 't', '', 'x',"
            " '2024-05-01T10:00:00Z', '2024-05-01T10:00:00Z', 'fr', 'ok', 'h')"
        )
        old.db.execute("INSERT INTO article_feeds (article_id, feed_id, first_seen) VALUES (1, ?, '2024-05-01T10:00:00Z')", [feed_id])
        old.db.conn.commit()
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS)
    with Store(path) as new:
        assert new.schema_version() == len(MIGRATIONS) == 8
        assert new.db.execute("SELECT publisher FROM articles").fetchall() == [(None,)]
        assert [row["publisher"] for row in new.unread_articles("r1")] == ["tamani"]
