"""The schema, as the list of migrations that build it. See docs/schema.md."""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from monitor.store import (
    schema_alerts,
    schema_history,
    schema_incidents,
    schema_operations,
    schema_publisher,
    schema_reading,
    schema_voices,
)

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

MIGRATIONS: list[Migration] = [
    _SCHEMA_1,  # feeds, articles, fetch log, full-text index
    schema_incidents.SCHEMA,  # 2: incidents, reports, claims, revisions, views
    schema_alerts.SCHEMA,  # 3: alert outbox and delivery attempts
    schema_reading.SCHEMA,  # 4: reading failures and reader versions on articles
    schema_operations.SCHEMA,  # 5: feed categories, feeds disabled by command, v_incidents newest first
    schema_voices.SCHEMA,  # 6: independent sources (wire credits), alerts as data
    schema_history.migrate,  # 7: revisions record what changed; old UPDATED ones may be pruned
    schema_publisher.migrate,  # 8: an article's publisher, kept for a later reading
]
