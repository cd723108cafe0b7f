"""Feeds and their poll bookkeeping."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from monitor.config import FeedConfig
from monitor.models import FeedState, FetchResult
from monitor.store.base import StoreBase, _plain, from_text, to_text


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


class FeedStore(StoreBase):
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
