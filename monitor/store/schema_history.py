"""Migration 7: an incident's history records what changed, and old updates may be pruned. Issue 14.

Until now each revision's ``snapshot`` copied the claim of every source of the incident, so
an incident told by 600 outlets took 68 MB of history against 4.8 MB for 150: its history
grew with the square of its sources. A revision now keeps the incident's picture, its counts
(``sources`` is how many independent sources tell it) and ``source``, the claim of the report
that caused the change; who said what stays in ``reports`` and ``claims``. This migration
rewrites the stored snapshots to that shape (``slim_snapshot``). The space they gave back
is reused by new rows; ``VACUUM`` returns it to the file system (docs/schema.md).

``incident_revisions`` stays append-only, with one exception for retention
(``retention.updated_revisions_after``): an UPDATED revision may be deleted unless a level
points to it (``incident_levels.revision_id``) or it is its incident's latest, which stays
the incident's last change and keeps the register's version from going back. The delete
trigger refuses every other delete; ``idx_incident_levels_revision_id`` makes its check, and
the pruning's, an index look-up.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import sqlite_utils

TRIGGERS = """
CREATE INDEX idx_incident_levels_revision_id ON incident_levels (revision_id);
CREATE TRIGGER incident_revisions_no_update BEFORE UPDATE ON incident_revisions BEGIN
    SELECT RAISE(ABORT, 'incident_revisions is append-only');
END;
CREATE TRIGGER incident_revisions_no_delete BEFORE DELETE ON incident_revisions
WHEN old.state != 'UPDATED'
    OR EXISTS (SELECT 1 FROM incident_levels WHERE revision_id = old.id)
    OR old.id = (SELECT max(id) FROM incident_revisions WHERE incident_id = old.incident_id)
BEGIN
    SELECT RAISE(ABORT, 'incident_revisions is append-only: only an UPDATED revision no level points to, and not its incident''s latest, may be pruned');
END;
"""

_SECURE_DELETE = {0: "OFF", 1: "ON", 2: "FAST"}  # as the pragma reads, to as it is set ("2" would set ON)
_BATCH = 50  # revisions read and rewritten at a time: an old one of a big incident may hold megabytes


def migrate(db: sqlite_utils.Database) -> None:
    """Rewrite every revision's snapshot to the new shape; the triggers let it, then return.

    SQLite built with SECURE_DELETE (Debian's is) zeroes every page it frees, and in WAL mode
    each zeroed page is written to the WAL: rewriting the history wrote it all again, so a
    1 GB register needed 1 GB of free disk to upgrade, and failed with "database or disk is
    full" on a fuller disk. FAST zeroes only what is written anyway; what it leaves is the old
    snapshots, whose claims are in ``reports`` and ``claims`` too (VACUUM drops the pages).
    """
    conn = db.conn
    secure_delete = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = FAST")
    try:
        _rewrite_history(db)
    finally:
        conn.execute(f"PRAGMA secure_delete = {_SECURE_DELETE[int(secure_delete)]}")


def _rewrite_history(db: sqlite_utils.Database) -> None:
    conn = db.conn
    conn.execute("DROP TRIGGER incident_revisions_no_update")
    conn.execute("DROP TRIGGER incident_revisions_no_delete")
    after = 0
    while True:
        rows = conn.execute(
            "SELECT id, report_id, article_id, publisher, snapshot FROM incident_revisions"
            " WHERE id > ? ORDER BY id LIMIT ?",
            (after, _BATCH),
        ).fetchall()
        if not rows:
            break
        after = rows[-1][0]
        conn.executemany(
            "UPDATE incident_revisions SET snapshot = ? WHERE id = ?",
            [(text, row[0]) for row in rows if (text := _rewritten(row)) is not None],
        )
    db.executescript(TRIGGERS)  # inside the migration's transaction, as a migration's SQL text runs


def _rewritten(row: sqlite3.Row | tuple[Any, ...]) -> str | None:
    _, report_id, article_id, publisher, text = row
    try:
        old = json.loads(text)
    except ValueError:
        return None  # not JSON: left as it is, nothing to slim
    new = slim_snapshot(old, report_id, article_id, publisher)
    return None if new is None else json.dumps(new, ensure_ascii=False)


def slim_snapshot(
    old: Any, report_id: int | None, article_id: int | None, publisher: str | None
) -> dict[str, Any] | None:
    """An old snapshot (every source's claim in ``sources``) in the new shape, keys in the order
    the register writes them; None when it has no list of sources (a merge's, or new already).

    ``sources`` becomes the count of independent sources (of ``voices``; a snapshot older than
    them, migration 6, counts its publishers, as migration 6 did for ``incidents.sources``) and
    ``source`` the claim of the revision's report, found by its article and publisher.
    """
    if not isinstance(old, dict) or not isinstance(old.get("sources"), list):
        return None
    claims = old["sources"]
    voices = old.get("voices")
    new: dict[str, Any] = {}
    for key, value in old.items():
        if key == "sources":
            new[key] = len(voices) if isinstance(voices, list) else old.get("publishers", len(claims))
        elif key != "voices":
            new[key] = value
    cause = None
    if report_id is not None:
        cause = next((c for c in claims if _is_claim_of(c, article_id, publisher)), None)
    new["source"] = {k: v for k, v in cause.items() if k != "evidence"} if cause is not None else None
    return new


def _is_claim_of(claim: Any, article_id: int | None, publisher: str | None) -> bool:
    return isinstance(claim, dict) and (claim.get("article_id") or 0) == (article_id or 0) and claim.get("publisher") == publisher
