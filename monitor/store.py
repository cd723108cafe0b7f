"""The SQLite register: the only module that speaks SQL.

One file in WAL mode: the daemon writes while users read it with ``sqlite3``,
Datasette or pandas. The schema is public and documented in ``docs/schema.md``;
it changes only through the numbered migrations in ``MIGRATIONS``, and
``PRAGMA user_version`` records how many have run.

Times are stored as ISO 8601 UTC text, ``YYYY-MM-DDTHH:MM:SSZ``: it sorts as
text and SQLite's date functions accept it. Every method takes and returns
timezone-aware datetimes; a naive datetime is a bug and raises ``ValueError``.

Errors: when SQLite cannot do its job because of the environment (the database
is locked beyond the busy timeout, the disk is full, the file cannot be opened,
is read-only or is not a database) a method raises ``StoreError`` whose message
names the operation and the database path, e.g.
``cannot save article https://x/1 in /var/lib/sahel/monitor.db: database is locked``.
A failed write is rolled back as a whole and leaves what was committed before
untouched. Other ``sqlite3`` errors are bugs and propagate unchanged.

The store is shared by threads: one connection, serialized by a lock. Writes
are short ``BEGIN IMMEDIATE`` transactions, so a writer waits for the lock up
front instead of failing halfway through.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlite_utils

from monitor.config import FeedConfig
from monitor.models import ArticleRecord, FeedState, FetchResult

__all__ = ["MIGRATIONS", "Store", "StoreError"]

TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# SQLite caps bound parameters at 999 in older builds; stay well under it
_CHUNK = 500


class StoreError(Exception):
    """The database cannot be used right now. The message names the operation and the file."""


# --- migrations ----------------------------------------------------------------
#
# Append to MIGRATIONS to change the schema; never edit one that has shipped.
# A migration is SQL text (any number of statements) or a function given the
# sqlite_utils.Database; either runs inside its own BEGIN IMMEDIATE transaction
# together with the user_version bump, so it applies fully or not at all.
# Functions must not COMMIT (sqlite-utils' own methods use savepoints inside a
# transaction, so they are safe). PRAGMA foreign_keys cannot change inside a
# transaction: a table rebuild must keep references valid by itself.

Migration = str | Callable[[sqlite_utils.Database], None]

_SCHEMA_1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    config_url TEXT NOT NULL,
    language TEXT,
    interval_s INTEGER NOT NULL,
    origin TEXT NOT NULL DEFAULT 'config',
    enabled INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'new',
    etag TEXT,
    last_modified TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    last_error_kind TEXT,
    last_status INTEGER,
    last_success TEXT,
    last_attempt TEXT,
    next_poll TEXT,
    items_total INTEGER NOT NULL DEFAULT 0,
    items_new_last INTEGER,
    created TEXT NOT NULL
);
CREATE INDEX idx_feeds_next_poll ON feeds (next_poll);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    guid TEXT,
    url TEXT,
    link TEXT,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    published TEXT,
    fetched TEXT,
    language TEXT,
    extraction_status TEXT,
    extraction_error TEXT,
    content_hash TEXT,
    relevance REAL,
    relevant INTEGER,
    text_pruned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_articles_guid ON articles (guid);
CREATE INDEX idx_articles_url ON articles (url);
CREATE INDEX idx_articles_content_hash ON articles (content_hash);
CREATE INDEX idx_articles_published ON articles (published);

CREATE TABLE article_feeds (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    entry_guid TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (article_id, feed_id)
);
CREATE INDEX idx_article_feeds_feed_id ON article_feeds (feed_id);

CREATE TABLE fetch_log (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    at TEXT NOT NULL,
    status INTEGER,
    outcome TEXT NOT NULL,
    error_kind TEXT,
    error TEXT,
    elapsed_ms INTEGER,
    bytes INTEGER,
    items INTEGER,
    new_items INTEGER
);
CREATE INDEX idx_fetch_log_feed_id_at ON fetch_log (feed_id, at);

-- external content: the text lives once, in articles. Named and shaped as
-- sqlite-utils' enable_fts() would make it, so Datasette finds it.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, text,
    tokenize='unicode61 remove_diacritics 2',
    content=[articles], content_rowid='id'
);
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
-- only title and text are indexed: relevance updates must not rewrite the index
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""

MIGRATIONS: list[Migration] = [_SCHEMA_1]


# --- values --------------------------------------------------------------------


def to_text(moment: datetime) -> str:
    """An aware datetime as stored: ``2024-05-01T12:00:00Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: the store needs aware datetimes")
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def from_text(value: str | None) -> datetime | None:
    """Stored text back to an aware UTC datetime."""
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(UTC)


def _opt_text(moment: datetime | None) -> str | None:
    return to_text(moment) if moment is not None else None


def _plain(value: Any) -> Any:
    """Enum members (FetchErrorKind) are stored as their value."""
    return getattr(value, "value", value)


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def fts_query(text: str) -> str:
    """User input as a safe FTS5 query: every token a quoted phrase, ANDed.

    Quoting makes operators and punctuation ("AND", "NEAR(", "CSP-DPA",
    "l'Azawad", a stray quote) plain words instead of syntax errors. A token
    ending in ``*`` stays a prefix search.
    """
    terms = []
    for token in text.split():
        prefix = token.endswith("*") and token.rstrip("*") != ""
        word = token.rstrip("*") if prefix else token
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


_ENVIRONMENT_CODES = {
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_NOTADB,
}
_ENVIRONMENT_WORDS = ("locked", "busy", "disk is full", "unable to open", "readonly", "disk i/o", "not a database")


def _is_environmental(exc: BaseException) -> bool:
    """True for errors about the file or the machine, False for errors in our SQL."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _ENVIRONMENT_CODES  # extended codes keep the primary in the low byte
    return any(word in str(exc).lower() for word in _ENVIRONMENT_WORDS)


def _feed_state(row: sqlite3.Row) -> FeedState:
    return FeedState(
        id=row["id"],
        name=row["name"],
        url=row["url"],
        language=row["language"],
        interval=row["interval_s"],
        enabled=bool(row["enabled"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        error_count=row["error_count"],
        next_poll=from_text(row["next_poll"]),
    )


def _describe(article: ArticleRecord) -> str:
    return article.url or article.link or article.guid or repr(article.title)


# --- the store -----------------------------------------------------------------


class Store:
    """The register in one SQLite file. Safe to share between threads."""

    def __init__(self, path: str | Path, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = self._connect(busy_timeout_ms)
        self.db = sqlite_utils.Database(self._conn)
        try:
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    # --- connection --------------------------------------------------------

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        in_memory = str(self.path) == ":memory:"
        try:
            if not in_memory:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we issue BEGIN/COMMIT ourselves
            conn = sqlite3.connect(
                str(self.path),
                timeout=busy_timeout_ms / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
        except OSError as exc:
            raise StoreError(f"cannot create the directory of {self.path}: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise self._error("open the database", exc) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL, far fewer fsyncs
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise self._error("open the database", exc) from exc
        return conn

    def close(self) -> None:
        with self._lock:
            with suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")  # keeps the planner's statistics fresh
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _error(self, what: str, exc: BaseException) -> StoreError:
        return StoreError(f"cannot {what} in {self.path}: {exc}")

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Cursor]:
        """One short write transaction; ``what`` names it in errors ("save article ...")."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise self._error(what, exc) from exc
                raise
            try:
                yield self._cursor()
                self._conn.execute("COMMIT")
            except BaseException as exc:
                self._rollback()
                if _is_environmental(exc):
                    raise self._error(what, exc) from exc
                raise

    def _cursor(self) -> sqlite3.Cursor:
        # rows by name for our queries; the connection stays plain for sqlite-utils
        cur = self._conn.cursor()
        cur.row_factory = sqlite3.Row
        return cur

    def _rollback(self) -> None:
        # SQLite may already have rolled back by itself (disk full, I/O error)
        if self._conn.in_transaction:
            with suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    @contextmanager
    def _read(self, what: str) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            try:
                yield self._cursor()
            except sqlite3.Error as exc:
                if _is_environmental(exc):
                    raise self._error(what, exc) from exc
                raise

    # --- schema ------------------------------------------------------------

    def schema_version(self) -> int:
        with self._read("read the schema version") as cur:
            return int(cur.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        if self.schema_version() >= len(MIGRATIONS):
            return  # the common case takes no write lock
        for version, migration in enumerate(MIGRATIONS, start=1):
            with self._write(f"migrate the schema to version {version}") as cur:
                # re-read inside the lock: another process may have migrated meanwhile
                if cur.execute("PRAGMA user_version").fetchone()[0] >= version:
                    continue
                if isinstance(migration, str):
                    self.db.executescript(migration)
                else:
                    migration(self.db)
                cur.execute(f"PRAGMA user_version = {version}")

    # --- feeds -------------------------------------------------------------

    def sync_feeds(self, feeds: Sequence[FeedConfig], now: datetime) -> None:
        """Make the config feeds match the config; OPML feeds are left alone.

        A feed is known by name. A changed URL starts it afresh (validators and
        error count belong to the old URL). A config feed no longer listed is
        kept, for its history, as state 'removed'; listing it again revives it.
        A config entry with the name of an OPML feed takes that feed over.
        """
        stamp = to_text(now)
        with self._write("synchronise feeds with the configuration") as cur:
            for feed in feeds:
                self._sync_feed(cur, feed, stamp)
            listed = [feed.name for feed in feeds]
            marks = ",".join("?" * len(listed))
            cur.execute(
                "UPDATE feeds SET state = 'removed', enabled = 0"
                f" WHERE origin = 'config' AND state != 'removed' AND name NOT IN ({marks})",
                listed,
            )

    @staticmethod
    def _sync_feed(cur: sqlite3.Cursor, feed: FeedConfig, stamp: str) -> None:
        interval = int(round(feed.interval))
        row = cur.execute("SELECT * FROM feeds WHERE name = ?", (feed.name,)).fetchone()
        if row is None:
            cur.execute(
                "INSERT INTO feeds (name, url, config_url, language, interval_s, origin,"
                " enabled, state, next_poll, created) VALUES (?, ?, ?, ?, ?, 'config', 1, 'new', ?, ?)",
                (feed.name, feed.url, feed.url, feed.language, interval, stamp, stamp),
            )
            return
        cur.execute(
            "UPDATE feeds SET language = ?, interval_s = ?, origin = 'config' WHERE id = ?",
            (feed.language, interval, row["id"]),
        )
        # compared with the configured URL, not the polled one: a permanent
        # redirect moved `url` and must not look like a config change at every start
        if feed.url != row["config_url"]:
            cur.execute(
                "UPDATE feeds SET url = ?, config_url = ?, etag = NULL, last_modified = NULL,"
                " error_count = 0, enabled = 1, state = 'new', next_poll = ? WHERE id = ?",
                (feed.url, feed.url, stamp, row["id"]),
            )
        elif row["state"] == "removed":
            cur.execute(
                "UPDATE feeds SET enabled = 1, state = 'new', next_poll = ? WHERE id = ?",
                (stamp, row["id"]),
            )

    def add_feeds(self, feeds: Sequence[tuple[str, str, str | None, int]], now: datetime) -> int:
        """Add OPML feeds ``(name, url, language, interval_s)``; names or URLs already known are skipped."""
        stamp = to_text(now)
        added = 0
        with self._write(f"add {len(feeds)} feeds") as cur:
            for name, url, language, interval in feeds:
                clash = cur.execute(
                    "SELECT 1 FROM feeds WHERE name = ? OR url = ? OR config_url = ?", (name, url, url)
                ).fetchone()
                if clash:
                    continue
                cur.execute(
                    "INSERT INTO feeds (name, url, config_url, language, interval_s, origin,"
                    " enabled, state, next_poll, created) VALUES (?, ?, ?, ?, ?, 'opml', 1, 'new', ?, ?)",
                    (name, url, url, language, int(interval), stamp, stamp),
                )
                added += 1
        return added

    def feed(self, name: str) -> FeedState | None:
        with self._read(f"read feed {name!r}") as cur:
            row = cur.execute("SELECT * FROM feeds WHERE name = ?", (name,)).fetchone()
        return _feed_state(row) if row else None

    def feeds_due(self, now: datetime, limit: int | None = None) -> list[FeedState]:
        """Enabled feeds whose time has come, most overdue first (never polled first of all)."""
        sql = (
            "SELECT * FROM feeds WHERE enabled = 1 AND (next_poll IS NULL OR next_poll <= ?)"
            " ORDER BY next_poll, id"
        )
        params: list[Any] = [to_text(now)]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._read("find the feeds due") as cur:
            rows = cur.execute(sql, params).fetchall()
        return [_feed_state(row) for row in rows]

    def all_feeds(self) -> list[FeedState]:
        with self._read("list feeds") as cur:
            rows = cur.execute("SELECT * FROM feeds ORDER BY id").fetchall()
        return [_feed_state(row) for row in rows]

    def feed_health(self) -> list[dict[str, Any]]:
        """One row per feed for the health table, times as aware datetimes."""
        with self._read("read feed health") as cur:
            rows = cur.execute(
                "SELECT name, url, origin, enabled, state, error_count, last_error, last_error_kind,"
                " last_status, last_success, last_attempt, next_poll, items_total, items_new_last"
                " FROM feeds ORDER BY name"
            ).fetchall()
        health = []
        for row in rows:
            item = dict(row)
            item["enabled"] = bool(item["enabled"])
            for key in ("last_success", "last_attempt", "next_poll"):
                item[key] = from_text(item[key])
            health.append(item)
        return health

    def record_poll_success(
        self,
        feed_id: int,
        *,
        now: datetime,
        next_poll: datetime,
        result: FetchResult,
        items: int,
        new_items: int,
    ) -> None:
        stamp = to_text(now)
        etag, last_modified = result.etag, result.last_modified
        with self._write(f"record a poll of feed {feed_id}") as cur:
            if result.not_modified:
                # a 304 need not repeat the validators; the ones we sent are still good
                old = cur.execute("SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,)).fetchone()
                if old is not None:
                    etag = etag or old["etag"]
                    last_modified = last_modified or old["last_modified"]
            cur.execute(
                "UPDATE feeds SET state = CASE WHEN state = 'removed' THEN state ELSE 'ok' END,"
                " error_count = 0, last_error = NULL, last_error_kind = NULL, last_status = ?,"
                " last_success = ?, last_attempt = ?, next_poll = ?, etag = ?, last_modified = ?,"
                " items_new_last = ?, url = coalesce(?, url) WHERE id = ?",
                (
                    result.status, stamp, stamp, to_text(next_poll), etag, last_modified,
                    new_items, result.permanent_redirect, feed_id,
                ),
            )
            outcome = "not_modified" if result.not_modified else "ok"
            self._log_fetch(cur, feed_id, stamp, result, result.url, outcome, None, None, items, new_items)

    def record_poll_failure(
        self,
        feed_id: int,
        *,
        now: datetime,
        next_poll: datetime,
        result: FetchResult | None,
        error: str,
        error_kind: str,
        count_error: bool = True,
        disable: bool = False,
    ) -> None:
        """A failed poll; ``count_error=False`` when the fault is ours (network down), not the feed's."""
        stamp = to_text(now)
        kind = _plain(error_kind)
        with self._write(f"record a failed poll of feed {feed_id}") as cur:
            cur.execute(
                "UPDATE feeds SET error_count = error_count + ?,"
                " state = CASE WHEN state = 'removed' THEN state ELSE ? END,"
                " enabled = CASE WHEN ? THEN 0 ELSE enabled END,"
                " last_error = ?, last_error_kind = ?, last_status = ?, last_attempt = ?, next_poll = ?"
                " WHERE id = ?",
                (
                    1 if count_error else 0, "disabled" if disable else "failing", disable,
                    error, kind, result.status if result else None, stamp, to_text(next_poll), feed_id,
                ),
            )
            url = result.url if result else cur.execute(
                "SELECT url FROM feeds WHERE id = ?", (feed_id,)
            ).fetchone()["url"]
            self._log_fetch(cur, feed_id, stamp, result, url, "error", kind, error, None, None)

    @staticmethod
    def _log_fetch(
        cur: sqlite3.Cursor,
        feed_id: int,
        stamp: str,
        result: FetchResult | None,
        url: str,
        outcome: str,
        error_kind: str | None,
        error: str | None,
        items: int | None,
        new_items: int | None,
    ) -> None:
        cur.execute(
            "INSERT INTO fetch_log (feed_id, url, at, status, outcome, error_kind, error,"
            " elapsed_ms, bytes, items, new_items) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                feed_id, url, stamp, result.status if result else None, outcome, error_kind, error,
                round(result.elapsed * 1000) if result else None,
                len(result.body) if result else None,
                items, new_items,
            ),
        )

    # --- articles ----------------------------------------------------------

    def known_entries(self, guids: Iterable[str], urls: Iterable[str]) -> tuple[set[str], set[str]]:
        """Which of these GUIDs and canonical URLs are stored already."""
        wanted_guids = sorted({g for g in guids if g})
        wanted_urls = sorted({u for u in urls if u})
        with self._read("look up known entries") as cur:
            return (
                self._present(cur, "guid", wanted_guids),
                self._present(cur, "url", wanted_urls),
            )

    @staticmethod
    def _present(cur: sqlite3.Cursor, column: str, values: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(values):
            marks = ",".join("?" * len(chunk))
            rows = cur.execute(f"SELECT DISTINCT {column} FROM articles WHERE {column} IN ({marks})", chunk)
            found.update(row[0] for row in rows)
        return found

    def save_article(self, feed_id: int, article: ArticleRecord) -> tuple[int, bool]:
        """Store an article, or link this feed to the copy already stored. Returns (id, created)."""
        with self._write(f"save article {_describe(article)}") as cur:
            saved = self._save(cur, feed_id, article)
            self._count_items(cur, feed_id)
        return saved

    def save_articles(self, feed_id: int, articles: Sequence[ArticleRecord]) -> list[tuple[int, bool]]:
        """``save_article`` for a whole feed in one transaction: all are saved or none."""
        if not articles:
            return []
        what = f"save {len(articles)} articles of feed {feed_id}"
        if len(articles) == 1:
            what = f"save article {_describe(articles[0])}"
        with self._write(what) as cur:
            saved = [self._save(cur, feed_id, article) for article in articles]
            self._count_items(cur, feed_id)
        return saved

    def _save(self, cur: sqlite3.Cursor, feed_id: int, article: ArticleRecord) -> tuple[int, bool]:
        existing = self._find_same(cur, article)
        if existing is None:
            article_id = self._insert_article(cur, article)
            created = True
        else:
            article_id = existing["id"]
            self._fill_missing(cur, existing, article)
            created = False
        cur.execute(
            "INSERT OR IGNORE INTO article_feeds (article_id, feed_id, entry_guid, first_seen)"
            " VALUES (?, ?, ?, ?)",
            (article_id, feed_id, article.guid, to_text(article.fetched)),
        )
        return article_id, created

    @staticmethod
    def _find_same(cur: sqlite3.Cursor, article: ArticleRecord) -> sqlite3.Row | None:
        """The stored article this one repeats: same GUID, else canonical URL, else text."""
        keys = [("guid", article.guid), ("url", article.url)]
        if article.text.strip():
            keys.append(("content_hash", article.content_hash))
        for column, value in keys:
            if not value:
                continue
            row = cur.execute(
                f"SELECT * FROM articles WHERE {column} = ? ORDER BY id LIMIT 1", (value,)
            ).fetchone()
            if row is not None:
                return row
        return None

    @staticmethod
    def _insert_article(cur: sqlite3.Cursor, article: ArticleRecord) -> int:
        cursor = cur.execute(
            "INSERT INTO articles (guid, url, link, title, summary, text, published, fetched,"
            " language, extraction_status, extraction_error, content_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.guid, article.url, article.link, article.title, article.summary,
                article.text, to_text(article.published), to_text(article.fetched),
                article.language, article.extraction_status, article.extraction_error,
                article.content_hash,
            ),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _fill_missing(cur: sqlite3.Cursor, row: sqlite3.Row, article: ArticleRecord) -> None:
        """Complete a stored article from another copy without overwriting what it has."""
        changes: dict[str, Any] = {}
        for column in ("guid", "url", "link", "title", "summary", "language"):
            if not row[column] and getattr(article, column):
                changes[column] = getattr(article, column)
        # an extracted page beats a feed summary; pruned text stays pruned
        if (
            not row["text_pruned"]
            and article.text.strip()
            and (not row["text"] or (article.extraction_status == "ok" and row["extraction_status"] != "ok"))
        ):
            changes.update(
                text=article.text,
                extraction_status=article.extraction_status,
                extraction_error=article.extraction_error,
                content_hash=article.content_hash,
            )
        if not changes:
            return
        assignments = ", ".join(f"{column} = ?" for column in changes)
        cur.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*changes.values(), row["id"]))

    @staticmethod
    def _count_items(cur: sqlite3.Cursor, feed_id: int) -> None:
        cur.execute(
            "UPDATE feeds SET items_total = (SELECT count(*) FROM article_feeds WHERE feed_id = ?)"
            " WHERE id = ?",
            (feed_id, feed_id),
        )

    def article(self, article_id: int) -> dict[str, Any] | None:
        """An article as a dict, times as datetimes, plus ``feeds``: the names of the feeds that carried it."""
        with self._read(f"read article {article_id}") as cur:
            row = cur.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return None
            feeds = cur.execute(
                "SELECT feeds.name FROM article_feeds JOIN feeds ON feeds.id = article_feeds.feed_id"
                " WHERE article_feeds.article_id = ? ORDER BY article_feeds.first_seen, feeds.name",
                (article_id,),
            ).fetchall()
        item = dict(row)
        item["published"] = from_text(item["published"])
        item["fetched"] = from_text(item["fetched"])
        item["relevant"] = None if item["relevant"] is None else bool(item["relevant"])
        item["text_pruned"] = bool(item["text_pruned"])
        item["feeds"] = [feed["name"] for feed in feeds]
        return item

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over title and text, accents ignored, best match first."""
        match = fts_query(query)
        if not match:
            return []
        with self._read(f"search for {query!r}") as cur:
            rows = cur.execute(
                "SELECT articles.id, articles.title, articles.url, articles.published,"
                " snippet(articles_fts, -1, '[', ']', '…', 16) AS snippet"
                " FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
                " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?",
                (match, limit),
            ).fetchall()
        return [dict(row) | {"published": from_text(row["published"])} for row in rows]

    def prune_text(self, older_than: datetime) -> int:
        """Drop the text of old articles judged irrelevant, and old fetch log rows.

        Title, summary, URL and content hash stay, so a repeat is still recognised.
        Returns how many articles lost their text.
        """
        cutoff = to_text(older_than)
        with self._write(f"prune text older than {cutoff}") as cur:
            pruned = cur.execute(
                "UPDATE articles SET text = '', text_pruned = 1"
                " WHERE relevant = 0 AND published < ? AND text_pruned = 0",
                (cutoff,),
            ).rowcount
            cur.execute("DELETE FROM fetch_log WHERE at < ?", (cutoff,))
        return pruned

    def set_relevance(self, article_id: int, relevance: float, relevant: bool) -> None:
        with self._write(f"set the relevance of article {article_id}") as cur:
            cur.execute(
                "UPDATE articles SET relevance = ?, relevant = ? WHERE id = ?",
                (relevance, int(relevant), article_id),
            )
