"""Articles: de-duplication, feeds they came from, full-text search, retention."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from monitor.models import ArticleRecord
from monitor.store.base import StoreBase, _chunks, _is_environmental, from_text, to_text

# still to read by a reader (:version): never read, or its reading failed under another reader
_TO_READ = "a.relevant IS NULL AND (a.read_error IS NULL OR a.reader_version IS NOT :version)"


def fts_query(text: str) -> str:
    """User input as a safe FTS5 query: every token a quoted phrase, ANDed (``search``'s fallback).

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


def _describe(article: ArticleRecord) -> str:
    return article.url or article.link or article.guid or repr(article.title)


class ArticleStore(StoreBase):
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

    def save_local_articles(self, articles: Sequence[ArticleRecord]) -> list[tuple[int, bool]]:
        """Store articles no feed brought (``sahel-monitor ingest``), de-duplicated like the rest.

        Returns (id, created) per article; a repeat of a stored article is not stored again.
        """
        if not articles:
            return []
        with self._write(f"save {len(articles)} local articles") as cur:
            saved = []
            for article in articles:
                existing = self._find_same(cur, article)
                if existing is None:
                    saved.append((self._insert_article(cur, article), True))
                    continue
                if existing["publisher"] is None and article.publisher:
                    # stored by an ingest before migration 8: a rerun names its publisher
                    cur.execute("UPDATE articles SET publisher = ? WHERE id = ?", (article.publisher, existing["id"]))
                saved.append((int(existing["id"]), False))
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
            " language, extraction_status, extraction_error, content_hash, publisher)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.guid, article.url, article.link, article.title, article.summary,
                article.text, to_text(article.published), to_text(article.fetched),
                article.language, article.extraction_status, article.extraction_error,
                article.content_hash, article.publisher,
            ),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _fill_missing(cur: sqlite3.Cursor, row: sqlite3.Row, article: ArticleRecord) -> None:
        """Complete a stored article from another copy without overwriting what it has."""
        changes: dict[str, Any] = {}
        for column in ("guid", "url", "link", "title", "summary", "language", "publisher"):
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
        item["read_failed_at"] = from_text(item["read_failed_at"])
        item["relevant"] = None if item["relevant"] is None else bool(item["relevant"])
        item["text_pruned"] = bool(item["text_pruned"])
        item["feeds"] = [feed["name"] for feed in feeds]
        return item

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search over title and text, accents ignored, best match first.

        The query is FTS5's own syntax when it is valid FTS5 (``Kidal OR Ménaka``, ``NEAR(a b,
        5)``, ``attaq*``, ``"pris Anéfis"``, ``title:Kidal``); otherwise (``CSP-DPA``,
        ``l'Azawad``, ``Gao: attaque``, a stray quote) every word is quoted (``fts_query``) and
        all of them must appear.
        """
        if not query.strip():
            return []
        with self._read(f"search for {query!r}") as cur:
            try:
                rows = self._match(cur, query, limit)
            except sqlite3.OperationalError as exc:
                if _is_environmental(exc):
                    raise
                rows = self._match(cur, fts_query(query), limit)  # not FTS5: the words as typed
        return [dict(row) | {"published": from_text(row["published"])} for row in rows]

    @staticmethod
    def _match(cur: sqlite3.Cursor, match: str, limit: int) -> list[sqlite3.Row]:
        return cur.execute(
            "SELECT articles.id, articles.title, articles.url, articles.published,"
            " snippet(articles_fts, -1, '[', ']', '…', 16) AS snippet"
            " FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY articles_fts.rank LIMIT ?",
            (match, limit),
        ).fetchall()

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

    # --- reading state -------------------------------------------------------
    #
    # An article is read once: its relevance is set (``relevant`` not NULL) together with the
    # reports it gave (``IncidentStore.apply_plan``). Until then it is unread; when reading
    # it failed, ``read_error`` says why and ``reader_version`` which reader failed, and it is
    # read again only by another reader (_TO_READ). The catch-up pages through what is left by id.

    def unread_articles(self, reader_version: str, after: int = 0, limit: int = 200) -> list[dict[str, Any]]:
        """Articles to read, by id after ``after``, whatever their age: never read, or whose
        reading failed under another reader version than ``reader_version``.

        Each has ``publisher``: the one stored with it, else (stored before migration 8) the
        first feed that brought it; NULL for an ``ingest``ed one stored before migration 8.
        """
        sql = (
            "SELECT a.id, a.title, a.text, a.published, a.language, a.url, a.link,"
            " coalesce(a.publisher, (SELECT f.name FROM article_feeds af JOIN feeds f ON f.id = af.feed_id"
            "  WHERE af.article_id = a.id ORDER BY af.first_seen, f.name LIMIT 1)) AS publisher"
            f" FROM articles a WHERE {_TO_READ} AND a.id > :after ORDER BY a.id LIMIT :limit"
        )
        with self._read("find articles not read yet") as cur:
            rows = cur.execute(sql, {"version": reader_version, "after": after, "limit": limit}).fetchall()
        return [dict(row) | {"published": from_text(row["published"])} for row in rows]

    def to_read(self, ids: Sequence[int], reader_version: str) -> set[int]:
        """Which of these articles ``unread_articles`` would give ``reader_version`` to read."""
        found: set[int] = set()
        with self._read("find articles not read yet") as cur:
            for chunk in _chunks(sorted(set(ids))):
                params = {"version": reader_version} | {f"id{i}": article_id for i, article_id in enumerate(chunk)}
                marks = ",".join(f":id{i}" for i in range(len(chunk)))
                rows = cur.execute(f"SELECT a.id FROM articles a WHERE {_TO_READ} AND a.id IN ({marks})", params)
                found.update(row[0] for row in rows)
        return found

    def record_read_failure(self, article_id: int, error: str, reader_version: str, at: datetime) -> bool:
        """Record that reading an article failed. False if it was read meanwhile (nothing written)."""
        with self._write(f"record the reading failure of article {article_id}") as cur:
            changed = cur.execute(
                "UPDATE articles SET read_error = ?, read_failed_at = ?, reader_version = ?"
                " WHERE id = ? AND relevant IS NULL",
                (error, to_text(at), reader_version, article_id),
            ).rowcount
        return changed > 0

    def reading_states(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """Per article id: ``state`` (relevant, irrelevant, unread, failed), ``read_error``, ``reader_version``."""
        states: dict[int, dict[str, Any]] = {}
        with self._read("read the reading state of articles") as cur:
            for chunk in _chunks(sorted(set(ids))):
                marks = ",".join("?" * len(chunk))
                rows = cur.execute(
                    f"SELECT id, state, read_error, reader_version FROM v_articles WHERE id IN ({marks})", list(chunk)
                )
                states.update((row["id"], dict(row)) for row in rows)
        return states

    def articles_by_state(self, states: Iterable[str] = (), limit: int = 50) -> list[dict[str, Any]]:
        """Rows of ``v_articles``, newest first; only those in ``states`` when given."""
        wanted = sorted(set(states))
        sql = "SELECT * FROM v_articles"
        params: list[Any] = []
        if wanted:
            sql += f" WHERE state IN ({','.join('?' * len(wanted))})"
            params += wanted
            if set(wanted) <= {"unread", "failed"}:
                sql += " AND relevant IS NULL"  # lets idx_articles_unread answer
        sql += " ORDER BY published DESC, id DESC LIMIT ?"
        with self._read("list articles") as cur:
            rows = cur.execute(sql, [*params, limit]).fetchall()
        return [_listed(row) for row in rows]

    def reading_counts(self) -> dict[str, int]:
        """How many articles are stored, read, relevant, unread and failed."""
        with self._read("count articles by reading state") as cur:
            total, relevant = cur.execute("SELECT count(*), sum(relevant = 1) FROM articles").fetchone()
            unread, failed = cur.execute(
                "SELECT count(*) - count(read_error), count(read_error) FROM articles WHERE relevant IS NULL"
            ).fetchone()
        return {
            "stored": total, "read": total - unread - failed, "relevant": relevant or 0,
            "unread": unread, "failed": failed,
        }  # fmt: skip


def _listed(row: sqlite3.Row) -> dict[str, Any]:
    item = dict(row)
    item["published"] = from_text(item["published"])
    item["read_failed_at"] = from_text(item["read_failed_at"])
    item["relevant"] = None if item["relevant"] is None else bool(item["relevant"])
    return item
