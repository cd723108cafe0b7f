"""An incident's history in a real SQLite file: what a revision records, migration 7, retention."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import monitor.store.incidents as incidents_module
import monitor.store.schema as schema_module
from monitor.config import parse_config
from monitor.daemon.scheduler import Daemon
from monitor.models import IncidentSnapshot
from monitor.register import plain
from monitor.store import MIGRATIONS, Store
from tests.conftest import ROOT
from tests.incidentkit import NOW, ArticleMaker, killed, report
from tests.store.test_store import OLD_FILE_WRITTEN_BY_TODAYS_CODE


@pytest.fixture
def maker(tmp_path: Path) -> Iterator[ArticleMaker]:
    m = ArticleMaker(tmp_path / "register.db")
    yield m
    m.close()


def revisions(store: Store) -> list[dict[str, Any]]:
    cur = store.db.execute("SELECT * FROM incident_revisions ORDER BY id")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def snapshot_bytes(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT sum(length(CAST(snapshot AS BLOB))) FROM incident_revisions").fetchone()[0])
    finally:
        con.close()


def told_by(maker: ArticleMaker, outlets: int) -> None:
    """One attack told by ``outlets`` publishers, each with its own toll."""
    for n in range(outlets):
        maker.article([report(figures=(killed(20 + n % 7, qualifier="at_least"),))], publisher=f"outlet-{n:04d}.example.org")


# --- what a revision records -----------------------------------------------------------


def test_a_revision_keeps_the_picture_and_the_claim_that_changed_it_not_every_source(maker: ArticleMaker) -> None:
    told_by(maker, 30)
    history = revisions(maker.store)
    assert [r["state"] for r in history[:2]] == ["NEW", "UPDATED"] and len(history) == 30
    for r in history:
        snap = json.loads(r["snapshot"])
        assert snap["source"]["publisher"] == r["publisher"]  # the cause, as the row names it
        assert snap["source"]["article_id"] == r["article_id"]
        assert "evidence" not in snap["source"] and "voices" not in snap
        assert (snap["publishers"], snap["reports"]) == (r["publishers"], r["id"])
        assert snap["sources"] == r["id"]  # independent sources: one article, one voice here
        assert snap["location"]["name"] == "Boulkessi" and snap["tolls"][0]["kind"] == "killed"
    last, toll = json.loads(history[-1]["snapshot"]), 20 + 29 % 7
    assert last["source"]["figures"] == [{"kind": "killed", "group": "military", "low": toll, "high": None,
                                          "qualifier": "at_least", "text": f"{toll} military killed"}]  # fmt: skip
    # the 30th change costs what the 2nd did: no list of sources grows in it
    assert len(history[-1]["snapshot"]) < 1.1 * len(history[1]["snapshot"])


# --- migration 7: old histories rewritten ------------------------------------------------


def old_snapshot_json(snap: IncidentSnapshot, _cause: object) -> str:
    """A snapshot as the register wrote it before migration 7: every source's claim, again."""
    document = plain(snap)
    for claim in document["sources"]:
        del claim["evidence"]
    return json.dumps(document, ensure_ascii=False)


def write_old_history(path: Path, monkeypatch: pytest.MonkeyPatch, outlets: int) -> None:
    """A register as the release before migration 7 left it: one attack told by ``outlets``."""
    with monkeypatch.context() as old_release:
        old_release.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:6])
        old_release.setattr(incidents_module, "revision_json", old_snapshot_json)
        old = ArticleMaker(path)
        old.store.db.execute(OLD_FILE_WRITTEN_BY_TODAYS_CODE)
        told_by(old, outlets)
        old.close()


def test_migration_7_rewrites_an_old_history_to_what_changed_and_the_file_shrinks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    monkeypatch.setattr(schema_module, "MIGRATIONS", MIGRATIONS[:6])
    monkeypatch.setattr(incidents_module, "revision_json", old_snapshot_json)
    old = ArticleMaker(path)
    old.store.db.execute(OLD_FILE_WRITTEN_BY_TODAYS_CODE)
    told_by(old, 120)
    (incident_id,) = old.store.db.execute("SELECT id FROM incidents").fetchone()
    old_rows = {r["id"]: json.loads(r["snapshot"]) for r in revisions(old.store)}
    old.close()
    before = snapshot_bytes(path)
    assert all(len(snap["sources"]) == snap["reports"] for snap in old_rows.values())  # the square
    file_before = path.stat().st_size

    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version() == len(MIGRATIONS) == 8
        rows = revisions(store)
        assert [r["id"] for r in rows] == sorted(old_rows) and len(rows) == 120
        for r in rows:
            snap, was = json.loads(r["snapshot"]), old_rows[r["id"]]
            assert snap["sources"] == len(was["voices"]) == r["id"]
            assert snap["source"] == next(c for c in was["sources"] if c["publisher"] == r["publisher"])
            assert {k: v for k, v in snap.items() if k not in ("sources", "source")} == {
                k: v for k, v in was.items() if k not in ("sources", "voices")
            }
            assert list(snap) == [f.name for f in fields(IncidentSnapshot) if f.name != "voices"] + ["source"]
        store.db.execute("VACUUM")  # outside any transaction, as docs/schema.md says
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute("UPDATE incident_revisions SET state = 'X'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.db.execute("DELETE FROM incident_revisions")
        assert len(store.incident_records([incident_id])[incident_id].accounts) == 120
    after = snapshot_bytes(path)
    assert after * 20 < before, (before, after)
    assert path.stat().st_size * 4 < file_before, (file_before, path.stat().st_size)


def test_migration_7_needs_little_free_disk_however_large_the_old_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The register most in need of migration 7 is the largest. SQLite as Debian builds it
    zeroes every freed page (SECURE_DELETE), so rewriting a history wrote it all again into
    the WAL: a 1 GB register needed 1 GB of free disk to upgrade, or the daemon did not start
    ("database or disk is full"). The WAL the migration writes is measured while the store is
    open (a checkpoint does not shrink it); the default is that of the SQLite in use."""
    path = tmp_path / "old.db"
    write_old_history(path, monkeypatch, 150)
    history = snapshot_bytes(path)
    assert history > 3_000_000  # a history of overflow pages, not a page or two
    assert not Path(f"{path}-wal").exists()

    with Store(path) as store:
        secure_delete = store.db.execute("PRAGMA secure_delete").fetchone()[0]
        written = Path(f"{path}-wal").stat().st_size
        assert store.schema_version() == 8
    assert written < history / 10, (written, history)
    with sqlite3.connect(path) as con:  # the connection's own setting is given back
        assert secure_delete == con.execute("PRAGMA secure_delete").fetchone()[0]


def test_docs_queries_read_an_upgraded_history_rewritten_new_and_late_old_rows_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/schema.md's example queries on a register as an upgrade leaves it: revisions
    rewritten by migration 7, new ones, and one an older version still running wrote late in
    the old shape (told apart as docs/schema.md says), then pruned by retention."""
    path = tmp_path / "old.db"
    write_old_history(path, monkeypatch, 6)
    maker = ArticleMaker(path)  # the upgrade
    maker._n = 6  # its articles are new ones
    maker.article([report(figures=(killed(31, qualifier="at_least"),))], publisher="new.example.org")
    monkeypatch.setattr(incidents_module, "revision_json", old_snapshot_json)  # the old daemon, not stopped yet
    maker.article([report(figures=(killed(32, qualifier="at_least"),))], publisher="late.example.org")
    monkeypatch.undo()
    store = maker.store
    history_sql = next(b for b in docs_sql_blocks() if "FROM incident_revisions v" in b)
    try:
        for pruned in (False, True):
            if pruned:
                kept = store.db.execute(
                    "SELECT id FROM incident_revisions v WHERE state != 'UPDATED' OR id = (SELECT max(id) FROM"
                    " incident_revisions) OR id IN (SELECT revision_id FROM incident_levels) ORDER BY id"
                ).fetchall()
                assert store.prune_revisions(datetime.now(UTC) + timedelta(days=1)) == 8 - len(kept) > 0
            for block in docs_sql_blocks():
                for statement in filter(str.strip, block.split(";")):
                    store.db.execute(statement).fetchall()
            rows = store.db.execute(history_sql).fetchall()
            old_shape = store.db.execute(
                "SELECT id FROM incident_revisions WHERE json_type(snapshot, '$.sources') = 'array'"
            ).fetchall()
            publishers = [publisher for _, _, _, publisher, _, _ in rows]
            assert publishers[-1] == "late.example.org" and ("new.example.org" in publishers) is not pruned
            assert [r[0] for r in old_shape] == [rows[-1][0]]  # only the late one
            for revision_id, _, _, _, sources, figures in rows[:-1]:
                assert isinstance(sources, int) and json.loads(figures)[0]["kind"] == "killed", revision_id
            assert [r[0] for r in rows] == ([k[0] for k in kept] if pruned else list(range(1, 9)))
    finally:
        maker.close()


def docs_sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", (ROOT / "docs" / "schema.md").read_text(encoding="utf-8"), flags=re.DOTALL)


def test_migration_7_leaves_merges_and_new_shapes_as_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.store.schema_history import slim_snapshot

    assert slim_snapshot({"merged_into": 4}, None, None, None) is None
    assert slim_snapshot({"sources": 3, "source": None}, 7, 1, "x") is None
    # before migration 6 there were no voices: its publishers are the count there is
    old = {"id": 1, "publishers": 2, "sources": [{"article_id": 0, "publisher": "Reuters", "evidence": ["..."]}]}
    assert slim_snapshot(old, 9, None, "Reuters") == {
        "id": 1, "publishers": 2, "sources": 2, "source": {"article_id": 0, "publisher": "Reuters"},
    }  # fmt: skip


# --- retention: old UPDATED revisions ----------------------------------------------------


def history_at(maker: ArticleMaker, days: list[int], killed_at: dict[int, int], start: datetime = NOW) -> list[int]:
    """One incident changed on each of ``days`` (days after ``start``), escalated by the tolls of
    ``killed_at`` (change number: toll); returns its revision ids."""
    ids = []
    for n, day in enumerate(days):
        maker.now = start + timedelta(days=day)
        figures = (killed(killed_at.get(n, 20), qualifier="at_least"),)
        # a day no known incident of the seeds has: the daemon loads them, and they would absorb it
        (change,) = maker.article([report(when="2024-02-10", figures=figures)], "2024-02-11", f"outlet {n}")
        ids.append(maker.store.db.execute("SELECT max(id) FROM incident_revisions").fetchone()[0])
        assert change.state == ("NEW" if n == 0 else "ESCALATED" if n in killed_at else "UPDATED")
    return ids


def test_retention_deletes_old_updated_revisions_only(maker: ArticleMaker) -> None:
    store = maker.store
    new, _upd1, upd2, escalated, upd3, latest = history_at(maker, [0, 1, 2, 3, 40, 41], {3: 60})
    # a level that points to an UPDATED revision keeps it (none does today: guard the rule)
    store.db.execute(
        "INSERT INTO incident_levels (incident_id, level, reached, reason, revision_id) VALUES (1, 'x', 'now', '', ?)", [upd2]
    )
    version = store.db.execute("SELECT max(id) FROM incident_revisions").fetchone()[0]

    assert store.prune_revisions(NOW) == 0  # nothing is older than that
    assert store.prune_revisions(NOW + timedelta(days=30), batch=1) == 1
    assert [r["id"] for r in revisions(store)] == [new, upd2, escalated, upd3, latest]
    assert store.prune_revisions(NOW + timedelta(days=100), batch=1) == 1
    assert [r["id"] for r in revisions(store)] == [new, upd2, escalated, latest]  # its latest stays
    assert store.db.execute("SELECT max(id) FROM incident_revisions").fetchone()[0] == version
    (incident,) = store.incidents()
    assert (incident["reports"], incident["publishers"], incident["killed_best"]) == (6, 6, 60)  # the sources stay


@pytest.mark.parametrize(
    ("which", "why"), [("NEW", "a NEW one"), ("ESCALATED", "an ESCALATED one"), ("referenced", "one a level points to"),
                       ("latest", "its incident's latest")],
)  # fmt: skip
def test_the_delete_trigger_refuses_every_other_delete(maker: ArticleMaker, which: str, why: str) -> None:
    new, upd1, escalated, latest = history_at(maker, [0, 1, 2, 3], {2: 60})
    maker.store.db.execute(
        "INSERT INTO incident_levels (incident_id, level, reached, reason, revision_id) VALUES (1, 'x', 'now', '', ?)", [upd1]
    )
    target = {"NEW": new, "ESCALATED": escalated, "referenced": upd1, "latest": latest}[which]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        maker.store.db.execute("DELETE FROM incident_revisions WHERE id = ?", [target])
    assert len(revisions(maker.store)) == 4, why


def test_the_daemon_prunes_old_updated_revisions_when_configured(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    maker = ArticleMaker(path)
    history_at(maker, [0, 1, 2, 3], {}, start=datetime.now(UTC) - timedelta(days=60))  # NEW, UPDATED x3
    maker.close()
    for keep, left in (("0", 4), ("90d", 4), ("30d", 2)):
        daemon = Daemon(parse_config({"database": str(path), "retention": {"updated_revisions_after": keep}}).config)
        try:
            daemon.prune()
            states = [r["state"] for r in revisions(daemon.store) if r["incident_id"] == 1]  # not the seeds'
            assert states == (["NEW", "UPDATED", "UPDATED", "UPDATED"] if left == 4 else ["NEW", "UPDATED"]), keep
        finally:
            daemon.store.close()
