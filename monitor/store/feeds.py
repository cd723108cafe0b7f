"""Feeds and their poll bookkeeping.

Feeds come from the config (``origin = 'config'``; the config is the truth for them, synced
at start and on reload) or from OPML imports (``origin = 'opml'``). Whatever its origin, a
feed turned off with ``sahel-monitor feeds disable`` (``disabled_at``) stays off through every
sync until ``feeds enable``: the command is the later, more specific word, as in a feed
reader where pausing a subscription survives a re-import of the same list.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.config import FeedConfig
from monitor.models import FeedState, FetchResult
from monitor.store.base import StoreBase, _plain, from_text, to_text

# the feeds the scheduler polls: enabled, unless a command turned them off
_ON = "CASE WHEN disabled_at IS NULL THEN 1 ELSE 0 END"


@dataclass(frozen=True)
class NewFeed:
    """A feed to add from an OPML file."""

    name: str
    url: str
    language: str | None
    interval: int  # seconds
    category: str | None = None


@dataclass(frozen=True)
class FeedAdded:
    """What became of one ``NewFeed``: ``added``, ``renamed`` (its name was taken: stored as
    ``stored_as``), ``present`` (the feed ``stored_as`` already polls its URL) or ``revived``
    (a removed OPML feed with its URL, back as ``stored_as``)."""

    feed: NewFeed
    outcome: str
    stored_as: str


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
                f" error_count = 0, enabled = {_ON}, state = 'new', next_poll = ? WHERE id = ?",
                (feed.url, feed.url, stamp, row["id"]),
            )
        elif row["state"] == "removed":
            cur.execute(
                f"UPDATE feeds SET enabled = {_ON}, state = 'new', next_poll = ? WHERE id = ?",
                (stamp, row["id"]),
            )

    def add_feeds(self, feeds: Sequence[NewFeed], now: datetime) -> list[FeedAdded]:
        """Add OPML feeds, in one transaction. A URL already polled is not added twice; a name
        already taken gets `` (2)``, `` (3)``... so that no feed of the file is lost."""
        stamp = to_text(now)
        with self._write(f"add {len(feeds)} feeds") as cur:
            return [self._add_feed(cur, feed, stamp) for feed in feeds]

    @staticmethod
    def _add_feed(cur: sqlite3.Cursor, feed: NewFeed, stamp: str) -> FeedAdded:
        known = cur.execute(
            "SELECT id, name, origin, state FROM feeds WHERE url = ? OR config_url = ? ORDER BY id LIMIT 1",
            (feed.url, feed.url),
        ).fetchone()
        if known is not None and known["origin"] == "opml" and known["state"] == "removed":
            cur.execute(
                f"UPDATE feeds SET state = 'new', enabled = {_ON}, error_count = 0, next_poll = ?,"
                " category = coalesce(?, category) WHERE id = ?",
                (stamp, feed.category, known["id"]),
            )
            return FeedAdded(feed, "revived", known["name"])
        if known is not None:
            return FeedAdded(feed, "present", known["name"])
        name, number = feed.name, 1
        while cur.execute("SELECT 1 FROM feeds WHERE name = ?", (name,)).fetchone():
            number += 1
            name = f"{feed.name} ({number})"
        cur.execute(
            "INSERT INTO feeds (name, url, config_url, language, interval_s, origin, category,"
            " enabled, state, next_poll, created) VALUES (?, ?, ?, ?, ?, 'opml', ?, 1, 'new', ?, ?)",
            (name, feed.url, feed.url, feed.language, feed.interval, feed.category, stamp, stamp),
        )
        return FeedAdded(feed, "added" if name == feed.name else "renamed", name)

    # --- turning feeds off and on by command ---------------------------------------

    def disable_feed(self, name: str, now: datetime) -> str | None:
        """Stop polling a feed until ``enable_feed``: ``disabled``, ``already`` (disabled
        before), ``removed`` (nothing to disable), or None when no feed has that name."""
        with self._write(f"disable feed {name!r}") as cur:
            row = cur.execute("SELECT id, state, disabled_at FROM feeds WHERE name = ?", (name,)).fetchone()
            if row is None:
                return None
            if row["state"] == "removed":
                return "removed"
            if row["disabled_at"] is not None:
                return "already"
            cur.execute("UPDATE feeds SET disabled_at = ?, enabled = 0 WHERE id = ?", (to_text(now), row["id"]))
            return "disabled"

    def enable_feed(self, name: str, now: datetime) -> str | None:
        """Poll a feed again, at once: one disabled by command or by the server (410), or an
        OPML feed removed by command. ``enabled``, ``already`` (it is polled), ``config_removed``
        (a config feed no longer in the config: only the config can bring it back), or None."""
        with self._write(f"enable feed {name!r}") as cur:
            row = cur.execute("SELECT * FROM feeds WHERE name = ?", (name,)).fetchone()
            if row is None:
                return None
            if row["state"] == "removed" and row["origin"] == "config":
                return "config_removed"
            if row["enabled"] and row["disabled_at"] is None:
                return "already"
            fresh = row["state"] in ("disabled", "removed")  # gone (410) or removed: start afresh
            cur.execute(
                "UPDATE feeds SET disabled_at = NULL, enabled = 1, next_poll = ?,"
                " state = CASE WHEN ? THEN 'new' ELSE state END,"
                " error_count = CASE WHEN ? THEN 0 ELSE error_count END WHERE id = ?",
                (to_text(now), fresh, fresh, row["id"]),
            )
            return "enabled"

    def remove_feed(self, name: str) -> str | None:
        """Stop polling an OPML feed for good, keeping its history (state ``removed``; importing
        its URL again revives it). ``removed``, ``already``, ``config`` (a config feed: the
        config is the truth for it, nothing done), or None when no feed has that name."""
        with self._write(f"remove feed {name!r}") as cur:
            row = cur.execute("SELECT id, origin, state FROM feeds WHERE name = ?", (name,)).fetchone()
            if row is None:
                return None
            if row["state"] == "removed":
                return "already"
            if row["origin"] == "config":
                return "config"
            # a later import is a new subscription: it starts enabled
            cur.execute("UPDATE feeds SET state = 'removed', enabled = 0, disabled_at = NULL WHERE id = ?", (row["id"],))
            return "removed"

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

    def subscriptions(self) -> list[dict[str, Any]]:
        """The feeds an OPML export lists, in the order they were added: every feed but those
        removed or gone (410), disabled ones too (they are still subscribed to)."""
        with self._read("list subscriptions") as cur:
            rows = cur.execute(
                "SELECT name, url, language, category FROM feeds"
                " WHERE state NOT IN ('removed', 'disabled') ORDER BY id"
            ).fetchall()
        return [dict(row) for row in rows]

    def feed_health(self) -> list[dict[str, Any]]:
        """One row per feed for the health table, times as aware datetimes."""
        with self._read("read feed health") as cur:
            rows = cur.execute(
                "SELECT name, url, origin, category, enabled, disabled_at, state, error_count, last_error,"
                " last_error_kind, last_status, last_success, last_attempt, next_poll, items_total, items_new_last"
                " FROM feeds ORDER BY name"
            ).fetchall()
        health = []
        for row in rows:
            item = dict(row)
            item["enabled"] = bool(item["enabled"])
            for key in ("last_success", "last_attempt", "next_poll", "disabled_at"):
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
