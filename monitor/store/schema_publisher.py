"""Migration 8: who published an article, as the feed or ``ingest`` named it when it was stored.

The publisher is a source's identity in the register (independent voices are counted by
it). It used to be known only while the article was in hand: an article stored and read
later (a stop between the two, the daemon's catch-up of what ``ingest`` stored) was told
by the first feed's configured name, or the URL's host for an ingested one, and so became
another voice. Rows stored before this migration have NULL and keep that fallback.
"""

from __future__ import annotations

import sqlite_utils


def migrate(db: sqlite_utils.Database) -> None:
    # idempotent: a file that has the column already (added by hand, or by tests that fill an
    # older schema with today's code, which writes it) keeps it
    if "publisher" not in db["articles"].columns_dict:
        db.execute("ALTER TABLE articles ADD COLUMN publisher TEXT")
